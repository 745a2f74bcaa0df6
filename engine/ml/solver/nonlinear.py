"""GRG Nonlinear with bounds or constraints: scipy's L-BFGS-B (bounds only) or SLSQP.

Excel's GRG is a generalized reduced gradient method; SLSQP (sequential least squares
programming) solves the same problems (smooth objective, smooth constraints) with the exact
gradients torch gives. With Multistart (``solver_msl``) the runs after the first start from random
points inside the bounds, as Excel's multistart draws them; the best feasible point wins.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, minimize

from .outcome import CONVERGED, FOUND, MESSAGES, Outcome, Status
from .problem import Problem
from .search import OnStep
from .stop import Stop
from .tracker import Stopped, Tracker, starts

MAX_ITERATIONS = 1000   # per run when the model sets no solver_itr
TOLERANCE = 1e-12       # scipy's ftol: tighter than solver_cvg, as the torch search (README)


def solve_nonlinear(problem: Problem, restarts: int, seed: int, stop: Stop,
                    on_step: OnStep | None = None) -> Outcome:
    points = starts(problem, restarts, seed)
    tracker = Tracker(problem, stop, len(points), on_step)
    limit = problem.model.max_iterations
    bounds = Bounds(problem.lower, problem.upper)
    constraints = _constraints(problem)
    method = "SLSQP" if constraints else "L-BFGS-B"
    options: dict[str, float] = {"maxiter": limit or MAX_ITERATIONS, "ftol": TOLERANCE}
    if method == "L-BFGS-B":
        options["gtol"] = TOLERANCE
    status: Status = "converged"
    optimal = True
    runs = 0
    for run, x0 in enumerate(points):
        if run and stop.reason():
            break
        tracker.run = runs = run
        try:
            result = minimize(tracker.counting(problem.loss_and_gradient), np.clip(x0, problem.lower, problem.upper),
                              jac=True, method=method, bounds=bounds, constraints=constraints,
                              callback=tracker.step, options=options)
        except Stopped as stopped:
            status = stopped.reason
            break
        tracker.seen(result.x, float(result.fun))
        if limit is not None and result.nit >= limit:
            status = "iteration_limit"
        optimal = optimal and bool(result.success)
    message = MESSAGES.get(status) or (FOUND if optimal else CONVERGED)
    return Outcome(values=tracker.values(), objective=tracker.objective(), steps=tracker.steps,
                   runs=runs + 1, best_run=tracker.best_run, seconds=stop.elapsed(),
                   status=status, message=message)


def _constraints(problem: Problem) -> list[dict]:
    """SLSQP's constraint dicts (``fun(x) >= 0`` or ``== 0``), with torch's Jacobian."""
    if not problem.rows:
        return []

    def values(x: np.ndarray, part: int) -> np.ndarray:
        return problem.slack(problem.watched(x)[0])[part]

    def jacobian(x: np.ndarray, part: int) -> np.ndarray:
        return problem.slack_jacobian(problem.watched(x, gradient=True)[1])[part]  # type: ignore[arg-type]

    out = []
    for part, kind in enumerate(("ineq", "eq")):
        if values(problem.x0, part).size:
            out.append({"type": kind, "fun": values, "jac": jacobian, "args": (part,)})
    return out
