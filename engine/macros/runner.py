"""Performs parsed VBA macros statement by statement on a :class:`SheetAdapter`.

The calculation mode is the adapter's: under automatic calculation each write is recalculated
before the next statement, under manual calculation only ``Calculate`` (or switching back to
automatic) recalculates. The interpreter adds nothing of its own between statements, so every
value a macro copies is the value Excel would have copied.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Callable

from ..core.errors import CellgradError, MacroError
from ..core.references import MAX_ROW, Range
from ..core.values import ExcelError, Scalar
from .adapter import Grid, SheetAdapter
from .vba import (Assign, Binary, Calculate, CallSub, Clear, Copy, EndDown, Expr, ForLoop, IfBlock,
                  Module, Neg, Num, Offset, PasteValues, RangeRef, RangeValue, SetCalculation,
                  Statement, Sub, Var)

MAX_CALL_DEPTH = 64
_SCAN_ROWS = 256  # rows read at a time when End(xlDown) looks for the edge of a block

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt,
    "<=": operator.le, ">=": operator.ge,
}


@dataclass
class EpochLoop:
    """Replaces the bound of a macro's outermost ``For`` loop and reports after each round.

    ``somesteps`` is "For i = 1 To 5"; running it for N epochs runs the same loop N times under
    the same calculation mode, and ``after(i)`` observes the sheet after round i.
    """
    count: int
    after: Callable[[int], None]


class MacroRunner:
    """Runs the subs of one module on one sheet, with a clipboard that lives across calls."""

    def __init__(self, module: Module, sheet: SheetAdapter) -> None:
        self.module = module
        self.sheet = sheet
        self.clipboard: Grid | None = None
        self.variables: dict[str, float] = {}
        self._depth = 0
        self._file = module.name  # the file of the Sub running now, for error messages

    def call(self, name: str, epochs: EpochLoop | None = None) -> None:
        sub = self.module.sub(name)
        if epochs is not None and not any(isinstance(s, ForLoop) for s in sub.body):
            raise MacroError(f"macro {sub.name} has no For loop to count epochs with",
                             file=self.module.name, sheet=self.sheet.sheet)
        self._run_sub(sub, epochs)

    # -- statements --------------------------------------------------------------------------
    def _run_sub(self, sub: Sub, epochs: EpochLoop | None = None) -> None:
        if self._depth >= MAX_CALL_DEPTH:
            raise self._error(sub.line, f"calls nest deeper than {MAX_CALL_DEPTH} (a recursive Sub?)")
        self._depth += 1
        caller, self._file = self._file, sub.file or self.module.name
        try:
            for statement in sub.body:
                if epochs is not None and isinstance(statement, ForLoop):
                    self._epoch_loop(statement, epochs)
                    epochs = None  # only the outermost, first loop counts epochs
                else:
                    self._execute(statement)
        finally:
            self._depth -= 1
            self._file = caller

    def _execute_all(self, statements: tuple[Statement, ...]) -> None:
        for statement in statements:
            self._execute(statement)

    def _execute(self, s: Statement) -> None:
        if isinstance(s, Copy):
            area = self._area(s.ref, s.line)
            self.clipboard = self.sheet.read(area)
        elif isinstance(s, PasteValues):
            self._paste(s)
        elif isinstance(s, Assign):
            area = self._area(s.ref, s.line)
            value = self._evaluate(s.value, s.line)
            self.sheet.write(area, [[value] * area.width for _ in range(area.height)])
        elif isinstance(s, Clear):
            self.sheet.clear(self._area(s.ref, s.line))
        elif isinstance(s, SetCalculation):
            self.sheet.set_automatic(s.automatic)
        elif isinstance(s, Calculate):
            if s.scope == "sheet":
                self.sheet.calculate_sheet()
            else:
                self.sheet.calculate_application()
        elif isinstance(s, CallSub):
            self._call(s)
        elif isinstance(s, ForLoop):
            first = self._bound(s.start, s.line)  # VBA evaluates the start, then the end
            self._loop(s, first, self._bound(s.stop, s.line), None)
        elif isinstance(s, IfBlock):
            if self._truth(self._evaluate(s.condition, s.line), s.line):
                self._execute_all(s.body)
        else:  # pragma: no cover - the parser produces no other statement
            raise self._error(s.line, f"cannot perform {type(s).__name__}")

    def _call(self, s: CallSub) -> None:
        try:
            sub = self.module.sub(s.name)
        except MacroError:
            raise self._error(s.line, f"calls {s.name}, which is neither a Sub of this module "
                                      "nor a statement cellgrad knows") from None
        self._run_sub(sub)

    def _epoch_loop(self, s: ForLoop, epochs: EpochLoop) -> None:
        first = self._bound(s.start, s.line)
        self._loop(s, first, first + epochs.count - 1, epochs.after)

    def _loop(self, s: ForLoop, first: int, stop: int, after: Callable[[int], None] | None) -> None:
        for i in range(first, stop + 1):
            self.variables[s.var] = float(i)
            self._execute_all(s.body)
            if after is not None:
                after(i - first + 1)

    def _paste(self, s: PasteValues) -> None:
        if self.clipboard is None:
            raise self._error(s.line, "PasteSpecial with nothing copied")
        area = self._area(s.ref, s.line)
        height, width = len(self.clipboard), len(self.clipboard[0])
        if area.size == 1:  # Excel pastes the whole copied block from a single target cell
            area = Range(area.sheet, area.r1, area.c1, area.r1 + height - 1, area.c1 + width - 1)
        elif (area.height, area.width) != (height, width):
            raise self._error(s.line, f"pastes {height}x{width} cells onto {area.a1()}, "
                                      f"which is {area.height}x{area.width}")
        self.sheet.write(area, self.clipboard)

    # -- ranges ----------------------------------------------------------------------------------
    def _area(self, ref: RangeRef, line: int) -> Range:
        try:
            area = self.sheet.resolve(ref.name)
        except CellgradError as exc:  # DefinedNameError, WorkbookError, LibreOfficeError...
            raise self._error(line, f"Range({ref.name!r}): {exc.reason}") from None
        for step in ref.steps:
            if isinstance(step, EndDown):
                area = self._end_down(area)
            else:
                area = self._offset(area, step, line)
        return area

    def _offset(self, area: Range, step: Offset, line: int) -> Range:
        dr = self._bound(step.rows, line)
        dc = self._bound(step.cols, line)
        moved = Range(area.sheet, area.r1 + dr, area.c1 + dc, area.r2 + dr, area.c2 + dc)
        if moved.r1 < 1 or moved.c1 < 1 or moved.r2 > MAX_ROW:
            raise self._error(line, f"Offset({dr}, {dc}) of {area.a1()} is off the sheet")
        return moved

    def _end_down(self, area: Range) -> Range:
        """Ctrl+Down: to the last filled cell of the block, or to the next filled cell below."""
        filled = _Column(self.sheet, area.sheet, area.c1).filled
        row = area.r1
        if filled(row) and row < MAX_ROW and filled(row + 1):
            while row < MAX_ROW and filled(row + 1):
                row += 1
        else:
            row += 1
            while row < MAX_ROW and not filled(row):
                row += 1
        return Range(area.sheet, min(row, MAX_ROW), area.c1, min(row, MAX_ROW), area.c1)

    # -- expressions -----------------------------------------------------------------------------
    def _evaluate(self, e: Expr, line: int) -> Scalar:
        if isinstance(e, Num):
            return e.value
        if isinstance(e, Var):
            if e.name not in self.variables:
                raise self._error(line, f"unknown variable {e.name}")
            return self.variables[e.name]
        if isinstance(e, RangeValue):
            area = self._area(e.ref, line)
            if area.size != 1:
                raise self._error(line, f"Range({e.ref.name!r}) is {area.a1()}, not one cell: "
                                        "its value is an array (type mismatch)")
            return self.sheet.read(area)[0][0]
        if isinstance(e, Neg):
            return -self._number(self._evaluate(e.operand, line), line, e.operand)
        assert isinstance(e, Binary)
        left = self._number(self._evaluate(e.left, line), line, e.left)
        right = self._number(self._evaluate(e.right, line), line, e.right)
        if e.op in _COMPARE:
            return _COMPARE[e.op](left, right)
        return self._arithmetic(e.op, left, right, line)

    def _arithmetic(self, op: str, left: float, right: float, line: int) -> float:
        if op == "/" and right == 0:
            raise self._error(line, "division by zero (VBA run-time error 11)")
        try:
            result = {"+": operator.add, "-": operator.sub, "*": operator.mul,
                      "/": operator.truediv, "^": operator.pow}[op](left, right)
        except (OverflowError, ZeroDivisionError):
            result = math.inf
        if isinstance(result, complex) or not math.isfinite(result):
            raise self._error(line, f"{left!r} {op} {right!r} has no finite result "
                                    "(VBA run-time error 5 or 6)")
        return float(result)

    def _number(self, value: Scalar, line: int, source: Expr) -> float:
        """VBA's conversion of a cell value to Double: blank is 0, True is -1."""
        if value is None:
            return 0.0
        if isinstance(value, bool):
            return -1.0 if value else 0.0
        if isinstance(value, float):
            return value
        what = f"Range({source.ref.name!r})" if isinstance(source, RangeValue) else "a value"
        shown = value.value if isinstance(value, ExcelError) else repr(value)
        raise self._error(line, f"{what} holds {shown}, not a number "
                                "(VBA stops with a type mismatch, run-time error 13)")

    def _truth(self, value: Scalar, line: int) -> bool:
        if isinstance(value, bool):
            return value
        return self._number(value, line, Num(0.0)) != 0

    def _bound(self, e: Expr, line: int) -> int:
        value = self._number(self._evaluate(e, line), line, e)
        # VBA rounds a Double to the nearest integer, ties to even, like Python's round().
        return int(round(value))

    def _error(self, line: int, reason: str) -> MacroError:
        return MacroError(f"line {line}: {reason}", file=self._file, sheet=self.sheet.sheet)


class _Column:
    """One column read in chunks, so that End(xlDown) costs an adapter call per chunk, not per cell."""

    def __init__(self, sheet: SheetAdapter, name: str, col: int) -> None:
        self.sheet = sheet
        self.name = name
        self.col = col
        self.chunks: dict[int, list[Scalar]] = {}

    def filled(self, row: int) -> bool:
        chunk = (row - 1) // _SCAN_ROWS
        if chunk not in self.chunks:
            first = chunk * _SCAN_ROWS + 1
            last = min(first + _SCAN_ROWS - 1, MAX_ROW)
            self.chunks[chunk] = [r[0] for r in self.sheet.read(Range(self.name, first, self.col, last, self.col))]
        return self.chunks[chunk][(row - 1) % _SCAN_ROWS] not in (None, "")
