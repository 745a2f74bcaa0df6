"""Issue 2's core promise: every non-volatile formula cell of the three fast.ai workbooks,
recomputed by the engine, equals the value Excel cached in it (numbers within 1e-12 relative,
1e-15 absolute near zero; text, logicals and errors exactly)."""
from __future__ import annotations

import json

import pytest
from cellgrad import Workbook
from cellgrad.cli.main import main
from cellgrad.conformance import check, same_value

from .conftest import reference_path

# Facts of the reference files (shared/reference/README.md), not outputs of the engine.
FORMULA_CELLS = {"collab_filter.xlsx": 10_879, "graddesc.xlsm": 1_623, "entropy_example.xlsx": 75}
RANDOM_CELLS = {"collab_filter.xlsx": set(), "entropy_example.xlsx": set(),
                "graddesc.xlsm": {f"data!{c}{r}" for c in "BC" for r in range(5, 34)}}


@pytest.mark.parametrize("name", sorted(FORMULA_CELLS))
def test_every_non_volatile_cell_matches_excel(name: str) -> None:
    book = Workbook.load(reference_path(name))
    report = check(book)
    assert report.formula_cells == FORMULA_CELLS[name]
    assert set(report.volatile) == RANDOM_CELLS[name]
    assert report.mismatched == []
    assert report.unsupported == {}
    assert report.matched == FORMULA_CELLS[name] - len(RANDOM_CELLS[name])


def test_the_check_compares_recomputed_values_not_cached_ones() -> None:
    """Clearing every formula value first must not change the outcome: the engine computes them."""
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    for cell in book.formula_cells():
        cell.value = None
    report = check(book)
    assert report.matched == FORMULA_CELLS["collab_filter.xlsx"]


def test_a_wrong_cached_value_is_reported() -> None:
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    book.sheets["softmax"].cells[(8, 3)].cached = 12.7  # C8 = SUM(C3:C7) is 12.698...
    report = check(book)
    assert [(m.sheet, m.cell) for m in report.mismatched] == [("softmax", "C8")]
    assert not report.ok


@pytest.mark.parametrize("expected, got, same", [
    (1.0, 1.0 + 1e-13, True), (1.0, 1.0 + 2e-12, False), (0.0, 1e-16, True), (0.0, 1e-14, False),
    ("a", "a", True), ("a", "A", False), (True, 1.0, False), (None, "", False), (None, None, True),
])
def test_tolerance_rule(expected, got, same) -> None:
    assert same_value(expected, got) is same


def test_eval_json_report(capsys) -> None:
    path = reference_path("graddesc.xlsm")
    assert main(["eval", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"formula_cells", "matched", "mismatched", "volatile", "unsupported", "seconds"}
    assert report["formula_cells"] == 1_623 and len(report["volatile"]) == 58
    assert report["mismatched"] == []
