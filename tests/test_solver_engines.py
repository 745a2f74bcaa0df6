"""Every engine of Excel's Solver on a workbook built here with the model stored as Excel stores
it, reaching an optimum computed independently: numpy's lstsq, scipy's minimize and HiGHS called
directly on the same numbers, enumeration of every choice."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from cellgrad.ml.solver import Settings, read_model, solve_book
from cellgrad.workbook import Workbook
from scipy.optimize import linprog, minimize

from . import solver_models as models

QUICK = Settings(max_seconds=30)
# The searches stop when the objective changes by less than 1e-10 (torch) or 1e-12 (scipy)
# relative: the objective is then within 1e-9 of the optimum, the cells within 1e-6 (a flat
# optimum moves the cells more than the objective; the square root of the objective's tolerance).
OBJECTIVE = 1e-9
CELLS = 1e-6
EXACT = 1e-12  # LP and integer optima: HiGHS' vertex, exact up to rounding


def _solve(path, **settings):
    book = Workbook.load(path)
    report = solve_book(book, models.S, Settings(**{"max_seconds": 30, **settings}))
    return book, report


def test_least_squares_regression_matches_lstsq(tmp_path):
    path, design, y = models.regression(tmp_path)
    book, report = _solve(path)
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert report.engine == "GRG Nonlinear" and report.method == "lbfgs"
    np.testing.assert_allclose(book.array("Model!F1:F3").ravel(), beta, rtol=CELLS, atol=CELLS)
    assert report.objective_after == pytest.approx(float(np.sum((design @ beta - y) ** 2)), rel=OBJECTIVE)
    assert report.status == "converged"


def test_logistic_regression_with_bounds(tmp_path):
    path, x, labels = models.logistic(tmp_path)
    book, report = _solve(path)

    def nll(p: np.ndarray) -> float:
        z = p[0] * x + p[1]
        return float(np.sum(np.logaddexp(0, z) - labels * z))
    expected = minimize(nll, [0.0, 0.0], method="L-BFGS-B", bounds=[(None, 1.5), (-1, 1)],
                        options={"ftol": 1e-15, "gtol": 1e-12})
    assert report.method == "L-BFGS-B"
    weights = book.array("Model!F1:F2").ravel()
    assert weights[0] == 1.5  # the unconstrained optimum (about 3) is beyond the bound: binding
    np.testing.assert_allclose(weights, expected.x, rtol=CELLS, atol=CELLS)
    assert report.objective_after == pytest.approx(expected.fun, rel=OBJECTIVE)
    assert report.message == "Solver found a solution. All Constraints and optimality conditions are satisfied."


def test_relu_net_needs_and_gets_multistart(tmp_path):
    """From the stored start one hidden unit is dead on every point: a single run stops at a
    poor local minimum; Multistart (solver_msl 1, population 20) reaches the exact fit."""
    single, single_report = _solve(models.relu_net(tmp_path, multistart=False))
    assert single_report.runs == 1 and single_report.objective_after > 0.1
    book, report = _solve(models.relu_net(tmp_path, multistart=True))
    assert report.runs == 20
    assert report.objective_after <= OBJECTIVE
    weights = book.array("Model!F1:F7").ravel()
    assert np.all(np.abs(weights) <= 3 + 1e-12)
    np.testing.assert_allclose(book.array("Model!E2:E10").ravel(), np.abs(np.linspace(-2, 2, 9)),
                               atol=CELLS)


def test_production_plan_matches_highs_called_directly(tmp_path):
    book, report = _solve(models.production(tmp_path))
    direct = linprog(-models.PRODUCTION_PROFIT, A_ub=models.PRODUCTION_USE, b_ub=models.PRODUCTION_HOURS,
                     bounds=[(0, None)] * 3, method="highs")
    assert report.engine == "Simplex LP" and report.method == "HiGHS"
    np.testing.assert_allclose(book.array("Model!B2:D2").ravel(), direct.x, rtol=EXACT, atol=EXACT)
    assert report.objective_after == pytest.approx(-direct.fun, rel=EXACT)
    assert report.message == "Solver found a solution. All Constraints and optimality conditions are satisfied."


def _best_knapsack() -> float:
    return max(float(models.KNAPSACK_VALUES @ np.array(take))
               for take in itertools.product((0, 1), repeat=8)
               if models.KNAPSACK_WEIGHTS @ np.array(take) <= models.KNAPSACK_CAPACITY)


@pytest.mark.parametrize("engine, method", [("2", "HiGHS"), ("3", "differential evolution")],
                         ids=["simplex", "evolutionary"])
def test_knapsack_with_binary_cells(tmp_path, engine, method):
    book, report = _solve(models.knapsack(tmp_path, engine))
    take = book.array("Model!A2:H2").ravel()
    assert report.method == method
    assert set(take.tolist()) <= {0.0, 1.0}
    assert models.KNAPSACK_WEIGHTS @ take <= models.KNAPSACK_CAPACITY
    assert report.objective_after == _best_knapsack()


def test_assignment_with_integer_cells(tmp_path):
    book, report = _solve(models.assignment(tmp_path))
    plan = book.array("Model!B2:E5")
    best = min(sum(models.ASSIGNMENT_COST[i, j] for i, j in enumerate(p))
               for p in itertools.permutations(range(4)))
    assert report.objective_after == best
    assert sorted(plan.ravel().tolist()) == [0.0] * 12 + [1.0] * 4
    np.testing.assert_array_equal(plan.sum(axis=0), 1.0)
    np.testing.assert_array_equal(plan.sum(axis=1), 1.0)
    assert report.message == "Solver found an integer solution within tolerance. All Constraints are satisfied."


def test_the_stored_model_is_read_whole(tmp_path):
    model = read_model(Workbook.load(models.assignment(tmp_path)), models.S)
    assert model.engine == "Simplex LP"
    assert [(c.relation, c.bound_text()) for c in model.constraints] == \
        [("int", "int"), (">=", "0"), ("=", "1"), ("=", "1")]
    relu = read_model(Workbook.load(models.relu_net(tmp_path)), models.S)
    assert relu.options.multistart and relu.options.population == 20 and relu.options.require_bounds
    assert (relu.options.convergence, relu.options.precision) == (1e-4, 1e-6)
    assert relu.options.seconds_without_improvement == 30


def test_dotprod_is_recorded_as_one_matrix_product():
    """dotprod's 225 MMULT cells (a row of user factors times a column of movie factors each)
    are recorded as users @ movies, 15x5 by 5x15, not as 225 gathered rows and columns; the
    recording equals the torch backend's evaluation and the exact engine's objective."""
    from cellgrad.ml.solver.objective import Objective
    from .conftest import ROOT
    book = Workbook.load(ROOT / "workbooks" / "collab_filter.xlsx")
    book.calculate()
    model = read_model(book, "dotprod")
    objective = Objective(book, model.objective, model.changing, device="cpu")
    products = [node.output().type().sizes() for node in objective.replay.graph.nodes()
                if node.kind() in ("aten::matmul", "aten::bmm", "aten::mm")]
    assert products == [[15, 15]]
    objective.check(objective.start)
    assert float(objective(objective.start)) == pytest.approx(book["dotprod!V41"], rel=1e-12)


def test_nonlinear_with_a_constraint_on_a_formula(tmp_path):
    book, report = _solve(models.fence(tmp_path))
    assert report.engine == "GRG Nonlinear" and report.method == "SLSQP"
    np.testing.assert_allclose(book.array("Model!A1:A2").ravel(), [5.0, 2.5], rtol=CELLS)
    assert report.objective_after == pytest.approx(12.5, rel=OBJECTIVE)
    assert book["Model!B1"] <= 10 * (1 + 1e-6)
    assert [line.status for line in report.answer.constraints] == ["Binding"]
