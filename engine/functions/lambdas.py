"""LET, LAMBDA and the LAMBDA helpers (MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY).

LET, and a LAMBDA that is called, are resolved while parsing (:mod:`cellgrad.core.parser`): each
name is replaced by its value's node, so no backend ever sees them. A LAMBDA given to a helper
must be called once per element at run time: the parser writes it as ``LAMBDA(slot..., body)``
with each parameter in the body a ``_PARAMETER(slot)`` call, and the helper binds the slots to
the element's values while it evaluates the body. A LAMBDA name that calls itself is called at
run time the same way (``_RECURSIVE`` and ``_RECURSE``), as deep as its arguments take it.
"""
from __future__ import annotations

import sys
from typing import Callable

from ..core.references import Range
from ..core.values import Array, ErrorResult, ExcelError, Scalar
from .arguments import array_shape
from .registry import Arg, excel_function

FAMILY = "Logical"  # the heading of `cellgrad functions` and the README's coverage table

Thunk = Callable[[], object]
ReadArea = Callable[..., Array]
# The values bound to the parameters of the LAMBDAs being called, by slot (calculation is
# single-threaded; each call restores what it replaced, so nested and recursive helpers work).
_BOUND: dict[float, object] = {}


class Closure:
    """A LAMBDA at run time: its parameters' slots and a thunk evaluating its body."""

    def __init__(self, slots: tuple[float, ...], body: Thunk) -> None:
        self.slots = slots
        self.body = body

    def __call__(self, *values: object) -> object:
        if len(values) != len(self.slots):
            raise ErrorResult(ExcelError.VALUE)
        saved = {slot: _BOUND.get(slot) for slot in self.slots}
        _BOUND.update(zip(self.slots, values))
        try:
            return self.body()
        finally:
            _BOUND.update(saved)


@excel_function("LET", Arg.LAZY, Arg.LAZY, Arg.LAZY, repeat=Arg.LAZY)
def let(*_: Thunk) -> object:
    """"LET function": names for values within one formula (resolved while parsing: a call
    never reaches this rule)."""
    raise ErrorResult(ExcelError.CALC)


@excel_function("LAMBDA", Arg.LAZY, repeat=Arg.LAZY, min_args=1)
def lambda_(*parts: Thunk) -> Closure:
    """"LAMBDA function" given to a helper: the slots of its parameters, then its body."""
    return Closure(tuple(float(p()) for p in parts[:-1]), parts[-1])  # type: ignore[arg-type]


@excel_function("ISOMITTED", Arg.ANY)
def isomitted(_: Scalar) -> bool:
    """"ISOMITTED function": whether a LAMBDA parameter was left out of the call, (1,). Decided
    while parsing, where an omitted argument is still Missing; a value reaching here is there."""
    return False


@excel_function("_PARAMETER", Arg.SCALAR)
def parameter(slot: float) -> object:
    """A LAMBDA parameter inside a helper's call: the value bound to its slot."""
    if slot not in _BOUND:
        raise ErrorResult(ExcelError.CALC)
    return _BOUND[slot]


def _closure(value: object) -> Closure:
    if not isinstance(value, Closure):  # "#VALUE!: the last argument is not a LAMBDA"
        raise ErrorResult(ExcelError.VALUE)
    return value


def _grid(value: object, read: ReadArea) -> Array:
    if isinstance(value, Range):
        return read(value)
    if isinstance(value, Array):
        return value
    if isinstance(value, Closure):
        raise ErrorResult(ExcelError.VALUE)
    return Array([[value]])  # type: ignore[list-item]


def _one(value: object, read: ReadArea) -> Scalar:
    """A LAMBDA's result for one element: one value ("#CALC!" for an array, as Excel's
    nested arrays are not supported)."""
    grid = _grid(value, read)
    if grid.height != 1 or grid.width != 1:
        raise ErrorResult(ExcelError.CALC)
    return grid.rows[0][0]


def _entry(function: Closure, read: ReadArea, *values: object) -> Scalar:
    try:
        return _one(function(*values), read)
    except ErrorResult as exc:
        return exc.error


# "LAMBDA function", Errors: "If you call a LAMBDA function from within itself and the call is
# circular, Excel can return a #NUM! error if there are too many recursive calls." The page gives
# no number. Measured in Excel (Microsoft Tech Community, "LAMBDA: Recursive Lists and
# Understanding Recursion Limits of LAMBDA", 2021), the calls in progress share an operand stack
# of 1,024 entries, each call taking its parameters + 1: about 1024 / (parameters + 1) levels.
OPERAND_STACK = 1024
# Python frames allowed per operand stack entry while a recursive LAMBDA runs, so that Excel's
# limit, not Python's, ends a deep recursion: a level of the interpreter is 13 frames and about 4
# more per function nested in the body (Excel allows 64 levels of nesting), for 2 entries or more.
_FRAMES_PER_ENTRY = 256
# The recursive LAMBDAs being called, by the key the parser gave each call, and the operand
# stack their calls in progress take.
_CALLED: dict[float, Closure] = {}
_STACK = [0]


def _value(argument: Thunk) -> object:
    """A LAMBDA argument's value: an error is a value, as ISERROR in the body must see it."""
    try:
        return argument()
    except ErrorResult as exc:
        return exc.error


def _call(function: Closure, stack: float, arguments: tuple[Thunk, ...]) -> object:
    """``function`` called with the arguments' values; #NUM! past Excel's operand stack."""
    values = [_value(a) for a in arguments]
    if _STACK[0] + stack > OPERAND_STACK:
        raise ErrorResult(ExcelError.NUM)
    _STACK[0] += int(stack)
    try:
        return function(*values)
    finally:
        _STACK[0] -= int(stack)


RECURSION = dict(array_result=True, reference_result=True, elementwise=False)


@excel_function("_RECURSIVE", Arg.NUMBER, Arg.NUMBER, Arg.LAZY, repeat=Arg.LAZY, min_args=3,
                **RECURSION)
def recursive(key: float, stack: float, function: Thunk, *arguments: Thunk) -> object:
    """A LAMBDA name that calls itself, called: its closure is bound to ``key`` for the
    ``_RECURSE`` calls in its body. Too deep a recursion is #NUM!, Python's included."""
    saved = _CALLED.get(key)
    _CALLED[key] = _closure(function())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + OPERAND_STACK * _FRAMES_PER_ENTRY)
    try:
        return _call(_CALLED[key], stack, arguments)
    except RecursionError:
        raise ErrorResult(ExcelError.NUM) from None
    finally:
        sys.setrecursionlimit(limit)
        if saved is None:
            del _CALLED[key]
        else:
            _CALLED[key] = saved


@excel_function("_RECURSE", Arg.NUMBER, Arg.NUMBER, repeat=Arg.LAZY, min_args=2, **RECURSION)
def recurse(key: float, stack: float, *arguments: Thunk) -> object:
    """A recursive LAMBDA calling itself (or the one it was called by): the closure bound to
    ``key`` by the ``_RECURSIVE`` call around it."""
    if key not in _CALLED:
        raise ErrorResult(ExcelError.CALC)
    return _call(_CALLED[key], stack, arguments)


HELPER = dict(reads_cells=True, array_result=True, elementwise=False)


@excel_function("MAP", Arg.LAZY, Arg.LAZY, repeat=Arg.LAZY, **HELPER)
def map_(read: ReadArea, *args: Thunk) -> Array:
    """"MAP function": the LAMBDA applied to each element of the arrays (of one shape)."""
    *arrays, last = args
    function = _closure(last())
    grids = [_grid(a(), read) for a in arrays]
    if any((g.height, g.width) != (grids[0].height, grids[0].width) for g in grids):
        raise ErrorResult(ExcelError.VALUE)
    return Array([[_entry(function, read, *(g.rows[r][c] for g in grids))
                   for c in range(grids[0].width)] for r in range(grids[0].height)])


def _accumulate(read: ReadArea, initial: Thunk | None, array: Thunk, last: Thunk) -> list[Scalar]:
    """The accumulator after each element, row by row (REDUCE's last, SCAN's all)."""
    function = _closure(last())
    start = None if initial is None else initial()
    acc: object = 0.0 if start is None else start
    out = []
    for v in _grid(array(), read):
        acc = _one(function(acc, v), read)
        out.append(acc)
    return out  # type: ignore[return-value]


@excel_function("REDUCE", Arg.LAZY, Arg.LAZY, Arg.LAZY, **HELPER)
def reduce_(read: ReadArea, initial: Thunk | None, array: Thunk, last: Thunk) -> Scalar:
    """"REDUCE function": the accumulator after the LAMBDA(accumulator, value) has seen every
    element; an omitted initial_value starts at 0."""
    values = _accumulate(read, initial, array, last)
    return values[-1] if values else (0.0 if initial is None else _one(initial(), read))


@excel_function("SCAN", Arg.LAZY, Arg.LAZY, Arg.LAZY, **HELPER)
def scan(read: ReadArea, initial: Thunk | None, array: Thunk, last: Thunk) -> Array:
    """"SCAN function": every intermediate accumulator, in the array's shape."""
    grid = _grid(array(), read)
    values = _accumulate(read, initial, lambda: grid, last)
    return Array([values[r * grid.width:(r + 1) * grid.width] for r in range(grid.height)])


@excel_function("BYROW", Arg.LAZY, Arg.LAZY, **HELPER)
def byrow(read: ReadArea, array: Thunk, last: Thunk) -> Array:
    """"BYROW function": the LAMBDA applied to each row (a 1-row array): one column."""
    function, grid = _closure(last()), _grid(array(), read)
    return Array([[_entry(function, read, Array([row]))] for row in grid.rows])


@excel_function("BYCOL", Arg.LAZY, Arg.LAZY, **HELPER)
def bycol(read: ReadArea, array: Thunk, last: Thunk) -> Array:
    """"BYCOL function": the LAMBDA applied to each column (a 1-column array): one row."""
    function, grid = _closure(last()), _grid(array(), read)
    return Array([[_entry(function, read, Array([[v] for v in column]))
                   for column in zip(*grid.rows)]])


@excel_function("MAKEARRAY", Arg.NUMBER, Arg.NUMBER, Arg.LAZY, **HELPER)
def makearray(read: ReadArea, rows: float, columns: float, last: Thunk) -> Array:
    """"MAKEARRAY function": rows x columns values of LAMBDA(row, column), 1-based."""
    h, w = array_shape(rows, columns)
    function = _closure(last())
    return Array([[_entry(function, read, float(r + 1), float(c + 1)) for c in range(w)]
                  for r in range(h)])
