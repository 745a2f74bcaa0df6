"""Gradient search over the changing cells with torch: Adam or L-BFGS, with random restarts.

The objective is any differentiable function of one tensor per changing range; here it is the
workbook's objective cell compiled by the torch backend. A *run* starts from one point and takes
steps until the objective stops improving, the iteration limit or the deadline. Run 0 starts
from the values in the workbook; ``restarts`` more runs start from fresh draws in [0, 1), the
distribution the lesson's ``=RAND()`` weights have (Excel's GRG Multistart also draws its
starting points at random). The best point of all runs wins.

This is the GRG Nonlinear engine for models without constraints or bounds (the lesson's);
:mod:`.nonlinear` takes those with them. Convergence is tighter than Excel's (``solver_cvg`` 1e-4
over five iterations): on dotprod Excel stopped at RMSE 0.393015 while the minimum near it is
0.392901, and an L-BFGS step is cheap.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Literal, Sequence, TypeVar

import torch

from .outcome import CONVERGED, MESSAGES, Outcome, Status
from .stop import Stop
from .stored_model import Goal

Method = Literal["adam", "lbfgs"]
Objective = Callable[[Sequence[torch.Tensor]], torch.Tensor]
Value = TypeVar("Value", float, torch.Tensor)

ADAM_LR = 0.05                   # the weights are O(1) numbers; larger rates oscillate on dotprod
LBFGS_HISTORY = 20
LBFGS_MAX_EVALS = 25             # per step: one line search (torch's default of 1.25 x max_iter stalls it)
# Steps per call of the optimizer. torch's L-BFGS evaluates the objective once more at the start
# of each call, where its last line search already did: five steps per call save that evaluation
# four times in five (the steps themselves are the same: L-BFGS keeps its state between calls).
CALL_STEPS: dict[Method, int] = {"lbfgs": 5, "adam": 1}
# A run has converged when its loss improved by less than TOLERANCE (relative) over WINDOW calls
# (5 steps of L-BFGS, 200 of Adam).
WINDOW: dict[Method, int] = {"lbfgs": 1, "adam": 200}
TOLERANCE: dict[Method, float] = {"lbfgs": 1e-10, "adam": 1e-9}
# Steps of one run when the model sets no solver_itr. A good L-BFGS run converges in 100 to 400
# steps on dotprod and bias; runs that start near a poor local minimum (dotprod's 0.4015, bias's
# 0.3227) crawl for 3,000 to 50,000 steps and would eat the restarts' time.
RUN_STEPS: dict[Method, int] = {"lbfgs": 1000, "adam": 10000}


@dataclass(frozen=True)
class Settings:
    method: Method = "lbfgs"
    restarts: int | None = None           # random starts after the workbook's own; None: the
                                          # model's multistart, else 10 (solve.DEFAULT_RESTARTS)
    max_seconds: float = 20.0             # for all runs together
    max_steps: int | None = None          # per run (solver_itr); None: RUN_STEPS
    seed: int = 0
    goal: Goal = "min"
    target: float = 0.0                   # the value to reach when goal is "value"


@dataclass(frozen=True)
class Step:
    """What the progress bar shows after each step."""
    run: int
    runs: int
    step: int          # steps taken so far, all runs together
    objective: float   # at the point just reached


OnStep = Callable[[Step, list[torch.Tensor]], None]


class _Run:
    """One local search from one starting point."""

    def __init__(self, objective: Objective, start: Sequence[torch.Tensor], settings: Settings) -> None:
        self.objective = objective
        self.settings = settings
        self.params = [t.detach().clone().requires_grad_(True) for t in start]
        if settings.method == "adam":
            self.opt: torch.optim.Optimizer = torch.optim.Adam(self.params, lr=ADAM_LR)
        else:
            self.opt = torch.optim.LBFGS(self.params, lr=1, max_iter=CALL_STEPS["lbfgs"],
                                         max_eval=LBFGS_MAX_EVALS * CALL_STEPS["lbfgs"],
                                         history_size=LBFGS_HISTORY, line_search_fn="strong_wolfe",
                                         tolerance_grad=0.0, tolerance_change=0.0)

    def loss_of(self, value: Value) -> Value:
        """What is minimized: the objective, its negative, or its squared distance to the target."""
        goal = self.settings.goal
        if goal == "max":
            return -value
        if goal == "value":
            return (value - self.settings.target) ** 2
        return value

    def value(self) -> float:
        with torch.no_grad():
            return float(self.objective(self.params))

    def step(self, seen: Callable[[float], None], steps: int) -> int:
        """One call of the optimizer, up to ``steps`` steps; the steps it took. ``seen`` gets the
        objective at the point the call starts from: the optimizer's first evaluation is there,
        so no separate one is needed, and the parameters still hold that point when ``seen`` runs."""
        first = True
        if isinstance(self.opt, torch.optim.LBFGS):
            self.opt.param_groups[0].update(max_iter=steps, max_eval=LBFGS_MAX_EVALS * steps)
        before = self._iterations()

        def closure() -> torch.Tensor:
            nonlocal first
            self.opt.zero_grad()
            value = self.objective(self.params)
            if first:
                first = False
                seen(float(value.detach()))
            loss = self.loss_of(value)
            loss.backward()
            return loss
        self.opt.step(closure)
        return self._iterations() - before if isinstance(self.opt, torch.optim.LBFGS) else 1

    def _iterations(self) -> int:
        return self.opt.state[self.params[0]].get("n_iter", 0)


def search(objective: Objective, start: Sequence[torch.Tensor], settings: Settings,
           on_step: OnStep | None = None, stop: Stop | None = None) -> Outcome:
    """Minimize (or maximize, or reach ``target`` with) ``objective`` from ``start`` and restarts.

    A run that reaches NaN or infinity is dropped; if every run does, the outcome's objective is
    not finite and the caller says so. ``stop`` (default: ``settings.max_seconds`` from now) ends
    the search early; the best point so far is kept.
    """
    stop = stop or Stop(settings.max_seconds)
    generator = torch.Generator().manual_seed(settings.seed)
    runs = 1 + max(settings.restarts or 0, 0)
    best: _Result | None = None
    steps = run_index = 0
    status: Status = "converged"
    for run_index in range(runs):
        if run_index and stop.reason():
            break
        point = start if run_index == 0 else _draw(start, generator)
        result = _local_search(_Run(objective, point, settings), run_index, runs, steps, stop, on_step)
        steps = result.steps
        if result.ended != "converged":
            status = result.ended
        if best is None or result.loss < best.loss:
            best = result
    assert best is not None
    return Outcome(values=best.values, objective=best.objective, steps=steps, runs=run_index + 1,
                   best_run=best.run, seconds=time.perf_counter() - stop.began, status=status,
                   message=MESSAGES.get(status, CONVERGED))


@dataclass
class _Result:
    run: int
    loss: float                  # inf for a run that diverged
    objective: float
    values: list[torch.Tensor]
    steps: int                   # all runs' steps so far
    ended: Status                # converged, or the limit that stopped it


def _local_search(run: _Run, index: int, runs: int, steps: int, stop: Stop,
                  on_step: OnStep | None) -> _Result:
    """Steps from one start until converged, out of steps or time, or diverged.

    The objective at each point is learnt when the next step starts there, so the decision to
    stop lags one step behind; the point the last step reached is evaluated at the end.
    """
    losses: list[float] = []
    value = math.nan

    taken = 0

    def seen(point_value: float) -> None:
        nonlocal value
        value = point_value
        losses.append(run.loss_of(point_value))
        if taken:  # the start itself is not a step
            _report(on_step, Step(index, runs, steps + taken, point_value), run.params)

    ended: Status | None = None
    limit = run.settings.max_steps
    while ended is None:
        call = CALL_STEPS[run.settings.method]
        taken += run.step(seen, call if limit is None else min(call, limit - taken))
        ended = "converged" if not math.isfinite(value) else _finished(losses, taken, run.settings, stop)
    if math.isfinite(value):
        value = run.value()
        _report(on_step, Step(index, runs, steps + taken, value), run.params)
    loss = run.loss_of(value) if math.isfinite(value) else math.inf
    return _Result(index, loss, value, [p.detach().clone() for p in run.params], steps + taken, ended)


def _report(on_step: OnStep | None, step: Step, params: list[torch.Tensor]) -> None:
    if on_step is not None and math.isfinite(step.objective):
        on_step(step, params)


def _finished(losses: list[float], taken: int, settings: Settings, stop: Stop) -> Status | None:
    """Why the run ends after ``taken`` steps, or None. ``losses``: at the points known so far.
    Only the model's own iteration limit (solver_itr) is an iteration limit; RUN_STEPS, a cap
    on runs stuck near a poor minimum, ends a run as converged."""
    if settings.max_steps is not None and taken >= settings.max_steps:
        return "iteration_limit"
    if taken >= RUN_STEPS[settings.method]:
        return "converged"
    reason = stop.reason()
    if reason is not None:
        return reason
    window = WINDOW[settings.method]
    if len(losses) <= window:
        return None
    old, new = losses[-1 - window], losses[-1]
    return "converged" if old - new <= TOLERANCE[settings.method] * max(abs(old), 1e-300) else None


def _draw(like: Sequence[torch.Tensor], generator: torch.Generator) -> list[torch.Tensor]:
    """Uniform [0, 1) draws shaped like ``like``, drawn on the CPU so a seed gives the same start
    on every device."""
    return [torch.rand(t.shape, generator=generator, dtype=t.dtype).to(t.device) for t in like]
