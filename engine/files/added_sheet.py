"""Add a worksheet of values to a saved .xlsx/.xlsm package (the Solver's Answer Report).

The package is edited part by part, the way Excel itself would list a new last sheet: a new
``xl/worksheets/sheetN.xml`` (numbers as numbers, text as inline strings, so the shared-string
table is untouched), its relationship in ``xl/_rels/workbook.xml.rels``, its ``<sheet>`` entry in
``xl/workbook.xml`` and its content type. Sheet-scoped names keep their ``localSheetId``: the
new sheet comes after every existing one. Everything else is copied byte for byte.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from typing import Sequence
from xml.sax.saxutils import escape

from lxml import etree

from ..core.errors import WorkbookError
from ..core.references import cell_name
from .atomic import write_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

Value = float | int | str | None


def add_sheet(path: str, title: str, rows: Sequence[Sequence[Value]]) -> None:
    """Append a sheet named ``title`` holding ``rows`` (from A1) to the package at ``path``."""
    with open(path, "rb") as fh:
        data = fh.read()
    write_bytes(path, with_sheet(data, title, rows))


def with_sheet(package: bytes, title: str, rows: Sequence[Sequence[Value]]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    names = source.namelist()
    workbook = etree.fromstring(source.read("xl/workbook.xml"))
    sheets = workbook.find(f"{{{MAIN}}}sheets")
    if any(s.get("name", "").lower() == title.lower() for s in sheets):
        raise WorkbookError(f"the workbook already has a sheet named {title!r}")
    number = 1 + max((int(m.group(1)) for n in names
                      if (m := re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", n))), default=0)
    part = f"worksheets/sheet{number}.xml"
    rels = etree.fromstring(source.read("xl/_rels/workbook.xml.rels"))
    rel_id = "rId" + str(1 + max((int(m.group(1)) for r in rels
                                   if (m := re.fullmatch(r"rId(\d+)", r.get("Id", "")))), default=0))
    etree.SubElement(rels, f"{{{PACKAGE_REL}}}Relationship", Id=rel_id, Type=WORKSHEET_REL, Target=part)
    sheet = etree.SubElement(sheets, f"{{{MAIN}}}sheet",
                             name=title, sheetId=str(1 + max(int(s.get("sheetId")) for s in sheets)))
    sheet.set(f"{{{REL}}}id", rel_id)
    types = etree.fromstring(source.read("[Content_Types].xml"))
    etree.SubElement(types, f"{{{TYPES}}}Override", PartName=f"/xl/{part}", ContentType=WORKSHEET_TYPE)
    replaced = {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels,
                "[Content_Types].xml": types}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename in replaced:
                body = etree.tostring(replaced[info.filename], xml_declaration=True,
                                      encoding="UTF-8", standalone=True)
            target.writestr(info, body)
        target.writestr(f"xl/{part}", _worksheet(rows))
    return out.getvalue()


def _worksheet(rows: Sequence[Sequence[Value]]) -> str:
    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(r, c, v) for c, v in enumerate(row, start=1) if v is not None)
        if cells:
            lines.append(f'<row r="{r}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    return "".join(lines)


def _cell(row: int, col: int, value: Value) -> str:
    ref = cell_name(row, col)
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise WorkbookError(f"cannot write {number!r} into cell {ref}")
    return f'<c r="{ref}"><v>{number!r}</v></c>'


__all__ = ["add_sheet", "with_sheet"]
