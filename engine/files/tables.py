"""Excel Tables read from a package's table parts (``xl/tables/tableN.xml``).

The reader finds a sheet's table parts through its ``<tableParts>`` and relationships; each part
gives the table's name (its ``displayName`` is what formulas use), the area it covers, whether it
has a header and a totals row, its columns' names and the formulas of its calculated columns.
Parts are parsed with defusedxml, which refuses DTDs and entities. Both the transitional and the
strict OOXML namespaces are read, by matching local names.
"""
from __future__ import annotations

import re
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..core.cells import Table
from ..core.errors import WorkbookError
from ..core.references import Range

_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # ST_Xstring: _x000a_ is a line feed


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == name)


def _xstring(text: str) -> str:
    return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _xml(part: str, body: bytes, path: str) -> Element:
    try:
        return fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise WorkbookError(f"unsafe XML in {part}: it declares a DTD or entities (as an entity "
                            "bomb does): refused", file=path) from None
    except ParseError as exc:
        raise WorkbookError(f"cannot read {part}: {exc}", file=path) from None


def _count(element: Element, attribute: str, default: int, part: str, path: str) -> int:
    text = element.get(attribute)
    if text is None:
        return default
    if text not in ("0", "1"):
        raise WorkbookError(f"table part {part}: {attribute}={text!r} is not 0 or 1", file=path)
    return int(text)


def parse_table(part: str, body: bytes, sheet: str, path: str) -> Table:
    """The table that the table part ``part`` (its XML ``body``) puts on ``sheet``."""
    root = _xml(part, body, path)
    name = root.get("displayName") or root.get("name")
    if not name:
        raise WorkbookError(f"table part {part} has no name", file=path, sheet=sheet)
    try:
        ref = Range.parse(root.get("ref", ""), sheet)
    except ValueError:
        raise WorkbookError(f"table {name} ({part}) covers no valid range: {root.get('ref')!r}",
                            file=path, sheet=sheet) from None
    columns_element = next(_children(root, "tableColumns"), None)
    columns: list[str] = []
    calculated: list[tuple[str, str]] = []
    for column in (() if columns_element is None else _children(columns_element, "tableColumn")):
        column_name = _xstring(column.get("name", ""))
        columns.append(column_name)
        formula = next(_children(column, "calculatedColumnFormula"), None)
        if formula is not None and formula.text:
            calculated.append((column_name, formula.text))
    if len(columns) != ref.width:
        raise WorkbookError(f"table {name} ({part}) names {len(columns)} columns but covers "
                            f"{ref.width} ({ref.a1(with_sheet=False)})", file=path, sheet=sheet)
    auto_filter = next(_children(root, "autoFilter"), None)
    return Table(name, sheet, ref, tuple(columns),
                 header_row_count=_count(root, "headerRowCount", 1, part, path),
                 totals_row_count=_count(root, "totalsRowCount", 0, part, path),
                 calculated=tuple(calculated),
                 filtered=auto_filter is not None
                 and next(_children(auto_filter, "filterColumn"), None) is not None)
