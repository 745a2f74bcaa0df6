"""3-D references and the union operator, as tables.

"Create a 3-D reference to the same cell range on multiple worksheets": ``Jan:Mar!B2`` is B2 on
every worksheet from Jan to Mar in tab order, a sheet moved between them included; the functions
that take one are SUM, AVERAGE, AVERAGEA, COUNT, COUNTA, MAX, MAXA, MIN, MINA, PRODUCT, STDEV,
STDEVA, STDEVP, STDEVPA, VAR, VARA, VARP, VARPA (and the .S/.P forms); "SHEETS function": the
number of sheets in the reference. "Calculation operators and precedence in Excel": the comma is
the union operator, "which combines multiple references into one reference"; "AREAS function":
=AREAS((B2:D4,E5,F6:I9)) is 3; "INDEX function": area_num picks one area of such a reference.

Every row is also computed by LibreOffice where it implements the same thing (the ``office``
rows): a 3-D reference where the page allows none is #VALUE! in Excel but computed by
LibreOffice, so those rows are the engine's alone.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from cellgrad.core.ir import to_a1
from cellgrad.core.parser import parse_formula
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook

from .builder import assert_same, calculated, row, write_workbook
from .test_structured_references import _libreoffice_values

VALUE, REF = ExcelError.VALUE, ExcelError.REF

# Tab order: Summary, Jan, Zed, Mar, Apr. Zed lies between Jan and Mar though its name sorts last.
MONTHS = {
    "Jan": {"A1": 1, "B2": 10, "B3": 20},
    "Zed": {"A1": 2, "B2": 5, "B3": "text"},
    "Mar": {"A1": 4, "B2": 30, "B3": True},
    "Apr": {"A1": 8, "B2": 1000},
}
# The union's cells, on Summary
CELLS = {"A1": 1, "A2": 2, "A3": 3, "B1": 10, "B2": 20, "B3": 30, "C1": "x", "D1": 5}
NAMES = {"quarter": "Jan:Mar!$A$1", "pair": "Summary!$A$1,Summary!$B$1"}

# (formula, Excel's value, whether LibreOffice computes the same)
THREE_D = [
    row("=SUM(Jan:Mar!A1)", 7.0, True),                 # 1 + 2 + 4: Zed counts, Apr does not
    row("=SUM(Jan:Mar!B2:B3)", 65.0, False),            # text and TRUE in a reference are skipped
                                                        # (LibreOffice counts TRUE as 1)
    row("=SUM('Jan:Mar'!B2:B3)", 65.0, False),          # quoted as a whole (LibreOffice: #NAME?)
    row("=SUM(Jan:Apr!A1)", 15.0, True),
    row("=SUM(Zed:Zed!A1)", 2.0, True),
    row("=SUM(Jan:Mar!A1,100)", 107.0, True),
    row("=AVERAGE(Jan:Mar!B2)", 15.0, True),            # (10 + 5 + 30) / 3
    row("=AVERAGEA(Jan:Mar!B3)", 7.0, True),            # (20 + 0 + 1) / 3: text 0, TRUE 1
    row("=COUNT(Jan:Mar!B2:B3)", 4.0, False),           # (LibreOffice counts TRUE as a number)
    row("=COUNT(Jan:Mar!B2)", 3.0, True),
    row("=COUNTA(Jan:Mar!B2:B3)", 6.0, True),
    row("=MAX(Jan:Mar!A1)", 4.0, True),
    row("=MIN(Jan:Mar!A1)", 1.0, True),
    row("=PRODUCT(Jan:Mar!A1)", 8.0, True),
    row("=_xlfn.VAR.P(Jan:Mar!A1)", 14.0 / 9.0, True),  # mean 7/3; 16/9 + 1/9 + 25/9, over 3
    row("=_xlfn.SHEETS(Jan:Mar!A1)", 3.0, True),
    row("=_xlfn.SHEETS(Jan:Apr!A1:B2)", 4.0, True),
    row("=SUM(quarter)", 7.0, True),                    # a name defined as a 3-D reference
    row("=_xlfn.SHEETS(quarter)", 3.0, True),
    row("=SUM(Jan:Nowhere!A1)", REF, False),            # no such sheet (LibreOffice: a parse error)
    row("=Jan:Mar!A1", VALUE, False),                   # one value wanted from several sheets
    row("=Jan:Mar!A1+1", VALUE, False),
    row('=SUMIF(Jan:Mar!A1,">0")', VALUE, False),       # not among the page's functions
    row("=SUMPRODUCT(Jan:Mar!A1)", VALUE, False),
]

UNIONS = [
    row("=SUM((A1,B1:B3))", 61.0, True),
    row("=SUM((A1,B1),D1)", 16.0, True),
    row("=SUM((A1:B3 A2:A3,B1))", 15.0, True),          # the intersection first: A2:A3, then B1
    row("=COUNT((A1:A3,C1))", 3.0, True),
    row("=COUNTA((A1:A3,C1))", 4.0, True),
    row("=MAX((A1:A3,B2))", 20.0, True),
    row("=LARGE((A1:A3,B1:B3),2)", 20.0, True),
    row("=SMALL((A1,B1:B3),2)", 10.0, True),
    row("=AREAS((B2:D4,E5,F6:I9))", 3.0, True),         # the AREAS page's example
    row("=AREAS(B2:D4)", 1.0, True),
    row("=AREAS(pair)", 2.0, False),                    # a name defined as a union (LibreOffice:
                                                        # #VALUE!, though its SUM is right)
    row("=SUM(pair)", 11.0, True),
    row("=INDEX((A1:B2,A3:B3),1,2,2)", 30.0, True),     # area 2, A3:B3: row 1, column 2
    row("=INDEX((A1:B2,A3:B3),2,2)", 20.0, True),       # area_num left out: the first area
    row("=INDEX((A1:B2,A3:B3),1,1,3)", REF, True),      # there is no third area
    row("=INDEX(A1:B3,1,1,2)", REF, True),
    row("=ISREF((A1,B1))", True, True),
    row("=SUM((A1,Jan!A1))", VALUE, False),             # a union's areas are on one sheet
                                                        # (LibreOffice adds them)
    row("=(A1,B1)", VALUE, False),                      # one value wanted from several areas
    row("=(A1,B1)+1", VALUE, False),
]


def _book(formulas: list[str]) -> Workbook:
    summary = {**CELLS, **{f"Z{i + 1}": f for i, f in enumerate(formulas)}}
    return calculated({"Summary": summary, **MONTHS}, names=NAMES)


@pytest.mark.parametrize("formula, expected, libreoffice", THREE_D + UNIONS)
def test_reference_operators(formula: str, expected: object, libreoffice: bool) -> None:
    assert_same(expected, _book([formula])["Summary!Z1"], formula)


@pytest.mark.libreoffice
def test_libreoffice_agrees(office) -> None:
    """The rows LibreOffice implements alike, computed by it in one workbook."""
    rows = [p.values for p in THREE_D + UNIONS if p.values[2]]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "t.xlsx", {
            "Summary": {**CELLS, **{f"Z{i + 1}": f for i, (f, _, _) in enumerate(rows)}},
            **MONTHS}, names=NAMES)
        got = _libreoffice_values(office, path)
    for i, (formula, expected, _) in enumerate(rows):
        assert_same(expected, got[("Summary", f"Z{i + 1}")], f"LibreOffice: {formula}")


def test_a_change_on_a_middle_sheet_recalculates() -> None:
    book = _book(["=SUM(Jan:Mar!A1)", "=SUM((A1,B1:B3))", "=AVERAGE(Jan:Mar!B2:B3)"])
    book["Zed!A1"] = 20
    book["Zed!B3"] = 15
    book["Summary!B2"] = 0
    assert book["Summary!Z1"] == 25.0        # 1 + 20 + 4
    assert book["Summary!Z2"] == 41.0        # 1 + 10 + 0 + 30
    assert book["Summary!Z3"] == 16.0        # (10 + 20 + 5 + 15 + 30) / 5


def test_a_3d_reference_read_for_its_position_is_not_a_dependency() -> None:
    """SHEETS reads no cell: on Jan itself it is not circular."""
    book = calculated({"Jan": {"A1": "=SHEETS(Jan:Mar!A1)"}, "Zed": {}, "Mar": {}})
    assert book["Jan!A1"] == 3.0


@pytest.mark.parametrize("formula, a1", [
    row("=SUM((A1,B1:B3))", "SUM((A1,B1:B3))"),
    row("=SUM(Jan:Mar!$A$1)", "SUM(Jan:Mar!$A$1)"),
    row("=SUM('Sheet 1:Sheet 3'!A1:B2)", "SUM('Sheet 1:Sheet 3'!A1:B2)"),
    row("=(A1 B1,C1)", "(A1 B1,C1)"),
    row("=LAMBDA(x,y,x+y)((A1,B1),2)", "(A1,B1)+2"),   # a LAMBDA call's commas separate arguments
])
def test_written_back(formula: str, a1: str) -> None:
    assert to_a1(parse_formula(formula, 5, 5, sheet="S"), 5, 5) == a1
