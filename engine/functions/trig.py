"""Trigonometric and hyperbolic functions: angles in radians, Excel's errors at the edges of
each domain (``ASIN(2)`` and ``ACOSH(0)`` are #NUM!, ``COT(0)`` is #DIV/0!)."""
from __future__ import annotations

import math

from ..core.values import ErrorResult, ExcelError, checked_number
from .math import divide
from .registry import Arg, excel_function

FAMILY = "Trigonometry"  # the heading of `cellgrad functions` and the README's coverage table

N = Arg.NUMBER


def _inside(x: float, low: float, high: float) -> float:
    if not low <= x <= high:
        raise ErrorResult(ExcelError.NUM)
    return x


def _growing(f, x: float) -> float:
    """A function that overflows for large arguments (SINH, COSH): #NUM! there."""
    try:
        return checked_number(f(x))
    except OverflowError:
        raise ErrorResult(ExcelError.NUM) from None


@excel_function("SIN", N)
def sin(x: float) -> float:
    return math.sin(x)


@excel_function("COS", N)
def cos(x: float) -> float:
    return math.cos(x)


@excel_function("TAN", N)
def tan(x: float) -> float:
    return math.tan(x)


@excel_function("ASIN", N)
def asin(x: float) -> float:
    return math.asin(_inside(x, -1.0, 1.0))


@excel_function("ACOS", N)
def acos(x: float) -> float:
    return math.acos(_inside(x, -1.0, 1.0))


@excel_function("ATAN", N)
def atan(x: float) -> float:
    return math.atan(x)


@excel_function("ATAN2", N, N)
def atan2(x: float, y: float) -> float:
    """"ATAN2 function": the angle of the point (x_num, y_num); both 0 is #DIV/0!."""
    if x == 0 and y == 0:
        raise ErrorResult(ExcelError.DIV0)
    return math.atan2(y, x)


@excel_function("SEC", N)
def sec(x: float) -> float:
    return divide(1.0, math.cos(x))


@excel_function("CSC", N)
def csc(x: float) -> float:
    return divide(1.0, math.sin(x))


@excel_function("COT", N)
def cot(x: float) -> float:
    return divide(1.0, math.tan(x))


@excel_function("ACOT", N)
def acot(x: float) -> float:
    return math.pi / 2 - math.atan(x)


@excel_function("SINH", N, kernel=lambda ctx, x: ctx.ops.xp.sinh(x))
def sinh(x: float) -> float:
    return _growing(math.sinh, x)


@excel_function("COSH", N, kernel=lambda ctx, x: ctx.ops.xp.cosh(x))
def cosh(x: float) -> float:
    return _growing(math.cosh, x)


@excel_function("TANH", N, kernel=lambda ctx, x: ctx.ops.xp.tanh(x))
def tanh(x: float) -> float:
    return math.tanh(x)


@excel_function("SECH", N)
def sech(x: float) -> float:
    return 1.0 / math.cosh(x) if abs(x) < 710 else 0.0


@excel_function("CSCH", N)
def csch(x: float) -> float:
    """"CSCH function": |number| must be less than 2^27 (#NUM!); below that, past sinh's
    overflow the cosecant is below the smallest number, 0."""
    if not abs(x) < 2.0 ** 27:
        raise ErrorResult(ExcelError.NUM)
    return divide(1.0, math.sinh(x)) if abs(x) < 710 else 0.0


@excel_function("COTH", N)
def coth(x: float) -> float:
    return divide(1.0, math.tanh(x))


@excel_function("ASINH", N)
def asinh(x: float) -> float:
    return math.asinh(x)


@excel_function("ACOSH", N)
def acosh(x: float) -> float:
    return math.acosh(_inside(x, 1.0, math.inf))


@excel_function("ATANH", N)
def atanh(x: float) -> float:
    if not -1.0 < x < 1.0:
        raise ErrorResult(ExcelError.NUM)
    return math.atanh(x)


@excel_function("ACOTH", N)
def acoth(x: float) -> float:
    if abs(x) <= 1.0:
        raise ErrorResult(ExcelError.NUM)
    return math.atanh(1.0 / x)


@excel_function("DEGREES", N)
def degrees(x: float) -> float:
    return checked_number(math.degrees(x))


@excel_function("RADIANS", N)
def radians(x: float) -> float:
    return math.radians(x)
