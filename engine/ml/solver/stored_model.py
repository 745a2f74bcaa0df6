"""The Solver model Excel stores in a workbook, read and checked before anything is optimized.

Excel keeps the Solver dialog of a sheet in hidden sheet-scoped defined names: ``solver_opt``
(objective cell), ``solver_typ`` (1 max, 2 min, 3 value of), ``solver_val`` (the value for
typ 3), ``solver_adj`` (changing cells, a union such as ``bias!$H$19:$V$24,bias!$A$26:$F$40``),
``solver_neg`` (1: changing cells are non-negative), ``solver_itr`` and ``solver_tim``
(iteration and time limits, 2147483647 meaning none), ``solver_num`` (how many constraints
follow as ``solver_lhs1``...). The others (``solver_cvg``, ``solver_eng``, ``solver_msl``,
``solver_ssz``...) tune Excel's own GRG engine and have no counterpart here: the optimizers are
torch's.

Every problem is a :class:`SolverError` whose one line names the sheet and the name at fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ...calc.graph import static_references
from ...core.cells import Cell
from ...core.errors import SolverError
from ...core.references import Range
from ...workbook import Workbook
from .cover import Address, cover

Goal = Literal["max", "min", "value"]
GOALS: dict[str, Goal] = {"1": "max", "2": "min", "3": "value"}
UNLIMITED = 2147483647  # what Excel stores for "no limit" in solver_itr and solver_tim
_UNION_PART = re.compile(r"(?:'(?:[^']|'')*'|[^,'])+")  # a comma outside quotes separates areas


@dataclass(frozen=True)
class SolverModel:
    sheet: str
    objective: Range
    goal: Goal
    target: float                   # solver_val, the value to reach when goal is "value"
    changing: tuple[Range, ...]
    non_negative: bool
    max_iterations: int | None      # None: no limit stored
    max_seconds: float | None

    @property
    def size(self) -> int:
        return sum(r.size for r in self.changing)


def read_model(book: Workbook, sheet: str) -> SolverModel:
    """The Solver model of ``sheet``, or a SolverError saying what is wrong with it."""
    if sheet not in book.sheets:
        raise SolverError(f"no sheet named {sheet!r} (sheets: {', '.join(book.sheets)})",
                          file=book.path)
    names = _Names(book, sheet)
    if "solver_opt" not in names.text:
        having = [s for s, sh in book.sheets.items() if "SOLVER_OPT" in sh.names]
        raise names.error("solver_opt", "no Solver model on this sheet"
                          + (f" (sheets with one: {', '.join(having)})" if having else ""))
    objective = _objective(names)
    goal = GOALS.get(names.text.get("solver_typ", "2"))
    if goal is None:
        raise names.error("solver_typ", f"is {names.text['solver_typ']!r}; Excel stores 1 (max), "
                                        "2 (min) or 3 (value of)")
    if names.number("solver_num", 0.0) > 0:
        raise names.error("solver_num", f"the model has {names.text['solver_num']} constraints; "
                                        "only solver_neg (non-negative changing cells) is supported")
    return SolverModel(sheet=sheet, objective=objective, goal=goal,
                       target=names.number("solver_val", 0.0), changing=_changing(names),
                       non_negative=names.text.get("solver_neg") == "1",
                       max_iterations=names.limit("solver_itr"), max_seconds=names.limit("solver_tim"))


class _Names:
    """The sheet's solver_* names as text (lower-case keys), and errors that name one of them."""

    def __init__(self, book: Workbook, sheet: str) -> None:
        self.book = book
        self.sheet = sheet
        self.text = {key.lower(): d.text.lstrip("=") for key, d in book.sheets[sheet].names.items()
                     if key.startswith("SOLVER_")}

    def error(self, name: str, reason: str) -> SolverError:
        return SolverError(f"{name}: {reason}", file=self.book.path, sheet=self.sheet)

    def number(self, name: str, default: float) -> float:
        text = self.text.get(name)
        if text is None:
            return default
        try:
            return float(text)
        except ValueError:
            raise self.error(name, f"is {text!r}, not a number") from None

    def limit(self, name: str) -> int | None:
        value = self.number(name, UNLIMITED)
        if value <= 0:
            raise self.error(name, f"is {self.text[name]!r}; a limit must be positive")
        return None if value >= UNLIMITED else int(value)


def _objective(names: _Names) -> Range:
    text = names.text["solver_opt"]
    if "#REF!" in text.upper():
        raise names.error("solver_opt", f"the objective is {text!r}: its cell was deleted; "
                                        "set the objective again in Excel's Solver dialog")
    try:
        rng = Range.parse(text, names.sheet)
    except ValueError:
        raise names.error("solver_opt", f"{text!r} is not a cell reference") from None
    if rng.size != 1:
        raise names.error("solver_opt", f"the objective {rng} must be a single cell")
    if rng.sheet not in names.book.sheets:
        raise names.error("solver_opt", f"{text!r} is on a sheet the workbook does not have")
    return rng


def _changing(names: _Names) -> tuple[Range, ...]:
    text = names.text.get("solver_adj", "")
    if not text:
        raise names.error("solver_adj", "no changing cells")
    if "#REF!" in text.upper():
        raise names.error("solver_adj", f"the changing cells are {text!r}: some were deleted")
    ranges: list[Range] = []
    for part in _UNION_PART.findall(text):
        try:
            rng = Range.parse(part, names.sheet)
        except ValueError:
            raise names.error("solver_adj", f"{part!r} is not a range") from None
        if rng.sheet not in names.book.sheets:
            raise names.error("solver_adj", f"{part!r} is on a sheet the workbook does not have")
        ranges.append(rng)
    formulas = [c for rng in ranges for c in _cells(names.book, rng)
                if c.formula is not None or c.master is not None]
    if formulas:
        raise names.error("solver_adj", _formula_message(formulas))
    return tuple(ranges)


def _cells(book: Workbook, rng: Range) -> list[Cell]:
    cells = book.sheets[rng.sheet].cells
    return [cells[rc] for rc in rng.cells() if rc in cells]


def _formula_message(formulas: list[Cell]) -> str:
    """Which changing cells hold formulas and which cells those formulas read."""
    held = _ranges_text(cover((c.sheet, c.row, c.col) for c in formulas))
    read: set[Address] = set()
    for cell in formulas:
        owner = cell.master or cell
        for ref in static_references(owner.node, owner.sheet, owner.row, owner.col):  # type: ignore[arg-type]
            if isinstance(ref, Range):
                read.update((ref.sheet, r, c) for r, c in ref.cells())
            else:
                read.add(ref)
    return (f"changing cells {held} hold formulas, which read {_ranges_text(cover(read))}; "
            "Solver can only change constants: point solver_adj at the cells they read")


def _ranges_text(ranges: list[Range], most: int = 6) -> str:
    shown = ", ".join(r.a1() for r in ranges[:most])
    return shown + (f" and {len(ranges) - most} more areas" if len(ranges) > most else "")
