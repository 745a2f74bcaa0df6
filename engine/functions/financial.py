"""Financial: annuities (PMT, IPMT, PPMT, FV, PV, NPER, RATE, CUMIPMT, CUMPRINC), cash flows
(NPV, IRR, MIRR, XNPV, XIRR), depreciation (SLN, SYD, DB, DDB) and interest rates (EFFECT,
NOMINAL, FVSCHEDULE, PDURATION, RRI), each by the formula its Microsoft page gives.

The annuity functions solve one equation (the "PV function" page):
``pv*(1+rate)^nper + pmt*(1+rate*type)*((1+rate)^nper - 1)/rate + fv = 0``, and
``pv + pmt*nper + fv = 0`` when rate is 0. RATE, IRR and XIRR find a root by Newton's method
with the iteration count and tolerance their pages state (:func:`_newton`).
"""
from __future__ import annotations

import math
import warnings
from typing import Callable

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import integer, numbers, optional
from .math import divide, power, round_
from .registry import Arg, excel_function

FAMILY = "Financial"  # the heading of `cellgrad functions` and the README's coverage table

N, V, G = Arg.NUMBER, Arg.VALUES, Arg.GRID

# The last serial number a date may have: 31 December 9999 ("DATE function").
_LAST_DATE = 2958465.0


def _num_error() -> ErrorResult:
    return ErrorResult(ExcelError.NUM)


def _newton(f: Callable[[float], float], df: Callable[[float], float], guess: float,
            tolerance: float, tries: int) -> float:
    """The root Newton's method reaches from ``guess`` when two successive results come within
    ``tolerance`` in at most ``tries`` steps, as the RATE, IRR and XIRR pages state; otherwise
    #NUM!, also where a step reaches a rate of -100% or below, where nothing grows by 1+rate
    (Excel's RATE(12,2800,-10000) is #NUM!, though -184% solves the equation: Microsoft Tech
    Community, "#¡NUM! Error in RATE Formula"). scipy's newton stops on exactly that test
    (|x1 - x0| <= tol with rtol 0); it is imported here because scipy.optimize takes half a
    second to import."""
    from scipy.optimize import newton

    def growing(r: float) -> float:
        if not r > -1:
            raise _num_error()
        return f(r)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a zero derivative: not converged
            root, result = newton(growing, guess, fprime=df, tol=tolerance, maxiter=tries, rtol=0.0,
                                  full_output=True, disp=False)
    except (OverflowError, ZeroDivisionError, ValueError, ErrorResult):
        raise _num_error() from None
    if not result.converged:
        raise _num_error()
    return checked_number(float(root))


# --- annuities --------------------------------------------------------------------------------
def _due(type_: float | None) -> float:
    """Payments at the beginning of each period (1) or at the end (0, the default)."""
    return 1.0 if optional(type_, 0.0) != 0 else 0.0


def _growth(rate: float, nper: float) -> float:
    """(1+rate)^nper, #NUM! where it is not a real number."""
    try:
        return checked_number(math.pow(1.0 + rate, nper))
    except (OverflowError, ValueError, ZeroDivisionError):
        raise _num_error() from None


def _growth_less_one(rate: float, nper: float) -> float:
    """(1+rate)^nper - 1 as expm1(nper*log1p(rate)), so that a small rate keeps its digits: the
    subtraction lost them all (PMT(1E-20,10,1000) was #NUM!, FV(1E-20,10,-100) 0, not 1000) or
    most (PMT(1E-10,10,1000) was -99.9999918). A rate of -100% or below has no logarithm: its
    power, where it is a real number."""
    if rate <= -1:
        return _growth(rate, nper) - 1.0
    try:
        return checked_number(math.expm1(nper * math.log1p(rate)))
    except OverflowError:
        raise _num_error() from None


def _annuity(rate: float, nper: float, due: float) -> float:
    """What a payment of 1 per period grows to after nper periods: (1+rate*type)((1+rate)^nper-1)/rate."""
    if rate == 0:
        return nper
    return (1.0 + rate * due) * _growth_less_one(rate, nper) / rate


@excel_function("FV", N, N, N, N, N, min_args=3)
def fv(rate: float, nper: float, pmt: float, pv: float | None = None,
       type_: float | None = None) -> float:
    """"FV function"."""
    return checked_number(-(optional(pv, 0.0) * _growth(rate, nper)
                            + pmt * _annuity(rate, nper, _due(type_))))


@excel_function("PV", N, N, N, N, N, min_args=3)
def pv(rate: float, nper: float, pmt: float, fv_: float | None = None,
       type_: float | None = None) -> float:
    """"PV function"."""
    return divide(-(optional(fv_, 0.0) + pmt * _annuity(rate, nper, _due(type_))),
                  _growth(rate, nper))


@excel_function("PMT", N, N, N, N, N, min_args=3)
def pmt(rate: float, nper: float, pv_: float, fv_: float | None = None,
        type_: float | None = None) -> float:
    """"PMT function": no payment repays in 0 periods (#NUM!)."""
    per_payment = _annuity(rate, nper, _due(type_))
    if per_payment == 0:
        raise _num_error()
    return checked_number(-(optional(fv_, 0.0) + pv_ * _growth(rate, nper)) / per_payment)


@excel_function("NPER", N, N, N, N, N, min_args=3)
def nper(rate: float, pmt_: float, pv_: float, fv_: float | None = None,
         type_: float | None = None) -> float:
    """"NPER function": the nper that solves the annuity equation; #NUM! where none does."""
    future = optional(fv_, 0.0)
    if rate == 0:
        if pmt_ == 0:
            raise _num_error()
        return checked_number(-(pv_ + future) / pmt_)
    # log(numerator / denominator) as log1p of the ratio less 1, -rate*(fv+pv)/denominator:
    # the ratio of a small rate rounds to 1 (NPER(1E-20,-100,1000) was 0, not 10)
    payment = pmt_ * (1.0 + rate * _due(type_))
    denominator = payment + pv_ * rate
    if denominator == 0 or rate <= -1:
        raise _num_error()
    excess = -rate * (future + pv_) / denominator
    if not excess > -1:
        raise _num_error()
    return checked_number(math.log1p(excess) / math.log1p(rate))


def _interest(rate: float, per: float, nper_: float, pv_: float, fv_: float | None,
              type_: float | None) -> float:
    """The interest part of payment ``per`` ("IPMT function"): the balance after per-1 payments
    times the rate; with payments in advance the first period carries no interest and the
    others' interest is discounted one period."""
    if not 1 <= per <= nper_:
        raise _num_error()
    due = _due(type_)
    if due and per == 1:
        return 0.0
    balance = fv(rate, per - 1, pmt(rate, nper_, pv_, fv_, due), pv_, due)
    return checked_number(balance * rate / (1.0 + rate) if due else balance * rate)


@excel_function("IPMT", N, N, N, N, N, N, min_args=4)
def ipmt(rate: float, per: float, nper_: float, pv_: float, fv_: float | None = None,
         type_: float | None = None) -> float:
    """"IPMT function": per must be in 1..nper (#NUM!)."""
    return _interest(rate, per, nper_, pv_, fv_, type_)


@excel_function("PPMT", N, N, N, N, N, N, min_args=4)
def ppmt(rate: float, per: float, nper_: float, pv_: float, fv_: float | None = None,
         type_: float | None = None) -> float:
    """"PPMT function": the payment less its interest. In arrears that is
    (pmt + rate*pv)(1+rate)^(per-1), written as -rate(pv+fv)(1+rate)^(per-1)/((1+rate)^nper-1),
    which subtracts no two large numbers (PPMT(400%,100,100,7) is -5.6, where payment less
    interest is -28 less -22.4, both computed from 5^99); in advance the first payment is all
    principal and the others' principal is that divided by 1+rate, as IPMT discounts them."""
    interest = _interest(rate, per, nper_, pv_, fv_, type_)
    due = _due(type_)
    if rate <= -1 or rate == 0 or due and per == 1:
        return checked_number(pmt(rate, nper_, pv_, fv_, type_) - interest)
    periods = nper_ * math.log1p(rate)
    try:  # (1+rate)^(per-1) / ((1+rate)^nper - 1), each power kept at most 1
        if rate > 0:
            share = math.pow(1.0 + rate, per - 1 - nper_) / -math.expm1(-periods)
        else:
            share = math.pow(1.0 + rate, per - 1) / math.expm1(periods)
    except (OverflowError, ZeroDivisionError):
        raise _num_error() from None
    principal = -rate * (pv_ + optional(fv_, 0.0)) * share
    return checked_number(principal / (1.0 + rate) if due else principal)


def _rate_equation(nper_: float, pmt_: float, pv_: float, fv_: float,
                   due: float) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """The annuity equation as a function of the rate, and its derivative."""
    def f(r: float) -> float:
        return pv_ * _growth(r, nper_) + pmt_ * _annuity(r, nper_, due) + fv_

    def df(r: float) -> float:
        if r == 0:
            return pv_ * nper_ + pmt_ * (due * nper_ + nper_ * (nper_ - 1.0) / 2.0)
        g = _growth(r, nper_)
        dg = nper_ * g / (1.0 + r)
        annuity_slope = due * (g - 1.0) / r + (1.0 + r * due) * (dg * r - (g - 1.0)) / (r * r)
        return pv_ * dg + pmt_ * annuity_slope

    return f, df


@excel_function("RATE", N, N, N, N, N, N, min_args=3)
def rate(nper_: float, pmt_: float, pv_: float, fv_: float | None = None,
         type_: float | None = None, guess: float | None = None) -> float:
    """"RATE function": "If the successive results of RATE do not converge to within 0.0000001
    after 20 iterations, RATE returns the #NUM! error value"; guess 10% when omitted."""
    f, df = _rate_equation(nper_, pmt_, pv_, optional(fv_, 0.0), _due(type_))
    return _newton(f, df, optional(guess, 0.1), 1e-7, 20)


def _cumulative(part: Callable[..., float], rate_: float, nper_: float, pv_: float,
                start: float, end: float, type_: float) -> float:
    """"CUMIPMT function", "CUMPRINC function": nper, the periods and type are truncated; rate,
    nper or pv not above 0, a start after the end or before 1, or a type other than 0 or 1 is
    #NUM!."""
    n, first, last, due = integer(nper_), integer(start), integer(end), integer(type_)
    if rate_ <= 0 or n <= 0 or pv_ <= 0 or first < 1 or first > last or due not in (0, 1):
        raise _num_error()
    return checked_number(math.fsum(part(rate_, float(p), float(n), pv_, 0.0, float(due))
                                    for p in range(first, last + 1)))


@excel_function("CUMIPMT", N, N, N, N, N, N)
def cumipmt(rate_: float, nper_: float, pv_: float, start: float, end: float,
            type_: float) -> float:
    return _cumulative(ipmt, rate_, nper_, pv_, start, end, type_)


@excel_function("CUMPRINC", N, N, N, N, N, N)
def cumprinc(rate_: float, nper_: float, pv_: float, start: float, end: float,
             type_: float) -> float:
    return _cumulative(ppmt, rate_, nper_, pv_, start, end, type_)


# --- cash flows ---------------------------------------------------------------------------------
def _present_value(rate_: float, flows: list[float], first: int) -> float:
    """sum(flows[i] / (1+rate)^(i+first)): NPV's with first 1, IRR's with first 0. Multiplied by
    (1+rate)^-(i+first), which for a huge rate goes to 0 where (1+rate)^(i+first) would overflow."""
    if rate_ == -1:
        raise ErrorResult(ExcelError.DIV0)
    return checked_number(math.fsum(v * _growth(rate_, -(i + first)) for i, v in enumerate(flows)))


@excel_function("NPV", N, V, repeat=V, min_args=2)
def npv(rate_: float, *args) -> float:
    """"NPV function": numbers, logicals and text that reads as a number given directly count;
    in a range or an array only numbers (the SUM family's rule)."""
    return _present_value(rate_, list(numbers(args)), 1)


def _cash_flows(values: Array) -> list[float]:
    """The numbers of IRR's and MIRR's values: "If an array or reference argument contains text,
    logical values, or empty cells, those values are ignored"; an error propagates."""
    return list(numbers((values,)))


def _both_signs(flows: list[float]) -> bool:
    return any(v > 0 for v in flows) and any(v < 0 for v in flows)


@excel_function("IRR", G, N, min_args=1)
def irr(values: Array, guess: float | None = None) -> float:
    """"IRR function": at least one positive and one negative value; "IRR cycles through the
    calculation until the result is accurate within 0.00001 percent. If IRR can't find a result
    that works after 20 tries, the #NUM! error value is returned"."""
    flows = _cash_flows(values)
    if not _both_signs(flows):
        raise _num_error()

    def f(r: float) -> float:
        return math.fsum(v * _growth(r, -i) for i, v in enumerate(flows))

    def df(r: float) -> float:
        return math.fsum(-i * v * _growth(r, -i - 1) for i, v in enumerate(flows))

    return _newton(f, df, optional(guess, 0.1), 1e-7, 20)


@excel_function("MIRR", G, N, N)
def mirr(values: Array, finance_rate: float, reinvest_rate: float) -> float:
    """"MIRR function": the future value of the positive flows at reinvest_rate over the present
    value of the negative ones at finance_rate, to the power 1/(n-1); #DIV/0! without a positive
    and a negative value."""
    flows = _cash_flows(values)
    if not _both_signs(flows):
        raise ErrorResult(ExcelError.DIV0)
    n = len(flows)
    gains = _present_value(reinvest_rate, [max(v, 0.0) for v in flows], 1)
    costs = _present_value(finance_rate, [min(v, 0.0) for v in flows], 1)
    ratio = divide(-gains * _growth(reinvest_rate, n), costs * (1.0 + finance_rate))
    return checked_number(power(ratio, 1.0 / (n - 1)) - 1.0)


def _dated_flows(values: Array, dates: Array) -> tuple[list[float], list[float]]:
    """The cash flows and their dates, as years after the first date, for XNPV and XIRR: "If any
    argument is non-numeric, XNPV returns #VALUE!"; a date that is not a valid date is #VALUE!;
    dates are truncated to whole days; a date before the first, or counts that differ, #NUM!."""
    flows, days = list(values), list(dates)
    for v in flows + days:
        if type(v) is ExcelError:
            raise ErrorResult(v)  # type: ignore[arg-type]
        if type(v) is not float:
            raise ErrorResult(ExcelError.VALUE)
    if len(flows) != len(days):
        raise _num_error()
    if any(not 0 <= d <= _LAST_DATE for d in days):  # type: ignore[operator]
        raise ErrorResult(ExcelError.VALUE)
    whole_days = [math.floor(d) for d in days]  # type: ignore[arg-type]
    if any(d < whole_days[0] for d in whole_days):
        raise _num_error()
    return flows, [(d - whole_days[0]) / 365.0 for d in whole_days]  # type: ignore[misc]


def _dated_value(rate_: float, flows: list[float], years: list[float]) -> float:
    return math.fsum(divide(v, _growth(rate_, t)) for v, t in zip(flows, years))


@excel_function("XNPV", N, G, G)
def xnpv(rate_: float, values: Array, dates: Array) -> float:
    """"XNPV function": sum(P_i / (1+rate)^((d_i-d_1)/365))."""
    flows, years = _dated_flows(values, dates)
    return checked_number(_dated_value(rate_, flows, years))


@excel_function("XIRR", G, G, N, min_args=2)
def xirr(values: Array, dates: Array, guess: float | None = None) -> float:
    """"XIRR function": the rate where XNPV is 0; at least one positive and one negative cash
    flow (#NUM!); "XIRR cycles through the calculation until the result is accurate within
    0.000001 percent. If XIRR can't find a result that works after 100 tries, the #NUM! error
    value is returned"."""
    flows, years = _dated_flows(values, dates)
    if not _both_signs(flows):
        raise _num_error()

    def df(r: float) -> float:
        return math.fsum(-t * v / _growth(r, t + 1.0) for v, t in zip(flows, years))

    return _newton(lambda r: _dated_value(r, flows, years), df, optional(guess, 0.1), 1e-8, 100)


# --- depreciation -------------------------------------------------------------------------------
@excel_function("SLN", N, N, N)
def sln(cost: float, salvage: float, life: float) -> float:
    """"SLN function": (cost - salvage) / life."""
    return divide(cost - salvage, life)


@excel_function("SYD", N, N, N, N)
def syd(cost: float, salvage: float, life: float, per: float) -> float:
    """"SYD function": ((cost-salvage)*(life-per+1)*2)/(life*(life+1)); a life below 1, or a per
    outside 1..life, is an error ("SYD function (DAX)", Excel's function in DAX)."""
    if life < 1 or not 1 <= per <= life:
        raise _num_error()
    return checked_number((cost - salvage) * (life - per + 1.0) * 2.0 / (life * (life + 1.0)))


@excel_function("DB", N, N, N, N, N, min_args=4)
def db(cost: float, salvage: float, life: float, period: float,
       month: float | None = None) -> float:
    """"DB function": the fixed rate 1 - (salvage/cost)^(1/life), rounded to three decimal
    places, applied to what is left of the cost; the first period is month/12 of a year and the
    year after the life the rest. A negative cost or salvage, a life below 1, months outside 1..12
    or a period outside the life are errors ("DB function (DAX)", Excel's function in DAX)."""
    months = integer(optional(month, 12.0))
    period_ = integer(period)
    last = integer(life) + (1 if months < 12 else 0)
    if cost < 0 or salvage < 0 or life < 1 or not 1 <= months <= 12 or not 1 <= period_ <= last:
        raise _num_error()
    fixed = round_(1.0 - power(divide(salvage, cost), 1.0 / life), 3)
    total = 0.0
    for p in range(1, period_ + 1):
        if p == 1:
            depreciation = cost * fixed * months / 12.0
        elif p == last and months < 12:
            depreciation = (cost - total) * fixed * (12 - months) / 12.0
        else:
            depreciation = (cost - total) * fixed
            if total + depreciation == total and p < period_:
                # the total no longer moves, so each later full year takes the same and a last
                # part-year its share: no need to count out a life of 1E+15 years
                if period_ == last and months < 12:
                    depreciation = (cost - total) * fixed * (12 - months) / 12.0
                break
        total += depreciation
    return checked_number(depreciation)


@excel_function("DDB", N, N, N, N, N, min_args=4)
def ddb(cost: float, salvage: float, life: float, period: float,
        factor: float | None = None) -> float:
    """"DDB function": Min((cost - prior depreciation) * (factor/life), (cost - salvage - prior
    depreciation)), never below 0; the arguments must be positive (#NUM!) and the period one of
    the life's, 1 to life. A rate factor/life above 1 depreciates the whole value at once."""
    factor_ = optional(factor, 2.0)
    if cost < 0 or salvage < 0 or factor_ <= 0 or not 1 <= period <= life:
        raise _num_error()
    rate_ = min(factor_ / life, 1.0)
    # cost(1 - (1-rate)^(period-1)) without the subtraction that a small rate loses whole
    prior = 0.0 if period == 1 else -cost * _growth_less_one(-rate_, period - 1.0)
    remaining = cost - prior
    return checked_number(max(min(remaining * rate_, cost - salvage - prior), 0.0))


# --- interest rates -----------------------------------------------------------------------------
def _periods_per_year(npery: float) -> int:
    n = integer(npery)  # "Npery is truncated to an integer"
    if n < 1:
        raise _num_error()
    return n


@excel_function("EFFECT", N, N)
def effect(nominal_rate: float, npery: float) -> float:
    """"EFFECT function": (1 + nominal/npery)^npery - 1; nominal_rate <= 0 or npery < 1, #NUM!."""
    n = _periods_per_year(npery)
    if nominal_rate <= 0:
        raise _num_error()
    return _growth_less_one(nominal_rate / n, n)


@excel_function("NOMINAL", N, N)
def nominal(effect_rate: float, npery: float) -> float:
    """"NOMINAL function": npery * ((1 + effect)^(1/npery) - 1); effect_rate <= 0 or npery < 1,
    #NUM!."""
    n = _periods_per_year(npery)
    if effect_rate <= 0:
        raise _num_error()
    return checked_number(n * _growth_less_one(effect_rate, 1.0 / n))


@excel_function("FVSCHEDULE", N, G)
def fvschedule(principal: float, schedule: Array) -> float:
    """"FVSCHEDULE function": "The values in schedule can be numbers or blank cells; any other
    value produces the #VALUE! error value. Blank cells are taken as zeros (no interest)"."""
    total = principal
    for r in schedule:
        if type(r) is ExcelError:
            raise ErrorResult(r)  # type: ignore[arg-type]
        if r is None:
            continue
        if type(r) is not float:
            raise ErrorResult(ExcelError.VALUE)
        total *= 1.0 + r  # type: ignore[operator]
    return checked_number(total)


@excel_function("PDURATION", N, N, N)
def pduration(rate_: float, pv_: float, fv_: float) -> float:
    """"PDURATION function": (log(fv) - log(pv)) / log(1 + rate); "PDURATION requires that all
    arguments are positive values" (#NUM!)."""
    if rate_ <= 0 or pv_ <= 0 or fv_ <= 0:
        raise _num_error()
    return checked_number((math.log(fv_) - math.log(pv_)) / math.log1p(rate_))


@excel_function("RRI", N, N, N)
def rri(nper_: float, pv_: float, fv_: float) -> float:
    """"RRI function": (fv/pv)^(1/nper) - 1; invalid values (nper not above 0, pv 0, a negative
    ratio) are #NUM!."""
    if nper_ <= 0 or pv_ == 0:
        raise _num_error()
    return checked_number(power(fv_ / pv_, 1.0 / nper_) - 1.0)
