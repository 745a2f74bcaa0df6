"""Statistics: counting, averages, extremes, variance, order statistics (conditional ones:
conditional.py; regression: regression.py; distributions: distributions.py)."""
from __future__ import annotations

import math

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import integer, numbers, sorted_numbers, values
from .array_kernels import ArrayContext, Fallback
from .math import added
from .registry import Arg, excel_function

FAMILY = "Statistical"  # the heading of `cellgrad functions` and the README's coverage table

V = Arg.VALUES


def _count_kernel(ctx: ArrayContext, *args):
    """COUNT of one range: the loads admit nothing but numbers and empty cells."""
    if len(args) != 1:
        raise Fallback
    return ctx.ops.from_numbers(ctx.values(args[0]).filled())


@excel_function("COUNT", V, repeat=V, min_args=1, kernel=_count_kernel,
                compiled=lambda names: repr(float(len(names))))
def count(*args) -> float:
    """Numbers only; errors, text and empty cells are not counted and do not propagate."""
    return float(sum(1 for _ in numbers(args, skip_errors=True, direct_text_is_error=False)))


@excel_function("COUNTA", V, repeat=V, min_args=1)
def counta(*args) -> float:
    return float(sum(1 for v in values(args) if v is not None))


@excel_function("COUNTBLANK", Arg.GRID)
def countblank(grid: Array) -> float:
    return float(sum(1 for v in grid if v is None or v == ""))


def _average_kernel(ctx: ArrayContext, *args):
    if len(args) != 1:
        raise Fallback
    r = ctx.values(args[0])
    filled = r.filled()
    if (filled == 0).any():
        raise Fallback  # #DIV/0!
    return ctx.ops.sum(r.flat()) / ctx.ops.from_numbers(filled)


def _average_compiled(names: list[str]) -> str | None:
    if not names:
        return None  # #DIV/0!
    return f"({added(names)} / {float(len(names))!r})"


@excel_function("AVERAGE", V, repeat=V, min_args=1, kernel=_average_kernel,
                compiled=_average_compiled)
def average(*args) -> float:
    total, n = 0.0, 0
    for x in numbers(args):
        total += x
        n += 1
    if n == 0:
        raise ErrorResult(ExcelError.DIV0)
    return total / n


@excel_function("MAX", V, repeat=V, min_args=1)
def max_(*args) -> float:
    return max(numbers(args), default=0.0)


@excel_function("MIN", V, repeat=V, min_args=1)
def min_(*args) -> float:
    return min(numbers(args), default=0.0)


def _squared_deviations(args: tuple) -> tuple[float, int]:
    xs = list(numbers(args))
    n = len(xs)
    if n == 0:
        return 0.0, 0
    mean = sum(xs) / n
    # d * d, not d ** 2: float ** raises OverflowError where Excel's result is #NUM!
    return checked_number(sum((x - mean) * (x - mean) for x in xs)), n


@excel_function("VAR.P", V, repeat=V, min_args=1)
def var_p(*args) -> float:
    ss, n = _squared_deviations(args)
    if n == 0:
        raise ErrorResult(ExcelError.DIV0)
    return ss / n


@excel_function("VAR.S", V, repeat=V, min_args=1)
def var_s(*args) -> float:
    ss, n = _squared_deviations(args)
    if n < 2:
        raise ErrorResult(ExcelError.DIV0)
    return ss / (n - 1)


@excel_function("STDEV.P", V, repeat=V, min_args=1)
def stdev_p(*args) -> float:
    return math.sqrt(var_p(*args))


@excel_function("STDEV.S", V, repeat=V, min_args=1)
def stdev_s(*args) -> float:
    return math.sqrt(var_s(*args))


# Excel's pre-2010 names of the sample statistics.
excel_function("VAR", V, repeat=V, min_args=1)(var_s)
excel_function("STDEV", V, repeat=V, min_args=1)(stdev_s)


# --- order statistics ------------------------------------------------------------------------
N = Arg.NUMBER


@excel_function("MEDIAN", V, repeat=V, min_args=1)
def median(*args) -> float:
    xs = sorted_numbers(args)
    if not xs:
        raise ErrorResult(ExcelError.NUM)
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


@excel_function("MODE.SNGL", V, repeat=V, min_args=1)
def mode_sngl(*args) -> float:
    """"MODE.SNGL function": the most frequent number, the first to occur among equally frequent
    ones; #N/A when no number repeats."""
    counts: dict[float, int] = {}
    for x in numbers(args):
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        raise ErrorResult(ExcelError.NA)
    return next(x for x, n in counts.items() if n == best)


def _kth(args: tuple, k: float, *, largest: bool) -> float:
    xs = sorted_numbers(args)
    i = integer(k)  # a fractional k is truncated, as Excel's positions are (and Calc's LARGE)
    if not 1 <= i <= len(xs):
        raise ErrorResult(ExcelError.NUM)
    return xs[-i] if largest else xs[i - 1]


@excel_function("LARGE", V, N)
def large(data, k: float) -> float:
    return _kth((data,), k, largest=True)


@excel_function("SMALL", V, N)
def small(data, k: float) -> float:
    return _kth((data,), k, largest=False)


@excel_function("RANK.EQ", N, Arg.GRID, N, min_args=2)
def rank_eq(x: float, data: Array, order: float | None = 0.0) -> float:
    """"RANK.EQ function": 1 + how many numbers are above x (below, when order is not 0); equal
    numbers share the top rank; #N/A when x is not among them."""
    xs = list(numbers((data,)))
    if x not in xs:
        raise ErrorResult(ExcelError.NA)
    return 1.0 + sum(1 for v in xs if (v < x if order else v > x))


@excel_function("RANK.AVG", N, Arg.GRID, N, min_args=2)
def rank_avg(x: float, data: Array, order: float | None = 0.0) -> float:
    """"RANK.AVG function": equal numbers get the average of the ranks they span."""
    ties = sum(1 for v in numbers((data,)) if v == x)
    return rank_eq(x, data, order) + (ties - 1) / 2


def _interpolate(xs: list[float], position: float) -> float:
    """The value at a 0-based fractional position of sorted numbers."""
    i = math.floor(position)
    if i + 1 >= len(xs):
        return xs[-1]
    return xs[i] + (position - i) * (xs[i + 1] - xs[i])


@excel_function("PERCENTILE.INC", V, N)
def percentile_inc(data, k: float) -> float:
    """"PERCENTILE.INC function": k in [0, 1]; between ranks, linear interpolation."""
    xs = sorted_numbers((data,))
    if not xs or not 0 <= k <= 1:
        raise ErrorResult(ExcelError.NUM)
    return _interpolate(xs, k * (len(xs) - 1))


@excel_function("PERCENTILE.EXC", V, N)
def percentile_exc(data, k: float) -> float:
    """"PERCENTILE.EXC function": k strictly inside (0, 1), at rank k(n+1), which must fall
    between 1 and n (#NUM! otherwise)."""
    xs = sorted_numbers((data,))
    rank = k * (len(xs) + 1)
    if not xs or not 0 < k < 1 or not 1 <= rank <= len(xs):
        raise ErrorResult(ExcelError.NUM)
    return _interpolate(xs, rank - 1)


def _quart(data, quart: float, *, inclusive: bool) -> float:
    """quart as a fraction: "If quart < 0 or quart > 4, QUARTILE.INC returns #NUM!"; for
    QUARTILE.EXC quart <= 0 or >= 4. An error in the data comes first."""
    sorted_numbers((data,))
    if not (0 <= quart <= 4 if inclusive else 0 < quart < 4):
        raise ErrorResult(ExcelError.NUM)
    return math.trunc(quart) / 4


@excel_function("QUARTILE.INC", V, N)
def quartile_inc(data, quart: float) -> float:
    """"QUARTILE.INC function": quart 0 to 4 (truncated) is the 0th to 100th percentile."""
    return percentile_inc(data, _quart(data, quart, inclusive=True))


@excel_function("QUARTILE.EXC", V, N)
def quartile_exc(data, quart: float) -> float:
    return percentile_exc(data, _quart(data, quart, inclusive=False))


# Excel's pre-2010 names.
excel_function("MODE", V, repeat=V, min_args=1)(mode_sngl)
excel_function("RANK", N, Arg.GRID, N, min_args=2)(rank_eq)
excel_function("PERCENTILE", V, N)(percentile_inc)
excel_function("QUARTILE", V, N)(quartile_inc)
