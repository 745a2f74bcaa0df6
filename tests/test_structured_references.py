"""Issue 9: Excel Tables and their structured references.

The table layouts and references are Microsoft's ("Using structured references with Excel tables":
the DeptSales table, the special items, column ranges, the escapes of FY summary headers). A
workbook using every form is built with openpyxl and recalculated by LibreOffice headless; the
engine must give LibreOffice's value in every formula cell (numbers to 1e-12 relative).

LibreOffice 7.4 departs from Excel on three forms, named here; in the copy LibreOffice computes,
such a formula is written in an equivalent form that it reads as Excel does:
- AT_FORM: ``[@Col]``, ``[@[Col name]]``, ``Table[@Col]`` are what Excel shows; its files store
  ``Table[[#This Row],[Col]]`` (MS-XLSX 2.2.2), and LibreOffice's .xlsx import reads only that
  (the ``@`` forms give #N/A or #NAME?).
- SINGLE_ITEM: ``Table[#All]``, ``[#Data]``, ``[#Headers]``, ``[#Totals]`` (which Excel writes so)
  are read by LibreOffice's .xlsx import as columns named "#all"...: #NAME?. It reads
  ``Table[[#All]]`` right.
- BARE_NAME: ``=SUM(DeptSales)``: a table's name alone is its data, "excluding the headers row
  and totals row" (Microsoft); LibreOffice includes the totals row.
- NAME_PAST_TABLE: a defined name holding ``[#This Row]`` is, as the reference itself, the
  column's cell on the row of the formula using the name; on a row past the table's data
  (#VALUE!, the implicit intersection finds no cell) LibreOffice reads an empty cell instead.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from cellgrad.cli.main import main
from cellgrad.core.cells import Table as TableModel
from cellgrad.core.errors import FormulaError, WorkbookError
from cellgrad.core.ir import AreaRef, CellRef, Node
from cellgrad.core.parser import parse_formula
from cellgrad.core.references import Range
from cellgrad.core.structured import Tables
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableColumn, TableFormula

from .builder import assert_same, row, same, with_part

AT_FORM = "LibreOffice's .xlsx import reads [#This Row] only, the form Excel stores, not @"
SINGLE_ITEM = "LibreOffice's .xlsx import reads T[#All] as a column named #all; T[[#All]] it reads"
BARE_NAME = "LibreOffice counts the totals row into a bare table name; Excel: data only"
NAME_PAST_TABLE = "LibreOffice reads a name's [#This Row] past the table as empty; Excel: #VALUE!"

# -- Microsoft's DeptSales layout: A1:E8, header row 1, data rows 2-7, totals row 8 --------------
DEPT_COLUMNS = ("Sales Person", "Region", "Sales Amount", "% Commission", "Commission Amount")
DEPT = TableModel("DeptSales", "Sheet1", Range.parse("A1:E8", "Sheet1"), DEPT_COLUMNS, 1, 1)
FY_COLUMNS = ("Total $ Amount", "#Items", "it's", "Q[1]", "Net@Rate")
FY = TableModel("DeptSalesFYSummary", "FY", Range.parse("B3:F6", "FY"), FY_COLUMNS, 1, 0)

RANGES = [
    # the reference, the cell holding the formula, the cells Microsoft's page says it refers to
    row("DeptSales[Sales Amount]", "H1", "Sheet1!C2:C7"),
    row("DeptSales[[#All],[Sales Amount]]", "H1", "Sheet1!C1:C8"),
    row("DeptSales[[#Headers],[% Commission]]", "H1", "Sheet1!D1"),
    row("DeptSales[[#Totals],[Region]]", "H1", "Sheet1!B8"),
    row("DeptSales[[Sales Amount]:[% Commission]]", "H1", "Sheet1!C2:D7"),
    row("DeptSales[[#Headers],[Region]:[Commission Amount]]", "H1", "Sheet1!B1:E1"),
    row("DeptSales[[#Totals],[Sales Amount]:[Commission Amount]]", "H1", "Sheet1!C8:E8"),
    row("DeptSales[[#Headers],[#Data],[% Commission]]", "H1", "Sheet1!D1:D7"),
    row("DeptSales[[#Data],[#Totals],[Sales Amount]]", "H1", "Sheet1!C2:C8"),
    row("DeptSales[[#This Row], [Commission Amount]]", "E5", "Sheet1!E5"),
    row("DeptSales[[#This Row],[Sales Amount]:[% Commission]]", "H5", "Sheet1!C5:D5"),
    row("DeptSales[#All]", "H1", "Sheet1!A1:E8"),
    row("DeptSales[#Data]", "H1", "Sheet1!A2:E7"),
    row("DeptSales[#Headers]", "H1", "Sheet1!A1:E1"),
    row("DeptSales[#Totals]", "H1", "Sheet1!A8:E8"),
    row("DeptSales", "H1", "Sheet1!A2:E7"),
    row("DeptSales[]", "H1", "Sheet1!A2:E7"),
    row("deptsales[SALES AMOUNT]", "H1", "Sheet1!C2:C7"),            # names are case-insensitive
    row("DeptSales[ [Region] ]", "H1", "Sheet1!B2:B7"),              # spaces around the brackets
    row("[@[Sales Amount]]", "E3", "Sheet1!C3"),                      # inside the table
    row("[@Region]", "E6", "Sheet1!B6"),
    row("[@]", "E4", "Sheet1!A4:E4"),
    row("[Sales Amount]", "E4", "Sheet1!C2:C7"),
    row("DeptSales[@Region]", "H7", "Sheet1!B7"),
    row("DeptSales[@[Sales Amount]:[% Commission]]", "H2", "Sheet1!C2:D2"),
    row("DeptSalesFYSummary[[Total $ Amount]]", "A1", "FY!B4:B6"),
    row("DeptSalesFYSummary['#Items]", "A1", "FY!C4:C6"),
    row("DeptSalesFYSummary[it''s]", "A1", "FY!D4:D6"),
    row("DeptSalesFYSummary[Q'[1']]", "A1", "FY!E4:E6"),
    row("DeptSalesFYSummary[Net'@Rate]", "A1", "FY!F4:F6"),
    row("DeptSalesFYSummary[['#Items]:[Q'[1']]]", "A1", "FY!C4:E6"),
]


def _parsed(reference: str, at: str) -> Node:
    cell = Range.parse(at, "Sheet1")
    return parse_formula("=" + reference, cell.r1, cell.c1, sheet="Sheet1", tables=Tables([DEPT, FY]))


@pytest.mark.parametrize("reference, at, expected", RANGES)
def test_reference_covers_microsofts_cells(reference: str, at: str, expected: str) -> None:
    node = _parsed(reference, at)
    cell = Range.parse(at, "Sheet1")
    if isinstance(node, AreaRef):
        covered = node.at("Sheet1", cell.r1, cell.c1)
    else:
        assert isinstance(node, CellRef), node
        r, c = node.at(cell.r1, cell.c1)
        covered = Range(node.sheet or "Sheet1", r, c, r, c)
    assert covered == Range.parse(expected)


@pytest.mark.parametrize("reference, at, error", [
    row("DeptSales[[#This Row],[Region]]", "H12", "#VALUE!"),  # no data on the formula's row
    row("DeptSalesFYSummary[#Totals]", "A1", "#REF!"),          # the table has no totals row
    row("DeptSales[Bonus]", "H1", "#REF!"),                     # no such column
    row("Nowhere[Region]", "H1", "#REF!"),                      # no such table
    row("[@Region]", "H20", "#REF!"),                           # not inside a table
])
def test_reference_with_nothing_there_is_an_error(reference: str, at: str, error: str) -> None:
    assert str(_parsed(reference, at).value) == error


@pytest.mark.parametrize("formula", ["=DeptSales[[#Bogus],[Region]]", "=DeptSales[[#Headers],[#Totals]]",
                                     "=DeptSales[[Region],[Sales Amount]]", "=DeptSales[[Region]"])
def test_malformed_structured_reference_is_a_parse_error(formula: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    wb = _dept_workbook(libreoffice=False)
    wb["Report"]["A1"] = formula
    wb.save(path)
    with pytest.raises(FormulaError, match="Report.*A1"):
        Workbook.load(path)


# -- the workbook with every form -------------------------------------------------------------
@dataclass(frozen=True)
class Form:
    cell: str              # "Sheet!A1"
    formula: str           # what the engine reads
    libreoffice: str = ""  # what LibreOffice is given instead, where it departs (see the docstring)
    why: str = ""


SALES = [("Joe", "North", 260, 0.10), ("Robert", "South", 660, 0.15), ("Michelle", "East", 940, 0.15),
         ("Erich", "West", 410, 0.12), ("Dafna", "North", 800, 0.15), ("Rob", "South", 900, 0.15)]
SALES_COLUMNS = DEPT_COLUMNS + ("Bonus",)
FY_DATA = [(1200.5, 3, 7, 2, 0.25), (980.25, 5, 11, 4, 0.5), (1530.75, 2, 13, 8, 0.125)]


def _this_row(column: str) -> str:
    return f"DeptSales[[#This Row],[{column}]]"


FORMS = [
    # calculated columns, inside the table: the @ forms and the stored form
    *[Form(f"Sales!E{r}", "=[@[Sales Amount]]*[@[% Commission]]",
           f"={_this_row('Sales Amount')}*{_this_row('% Commission')}", AT_FORM) for r in (2, 4, 6)],
    *[Form(f"Sales!E{r}", f"={_this_row('Sales Amount')}*{_this_row('% Commission')}")
      for r in (3, 5, 7)],
    *[Form(f"Sales!F{r}", '=IF([@Region]="North",100,0)',
           f'=IF({_this_row("Region")}="North",100,0)', AT_FORM) for r in range(2, 8)],
    # the totals row
    Form("Sales!C8", "=SUM(DeptSales[Sales Amount])"),
    Form("Sales!E8", "=SUM(DeptSales[Commission Amount])"),
    Form("Sales!F8", "=SUM(DeptSales[Bonus])"),
    # #This Row beside the table, on its rows, and past them
    *[Form(f"Sales!H{r}", f"={_this_row('Sales Amount')}*2") for r in range(2, 8)],
    *[Form(f"Sales!I{r}", "=SUM(DeptSales[[#This Row],[Sales Amount]:[% Commission]])")
      for r in range(2, 8)],
    *[Form(f"Sales!J{r}", "=DeptSales[@Bonus]+1", f"={_this_row('Bonus')}+1", AT_FORM)
      for r in range(2, 8)],
    Form("Sales!H10", f"={_this_row('Sales Amount')}"),
    # from another sheet
    Form("Report!B1", "=SUM(DeptSales[Sales Amount])"),
    Form("Report!B2", "=SUM(deptsales[SALES AMOUNT])+Deptsales[[#totals],[sales amount]]"),
    Form("Report!B3", "=DeptSales[[#Headers],[% Commission]]"),
    Form("Report!B4", f"={_this_row('Sales Person')}"),  # Report's row 4 crosses the data
    Form("Report!B5", "=COUNTA(DeptSales[#All])", "=COUNTA(DeptSales[[#All]])", SINGLE_ITEM),
    Form("Report!B6", "=SUM(DeptSales[#Data])", "=SUM(DeptSales[[#Data]])", SINGLE_ITEM),
    Form("Report!B7", "=SUM(DeptSales[#Totals])", "=SUM(DeptSales[[#Totals]])", SINGLE_ITEM),
    Form("Report!B8", "=COUNTA(DeptSales[#Headers])", "=COUNTA(DeptSales[[#Headers]])", SINGLE_ITEM),
    Form("Report!B9", "=SUM(DeptSales[[Sales Amount]:[Commission Amount]])"),
    Form("Report!B10", "=COUNTA(DeptSales[[Sales Person]:[Region]])"),
    Form("Report!B11", "=SUM(DeptSales[[#Headers],[#Data],[Sales Amount]])"),
    Form("Report!B12", "=SUM(DeptSales[[#Data],[#Totals],[Sales Amount]])"),
    Form("Report!B13", "=COUNTA(DeptSales[[#All],[Region]])"),
    Form("Report!B14", "=SUM(DeptSales[[#Totals],[Sales Amount]:[Bonus]])"),
    Form("Report!B15", "=SUM(DeptSales)", "=SUM(DeptSales[[#Data]])", BARE_NAME),
    Form("Report!B16", "=SUM(DeptSales[])"),
    Form("Report!B17", "=SUMPRODUCT(DeptSales[Sales Amount],DeptSales[% Commission])"),
    Form("Report!B18", "=INDEX(DeptSales[Sales Person],MATCH(MAX(DeptSales[Sales Amount]),"
                       "DeptSales[Sales Amount],0))"),
    Form("Report!B19", "=ROWS(DeptSales[[#Headers],[#Data],[Region]])*COLUMNS(DeptSales[[#Headers]])"),
    # defined names that refer to tables
    Form("Report!B20", "=MAX(TopSales)"),
    Form("Report!B21", "=SUM(Items)/COUNT(Items)"),
    # defined names holding [#This Row]: the row of the formula using them
    *[Form(f"Sales!K{r}", "=Amount*2") for r in (1, *range(2, 8))],
    *[Form(f"Sales!K{r}", "=Amount*2", f"={_this_row('Sales Amount')}*2", NAME_PAST_TABLE)
      for r in (9, 10)],
    *[Form(f"Sales!L{r}", "=Earned") for r in range(2, 8)],
    *[Form(f"Sales!M{r}", "=SUM(AmountRate)") for r in range(2, 8)],
    Form("Report!C4", "=Amount"),
    Form("Report!C29", "=Amount", f"={_this_row('Sales Amount')}", NAME_PAST_TABLE),
    # escaped and bracketed column names (Microsoft's FY summary headers)
    Form("Report!B22", "=SUM(DeptSalesFYSummary[[Total $ Amount]])"),
    Form("Report!B23", "=SUM(DeptSalesFYSummary['#Items])"),
    Form("Report!B24", "=SUM(DeptSalesFYSummary[it''s])"),
    Form("Report!B25", "=SUM(DeptSalesFYSummary[Q'[1']])"),
    Form("Report!B26", "=SUM(DeptSalesFYSummary[Net'@Rate])"),
    Form("Report!B27", "=SUM(DeptSalesFYSummary[['#Items]:[Q'[1']]])"),
    Form("Report!B28", "=DeptSalesFYSummary[[#Headers],[Q'[1']]]"),
]
NAMES = {"TopSales": "DeptSales[Sales Amount]", "Items": "DeptSalesFYSummary['#Items]",
         "Amount": _this_row("Sales Amount"), "Earned": f"Amount*{_this_row('% Commission')}",
         "AmountRate": "DeptSales[[#This Row],[Sales Amount]:[% Commission]]"}


def _table(name: str, ref: str, columns: tuple[str, ...], totals: int,
           calculated: dict[str, str] | None = None) -> Table:
    table = Table(displayName=name, name=name, ref=ref, totalsRowCount=totals or None)
    table.tableColumns = [TableColumn(id=i + 1, name=c) for i, c in enumerate(columns)]
    for column in table.tableColumns:
        if calculated and column.name in calculated:
            column.calculatedColumnFormula = TableFormula(attr_text=calculated[column.name])
    table.autoFilter = None
    return table


def _dept_workbook(*, libreoffice: bool) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    sales = wb.active
    sales.title = "Sales"
    sales.append(SALES_COLUMNS)
    for person in SALES:
        sales.append(person)
    sales["A8"] = "Total"
    sales.add_table(_table("DeptSales", "A1:F8", SALES_COLUMNS, 1, {
        "Commission Amount": f"{_this_row('Sales Amount')}*{_this_row('% Commission')}",
        "Bonus": f'IF({_this_row("Region")}="North",100,0)'}))
    fy = wb.create_sheet("FY Summary")
    fy.append([])
    fy.append([None, "FY summary"])
    fy.append([None, *FY_COLUMNS])
    for values in FY_DATA:
        fy.append([None, *values])
    fy.add_table(_table("DeptSalesFYSummary", "B3:F6", FY_COLUMNS, 0))
    wb.create_sheet("Report")
    for form in FORMS:
        sheet, cell = form.cell.split("!")
        wb[sheet][cell] = form.libreoffice if libreoffice and form.libreoffice else form.formula
    for name, text in NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    return wb


@pytest.fixture(scope="module")
def every_form(tmp_path_factory) -> tuple[Path, Path]:
    """The workbook the engine reads, and LibreOffice's copy of it (forms it departs on rewritten)."""
    folder = tmp_path_factory.mktemp("tables")
    paths = folder / "every_form.xlsx", folder / "every_form_libreoffice.xlsx"
    for path, libreoffice in zip(paths, (False, True)):
        _dept_workbook(libreoffice=libreoffice).save(path)
    return paths


def _libreoffice_values(office, path: Path) -> dict:
    """Every formula cell's value after LibreOffice's full recalculation."""
    document = office.open(path)
    try:
        document.calculate_all()
        return document.formula_values()
    finally:
        document.close()


def test_every_form_as_libreoffice_computes_it(every_form, office) -> None:
    engine_file, libreoffice_file = every_form
    book = Workbook.load(engine_file)
    book.calculate()
    expected = _libreoffice_values(office, libreoffice_file)
    assert {f"{s}!{c}" for s, c in expected} == {f.cell for f in FORMS}
    for form in FORMS:
        sheet, cell = form.cell.split("!")
        assert_same(expected[(sheet, cell)], book[form.cell], f"{form.cell} {form.formula}")


def test_table_parts_are_read(every_form) -> None:
    book = Workbook.load(every_form[0])
    dept = book.tables.named("DEPTSALES")
    assert dept is not None and dept.sheet == "Sales" and dept.ref == Range.parse("Sales!A1:F8")
    assert dept.columns == SALES_COLUMNS
    assert (dept.header_row_count, dept.totals_row_count, dept.data_rows) == (1, 1, (2, 7))
    assert dict(dept.calculated) == {
        "Commission Amount": f"{_this_row('Sales Amount')}*{_this_row('% Commission')}",
        "Bonus": f'IF({_this_row("Region")}="North",100,0)'}
    fy = book.tables.named("deptsalesfysummary")
    assert fy is not None and fy.columns == FY_COLUMNS and fy.totals_row_count == 0


def test_calculated_column_formula_computes_as_its_cells(every_form) -> None:
    """The table part's calculated-column formula, parsed at each data row, gives the cells' values."""
    book = Workbook.load(every_form[0])
    book.calculate()
    dept = book.tables.named("DeptSales")
    for column, formula in dept.calculated:
        col = dept.column(column)
        for r in range(*dept.data_rows):
            node = parse_formula(formula, r, col, sheet="Sales", tables=book.tables)
            assert book.sheets["Sales"].cells[(r, col)].node == node


# A defined name holding [#This Row] is the column's cell on the row of the formula using it
# (Microsoft: "#This Row" forces implicit intersection with that row): DeptSales' data rows are
# 2-7 (SALES, in order); row 1 is its header row, 9, 10 and Report's 29 are past the table.
NAME_ROWS = [
    row("Sales!K1", ExcelError.VALUE), row("Sales!K2", 2 * SALES[0][2]),
    row("Sales!K7", 2 * SALES[5][2]), row("Sales!K9", ExcelError.VALUE),
    row("Sales!L4", SALES[2][2] * SALES[2][3]),   # Earned: a name holding a name and [#This Row]
    row("Sales!M5", SALES[3][2] + SALES[3][3]),   # AmountRate: two columns of the row
    row("Report!C4", SALES[2][2]),                # another sheet's row 4 crosses the data
    row("Report!C29", ExcelError.VALUE),
]


@pytest.fixture(scope="module")
def every_form_book(every_form) -> Workbook:
    book = Workbook.load(every_form[0])
    book.calculate()
    return book


@pytest.mark.parametrize("cell, expected", NAME_ROWS)
def test_name_with_this_row_takes_the_using_formulas_row(every_form_book, cell: str,
                                                        expected: object) -> None:
    assert_same(float(expected) if isinstance(expected, (int, float)) else expected,
                every_form_book[cell], cell)


def _name_beside_reference(path: Path) -> Path:
    """Sales!K1:K10 ``=Amount*2`` (the name), P1:P10 the reference it holds, written out: header,
    data, totals row, past the table."""
    wb = _dept_workbook(libreoffice=False)
    for r in range(1, 11):
        wb["Sales"][f"K{r}"] = "=Amount*2"
        wb["Sales"][f"P{r}"] = f"={_this_row('Sales Amount')}*2"
    wb.save(path)
    return path


def _assert_name_is_the_reference(book: Workbook) -> None:
    book.calculate()
    for r in range(1, 11):
        assert same(book[f"Sales!P{r}"], book[f"Sales!K{r}"]), r
    cells = book.sheets["Sales"].cells
    data = {id(cells[(r, 11)].node) for r in range(2, 8)}
    assert len(data) == 1, "the data rows' cells share one IR (one block)"
    assert id(cells[(1, 11)].node) not in data and id(cells[(9, 11)].node) not in data


def test_name_with_this_row_is_the_reference_on_every_row(tmp_path: Path) -> None:
    """The same formula down a column has one R1C1 form: through the name, its IR still depends
    on whether the row crosses the data."""
    _assert_name_is_the_reference(Workbook.load(_name_beside_reference(tmp_path / "names.xlsx")))


def test_name_with_this_row_in_a_shared_formula(tmp_path: Path) -> None:
    """K1:K10 as one shared formula (Excel writes a filled formula so): its master is on the
    header row, and its members still take their own rows."""
    plain = _name_beside_reference(tmp_path / "plain.xlsx")
    found = []

    def share(body: bytes) -> bytes:
        def member(m: re.Match) -> bytes:
            found.append(m.group(1))
            f = (b'<f t="shared" ref="K1:K10" si="0">Amount*2</f>' if m.group(1) == b"1"
                 else b'<f t="shared" si="0"/>')
            return b'<c r="K' + m.group(1) + b'">' + f
        return re.sub(rb'<c r="K(\d+)"><f>Amount\*2</f>', member, body)

    shared = with_part(plain, "xl/worksheets/sheet1.xml", share, tmp_path / "shared.xlsx")
    assert len(found) == 10
    _assert_name_is_the_reference(Workbook.load(shared))


def test_tables_are_kept_when_saved(every_form, tmp_path: Path) -> None:
    book = Workbook.load(every_form[0])
    book["Sales!C2"] = 300
    out = tmp_path / "saved.xlsx"
    book.save_values(out)
    saved = Workbook.load(out)
    assert saved.tables.all == book.tables.all and len(saved.tables.all) == 2
    saved.calculate()
    assert saved["Report!B1"] == book["Report!B1"] == sum(s[2] for s in SALES) - 260 + 300


def test_a_broken_table_part_is_one_error(every_form, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(every_form[0]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/tables/"):
                body = re.sub(rb'ref="[^"]*"', b'ref="A1:B8"', body, count=1)
            target.writestr(info, body)
    with pytest.raises(WorkbookError, match="names 6 columns but covers 2"):
        Workbook.load(broken)


# -- a file laid out as Excel writes one ------------------------------------------------------
# Excel stores the table in xl/tables/table1.xml (tableColumn names, calculatedColumnFormula,
# the totals row's function), links it from the sheet (<tableParts> and the sheet's relationships)
# and stores every formula in the file form: [#This Row] spelled out, T[#All] in single brackets.
# The cached values here are computed in plain Python from the data, as Excel would compute them.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMISSION = f"{_this_row('Sales Amount')}*{_this_row('% Commission')}"


def _excel_cells() -> dict[str, tuple[object, str | None]]:
    """Sheet1's cells: address -> (value, formula or None)."""
    cells: dict[str, tuple[object, str | None]] = {}
    for c, name in zip("ABCDE", DEPT_COLUMNS):
        cells[f"{c}1"] = (name, None)
    for r, (person, region, amount, rate) in enumerate(SALES, start=2):
        cells.update({f"A{r}": (person, None), f"B{r}": (region, None), f"C{r}": (amount, None),
                      f"D{r}": (rate, None), f"E{r}": (amount * rate, _COMMISSION)})
    cells["A8"] = ("Total", None)
    cells["C8"] = (sum(s[2] for s in SALES), "SUM(DeptSales[Sales Amount])")
    cells["E8"] = (sum(s[2] * s[3] for s in SALES), "SUM(DeptSales[Commission Amount])")
    return cells


def _summary_cells(sheet1: dict[str, tuple[object, str | None]]) -> dict[str, tuple[object, str]]:
    """Summary's formulas over the table, with what Excel gives (counted here from Sheet1)."""
    data = [v for a, (v, _) in sheet1.items() if 2 <= int(a[1:]) <= 7]
    numbers = [v for v in data if isinstance(v, (int, float))]
    total = sheet1["C8"][0] + sheet1["E8"][0]
    return {
        "A1": (sum(numbers), "SUM(DeptSales[#Data])"),
        "A2": (len(sheet1), "COUNTA(DeptSales[#All])"),
        "A3": (total, "SUM(DeptSales[#Totals])"),
        "A4": (5, "COUNTA(DeptSales[#Headers])"),
        # row 5 of Summary crosses the table's row 5: Erich's commission
        "A5": (SALES[3][2] * SALES[3][3], "DeptSales[[#This Row],[Commission Amount]]"),
        "A6": (sum(s[2] + s[3] for s in SALES), "SUM(DeptSales[[Sales Amount]:[% Commission]])"),
        "A7": (max(s[2] for s in SALES), "MAX(TopSales)"),
        "A8": ("% Commission", "DeptSales[[#Headers],[% Commission]]"),
        "A9": (ExcelError.VALUE, "DeptSales[[#This Row],[Sales Amount]]"),  # row 9 is past the data
    }


def _cell_xml(address: str, value: object, formula: str | None, strings: list[str]) -> str:
    f = "" if formula is None else f"<f>{_escape(formula)}</f>"
    if isinstance(value, ExcelError):
        return f'<c r="{address}" t="e">{f}<v>{value.value}</v></c>'
    if isinstance(value, str):
        if formula is not None:
            return f'<c r="{address}" t="str">{f}<v>{_escape(value)}</v></c>'
        strings.append(value)
        return f'<c r="{address}" t="s"><v>{len(strings) - 1}</v></c>'
    return f'<c r="{address}">{f}<v>{value!r}</v></c>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _sheet_xml(cells: dict, strings: list[str], table: bool) -> str:
    rows: dict[int, list[str]] = {}
    for address, (value, formula) in sorted(cells.items(), key=lambda kv: (int(kv[0][1:]), kv[0][0])):
        rows.setdefault(int(address[1:]), []).append(_cell_xml(address, value, formula, strings))
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    parts = '<tableParts count="1"><tablePart r:id="rId1"/></tableParts>' if table else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheetData>{body}</sheetData>{parts}</worksheet>')


def _table_xml() -> str:
    columns = []
    for i, name in enumerate(DEPT_COLUMNS, start=1):
        extra = ""
        if name == "Sales Person":
            extra = ' totalsRowLabel="Total"'
        elif name in ("Sales Amount", "Commission Amount"):
            extra = ' totalsRowFunction="custom"'
        inner = ""
        if name == "Commission Amount":
            inner += f"<calculatedColumnFormula>{_escape(_COMMISSION)}</calculatedColumnFormula>"
        if "custom" in extra:
            inner += f"<totalsRowFormula>SUM(DeptSales[{name}])</totalsRowFormula>"
        columns.append(f'<tableColumn id="{i}" name="{_escape(name)}"{extra}>{inner}</tableColumn>'
                       if inner else f'<tableColumn id="{i}" name="{_escape(name)}"{extra}/>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="{_MAIN}" id="1" '
            'name="DeptSales" displayName="DeptSales" ref="A1:E8" totalsRowCount="1">'
            '<autoFilter ref="A1:E7"/>'
            f'<tableColumns count="{len(columns)}">{"".join(columns)}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>')


def write_excel_layout(path: Path) -> dict[str, object]:
    """The package; returns {"Sheet!A1": cached value} for its formula cells."""
    sheet1 = _excel_cells()
    summary = _summary_cells(sheet1)
    strings: list[str] = []
    sheets = [_sheet_xml(sheet1, strings, True), _sheet_xml(summary, strings, False)]
    sst = "".join(f"<si><t>{_escape(s)}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
            'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                      'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in (1, 2))
            + '<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.table+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
            '+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            '<sheet name="Summary" sheetId="2" r:id="rId2"/></sheets><definedNames>'
            '<definedName name="TopSales">DeptSales[Sales Amount]</definedName></definedNames>'
            '<calcPr calcId="191029"/></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in (1, 2))
            + f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/worksheets/sheet1.xml": sheets[0],
        "xl/worksheets/sheet2.xml": sheets[1],
        "xl/worksheets/_rels/sheet1.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/table" Target="../tables/table1.xml"/>'
            '</Relationships>'),
        "xl/tables/table1.xml": _table_xml(),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    cached = {f"Sheet1!{a}": v for a, (v, f) in sheet1.items() if f is not None}
    cached.update({f"Summary!{a}": v for a, (v, f) in summary.items()})
    return cached


def test_excel_layout_matches_its_cached_values(tmp_path: Path, capsys) -> None:
    path = tmp_path / "excel_layout.xlsx"
    cached = write_excel_layout(path)
    assert main(["eval", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{len(cached)} formula cells, {len(cached)} matched" in out
    book = Workbook.load(path)
    assert dict(book.tables.named("DeptSales").calculated) == {"Commission Amount": _COMMISSION}


def test_excel_layout_as_libreoffice_computes_it(tmp_path: Path, office) -> None:
    path = tmp_path / "excel_layout.xlsx"
    cached = write_excel_layout(path)
    book = Workbook.load(path)
    book.calculate()
    expected = _libreoffice_values(office, path)
    single_item = {"Summary!A1", "Summary!A2", "Summary!A3", "Summary!A4"}  # SINGLE_ITEM
    assert set(cached) == {f"{s}!{c}" for s, c in expected}
    for cell in sorted(set(cached) - single_item):
        sheet, address = cell.split("!")
        assert_same(expected[(sheet, address)], book[cell], cell)
    for cell in single_item:  # should LibreOffice read them one day, the exception goes
        assert not same(expected[tuple(cell.split("!"))], cached[cell]), cell
