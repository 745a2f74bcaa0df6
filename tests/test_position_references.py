"""Issue 9: a reference whose position alone is used (ROW, COLUMN, ROWS, COLUMNS, and OFFSET's or
INDEX's reference inside them) is not a dependency, so a formula may name its own cell there.
Values from Microsoft's pages for ROW, COLUMN and CEILING.MATH; a true cycle is still an error."""
from __future__ import annotations

from pathlib import Path

import pytest
from cellgrad.core.errors import CircularReferenceError
from cellgrad.workbook import Workbook

from .builder import assert_same, row, write_workbook

ROWS = [
    # formula, where it stands, the value Excel gives there
    row("=ROW(A4)", "A4", 4.0),
    row("=CEILING.MATH((ROW(A4)-3)/10)", "A4", 1.0),          # the case: (4-3)/10 up to 1
    row("=CEILING.MATH((ROW(A24)-3)/10)", "A24", 3.0),        # 2.1 up to 3
    row("=COLUMN(C4)", "C4", 3.0),
    row("=ROW(C2:C9)+COLUMN(C2:E2)", "C2", 5.0),             # a range around its own cell
    row("=ROW(OFFSET(B7,2,1))", "B7", 9.0),
    row("=ROW(OFFSET(B7,A1,0))", "B7", 12.0),                # A1 (5) is still read: a value argument
    row("=ROW(B3:OFFSET(B3,2,0))", "B4", 3.0),
    row("=ROW()+ROW(D6)", "D6", 12.0),
    row("=ROWS(A1:A9)", "A4", 9.0),
    row("=ROW(INDEX(A2:A9,3))", "A4", 4.0),
    row("=ROWS(B2:INDEX(B2:B9,A1))", "B3", 5.0),            # INDEX's row_num A1 (5) is a value
    row("=COLUMNS(A2:F2)*ROWS(OFFSET(C2,0,0,3))", "C2", 18.0),
    row("=ROWS({1,2,3;4,5,6})+COLUMNS({1,2,3;4,5,6})", "A4", 5.0),  # Microsoft's ROWS example: 2
]


@pytest.mark.parametrize("formula, at, expected", ROWS)
def test_position_only_reference_to_its_own_cell(formula: str, at: str, expected: float,
                                                  tmp_path: Path) -> None:
    book = Workbook.load(write_workbook(tmp_path / "p.xlsx", {"S": {"A1": 5, at: formula}}))
    book.calculate()
    assert_same(expected, book[f"S!{at}"], formula)


def test_a_position_argument_still_recomputes_when_its_value_argument_changes(tmp_path: Path) -> None:
    book = Workbook.load(write_workbook(tmp_path / "p.xlsx",
                                        {"S": {"A1": 5, "B7": "=ROW(OFFSET(B7,A1,0))"}}))
    book.calculate()
    book["S!A1"] = 1
    assert book["S!B7"] == 8.0


@pytest.mark.parametrize("cells, cycle", [
    ({"A4": "=ROW(A4)+A4"}, ["S!A4", "S!A4"]),                    # the value is read too
    ({"A4": "=ROW(A4)+B4", "B4": "=A4*2"}, ["S!A4", "S!B4", "S!A4"]),
    ({"A4": "=SUM(OFFSET(A1,B4,0))", "B4": "=A4"}, ["S!A4", "S!B4", "S!A4"]),  # OFFSET's rows read
])
def test_a_true_cycle_is_still_an_error(cells: dict, cycle: list[str], tmp_path: Path) -> None:
    with pytest.raises(CircularReferenceError) as raised:
        Workbook.load(write_workbook(tmp_path / "c.xlsx", {"S": cells})).calculate()
    assert " -> ".join(cycle) in str(raised.value)
