"""Excel's formula semantics as tables: each row a formula and the value Excel documents for it.

Every row goes through a real .xlsx file (reader, parser, dependency graph, calculation). The
comment above a group of rows names the Microsoft support page the values come from; a value that
is arithmetic on such a rule says so.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook

from .builder import assert_same, calculated, evaluate, row, with_part, write_workbook

NA, DIV0, VALUE, REF, NAME, NUM, NULL = (ExcelError.NA, ExcelError.DIV0, ExcelError.VALUE,
                                         ExcelError.REF, ExcelError.NAME, ExcelError.NUM,
                                         ExcelError.NULL)


def check(formula: str, expected: object, cells: dict | None = None, at: str = "Z100") -> None:
    assert_same(expected, evaluate(formula, cells, at=at), formula)


# --- operators and precedence ------------------------------------------------------------------
# "Calculation operators and precedence in Excel": negation (-) binds tighter than %, % than ^,
# ^ than * and /, those than + and -, those than &, & than the comparisons; operators of equal
# precedence are evaluated left to right.
PRECEDENCE = [
    row("=-2^2", 4.0),            # (-2)^2: negation first
    row("=0-2^2", -4.0),          # binary minus is below ^
    row("=2^3^2", 64.0),          # left to right: (2^3)^2
    row("=5+2*3", 11.0),          # the page's example
    row("=(5+2)*3", 21.0),        # the page's example with parentheses
    row("=10-4-3", 3.0),
    row("=48/4/2", 6.0),
    row("=2*3^2", 18.0),
    row("=50%", 0.5),
    row("=-50%", -0.5),
    row("=2^200%", 4.0),          # % before ^: 2^(200%)
    row("=10%%", 0.001),          # % applied twice
    row("=-2^0.5", NUM),          # (-2)^0.5 has no real value: #NUM!
    row("=2*-3", -6.0),
    row("=1--1", 2.0),
    row("=1+2&3", "33"),          # + before &
    row('="a"&1+2', "a3"),
    row("=1&2+3", "15"),
    row("=1+2=3", True),          # comparisons last
    row('="1"&"2"="12"', True),
    row("=1&2=12", False),        # "12" (text) = 12 (number) is FALSE
    row("=1=1=TRUE", True),       # (1=1)=TRUE
    row("=3>2>1", True),          # (3>2)>1 is TRUE>1, and a logical is greater than any number
]

# "Calculation operators and precedence in Excel", "How Excel converts values in formulas".
CONVERSION = [
    row('="1"+"2"', 3.0),
    row('=1+"$4.00"', 5.0),
    row('="6/1/2001"-"5/1/2001"', 31.0),
    row('=SQRT("8+1")', VALUE),
    row('="A"&TRUE', "ATRUE"),
    row("=TRUE+1", 2.0),
    row('="a"+1', VALUE),
    row('=-"2"', -2.0),
    row('="1e3"*1', 1000.0),
    row('=" 2 "*1', 2.0),
    row('="50%"*1', 0.5),
    row('="1,000"+1', 1001.0),
    row("=1&TRUE", "1TRUE"),
    row("=1.5&\"\"", "1.5"),
    row("=1/3&\"\"", "0.333333333333333"),   # 15 significant digits in text
]

# Comparison operators: "Calculation operators and precedence in Excel"; the ordering of types is
# MATCH's and SORT's documented ascending order: numbers, then text (A-Z, case-insensitive), then
# FALSE, TRUE.
COMPARISON = [
    row('=1<"a"', True),
    row('=1000000<"0"', True),     # any text is greater than any number
    row('="a"<TRUE', True),
    row('="Z"<FALSE', True),
    row("=FALSE>1000", True),
    row("=FALSE<TRUE", True),
    row('=1="1"', False),          # a number never equals text
    row("=TRUE=1", False),         # nor a logical
    row('="abc"="ABC"', True),     # text comparison ignores case
    row('="a"<"B"', True),
    row('="B">"a"', True),
    row('="apple"<"apples"', True),
    row('="2"<"10"', False),       # text compares as text
    row("=2<10", True),
    row("=1<>1", False),
    row("=1>=1", True),
    row("=1<=0", False),
    row("=-1<0", True),
    row("=#N/A=1", NA),            # errors propagate through comparisons
    row('="a"<>#DIV/0!', DIV0),
]

# An empty cell is 0, "" or FALSE, whichever the other side is ("IF function": =IF(D3="",...)).
EMPTY_CELL = [
    row("=A1=0", True),
    row('=A1=""', True),
    row("=A1=FALSE", True),
    row("=A1<1", True),
    row("=A1>-1", True),
    row("=A1+1", 1.0),
    row('=A1&"x"', "x"),
    row('=IF(A1="","Blank","Not Blank")', "Blank"),
    row('=IF(B1="","Blank","Not Blank")', "Blank"),      # B1 is ="": blank to =""
    row('=IF(C1="","Blank","Not Blank")', "Not Blank"),  # C1 is 0
    row('=IF(D1="","Blank","Not Blank")', "Not Blank"),  # D1 is " "
    row("=IF(A1,1,2)", 2.0),                             # empty is FALSE as a condition
    row("=ISBLANK(A1)", True),
    row("=ISBLANK(B1)", False),                          # a formula cell is not blank
]
EMPTY_CELLS = {"B1": '=""', "C1": 0, "D1": " "}


@pytest.mark.parametrize("formula, expected", PRECEDENCE + CONVERSION + COMPARISON)
def test_operators(formula: str, expected: object) -> None:
    check(formula, expected)


@pytest.mark.parametrize("formula, expected", EMPTY_CELL)
def test_empty_cells(formula: str, expected: object) -> None:
    check(formula, expected, EMPTY_CELLS)


# --- references ---------------------------------------------------------------------------------
# "Overview of formulas in Excel" (A1 references, ranges, other sheets), "Switch between relative,
# absolute, and mixed references", "Calculation operators": the space is the intersection operator.
REFERENCE_SHEETS = {
    "S": {"A1": 1, "A2": 2, "A3": 3, "B1": 10, "B2": 20, "B3": 30},
    "Other": {"A1": 100, "A2": 200, "A3": 300},
    "Two Words": {"A1": 7},
    "It's": {"A1": 8},
}
REFERENCES = [
    row("=A2", 2.0),
    row("=$A$2", 2.0),
    row("=A$2+$B2", 22.0),
    row("=SUM(A1:B3)", 66.0),
    row("=SUM(B3:A1)", 66.0),                # corners in any order
    row("=SUM(A:A)", 6.0),                   # a whole column
    row("=SUM($B:$B)", 60.0),
    row("=SUM(2:2)", 22.0),                  # a whole row
    row("=SUM(A1:B3 B2:B9)", 50.0),          # intersection: B2:B3
    row("=SUM(A2:A1:B3)", 66.0),             # ":" chained: the range covering all three
    row("=A1:A2 B1:B2", NULL),               # no common cell: #NULL!
    row("=Other!A2", 200.0),
    row("=SUM(Other!A1:A3)", 600.0),
    row("='Two Words'!A1", 7.0),
    row("='It''s'!A1", 8.0),                 # an apostrophe in a sheet name is doubled
    row("=Other!A1+A1", 101.0),
    row("=Nowhere!A1", REF),                 # no such sheet
    row("=XFD1048576", 0.0),                 # the last cell of a sheet, empty: a formula shows 0
    row("=XFE1", NAME),                      # past the last column: a name, and undefined
    row("=A1048577", NAME),                  # past the last row
]
# "Implicit intersection operator: @": a range where one value is wanted gives the cell on the
# formula's row or column; an array gives its top-left value. Excel writes @ as _xlfn.SINGLE.
INTERSECTIONS = [
    row("=A1:A3", "D2", 2.0),
    row("=A1:A3", "D5", VALUE),              # no cell of A1:A3 on row 5
    row("=A1:B1", "B7", 10.0),               # same column
    row("=A1:A3*2", "D3", 6.0),
    row("=_xlfn.SINGLE(A1:A3)", "D3", 3.0),
    row("=_xlfn.SINGLE(A1:A3)", "D9", VALUE),
    row("=_xlfn.SINGLE({5,6;7,8})", "D1", 5.0),
    row("=_xlfn.SINGLE(OFFSET(A1,0,0,3,1))", "D2", 2.0),
]


@pytest.mark.parametrize("formula, expected", REFERENCES)
def test_references(formula: str, expected: object) -> None:
    book = calculated({**REFERENCE_SHEETS, "S": {**REFERENCE_SHEETS["S"], "Z100": formula}})
    assert_same(expected, book["S!Z100"], formula)


@pytest.mark.parametrize("formula, at, expected", INTERSECTIONS)
def test_implicit_intersection(formula: str, at: str, expected: object) -> None:
    check(formula, expected, REFERENCE_SHEETS["S"], at=at)


# --- defined names --------------------------------------------------------------------------------
# "Define and use names in formulas": names are case-insensitive; a name's scope is the workbook
# or one worksheet, and on that worksheet the sheet-level name is the one used. A name whose
# definition is #REF! (its cells were deleted) evaluates to #REF!; an undefined name to #NAME?.
NAMES = {"rate": "S!$A$2", "lr": "S!$B$2", "double_rate": "rate*2", "spaced": "'Two Words'!$A$1",
         "data": "S!$A$1:$A$3", "half": "0.5", "twice": "S!$A$3*2", "local": "S!$B$1",
         "everywhere": "Other!$A$1"}
SHEET_NAMES = {("S", "local"): "S!$B$3", ("S", "gone"): "S!#REF!", ("Other", "own"): "Other!$A$2"}
NAMED = [
    row("S", "=rate*2", 4.0),
    row("S", "=RATE+Rate", 4.0),             # case-insensitive
    row("S", "=SUM(data)", 6.0),
    row("S", "=SUMPRODUCT(data,data)", 14.0),
    row("S", "=half*4", 2.0),                # a constant
    row("S", "=twice+1", 7.0),               # a formula
    row("S", "=local", 30.0),                # the sheet's own name wins on its sheet
    row("Other", "=local", 10.0),            # ... and elsewhere the workbook's
    row("Other", "=S!local", 30.0),          # a sheet-scoped name qualified by its sheet
    row("Other", "=own+everywhere", 300.0),
    row("S", "=own", NAME),                  # Other's name is not visible on S
    row("S", "=gone", REF),
    row("S", "=gone+1", REF),
    row("S", "=SUM(gone)", REF),
    row("S", "=ISERROR(gone)", True),
    row("S", '=IFERROR(gone,"fallback")', "fallback"),
    row("S", "=undefined_name", NAME),
    row("S", "=lr*2", 40.0),                 # LR is a column, but alone it is a name (graddesc's lr)
    row("S", "=double_rate+1", 5.0),         # a name defined with another name
    row("S", "=spaced", 7.0),                # a quoted sheet name in a definition
    row("S", "=data", VALUE),                # a range where one value is wanted, row 100: none
]


@pytest.mark.parametrize("sheet, formula, expected", NAMED)
def test_defined_names(sheet: str, formula: str, expected: object) -> None:
    sheets = {name: dict(cells) for name, cells in REFERENCE_SHEETS.items() if name != "It's"}
    sheets[sheet]["Z100"] = formula
    book = calculated(sheets, names=NAMES, sheet_names=SHEET_NAMES)
    assert_same(expected, book[f"{sheet}!Z100"], formula)


# --- array (CSE) formulas ---------------------------------------------------------------------------
# "MMULT function" (its example: {1,3;7,2} x {2,0;0,2} = {2,6;14,4}; #VALUE! when array1's columns
# differ from array2's rows or an entry is not a number), "Guidelines and examples of array
# formulas" (a result smaller than the selected range is padded with #N/A; a single row or column
# is repeated across the range), "Create an array formula".
ARRAY_CELLS = {"A1": 1, "B1": 3, "A2": 7, "B2": 2, "C1": 2, "D1": 0, "C2": 0, "D2": 2,
               "F1": 1, "F2": 2, "F3": 3, "G1": 10, "G2": 0, "G3": 30, "H1": "x"}
ARRAYS = [
    row("J1:K2", "=MMULT(A1:B2,C1:D2)", [[2.0, 6.0], [14.0, 4.0]]),
    row("J1:K2", "=MMULT({1,3;7,2},{2,0;0,2})", [[2.0, 6.0], [14.0, 4.0]]),
    row("J1:L3", "=MMULT(A1:B2,C1:D2)", [[2.0, 6.0, NA], [14.0, 4.0, NA], [NA, NA, NA]]),
    row("J1:K2", "=MMULT(A1:B2,C1:C2)", [[2.0, 2.0], [14.0, 14.0]]),  # a column fills every column
    row("J1:J2", "=MMULT(A1:B2,C1:D1)", [[VALUE], [VALUE]]),          # 2 columns x 1 row
    row("J1:J2", "=MMULT(A1:B2,G3:H4)", [[VALUE], [VALUE]]),          # text and blanks
    row("J1:K3", "=A1:B2*10", [[10.0, 30.0], [70.0, 20.0], [NA, NA]]),
    row("J1:K2", "=F1:F2*G1:G2", [[10.0, 10.0], [0.0, 0.0]]),
    row("J1:K2", "=F1:F2+{100,200}", [[101.0, 201.0], [102.0, 202.0]]),  # column x row: a grid
    row("J1:J3", "={1;2}+{10,20}", [[11.0], [12.0], [NA]]),
    row("J1:L1", "=F1:F3", [[1.0, 1.0, 1.0]]),                         # one column, one row shown
    row("J1:J3", "=1/G1:G3", [[0.1], [DIV0], [1 / 30]]),               # errors stay per element
    row("J1:J3", "=SQRT(F1:F3)", [[1.0], [2 ** 0.5], [3 ** 0.5]]),
    row("J1:J3", "=ROUND(F1:F3/3,1)", [[0.3], [0.7], [1.0]]),
    row("J1:J2", "=SUM(F1:F3*G1:G3)", [[100.0], [100.0]]),              # 10 + 0 + 90
    row("J1:J1", "=SUMPRODUCT(F1:F3*G1:G3)", [[100.0]]),
    row("J1:J1", "=MAX(F1:F3*2)", [[6.0]]),
    row("J1:K2", "={1,2;3,4}", [[1.0, 2.0], [3.0, 4.0]]),
    row("J1:J3", "=ROW(C4:D6)", [[4.0], [5.0], [6.0]]),              # "ROW function"
    row("J1:L1", "=COLUMN(B1:D1)", [[2.0, 3.0, 4.0]]),                # "COLUMN function"
    row("J1:J3", "=ISERROR(1/G1:G3)", [[False], [True], [False]]),
    row("J1:K2", "=5", [[5.0, 5.0], [5.0, 5.0]]),
    row("J1:J2", "=F1*2", [[2.0], [2.0]]),
    row("J1:J2", "=SUM(F1:F3)", [[6.0], [6.0]]),
    row("J1:J2", "=IF(F1>0,1,2)", [[1.0], [1.0]]),
    row("J1:J2", "=TRUE", [[True], [True]]),
    row("J1:J2", '="x"', [["x"], ["x"]]),
    row("J1:J2", "=MAX(F1:F3)", [[3.0], [3.0]]),
    row("J1:J3", "=IF(F1:F3>1,F1:F3,0)", [[0.0], [2.0], [3.0]]),
    row("J1:J3", "=IF(F1:F3>1,G1:G3*2,-1)", [[-1.0], [0.0], [60.0]]),
]


def check_target(book: Workbook, target: str, formula: str, expected: object) -> None:
    """A cell's value, or (expected given as rows) every cell of an array formula's range."""
    if not isinstance(expected, list):
        assert_same(expected, book[f"S!{target}"], formula)
        return
    got = book.values(f"S!{target}")
    assert [len(r) for r in got] == [len(r) for r in expected]
    for got_row, expected_row in zip(got, expected):
        for g, e in zip(got_row, expected_row):
            assert_same(e, g, f"{{{formula}}} over {target}")


@pytest.mark.parametrize("target, formula, expected", ARRAYS)
def test_array_formulas(target: str, formula: str, expected: list[list[object]]) -> None:
    check_target(calculated({"S": {**ARRAY_CELLS, target: formula}}), target, formula, expected)


# --- OFFSET: a reference, usable where a range is ---------------------------------------------------
# "OFFSET function": its examples =OFFSET(D3,3,-2,1,1) (the value of B6),
# =SUM(OFFSET(D3:F5,3,-2,3,3)) (the sum of B6:D8) and =OFFSET(D3,-3,-3) (#REF!, off the sheet);
# height and width must be positive. A dynamic-array spill of OFFSET is stored as an array formula.
OFFSET_CELLS = {"B6": 4, "B7": 8, "B8": 12, "C6": 1, "C7": 2, "C8": 3, "D6": 10, "D7": 20,
                "D8": 30, "F1": 5, "F2": 6, "F3": 7}
OFFSETS = [
    row("Z100", "=OFFSET(D3,3,-2,1,1)", 4.0),
    row("Z100", "=SUM(OFFSET(D3:F5,3,-2,3,3))", 90.0),
    row("Z100", "=OFFSET(D3,-3,-3)", REF),
    row("Z100", "=OFFSET(B6,0,0,0,1)", REF),
    row("Z100", "=SUMPRODUCT(OFFSET(B6,0,0,3,1),OFFSET(C6,0,0,3,1))", 56.0),  # 4+16+36
    row("Z100", "=SUMPRODUCT(OFFSET(B6:B8,0,1),D6:D8)", 140.0),              # C6:C8 . D6:D8
    row("Z100", "=ROWS(OFFSET(B6,0,0,5,2))+COLUMNS(OFFSET(B6,0,0,5,2))", 7.0),
    row("Z100", "=MATCH(8,OFFSET(B1,5,0,3,1),0)", 2.0),
    row("Z100", "=INDEX(OFFSET(B6,0,0,3,3),2,3)", 20.0),
    row("Z100", "=SUMXMY2(OFFSET(B6,0,0,3,1),C6:C8)", 9.0 + 36.0 + 81.0),
    row("H1:H3", "=OFFSET(B6,0,0,3,1)", [[4.0], [8.0], [12.0]]),              # a spilled OFFSET
    row("H1:H3", "=OFFSET(B6,0,0,3,1)*F1:F3", [[20.0], [48.0], [84.0]]),
    row("H1:I2", "=MMULT(OFFSET(B6,0,0,2,2),OFFSET(C6,0,0,2,1))",
        [[4.0 * 1 + 1 * 2, 4.0 * 1 + 1 * 2], [8.0 * 1 + 2 * 2, 8.0 * 1 + 2 * 2]]),
    row("H1:H1", "=SUM(OFFSET(B6,0,0,3,1)*C6:C8)", [[4.0 + 16.0 + 36.0]]),
    row("Z100", "=SUM(B6:OFFSET(B6,2,0))", 24.0),     # ":" joins a reference and OFFSET's
    row("Z100", "=SUM(OFFSET(B6,1,0):B8)", 20.0),
    row("Z100", "=ROWS(B6:OFFSET(B6,4,1))", 5.0),
]


@pytest.mark.parametrize("target, formula, expected", OFFSETS)
def test_offset(target: str, formula: str, expected: object) -> None:
    check_target(calculated({"S": {**OFFSET_CELLS, target: formula}}), target, formula, expected)


@pytest.mark.parametrize("formula", [
    "=SUM(OFFSET(B6,0,0,3,1))",
    "=SUM(B6:OFFSET(B6,2,0))",
])
def test_offset_follows_a_changed_input(formula: str) -> None:
    """A cell read only through a reference made at run time still recalculates its reader."""
    book = calculated({"S": {**OFFSET_CELLS, "Z1": formula}})
    assert_same(24.0, book["S!Z1"], "before")
    book["S!B7"] = 100.0
    assert_same(116.0, book["S!Z1"], "after B7 = 100")


# Excel 365 saves a spilled formula as an array formula whose cell carries cm="1", pointing at
# the dynamic-array properties (XLDAPR) in xl/metadata.xml, as [MS-XLSX] describes.
METADATA = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
            b'<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" '
            b'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" '
            b'clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/>'
            b'</metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst>'
            b'<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
            b'<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>'
            b'</futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
            b'</metadata>')
METADATA_TYPE = (b'<Override PartName="/xl/metadata.xml" ContentType="application/'
                 b'vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/>')
METADATA_REL = (b'<Relationship Id="rIdMetadata" Target="metadata.xml" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"/>')


def saved_as_spill(path: Path) -> Path:
    marked = with_part(path, "xl/worksheets/sheet1.xml", lambda body: re.sub(
        rb'<c r="(\w+)"><f t="array"', rb'<c r="\1" cm="1"><f t="array"', body),
        path.with_name("marked.xlsx"), extra={"xl/metadata.xml": METADATA})
    typed = with_part(marked, "[Content_Types].xml",
                      lambda body: body.replace(b"</Types>", METADATA_TYPE + b"</Types>"),
                      path.with_name("typed.xlsx"))
    return with_part(typed, "xl/_rels/workbook.xml.rels",
                     lambda body: body.replace(b"</Relationships>", METADATA_REL + b"</Relationships>"),
                     path.with_name("spill.xlsx"))


def test_spilled_offset_as_excel_365_saves_it(tmp_path: Path) -> None:
    cells = {**OFFSET_CELLS, "H1:H3": "=OFFSET(B6,0,0,3,1)", "J1": "=H2*2", "J2": "=SUM(H1:H3)",
             "J3": "=_xlfn.SINGLE(H1:H3)"}
    book = Workbook.load(saved_as_spill(write_workbook(tmp_path / "plain.xlsx", {"S": cells})))
    book.calculate()
    assert book.values("S!H1:H3") == [[4.0], [8.0], [12.0]]
    assert (book["S!J1"], book["S!J2"], book["S!J3"]) == (16.0, 24.0, 12.0)


# --- error values ---------------------------------------------------------------------------------
# The pages "How to correct a #DIV/0! error", "... a #N/A error", "... a #VALUE! error",
# "... a #REF! error", "... a #NAME? error", "... a #NUM! error", "... a #NULL! error"; an error in
# an operand or a (non-lazy) argument is the result ("IFERROR function", "ISERROR": IS functions).
ERROR_CELLS = {"A1": 1, "A2": "=1/0", "A3": 3, "B1": 0, "C1": "text"}
ERRORS = [
    row("=1/0", DIV0),
    row("=A1/B1", DIV0),               # dividing by a zero cell
    row("=A1/D9", DIV0),               # ... or by an empty one
    row("=NA()", NA),
    row("=MATCH(9,{1,2},0)", NA),
    row('="a"+1', VALUE),
    row("=C1*2", VALUE),
    row("=OFFSET(A1,-1,0)", REF),
    row("=#REF!+1", REF),
    row("=nosuchname", NAME),
    row("=SQRT(-1)", NUM),
    row("=1000^1000", NUM),            # a result too large
    row("=0^-1", DIV0),
    row("=0^0", NUM),
    row("=A1:A2 C1:C2", NULL),
    row("=A2", DIV0),                  # propagated through references
    row("=A2+1", DIV0),
    row("=1+#N/A", NA),
    row('=#N/A&"x"', NA),
    row("=-#VALUE!", VALUE),
    row("=SUM(A1:A3)", DIV0),          # ... and aggregates
    row("=SUMSQ(A1:A3)", DIV0),
    row("=MAX(A1:A3)", DIV0),
    row("=ROUND(A2,1)", DIV0),
    row("=IF(#N/A,1,2)", NA),
    row("=IF(TRUE,1,NA())", 1.0),      # the branch not taken is not evaluated
    row("=IF(FALSE,1/0,2)", 2.0),
    row("=ISERROR(A2)", True),
    row("=ISNA(NA())", True),
    row("=ISERROR(A1)", False),
    row('=IFERROR(A2,"x")', "x"),
    row("=ISERROR(1/0)", True),
    row('=IFERROR(1/0,"x")', "x"),
    row("=ISNA(MATCH(9,{1,2},0))", True),
]


@pytest.mark.parametrize("formula, expected", ERRORS)
def test_error_values(formula: str, expected: object) -> None:
    check(formula, expected, ERROR_CELLS)

