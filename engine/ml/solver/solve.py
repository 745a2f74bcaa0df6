"""Solve a sheet's Solver model and write the result into a copy of the workbook.

The engine is the model's (``solver_eng``): GRG Nonlinear runs torch's L-BFGS (:mod:`.search`)
on models without bounds or constraints and scipy (:mod:`.nonlinear`) on the others; Simplex LP
runs HiGHS (:mod:`.linear`); Evolutionary runs differential evolution (:mod:`.evolutionary`).
The optimum is written into the engine's workbook, which recalculates; the objective and
constraint values reported afterwards are the formula engine's, and the objective must agree with
torch's within 1e-9 (relative) or the solve is an error. The copy is written by
:meth:`cellgrad.workbook.Workbook.save_values`, atomically, never over the input; with
``report=True`` it gets Excel's "Answer Report 1" sheet.
"""
from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass

from ...core.errors import SolverError
from ...core.references import Range
from ...files.added_sheet import add_sheet
from ...files.atomic import atomic_path
from ...files.writer import check_output
from ...workbook import Workbook
from .answer_report import ANSWER_REPORT, Answer, answer
from .objective import AGREEMENT, Objective
from .outcome import FOUND, INFEASIBLE, UNBOUNDED, Outcome
from .problem import Problem, watched_ranges
from .search import OnStep, Settings, search
from .stop import Stop
from .stored_model import SolverModel, read_model

DEFAULT_RESTARTS = 10  # GRG on a model without bounds or constraints (the lesson's), see the README


@dataclass(frozen=True)
class Report:
    sheet: str
    objective_before: float
    objective_after: float
    steps: int
    seconds: float      # the search alone
    output: str
    method: str
    runs: int
    best_run: int       # 0: from the workbook's values; k: from random restart k
    device: str
    engine: str = "GRG Nonlinear"
    status: str = "converged"
    message: str = FOUND
    answer: Answer | None = dataclasses.field(default=None, compare=False)

    def as_json(self) -> dict[str, object]:
        out = dataclasses.asdict(self)
        del out["answer"]
        return out


def default_output(path: str, sheet: str) -> str:
    """``collab_filter.xlsx`` -> ``collab_filter.dotprod-solved.xlsx`` beside it."""
    stem, ext = os.path.splitext(path)
    return f"{stem}.{sheet}-solved{ext}"


def solve_book(book: Workbook, sheet: str, settings: Settings, *, device: str | None = None,
               on_step: OnStep | None = None, stop: Stop | None = None) -> Report:
    """Optimize in memory: ``book`` ends up holding the solution (output left empty).

    ``settings.restarts`` is taken as given; :func:`solve` reads it from the model when the
    command line says nothing."""
    model = read_model(book, sheet)
    book.calculate()
    before = _objective_value(book, model)
    _require_numbers(book, model)
    original = {rng: book.values(str(rng)) for rng in model.changing}
    objective = Objective(book, model.objective, model.changing, device=device,
                          constraints=watched_ranges(model))
    stop = stop or Stop(_seconds(settings, model))
    with stop.on_interrupt():
        outcome, method = _search(book, model, objective, settings, stop, on_step)
    if not math.isfinite(outcome.objective):
        raise SolverError(f"solver_opt: {UNBOUNDED} (every run diverged: {model.objective} became "
                          "NaN or infinite)", file=book.path, sheet=sheet)
    objective.check(outcome.values)
    after = _write_back(book, model, outcome)
    result = answer(book, model, original, before, outcome)
    if model.constraints and outcome.status == "converged" and not result.feasible:
        raise SolverError(f"solver_num: {INFEASIBLE} (the best point leaves "
                          f"{result.violated()} unsatisfied)", file=book.path, sheet=sheet)
    return Report(sheet=sheet, objective_before=before, objective_after=after,
                  steps=outcome.steps, seconds=outcome.seconds, output="",
                  method=method, runs=outcome.runs, best_run=outcome.best_run,
                  device=str(objective.device), engine=model.engine, status=outcome.status,
                  message=outcome.message, answer=result)


def _search(book: Workbook, model: SolverModel, objective: Objective, settings: Settings,
            stop: Stop, on_step: OnStep | None) -> tuple[Outcome, str]:
    """The model's engine at work; the outcome and the method's name."""
    problem = Problem(book, model, objective)
    restarts = _restarts(book, settings, model, problem)
    # the scipy engines are imported when used: scipy.optimize takes half a second to import,
    # which the lesson's torch search does not need
    if model.engine == "Simplex LP":
        from .linear import solve_linear
        return solve_linear(problem, settings.seed, stop), "HiGHS"
    if model.engine == "Evolutionary":
        from .evolutionary import solve_evolutionary
        return solve_evolutionary(problem, settings.seed, stop, on_step), "differential evolution"
    if problem.rows or problem.bounded:
        from .nonlinear import solve_nonlinear
        outcome = solve_nonlinear(problem, restarts, settings.seed, stop, on_step)
        return outcome, "SLSQP" if problem.rows else "L-BFGS-B"
    torch_settings = dataclasses.replace(settings, restarts=restarts, goal=model.goal,
                                         target=model.target, max_steps=settings.max_steps or model.max_iterations)
    return search(objective, objective.start, torch_settings, on_step, stop), settings.method


def _restarts(book: Workbook, settings: Settings, model: SolverModel, problem: Problem) -> int:
    """Runs after the first: the command's --multistart, else the model's Multistart (its
    population, solver_ssz, of starting points), else DEFAULT_RESTARTS for the torch search."""
    if settings.restarts is not None:
        restarts = settings.restarts
    elif model.options.multistart:
        restarts = model.options.population - 1
    else:
        restarts = 0 if problem.rows or problem.bounded else DEFAULT_RESTARTS
    if restarts and model.options.multistart and model.options.require_bounds \
            and model.engine == "GRG Nonlinear" and problem.bounds_missing():
        raise SolverError("solver_rbv: Multistart with \"Require Bounds on Variables\" needs a lower "
                          "and an upper bound on every changing cell; add them as constraints or "
                          "clear the option (solver_rbv 2)", file=book.path, sheet=model.sheet)
    return restarts


def _seconds(settings: Settings, model: SolverModel) -> float:
    return settings.max_seconds if model.max_seconds is None else min(settings.max_seconds,
                                                                      model.max_seconds)


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
          device: str | None = None, on_step: OnStep | None = None, report: bool = False,
          stop: Stop | None = None) -> Report:
    """Load ``path``, solve ``sheet``, write the solution to ``out`` (a copy), report."""
    out = out or default_output(path, sheet)
    check_output(path, out)  # before the solve, not after it: a bad path wastes no search
    book = Workbook.load(path)
    result = solve_book(book, sheet, settings, device=device, on_step=on_step, stop=stop)
    with atomic_path(out) as tmp:
        book.save_values(tmp)
        if report and result.answer is not None:
            add_sheet(tmp, ANSWER_REPORT, result.answer.rows())
    return dataclasses.replace(result, output=out)


def _objective_value(book: Workbook, model: SolverModel) -> float:
    cell = model.objective
    value = book.current(cell.sheet, cell.r1, cell.c1)
    if type(value) is not float:
        raise SolverError(f"solver_opt: the objective {cell} holds {_show(value)}, not a number",
                          file=book.path, sheet=model.sheet)
    return value


def _require_numbers(book: Workbook, model: SolverModel) -> None:
    """Changing cells must hold numbers; empty ones start at 0, as in Excel's Solver. The
    constraints' cells must hold numbers (empty counts as 0)."""
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
    for constraint in model.constraints:
        sides = [(constraint.name, constraint.cells)]
        if isinstance(constraint.bound, Range):
            sides.append((f"solver_rhs{constraint.index}", constraint.bound))
        for name, rng in sides:
            for r, c in rng.cells():
                value = book.current(rng.sheet, r, c)
                if value is not None and type(value) is not float:
                    where = Range(rng.sheet, r, c, r, c)
                    raise SolverError(f"{name}: the constraint cell {where} holds {_show(value)}, "
                                      "not a number", file=book.path, sheet=model.sheet)


def _show(value: object) -> str:
    return "nothing" if value is None else repr(value) if isinstance(value, str) else str(value)
