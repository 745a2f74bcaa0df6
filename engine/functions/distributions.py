"""Distributions: the normal (NORM.DIST, NORM.INV, NORM.S.DIST, NORM.S.INV), the exponential
(EXPON.DIST) and STANDARDIZE. The normal quantile is the standard library's (Wichura's AS241,
accurate to double precision), so no scipy is needed."""
from __future__ import annotations

import math
from statistics import NormalDist

from ..core.values import ErrorResult, ExcelError, checked_number
from .registry import Arg, excel_function

FAMILY = "Distributions"  # the heading of `cellgrad functions` and the README's coverage table

N, B = Arg.NUMBER, Arg.BOOL
_STANDARD = NormalDist()


def _positive(x: float) -> float:
    if not x > 0:
        raise ErrorResult(ExcelError.NUM)
    return x


def _probability(p: float) -> float:
    if not 0 < p < 1:
        raise ErrorResult(ExcelError.NUM)
    return p


def _standard(z: float, cumulative: bool) -> float:
    if cumulative:
        return 0.5 * math.erfc(-z / math.sqrt(2.0))
    return math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


@excel_function("STANDARDIZE", N, N, N)
def standardize(x: float, mean: float, sd: float) -> float:
    return checked_number((x - mean) / _positive(sd))


@excel_function("NORM.DIST", N, N, N, B)
def norm_dist(x: float, mean: float, sd: float, cumulative: bool) -> float:
    """"NORM.DIST function": standard_dev <= 0 is #NUM!."""
    z = standardize(x, mean, sd)
    return _standard(z, cumulative) if cumulative else _standard(z, False) / sd


@excel_function("NORM.S.DIST", N, B)
def norm_s_dist(z: float, cumulative: bool) -> float:
    return _standard(z, cumulative)


@excel_function("NORM.INV", N, N, N)
def norm_inv(p: float, mean: float, sd: float) -> float:
    """"NORM.INV function": probability outside (0, 1) or standard_dev <= 0 is #NUM!."""
    return mean + _positive(sd) * _STANDARD.inv_cdf(_probability(p))


@excel_function("NORM.S.INV", N)
def norm_s_inv(p: float) -> float:
    return _STANDARD.inv_cdf(_probability(p))


@excel_function("EXPON.DIST", N, N, B)
def expon_dist(x: float, rate: float, cumulative: bool) -> float:
    """"EXPON.DIST function": x < 0 or lambda <= 0 is #NUM!."""
    if x < 0:
        raise ErrorResult(ExcelError.NUM)
    _positive(rate)
    return -math.expm1(-rate * x) if cumulative else checked_number(rate * math.exp(-rate * x))


# Excel's pre-2010 names (NORMSDIST has no cumulative argument: always the distribution).
excel_function("NORMDIST", N, N, N, B)(norm_dist)
excel_function("NORMINV", N, N, N)(norm_inv)
excel_function("NORMSINV", N)(norm_s_inv)
excel_function("EXPONDIST", N, N, B)(expon_dist)


@excel_function("NORMSDIST", N)
def normsdist(z: float) -> float:
    return _standard(z, True)
