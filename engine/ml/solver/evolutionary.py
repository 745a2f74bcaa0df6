"""Evolutionary: scipy's ``differential_evolution`` inside the bounds the constraints give.

Like Excel's Evolutionary engine it needs a finite lower and upper bound on every changing cell
(one-line error otherwise). Its population has ``solver_ssz`` members (the workbook's point among
them); it stops when the population's objective values agree within ``solver_cvg`` (scipy's
``tol``, relative), after ``solver_itr`` generations, at the time limit, or when the best value
has not improved for ``solver_mni`` seconds (Excel's "Maximum Time without improvement").
Integer and binary cells are searched as integers (``integrality``); other constraints are
``NonlinearConstraint``s with torch's exact Jacobian.
"""
from __future__ import annotations

import math
import time

import numpy as np
from scipy.optimize import Bounds, NonlinearConstraint, differential_evolution

from ...core.errors import SolverError
from ...core.references import cell_name
from .outcome import CANNOT_IMPROVE, MESSAGES, Outcome, Status
from .problem import Problem
from .search import OnStep
from .stop import Stop
from .tracker import Stopped, Tracker

MAX_GENERATIONS = 1000  # when the model sets no solver_itr


def solve_evolutionary(problem: Problem, seed: int, stop: Stop, on_step: OnStep | None = None) -> Outcome:
    missing = problem.bounds_missing()
    if missing:
        sheet, row, col = next((k for k, i in problem.position.items() if i == missing[0]))
        raise SolverError(f"solver_eng: the Evolutionary engine needs a lower and an upper bound "
                          f"on every changing cell; {sheet}!{cell_name(row, col)} has "
                          f"[{problem.lower[missing[0]]:g}, {problem.upper[missing[0]]:g}]: add "
                          "constraints such as <= 10 and >= -10", sheet=problem.model.sheet)
    options = problem.model.options
    tracker = Tracker(problem, stop, 1, on_step)
    rng = np.random.default_rng(seed)
    population = rng.uniform(problem.lower, problem.upper, (max(options.population, 5), problem.x0.size))
    population[0] = np.clip(problem.x0, problem.lower, problem.upper)
    improved = [time.perf_counter(), math.inf]

    def loss(x: np.ndarray) -> float:
        value = float(problem.loss(problem.watched(x)[0][0]))
        tracker.seen(x, value)
        return value

    def generation(intermediate_result: object) -> bool:
        best = float(getattr(intermediate_result, "fun"))
        now = time.perf_counter()
        if best < improved[1]:
            improved[:] = [now, best]
        tracker.step(np.asarray(getattr(intermediate_result, "x")))
        return now - improved[0] >= options.seconds_without_improvement

    status: Status = "converged"
    try:
        result = differential_evolution(
            loss, Bounds(problem.lower, problem.upper), constraints=_constraints(problem),
            integrality=problem.integer if problem.integer.any() else None, init=population,
            tol=options.convergence, maxiter=options.max_iterations or MAX_GENERATIONS, seed=seed,
            polish=False, callback=generation, updating="deferred")
        if options.max_iterations is not None and result.nit >= options.max_iterations:
            status = "iteration_limit"
    except Stopped as stopped:
        status = stopped.reason
    return Outcome(values=tracker.values(), objective=tracker.objective(), steps=tracker.steps,
                   runs=1, best_run=0, seconds=stop.elapsed(), status=status,
                   message=MESSAGES.get(status, CANNOT_IMPROVE))


def _constraints(problem: Problem) -> list[NonlinearConstraint]:
    out = []
    ineq, eq = problem.slack(problem.watched(problem.x0)[0])
    for part, size, upper in ((0, ineq.size, np.inf), (1, eq.size, 0.0)):
        if size:
            out.append(NonlinearConstraint(
                lambda x, part=part: problem.slack(problem.watched(x)[0])[part], 0.0, upper,
                jac=lambda x, part=part: problem.slack_jacobian(problem.watched(x, gradient=True)[1])[part]))
    return out
