"""Read .xlsx/.xlsm files with openpyxl, safely and without ever writing to them.

openpyxl is loaded twice, once for formulas and once for the values Excel cached. XML is parsed
through defusedxml (openpyxl uses it when installed), so entity bombs are refused. Pivot tables
are not part of the calculation model and openpyxl 3.1 cannot read some pivot caches (it raises a
TypeError on collab_filter.xlsx), so their parts are left out of the package before it is read.
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import posixpath
import re
import warnings
import zipfile
import zlib
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula

from ..core.cells import Cell, DefinedName, Sheet
from ..core.errors import WorkbookError
from ..core.references import Range
from ..core.values import ExcelError, Scalar

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PIVOT_PART = re.compile(r"^xl/(pivotTables|pivotCache)/")
_PIVOT_REL = re.compile(rb"<Relationship\b[^>]*Target=\"[^\"]*pivot(Table|CacheDefinition)[^\"]*\"[^>]*/>")
_PIVOT_CACHES = re.compile(rb"<pivotCaches>.*?</pivotCaches>", re.S)
_PIVOT_TYPES = re.compile(rb"<Override\b[^>]*PartName=\"/xl/pivot[^\"]*\"[^>]*/>")
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # refuse zip bombs before openpyxl inflates them


# An encrypted .xlsx is an OLE compound file holding the streams EncryptionInfo and
# EncryptedPackage (MS-OFFCRYPTO); stream names are stored in UTF-16LE.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# OOXML parts never carry a DTD; one that does is an attack (billion laughs, external entities).
_XML_PARTS = (".xml", ".rels", ".vml")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_WORKSHEET_TYPE = re.compile(rb'Type="[^"]*/worksheet"')
_TARGET = re.compile(rb'Target="([^"]*)"')


def _ole_reason(data: bytes) -> str:
    if _ENCRYPTED_STREAM in data:
        return "password-protected (encrypted) workbook: save a copy without a password first"
    return "legacy .xls (OLE compound file), not .xlsx/.xlsm: save it as .xlsx first"


def _sheet_parts(source: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The worksheet parts xl/workbook.xml's relationships point at, as package paths."""
    if _WORKBOOK_RELS not in names:
        return []
    rels = source.read(_WORKBOOK_RELS)
    parts = []
    for relationship in _RELATIONSHIP.findall(rels):
        if not _WORKSHEET_TYPE.search(relationship):
            continue
        target = _TARGET.search(relationship)
        if target is not None:
            ref = target.group(1).decode("utf-8")
            parts.append(ref.lstrip("/") if ref.startswith("/") else posixpath.normpath("xl/" + ref))
    return parts


def _declares_dtd(body: bytes) -> bool:
    return any(mark in body for mark in _DTD_MARKS)


def package_without_pivot_tables(path: str) -> bytes:
    """The file's bytes as a clean package for openpyxl, or a WorkbookError saying why not."""
    if not os.path.exists(path):
        raise WorkbookError("no such file", file=path)
    if os.path.isdir(path):
        raise WorkbookError("is a directory, not a workbook", file=path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise WorkbookError(f"cannot read: {exc.strerror}", file=path) from None
    if data.startswith(_OLE_MAGIC):
        raise WorkbookError(_ole_reason(data), file=path)
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        infos = source.infolist()
    except zipfile.BadZipFile:
        kind = "truncated or corrupt zip package" if data.startswith(b"PK") else "not an .xlsx/.xlsm file (not a zip package)"
        raise WorkbookError(kind, file=path) from None
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise WorkbookError("package inflates to more than 512 MB: refused", file=path)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise WorkbookError("not a spreadsheet package (no xl/workbook.xml)", file=path)
    for part in _sheet_parts(source, names):
        if part not in names:
            # openpyxl would silently leave the sheet out
            raise WorkbookError(f"the package lists sheet part {part} but does not hold it "
                                "(truncated or corrupt)", file=path)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                if _PIVOT_PART.match(info.filename):
                    continue
                body = source.read(info)
                if info.filename.endswith(_XML_PARTS) and _declares_dtd(body):
                    raise WorkbookError(f"unsafe XML in {info.filename}: it declares a DTD or entities "
                                        "(as an entity bomb does): refused", file=path)
                # bytes patterns: a part in another encoding passes through untouched to openpyxl
                if info.filename.endswith(".rels"):
                    body = _PIVOT_REL.sub(b"", body)
                elif info.filename == "xl/workbook.xml":
                    body = _PIVOT_CACHES.sub(b"", body)
                elif info.filename == "[Content_Types].xml":
                    body = _PIVOT_TYPES.sub(b"", body)
                target.writestr(info, body)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookError(f"truncated or corrupt zip package ({exc})", file=path) from None
    return out.getvalue()


def _load(data: bytes, path: str, data_only: bool) -> Any:
    try:
        # openpyxl warns on stderr about parts it drops or does not support; the command line
        # promises one line there, and the engine only needs the cells and names.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False,
                                          rich_text=False)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl and the XML parsers raise many types on bad input
        raise WorkbookError(_load_failure(exc), file=path) from None


def _load_failure(exc: BaseException) -> str:
    """One line saying why openpyxl failed; it wraps the parser's error, so look down the chain."""
    chain = [exc]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and cause not in chain:
        chain.append(cause)
    if any(isinstance(e, DefusedXmlException) for e in chain):
        return "unsafe XML (a DTD or entity declarations, as in an entity bomb): refused"
    root = chain[-1]
    detail = str(root).splitlines()[0] if str(root) else ""
    return f"cannot be read as a workbook ({type(root).__name__}: {detail})"


def _scalar(value: Any, data_type: str) -> Scalar:
    """An openpyxl cell value as an engine value."""
    if value is None:
        return None
    if data_type == "e":
        return ExcelError.from_text(value) if ExcelError.is_error_text(str(value)) else ExcelError.VALUE
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return float(to_excel(value))
    return str(value)


def _cached(values_ws: Any, row: int, col: int) -> Scalar:
    xc = values_ws._cells.get((row, col))
    return None if xc is None else _scalar(xc.value, xc.data_type)


def read_cells(path: str) -> tuple[list[Sheet], dict[str, DefinedName], list[str]]:
    """Sheets with their cells and sheet-scoped names, workbook-scoped names, sheet order."""
    data = package_without_pivot_tables(path)
    formulas = _load(data, path, data_only=False)
    cached = _load(data, path, data_only=True)
    sheets: list[Sheet] = []
    for ws in formulas.worksheets:
        sheet = Sheet(ws.title)
        values_ws = cached[ws.title]
        # ws._cells holds only the cells the file has; iter_rows() would create the empty ones.
        for (row, col), xc in ws._cells.items():
            raw = xc.value
            cached_value = _cached(values_ws, row, col)
            if isinstance(raw, ArrayFormula):
                cell = Cell(ws.title, row, col, cached_value, "=" + raw.text.lstrip("="), cached_value)
                cell.array_range = Range.parse(raw.ref, ws.title)
            elif xc.data_type == "f" and isinstance(raw, str):
                cell = Cell(ws.title, row, col, cached_value, raw, cached_value)
            else:
                value = _scalar(raw, xc.data_type)
                if value is None and xc.style_id == 0:
                    continue
                cell = Cell(ws.title, row, col, value, None, value)
            sheet.cells[(row, col)] = cell
        for master in [c for c in sheet.cells.values() if c.array_range is not None]:
            for row, col in master.array_range.cells():
                if (row, col) == (master.row, master.col):
                    continue
                member_cached = _cached(values_ws, row, col)
                member = Cell(ws.title, row, col, member_cached, None, member_cached)
                member.master = master
                sheet.cells[(row, col)] = member
        for name, dn in ws.defined_names.items():
            sheet.names[name.upper()] = DefinedName(name, dn.attr_text or "", ws.title, bool(dn.hidden))
        sheets.append(sheet)
    names = {name.upper(): DefinedName(name, dn.attr_text or "", None, bool(dn.hidden))
             for name, dn in formulas.defined_names.items() if not name.startswith("_xlnm.")}
    return sheets, names, [s.name for s in sheets]
