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
from cellgrad.core.errors import WorkbookError
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
@dataclass(frozen=True)
class Part:
    """A sheetData, and replacements (old, new) made once each in the rest of the sheet part:
    for forms outside the sheetData that the scan must notice."""
    sheet_data: str
    edits: tuple[tuple[bytes, bytes], ...]


def _sheet_package(tmp_path: Path, case: str | Part) -> Path:
    if isinstance(case, str):
        return package(tmp_path, case)

    def edit(body: bytes) -> bytes:
        for old, new in case.edits:
            assert old in body
            body = body.replace(old, new, 1)
        return body
    return with_part(package(tmp_path, case.sheet_data), SHEET, edit, tmp_path / "edited.xlsx")


def _cells_of(path: Path, *, scanned: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[dict | str, set[int]]:
    """The cells read and the hidden rows; for a file that cannot be read, the error's message."""
    with monkeypatch.context() as patch:
        if not scanned:
            patch.setattr(sheet_scan, "split", lambda data: None)
        try:
            sheet = read_workbook(str(path)).sheets[0]
        except WorkbookError as exc:
            return str(exc), set()
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
    "numbers as float() reads them": '<row r="1"><c r="A1"><v>1e5</v></c><c r="B1"><v> 1 </v></c>'
                                     '<c r="C1"><v>inf</v></c><c r="D1"><v>\t-1_0\r\n</v></c></row>',
    "t=n and an empty <v/>, styled or with a formula": (
        '<row r="1"><c r="A1" t="n"><v/></c><c r="B1" s="1" t="n"><v></v></c>'
        '<c r="C1" t="n"><f>A2</f><v/></c><c r="D1"></c></row>'),
    "rows out of order, a row twice, a cell twice (the last kept)": (
        '<row r="2"><c r="A2"><v>2</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2"><c r="B2"><v>3</v></c><c r="B2"><v>4</v></c></row>'),
    "a shared formula's master after a member, members after it": (
        '<row r="1"><c r="A1"><f t="shared" si="0"/><v>1</v></c></row><row r="2"><c r="A2">'
        '<f t="shared" ref="A1:A3" si="0">B2</f><v>1</v></c></row><row r="3"><c r="A3"><f t="shared" si="0"/>'
        '<v>1</v></c></row>'),
    "<f> with ca, aca, bx; t=normal; a shared formula without si": (
        '<row r="1"><c r="A1"><f ca="1" aca="1" bx="0">RAND()</f><v>0.5</v></c><c r="B1"><f t="normal">1</f>'
        '<v>1</v></c><c r="C1"><f t="shared" ref="C1:C2">D1</f><v>1</v></c></row>'
        '<row r="2"><c r="C2"><f t="shared"/><v>1</v></c></row>'),
    "array formulas, with ref and aca, and without ref": (
        '<row r="1"><c r="A1"><f t="array" ref="A1:A2" aca="0">ROW(A1:A2)</f><v>1</v></c>'
        '<c r="B1"><f t="array">1</f><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'),
    "inline string: the five entities, CR LF, CR, &#13;, characters past the BMP": (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; &lt;b&gt;\r\nc\rd&#13;&quot;&apos;'
        '&#x1F600;&#128512;</t></is></c></row>'),
    "a long inline string": f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * 100_000}</t></is></c></row>',
    "CR LF in a formula, &#13; kept": '<row r="1"><c r="A1" t="str"><f>"a"&amp;\r\n"&#13;"</f><v>a&#13;</v></c></row>',
    "t=d with a formula and Z, t=e unknown text, t=b true, t=s padded, t=str of digits": (
        '<row r="1"><c r="A1" t="d"><f>DATE(2020,1,2)</f><v>2020-01-02T00:00:00Z</v></c>'
        '<c r="B1" t="e"><v>#BOGUS</v></c><c r="C1" t="b"><v>true</v></c><c r="D1" t="s"><v> 1 </v></c>'
        '<c r="E1" t="str"><f>A2</f><v>1</v></c></row>'),
    "an inline string with a formula; a data table's text": (
        '<row r="1"><c r="A1" t="inlineStr"><f>"a"</f><is><t>a</t></is></c>'
        '<c r="B1" t="str"><f t="dataTable" ref="B1" dt2D="0" dtr="0"/><v>x</v></c></row>'),
    "white space before > and />, > in a value, a prefixed attribute": (
        '<row r="1" >\t<c r="A1" x="a>b" \t><v>1</v></c><c r="B1" x14ac:n="1" s="1" /></row>'),
    "a comment after sheetData": Part('<row r="1"><c r="A1"><v>1</v></c></row>',
                                      ((b"</sheetData>", b"</sheetData><!-- </sheetData> -->"),)),
    "declared UTF-8, spaces around =, standalone, CR LF after": Part(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        ((b"<worksheet", b"<?xml version='1.0' encoding = 'UTF-8' standalone='yes'?>\r\n<worksheet"),)),
    "a byte order mark, version 1.1": Part('<row r="1"><c r="A1"><v>1</v></c></row>',
                                           ((b"<worksheet", b'\xef\xbb\xbf<?xml version="1.1"?><worksheet'),)),
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
    "white space in an end tag": '<row r="1"><c r="A1"><v>1</v></c ></row>',
    "an attribute on <v>": '<row r="1"><c r="A1"><v xml:space="preserve"> 1</v></c></row>',
    "an inline <t/>": '<row r="1"><c r="A1" t="inlineStr"><is><t/></is></c><c r="B1"><v>1</v></c></row>',
    # a parser makes a tab or line end in a value a space: si "0 " and "0\r\n" are one group
    "line ends and tabs in attribute values": (
        '<row r="1" hidden="1\r"><c r="A1"><f t="shared" ref="A1:A2" si="0 ">B1</f><v>1</v></c>'
        '<c r="B1" s="1\n"/></row><row r="2"><c r="A2"><f t="shared" si="0\r\n"/><v>1</v></c>'
        '<c r="B2"><f t="shared" si="\t0"/></c></row>'),
    "a reference in an attribute value": '<row r="1"><c r="A1" x="a&amp;b"><v>1</v></c></row>',
    "]]> in an attribute value": '<row r="1"><c r="A1" x="]]>"><v>1</v></c></row>',
    "an attribute name starting with a colon": '<row r="1"><c r="A1" :a="1"><v>1</v></c></row>',
    "a character reference of eight digits": '<row r="1"><c r="A1" t="inlineStr"><is><t>&#00000065;</t></is></c></row>',
    "a space XML does not count as one (U+2028) between cells": (
        '<row r="1"><c r="A1"><v>1</v></c>\u2028<c r="B1"><v>2</v></c></row>'),
    "a processing instruction in sheetData": '<row r="1"><?pi x?><c r="A1"><v>1</v></c></row>',
    "a comment before sheetData that holds one": Part(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        ((b"<sheetData>", b"<!-- <sheetData><row r='1'><c r='A1'><v>2</v></c></row></sheetData> --><sheetData>"),)),
    "a processing instruction after a sheetData with an attribute, holding another": Part(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        ((b"<sheetData>", b'<sheetData xmlns:o="urn:o">'),
         (b"</sheetData>", b'</sheetData><?pi <sheetData><row r="1"><c r="A1"><v>2</v></c></row></sheetData>?>'))),
    "a processing instruction after the declaration": Part(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        ((b"<worksheet", b'<?xml version="1.0"?><?xml-stylesheet href="a"?><worksheet'),)),
    # the UTF-8 bytes of "\u00c3\u00a9" are four characters in ISO-8859-1
    "ISO-8859-1, spaces around =": Part(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>\u00c3\u00a9</t></is></c></row>',
        ((b"<worksheet", b'<?xml version="1.0" encoding = "ISO-8859-1"?><worksheet'),)),
}
# malformed XML: the scan declines it, and expat reports it, with its line and column in the part
MALFORMED = {
    "a no-break space in a tag": '<row r="1"><c\u00a0r="A1"><v>1</v></c></row>',
    "a form feed in a tag": '<row r="1"><c r="A1"\x0c><v>1</v></c></row>',
    "a control character between cells": '<row r="1"><c r="A1"><v>1</v></c>\x1c</row>',
    "a control character in a value": '<row r="1"><c r="A1" t="str"><f>1</f><v>a\x01</v></c></row>',
    "U+FFFE in a value": '<row r="1"><c r="A1" t="str"><f>1</f><v>a\ufffe</v></c></row>',
    "NUL in an inline string": '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x00</t></is></c></row>',
    "]]> in a formula": '<row r="1"><c r="A1" t="str"><f>"]]>"</f><v>a</v></c></row>',
    "an attribute twice on <c>": '<row r="1"><c r="A1" t="s" t="n"><v>1</v></c></row>',
    "r twice on <c>": '<row r="1"><c r="A1" r="B1"><v>1</v></c></row>',
    "r twice on <row>, equal": '<row r="1" r="1"><c r="A1"><v>1</v></c></row>',
    "an attribute twice on <f>": '<row r="1"><c r="A1"><f t="shared" t="array" ref="A1" si="0">1</f><v>1</v></c></row>',
    "an attribute name starting with a digit": '<row r="1"><c r="A1" 9="x"><v>1</v></c></row>',
    "an attribute name of a character no name holds": '<row r="1"><c r="A1" \u00b2="x"><v>1</v></c></row>',
    "an attribute without a value": '<row r="1"><c r="A1" hidden><v>1</v></c></row>',
    "no space between attributes": '<row r="1"><c r="A1"t="n"><v>1</v></c></row>',
    "a reference to character 0": '<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>',
    "a reference to a surrogate": '<row r="1"><c r="A1" t="inlineStr"><is><t>&#xD83D;</t></is></c></row>',
    "&#X41; (an upper-case X)": '<row r="1"><c r="A1" t="inlineStr"><is><t>&#X41;</t></is></c></row>',
    "an undefined entity": '<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',
    "a stray &": '<row r="1"><c r="A1" t="inlineStr"><is><t>a & b</t></is></c></row>',
    "a row ended twice": '<row r="1"><c r="A1"><v>1</v></c></row></row>',
    "a row not ended": '<row r="1"><c r="A1"><v>1</v></c>',
    "malformed after sheetData: the line is the part's": Part(
        '\n\n<row r="1"><c r="A1"><v>1</v></c></row>\n', ((b"</sheetData>", b"</sheetData><tableParts></tablePart>"),)),
    "malformed before sheetData, a value that is not one in it": Part(
        '<row r="1"><c r="A1"><v>x</v></c></row>', ((b"<sheetData>", b"<sheetPr a='1' a='2'/><sheetData>"),)),
    "UTF-16 declared, UTF-8 written": Part('<row r="1"><c r="A1"><v>1</v></c></row>',
                                            ((b"<worksheet", b'<?xml version="1.0" encoding="UTF-16"?><worksheet'),)),
    "a declaration after white space": Part('<row r="1"><c r="A1"><v>1</v></c></row>',
                                             ((b"<worksheet", b' <?xml version="1.0"?><worksheet'),)),
}


@pytest.mark.parametrize("xml", [pytest.param(x, id=n) for n, x in {**SCANNED, **NOT_SCANNED, **MALFORMED}.items()])
def test_the_scan_reads_what_expat_reads(xml: str | Part, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _sheet_package(tmp_path, xml)
    scanned = _cells_of(path, scanned=True, monkeypatch=monkeypatch)
    assert scanned == _cells_of(path, scanned=False, monkeypatch=monkeypatch)
    if xml in MALFORMED.values():
        assert re.search(r"sheet1\.xml: .+: line \d+, column \d+\)$", str(scanned[0])), "not expat's report"
    else:
        assert isinstance(scanned[0], dict) and scanned[0], "no cell read"
    halves = sheet_scan.split(zipfile.ZipFile(path).read(SHEET))
    understood = halves is not None and _SheetReader("S", ["zero", "one"]).scan(halves[1])
    if xml not in MALFORMED.values():  # there, the scan may read cells well formed in a malformed part
        assert understood == (xml in SCANNED.values())


# a value or reference that is not one: (sheetData or Part, the cell the error names, or None for
# an error outside a cell, and a part of the message)
NOT_VALUES = {
    "text in a number": ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>x</v></c></row>', "B1", "'x'"),
    "a shared string past the table": ('<row r="1"><c r="A1"><v>1</v></c><c r="C1" t="s"><v>9</v></c></row>',
                                       "C1", "index"),
    "an unknown t": ('<row r="1"><c r="A1"><v>1</v></c><c r="D1" t="q"><v>1</v></c></row>', "D1", "t='q'"),
    "a date that is not ISO 8601": ('<row r="1"><c r="E1" t="d"><v>x</v></c></row>', "E1", "'x'"),
    "an array formula's ref": ('<row r="1"><c r="F1"><f t="array" ref="nope">1</f><v>1</v></c></row>', "F1", "nope"),
    "in a later row, r after s": ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c s="1" r="C2"><v>x</v></c>'
                                  '</row>', "C2", "'x'"),
    "a row's r, after a cell": ('<row r="1"><c r="A1"><v>1</v></c></row><row r="x"><c r="B2"><v>1</v></c></row>',
                                None, "'x'"),
    "the first row's r": ('<row r="x"><c r="A1"><v>1</v></c></row>', None, "'x'"),
    "a cell's r past three letters": ('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZ1"><v>1</v></c></row>',
                                      None, "ZZZZ1"),
    "a filter's ref, after the cells": (Part('<row r="1"><c r="A1"><v>1</v></c></row>', (
        (b"</sheetData>", b'</sheetData><autoFilter ref="nope"><filterColumn colId="0"/></autoFilter>'),)),
        None, "nope"),
}


@pytest.mark.parametrize("xml, cell, says", [pytest.param(*row, id=n) for n, row in NOT_VALUES.items()])
def test_a_value_that_is_not_one_names_its_cell(xml: str | Part, cell: str | None, says: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Both readings report the same error; it names the cell being made, and no cell for an error
    outside one (a row's, a filter's, a reference that is not one)."""
    path = _sheet_package(tmp_path, xml)
    message = _cells_of(path, scanned=True, monkeypatch=monkeypatch)[0]
    assert message == _cells_of(path, scanned=False, monkeypatch=monkeypatch)[0]
    assert isinstance(message, str) and says in message
    assert (f"sheet1.xml, cell {cell}: " in message) if cell else ("sheet1.xml: " in message)


def test_the_scan_declines_a_prefixed_document_and_another_encoding(tmp_path: Path) -> None:
    prefixed = zipfile.ZipFile(package(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>', root="x:worksheet"))
    assert sheet_scan.split(prefixed.read(SHEET)) is None
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?><worksheet><sheetData></sheetData></worksheet>'
    assert sheet_scan.split(latin) is None
    assert sheet_scan.split(latin.replace(b"ISO-8859-1", b"UTF-8")) is not None


def test_a_shared_formula_member_has_every_field_a_cell_has() -> None:
    """Members are made without Cell.__init__ (for speed): each field as Cell would set it."""
    master = Cell("S", 1, 1, 2.0, "=B1*2", 2.0)
    member = _SharedFormulaMember("S", 2, 1, 4.0, (MovedFormula("=B1*2"), master))
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
