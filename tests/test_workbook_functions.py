"""Functions that need the workbook beyond cell values, as tables of rows from Microsoft's pages
(the page is named, by title, above its rows; "rule" rows are arithmetic on a rule the page
states): SUBTOTAL and AGGREGATE (which cells they leave out: nested subtotals, hidden and filtered
rows, errors), ISFORMULA, SHEET, SHEETS, CELL, INFO and ISOMITTED. A table's totals row, as Excel
writes it (``SUBTOTAL(109,Table[Col])``), is computed to LibreOffice's values.

Judgement calls Microsoft does not settle, each pinned by a row marked "judgement":
- SUBTOTAL's and AGGREGATE 1-13's refs must be references: an array is #VALUE! (the argument is
  "ref"; LibreOffice computes over an array);
- AGGREGATE leaves hidden rows out only where its option says so, filtered rows included (its
  page names no filter rule, unlike SUBTOTAL's);
- CELL without a reference answers for the formula's own cell (Excel: the cell selected at
  calculation, which a headless engine does not have); its info_types about styles are #N/A;
- INFO("release") is "16.0"; "origin", "osversion" and "system" are #N/A (no window, no OS).
- INFO("numfile") counts worksheets only, as its page says ("Number of active worksheets"),
  where SHEET and SHEETS count chart sheets too (their pages say so).
"""
from __future__ import annotations

import math
import os
import statistics
from pathlib import Path

import openpyxl
import pytest
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn

from .builder import assert_same, calculated, row
from .test_function_library import cases, check
from .test_structured_references import _libreoffice_values

NA, DIV0, VALUE, REF, NAME = (ExcelError.NA, ExcelError.DIV0, ExcelError.VALUE, ExcelError.REF,
                              ExcelError.NAME)

# "SUBTOTAL function": its example data, A2:A5
SUBTOTAL_CELLS = {"A2": 120, "A3": 10, "A4": 150, "A5": 23,
                  "A6": "=SUBTOTAL(9,A2:A5)", "A7": "=2*SUBTOTAL(1,A2:A3)", "B2": "x"}
_DATA = [120.0, 10.0, 150.0, 23.0]
SUBTOTAL = [
    row("=SUBTOTAL(9,A2:A5)", 303.0), row("=SUBTOTAL(1,A2:A5)", 75.75),
    # rule: each function_num is its function over the same cells
    row("=SUBTOTAL(2,A2:A5)", 4.0), row("=SUBTOTAL(3,A2:B5)", 5.0), row("=SUBTOTAL(4,A2:A5)", 150.0),
    row("=SUBTOTAL(5,A2:A5)", 10.0), row("=SUBTOTAL(6,A2:A5)", math.prod(_DATA)),
    row("=SUBTOTAL(7,A2:A5)", statistics.stdev(_DATA)),
    row("=SUBTOTAL(8,A2:A5)", statistics.pstdev(_DATA)),
    row("=SUBTOTAL(10,A2:A5)", statistics.variance(_DATA)),
    row("=SUBTOTAL(11,A2:A5)", statistics.pvariance(_DATA)),
    row("=SUBTOTAL(109,A2:A5)", 303.0), row("=SUBTOTAL(9,A2:A3,A4:A5)", 303.0),
    # rule: "nested subtotals are ignored to avoid double counting" (A6, and A7 calling it)
    row("=SUBTOTAL(9,A2:A7)", 303.0), row("=SUBTOTAL(103,A2:A7)", 4.0), row("=SUM(A2:A7)", 736.0),
    row("=SUBTOTAL(12,A2:A5)", VALUE), row("=SUBTOTAL(0,A2:A5)", VALUE),   # rule: 1-11, 101-111
    row("=SUBTOTAL(9,{1,2})", VALUE),                                     # judgement: refs only
    row("=SUBTOTAL(9,A2:A5,#REF!)", REF),
]

# "AGGREGATE function": its example data, A1:B11
AGGREGATE_CELLS = {f"A{i}": v for i, v in enumerate(
    ["=1/0", 72, 30, "=SQRT(-1)", 31, 96, 32, 81, 33, 53, 34], start=1)}
AGGREGATE_CELLS.update({f"B{i}": v for i, v in enumerate(
    [82, 65, 95, 63, 53, 71, 55, 83, 100, 91, 89], start=1)})
AGGREGATE_CELLS.update({"C1": 5, "C2": "=SUBTOTAL(9,C1)", "C3": "=AGGREGATE(9,0,C1)"})
AGGREGATE = [
    row("=AGGREGATE(4,6,A1:A11)", 96.0), row("=AGGREGATE(14,6,A1:A11,3)", 72.0),
    row("=AGGREGATE(15,6,A1:A11)", VALUE), row("=AGGREGATE(12,6,A1:A11,B1:B11)", 68.0),
    row("=MAX(A1:A2)", DIV0),
    # rule: options 0-3 leave out nested SUBTOTAL/AGGREGATE, 4-7 do not; 2, 3, 6, 7 errors
    row("=AGGREGATE(9,0,C1:C3)", 5.0), row("=AGGREGATE(9,4,C1:C3)", 15.0),
    row("=AGGREGATE(9,4,A1:A11)", DIV0), row("=AGGREGATE(9,7,A1:A3)", 102.0),
    row("=AGGREGATE(2,4,A1:A11)", 9.0),
    row("=AGGREGATE(14,6,A1:A11/(A1:A11>40),2)", 81.0),            # rule: an array for 14-19
    row("=AGGREGATE(16,6,B1:B11,0.5)", 82.0), row("=AGGREGATE(19,6,B1:B11,1)", 63.0),
    row("=AGGREGATE(20,6,B1:B11)", VALUE), row("=AGGREGATE(9,8,B1:B11)", VALUE),
    row("=AGGREGATE(9,6,{1,2})", VALUE),                              # judgement: refs only
]


@cases((SUBTOTAL_CELLS, SUBTOTAL), (AGGREGATE_CELLS, AGGREGATE))
def test_subtotal_and_aggregate(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


def _hidden_and_filtered(path: Path) -> Path:
    """Scores in A2:A7 (10..60) under an AutoFilter A1:A5 with a criterion that hides row 4, and
    row 7 hidden by hand; formulas in C (AGGREGATE stored as Excel stores it, _xlfn.)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["Score"])
    for v in (10, 20, 30, 40, 50, 60):
        ws.append([v])
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[7].hidden = True
    # a file does not say which hidden rows a filter hid: those within its range (as Excel reads it)
    ws.auto_filter.ref = "A1:A5"
    ws.auto_filter.add_filter_column(0, ["10", "20", "40"])
    for cell, formula, _ in HIDDEN:
        ws[cell] = formula.replace("AGGREGATE", "_xlfn.AGGREGATE")
    wb.save(path)
    return path


# "SUBTOTAL function": 1-11 include rows hidden by hand, 101-111 leave them out, and both leave
# out the rows a filter hides; "AGGREGATE function": option 1, 3, 5, 7 "ignore hidden rows"
HIDDEN = [("C1", "=SUBTOTAL(9,A2:A7)", 180.0), ("C2", "=SUBTOTAL(109,A2:A7)", 120.0),
          ("C3", "=SUBTOTAL(2,A2:A7)", 5.0), ("C4", "=SUBTOTAL(102,A2:A7)", 4.0),
          ("C5", "=SUBTOTAL(1,A2:A7)", 36.0), ("C6", "=SUBTOTAL(101,A2:A7)", 30.0),
          ("C7", "=AGGREGATE(9,5,A2:A7)", 120.0),
          ("C8", "=AGGREGATE(9,4,A2:A7)", 210.0),                   # judgement: filters
          ("C9", "=SUM(A2:A7)", 210.0)]


@pytest.mark.parametrize("cell, formula, expected", [pytest.param(*h, id=h[1]) for h in HIDDEN])
def test_hidden_and_filtered_rows(cell: str, formula: str, expected: float, tmp_path: Path) -> None:
    book = Workbook.load(_hidden_and_filtered(tmp_path / "hidden.xlsx"), calculate=True)
    assert_same(expected, book[f"S!{cell}"], formula)


def test_hidden_and_filtered_rows_as_libreoffice_computes_them(tmp_path: Path, office) -> None:
    path = _hidden_and_filtered(tmp_path / "hidden.xlsx")
    book = Workbook.load(path, calculate=True)
    expected = _libreoffice_values(office, path)
    for cell, formula, _ in HIDDEN:
        assert_same(expected[("S", cell)], book[f"S!{cell}"], formula)


def _totals_table(path: Path, *, filtered: bool = False) -> Path:
    """A table with a totals row as Excel makes it (Table Design > Total Row): the row's cell holds
    SUBTOTAL(109,Table[Col]) and the column says totalsRowFunction="sum"; row 4 hidden by hand,
    or (``filtered``) by the table's filter on Name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scores"
    ws.append(["Name", "Score", "Weight"])
    for name, score, weight in (("Ana", 81.5, 0.1), ("Ben", 67.25, 0.2), ("Cy", 90.0, 0.3),
                                ("Di", 74.125, 0.4)):
        ws.append([name, score, weight])
    ws.append(["Total", "=SUBTOTAL(109,Results[Score])", "=SUBTOTAL(101,Results[Weight])"])
    ws.row_dimensions[4].hidden = True
    table = Table(displayName="Results", name="Results", ref="A1:C6", totalsRowCount=1)
    table.tableColumns = [TableColumn(id=1, name="Name", totalsRowLabel="Total"),
                          TableColumn(id=2, name="Score", totalsRowFunction="sum"),
                          TableColumn(id=3, name="Weight", totalsRowFunction="average")]
    if filtered:
        table.autoFilter = AutoFilter(ref="A1:C5")
        table.autoFilter.add_filter_column(0, ["Ana", "Ben", "Di"])
    ws.add_table(table)
    ws["E1"] = "=SUBTOTAL(9,Results[[#All],[Score]])"   # the totals row is a nested subtotal
    ws["E2"] = "=SUBTOTAL(9,B2:B6)"
    ws["E3"] = "=SUM(B2:B6)"
    ws["E4"] = "=Results[[#Totals],[Score]]"
    ws["E5"] = "=SUBTOTAL(9,Results[Score])"
    wb.save(path)
    return path


def test_totals_row_as_libreoffice_computes_it(tmp_path: Path, office) -> None:
    path = _totals_table(tmp_path / "totals.xlsx")
    book = Workbook.load(path, calculate=True)
    expected = _libreoffice_values(office, path)
    assert set(expected) == {("Scores", c) for c in ("B6", "C6", "E1", "E2", "E3", "E4", "E5")}
    for (sheet, cell), value in expected.items():
        assert_same(value, book[f"{sheet}!{cell}"], cell)
    # and as Excel's rules give them, Cy's row (4) hidden by hand
    assert_same(81.5 + 67.25 + 74.125, book["Scores!B6"], "SUBTOTAL(109,Results[Score])")
    assert_same(81.5 + 67.25 + 90.0 + 74.125, book["Scores!E2"], "nested totals row left out")


def test_rows_a_table_filter_hides_are_left_out_by_every_function_num(tmp_path: Path,
                                                                      office) -> None:
    path = _totals_table(tmp_path / "filtered.xlsx", filtered=True)
    book = Workbook.load(path, calculate=True)
    assert_same(81.5 + 67.25 + 74.125, book["Scores!E2"], "SUBTOTAL(9,B2:B6), Cy filtered out")
    expected = _libreoffice_values(office, path)
    for (sheet, cell), value in expected.items():
        assert_same(value, book[f"{sheet}!{cell}"], cell)


# "ISFORMULA function": its example, A2:A5
# (A2 holds the page's =TODAY() there: any formula will do, and TODAY is not in the registry)
ISFORMULA_CELLS = {"A2": "=PI()", "A3": 7, "A4": "Hello, world!", "A5": "=3/0"}
ISFORMULA = [
    row("=ISFORMULA(A2)", True), row("=ISFORMULA(A3)", False), row("=ISFORMULA(A4)", False),
    row("=ISFORMULA(A5)", True), row("=ISFORMULA(A9)", False),
    row('=ISFORMULA("A2")', VALUE),                   # "not a valid data type ... #VALUE!"
]
# "CELL function": its example data and the formula from its introduction
CELL_CELLS = {"A1": 75, "A2": 75, "A3": "Hello, world!", "B1": "text", "B2": "=A1*2"}
CELL = [
    row('=CELL("row",A20)', 20.0), row('=CELL("contents",A3)', "Hello, world!"),
    row('=IF(CELL("type",A1)="v",A1*2,0)', 150.0), row('=IF(CELL("type",B1)="v",B1*2,0)', 0.0),
    # rule: the info_types' definitions
    row('=CELL("address",B7:C9)', "$B$7"), row('=CELL("col",AB2)', 28.0),
    row('=CELL("type",A3)', "l"), row('=CELL("type",H9)', "b"), row('=CELL("type",B2)', "v"),
    row('=CELL("contents",B2)', 150.0), row('=CELL("ROW",A7)', 7.0),
    row('=CELL("row")', 100.0),                       # judgement: the formula's own cell (Z100)
    row('=CELL("format",A1)', NA), row('=CELL("width",A1)', NA),    # judgement: styles not read
    row('=CELL("nonsense",A1)', VALUE),
]


@cases((ISFORMULA_CELLS, ISFORMULA), (CELL_CELLS, CELL))
def test_isformula_and_cell(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


@pytest.fixture(scope="module")
def three_sheets(tmp_path_factory) -> tuple[Path, Workbook]:
    """"SHEET function"'s example layout: QSalesByRegion a name on sheet 2, Hi_Temps a name
    scoped to sheet 3 ("Stuff"), formulas on sheet 1."""
    path = tmp_path_factory.mktemp("sheets") / "three sheets.xlsx"
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Sheet1"
    wb.create_sheet("Sales Q").append([1, 2])
    stuff = wb.create_sheet("Stuff")
    stuff["A1"] = 3
    stuff.defined_names["Hi_Temps"] = DefinedName("Hi_Temps", attr_text="Stuff!$A$1")
    wb.defined_names["QSalesByRegion"] = DefinedName("QSalesByRegion", attr_text="'Sales Q'!$A$1:$B$1")
    for cell, formula, _ in SHEETS:
        first[cell] = formula
    stuff["B1"] = "=SHEET()"
    wb.save(path)
    return path, Workbook.load(path, calculate=True)


SHEETS = [
    # "SHEET function"
    ("A1", "=SHEET(QSalesByRegion)", 2.0), ("A2", "=SHEET(Hi_Temps)", NAME),
    ("A3", '=SHEET("Stuff")', 3.0), ("A4", '=SHEET("stuff")', 3.0), ("A5", "=SHEET()", 1.0),
    ("A6", '=SHEET("badSheetName")', NA), ("A7", "=SHEET(Stuff!A1)", 3.0),
    # "SHEETS function"
    ("B1", "=SHEETS()", 3.0), ("B2", "=SHEETS(Stuff!A1:B2)", 1.0), ("B3", '=SHEETS("x")', REF),
    # "CELL function": filename and address on another sheet
    ("C1", '=CELL("filename",A1)', None), ("C2", '=CELL("address",Stuff!C3)',
                                              "'[three sheets.xlsx]Stuff'!$C$3"),
    # "INFO function"
    ("D1", '=INFO("numfile")', 3.0), ("D2", '=INFO("recalc")', "Automatic"),
    ("D3", '=INFO("release")', "16.0"), ("D4", '=INFO("system")', NA),
    ("D5", '=INFO("osversion")', NA), ("D6", '=INFO("origin")', NA), ("D7", '=INFO("x")', VALUE),
    ("D8", '=INFO("directory")', None),
]


@pytest.mark.parametrize("cell, formula, expected", [pytest.param(*s, id=s[1]) for s in SHEETS])
def test_sheets_cell_and_info(three_sheets, cell: str, formula: str, expected: object) -> None:
    path, book = three_sheets
    folder = os.path.dirname(os.path.abspath(path))
    if formula.startswith('=CELL("filename"'):
        expected = f"{folder}{os.sep}[three sheets.xlsx]Sheet1"  # "path[book]sheet"
    elif formula == '=INFO("directory")':
        expected = folder + os.sep
    assert_same(expected, book[f"Sheet1!{cell}"], formula)
    assert_same(3.0, book["Stuff!B1"], "=SHEET() on the third sheet")


def test_info_recalc_follows_the_calculation_mode(three_sheets) -> None:
    path, _ = three_sheets
    book = Workbook.load(path)
    book.automatic = False
    book.calculate()
    assert book["Sheet1!D2"] == "Manual"


# Tabs Sheet1, Chart1 (a chart sheet, no cells), Stuff: "SHEETS includes all worksheets (visible,
# hidden, or very hidden) in addition to all other sheet types (macro, chart, or dialog sheets)";
# "SHEET function": its locating "includes all ... sheet types" too (rule rows). Files store
# both functions as _xlfn.SHEET and _xlfn.SHEETS (Excel 2013 functions).
CHART_SHEET = [
    ("A1", "=SHEETS()", 3.0), ("A2", '=SHEET("Chart1")', 2.0), ("A3", '=SHEET("Stuff")', 3.0),
    ("A4", "=SHEET(Stuff!A1)", 3.0), ("A5", "=SHEET()", 1.0), ("A6", '=SHEET("chart1")', 2.0),
]


@pytest.fixture(scope="module")
def chart_sheet(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("chartsheet") / "chart sheet.xlsx"
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Sheet1"
    for cell, formula, _ in CHART_SHEET:
        first[cell] = formula.replace("=SHEET", "=_xlfn.SHEET")
    first["B1"] = '=INFO("numfile")'
    first["C1"], first["C2"] = 1, 2
    chart = BarChart()
    chart.add_data(Reference(first, min_col=3, min_row=1, max_row=2))
    wb.create_chartsheet("Chart1").add_chart(chart)
    stuff = wb.create_sheet("Stuff")
    stuff["A1"] = "=_xlfn.SHEET()"
    wb.save(path)
    return path


def test_chart_sheets_count_as_sheets(chart_sheet) -> None:
    book = Workbook.load(chart_sheet, calculate=True)
    assert book.tabs == [("Sheet1", "worksheet"), ("Chart1", "chartsheet"), ("Stuff", "worksheet")]
    assert list(book.sheets) == ["Sheet1", "Stuff"]  # only worksheets hold cells
    for cell, formula, expected in CHART_SHEET:
        assert_same(expected, book[f"Sheet1!{cell}"], formula)
    assert_same(3.0, book["Stuff!A1"], "=SHEET() on the third tab")
    assert_same(2.0, book["Sheet1!B1"], 'INFO("numfile")')  # judgement: worksheets only


def test_chart_sheets_count_as_libreoffice_counts_them(chart_sheet, office) -> None:
    """LibreOffice imports a chart sheet as a sheet holding the chart: its SHEET and SHEETS
    count it as Excel does (its INFO("numfile") counts documents, left out)."""
    book = Workbook.load(chart_sheet, calculate=True)
    expected = _libreoffice_values(office, chart_sheet)
    assert set(expected) == {("Sheet1", c) for c, _, _ in CHART_SHEET} | {("Sheet1", "B1"),
                                                                         ("Stuff", "A1")}
    for (sheet, cell), value in expected.items():
        if (sheet, cell) != ("Sheet1", "B1"):
            assert_same(value, book[f"{sheet}!{cell}"], f"{sheet}!{cell}")


# "ISOMITTED function": its example, and rule rows (a value there is not omitted)
ISOMITTED = [
    row('=LAMBDA(x,y,IF(ISOMITTED(y),"Missing second argument",x+y))(1,)',
        "Missing second argument"),
    row('=LAMBDA(x,y,IF(ISOMITTED(y),"Missing second argument",x+y))(1,2)', 3.0),
    row('=LAMBDA(x,y,ISOMITTED(x))(,2)', True), row('=LAMBDA(x,y,x+y)(1,)', 1.0),
    row("=ISOMITTED(A1)", False), row('=LAMBDA(x,y,x+y)(1)', VALUE),
]


@cases(({}, ISOMITTED))
def test_isomitted(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# Position-only references make no dependency edge ("ISFORMULA", "SHEET", "CELL" row/col/address)
POSITION = [row("A1", '=CELL("row",A1)', 1.0), row("A1", '=CELL("address",A1:B2)', "$A$1"),
            row("A1", "=ISFORMULA(A1)", True), row("A1", "=SHEET(A1)", 1.0),
            row("A1", "=SHEETS(A1)", 1.0)]


@pytest.mark.parametrize("at, formula, expected", POSITION)
def test_position_only_reference_to_its_own_cell(at: str, formula: str, expected: object) -> None:
    assert_same(expected, calculated({"S": {at: formula}})[f"S!{at}"], formula)


def test_cell_contents_of_its_own_cell_is_still_circular() -> None:
    from cellgrad.core.errors import CircularReferenceError
    with pytest.raises(CircularReferenceError):
        calculated({"S": {"A1": '=CELL("contents",A1)'}})
