"""Lookup and reference: MATCH, OFFSET, INDEX, ROW(S), COLUMN(S) and the implicit intersection."""
from __future__ import annotations

from ..core.references import MAX_COL, MAX_ROW, Range
from ..core.values import Array, ErrorResult, ExcelError, Scalar, compare
from .arguments import integer
from .registry import Arg, excel_function
from .statistics import wildcard


def _vector(grid: Array) -> list[Scalar]:
    if grid.height != 1 and grid.width != 1:
        raise ErrorResult(ExcelError.NA)
    return list(grid)


def approximate_match(x: Scalar, vector: list[Scalar], descending: bool = False) -> int:
    """Excel's approximate MATCH: a binary search that trusts the order it assumes.

    It returns the last position whose value is <= x (>= x when descending). The search stops at
    the first probe equal to x and then walks to the last of its equals, which is why
    MATCH(1,{1,0}) is 1 while MATCH(1,{0,1}) is 2. Values of another type than x are skipped over
    as Excel does (they never match).
    """
    sign = -1 if descending else 1
    lo, hi, hit = 0, len(vector) - 1, -1
    kind = type(x)
    while lo <= hi:
        mid = (lo + hi) // 2
        probe = mid
        # step over values that cannot be compared with x (other types, blanks)
        while probe <= hi and type(vector[probe]) is not kind:
            probe += 1
        if probe > hi:
            hi = mid - 1
            continue
        c = compare(vector[probe], x) * sign
        if c == 0:
            while probe + 1 < len(vector) and type(vector[probe + 1]) is kind \
                    and compare(vector[probe + 1], x) == 0:
                probe += 1
            return probe + 1
        if c < 0:
            hit = probe
            lo = probe + 1
        else:
            hi = mid - 1
    if hit < 0:
        raise ErrorResult(ExcelError.NA)
    return hit + 1


@excel_function("MATCH", Arg.SCALAR, Arg.GRID, Arg.NUMBER, min_args=2)
def match(x: Scalar, grid: Array, match_type: float = 1.0) -> float:
    vector = _vector(grid)
    if x is None:
        raise ErrorResult(ExcelError.NA)
    if match_type == 0:
        # Unlike a COUNTIF criterion, text is neither an operator nor a number: only wildcards.
        if type(x) is str:
            pattern = wildcard(x)
            test = lambda v: type(v) is str and pattern.fullmatch(v) is not None  # noqa: E731
        else:
            test = lambda v: type(v) is type(x) and v == x  # noqa: E731
        for i, v in enumerate(vector):
            if test(v):
                return float(i + 1)
        raise ErrorResult(ExcelError.NA)
    return float(approximate_match(x, vector, descending=match_type < 0))


@excel_function("OFFSET", Arg.REF, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, min_args=3,
                volatile=True, reference_result=True, elementwise=False)
def offset(base: Range, rows: float, cols: float, height: float | None = None,
           width: float | None = None) -> Range:
    """The reference ``rows`` down and ``cols`` right of ``base``, optionally resized."""
    h = base.height if height is None else integer(height)
    w = base.width if width is None else integer(width)
    if h < 1 or w < 1:
        raise ErrorResult(ExcelError.REF)
    r1 = base.r1 + integer(rows)
    c1 = base.c1 + integer(cols)
    r2, c2 = r1 + h - 1, c1 + w - 1
    if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
        raise ErrorResult(ExcelError.REF)
    return Range(base.sheet, r1, c1, r2, c2)


@excel_function("INDEX", Arg.GRID, Arg.NUMBER, Arg.NUMBER, min_args=2, elementwise=False)
def index(grid: Array, row: float, col: float | None = None) -> Scalar | Array:
    r = integer(row)
    c = 1 if col is None else integer(col)
    if grid.height == 1 and col is None:
        r, c = 1, r
    if r < 0 or c < 0 or r > grid.height or c > grid.width:
        raise ErrorResult(ExcelError.REF)
    if r == 0 and c == 0:
        return grid
    if r == 0:
        return Array([[row_[c - 1]] for row_ in grid.rows])
    if c == 0:
        return Array([list(grid.rows[r - 1])])
    return grid.rows[r - 1][c - 1]


# ROW and COLUMN of a range are arrays (a column of row numbers, a row of column numbers); where
# one value is wanted the evaluator takes the first, so =ROW(C4:D6) is 4 and {=ROW(C4:D6)} 4;5;6.
def _positions(first: int, last: int, *, vertical: bool) -> float | Array:
    if first == last:
        return float(first)
    numbers = [float(i) for i in range(first, last + 1)]
    return Array([[n] for n in numbers]) if vertical else Array([numbers])


@excel_function("ROW", Arg.REF, min_args=0, uses_anchor=True, elementwise=False,
                array_result=True)
def row(anchor: tuple[int, int], ref: Range | None = None) -> float | Array:
    return float(anchor[0]) if ref is None else _positions(ref.r1, ref.r2, vertical=True)


@excel_function("COLUMN", Arg.REF, min_args=0, uses_anchor=True, elementwise=False,
                array_result=True)
def column(anchor: tuple[int, int], ref: Range | None = None) -> float | Array:
    return float(anchor[1]) if ref is None else _positions(ref.c1, ref.c2, vertical=False)


@excel_function("ROWS", Arg.GRID, elementwise=False)
def rows(grid: Array) -> float:
    return float(grid.height)


@excel_function("COLUMNS", Arg.GRID, elementwise=False)
def columns(grid: Array) -> float:
    return float(grid.width)


# Not elementwise: inside an array formula ``@`` still takes one value (the evaluator intersects a
# range with the formula's row or column, and takes an array's top-left value).
@excel_function("SINGLE", Arg.SCALAR, elementwise=False)
def single(value: Scalar) -> Scalar:
    """Excel's ``@`` (written ``_xlfn.SINGLE``): the evaluator already intersected the argument."""
    return value
