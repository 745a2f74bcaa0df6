"""Statistics: counting, averages, extremes, variance, COUNTIF."""
from __future__ import annotations

import math
import re

from ..core.values import (Array, ErrorResult, ExcelError, Scalar, checked_number, compare,
                           number_from_text)
from .arguments import numbers, values
from .registry import Arg, excel_function

V = Arg.VALUES


@excel_function("COUNT", V, repeat=V, min_args=1)
def count(*args) -> float:
    """Numbers only; errors, text and empty cells are not counted and do not propagate."""
    return float(sum(1 for _ in numbers(args, skip_errors=True, direct_text_is_error=False)))


@excel_function("COUNTA", V, repeat=V, min_args=1)
def counta(*args) -> float:
    return float(sum(1 for v in values(args) if v is not None))


@excel_function("COUNTBLANK", Arg.GRID)
def countblank(grid: Array) -> float:
    return float(sum(1 for v in grid if v is None or v == ""))


@excel_function("AVERAGE", V, repeat=V, min_args=1)
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


# --- COUNTIF criteria ------------------------------------------------------------------------
_OPERATOR = re.compile(r"^(<=|>=|<>|=|<|>)?(.*)$", re.S)


def wildcard(pattern: str) -> re.Pattern[str]:
    """Excel's text pattern: ? one character, * any run, ~ makes the next one literal; no case."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S | re.I)


def criterion(spec: Scalar):
    """A predicate on cell values from a COUNTIF criterion (``5``, ``">0"``, ``"a*"``, ``""``)."""
    if type(spec) is ExcelError:
        raise ErrorResult(spec)  # type: ignore[arg-type]
    if spec is None:
        spec = 0.0
    if type(spec) is not str:
        return lambda v: type(v) is type(spec) and v == spec
    op, operand = _OPERATOR.match(spec).groups()  # type: ignore[union-attr]
    op = op or "="
    number = number_from_text(operand)
    if operand.upper() in ("TRUE", "FALSE"):
        target: Scalar = operand.upper() == "TRUE"
    else:
        target = number if number is not None else operand
    if op in ("=", "<>"):
        if operand == "":
            test = (lambda v: v is None or v == "") if op == "=" else (lambda v: v is not None and v != "")
            return test
        if type(target) is str:
            pattern = wildcard(target)
            match = lambda v: type(v) is str and pattern.fullmatch(v) is not None  # noqa: E731
        else:
            match = lambda v: type(v) is type(target) and v == target  # noqa: E731
        return match if op == "=" else (lambda v: not match(v))
    def ordered(v: Scalar) -> bool:
        if v is None or type(v) is not type(target):
            return False
        c = compare(v, target)
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
    return ordered


@excel_function("COUNTIF", Arg.GRID, Arg.SCALAR)
def countif(grid: Array, spec: Scalar) -> float:
    test = criterion(spec)
    return float(sum(1 for v in grid if test(v)))
