"""The Solver model Excel stores in a workbook, read and checked before anything is optimized.

Excel keeps the Solver dialog of a sheet in hidden sheet-scoped defined names (the README's table
gives each with the dialog's wording): ``solver_opt`` (objective cell), ``solver_typ`` (1 max,
2 min, 3 value of ``solver_val``), ``solver_adj`` (changing cells, a union such as
``bias!$H$19:$V$24,bias!$A$26:$F$40``), ``solver_neg`` (1: unconstrained changing cells are
non-negative), ``solver_num`` constraints ``solver_lhsN`` / ``solver_relN`` (1 ``<=``, 2 ``=``,
3 ``>=``, 4 int, 5 bin, 6 dif) / ``solver_rhsN`` (a number, a cell or a range; ``integer`` or
``binary`` for 4 and 5), ``solver_eng`` (1 GRG Nonlinear, 2 Simplex LP, 3 Evolutionary) and the
options ``solver_msl`` (multistart), ``solver_cvg``, ``solver_pre``, ``solver_itr``,
``solver_tim``, ``solver_mni``, ``solver_rbv``, ``solver_ssz``. Yes/no options are stored as 1
(yes) and 2 (no); limits as 2147483647 when there is none.

Every problem is a :class:`SolverError` whose one line names the sheet and the solver_* name at fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ...calc.graph import static_references
from ...core.cells import Cell
from ...core.errors import SolverError
from ...core.references import Range
from ...workbook import Workbook
from .cover import Address, cover

Goal = Literal["max", "min", "value"]
GOALS: dict[str, Goal] = {"1": "max", "2": "min", "3": "value"}
Relation = Literal["<=", "=", ">=", "int", "bin", "dif"]
RELATIONS: dict[str, Relation] = {"1": "<=", "2": "=", "3": ">=", "4": "int", "5": "bin", "6": "dif"}
Engine = Literal["GRG Nonlinear", "Simplex LP", "Evolutionary"]
ENGINES: dict[str, Engine] = {"1": "GRG Nonlinear", "2": "Simplex LP", "3": "Evolutionary"}
UNLIMITED = 2147483647  # what Excel stores for "no limit" in solver_itr and solver_tim
_UNION_PART = re.compile(r"(?:'(?:[^']|'')*'|[^,'])+")  # a comma outside quotes separates areas


@dataclass(frozen=True)
class Constraint:
    """``solver_lhsN`` relation ``solver_rhsN``; ``bound`` is None for int and bin."""
    index: int
    cells: Range
    relation: Relation
    bound: float | Range | None

    @property
    def name(self) -> str:
        return f"solver_lhs{self.index}"

    def bound_text(self) -> str:
        if self.bound is None:
            return self.relation
        return self.bound.a1() if isinstance(self.bound, Range) else f"{self.bound:g}"


@dataclass(frozen=True)
class Options:
    """The Solver Options dialog (defaults: Excel's)."""
    multistart: bool = False                  # solver_msl
    convergence: float = 1e-4                 # solver_cvg
    precision: float = 1e-6                   # solver_pre (constraint precision)
    max_iterations: int | None = None         # solver_itr
    max_seconds: float | None = None          # solver_tim
    seconds_without_improvement: float = 30  # solver_mni (Evolutionary)
    require_bounds: bool = True               # solver_rbv (Evolutionary and multistart)
    population: int = 100                     # solver_ssz (Evolutionary and multistart)


@dataclass(frozen=True)
class SolverModel:
    sheet: str
    objective: Range
    goal: Goal
    target: float                   # solver_val, the value to reach when goal is "value"
    changing: tuple[Range, ...]
    non_negative: bool
    constraints: tuple[Constraint, ...] = ()
    engine: Engine = "GRG Nonlinear"
    options: Options = field(default_factory=Options)

    @property
    def size(self) -> int:
        return sum(r.size for r in self.changing)

    @property
    def max_iterations(self) -> int | None:
        return self.options.max_iterations

    @property
    def max_seconds(self) -> float | None:
        return self.options.max_seconds

    @property
    def integers(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.relation in ("int", "bin"))


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
    engine = ENGINES.get(names.text.get("solver_eng", "1"))
    if engine is None:
        raise names.error("solver_eng", f"is {names.text['solver_eng']!r}; Excel stores 1 (GRG "
                                        "Nonlinear), 2 (Simplex LP) or 3 (Evolutionary)")
    changing = _changing(names)
    constraints = tuple(_constraint(names, i, changing)
                        for i in range(1, int(names.number("solver_num", 0.0)) + 1))
    integer = next((c for c in constraints if c.relation in ("int", "bin")), None)
    if integer is not None and engine == "GRG Nonlinear":
        raise names.error(f"solver_rel{integer.index}",
                          f"{integer.cells} must be {'integer' if integer.relation == 'int' else 'binary'}, "
                          "which the GRG Nonlinear engine (solver_eng 1) does not search; choose "
                          "Simplex LP (a linear model) or Evolutionary")
    options = Options(multistart=names.flag("solver_msl", False),
                      convergence=names.fraction("solver_cvg", 1e-4),
                      precision=names.fraction("solver_pre", 1e-6),
                      max_iterations=names.limit("solver_itr"), max_seconds=names.limit("solver_tim"),
                      seconds_without_improvement=names.limit("solver_mni") or UNLIMITED,
                      require_bounds=names.flag("solver_rbv", True),
                      population=names.limit("solver_ssz") or 100)
    return SolverModel(sheet=sheet, objective=objective, goal=goal,
                       target=names.number("solver_val", 0.0), changing=changing,
                       non_negative=names.flag("solver_neg", False), constraints=constraints,
                       engine=engine, options=options)


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

    def flag(self, name: str, default: bool) -> bool:
        """Excel's check boxes: 1 checked, 2 not."""
        text = self.text.get(name)
        if text is None:
            return default
        if text not in ("1", "2"):
            raise self.error(name, f"is {text!r}; Excel stores 1 (yes) or 2 (no)")
        return text == "1"

    def fraction(self, name: str, default: float) -> float:
        value = self.number(name, default)
        if not 0 < value < 1:
            raise self.error(name, f"is {self.text[name]!r}; it must lie between 0 and 1")
        return value

    def reference(self, name: str, text: str) -> Range:
        if "#REF!" in text.upper():
            raise self.error(name, f"is {text!r}: its cells were deleted")
        try:
            rng = Range.parse(text, self.sheet)
        except ValueError:
            raise self.error(name, f"{text!r} is not a range") from None
        if rng.sheet not in self.book.sheets:
            raise self.error(name, f"{text!r} is on a sheet the workbook does not have")
        return rng


def _objective(names: _Names) -> Range:
    text = names.text["solver_opt"]
    if "#REF!" in text.upper():
        raise names.error("solver_opt", f"the objective is {text!r}: its cell was deleted; "
                                        "set the objective again in Excel's Solver dialog")
    rng = names.reference("solver_opt", text)
    if rng.size != 1:
        raise names.error("solver_opt", f"the objective {rng} must be a single cell")
    return rng


def _changing(names: _Names) -> tuple[Range, ...]:
    text = names.text.get("solver_adj", "")
    if not text:
        raise names.error("solver_adj", "no changing cells")
    if "#REF!" in text.upper():
        raise names.error("solver_adj", f"the changing cells are {text!r}: some were deleted")
    ranges = [names.reference("solver_adj", part) for part in _UNION_PART.findall(text)]
    formulas = [c for rng in ranges for c in _cells(names.book, rng)
                if c.formula is not None or c.master is not None]
    if formulas:
        raise names.error("solver_adj", _formula_message(formulas))
    return tuple(ranges)


def _constraint(names: _Names, index: int, changing: tuple[Range, ...]) -> Constraint:
    """``solver_lhsN``, ``solver_relN`` and ``solver_rhsN`` as one constraint."""
    lhs, rel, rhs = (f"solver_{part}{index}" for part in ("lhs", "rel", "rhs"))
    for name in (lhs, rel):
        if name not in names.text:
            raise names.error(name, f"missing, though solver_num says there are "
                                    f"{names.text['solver_num']} constraints")
    cells = names.reference(lhs, names.text[lhs])
    relation = RELATIONS.get(names.text[rel])
    if relation is None:
        raise names.error(rel, f"is {names.text[rel]!r}; Excel stores 1 (<=), 2 (=), 3 (>=), "
                               "4 (int), 5 (bin) or 6 (dif)")
    if relation == "dif":
        raise names.error(rel, f"{cells} must be all different (AllDifferent), which this "
                               "Solver does not support")
    if relation in ("int", "bin"):
        outside = [rc for rc in cells.cells()
                   if not any(r.contains(cells.sheet, *rc) for r in changing)]
        if outside:
            raise names.error(lhs, f"{cells} must be {'integer' if relation == 'int' else 'binary'}, "
                                   "but only changing cells (solver_adj) can be")
        return Constraint(index, cells, relation, None)
    text = names.text.get(rhs, "").strip('"')
    if not text:
        raise names.error(rhs, "missing: the constraint has no right-hand side")
    try:
        bound: float | Range = float(text)
    except ValueError:
        bound = names.reference(rhs, text)
        if bound.size != 1 and (bound.height, bound.width) != (cells.height, cells.width):
            raise names.error(rhs, f"{bound} is shaped unlike {cells} ({lhs}): a right-hand side "
                                   "is one cell or a range of the same shape")
    return Constraint(index, cells, relation, bound)


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
