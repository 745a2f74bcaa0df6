"""Issue 2's core promise: every formula cell of the three fast.ai workbooks, recomputed by the
engine, equals the value Excel cached in it (numbers within 1e-12 relative, 1e-15 absolute near
zero; text, logicals and errors exactly). Random draws take the values Excel cached (issue 9), so
only the draw cells themselves are left out and everything they feed is compared."""
from __future__ import annotations

import json
import re

import openpyxl
import pytest
from cellgrad import Workbook
from cellgrad.cli.main import main
from cellgrad.conformance import check, same_value

from .conftest import reference_path

# Facts of the reference files (shared/reference/README.md), not outputs of the engine.
FORMULA_CELLS = {"collab_filter.xlsx": 10_879, "graddesc.xlsm": 1_623, "entropy_example.xlsx": 75}
# graddesc's data tab draws x = RANDBETWEEN(1,100) in B5:B33 and computes y = b + x*a in C5:C33.
DRAWS = {"collab_filter.xlsx": set(), "entropy_example.xlsx": set(),
         "graddesc.xlsm": {f"data!B{r}" for r in range(5, 34)}}
FED_BY_DRAWS = {"collab_filter.xlsx": set(), "entropy_example.xlsx": set(),
                "graddesc.xlsm": {f"data!C{r}" for r in range(5, 34)}}
_DRAW = re.compile(r"\bRAND(BETWEEN|ARRAY)?\(", re.I)


@pytest.mark.parametrize("name", sorted(FORMULA_CELLS))
def test_the_draws_are_the_files_random_formulas(name: str) -> None:
    """The expected draw cells, read from the file with openpyxl rather than from the engine."""
    book = openpyxl.load_workbook(reference_path(name)) if name != "collab_filter.xlsx" else None
    found = set() if book is None else {
        f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows()
        for c in row if c.data_type == "f" and _DRAW.search(str(c.value))}
    if book is None:  # openpyxl cannot load its pivot caches; its formulas have no RAND (README)
        assert not DRAWS[name]
    assert found == DRAWS[name]


@pytest.mark.parametrize("name", sorted(FORMULA_CELLS))
def test_every_formula_cell_but_the_draws_matches_excel(name: str) -> None:
    book = Workbook.load(reference_path(name), replay_random=True)
    report = check(book)
    assert report.formula_cells == FORMULA_CELLS[name]
    assert set(report.volatile) == DRAWS[name]
    assert report.replayed == len(DRAWS[name])
    assert report.mismatched == []
    assert report.unsupported == {}
    assert report.matched == FORMULA_CELLS[name] - len(DRAWS[name])


def test_fresh_draws_leave_out_what_they_feed() -> None:
    book = Workbook.load(reference_path("graddesc.xlsm"), seed=7)
    report = check(book)
    assert set(report.volatile) == DRAWS["graddesc.xlsm"] | FED_BY_DRAWS["graddesc.xlsm"]
    assert report.replayed == 0 and report.mismatched == []
    excel = Workbook.load(reference_path("graddesc.xlsm"))  # Excel's cached values, not computed
    draws = sorted(DRAWS["graddesc.xlsm"])
    fresh = [book[c] for c in draws]
    assert fresh != [excel[c] for c in draws]
    assert all(1 <= x <= 100 and x == int(x) for x in fresh)


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
    assert report["formula_cells"] == 1_623 and report["matched"] == 1_623 - 29
    assert report["replayed"] == 29 and len(report["volatile"]) == 29
    assert report["mismatched"] == []


def test_eval_fresh_random(capsys) -> None:
    path = reference_path("graddesc.xlsm")
    assert main(["eval", str(path), "--json", "--fresh-random", "11"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["replayed"] == 0 and len(report["volatile"]) == 58
    assert report["matched"] == 1_623 - 58 and report["mismatched"] == []


def test_eval_text_report_says_how_many_draws_were_replayed(capsys) -> None:
    assert main(["eval", str(reference_path("graddesc.xlsm"))]) == 0
    out = capsys.readouterr().out
    assert "1594 matched" in out and "29 draws replayed" in out and "1594 compared" in out
