"""The exact backend: evaluates IR nodes one cell at a time with Excel's full semantics.

Every other backend (block evaluation with numpy, torch) is an acceleration of this one and is
checked against it. References stay references (``Range``) until an operator or a function needs
their values, so OFFSET can return a reference and SUMPRODUCT can consume it. A reference of
several areas (a union, a 3-D reference) is ``Areas``: the functions that take one see it whole,
those that take values see the values of all its areas; anywhere else it is #VALUE!.
"""
from __future__ import annotations

import random
from typing import Callable, Protocol

from ..core.ir import (AreaRef, ArrayConst, Binary, Call, CellRef, Const, Missing, Node, Ref3D,
                       Unary, Union)
from ..core.references import Areas, Range
from ..core.values import (Array, ErrorResult, ExcelError, Scalar, checked_number, compare, to_bool,
                           to_number, to_text)
from ..functions import REGISTRY, Arg, FunctionSpec, WorkbookContext
from ..functions.math import divide, power

Result = Scalar | Array | Range | Areas

# "Create a 3-D reference to the same cell range on multiple worksheets": the functions whose
# values may come from several sheets; and SHEETS ("SHEETS function"), which counts them.
THREE_D = frozenset({"SUM", "AVERAGE", "AVERAGEA", "COUNT", "COUNTA", "MAX", "MAXA", "MIN", "MINA",
                     "PRODUCT", "STDEV", "STDEVA", "STDEVP", "STDEVPA", "VAR", "VARA", "VARP",
                     "VARPA", "STDEV.S", "STDEV.P", "VAR.S", "VAR.P", "SHEETS"})
# The functions given a reference of several areas itself ("AREAS function", "INDEX function":
# area_num picks one; ISREF: a union is a reference); functions taking values (Arg.VALUES) see
# the values of every area.
MULTI_AREA = frozenset({"AREAS", "INDEX", "ISREF", "SHEETS"})


class CellSource(Protocol):
    """What the interpreter needs from the calculation: current values, pulled if stale."""

    rng: random.Random
    book: WorkbookContext

    def value(self, sheet: str, row: int, col: int) -> Scalar: ...

    def grid(self, rng: Range) -> Array: ...

    def note_dynamic(self, rng: Range) -> None: ...


def _arith(op: str, a: float, b: float) -> float:
    if op == "+":
        return checked_number(a + b)
    if op == "-":
        return checked_number(a - b)
    if op == "*":
        return checked_number(a * b)
    if op == "/":
        return divide(a, b)
    return power(a, b)


_COMPARE: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
    ">": lambda c: c > 0, "<=": lambda c: c <= 0, ">=": lambda c: c >= 0,
}


def scalar_binary(op: str, a: Scalar, b: Scalar) -> Scalar:
    """A binary operator on two scalars; errors propagate, left operand first."""
    if op in _COMPARE:
        return _COMPARE[op](compare(a, b))
    if op == "&":
        return to_text(a) + to_text(b)
    return _arith(op, to_number(a), to_number(b))


def scalar_unary(op: str, a: Scalar) -> Scalar:
    x = to_number(a)
    if op == "-":
        return -x + 0.0
    if op == "%":
        return x / 100.0
    return x


def _element(grid: Array, r: int, c: int) -> Scalar:
    """Entry (r, c) of a grid broadcast to a larger shape (#N/A outside, as Excel pads)."""
    h, w = grid.height, grid.width
    rr = 0 if h == 1 else r
    cc = 0 if w == 1 else c
    if rr >= h or cc >= w:
        return ExcelError.NA
    return grid.rows[rr][cc]


def elementwise(grids: list[Array], f: Callable[..., Scalar]) -> Array:
    """Apply ``f`` position by position over grids broadcast to one shape; errors become values."""
    height = max(g.height for g in grids)
    width = max(g.width for g in grids)
    out = []
    for r in range(height):
        row = []
        for c in range(width):
            try:
                row.append(f(*[_element(g, r, c) for g in grids]))
            except ErrorResult as exc:
                row.append(exc.error)
        out.append(row)
    return Array(out)


class Interpreter:
    def __init__(self, source: CellSource) -> None:
        self.source = source

    # -- references and dereferencing -------------------------------------------------------
    def intersect(self, rng: Range, row: int, col: int) -> Scalar:
        """A range where one value is wanted: its only cell, or Excel's implicit intersection."""
        if rng.r1 == rng.r2 and rng.c1 == rng.c2:
            return self.source.value(rng.sheet, rng.r1, rng.c1)
        if rng.c1 == rng.c2 and rng.r1 <= row <= rng.r2:
            return self.source.value(rng.sheet, row, rng.c1)
        if rng.r1 == rng.r2 and rng.c1 <= col <= rng.c2:
            return self.source.value(rng.sheet, rng.r1, col)
        raise ErrorResult(ExcelError.VALUE)

    def read_area(self, rng: Range, made: bool = False) -> Array:
        """The values of a range given to a function, or ``made`` by it at run time (SUMIF's
        resized sum_range: then the graph learns of the edge)."""
        if made:
            self.source.note_dynamic(rng)
        return self.source.grid(rng)

    def blocked(self, grid: Array, target: Range) -> bool:
        """Whether a cell the array would spill into, beyond ``target``, holds something."""
        # the spill area is read at run time: the graph learns of it, so a later entry there
        # recalculates the formula
        self.source.note_dynamic(Range(target.sheet, target.r1, target.c1,
                                       target.r1 + grid.height - 1, target.c1 + grid.width - 1))
        return any(self.source.value(target.sheet, r, c) is not None
                   for r, c in _outside(grid, target))

    def as_grid(self, value: Result) -> Array:
        if isinstance(value, Range):
            return self.source.grid(value)
        if isinstance(value, Array):
            return value
        if isinstance(value, Areas):  # no one array holds several areas
            raise ErrorResult(ExcelError.VALUE)
        return Array([[value]])

    def as_scalar(self, value: Result, row: int, col: int) -> Scalar:
        if isinstance(value, Range):
            return self.intersect(value, row, col)
        if isinstance(value, Array):
            return value.rows[0][0]
        if isinstance(value, Areas):  # nothing to intersect with the formula's row
            raise ErrorResult(ExcelError.VALUE)
        return value

    def area_values(self, areas: Areas, function: str) -> Array:
        """The values of every area, one row after another, for a function taking values: a
        3-D reference only for the functions that take one."""
        if len(areas.sheets) > 1 and function not in THREE_D:
            raise ErrorResult(ExcelError.VALUE)
        return Array([[v for rng in areas.ranges for v in self.source.grid(rng)]])

    # -- evaluation ----------------------------------------------------------------------------
    def scalar(self, node: Node, sheet: str, row: int, col: int) -> Scalar:
        """The node's value as one scalar (errors raised as ErrorResult)."""
        if type(node) is CellRef:
            r, c = node.at(row, col)
            v = self.source.value(node.sheet or sheet, r, c)
        else:
            v = self.as_scalar(self.evaluate(node, sheet, row, col, False), row, col)
        if type(v) is ExcelError:
            raise ErrorResult(v)  # type: ignore[arg-type]
        return v

    def evaluate(self, node: Node, sheet: str, row: int, col: int, array_mode: bool) -> Result:
        t = type(node)
        if t is Const:
            return node.value  # type: ignore[attr-defined]
        if t is CellRef:
            r, c = node.at(row, col)  # type: ignore[attr-defined]
            return Range(node.sheet or sheet, r, c, r, c)  # type: ignore[attr-defined]
        if t is AreaRef:
            return node.at(sheet, row, col)  # type: ignore[attr-defined]
        if t is Binary:
            return self.binary(node, sheet, row, col, array_mode)  # type: ignore[arg-type]
        if t is Unary:
            return self.unary(node, sheet, row, col, array_mode)  # type: ignore[arg-type]
        if t is Call:
            return self.call(node, sheet, row, col, array_mode)  # type: ignore[arg-type]
        if t is ArrayConst:
            return Array([list(r) for r in node.rows])  # type: ignore[attr-defined]
        if t is Missing:
            return None
        if t is Ref3D:
            return self.three_d(node, sheet, row, col)  # type: ignore[arg-type]
        if t is Union:
            return self.union(node, sheet, row, col)  # type: ignore[arg-type]
        raise TypeError(node)

    def three_d(self, node: Ref3D, sheet: str, row: int, col: int) -> Range | Areas:
        """The range on each worksheet from the first to the last, in tab order (#REF! if one
        of the two is not a worksheet)."""
        sheets = node.sheets(self.source.book.sheet_names)
        if not sheets:
            raise ErrorResult(ExcelError.REF)
        ranges = tuple(self.evaluate(node.on(name), sheet, row, col, False) for name in sheets)
        return ranges[0] if len(ranges) == 1 else Areas(ranges)  # type: ignore[arg-type]

    def union(self, node: Union, sheet: str, row: int, col: int) -> Areas:
        """The areas of every part, which must be references on one sheet (else #VALUE!)."""
        ranges: list[Range] = []
        for part in node.parts:
            value = self.evaluate(part, sheet, row, col, False)
            if isinstance(value, Range):
                ranges.append(value)
            elif isinstance(value, Areas):
                ranges.extend(value.ranges)
            else:
                raise ErrorResult(value if type(value) is ExcelError else ExcelError.VALUE)
        areas = Areas(tuple(ranges))
        if len(areas.sheets) > 1:
            raise ErrorResult(ExcelError.VALUE)
        return areas

    def operand(self, node: Node, sheet: str, row: int, col: int, array_mode: bool) -> Scalar | Array:
        """An operator's operand: a scalar, or in an array formula possibly an array."""
        value = self.evaluate(node, sheet, row, col, array_mode)
        if isinstance(value, Range):
            if array_mode and value.size > 1:
                return self.source.grid(value)
            return self.intersect(value, row, col)
        if isinstance(value, Array) and not array_mode:
            return value.rows[0][0]
        return value

    def binary(self, node: Binary, sheet: str, row: int, col: int, array_mode: bool) -> Result:
        op = node.op
        if op == ":" or op == " ":
            return self.reference_operator(node, sheet, row, col)
        a = self.operand(node.left, sheet, row, col, array_mode)
        b = self.operand(node.right, sheet, row, col, array_mode)
        if isinstance(a, Array) or isinstance(b, Array):
            return elementwise([self.as_grid(a), self.as_grid(b)],
                               lambda x, y: scalar_binary(op, x, y))
        return scalar_binary(op, a, b)

    def unary(self, node: Unary, sheet: str, row: int, col: int, array_mode: bool) -> Result:
        a = self.operand(node.operand, sheet, row, col, array_mode)
        if isinstance(a, Array):
            return elementwise([a], lambda x: scalar_unary(node.op, x))
        return scalar_unary(node.op, a)

    def reference_operator(self, node: Binary, sheet: str, row: int, col: int) -> Range:
        a = self.evaluate(node.left, sheet, row, col, False)
        b = self.evaluate(node.right, sheet, row, col, False)
        if not isinstance(a, Range) or not isinstance(b, Range) or a.sheet != b.sheet:
            raise ErrorResult(ExcelError.VALUE)
        if node.op == ":":
            result = Range(a.sheet, min(a.r1, b.r1), min(a.c1, b.c1), max(a.r2, b.r2), max(a.c2, b.c2))
        else:
            r1, c1, r2, c2 = max(a.r1, b.r1), max(a.c1, b.c1), min(a.r2, b.r2), min(a.c2, b.c2)
            if r1 > r2 or c1 > c2:
                raise ErrorResult(ExcelError.NULL)
            result = Range(a.sheet, r1, c1, r2, c2)
        # a range made at run time (B6:OFFSET(B6,2,0)) reads cells no static edge knows of
        self.source.note_dynamic(result)
        return result

    def call(self, node: Call, sheet: str, row: int, col: int, array_mode: bool) -> Result:
        spec = REGISTRY.get(node.name)
        if spec is None:
            raise ErrorResult(ExcelError.NAME)
        args: list = []
        lifted: list[int] = []
        for i, arg in enumerate(node.args):
            kind = spec.kind(i)
            if type(arg) is Missing:
                if kind is Arg.LAZY:  # IF(c,"x",) is 0, not FALSE: an empty branch is there
                    args.append(_zero)
                else:
                    args.append(None if i >= spec.min_args else self.coerce(kind, None))
                continue
            if kind is Arg.LAZY:
                args.append(self.thunk(arg, sheet, row, col, array_mode))
                continue
            try:
                # Excel evaluates the arguments of array parameters (SUMPRODUCT's) as arrays,
                # even in an ordinary formula
                value = self.evaluate(arg, sheet, row, col,
                                      array_mode or kind is Arg.GRID or kind is Arg.AREA)
            except ErrorResult as exc:
                value = exc.error  # an error is a value: ISERROR and COUNT must see it
            if type(value) is Areas and kind in _REFERENCE_KINDS:
                args.append(self.areas_argument(spec, kind, value))
            elif kind is Arg.REF:
                if not isinstance(value, Range):
                    raise ErrorResult(value if type(value) is ExcelError else ExcelError.VALUE)
                args.append(value)
            elif kind is Arg.GRID:
                args.append(self.as_grid(value))
            elif kind is Arg.AREA:
                args.append(value if isinstance(value, Range) else self.as_grid(value))
            elif kind is Arg.VALUES:
                args.append(self.as_grid(value) if isinstance(value, (Range, Array)) else value)
            elif array_mode and spec.elementwise and (
                    isinstance(value, Array) or isinstance(value, Range) and value.size > 1):
                lifted.append(i)
                args.append(self.as_grid(value))
            else:
                try:
                    value = self.as_scalar(value, row, col)
                except ErrorResult as exc:  # no cell in the formula's row: #VALUE!, a value
                    value = exc.error       # that ISERROR and ERROR.TYPE see
                args.append(self.coerce(kind, value))
        if lifted:
            return self.lift(spec, args, lifted, sheet, row, col)
        return self.invoke(spec, args, sheet, row, col)

    def areas_argument(self, spec: FunctionSpec, kind: Arg, areas: Areas) -> Areas | Array:
        """A reference of several areas given for a reference or values: itself to the functions
        that take one, its values to those taking values; #VALUE! elsewhere (one area is wanted),
        as where a value is wanted (:meth:`as_scalar`, :meth:`as_grid`)."""
        if kind is Arg.VALUES:
            return self.area_values(areas, spec.name)
        if spec.name not in MULTI_AREA or len(areas.sheets) > 1 and spec.name not in THREE_D:
            raise ErrorResult(ExcelError.VALUE)
        return areas

    def invoke(self, spec: FunctionSpec, args: list, sheet: str, row: int, col: int) -> Result:
        if spec.uses_rng:
            args.insert(0, self.source.rng)
        if spec.uses_anchor:
            args.insert(0, (row, col, sheet))
        if spec.reads_cells:
            args.insert(0, self.read_area)
        if spec.uses_book:
            args.insert(0, self.source.book)
        try:
            result = spec.impl(*args)
        except OverflowError:  # a float past 1.8E+308 inside any function (math.exp): #NUM!
            raise ErrorResult(ExcelError.NUM) from None
        if type(result) is float and result - result != 0:  # inf or NaN from any function: #NUM!
            raise ErrorResult(ExcelError.NUM)
        if spec.reference_result and isinstance(result, Range):
            self.source.note_dynamic(result)
        return result

    def lift(self, spec: FunctionSpec, args: list, lifted: list[int], sheet: str, row: int,
             col: int) -> Array:
        """A scalar function given arrays in an array formula: applied entry by entry. Lazy
        arguments (IF's branches) are taken entry by entry too."""
        grids = [args[i] for i in lifted]
        height = max(g.height for g in grids)
        width = max(g.width for g in grids)
        out = []
        for r in range(height):
            out_row: list[Scalar] = []
            for c in range(width):
                call_args = [self._entry_thunk(a, r, c, row, col) if spec.kind(i) is Arg.LAZY
                             and a is not None else a for i, a in enumerate(args)]
                try:
                    for i, grid in zip(lifted, grids):
                        call_args[i] = self.coerce(spec.kind(i), _element(grid, r, c))
                    out_row.append(self.as_scalar(self.invoke(spec, call_args, sheet, row, col),
                                                  row, col))
                except ErrorResult as exc:
                    out_row.append(exc.error)
            out.append(out_row)
        return Array(out)

    def _entry_thunk(self, thunk: Callable[[], Result], r: int, c: int, row: int,
                     col: int) -> Callable[[], Scalar]:
        def entry() -> Scalar:
            value = thunk()
            if isinstance(value, Range):
                value = self.source.grid(value) if value.size > 1 else self.intersect(value, row, col)
            return _element(value, r, c) if isinstance(value, Array) else value
        return entry

    @staticmethod
    def coerce(kind: Arg, value: Scalar) -> Scalar:
        if kind is Arg.NUMBER:
            return to_number(value)
        if kind is Arg.ANY:
            return value
        if type(value) is ExcelError:
            raise ErrorResult(value)  # type: ignore[arg-type]
        if kind is Arg.TEXT:
            return to_text(value)
        if kind is Arg.BOOL:
            return to_bool(value)
        return value

    def thunk(self, node: Node, sheet: str, row: int, col: int, array_mode: bool) -> Callable[[], Result]:
        return lambda: self.evaluate(node, sheet, row, col, array_mode)

    # -- cells -----------------------------------------------------------------------------------
    def cell_result(self, node: Node, sheet: str, row: int, col: int,
                    target: Range | None, *, spills: bool = False) -> Scalar | Array:
        """A formula cell's value; for an array formula (``target``) the Array that fills it.
        A dynamic array (``spills``) larger than its range whose spill cells are not empty is
        #SPILL! ("How to correct a #SPILL! error": the spill range isn't blank)."""
        try:
            value = self.evaluate(node, sheet, row, col, target is not None)
            if target is not None:
                grid = self.as_grid(value)
                if spills and self.blocked(grid, target):
                    raise ErrorResult(ExcelError.SPILL)
                return fit_array(grid, target)
            value = self.as_scalar(value, row, col)
            if type(value) is float:
                return checked_number(value)
            # =A1 of an empty A1 shows 0: a formula's value is never blank
            return 0.0 if value is None else value
        except ErrorResult as exc:
            if target is not None:
                return Array([[exc.error] * target.width for _ in range(target.height)])
            return exc.error


_REFERENCE_KINDS = frozenset({Arg.REF, Arg.AREA, Arg.VALUES})


def _outside(grid: Array, target: Range) -> list[tuple[int, int]]:
    """The cells an array would spill into beyond its recorded range."""
    return [(target.r1 + r, target.c1 + c) for r in range(grid.height) for c in range(grid.width)
            if r >= target.height or c >= target.width]


def _zero() -> float:
    return 0.0


def fit_array(grid: Array, target: Range) -> Array:
    """An array result laid over its target range: broadcast a row or column, pad with #N/A."""
    out = []
    for r in range(target.height):
        row = []
        for c in range(target.width):
            v = _element(grid, r, c)
            row.append(ExcelError.NUM if type(v) is float and v - v != 0 else 0.0 if v is None else v)
        out.append(row)
    return Array(out)
