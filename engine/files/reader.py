"""Read .xlsx/.xlsm files, safely, in one pass over each sheet, never writing to them.

Each worksheet's XML is read once: formulas (plain, shared and array), the values Excel cached
(numbers, shared and inline strings, booleans, errors, a formula's empty text), and the sheet's
table parts. Its cells are scanned with one regular expression where they have the forms writers
use (:mod:`.sheet_scan`), the rest of the sheet goes through expat, and a sheet in any other
form goes through expat whole. Defined names come from xl/workbook.xml, strings from the shared
string table. A shared formula's member cells get the master's text moved to their position.

Safety: the package is read into memory and checked before any XML is parsed (an OLE file, a
zip bomb, a listed sheet that is missing), and no part may declare a DTD: expat is told to
refuse one in the parts it reads (whatever their encoding), the other XML parts are scanned for
the declaration. The pivot-free package (``package_without_pivot_tables``) is what openpyxl is
given where it still serves: the writer and the LibreOffice harness.
"""
from __future__ import annotations

import functools
import io
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from xml.parsers import expat

from ..core.cells import Cell, DefinedName, Sheet
from ..core.dates import DATES_1900, DateSystem, date_system
from ..core.errors import WorkbookError
from ..core.r1c1 import MovedFormula
from ..core.references import Range, column_index, parse_cell
from ..core.values import ExcelError, Scalar
from . import sheet_scan
from .tables import parse_table

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PIVOT_PART = re.compile(r"^xl/(pivotTables|pivotCache)/")
_PIVOT_REL = re.compile(rb"<Relationship\b[^>]*Target=\"[^\"]*pivot(Table|CacheDefinition)[^\"]*\"[^>]*/>")
_PIVOT_CACHES = re.compile(rb"<pivotCaches>.*?</pivotCaches>", re.S)
_PIVOT_TYPES = re.compile(rb"<Override\b[^>]*PartName=\"/xl/pivot[^\"]*\"[^>]*/>")
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # refuse zip bombs before anything is inflated


# An encrypted .xlsx is an OLE compound file holding the streams EncryptionInfo and
# EncryptedPackage (MS-OFFCRYPTO); stream names are stored in UTF-16LE.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# OOXML parts never carry a DTD; one that does is an attack (billion laughs, external entities).
_XML_PARTS = (".xml", ".rels", ".vml")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_WORKSHEET_TYPE = re.compile(rb'Type="[^"]*/worksheet"')
_TARGET = re.compile(rb'Target="([^"]*)"')
_CHUNK = 1 << 20  # other parts are inflated and parsed a megabyte at a time
_UNSAFE = "it declares a DTD or entities (as an entity bomb does): refused"


def _ole_reason(data: bytes) -> str:
    if _ENCRYPTED_STREAM in data:
        return "password-protected (encrypted) workbook: save a copy without a password first"
    return "legacy .xls (OLE compound file), not .xlsx/.xlsm: save it as .xlsx first"


def _part_path(base: str, target: str) -> str:
    """A relationship's target as a package path: absolute ("/xl/...") or relative to ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


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
            parts.append(_part_path(_WORKBOOK, target.group(1).decode("utf-8")))
    return parts


def _declares_dtd(body: bytes) -> bool:
    return any(mark in body for mark in _DTD_MARKS)


def _unsafe(part: str, path: str) -> WorkbookError:
    return WorkbookError(f"unsafe XML in {part}: {_UNSAFE}", file=path)


def _open_package(path: str) -> zipfile.ZipFile:
    """The file as a checked zip package in memory, or a WorkbookError saying why not."""
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
    if _WORKBOOK not in names:
        raise WorkbookError("not a spreadsheet package (no xl/workbook.xml)", file=path)
    try:
        for part in _sheet_parts(source, names):
            if part not in names:
                raise WorkbookError(f"the package lists sheet part {part} but does not hold it "
                                    "(truncated or corrupt)", file=path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookError(f"truncated or corrupt zip package ({exc})", file=path) from None
    return source


def package_without_pivot_tables(path: str) -> bytes:
    """The file's bytes as a clean package for openpyxl, or a WorkbookError saying why not.

    Pivot tables are not part of the calculation model and openpyxl 3.1 cannot read some pivot
    caches (it raises a TypeError on collab_filter.xlsx), so their parts are left out."""
    source = _open_package(path)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if _PIVOT_PART.match(info.filename):
                    continue
                body = source.read(info)
                if info.filename.endswith(_XML_PARTS) and _declares_dtd(body):
                    raise _unsafe(info.filename, path)
                # bytes patterns: a part in another encoding passes through untouched to openpyxl
                if info.filename.endswith(".rels"):
                    body = _PIVOT_REL.sub(b"", body)
                elif info.filename == _WORKBOOK:
                    body = _PIVOT_CACHES.sub(b"", body)
                elif info.filename == "[Content_Types].xml":
                    body = _PIVOT_TYPES.sub(b"", body)
                target.writestr(info, body)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookError(f"truncated or corrupt zip package ({exc})", file=path) from None
    return out.getvalue()


# --- streaming XML ---------------------------------------------------------------------------------
Handler = Callable[..., None]


def _local(name: str) -> str:
    """An attribute's name without its namespace prefix (``r:id`` -> ``id``)."""
    return name.rpartition(":")[2]


def _refuse_dtd(*_: object) -> None:
    raise _UnsafeXml


class _UnsafeXml(Exception):
    pass


class _Package:
    """The checked package: its parts parsed with expat, errors naming the file and the part."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.zip = _open_package(path)
        self.names = {i.filename for i in self.zip.infolist()}
        self.parsed: set[str] = set()

    def read(self, part: str) -> bytes:
        """The part's bytes, inflated."""
        try:
            return self.zip.read(part)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise WorkbookError(f"truncated or corrupt zip package ({exc})", file=self.path) from None

    def parse(self, part: str, start: Handler, end: Handler | None = None,
              text: Handler | None = None, data: bytes | None = None) -> None:
        """Stream ``part`` (or ``data``, what was read of it) through expat. Handlers receive
        element names without the prefix the root element has (``x:c`` -> ``c`` where the root
        is ``x:worksheet``)."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd

        def root(name: str, attrs: dict[str, str]) -> None:
            prefix = name[:name.find(":") + 1]
            if prefix:
                def local(name: str) -> str:
                    return name[len(prefix):] if name.startswith(prefix) else name
                parser.StartElementHandler = lambda name, attrs: start(local(name), attrs)
                if end is not None:
                    parser.EndElementHandler = lambda name: end(local(name))
            else:  # the usual case: the handlers are called directly
                parser.StartElementHandler = start
                if end is not None:
                    parser.EndElementHandler = end
            parser.StartElementHandler(name, attrs)

        parser.StartElementHandler = root
        if text is not None:
            parser.CharacterDataHandler = text
        self.parsed.add(part)
        try:
            if data is not None:
                parser.Parse(data, True)
                return
            with self.zip.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _UnsafeXml:
            raise _unsafe(part, self.path) from None
        except expat.ExpatError as exc:
            raise WorkbookError(f"cannot be read as a workbook ({part}: {exc})", file=self.path) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise WorkbookError(f"truncated or corrupt zip package ({exc})", file=self.path) from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``part``'s relationships: id -> (type's last word, target part path)."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self.names:
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                found[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2],
                                              _part_path(part, attrs.get("Target", "")))
        self.parse(rels_part, start)
        return found

    def check_unparsed(self) -> None:
        """Parts not read here are still refused if they declare a DTD (the whole file is)."""
        for info in self.zip.infolist():
            if info.filename.endswith(_XML_PARTS) and info.filename not in self.parsed \
                    and not _PIVOT_PART.match(info.filename):
                if _declares_dtd(self.zip.read(info)):
                    raise _unsafe(info.filename, self.path)


# --- what the workbook part holds --------------------------------------------------------------------
@dataclass
class _SheetEntry:
    name: str
    part: str | None  # None: not a worksheet (a chart sheet, a dialog sheet) or no relationship
    kind: str         # its relationship's type: worksheet, chartsheet, dialogsheet, xlMacrosheet...


def _workbook_part(package: _Package, rels: dict[str, tuple[str, str]]
                   ) -> tuple[list[_SheetEntry], list[tuple[str, int | None, bool, str]], bool]:
    """The sheets in tab order, the defined names: (name, sheet index or None, hidden, text),
    and whether the workbook uses the 1904 date system."""
    entries: list[_SheetEntry] = []
    date1904 = [False]
    names: list[tuple[str, int | None, bool, str]] = []
    pending: list[dict[str, str]] = []
    text: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            kind, target = rels.get(rid or "", ("", ""))
            entries.append(_SheetEntry(attrs.get("name", ""), target if kind == "worksheet" else None,
                                       kind))
        elif name == "definedName":
            pending.append(attrs)
            text.clear()
        elif name == "workbookPr":
            date1904[0] = attrs.get("date1904") in ("1", "true")

    def end(name: str) -> None:
        if name == "definedName" and pending:
            attrs = pending.pop()
            local = attrs.get("localSheetId")
            names.append((attrs.get("name", ""), int(local) if local is not None else None,
                          attrs.get("hidden") in ("1", "true"), "".join(text)))

    package.parse(_WORKBOOK, start, end, lambda data: text.append(data) if pending else None)
    return entries, names, date1904[0]


def _shared_strings(package: _Package, rels: dict[str, tuple[str, str]]) -> list[str]:
    """The shared string table; a rich-text item is its runs' text, phonetic hints left out."""
    targets = [target for kind, target in rels.values() if kind == "sharedStrings"]
    if not targets or targets[0] not in package.names:
        return []
    strings: list[str] = []
    parts: list[str] = []
    depth = {"t": 0, "rPh": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            parts.clear()
        elif name in depth:
            depth[name] += 1

    def end(name: str) -> None:
        if name == "si":
            strings.append("".join(parts))
        elif name in depth:
            depth[name] -= 1

    def text(data: str) -> None:
        if depth["t"] and not depth["rPh"]:
            parts.append(data)

    package.parse(targets[0], start, end, text)
    return strings


# --- one worksheet ---------------------------------------------------------------------------------
_ERROR_TEXT = {e.value: e for e in ExcelError}


def _cached_value(kind: str, text: str | None, strings: list[str], dates: DateSystem) -> Scalar:
    """A ``<v>`` (or inline string) as an engine value; ``kind`` is the cell's ``t``."""
    if text is None:
        return None
    if kind == "n":
        return float(text) if text else None
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "inlineStr"):
        return text  # a formula's empty text result is "", not blank
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e":
        return _ERROR_TEXT.get(text.strip().upper(), ExcelError.VALUE)
    if kind == "d":  # an ISO 8601 date-time
        return dates.from_datetime(datetime.fromisoformat(text.rstrip("Z")))
    raise ValueError(f"unknown cell type t={kind!r}")


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$").match


@functools.lru_cache(maxsize=None)
def _column(letters: str) -> int:
    return column_index(letters)


_FORMULA_TEXT = Cell.formula  # the slot under Cell's ``formula``


class _SharedFormulaMember(Cell):
    """A cell of a shared formula other than its master. The engine computes it from the
    master's IR; its own text (the master's moved here) is written out when first asked for."""

    __slots__ = ("shared_from",)

    def __init__(self, sheet: str, row: int, col: int, cached: Scalar,
                 shared: tuple[MovedFormula, Cell]) -> None:
        """``shared``: the shared formula's text and master, one tuple for all its members."""
        # Cell.__init__'s fields but ``formula``, set here directly: most cells of a workbook
        # are made here, and through super() and the formula setter they took twice the time
        self.sheet, self.row, self.col, self.value, self.cached = sheet, row, col, cached, cached
        self.node = self.array_range = self.master = None
        self.index, self.dirty, self.spills = -1, False, False
        self.shared_from: tuple[MovedFormula, Cell] | None = shared

    @property  # type: ignore[override]
    def formula(self) -> str | None:
        if self.shared_from is not None:
            moved, master = self.shared_from
            self.formula = moved.at(self.row - master.row, self.col - master.col)
        return _FORMULA_TEXT.__get__(self, Cell)

    @formula.setter
    def formula(self, text: str | None) -> None:
        _FORMULA_TEXT.__set__(self, text)
        self.shared_from = None


class _SheetReader:
    """One sheet's cells, from either reading: ``add`` takes one cell as the XML gave it.

    The expat handlers run for every element of a sheet that may hold a million cells, so they
    are closures over local state (cheaper than attributes) and test the most frequent element
    names first. ``same_formula`` maps the shared formula members read to their masters."""

    def __init__(self, name: str, strings: list[str], dates: DateSystem = DATES_1900) -> None:
        self.sheet = Sheet(name)
        self.arrays: list[Cell] = []
        self.same_formula: dict[Cell, Cell] = {}
        self.table_ids: list[str] = []
        self.auto_filter: str | None = None  # the <autoFilter ref=...> being read
        # row and column of the cell being read, for error messages; column 0 between cells
        self.position = where = [0, 0]
        cells = self.sheet.cells
        same_formula = self.same_formula
        shared: dict[str, tuple[MovedFormula, Cell]] = {}  # si -> (its text, its master)

        def add(row: int, col: int, kind: str | None, styled: bool, dynamic: bool,
                formula: dict[str, str] | None, formula_text: str, value: str | None,
                inline: str | None) -> None:
            """One cell: ``kind`` its t (None: a number), ``dynamic`` whether it has cell
            metadata (Excel 365 marks a dynamic array so), ``formula`` the <f>'s attributes."""
            if inline is not None:
                cached: Scalar = inline
            elif kind is None and value:
                cached = float(value)
            else:
                cached = _cached_value(kind or "n", value, strings, dates)
            if formula is None or formula.get("t") == "dataTable":  # a what-if table: values
                if cached is not None or styled:
                    cells[(row, col)] = Cell(name, row, col, cached, None, cached)
                return
            how = formula.get("t")
            if how == "shared":
                si = formula.get("si", "")
                group = shared.get(si)
                if group is not None and not formula_text:
                    member = cells[(row, col)] = _SharedFormulaMember(name, row, col, cached, group)
                    same_formula[member] = group[1]
                    return
            master = cells[(row, col)] = Cell(name, row, col, cached, "=" + formula_text.lstrip("="), cached)
            if how == "shared":
                shared[formula.get("si", "")] = (MovedFormula(master.formula or ""), master)
            elif how == "array":
                master.array_range = Range.parse(formula.get("ref") or master.address, name)
                master.spills = dynamic
                self.arrays.append(master)

        row = col = phonetic = 0
        kind: str | None = None
        styled = dynamic = False
        formula: dict[str, str] | None = None  # the <f> element's attributes
        formula_text = ""
        value: str | None = None
        text: str | None = None     # the text of the <v>, <f> or <t> being read
        inline: list[str] | None = None

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row, col, kind, styled, formula, value, inline, text, phonetic, dynamic
            if tag == "v":
                text = ""
            elif tag == "c":
                ref = attrs.get("r")
                m = _CELL_REF(ref) if ref is not None else None
                if m is not None:
                    row, col = int(m[2]), _column(m[1])
                elif ref is None:
                    col += 1
                else:
                    row, col = parse_cell(ref)
                where[:] = (row, col)
                kind = attrs.get("t")
                styled = attrs.get("s", "0") != "0"
                dynamic = "cm" in attrs
                formula = value = inline = None
            elif tag == "f":
                text = ""
                formula = attrs
            elif tag == "row":
                row = int(attrs["r"]) if "r" in attrs else row + 1
                col = 0
                if attrs.get("hidden") in ("1", "true"):
                    self.sheet.hidden_rows.add(row)
            elif tag == "is":
                inline = []
            elif tag == "t" and inline is not None and not phonetic:
                text = ""
            elif tag == "rPh":
                phonetic += 1
            elif tag == "tablePart":
                self.table_ids.extend(v for k, v in attrs.items() if _local(k) == "id")
            elif tag == "autoFilter":
                self.auto_filter = attrs.get("ref")
            elif tag == "filterColumn" and self.auto_filter:  # a criterion is set: rows it
                self.sheet.filter = Range.parse(self.auto_filter, name)  # hides are filtered out

        def end(tag: str) -> None:
            nonlocal value, formula_text, text, phonetic
            if tag == "v":
                value, text = text, None
            elif tag == "c":
                add(row, col, kind, styled, dynamic, formula, formula_text, value,
                    None if inline is None else "".join(inline))
                where[1] = 0
            elif tag == "f":
                formula_text, text = text or "", None
            elif tag == "t" and inline is not None and text is not None:
                inline.append(text)
                text = None
            elif tag == "rPh":
                phonetic -= 1

        def characters(data: str) -> None:
            nonlocal text
            if text is not None:
                text += data

        self.add, self.start, self.end, self.characters = add, start, end, characters
        self._shared = shared

    def scan(self, xml: str) -> bool:
        """Read a sheetData's content (``sheet_scan.split``'s) from its tokens; False, having
        read nothing that counts, where it holds a form the scan declines or a value that is not
        one (expat then reads the sheet afresh, and reports the first error it meets). The cells
        most sheets are made of (numbers, blanks, shared formula members) are made here; the
        others through ``add``, as expat's reading makes them."""
        add, cells, name, shared = self.add, self.sheet.cells, self.sheet.name, self._shared
        same_formula, hidden_rows = self.same_formula, self.sheet.hidden_rows
        text, attributes = sheet_scan.text, sheet_scan.attributes
        in_row, row = False, 0
        columns: dict[str, int] = {}
        styles: dict[str, tuple[str | None, bool, bool]] = {}  # a cell's attributes but r: t, s, cm
        # an <f>'s attributes (read-only once made), its t and its si
        formulas: dict[str, tuple[dict[str, str], str | None, str]] = {}
        try:
            for (letters, digits, rest, attrs, f, f_attrs, f_text, v, value, inline, inline_text,
                 row_start, row_attrs, closed, row_end, other) in sheet_scan.tokens(xml):
                if letters or attrs:
                    if attrs:  # r is not the first attribute (or not there)
                        found = attributes(attrs)
                        position = sheet_scan.cell_reference(found.pop("r", ""))
                        if position is None:
                            return False
                        letters, digits = position
                        rest = "".join(f' {key}="{val}"' for key, val in found.items())
                    r = int(digits)
                    if not in_row or r != row:
                        return False  # a cell outside its row: expat's reading decides
                    c = columns.get(letters) or columns.setdefault(letters, _column(letters))
                    # the attribute texts repeat from cell to cell: each is read once
                    style = styles.get(rest)
                    if style is None:
                        found = attributes(rest)
                        if "r" in found:
                            return False  # r twice: expat's error
                        style = styles[rest] = (found.get("t"), found.get("s", "0") != "0", "cm" in found)
                    kind = style[0]
                    if not v:
                        value = None
                    elif "&" in value or "\r" in value:
                        value = text(value)
                    if f:
                        formula = formulas.get(f_attrs)
                        if formula is None:
                            found = attributes(f_attrs)
                            formula = formulas[f_attrs] = (found, found.get("t"), found.get("si", ""))
                        if "&" in f_text or "\r" in f_text:
                            f_text = text(f_text)
                        if inline or kind is not None and kind != "n":
                            add(r, c, *style, formula[0], f_text, value, text(inline_text) if inline else None)
                            continue
                        number = float(value) if value else None
                        how = formula[1]
                        if how is None:  # a formula of its own
                            cells[(r, c)] = Cell(name, r, c, number, "=" + f_text.lstrip("="), number)
                            continue
                        group = shared.get(formula[2]) if how == "shared" and not f_text else None
                        if group is not None:  # a shared formula's member
                            member = cells[(r, c)] = _SharedFormulaMember(name, r, c, number, group)
                            same_formula[member] = group[1]
                        else:
                            add(r, c, *style, formula[0], f_text, value, None)
                    elif inline or kind is not None and kind != "n":
                        add(r, c, *style, None, "", value, text(inline_text) if inline else None)
                    elif value:
                        number = float(value)
                        cells[(r, c)] = Cell(name, r, c, number, None, number)
                    elif style[1]:  # a blank that exists: styled
                        cells[(r, c)] = Cell(name, r, c)
                elif row_start:
                    if in_row:
                        return False
                    found = attributes(row_attrs)
                    if "r" not in found:
                        return False  # numbered by position: expat's reading keeps count
                    row = int(found["r"])
                    if found.get("hidden") in ("1", "true"):
                        hidden_rows.add(row)
                    in_row = not closed
                elif row_end and in_row:
                    in_row = False
                else:  # anything else
                    return False
        except (sheet_scan.NotPlain, ValueError, IndexError, KeyError):
            # a value that is not one: expat's reading reports it, or what is malformed before it
            return False
        return not in_row

    def array_members(self) -> None:
        """The other cells of each array formula point at its master and keep their cached value."""
        cells, name = self.sheet.cells, self.sheet.name
        for master in self.arrays:
            assert master.array_range is not None
            for row, col in master.array_range.cells():
                if (row, col) == (master.row, master.col):
                    continue
                found = cells.get((row, col))
                cached = None if found is None else found.cached
                member = Cell(name, row, col, cached, None, cached)
                member.master = master
                cells[(row, col)] = member


@dataclass
class WorkbookFile:
    """What the engine takes from a workbook file."""
    sheets: list[Sheet]
    names: dict[str, DefinedName]                  # workbook scope; sheet scope is on each Sheet
    # member cell of a shared formula -> its master: the same formula in R1C1 terms
    same_formula: dict[Cell, Cell] = field(default_factory=dict)
    # sheet name -> its Excel Tables' parts as (part path, XML bytes), for the table model
    table_parts: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    # every sheet in tab order as (name, kind): chart and dialog sheets too, which hold no cells
    tabs: list[tuple[str, str]] = field(default_factory=list)
    date1904: bool = False  # <workbookPr date1904="1"/>: serial 0 is 1 January 1904

    @property
    def order(self) -> list[str]:
        return [s.name for s in self.sheets]


def _scanned(package: _Package, part: str, data: bytes, reader: _SheetReader) -> bool:
    """Whether the scan read the sheet's cells and expat the rest of it; False where the scan
    declines, or where the rest is malformed (expat's message then gives the line and column of
    the part without its cells: expat reads the whole sheet again to report it)."""
    halves = sheet_scan.split(data)
    if halves is None or not reader.scan(halves[1]):
        return False
    try:
        package.parse(part, reader.start, reader.end, reader.characters, data=halves[0])
    except WorkbookError:
        return False
    return True


def _read_sheet(package: _Package, name: str, part: str, strings: list[str],
                same_formula: dict[Cell, Cell], dates: DateSystem
                ) -> tuple[Sheet, list[tuple[str, bytes]]]:
    reader = _SheetReader(name, strings, dates)
    try:
        data = package.read(part)
        if not _scanned(package, part, data, reader):  # expat reads the whole sheet, afresh
            reader = _SheetReader(name, strings, dates)
            package.parse(part, reader.start, reader.end, reader.characters, data=data)
    except (ValueError, IndexError, KeyError) as exc:  # a value or reference that is not one
        row, col = reader.position
        cell = f", cell {Cell(name, row, col).address}" if col else ""
        raise WorkbookError(f"cannot be read as a workbook ({part}{cell}: {exc})",
                            file=package.path, sheet=name) from None
    same_formula.update(reader.same_formula)
    reader.array_members()
    tables = []
    if reader.table_ids:
        rels = package.relationships(part)
        for rid in reader.table_ids:
            kind, target = rels.get(rid, ("", ""))
            if kind == "table" and target in package.names:
                body = package.zip.read(target)
                if _declares_dtd(body):
                    raise _unsafe(target, package.path)
                package.parsed.add(target)
                tables.append((target, body))
    return reader.sheet, tables


def read_workbook(path: str) -> WorkbookFile:
    """Sheets with their cells and sheet-scoped names, workbook-scoped names, shared formulas."""
    package = _Package(path)
    rels = package.relationships(_WORKBOOK)
    entries, defined, date1904 = _workbook_part(package, rels)
    strings = _shared_strings(package, rels)
    book = WorkbookFile([], {}, tabs=[(entry.name, entry.kind) for entry in entries],
                        date1904=date1904)
    by_index: dict[int, Sheet] = {}
    for index, entry in enumerate(entries):
        if entry.part is None:
            continue
        sheet, tables = _read_sheet(package, entry.name, entry.part, strings, book.same_formula,
                                    date_system(date1904))
        book.sheets.append(sheet)
        by_index[index] = sheet
        if tables:
            book.table_parts[sheet.name] = tables
            sheet.tables = [parse_table(part, body, sheet.name, path) for part, body in tables]
    package.check_unparsed()
    for name, index, hidden, text in defined:
        if name.startswith("_xlnm."):  # print areas, filters: Excel's own, not for formulas
            continue
        if index is None:
            book.names[name.upper()] = DefinedName(name, text, None, hidden)
        elif index in by_index:
            scoped = by_index[index]
            scoped.names[name.upper()] = DefinedName(name, text, scoped.name, hidden)
    return book


def read_cells(path: str) -> tuple[list[Sheet], dict[str, DefinedName], list[str]]:
    """Sheets with their cells and sheet-scoped names, workbook-scoped names, sheet order."""
    book = read_workbook(path)
    return book.sheets, book.names, book.order
