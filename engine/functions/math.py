"""Math and trigonometry: arithmetic helpers, the SUM family, MMULT."""
from __future__ import annotations

import math
from decimal import (ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal,
                     localcontext)

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import numbers, raise_first_error, same_shape
from .registry import Arg, excel_function

N = Arg.NUMBER


def power(base: float, exponent: float) -> float:
    """``base ^ exponent`` with Excel's errors: 0^0 and (-8)^0.5 are #NUM!, 0^-1 is #DIV/0!."""
    if base == 0:
        if exponent == 0:
            raise ErrorResult(ExcelError.NUM)
        if exponent < 0:
            raise ErrorResult(ExcelError.DIV0)
        return 0.0
    if base < 0 and exponent != int(exponent):
        raise ErrorResult(ExcelError.NUM)
    try:
        return checked_number(math.pow(base, exponent))
    except OverflowError:
        raise ErrorResult(ExcelError.NUM) from None


def divide(a: float, b: float) -> float:
    if b == 0:
        raise ErrorResult(ExcelError.DIV0)
    return checked_number(a / b)


@excel_function("ABS", N)
def abs_(x: float) -> float:
    return abs(x)


@excel_function("SIGN", N)
def sign(x: float) -> float:
    return float((x > 0) - (x < 0))


@excel_function("INT", N)
def int_(x: float) -> float:
    return float(math.floor(x))


@excel_function("MOD", N, N)
def mod(x: float, y: float) -> float:
    if y == 0:
        raise ErrorResult(ExcelError.DIV0)
    return checked_number(x - y * math.floor(x / y))


@excel_function("PI")
def pi() -> float:
    return math.pi


@excel_function("POWER", N, N)
def power_(base: float, exponent: float) -> float:
    return power(base, exponent)


@excel_function("SQRT", N)
def sqrt(x: float) -> float:
    if x < 0:
        raise ErrorResult(ExcelError.NUM)
    return math.sqrt(x)


@excel_function("EXP", N)
def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise ErrorResult(ExcelError.NUM) from None


@excel_function("LN", N)
def ln(x: float) -> float:
    if x <= 0:
        raise ErrorResult(ExcelError.NUM)
    return math.log(x)


@excel_function("LOG10", N)
def log10(x: float) -> float:
    if x <= 0:
        raise ErrorResult(ExcelError.NUM)
    return math.log10(x)


@excel_function("LOG", N, N, min_args=1)
def log(x: float, base: float = 10.0) -> float:
    """Excel's LOG is base 10 unless a base is given."""
    if x <= 0 or base <= 0:
        raise ErrorResult(ExcelError.NUM)
    if base == 10.0:
        return math.log10(x)
    if base == 1.0:
        raise ErrorResult(ExcelError.DIV0)
    return math.log(x) / math.log(base)


# Digits a rounded double can need: 309 before the point, 15 after (more places leave x as is).
_ROUND_PRECISION = 340
# Rounding to 10^340 or coarser leaves 0 for every finite double.
_COARSEST_PLACES = -340


def _round(x: float, digits: float, rounding: str) -> float:
    # Excel rounds the decimal number it shows, not the binary one: ROUND(2.675, 2) is 2.68.
    places = int(digits)
    if places > 15:
        return x
    quantum = Decimal(1).scaleb(-max(places, _COARSEST_PLACES))
    with localcontext() as context:
        context.prec = _ROUND_PRECISION  # the default 28 digits cannot hold ROUND(1E+300, 2)
        return float(Decimal(repr(x)).quantize(quantum, rounding=rounding)) + 0.0


@excel_function("ROUND", N, N)
def round_(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_HALF_UP)


@excel_function("ROUNDUP", N, N)
def roundup(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_UP)


@excel_function("ROUNDDOWN", N, N)
def rounddown(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_DOWN)


@excel_function("CEILING.MATH", N, N, N, min_args=1)
def ceiling_math(x: float, significance: float = 1.0, mode: float = 0.0) -> float:
    """Round up to a multiple of |significance|; negative numbers toward zero unless mode != 0."""
    if significance == 0:
        return 0.0
    step = Decimal(repr(abs(significance)))
    q = Decimal(repr(x)) / step
    rounding = ROUND_FLOOR if (x < 0 and mode != 0) else ROUND_CEILING
    return float(q.to_integral_value(rounding=rounding) * step)


# --- the SUM family ------------------------------------------------------------------------
V = Arg.VALUES
G = Arg.GRID


@excel_function("SUM", V, repeat=V, min_args=1)
def sum_(*args) -> float:
    total = 0.0
    for x in numbers(args):
        total += x
    return checked_number(total)


@excel_function("SUMSQ", V, repeat=V, min_args=1)
def sumsq(*args) -> float:
    total = 0.0
    for x in numbers(args):
        total += x * x
    return checked_number(total)


@excel_function("PRODUCT", V, repeat=V, min_args=1)
def product(*args) -> float:
    total = 1.0
    seen = False
    for x in numbers(args):
        total *= x
        seen = True
    return checked_number(total) if seen else 0.0


@excel_function("SUMXMY2", G, G)
def sumxmy2(x: Array, y: Array) -> float:
    """Sum of squared differences over the pairs where both sides are numbers."""
    if x.height * x.width != y.height * y.width:
        raise ErrorResult(ExcelError.NA)
    raise_first_error(x, y)
    total = 0.0
    for a, b in zip(x, y):
        if type(a) is float and type(b) is float:
            d = a - b
            total += d * d
    return checked_number(total)


@excel_function("SUMPRODUCT", G, repeat=G, min_args=1)
def sumproduct(*arrays: Array) -> float:
    """Sum of element-wise products; entries that are not numbers count as 0."""
    if not same_shape(*arrays):
        raise ErrorResult(ExcelError.VALUE)
    raise_first_error(*arrays)
    total = 0.0
    for entries in zip(*arrays):
        p = 1.0
        for v in entries:
            p *= v if type(v) is float else 0.0
        total += p
    return checked_number(total)


@excel_function("MMULT", G, G, array_result=True, elementwise=False)
def mmult(a: Array, b: Array) -> Array:
    """Matrix product; every entry of both arrays must be a number."""
    raise_first_error(a, b)
    if a.width != b.height:
        raise ErrorResult(ExcelError.VALUE)
    for v in a:
        if type(v) is not float:
            raise ErrorResult(ExcelError.VALUE)
    for v in b:
        if type(v) is not float:
            raise ErrorResult(ExcelError.VALUE)
    columns = list(zip(*b.rows))
    out = []
    for row in a.rows:
        out_row = []
        for column in columns:
            total = 0.0
            for p, q in zip(row, column):
                total += p * q
            out_row.append(checked_number(total))
        out.append(out_row)
    return Array(out)
