"""Dynamic arrays: SEQUENCE, TRANSPOSE, FILTER, SORT, UNIQUE. Each returns an array; in a
dynamic-array formula it spills, in an array (CSE) formula it fills the formula's range."""
from __future__ import annotations

from functools import cmp_to_key

from ..core.values import Array, ErrorResult, ExcelError, Scalar, compare, to_bool
from .arguments import array_shape, optional
from .registry import Arg, excel_function

FAMILY = "Dynamic arrays"  # the heading of `cellgrad functions` and the README's coverage table

N, G = Arg.NUMBER, Arg.GRID
ARRAY = dict(array_result=True, elementwise=False)


@excel_function("SEQUENCE", N, N, N, N, min_args=1, **ARRAY)
def sequence(rows: float, columns: float | None = 1.0, start: float | None = 1.0,
             step: float | None = 1.0) -> Array:
    """"SEQUENCE function": rows x columns numbers from start by step, row by row."""
    h, w = array_shape(rows, optional(columns, 1.0))
    first, by = optional(start, 1.0), optional(step, 1.0)
    return Array([[first + (r * w + c) * by for c in range(w)] for r in range(h)])


@excel_function("TRANSPOSE", G, **ARRAY)
def transpose(grid: Array) -> Array:
    return Array([list(column) for column in zip(*grid.rows)])


@excel_function("FILTER", G, G, Arg.LAZY, min_args=2, **ARRAY)
def filter_(grid: Array, include: Array, if_empty=None) -> object:
    """"FILTER function": the rows (include a column as tall as array) or columns (a row as wide)
    whose include value is TRUE; if_empty when none is, #CALC! without it."""
    keep = [to_bool(v) for v in include]  # an error in include propagates
    if include.width == 1 and include.height == grid.height:
        rows = [row for row, k in zip(grid.rows, keep) if k]
    elif include.height == 1 and include.width == grid.width:
        rows = [[v for v, k in zip(row, keep) if k] for row in grid.rows]
        rows = [] if not rows[0] else rows
    else:
        raise ErrorResult(ExcelError.VALUE)
    if not rows:
        if if_empty is not None:
            return if_empty()
        raise ErrorResult(ExcelError.CALC)
    return Array(rows)


def _order(a: Scalar, b: Scalar) -> int:
    """SORT's order: numbers, text, logicals, then errors, then empty cells."""
    rank = lambda v: 4 if v is None else 3 if type(v) is ExcelError else 0  # noqa: E731
    ra, rb = rank(a), rank(b)
    if ra or rb:
        return (ra > rb) - (ra < rb)
    return compare(a, b)


@excel_function("SORT", G, N, N, Arg.BOOL, min_args=1, **ARRAY)
def sort(grid: Array, index: float | None = 1.0, order: float | None = 1.0,
         by_col: bool | None = False) -> Array:
    """"SORT function": by the sort_index-th column (row when by_col), ascending (1) or
    descending (-1); a stable sort."""
    lines = [list(c) for c in zip(*grid.rows)] if by_col else [list(r) for r in grid.rows]
    i = int(optional(index, 1.0))
    direction = optional(order, 1.0)
    if not 1 <= i <= len(lines[0]) or direction not in (1.0, -1.0):
        raise ErrorResult(ExcelError.VALUE)
    key = cmp_to_key(lambda a, b: _order(a[i - 1], b[i - 1]))
    lines.sort(key=key, reverse=direction < 0)
    return Array([list(c) for c in zip(*lines)] if by_col else lines)


@excel_function("UNIQUE", G, Arg.BOOL, Arg.BOOL, min_args=1, **ARRAY)
def unique(grid: Array, by_col: bool | None = False, exactly_once: bool | None = False) -> Array:
    """"UNIQUE function": the distinct rows (columns when by_col) in order of first appearance,
    text compared without case; with exactly_once those that occur once."""
    lines = [tuple(c) for c in zip(*grid.rows)] if by_col else [tuple(r) for r in grid.rows]
    key = lambda line: tuple((type(v), v.lower() if type(v) is str else v) for v in line)  # noqa: E731
    counts: dict[tuple, int] = {}
    first: dict[tuple, tuple] = {}
    for line in lines:
        k = key(line)
        counts[k] = counts.get(k, 0) + 1
        first.setdefault(k, line)
    kept = [line for k, line in first.items() if not exactly_once or counts[k] == 1]
    if not kept:
        raise ErrorResult(ExcelError.CALC)
    return Array([list(c) for c in zip(*kept)] if by_col else [list(r) for r in kept])
