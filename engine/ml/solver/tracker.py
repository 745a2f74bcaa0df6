"""What the scipy engines share: the best point seen, progress, and stopping between evaluations.

scipy's solvers call back into Python at every evaluation; the tracker looks at each point there,
keeps the best feasible one (the least infeasible while none is feasible), reports progress, and
ends the search by raising :class:`Stopped` when the deadline passes or Ctrl-C was pressed. The
engines catch it and keep the best point, as Excel's Solver keeps the best solution on a stop.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch

from .outcome import Status
from .problem import Problem
from .search import OnStep, Step
from .stop import Stop


class Stopped(Exception):
    def __init__(self, reason: Status) -> None:
        super().__init__(reason)
        self.reason = reason


class Tracker:
    def __init__(self, problem: Problem, stop: Stop, runs: int, on_step: OnStep | None) -> None:
        self.problem = problem
        self.stop = stop
        self.runs = runs
        self.on_step = on_step
        self.run = 0
        self.steps = 0
        self.best_x: np.ndarray | None = None
        self.best_key = (math.inf, math.inf)  # (violation beyond precision, loss)
        self.best_run = 0

    def seen(self, x: np.ndarray, loss: float) -> None:
        """An evaluated point; raises Stopped when the search must end."""
        if math.isfinite(loss):
            violation = self.problem.violation(x)
            key = (max(violation - self.problem.model.options.precision, 0.0), loss)
            if key < self.best_key:
                self.best_key, self.best_x, self.best_run = key, x.copy(), self.run
        reason = self.stop.reason()
        if reason is not None:
            raise Stopped(reason)

    def step(self, x: np.ndarray) -> None:
        """An iteration ended at ``x`` (scipy's callback)."""
        self.steps += 1
        if self.on_step is not None:
            values, _ = self.problem.watched(x)
            self.on_step(Step(self.run, self.runs, self.steps, float(values[0])),
                         self.problem.tensors(x))
        reason = self.stop.reason()
        if reason is not None:
            raise Stopped(reason)

    def counting(self, function: Callable[[np.ndarray], tuple[float, np.ndarray]]
                 ) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        def counted(x: np.ndarray) -> tuple[float, np.ndarray]:
            loss, grad = function(x)
            self.seen(x, float(loss))
            return loss, grad
        return counted

    @property
    def best(self) -> np.ndarray:
        return self.problem.x0 if self.best_x is None else self.best_x

    def values(self) -> list[torch.Tensor]:
        return self.problem.tensors(self.best)

    def objective(self) -> float:
        return float(self.problem.watched(self.best)[0][0])


def starts(problem: Problem, count: int, seed: int) -> list[np.ndarray]:
    """The workbook's own point, then ``count`` random points inside the bounds (a side without a
    bound draws from a unit interval beside the other side, or from [0, 1) as ``=RAND()`` does)."""
    rng = np.random.default_rng(seed)
    low = np.where(np.isfinite(problem.lower), problem.lower,
                   np.where(np.isfinite(problem.upper), problem.upper - 1, 0.0))
    high = np.where(np.isfinite(problem.upper), problem.upper, low + 1)
    return [problem.x0] + [rng.uniform(low, high) for _ in range(count)]
