"""Statistics: counting, averages, extremes, variance, moments, order statistics (conditional
ones: conditional.py; regression: regression.py; distributions and tests: distributions.py)."""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from decimal import ROUND_DOWN, Decimal

from ..core.values import Array, ErrorResult, ExcelError, checked_number, significant
from .arguments import integer, numbers, numbers_a, optional, sorted_numbers, values
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


def _mean(xs) -> float:
    total, n = 0.0, 0
    for x in xs:
        total += x
        n += 1
    if n == 0:
        raise ErrorResult(ExcelError.DIV0)
    return total / n


@excel_function("AVERAGE", V, repeat=V, min_args=1, kernel=_average_kernel,
                compiled=_average_compiled)
def average(*args) -> float:
    return _mean(numbers(args))


@excel_function("MAX", V, repeat=V, min_args=1)
def max_(*args) -> float:
    return max(numbers(args), default=0.0)


@excel_function("MIN", V, repeat=V, min_args=1)
def min_(*args) -> float:
    return min(numbers(args), default=0.0)


# "AVERAGEA function", "MAXA function", "MINA function": in references and arrays, text is 0 and
# a logical 1 or 0 (arguments.numbers_a)
@excel_function("AVERAGEA", V, repeat=V, min_args=1)
def averagea(*args) -> float:
    return _mean(numbers_a(args))


@excel_function("MAXA", V, repeat=V, min_args=1)
def maxa(*args) -> float:
    return max(numbers_a(args), default=0.0)


@excel_function("MINA", V, repeat=V, min_args=1)
def mina(*args) -> float:
    return min(numbers_a(args), default=0.0)


def _squared_deviations(xs: list[float]) -> float:
    if not xs:
        return 0.0
    mean = sum(xs) / len(xs)
    # d * d, not d ** 2: float ** raises OverflowError where Excel's result is #NUM!
    return checked_number(sum((x - mean) * (x - mean) for x in xs))


def _variance(xs: list[float], *, sample: bool) -> float:
    """Of a sample (n - 1 in the denominator, at least 2 numbers) or a population (at least
    one): #DIV/0! with fewer."""
    n = len(xs) - 1 if sample else len(xs)
    if n < 1:
        raise ErrorResult(ExcelError.DIV0)
    return _squared_deviations(xs) / n


@excel_function("VAR.P", V, repeat=V, min_args=1)
def var_p(*args) -> float:
    return _variance(list(numbers(args)), sample=False)


@excel_function("VAR.S", V, repeat=V, min_args=1)
def var_s(*args) -> float:
    return _variance(list(numbers(args)), sample=True)


@excel_function("STDEV.P", V, repeat=V, min_args=1)
def stdev_p(*args) -> float:
    return math.sqrt(var_p(*args))


@excel_function("STDEV.S", V, repeat=V, min_args=1)
def stdev_s(*args) -> float:
    return math.sqrt(var_s(*args))


# Excel's pre-2010 names of the sample and population statistics.
excel_function("VAR", V, repeat=V, min_args=1)(var_s)
excel_function("STDEV", V, repeat=V, min_args=1)(stdev_s)
excel_function("VARP", V, repeat=V, min_args=1)(var_p)
excel_function("STDEVP", V, repeat=V, min_args=1)(stdev_p)


# "VARA function", "VARPA function", "STDEVA function", "STDEVPA function"
@excel_function("VARA", V, repeat=V, min_args=1)
def vara(*args) -> float:
    return _variance(list(numbers_a(args)), sample=True)


@excel_function("VARPA", V, repeat=V, min_args=1)
def varpa(*args) -> float:
    return _variance(list(numbers_a(args)), sample=False)


@excel_function("STDEVA", V, repeat=V, min_args=1)
def stdeva(*args) -> float:
    return math.sqrt(vara(*args))


@excel_function("STDEVPA", V, repeat=V, min_args=1)
def stdevpa(*args) -> float:
    return math.sqrt(varpa(*args))


@excel_function("DEVSQ", V, repeat=V, min_args=1)
def devsq(*args) -> float:
    """"DEVSQ function": the sum of squared deviations from the mean; no numbers is #NUM!."""
    xs = list(numbers(args))
    if not xs:
        raise ErrorResult(ExcelError.NUM)
    return _squared_deviations(xs)


@excel_function("AVEDEV", V, repeat=V, min_args=1)
def avedev(*args) -> float:
    """"AVEDEV function": the mean absolute deviation from the mean; no numbers is #NUM!."""
    xs = list(numbers(args))
    if not xs:
        raise ErrorResult(ExcelError.NUM)
    mean = math.fsum(xs) / len(xs)
    return math.fsum(abs(x - mean) for x in xs) / len(xs)


def _positive_numbers(args: tuple) -> list[float]:
    """GEOMEAN's and HARMEAN's data: a number <= 0, or none at all, is #NUM!."""
    xs = list(numbers(args))
    if not xs or min(xs) <= 0:
        raise ErrorResult(ExcelError.NUM)
    return xs


@excel_function("GEOMEAN", V, repeat=V, min_args=1)
def geomean(*args) -> float:
    """"GEOMEAN function": the n-th root of the product, as the mean of the logarithms (the
    product itself would overflow)."""
    xs = _positive_numbers(args)
    return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))


@excel_function("HARMEAN", V, repeat=V, min_args=1)
def harmean(*args) -> float:
    xs = _positive_numbers(args)
    return len(xs) / math.fsum(1.0 / x for x in xs)


def _standardized_sum(args: tuple, power: int, least: int, *, sample: bool) -> tuple[float, int]:
    """The sum of ((x - mean) / s)^power and n, s the sample or population standard deviation;
    fewer than ``least`` numbers, or no spread, is #DIV/0!."""
    xs = list(numbers(args))
    n = len(xs)
    if n < least:
        raise ErrorResult(ExcelError.DIV0)
    s = math.sqrt(_variance(xs, sample=sample))
    if s == 0:
        raise ErrorResult(ExcelError.DIV0)
    mean = math.fsum(xs) / n
    return math.fsum(((x - mean) / s) ** power for x in xs), n


@excel_function("SKEW", V, repeat=V, min_args=1)
def skew(*args) -> float:
    """"SKEW function": n/((n-1)(n-2)) times the sum of cubed standardized deviations; fewer than
    three numbers or a sample standard deviation of 0 is #DIV/0!."""
    total, n = _standardized_sum(args, 3, 3, sample=True)
    return n / ((n - 1) * (n - 2)) * total


@excel_function("SKEW.P", V, repeat=V, min_args=1)
def skew_p(*args) -> float:
    """"SKEW.P function": the population's skewness, the mean cubed standardized deviation; as
    for SKEW, fewer than three numbers or no spread is #DIV/0!."""
    total, n = _standardized_sum(args, 3, 3, sample=False)
    return total / n


@excel_function("KURT", V, repeat=V, min_args=1)
def kurt(*args) -> float:
    """"KURT function": fewer than four numbers or a standard deviation of 0 is #DIV/0!."""
    total, n = _standardized_sum(args, 4, 4, sample=True)
    return (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * total
            - 3.0 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


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
    return mode_mult(*args).rows[0][0]  # type: ignore[return-value]


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


@excel_function("TRIMMEAN", V, N)
def trimmean(data, percent: float) -> float:
    """"TRIMMEAN function": the mean without percent of the numbers, half from each end, the
    count left out rounded down to an even number; percent < 0 or > 1 is #NUM! (as is leaving
    nothing)."""
    xs = sorted_numbers((data,))
    if not 0 <= percent <= 1:
        raise ErrorResult(ExcelError.NUM)
    # at Excel's 15 digits, so that 10 numbers times 0.3 leave out 3 (one from each end), not 2
    each_end = int(significant(len(xs) * percent)) // 2
    kept = xs[each_end:len(xs) - each_end]
    if not kept:
        raise ErrorResult(ExcelError.NUM)
    return math.fsum(kept) / len(kept)


def _rank_position(data, x: float, significance: float | None) -> tuple[float, int, int]:
    """x's 0-based position among the sorted numbers, interpolated between the two around it,
    their count, and the digits to keep. No numbers or significance < 1 is #NUM!; x outside the
    numbers #N/A."""
    xs = sorted_numbers((data,))
    digits = integer(optional(significance, 3.0))
    if not xs or digits < 1:
        raise ErrorResult(ExcelError.NUM)
    if not xs[0] <= x <= xs[-1]:
        raise ErrorResult(ExcelError.NA)
    i = bisect_left(xs, x)  # the first number >= x
    if xs[i] == x:
        return float(i), len(xs), digits
    return i - 1 + (x - xs[i - 1]) / (xs[i] - xs[i - 1]), len(xs), digits


def _truncated(x: float, digits: int) -> float:
    """x cut (not rounded) to ``digits`` decimal places, at Excel's 15 significant digits first
    (so 0.7 computed as 0.69999... stays 0.7)."""
    if digits > 15:
        return x
    return float(significant(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN))


@excel_function("PERCENTRANK.INC", V, N, N, min_args=2)
def percentrank_inc(data, x: float, significance: float | None = 3.0) -> float:
    """"PERCENTRANK.INC function": the share of the other numbers below x, in [0, 1], cut to
    significance digits (3 by default)."""
    position, n, digits = _rank_position(data, x, significance)
    return _truncated(position / (n - 1) if n > 1 else 1.0, digits)


@excel_function("PERCENTRANK.EXC", V, N, N, min_args=2)
def percentrank_exc(data, x: float, significance: float | None = 3.0) -> float:
    """"PERCENTRANK.EXC function": (position + 1) / (n + 1), strictly inside (0, 1)."""
    position, n, digits = _rank_position(data, x, significance)
    return _truncated((position + 1) / (n + 1), digits)


excel_function("PERCENTRANK", V, N, N, min_args=2)(percentrank_inc)


@excel_function("FREQUENCY", V, V, array_result=True, elementwise=False)
def frequency(data, bins) -> Array:
    """"FREQUENCY function": for each bin, how many numbers are above the next lower bin and at
    most this one, in the bins' own order, then how many are above the highest bin: a column one
    longer than bins_array. Text and empty cells in either are left out. Of equal bins the last
    counts (the page does not say; LibreOffice does so)."""
    edges = list(numbers((bins,)))
    order = sorted(range(len(edges)), key=edges.__getitem__)  # stable: equal bins in their order
    ascending = [edges[i] for i in order]
    counts = [0] * (len(edges) + 1)
    for x in numbers((data,)):
        j = bisect_left(ascending, x)  # the lowest bin >= x
        if j < len(order):
            counts[order[bisect_right(ascending, ascending[j]) - 1]] += 1
        else:
            counts[len(edges)] += 1
    return Array([[float(c)] for c in counts])


@excel_function("MODE.MULT", V, repeat=V, min_args=1, array_result=True, elementwise=False)
def mode_mult(*args) -> Array:
    """"MODE.MULT function": a column of the most frequent numbers, in the order they first occur;
    #N/A when no number repeats."""
    counts: dict[float, int] = {}
    for x in numbers(args):
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        raise ErrorResult(ExcelError.NA)
    return Array([[x] for x, n in counts.items() if n == best])
