"""One registry of Excel functions; each family module registers its functions here.

A function is a small pure Python function. Its parameters are declared with :class:`Arg` kinds,
and the evaluator prepares each argument accordingly before the call, so the rules about empty
cells, text, references and errors are applied in one place (:mod:`cellgrad.functions.arguments`)
instead of in every function.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Protocol


class WorkbookContext(Protocol):
    """What a function may know of the workbook beyond cell values, read-only (ISFORMULA, SHEET,
    CELL, INFO, SUBTOTAL): given to the functions registered with ``uses_book``."""

    path: str | None             # the file, as loaded; None for a workbook not from a file
    date1904: bool               # the 1904 date system ("Date systems in Excel"); else 1900's

    @property
    def sheet_names(self) -> list[str]: ...   # the worksheets, in tab order

    tabs: list[str]                  # every sheet in tab order: chart, dialog, macro sheets too

    @property
    def automatic(self) -> bool: ...          # the calculation mode

    def formula(self, sheet: str, row: int, col: int) -> str | None: ...

    def calls(self, sheet: str, row: int, col: int) -> frozenset[str]:
        """The functions the cell's formula calls (none for a constant or an empty cell)."""

    def row_hidden(self, sheet: str, row: int, *, by_filter_only: bool = False) -> bool: ...


class Arg(Enum):
    """How the evaluator prepares one argument before calling the function."""

    NUMBER = "number"    # a scalar coerced as arithmetic does; a range is implicitly intersected
    TEXT = "text"        # a scalar coerced to text
    BOOL = "bool"        # a scalar coerced to a condition
    SCALAR = "scalar"    # a scalar as it is; an error argument propagates
    ANY = "any"          # a scalar as it is, errors included (ISERROR, IFERROR)
    GRID = "grid"        # a range, array or scalar, as an Array of values (MMULT, SUMPRODUCT)
    VALUES = "values"    # like GRID for references and arrays, but a direct scalar stays a
                         # scalar: the SUM family treats the two differently
    REF = "ref"          # a reference (Range) itself: OFFSET's base, ROW, ROWS
    AREA = "area"        # a reference stays a Range, anything else becomes an Array (INDEX)
    LAZY = "lazy"        # a thunk, evaluated only if the function asks (IF's branches)


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    impl: Callable
    params: tuple[Arg, ...]
    repeat: Arg | tuple[Arg, ...] | None = None  # kind(s) of the variadic tail, cycled (COUNTIFS)
    min_args: int = 0
    volatile: bool = False           # recalculated on every recalculation (RAND, OFFSET)
    random: bool = False             # its value cannot be reproduced (a random draw, the clock):
                                     # computed at every recalculation, Excel's cached value replayed
    uses_rng: bool = False           # impl takes the workbook's random generator first
    array_result: bool = False       # may return an Array (MMULT)
    reference_result: bool = False   # may return a Range (OFFSET)
    elementwise: bool = True         # in array formulas, lifted over arrays given to scalar args
    uses_anchor: bool = False        # impl takes the formula cell's (row, col, sheet) first (ROW())
    # The same function over a block of cells as array operations, for the block evaluator and
    # torch (see cellgrad.functions.array_kernels): kernel(ctx, *args) -> backend array of shape (N,).
    kernel: Callable[..., Any] | None = None
    # For the compiled plans, the Python source of a call given its arguments' sources: for a
    # function of one range (SUM), the range's float variables; for any other, its arguments'
    # expressions (a lazy one unevaluated: IF's is a conditional expression). None where it
    # cannot be compiled (an empty AVERAGE). Without it, the plans call the scalar rule.
    compiled: Callable[[list[str]], str | None] | None = None
    reads_cells: bool = False        # impl takes a reader of ranges first (SUMIF's resized sum_range)
    uses_book: bool = False          # impl takes the WorkbookContext first (ISFORMULA, SUBTOTAL)

    def kind(self, index: int) -> Arg:
        if index < len(self.params):
            return self.params[index]
        assert self.repeat is not None
        if isinstance(self.repeat, tuple):
            return self.repeat[(index - len(self.params)) % len(self.repeat)]
        return self.repeat

    @property
    def max_args(self) -> int | None:
        return None if self.repeat is not None else len(self.params)

    @property
    def takes_context(self) -> bool:
        """Whether impl is given something before its arguments (a new such flag goes here too:
        the compiled plans call impl with its arguments alone when this is False)."""
        return self.uses_rng or self.uses_anchor or self.reads_cells or self.uses_book


REGISTRY: dict[str, FunctionSpec] = {}


def excel_function(name: str, *params: Arg, repeat: Arg | tuple[Arg, ...] | None = None,
                   min_args: int | None = None, kernel: Callable[..., Any] | None = None,
                   compiled: Callable[[list[str]], str | None] | None = None,
                   **flags: bool) -> Callable[[Callable], Callable]:
    """Register ``impl`` as Excel function ``name`` taking arguments of the given kinds.

    ``impl`` is the scalar rule, the definition every backend agrees with; ``kernel`` and
    ``compiled`` are optional faster forms of the same function (see :class:`FunctionSpec`).
    Every backend looks a function up here: none keeps a table of function names of its own.
    """

    def register(impl: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"{name} registered twice")
        REGISTRY[name] = FunctionSpec(
            name, impl, tuple(params), repeat,
            len(params) if min_args is None else min_args, kernel=kernel, compiled=compiled,
            **flags)
        return impl

    return register


def lookup(name: str) -> FunctionSpec | None:
    return REGISTRY.get(name)


def families() -> dict[str, list[str]]:
    """Excel's function names by family (the FAMILY of the module that defines each), sorted;
    names starting with _ are the engine's own (a LAMBDA parameter), not Excel's."""
    out: dict[str, list[str]] = {}
    for name, spec in sorted(REGISTRY.items()):
        if name.startswith("_"):
            continue
        family = getattr(sys.modules[spec.impl.__module__], "FAMILY", "Other")
        out.setdefault(family, []).append(name)
    return dict(sorted(out.items()))
