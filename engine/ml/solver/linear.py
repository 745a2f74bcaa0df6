"""Simplex LP: a linear model, integer and binary cells included, solved by HiGHS through scipy.

Excel's Simplex LP engine first checks that the model is linear. So does this one, by evaluating
the workbook: at the workbook's point it takes the value and the exact gradient of the objective
and of every constraint cell (torch), and at a few random points (inside the bounds) it requires
each of them to equal its linear prediction within ``LINEARITY`` (relative). The coefficients
are those gradients; ``scipy.optimize.linprog`` (HiGHS) solves a continuous model and
``scipy.optimize.milp`` (HiGHS' branch and bound) one with integer or binary cells.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ...core.errors import SolverError
from ...core.references import Range, cell_name
from .outcome import FOUND, INFEASIBLE, INTEGER, MESSAGES, UNBOUNDED, Outcome, Status
from .problem import Problem
from .stop import Stop

LINEARITY = 1e-9   # relative agreement with the linear prediction (house tolerance between engines)
SAMPLES = 3


def solve_linear(problem: Problem, seed: int, stop: Stop) -> Outcome:
    model = problem.model
    values, jac = problem.watched(problem.x0, gradient=True)
    assert jac is not None
    _require_linear(problem, values, jac, seed)
    offset = values - jac @ problem.x0      # each watched cell = offset + jac @ x
    c = jac[0]
    parts = []
    rows = problem.slack_jacobian(jac)
    levels = problem.slack(offset)         # slack at x = 0
    if rows[0].size:
        parts.append(LinearConstraint(rows[0], -levels[0], np.inf))      # ineq: rows@x + level >= 0
    if rows[1].size:
        parts.append(LinearConstraint(rows[1], -levels[1], -levels[1]))  # eq: rows@x + level == 0
    if model.goal == "value":
        parts.append(LinearConstraint(c[None, :], model.target - offset[0], model.target - offset[0]))
        c = np.zeros_like(c)
    elif model.goal == "max":
        c = -c
    options = {"time_limit": max(stop.left(), 1e-3), "primal_feasibility_tolerance": model.options.precision}
    if problem.integer.any():
        result = milp(c, constraints=parts or None, bounds=Bounds(problem.lower, problem.upper),
                      integrality=problem.integer.astype(int),
                      options={"time_limit": options["time_limit"], "disp": False})
    else:
        a_ub, b_ub, a_eq, b_eq = _rows(parts)
        result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                         bounds=list(zip(problem.lower, problem.upper)), method="highs",
                         options=options)
    if result.status == 2:
        raise SolverError(f"solver_eng: {INFEASIBLE} (HiGHS: the constraints of {model.sheet} "
                          "contradict each other)", sheet=model.sheet)
    if result.status == 3:
        raise SolverError(f"solver_opt: {UNBOUNDED} ({model.objective} is unbounded under the "
                          "constraints)", sheet=model.sheet)
    status: Status = "time_limit" if result.status == 1 else "converged"
    if result.x is None:
        raise SolverError(f"solver_tim: {MESSAGES['time_limit']} No feasible point was found "
                          "before it", sheet=model.sheet)
    x = np.asarray(result.x, dtype=float)
    if problem.integer.any():
        x[problem.integer] = np.round(x[problem.integer])
    x = x + 0.0  # no -0.0 in the cells
    objective = float(problem.watched(x)[0][0])
    message = MESSAGES.get(status) or (INTEGER if problem.integer.any() else FOUND)
    return Outcome(values=problem.tensors(x), objective=objective,
                   steps=int(getattr(result, "nit", 0) or 0), runs=1, best_run=0,
                   seconds=stop.elapsed(), status=status, message=message)


def _rows(parts: list[LinearConstraint]) -> tuple:
    """linprog's A_ub x <= b_ub and A_eq x == b_eq from ``lb <= A x <= ub`` rows."""
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for part in parts:
        a, lb, ub = np.atleast_2d(part.A), np.broadcast_to(part.lb, part.A.shape[:1]), \
            np.broadcast_to(part.ub, part.A.shape[:1])
        if np.array_equal(lb, ub):
            a_eq.append(a)
            b_eq.append(ub)
            continue
        a_ub.append(-a)
        b_ub.append(-lb)
    join = (lambda xs: np.concatenate(xs) if xs else None)
    return join(a_ub), join(b_ub), join(a_eq), join(b_eq)


def _require_linear(problem: Problem, values: np.ndarray, jac: np.ndarray, seed: int) -> None:
    """SolverError naming the first cell (objective or constraint) that is not linear."""
    rng = np.random.default_rng(seed)
    low = np.where(np.isfinite(problem.lower), problem.lower, problem.x0 - 1)
    high = np.where(np.isfinite(problem.upper), problem.upper, problem.x0 + 1)
    names = _names(problem)
    for _ in range(SAMPLES):
        x = rng.uniform(low, high)
        got, _ = problem.watched(x)
        predicted = values + jac @ (x - problem.x0)
        scale = np.maximum(np.maximum(np.abs(got), np.abs(predicted)), 1.0)
        rows = problem.gradient_rows  # the objective and the general constraints' cells
        off = [i for i in rows if abs(got[i] - predicted[i]) > LINEARITY * scale[i]]
        if off:
            name, cell = names[off[0]]
            raise SolverError(f"{name}: the model is not linear ({cell} is {float(got[off[0]])!r} at "
                              f"a sampled point where a linear model gives {float(predicted[off[0]])!r}); "
                              "the Simplex LP engine (solver_eng 2) needs a linear model: choose "
                              "GRG Nonlinear", sheet=problem.model.sheet)


def _names(problem: Problem) -> list[tuple[str, str]]:
    """For each watched cell: the solver_* name it comes from and its address."""
    model = problem.model
    out = [("solver_opt", str(model.objective))]
    for c in model.constraints:
        out.extend((c.name, f"{c.cells.sheet}!{cell_name(r, col)}") for r, col in c.cells.cells())
        if isinstance(c.bound, Range):
            out.extend((f"solver_rhs{c.index}", f"{c.bound.sheet}!{cell_name(r, col)}")
                       for r, col in c.bound.cells())
    return out
