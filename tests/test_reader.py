"""The reader: every form a cell takes in a sheet's XML, shared formulas, and each distinct formula
parsed once.

Cells are written into a real package (openpyxl's, with the sheet's ``sheetData`` replaced) as
ECMA-376 Part 1 §18.3.1 defines them: ``t`` is the cell's type (``s`` shared string, ``str`` a
formula's text, ``inlineStr``, ``b``, ``e``, ``d`` ISO 8601, ``n`` or nothing a number), ``<f>``
its formula, ``<v>`` the value last calculated. A shared formula (§18.3.1.40) is written on its
master cell only; its other cells carry ``<f t="shared" si="N"/>`` and read it moved to their
own position, as openpyxl's Translator (an independent implementation) also moves it.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from cellgrad import Workbook
from cellgrad.core.cells import Cell
from cellgrad.core.parser import parse_formula
from cellgrad.core.r1c1 import ColumnFills, MovedFormula, r1c1_key
from cellgrad.core.values import ExcelError, Scalar
from cellgrad.files import sheet_scan
from cellgrad.files.reader import _SharedFormulaMember, _SheetReader, read_workbook
from openpyxl.formula.translate import Translator

from .builder import with_part, write_workbook
from .conftest import ROOT, reference_path

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
                  b'uniqueCount="2"><si><t>zero</t></si><si><r><t>o</t></r><r><t>ne</t></r></si></sst>')


def package(tmp_path: Path, sheet_data: str, *, root: str = "worksheet") -> Path:
    """A workbook with one sheet S whose sheetData is ``sheet_data`` and with the shared strings
    "zero" and "one" (openpyxl writes none: it writes its strings inline)."""
    written = write_workbook(tmp_path / "written.xlsx", {"S": {"A1": 1}})
    base = with_part(written, "xl/_rels/workbook.xml.rels", lambda body: body.replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas'
        b'.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'),
        tmp_path / "base.xlsx", extra={"xl/sharedStrings.xml": SHARED_STRINGS})

    def edit(body: bytes) -> bytes:
        text = re.sub(r"<sheetData>.*</sheetData>", lambda _: f"<sheetData>{sheet_data}</sheetData>",
                      body.decode("utf-8"), flags=re.S)
        if root != "worksheet":  # the same document with every element prefixed
            prefix = root.split(":")[0]
            text = re.sub(r"<(/?)(\w+)", rf"<\1{prefix}:\2", text)
            text = text.replace("xmlns=", f"xmlns:{prefix}=")
        return text.encode("utf-8")
    return with_part(base, SHEET, edit, tmp_path / "cells.xlsx")


@dataclass(frozen=True)
class CellXml:
    xml: str                 # the <c> element, at A1 of a <row r="1">
    cached: Scalar           # the value Excel cached, as the engine holds it
    formula: str | None = None


CELLS = {
    "number": CellXml('<c r="A1"><v>1.5</v></c>', 1.5),
    "number, t=n": CellXml('<c r="A1" t="n"><v>-2E-3</v></c>', -0.002),
    "shared string": CellXml('<c r="A1" t="s"><v>1</v></c>', "one"),
    "inline string": CellXml('<c r="A1" t="inlineStr"><is><t>hi</t></is></c>', "hi"),
    "inline rich text, phonetic run left out": CellXml(
        '<c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r>'
        '<rPh sb="0" eb="1"><t>x</t></rPh></is></c>', "a b"),
    "boolean": CellXml('<c r="A1" t="b"><v>1</v></c>', True),
    "error": CellXml('<c r="A1" t="e"><v>#DIV/0!</v></c>', ExcelError.DIV0),
    "ISO 8601 date (1900 system)": CellXml('<c r="A1" t="d"><v>2020-01-02T12:00:00</v></c>', 43832.5),
    "date before 1 March 1900": CellXml('<c r="A1" t="d"><v>1900-02-28T00:00:00</v></c>', 59.0),
    "formula's empty text is text, not blank (issue 9)": CellXml(
        '<c r="A1" t="str"><f>""</f><v></v></c>', "", '=""'),
    "the same, <v/>": CellXml('<c r="A1" t="str"><f>""</f><v/></c>', "", '=""'),
    "formula without a cached value": CellXml('<c r="A1"><f>1+1</f><v></v></c>', None, "=1+1"),
    "formula with escaped characters": CellXml(
        '<c r="A1" t="str"><f>IF(1&lt;2,"a&amp;b","")</f><v>a&amp;b</v></c>', "a&b", '=IF(1<2,"a&b","")'),
    "formula's boolean": CellXml('<c r="A1" t="b"><f>1=1</f><v>1</v></c>', True, "=1=1"),
    "formula's error": CellXml('<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', ExcelError.DIV0, "=1/0"),
    "styled, empty: a blank cell that exists": CellXml('<c r="A1" s="1"/>', None),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=name) for name, c in CELLS.items()])
def test_cell_forms(case: CellXml, tmp_path: Path) -> None:
    for root in ("worksheet", "x:worksheet"):
        book = read_workbook(str(package(tmp_path, f'<row r="1">{case.xml}</row>', root=root)))
        cell = book.sheets[0].cells[(1, 1)]
        assert type(cell.cached) is type(case.cached) and cell.cached == case.cached, root
        assert cell.value is cell.cached
        assert cell.formula == case.formula


def test_an_unstyled_empty_cell_is_not_kept(tmp_path: Path) -> None:
    book = read_workbook(str(package(tmp_path, '<row r="1"><c r="A1"/><c r="B1"><v>2</v></c></row>')))
    assert set(book.sheets[0].cells) == {(1, 2)}


def test_positions_without_r_follow_the_previous_cell(tmp_path: Path) -> None:
    """``r`` is optional on <row> and <c>: a row follows the previous one, a cell its neighbour."""
    book = read_workbook(str(package(tmp_path, '<row r="2"><c r="C2"><v>1</v></c><c><v>2</v></c></row>'
                                               '<row><c><v>3</v></c></row>')))
    assert {k: c.cached for k, c in book.sheets[0].cells.items()} == {(2, 3): 1.0, (2, 4): 2.0, (3, 1): 3.0}


def test_array_formula_members_point_at_their_master(tmp_path: Path) -> None:
    book = read_workbook(str(package(tmp_path, '<row r="1"><c r="A1"><f t="array" ref="A1:B2">{1,2;3,4}</f>'
                                               '<v>1</v></c><c r="B1"><v>2</v></c></row>'
                                               '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><v>4</v></c></row>')))
    cells = book.sheets[0].cells
    master = cells[(1, 1)]
    assert master.formula == "={1,2;3,4}" and str(master.array_range) == "S!A1:B2"
    assert [(cells[k].master is master, cells[k].cached) for k in ((1, 2), (2, 1), (2, 2))] == \
        [(True, 2.0), (True, 3.0), (True, 4.0)]


SHARED_FORMULAS = ["A1*2", "$A$1+A1", "SUM(A:A)+SUM(1:1)", "'S 2'!B3&\"A1\"", "LOG10(A1)+Sheet1!A1",
                   "SUM($A1:A$2)", "OFFSET(A1,1,1):C5"]


@pytest.mark.parametrize("text", SHARED_FORMULAS)
def test_shared_formula_members_read_the_master_moved(text: str, tmp_path: Path) -> None:
    """Each member's text is the master's as Excel moves it; all share the master's IR."""
    escaped = text.replace("&", "&amp;").replace('"', "&quot;")
    members = "".join(f'<row r="{r}"><c r="D{r}"><f t="shared" si="0"/></c><c r="E{r}"><f t="shared" si="0"/></c></row>'
                      for r in (3, 4))
    path = package(tmp_path, f'<row r="2"><c r="D2"><f t="shared" ref="D2:E4" si="0">{escaped}</f></c>'
                             f'<c r="E2"><f t="shared" si="0"/></c></row>{members}')
    cells = read_workbook(str(path)).sheets[0].cells
    for (row, col), cell in cells.items():
        origin = f"{'DE'[col - 4]}{row}"
        assert cell.formula == Translator("=" + text, origin="D2").translate_formula(origin)
    book = Workbook.load(path)
    master = book.sheets["S"].cells[(2, 4)].node
    assert all(c.node is master for c in book.sheets["S"].cells.values())


def test_a_moved_reference_off_the_grid_is_ref() -> None:
    moved = MovedFormula("=A2+$A$1+SUM(B2:C3)+Z:Z")
    assert moved.at(-1, 0) == "=A1+$A$1+SUM(B1:C2)+Z:Z"
    assert moved.at(-2, 0) == "=#REF!+$A$1+SUM(#REF!)+Z:Z"
    assert moved.at(0, 16384 - 1) == "=XFD2+$A$1+SUM(#REF!)+#REF!"


# (formula, row, col) sets: formulas of one set have one R1C1 form; of different sets, not.
R1C1_SETS = [
    [("=B2*2", 2, 3), ("=B3*2", 3, 3), ("=C9*2", 9, 4)],
    [("=B2*2", 3, 3)],
    [("=$B$2*2", 2, 3), ("=$B$2*2", 7, 1)],
    [("=SUM(A:A)", 5, 5), ("=SUM(B:B)", 9, 6)],
    [("=SUM(1:1)", 5, 5), ("=SUM(2:2)", 6, 1)],
    [('="A1"&A1', 1, 1), ('="A1"&A2', 2, 1)],
    [('="A1"&A1', 2, 1)],
    [("=LOG10(A1)", 1, 2), ("=LOG10(A2)", 2, 2)],
    [("='A1'!A1", 1, 1), ("='A1'!B1", 1, 2)],
    [("=IF($K3=O$2,1,0)", 3, 15), ("=IF($K4=P$2,1,0)", 4, 16)],
    [("=IF($K3=O$2,1,0)", 4, 15)],
]


def test_r1c1_keys_group_exactly_the_same_formulas() -> None:
    """Same key exactly when the same IR: the key is what lets cells share one parse."""
    rows = [(text, row, col, i) for i, group in enumerate(R1C1_SETS) for text, row, col in group]
    for text, row, col, group in rows:
        for other, orow, ocol, ogroup in rows:
            same_key = r1c1_key(text, row, col) == r1c1_key(other, orow, ocol)
            same_ir = parse_formula(text, row, col, sheet="S") == parse_formula(other, orow, ocol, sheet="S")
            assert same_key == same_ir == (group == ogroup), (text, other)


# one column's formulas from row 2 down (C2, C3, ...)
COLUMN_FILLS = [
    ["=B2*2", "=B3*2", "=B4*2"],
    ["=B2*2", "=B2*2", "=B4*2", "=B5*2"],
    ["=$B$2+A2", "=$B$2+A3", "=$B$3+A4"],
    ['="A2"&A2', '="A2"&A3', '="A3"&A4'],
    ["=SUM(A:A)+SUM(1:2)", "=SUM(A:A)+SUM(2:3)", "=SUM(B:B)+SUM(3:4)"],
    ["=LOG10(A2)", "=LOG10(A3)", "=LOG10(A3)"],
    ["='A2'!A2", "='A2'!A3", "='A3'!A4"],
    ["=A1048575", "=A1048576", "=#REF!", "=#REF!"],
    ["=Table1[[#This Row],[B1]]", "=Table1[[#This Row],[B1]]"],
]


@pytest.mark.parametrize("texts", COLUMN_FILLS, ids=[t[0] for t in COLUMN_FILLS])
def test_a_column_fill_is_joined_exactly_when_its_r1c1_form_is_the_cell_aboves(texts) -> None:
    """ColumnFills finds a cell's R1C1 form from the cell above without computing its key."""
    fills = ColumnFills()
    above = None
    for row, text in enumerate(texts, start=2):
        key = r1c1_key(text, row, 3)
        found = fills.find(row, 3, text)
        assert found == (key if key is not None and key == above else None), text
        if found is None and key is not None:
            fills.start(row, 3, text, key)
        above = key


def test_a_structured_reference_has_no_r1c1_key() -> None:
    assert r1c1_key("=Table1[[#This Row],[B1]]", 2, 2) is None


def test_each_distinct_formula_is_parsed_once(monkeypatch) -> None:
    """collab_filter's 10,879 formula cells are 28 formulas in R1C1 terms, each parsed once."""
    parsed = []
    original = Workbook._parse

    def counting(self, cell):
        parsed.append(cell)
        return original(self, cell)
    monkeypatch.setattr(Workbook, "_parse", counting)
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    distinct = {(c.sheet, id(c.node)) for c in book.formula_cells() if c.node is not None}
    assert len(parsed) == len(distinct) < 30
    assert sum(1 for c in book.formula_cells() if c.node is not None) == 10879


# --- the scan of <sheetData> and expat read the same cells ------------------------------------------
def _cells_of(path: Path, *, scanned: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, set[int]]:
    with monkeypatch.context() as patch:
        if not scanned:
            patch.setattr(sheet_scan, "split", lambda data: None)
        sheet = read_workbook(str(path)).sheets[0]
    cells = {key: (type(c).__name__, type(c.cached), c.cached, c.formula,
                   str(c.array_range) if c.array_range else None, c.spills,
                   c.master.address if c.master else None) for key, c in sheet.cells.items()}
    return cells, sheet.hidden_rows


# the forms writers use, each in the row it would be in: the scan reads all of them
SCANNED = {
    **{name: f'<row r="1">{case.xml}</row>' for name, case in CELLS.items()
       if "rich text" not in name},
    "attributes in another order, cm": '<row r="1" spans="1:2"><c t="n" s="2" r="A1"><v>3</v></c>'
                                       '<c r="B1" cm="1"><f t="array" ref="B1:B2">A1:A2</f><v>3</v></c></row>',
    "blank lines and indentation": '\n  <row r="1">\n    <c r="A1">\n      <f>1+1</f>\n      <v>2</v>\n'
                                   '    </c>\n  </row>\n',
    "hidden and empty rows": '<row r="1" hidden="1"><c r="A1"><v>1</v></c></row><row r="2"/>'
                             '<row r="3" hidden="true"/><row r="4"><c r="A4"><v>4</v></c></row>',
    "character references and line ends": '<row r="1"><c r="A1" t="str"><f>"a"&amp;CHAR(10)&amp;"&#x263A;&#955;"</f>'
                                          '<v>a\r\nb&#10;&#x263A;</v></c></row>',
    "inline string, preserved spaces": '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c></row>',
    "shared formula and members, data table": (
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>2</v></c>'
        '<c r="C1"><f t="dataTable" ref="C1:C1" dt2D="0" dtr="0" r1="B1"/><v>7</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>'),
    "shared formula members of every kind of result": (
        '<row r="1"><c r="A1" s="3" t="str"><f t="shared" ref="A1:F1" si="7">B2&amp;""</f><v>x</v></c>'
        '<c r="B1" t="str"><f t="shared" si="7"/><v></v></c><c r="C1" t="b"><f t="shared" si="7"/><v>0</v></c>'
        '<c r="D1" t="e"><f t="shared" si="7"/><v>#N/A</v></c><c r="E1" s="2"><f t="shared" si="7"/></c>'
        '<c r="F1" t="n"><f t="shared" si="7"/><v>-0</v></c></row>'),
    "a member before its master's si is known": '<row r="1"><c r="A1"><f t="shared" si="4"/><v>1</v></c></row>',
}
# forms the scan leaves to expat: the sheet is read all the same
NOT_SCANNED = {
    "rich inline text": f'<row r="1">{CELLS["inline rich text, phonetic run left out"].xml}</row>',
    "a comment": '<row r="1"><!-- note --><c r="A1"><v>1</v></c></row>',
    "CDATA": '<row r="1"><c r="A1" t="str"><f><![CDATA["a"&"<"]]></f><v>a&lt;</v></c></row>',
    "single-quoted attributes": "<row r='1'><c r='A1'><v>1</v></c></row>",
    "a cell without r": '<row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c></row>',
    "a row without r": '<row><c r="A1"><v>1</v></c></row>',
    "a lower-case reference": '<row r="1"><c r="a1"><v>1</v></c></row>',
    "a cell in another row than its row's number": '<row r="1"><c r="A2"><v>1</v></c></row>',
    "an element the scan does not know": '<row r="1"><c r="A1"><v>1</v><extLst/></c></row>',
}


@pytest.mark.parametrize("xml", [pytest.param(x, id=n) for n, x in {**SCANNED, **NOT_SCANNED}.items()])
def test_the_scan_reads_what_expat_reads(xml: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = package(tmp_path, xml)
    scanned = _cells_of(path, scanned=True, monkeypatch=monkeypatch)
    assert scanned == _cells_of(path, scanned=False, monkeypatch=monkeypatch)
    assert scanned[0], "no cell read"
    halves = sheet_scan.split(zipfile.ZipFile(path).read(SHEET))
    understood = halves is not None and _SheetReader("S", ["zero", "one"]).scan(halves[1])
    assert understood == (xml in SCANNED.values())


def test_the_scan_declines_a_prefixed_document_and_another_encoding(tmp_path: Path) -> None:
    prefixed = zipfile.ZipFile(package(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>', root="x:worksheet"))
    assert sheet_scan.split(prefixed.read(SHEET)) is None
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?><worksheet><sheetData></sheetData></worksheet>'
    assert sheet_scan.split(latin) is None
    assert sheet_scan.split(latin.replace(b"ISO-8859-1", b"UTF-8")) is not None


def test_a_shared_formula_member_has_every_field_a_cell_has() -> None:
    """Members are made without Cell.__init__ (for speed): each field as Cell would set it."""
    master = Cell("S", 1, 1, 2.0, "=B1*2", 2.0)
    member = _SharedFormulaMember("S", 2, 1, 4.0, MovedFormula("=B1*2"), master)
    plain = Cell("S", 2, 1, 4.0, "=B2*2", 4.0)
    assert {s: getattr(member, s) for s in Cell.__slots__} == {s: getattr(plain, s) for s in Cell.__slots__}


def _sheets_scanned(path: Path) -> list[bool]:
    """Per worksheet part of the file: whether the scan reads it (rather than expat)."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        return [(halves := sheet_scan.split(package.read(part))) is not None
                and _SheetReader("S", [""] * 10_000).scan(halves[1]) for part in parts]


WRITERS = {  # what wrote the file: Excel (fast.ai's), openpyxl (the handouts), LibreOffice
    "Excel": lambda name, office, tmp: reference_path(name),
    "openpyxl": lambda name, office, tmp: ROOT / "workbooks" / name,
    "LibreOffice": lambda name, office, tmp: Path(office.convert(ROOT / "workbooks" / name, "xlsx", tmp)),
}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", ["collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"])
def test_files_from_three_writers_are_scanned_and_read_as_expat_reads_them(
        writer: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request) -> None:
    office = request.getfixturevalue("office") if writer == "LibreOffice" else None
    path = WRITERS[writer](name, office, tmp_path)
    assert all(_sheets_scanned(path))
    with monkeypatch.context() as patch:
        patch.setattr(sheet_scan, "split", lambda data: None)
        expat = read_workbook(str(path))
    scanned = read_workbook(str(path))
    for ours, theirs in zip(scanned.sheets, expat.sheets, strict=True):
        assert ours.name == theirs.name and ours.hidden_rows == theirs.hidden_rows
        assert {k: (type(c), type(c.cached), c.cached, c.formula, c.array_range, c.spills)
                for k, c in ours.cells.items()} == \
            {k: (type(c), type(c.cached), c.cached, c.formula, c.array_range, c.spills)
             for k, c in theirs.cells.items()}
    assert {c.address for c in scanned.same_formula} == {c.address for c in expat.same_formula}
