"""Excel's rules for aggregating arguments, written once for the whole function library.

In the SUM family a number typed or computed directly as an argument counts, text that reads as
a number counts, a logical counts as 1/0; but inside a reference or an array only real numbers
count: empty cells, text and logicals are skipped. An error anywhere propagates, except where a
function (COUNT) says it skips errors.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..core.values import Array, ErrorResult, ExcelError, Scalar, number_from_text, to_number


def numbers(args: Iterable[Scalar | Array], *, skip_errors: bool = False,
            direct_text_is_error: bool = True) -> Iterator[float]:
    """The numbers the SUM family sees in its arguments (Arg.VALUES), in order."""
    for arg in args:
        if isinstance(arg, Array):
            for v in arg:
                t = type(v)
                if t is float:
                    yield v  # type: ignore[misc]
                elif t is ExcelError and not skip_errors:
                    raise ErrorResult(v)  # type: ignore[arg-type]
            continue
        t = type(arg)
        if t is ExcelError:
            if skip_errors:
                continue
            raise ErrorResult(arg)  # type: ignore[arg-type]
        if t is str:
            number = number_from_text(arg)  # type: ignore[arg-type]
            if number is None:
                if direct_text_is_error:
                    raise ErrorResult(ExcelError.VALUE)
                continue
            yield number
            continue
        yield to_number(arg)


def numbers_a(args: Iterable[Scalar | Array]) -> Iterator[float]:
    """The numbers the A-suffixed statistics (AVERAGEA, MAXA, STDEVA, VARA) see: a direct
    argument as the SUM family sees it; inside a reference or an array, text (empty text too)
    counts as 0 and a logical as 1 or 0 ("AVERAGEA function"). Empty cells are still skipped."""
    for arg in args:
        if not isinstance(arg, Array):
            yield from numbers((arg,))
            continue
        for v in arg:
            t = type(v)
            if t is float:
                yield v  # type: ignore[misc]
            elif t is bool:
                yield float(v)  # type: ignore[arg-type]
            elif t is str:
                yield 0.0
            elif t is ExcelError:
                raise ErrorResult(v)  # type: ignore[arg-type]


def values(args: Iterable[Scalar | Array]) -> Iterator[Scalar]:
    """Every value in the arguments, arrays flattened row by row."""
    for arg in args:
        if isinstance(arg, Array):
            yield from arg
        else:
            yield arg


def same_shape(*grids: Array) -> bool:
    first = grids[0]
    return all(g.height == first.height and g.width == first.width for g in grids)


def first_error(grid: Array) -> ExcelError | None:
    for v in grid:
        if type(v) is ExcelError:
            return v  # type: ignore[return-value]
    return None


def raise_first_error(*grids: Array) -> None:
    for grid in grids:
        error = first_error(grid)
        if error is not None:
            raise ErrorResult(error)


def integer(x: float) -> int:
    """Truncation toward zero, as Excel applies to counts and positions."""
    if x - x != 0:  # infinity or NaN: no position
        raise ErrorResult(ExcelError.NUM)
    return int(x)


def number_pairs(x: Array, y: Array) -> list[tuple[float, float]]:
    """The (x, y) pairs where both are numbers, for the functions of two data sets (SUMXMY2,
    CORREL, SLOPE): equal counts are required (#N/A), an error propagates, and a pair with text,
    a logical or an empty cell on either side is left out."""
    if x.height * x.width != y.height * y.width:
        raise ErrorResult(ExcelError.NA)
    raise_first_error(x, y)
    return [(a, b) for a, b in zip(x, y) if type(a) is float and type(b) is float]  # type: ignore[misc]


def sorted_numbers(args: Iterable[Scalar | Array]) -> list[float]:
    """The numbers of the data arguments (as the SUM family sees them), in ascending order."""
    return sorted(numbers(args))


def whole(x: float) -> int:
    """A count that must not be negative (LEFT, REPT, SEQUENCE): #VALUE!, also for -0.5;
    a fraction is truncated."""
    if x < 0:
        raise ErrorResult(ExcelError.VALUE)
    return int(x)


def optional(value: float | None, default: float) -> float:
    """An optional argument: its default when omitted (an empty argument, as in ``f(x,)``, is
    passed as None too)."""
    return default if value is None else value


# An array a function makes must fit on a sheet (1,048,576 rows by 16,384 columns, "Excel
# specifications and limits"); past that, and past what a sheet's memory can hold, #VALUE!.
MAX_ARRAY_ROWS = 1_048_576
MAX_ARRAY_COLUMNS = 16_384
MAX_ARRAY_CELLS = 1 << 24


def array_shape(rows: float, columns: float) -> tuple[int, int]:
    """The (height, width) asked of SEQUENCE, MUNIT, RANDARRAY: 0 is an empty array (#CALC!)."""
    h, w = whole(rows), whole(columns)
    if h > MAX_ARRAY_ROWS or w > MAX_ARRAY_COLUMNS or h * w > MAX_ARRAY_CELLS:
        raise ErrorResult(ExcelError.VALUE)
    if h == 0 or w == 0:
        raise ErrorResult(ExcelError.CALC)
    return h, w
