"""Save a workbook's new values into a copy of its source file, keeping everything else.

The copy is the source package with only the changed cells patched into their sheets' XML: a
changed constant gets its new value, a formula cell keeps its formula and gets the engine's
value as its cached result, so a reader that does not recalculate (a viewer, pandas, openpyxl's
``data_only``) shows the numbers. Every other part is copied byte for byte: pivot tables,
drawings, shapes, charts, tables, the VBA project, styles, names, the calculation chain, and
the sheets in which nothing changed. Constants that become text are written as inline strings,
so the shared-string table stays as it is. The source file is never opened for writing, and the
copy appears atomically.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile

from lxml import etree

from ..core.errors import WorkbookError
from ..core.references import cell_name
from ..core.values import ExcelError
from .atomic import atomic_path, check_directory
from .reader import package_without_pivot_tables

Change = tuple[str, int, int, object]  # (sheet, row, column, new value)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
# the workbook part's content type -> the extension Excel requires for it
EXTENSIONS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ".xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ".xlsm",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ".xltx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ".xltm",
}
_WORKBOOK_TYPE = re.compile(rb'PartName="/xl/workbook\.xml"\s+ContentType="([^"]+)"')
# OOXML parts never carry a DTD; the parser refuses entities and the network as well
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def package_extension(source: str) -> str:
    """The extension the package's type asks for: .xlsx, .xlsm (macros), .xltx or .xltm."""
    try:
        with zipfile.ZipFile(source) as package:
            types = package.read("[Content_Types].xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        package_without_pivot_tables(source)  # raises the reader's one-line reason
        raise WorkbookError("not a workbook package (no [Content_Types].xml)", file=source) from None
    found = _WORKBOOK_TYPE.search(types) or re.search(
        rb'ContentType="([^"]+)"\s+PartName="/xl/workbook\.xml"', types)
    kind = found.group(1).decode() if found else ""
    if kind not in EXTENSIONS:
        raise WorkbookError(f"unknown workbook type {kind!r}", file=source)
    return EXTENSIONS[kind]


def check_output(source: str, out: str) -> None:
    """Everything about ``out`` that can be known before any work: not the source itself, an
    extension that matches the package type, a writable folder that exists."""
    if os.path.abspath(out) == os.path.abspath(source) or (
            os.path.exists(out) and os.path.samefile(out, source)):
        raise WorkbookError("refusing to overwrite the source workbook; choose another output path",
                            file=out)
    wanted = package_extension(source)
    given = os.path.splitext(out)[1].lower()
    if given != wanted:
        kind = "a macro-enabled workbook" if wanted in (".xlsm", ".xltm") else "a workbook without macros"
        raise WorkbookError(f"the copy of {os.path.basename(source)} is {kind}: name it {wanted}, "
                            f"not {given or 'without an extension'} (Excel refuses a mismatch)", file=out)
    check_directory(os.path.dirname(os.path.abspath(out)))


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its worksheet part ("xl/worksheets/sheet3.xml"), from the workbook's
    relationships."""
    workbook = etree.fromstring(package.read("xl/workbook.xml"), _PARSER)
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"), _PARSER)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(_q("sheet")):
        target = targets[sheet.get(f"{{{RELATIONSHIPS}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
    return parts


def _row_element(sheet_data: etree._Element, row: int) -> etree._Element:
    """The <row r=row>, made in its place (rows are in ascending order) if missing."""
    for element in sheet_data.iterchildren(_q("row")):
        number = int(element.get("r"))
        if number == row:
            return element
        if number > row:
            new = etree.Element(_q("row"), r=str(row))
            element.addprevious(new)
            return new
    return etree.SubElement(sheet_data, _q("row"), r=str(row))


def _cell_element(row_element: etree._Element, row: int, col: int) -> etree._Element:
    """The <c r="A1">, made in its place (cells are in column order) if missing."""
    address = cell_name(row, col)
    for element in row_element.iterchildren(_q("c")):
        other = element.get("r")
        if other == address:
            return element
        if _column(other) > col:
            new = etree.Element(_q("c"), r=address)
            element.addprevious(new)
            break
    else:
        new = etree.SubElement(row_element, _q("c"), r=address)
    row_element.attrib.pop("spans", None)  # an optional hint, which the new cell may widen
    return new


def _column(address: str) -> int:
    number = 0
    for char in address:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


def _set_value(cell: etree._Element, value: object) -> None:
    """Write ``value`` into the cell: a formula's cached result, or a constant."""
    formula = cell.find(_q("f")) is not None
    for old in cell.findall(_q("v")) + cell.findall(_q("is")):
        cell.remove(old)
    if value is None:
        cell.attrib.pop("t", None)
        return
    if isinstance(value, str) and not formula:
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, _q("is"))
        etree.SubElement(inline, _q("t")).text = value
        if value != value.strip():
            inline[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return
    if isinstance(value, bool):
        kind, text = "b", "1" if value else "0"
    elif isinstance(value, ExcelError):
        kind, text = "e", value.value
    elif isinstance(value, str):
        kind, text = "str", value
    else:
        kind, text = None, repr(float(value))  # repr: the shortest text that reads back exactly
    if kind is None:
        cell.attrib.pop("t", None)
    else:
        cell.set("t", kind)
    etree.SubElement(cell, _q("v")).text = text


def _number_rows_and_cells(sheet_data: etree._Element) -> None:
    """Give every row and cell its ``r`` (optional in OOXML: a missing one follows the one
    before), so that changes can be placed by number."""
    row_number = 0
    for row in sheet_data.iterchildren(_q("row")):
        row_number = int(row.get("r") or row_number + 1)
        row.set("r", str(row_number))
        col = 0
        for cell in row.iterchildren(_q("c")):
            col = _column(cell.get("r")) if cell.get("r") else col + 1
            cell.set("r", cell_name(row_number, col))


def _patched(xml: bytes, changes: list[Change]) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    sheet_data = root.find(_q("sheetData"))
    _number_rows_and_cells(sheet_data)
    # rows and cells looked up by number (a scan per change made a large save quadratic)
    rows = {int(r.get("r")): r for r in sheet_data.iterchildren(_q("row"))}
    cells_of: dict[int, dict[str, etree._Element]] = {}
    for _, row, col, value in sorted(changes, key=lambda c: (c[1], c[2])):
        row_element = rows.get(row)
        if row_element is None:
            row_element = rows[row] = _row_element(sheet_data, row)
        cells = cells_of.get(row)
        if cells is None:
            cells = cells_of[row] = {c.get("r"): c for c in row_element.iterchildren(_q("c"))}
        address = cell_name(row, col)
        cell = cells.get(address)
        if cell is None:
            cell = cells[address] = _cell_element(row_element, row, col)
        _set_value(cell, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def save_values(source: str, changes: list[Change], out: str) -> str:
    """Copy ``source`` to ``out`` with ``changes`` patched into the cells of their sheets."""
    check_output(source, out)
    by_sheet: dict[str, list[Change]] = {}
    for change in changes:
        by_sheet.setdefault(change[0], []).append(change)
    with open(source, "rb") as fh:
        data = fh.read()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = sheet_parts(package)
        missing = sorted(set(by_sheet) - set(parts))
        if missing:
            raise WorkbookError(f"no sheet named {missing[0]!r} in the package", file=source)
        replaced = {parts[sheet]: _patched(package.read(parts[sheet]), cells)
                    for sheet, cells in by_sheet.items()}
        with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as target:
            for info in package.infolist():
                target.writestr(info, replaced.get(info.filename, package.read(info)))
    return out
