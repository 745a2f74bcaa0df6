"""Two data sets: correlation, covariance and the least-squares line (SLOPE, INTERCEPT, RSQ, STEYX,
FORECAST.LINEAR, LINEST and LOGEST in their basic form, and the values along the fit, TREND and
GROWTH).

Pairs where either side is text, a logical or empty are left out; an error propagates
(:func:`cellgrad.functions.arguments.number_pairs`).
"""
from __future__ import annotations

import math

import numpy as np

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import number_pairs
from .math import divide
from .registry import Arg, excel_function

FAMILY = "Correlation and regression"  # the heading of `cellgrad functions` and the README's coverage table

G, N = Arg.GRID, Arg.NUMBER


def _moments(y: Array, x: Array, least: int = 1) -> tuple[int, float, float, float, float, float]:
    """n, mean x, mean y, Sxx, Syy, Sxy over the numeric pairs (at least ``least`` of them)."""
    pairs = number_pairs(x, y)
    n = len(pairs)
    if n < least:
        raise ErrorResult(ExcelError.DIV0)
    mx = sum(a for a, _ in pairs) / n
    my = sum(b for _, b in pairs) / n
    sxx = sum((a - mx) * (a - mx) for a, _ in pairs)
    syy = sum((b - my) * (b - my) for _, b in pairs)
    sxy = sum((a - mx) * (b - my) for a, b in pairs)
    return n, mx, my, checked_number(sxx), checked_number(syy), checked_number(sxy)


@excel_function("CORREL", G, G)
def correl(a: Array, b: Array) -> float:
    """"CORREL function": #DIV/0! when either set has no spread."""
    _, _, _, sxx, syy, sxy = _moments(b, a)
    return divide(sxy, math.sqrt(sxx * syy))


excel_function("PEARSON", G, G)(correl)


@excel_function("RSQ", G, G)
def rsq(y: Array, x: Array) -> float:
    r = correl(y, x)
    return r * r


@excel_function("COVARIANCE.P", G, G)
def covariance_p(a: Array, b: Array) -> float:
    n, _, _, _, _, sxy = _moments(b, a)
    return sxy / n


@excel_function("COVARIANCE.S", G, G)
def covariance_s(a: Array, b: Array) -> float:
    n, _, _, _, _, sxy = _moments(b, a, least=2)
    return sxy / (n - 1)


excel_function("COVAR", G, G)(covariance_p)


@excel_function("STEYX", G, G)
def steyx(y: Array, x: Array) -> float:
    """"STEYX function": the standard error of the predicted y, sqrt((Syy - Sxy^2/Sxx) / (n-2));
    fewer than three pairs, or x without spread, is #DIV/0!."""
    n, _, _, sxx, syy, sxy = _moments(y, x, least=3)
    # the residual sum of squares, which rounding can take a hair below 0 on a perfect line
    return math.sqrt(max(0.0, syy - divide(sxy, sxx) * sxy) / (n - 2))


@excel_function("SLOPE", G, G)
def slope(y: Array, x: Array) -> float:
    _, _, _, sxx, _, sxy = _moments(y, x)
    return divide(sxy, sxx)


@excel_function("INTERCEPT", G, G)
def intercept(y: Array, x: Array) -> float:
    _, mx, my, sxx, _, sxy = _moments(y, x)
    return my - divide(sxy, sxx) * mx


@excel_function("FORECAST.LINEAR", N, G, G)
def forecast_linear(x: float, y: Array, xs: Array) -> float:
    _, mx, my, sxx, _, sxy = _moments(y, xs)
    return checked_number(my + divide(sxy, sxx) * (x - mx))


excel_function("FORECAST", N, G, G)(forecast_linear)


def _least_squares(y: Array, x: Array | None, const: bool) -> list[float]:
    """Coefficients of y on the columns of x (or 1..n), in LINEST's order: the last x column's
    first, the constant last (0 when const is FALSE)."""
    ys = list(y)
    if any(type(v) is not float for v in ys):
        raise ErrorResult(ExcelError.VALUE)
    n = len(ys)
    if x is None:
        columns = [[float(i + 1) for i in range(n)]]
    else:
        # "If only one variable is used, known_y's and known_x's can be ranges of any shape, as
        # long as they have equal dimensions"; with several, y is a column (a row) and each
        # column (row) of x one variable ("LINEST function")
        if (x.height, x.width) == (y.height, y.width):
            xs = [[v] for v in x]
        elif y.width == 1 and x.height == n:
            xs = x.rows
        elif y.height == 1 and x.width == n:
            xs = [list(r) for r in zip(*x.rows)]
        else:
            raise ErrorResult(ExcelError.REF)
        if any(type(v) is not float for r in xs for v in r):
            raise ErrorResult(ExcelError.VALUE)
        columns = [list(c) for c in zip(*xs)]
    if len(columns) == 1 and const and n >= 2:  # one variable: SLOPE's and INTERCEPT's sums
        line = Array([[v] for v in columns[0]])
        return [slope(Array([[v] for v in ys]), line), intercept(Array([[v] for v in ys]), line)]
    design = np.column_stack(columns + ([np.ones(n)] if const else []))
    if n < design.shape[1] or np.linalg.matrix_rank(design) < design.shape[1]:
        raise ErrorResult(ExcelError.NUM)
    coefficients = np.linalg.lstsq(design, np.array(ys), rcond=None)[0]
    slopes = [float(c) for c in coefficients[:len(columns)]][::-1]
    return slopes + [float(coefficients[-1]) if const else 0.0]


def _regression_args(const: object, stats: object) -> bool:
    if stats:
        raise ErrorResult(ExcelError.VALUE)  # the statistics rows are not computed (basic form)
    return const is None or bool(const)


@excel_function("LINEST", G, G, Arg.SCALAR, Arg.SCALAR, min_args=1, array_result=True,
                elementwise=False)
def linest(y: Array, x: Array | None = None, const: object = True, stats: object = False) -> Array:
    """"LINEST function", basic form: {m_k, ..., m_1, b} of the least-squares line y = m·x + b."""
    return Array([_least_squares(y, x, _regression_args(const, stats))])


@excel_function("LOGEST", G, G, Arg.SCALAR, Arg.SCALAR, min_args=1, array_result=True,
                elementwise=False)
def logest(y: Array, x: Array | None = None, const: object = True, stats: object = False) -> Array:
    """"LOGEST function", basic form: {m_k, ..., m_1, b} of the curve y = b·m^x, fitted to ln y."""
    return Array([[checked_number(math.exp(c)) for c in
                   _least_squares(_logs(y), x, _regression_args(const, stats))]])


def _logs(y: Array) -> Array:
    """ln y for the exponential fits; a y <= 0 (or not a number) is #NUM! ("LOGEST function",
    "GROWTH function")."""
    if any(type(v) is not float or v <= 0 for v in y):
        raise ErrorResult(ExcelError.NUM)
    return Array([[math.log(v) for v in r] for r in y.rows])  # type: ignore[arg-type]


def _predicted(y: Array, x: Array | None, new_x: Array | None, const: object) -> Array:
    """The least-squares line's values at new_x ("TREND function"): new_x defaults to known_x,
    and both to {1,2,3,...} the size of known_y. One variable: a value per new_x, in new_x's
    shape; several: a value per row of new_x (per column where known_y is a row)."""
    coefficients = _least_squares(y, x, const is None or bool(const))
    slopes, b = coefficients[-2::-1], coefficients[-1]  # m_1 ... m_k, then the constant
    if new_x is None:
        new_x = x if x is not None else Array([[float(y.width * i + j + 1) for j in range(y.width)]
                                               for i in range(y.height)])
    if any(type(v) is not float for v in new_x):
        raise ErrorResult(ExcelError.VALUE)
    if len(slopes) == 1:
        return Array([[checked_number(slopes[0] * v + b) for v in r] for r in new_x.rows])
    by_row = y.width == 1
    points = new_x.rows if by_row else [list(c) for c in zip(*new_x.rows)]
    if any(len(p) != len(slopes) for p in points):
        raise ErrorResult(ExcelError.REF)
    values = [checked_number(math.fsum(m * v for m, v in zip(slopes, p)) + b) for p in points]
    return Array([[v] for v in values] if by_row else [values])


@excel_function("TREND", G, G, G, Arg.SCALAR, min_args=1, array_result=True, elementwise=False)
def trend(y: Array, x: Array | None = None, new_x: Array | None = None,
          const: object = True) -> Array:
    """"TREND function": y = m·x + b at new_x; const FALSE fits b = 0."""
    return _predicted(y, x, new_x, const)


@excel_function("GROWTH", G, G, G, Arg.SCALAR, min_args=1, array_result=True, elementwise=False)
def growth(y: Array, x: Array | None = None, new_x: Array | None = None,
           const: object = True) -> Array:
    """"GROWTH function": y = b·m^x at new_x, fitted to ln y; const FALSE fits b = 1."""
    logs = _predicted(_logs(y), x, new_x, const)
    return Array([[checked_number(math.exp(v)) for v in r] for r in logs.rows])
