"""Solve a sheet's Solver model and write the result into a copy of the workbook.

The optimum found by torch is written into the engine's workbook, which recalculates; the
objective reported afterwards is the formula engine's value of the objective cell, and it must
agree with torch's within 1e-9 (relative) or the solve is an error. The copy is written by
:meth:`cellgrad.workbook.Workbook.save_values`, atomically, never over the input.
"""
from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass

from ...core.errors import SolverError, WorkbookError
from ...core.references import Range
from ...workbook import Workbook
from .objective import AGREEMENT, Objective
from .search import OnStep, Outcome, Settings, search
from .stored_model import SolverModel, read_model


@dataclass(frozen=True)
class Report:
    sheet: str
    objective_before: float
    objective_after: float
    steps: int
    seconds: float
    output: str
    method: str
    runs: int
    best_run: int       # 0: from the workbook's values; k: from random restart k
    device: str

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def default_output(path: str, sheet: str) -> str:
    """``collab_filter.xlsx`` -> ``collab_filter.dotprod-solved.xlsx`` beside it."""
    stem, ext = os.path.splitext(path)
    return f"{stem}.{sheet}-solved{ext}"


def solve_book(book: Workbook, sheet: str, settings: Settings, *, device: str | None = None,
               on_step: OnStep | None = None) -> Report:
    """Optimize in memory: ``book`` ends up holding the solution (output left empty)."""
    model = read_model(book, sheet)
    book.calculate()
    before = _objective_value(book, model)
    _require_numbers(book, model)
    objective = Objective(book, model.objective, model.changing, device=device)
    outcome = search(objective, objective.start, _with_model(settings, model), on_step)
    if not math.isfinite(outcome.objective):
        raise SolverError(f"solver_opt: every run diverged ({model.objective} became NaN or infinite)",
                          file=book.path, sheet=sheet)
    objective.check(outcome.values)
    after = _write_back(book, model, outcome)
    return Report(sheet=sheet, objective_before=before, objective_after=after,
                  steps=outcome.steps, seconds=outcome.seconds, output="",
                  method=settings.method, runs=outcome.runs, best_run=outcome.best_run,
                  device=str(objective.device))


def _write_back(book: Workbook, model: SolverModel, outcome: Outcome) -> float:
    """Put the optimum into the changing cells; the formula engine's objective there, which
    must be torch's."""
    for rng, values in zip(model.changing, outcome.values):
        book.set(str(rng), values.detach().cpu().numpy())
    after = _objective_value(book, model)
    if not abs(after - outcome.objective) <= AGREEMENT * max(abs(after), 1e-300):
        raise SolverError(f"solver_opt: the formula engine computes {after!r} for {model.objective} "
                          f"at torch's optimum, where torch computed {outcome.objective!r}",
                          file=book.path, sheet=model.sheet)
    return after


def solve(path: str, sheet: str, settings: Settings, *, out: str | None = None,
          device: str | None = None,
          on_step: OnStep | None = None) -> Report:
    """Load ``path``, solve ``sheet``, write the solution to ``out`` (a copy), report."""
    out = out or default_output(path, sheet)
    if os.path.exists(out) and os.path.exists(path) and os.path.samefile(out, path):
        # said before the solve, not after it: the writer refuses too, but only at the end
        raise WorkbookError("refusing to overwrite the input workbook; choose another --out", file=out)
    book = Workbook.load(path)
    report = solve_book(book, sheet, settings, device=device, on_step=on_step)
    output = book.save_values(out)
    return dataclasses.replace(report, output=output)


def _with_model(settings: Settings, model: SolverModel) -> Settings:
    """The command's settings, with what the stored model says about goal, bounds and limits."""
    seconds = settings.max_seconds if model.max_seconds is None else min(settings.max_seconds,
                                                                         model.max_seconds)
    steps = model.max_iterations if settings.max_steps is None else settings.max_steps
    return dataclasses.replace(settings, goal=model.goal, target=model.target,
                               non_negative=model.non_negative, max_seconds=seconds, max_steps=steps)


def _objective_value(book: Workbook, model: SolverModel) -> float:
    cell = model.objective
    value = book.current(cell.sheet, cell.r1, cell.c1)
    if type(value) is not float:
        raise SolverError(f"solver_opt: the objective {cell} holds {_show(value)}, not a number",
                          file=book.path, sheet=model.sheet)
    return value


def _require_numbers(book: Workbook, model: SolverModel) -> None:
    """Changing cells must hold numbers; empty ones start at 0, as in Excel's Solver."""
    for rng in model.changing:
        for r, c in rng.cells():
            cell = book.cell(rng.sheet, r, c)
            value = None if cell is None else cell.value
            if value is None:
                book.set_cell(rng.sheet, r, c, 0.0)
            elif type(value) is not float:
                where = Range(rng.sheet, r, c, r, c)
                raise SolverError(f"solver_adj: the changing cell {where} holds {_show(value)}, "
                                  "not a number", file=book.path, sheet=model.sheet)


def _show(value: object) -> str:
    return "nothing" if value is None else repr(value) if isinstance(value, str) else str(value)
