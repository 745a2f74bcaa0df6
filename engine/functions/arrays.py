"""Dynamic arrays: SEQUENCE, TRANSPOSE, FILTER, SORT, SORTBY, UNIQUE, and the shaping functions
(CHOOSEROWS, CHOOSECOLS, HSTACK, VSTACK, TAKE, DROP, TOCOL, TOROW, WRAPROWS, WRAPCOLS, EXPAND).
Each returns an array; in a dynamic-array formula it spills, in an array (CSE) formula it fills
the formula's range. An empty result is #CALC!; cells a shape leaves without a value are padded
with #N/A unless the function takes pad_with."""
from __future__ import annotations

from functools import cmp_to_key

from ..core.values import Array, ErrorResult, ExcelError, Scalar, compare, to_bool, to_number
from .arguments import (MAX_ARRAY_CELLS, MAX_ARRAY_COLUMNS, MAX_ARRAY_ROWS, array_shape, integer,
                        optional, values)
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


@excel_function("SORTBY", G, G, N, repeat=(G, N), min_args=2, **ARRAY)
def sortby(grid: Array, *keys: Array | float | None) -> Array:
    """"SORTBY function": the rows (by_arrays one column as tall as array) or columns (one row as
    wide) in the order of by_array1, then by_array2..., each ascending (1) or descending (-1);
    other orders, or by_arrays of another size, are #VALUE!. A stable sort, as SORT's."""
    vertical = None
    columns, directions = [], []
    for i in range(0, len(keys), 2):
        by: Array = keys[i]  # type: ignore[assignment]
        direction = optional(keys[i + 1] if i + 1 < len(keys) else None, 1.0)  # type: ignore[arg-type]
        if direction not in (1.0, -1.0):
            raise ErrorResult(ExcelError.VALUE)
        down = by.width == 1 and by.height == grid.height
        if not down and not (by.height == 1 and by.width == grid.width) or \
                vertical is not None and down != vertical:
            raise ErrorResult(ExcelError.VALUE)
        vertical = down
        columns.append(list(by))
        directions.append(direction)

    def order(a: int, b: int) -> int:
        for column, direction in zip(columns, directions):
            c = _order(column[a], column[b]) * int(direction)
            if c:
                return c
        return 0
    lines = [list(r) for r in grid.rows] if vertical else [list(c) for c in zip(*grid.rows)]
    ranked = sorted(range(len(lines)), key=cmp_to_key(order))
    lines = [lines[i] for i in ranked]
    return Array(lines if vertical else [list(c) for c in zip(*lines)])


# --- shaping ------------------------------------------------------------------------------------
def _made(rows: list[list[Scalar]]) -> Array:
    """An array a shaping function made: empty is #CALC!, past a sheet's size #NUM! (the TAKE,
    DROP, EXPAND, TOCOL and WRAPROWS pages: "Excel returns a #NUM when array is too large")."""
    if not rows or not rows[0]:
        raise ErrorResult(ExcelError.CALC)
    _fits(len(rows), len(rows[0]))
    return Array(rows)


def _fits(height: int, width: int) -> None:
    if height > MAX_ARRAY_ROWS or width > MAX_ARRAY_COLUMNS or height * width > MAX_ARRAY_CELLS:
        raise ErrorResult(ExcelError.NUM)


def _picks(indices: tuple[Array, ...], count: int) -> list[int]:
    """CHOOSEROWS' row_nums (CHOOSECOLS' col_nums), numbers or arrays of them: negative counts
    from the end; 0 or past the array is #VALUE!."""
    out = []
    for v in values(indices):
        i = integer(to_number(v))
        if i == 0 or abs(i) > count:
            raise ErrorResult(ExcelError.VALUE)
        out.append(i - 1 if i > 0 else count + i)
    return out


@excel_function("CHOOSEROWS", G, G, repeat=G, **ARRAY)
def chooserows(grid: Array, *indices: Array) -> Array:
    """"CHOOSEROWS function": the given rows, in the order given."""
    return _made([list(grid.rows[i]) for i in _picks(indices, grid.height)])


@excel_function("CHOOSECOLS", G, G, repeat=G, **ARRAY)
def choosecols(grid: Array, *indices: Array) -> Array:
    """"CHOOSECOLS function": the given columns, in the order given."""
    picks = _picks(indices, grid.width)
    return _made([[row[i] for i in picks] for row in grid.rows])


@excel_function("VSTACK", G, repeat=G, **ARRAY)
def vstack(*grids: Array) -> Array:
    """"VSTACK function": the arrays one below the other, as wide as the widest; the rest of a
    narrower one's rows is #N/A."""
    width = max(g.width for g in grids)
    return _made([row + [ExcelError.NA] * (width - len(row)) for g in grids for row in g.rows])


@excel_function("HSTACK", G, repeat=G, **ARRAY)
def hstack(*grids: Array) -> Array:
    """"HSTACK function": the arrays side by side, as tall as the tallest; the rows a shorter
    one lacks are #N/A."""
    height = max(g.height for g in grids)
    return _made([[v for g in grids for v in (g.rows[r] if r < g.height else [ExcelError.NA] * g.width)]
                  for r in range(height)])


def _kept(count: float | None, size: int, *, take: bool) -> slice:
    """The part TAKE keeps (DROP leaves) of ``size`` rows or columns: from the start, or from
    the end for a negative count; all of them when the count is left out."""
    if count is None:
        return slice(0, size)
    n = integer(count)
    if take:
        return slice(0, min(n, size)) if n >= 0 else slice(max(0, size + n), size)
    return slice(min(n, size), size) if n >= 0 else slice(0, max(0, size + n))


@excel_function("TAKE", G, N, N, min_args=1, **ARRAY)
def take(grid: Array, rows: float | None = None, columns: float | None = None) -> Array:
    """"TAKE function": the first rows and columns (the last, when negative); 0 is #CALC!."""
    r, c = _kept(rows, grid.height, take=True), _kept(columns, grid.width, take=True)
    return _made([row[c] for row in grid.rows[r]])


@excel_function("DROP", G, N, N, min_args=1, **ARRAY)
def drop(grid: Array, rows: float | None = None, columns: float | None = None) -> Array:
    """"DROP function": without the first rows and columns (the last, when negative); dropping
    all of them is #CALC!."""
    r, c = _kept(rows, grid.height, take=False), _kept(columns, grid.width, take=False)
    return _made([row[c] for row in grid.rows[r]])


def _scanned(grid: Array, ignore: float | None, by_column: bool | None) -> list[Scalar]:
    """The values of TOCOL and TOROW: row by row (column by column if scan_by_column); ignore 0
    keeps all, 1 leaves out blanks, 2 errors, 3 both; another ignore is #VALUE!."""
    kind = integer(optional(ignore, 0.0))
    if kind not in (0, 1, 2, 3):
        raise ErrorResult(ExcelError.VALUE)
    lines = zip(*grid.rows) if by_column else grid.rows
    return [v for line in lines for v in line
            if not (kind & 1 and v is None or kind & 2 and type(v) is ExcelError)]


@excel_function("TOCOL", G, N, Arg.BOOL, min_args=1, **ARRAY)
def tocol(grid: Array, ignore: float | None = None, by_column: bool | None = False) -> Array:
    """"TOCOL function": the array as one column."""
    return _made([[v] for v in _scanned(grid, ignore, by_column)])


@excel_function("TOROW", G, N, Arg.BOOL, min_args=1, **ARRAY)
def torow(grid: Array, ignore: float | None = None, by_column: bool | None = False) -> Array:
    """"TOROW function": the array as one row."""
    return _made([_scanned(grid, ignore, by_column)])


def _wrapped(vector: Array, count: float, pad: Scalar) -> list[list[Scalar]]:
    """A row or column cut into lines of wrap_count values, the last padded with pad_with (#N/A):
    a vector of two dimensions is #VALUE!, a wrap_count below 1 #NUM!."""
    if vector.height != 1 and vector.width != 1:
        raise ErrorResult(ExcelError.VALUE)
    n = integer(count)
    if n < 1:
        raise ErrorResult(ExcelError.NUM)
    items = list(vector)
    _fits(1, n)
    lines = [items[i:i + n] for i in range(0, len(items), n)]
    lines[-1] += [ExcelError.NA if pad is None else pad] * (n - len(lines[-1]))
    return lines


@excel_function("WRAPROWS", G, N, Arg.ANY, min_args=2, **ARRAY)
def wraprows(vector: Array, count: float, pad: Scalar = None) -> Array:
    """"WRAPROWS function": the vector in rows of wrap_count values."""
    return _made(_wrapped(vector, count, pad))


@excel_function("WRAPCOLS", G, N, Arg.ANY, min_args=2, **ARRAY)
def wrapcols(vector: Array, count: float, pad: Scalar = None) -> Array:
    """"WRAPCOLS function": the vector in columns of wrap_count values."""
    return _made([list(c) for c in zip(*_wrapped(vector, count, pad))])


@excel_function("EXPAND", G, N, N, Arg.ANY, min_args=1, **ARRAY)
def expand(grid: Array, rows: float | None = None, columns: float | None = None,
           pad: Scalar = None) -> Array:
    """"EXPAND function": the array grown to rows x columns (each left out: as it is), the new
    cells pad_with (#N/A); fewer rows or columns than the array has is #VALUE!."""
    h = grid.height if rows is None else integer(rows)
    w = grid.width if columns is None else integer(columns)
    if h < grid.height or w < grid.width:
        raise ErrorResult(ExcelError.VALUE)
    _fits(h, w)
    fill = ExcelError.NA if pad is None else pad
    return _made([(list(grid.rows[r]) if r < grid.height else []) + [fill] *
                  (w - (grid.width if r < grid.height else 0)) for r in range(h)])
