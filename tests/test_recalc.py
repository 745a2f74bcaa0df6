"""Recalculation: the fast paths (numpy blocks, compiled plans) agree with the exact interpreter,
incremental recalculation agrees with a full one, and Excel's calculation modes hold."""
from __future__ import annotations

import math

import pytest
from cellgrad import Workbook
from cellgrad.calc.blocks import Block
from cellgrad.core.values import Array

from .conftest import reference_path

WORKBOOKS = ["collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"]


def close(a, b) -> bool:
    """The fast paths may use numpy's exp/log, which can differ from libm's in the last bit."""
    if type(a) is float and type(b) is float:
        return math.isclose(a, b, rel_tol=4e-16, abs_tol=1e-300)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", WORKBOOKS)
def test_fast_paths_equal_the_interpreter(name: str) -> None:
    book = Workbook.load(reference_path(name))
    book.calculate()
    calc = book.calc
    assert any(type(u) is Block for u in calc.units) or name != "collab_filter.xlsx"
    random = {c for c in calc.random_cells}
    for cell in calc.graph.order:
        if cell in random:
            continue
        expected = calc.interpreter.cell_result(cell.node, cell.sheet, cell.row, cell.col,
                                                cell.array_range)
        if isinstance(expected, Array):
            got = [[book.sheets[cell.sheet].cells[(r, c)].value
                    for c in range(cell.array_range.c1, cell.array_range.c2 + 1)]
                   for r in range(cell.array_range.r1, cell.array_range.r2 + 1)]
            assert all(close(a, b) for ra, rb in zip(expected.rows, got, strict=True)
                       for a, b in zip(ra, rb, strict=True))
        else:
            assert close(expected, cell.value), (cell, expected, cell.value)


def _values(book: Workbook) -> dict:
    return {(c.sheet, c.row, c.col): c.value for c in book.formula_cells()}


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_full_calculation_run_unit_by_unit_equals_the_compiled_plan(name: str) -> None:
    """The first full calculation runs the units directly and a later one compiles its plan; a
    book whose plan is compiled from the start stores the same values, random draws included."""
    direct, compiled = Workbook.load(reference_path(name)), Workbook.load(reference_path(name))
    compiled.calc._full_plan = compiled.calc._new_plan(compiled.calc.units, [])
    for _ in range(3):  # graddesc compiles at the second; the others' first adds OFFSET edges
        direct.calculate()
        compiled.calculate()
        assert _values(direct) == _values(compiled)
    assert direct.calc._full_plan.compiled


def test_incremental_equals_full_recalculation() -> None:
    """Change weights, recalculate only dependents; compare with a fresh full recalculation."""
    path = reference_path("collab_filter.xlsx")
    incremental = Workbook.load(path)
    incremental.calculate()
    incremental.set("dotprod!B25:F26", [[0.1, 0.2, 0.3, 0.4, 0.5], [1.5, -0.5, 2.0, 0.0, 1.0]])
    incremental.set("bias!H19", 0.7)
    full = Workbook.load(path)
    full.automatic = False
    full.set("dotprod!B25:F26", [[0.1, 0.2, 0.3, 0.4, 0.5], [1.5, -0.5, 2.0, 0.0, 1.0]])
    full.set("bias!H19", 0.7)
    full.calculate()
    a, b = _values(incremental), _values(full)
    assert all(close(a[k], b[k]) for k in a)
    # one model, three ways of computing it: the three RMSEs moved together
    rmse = incremental["dotprod!V41"]
    assert rmse != pytest.approx(0.39301547128657)  # it did change
    assert incremental["movielens_1hot!BH210"] == pytest.approx(rmse, rel=1e-12)
    assert incremental["movielens_emb!Y210"] == pytest.approx(rmse, rel=1e-12)


def test_offset_targets_are_followed_after_a_change() -> None:
    """movielens_emb reads its weights through OFFSET: a change there must reach the lookups."""
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    book.calculate()
    before = book["movielens_emb!M3"]  # OFFSET($B$3,$L3,M$2): the first user's first factor
    book["dotprod!B25"] = before + 1.0
    assert book["movielens_emb!C4"] == before + 1.0
    assert book["movielens_emb!M3"] == before + 1.0


def test_manual_mode_shows_stale_values_until_calculate() -> None:
    book = Workbook.load(reference_path("graddesc.xlsm"))
    book.calculate()
    e4 = book["adam!E4"]  # C4 + D4*A4, C4 = const
    book.automatic = False
    book.set("const", book["adam!C1"] + 1.0, sheet="adam")
    assert book["adam!E4"] == e4  # Excel in manual mode: the dependent is not recomputed yet
    book.recalculate()
    assert book["adam!E4"] == pytest.approx(e4 + 1.0, rel=1e-15)


def test_sheet_calculate_leaves_other_sheets_stale() -> None:
    """Worksheet.Calculate computes its own sheet only, like ActiveSheet.Calculate in a macro."""
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    book.calculate()
    rmse_1hot = book["movielens_1hot!BH210"]
    book.automatic = False
    book["dotprod!B25"] = 3.0
    book.calc.recalculate("dotprod")
    assert book["dotprod!V41"] != pytest.approx(rmse_1hot)
    assert book["movielens_1hot!BH210"] == rmse_1hot
    book.recalculate()
    assert book["movielens_1hot!BH210"] == pytest.approx(book["dotprod!V41"], rel=1e-12)


def test_automatic_mode_recalculates_on_every_set() -> None:
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    book.calculate()
    book["softmax!B3"] = 0.0
    assert book["softmax!C3"] == 1.0  # EXP(0)
    assert book["softmax!D8"] == pytest.approx(1.0, rel=1e-15)


def test_errors_flow_through_the_fast_paths() -> None:
    """A value the fast paths cannot vouch for (here #DIV/0! from 0 in LOG's argument) is the
    interpreter's, and clearing the cause brings the numbers back."""
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    book.calculate()
    book["entropy!C2"] = 0.0  # -B2*LOG(C2)-...: LOG(0) is #NUM!
    assert str(book["entropy!D2"]) == "#NUM!"
    book["entropy!C2"] = 0.5
    assert book["entropy!D2"] == pytest.approx(math.log10(2), rel=1e-15)


def test_a_new_input_cell_invalidates_compiled_plans(tmp_path) -> None:
    """Compiled plans unroll SUM over the cells that exist; a cell created later must count."""
    import openpyxl
    source = openpyxl.Workbook()
    ws = source.active
    ws.title = "s"
    ws["A1"], ws["A3"], ws["B1"] = 1.0, 3.0, "=SUM(A1:A3)"
    path = tmp_path / "sum.xlsx"
    source.save(path)
    book = Workbook.load(path)
    book.calculate()
    book["s!A1"] = 2.0            # compiles a plan for "A1 changed": B1 = A1 + A3
    assert book["s!B1"] == 5.0
    book["s!A2"] = 10.0           # A2 did not exist
    assert book["s!B1"] == 15.0
    book["s!A1"] = 4.0            # the plan for "A1 changed" again: must now include A2
    assert book["s!B1"] == 17.0
