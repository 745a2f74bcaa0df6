"""Distributions and the tests built on them: the normal (NORM.DIST, NORM.INV, NORM.S.DIST,
NORM.S.INV, PHI, GAUSS, LOGNORM.DIST), the exponential, Student's t, chi-squared, F, gamma, beta,
Weibull, the binomial, negative binomial, hypergeometric and Poisson; STANDARDIZE, FISHER,
CONFIDENCE, PROB, Z.TEST, T.TEST, F.TEST and CHISQ.TEST, and their pre-2010 names (CHIDIST,
FDIST, BETADIST, TTEST and the others).

The normal quantile is the standard library's (Wichura's AS241, accurate to double precision);
the other distributions (and GAMMALN) are scipy's, imported at their first call: scipy.stats
takes half a second, and ``import cellgrad`` stays light (tests/test_layers.py)."""
from __future__ import annotations

import math
from statistics import NormalDist
from types import ModuleType

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import integer, number_pairs, numbers, optional, raise_first_error, same_shape
from .registry import Arg, excel_function

FAMILY = "Distributions"  # the heading of `cellgrad functions` and the README's coverage table

N, B, G, V = Arg.NUMBER, Arg.BOOL, Arg.GRID, Arg.VALUES
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


@excel_function("PHI", N)
def phi(x: float) -> float:
    """"PHI function": the standard normal density."""
    return _standard(x, False)


@excel_function("GAUSS", N)
def gauss(z: float) -> float:
    """"GAUSS function": NORM.S.DIST(z,TRUE) - 0.5, as erf so that small z keep their digits."""
    return 0.5 * math.erf(z / math.sqrt(2.0))


@excel_function("LOGNORM.DIST", N, N, N, B)
def lognorm_dist(x: float, mean: float, sd: float, cumulative: bool) -> float:
    """"LOGNORM.DIST function": x <= 0 or standard_dev <= 0 is #NUM!."""
    z = standardize(math.log(_positive(x)), mean, sd)
    return _standard(z, True) if cumulative else _standard(z, False) / (x * sd)


@excel_function("LOGNORM.INV", N, N, N)
def lognorm_inv(p: float, mean: float, sd: float) -> float:
    return checked_number(math.exp(norm_inv(p, mean, sd)))


# --- the other distributions, through scipy.stats ------------------------------------------------
def _stats() -> ModuleType:
    import scipy.stats  # here, not at the top: see the module's docstring
    return scipy.stats


def _value(x: object) -> float:
    """A scipy result as a number: NaN or an infinity (a density at its pole) is #NUM!."""
    return checked_number(float(x))  # type: ignore[arg-type]


def _probability_closed(p: float) -> float:
    """A probability in [0, 1] ("If probability < 0 or probability > 1, ... #NUM!")."""
    if not 0 <= p <= 1:
        raise ErrorResult(ExcelError.NUM)
    return p


def _probability_right_closed(p: float) -> float:
    """A probability in (0, 1] (T.INV, BETA.INV: "probability <= 0 or probability > 1")."""
    if not 0 < p <= 1:
        raise ErrorResult(ExcelError.NUM)
    return p


def _count(x: float) -> float:
    """A count truncated toward zero, kept a float: scipy takes no integer past 64 bits (a
    Python int from 1E+100 raised TypeError inside scipy)."""
    return float(integer(x))


def _degrees(df: float, ceiling: float = math.inf) -> float:
    """Degrees of freedom, truncated: below 1 (or above the page's ceiling, 10^10 for the
    chi-squared and F distributions) is #NUM!."""
    k = _count(df)
    if not 1 <= k <= ceiling:
        raise ErrorResult(ExcelError.NUM)
    return k


def _not_negative(x: float) -> float:
    if x < 0:
        raise ErrorResult(ExcelError.NUM)
    return x


def _distribution(dist, x: float, cumulative: bool) -> float:
    """The cumulative distribution or the density (mass) of a frozen scipy distribution at x."""
    if cumulative:
        return _value(dist.cdf(x))
    return _value(dist.pmf(x) if hasattr(dist, "pmf") else dist.pdf(x))


_LARGE_DF = 1e10  # "deg_freedom > 10^10" is #NUM! for the chi-squared and F distributions


# Student's t ("T.DIST function", "T.DIST.2T function", "T.DIST.RT function", "T.INV function",
# "T.INV.2T function", "TDIST function", "TINV function": deg_freedom truncated, < 1 is #NUM!)
@excel_function("T.DIST", N, N, B)
def t_dist(x: float, df: float, cumulative: bool) -> float:
    return _distribution(_stats().t(_degrees(df)), x, cumulative)


@excel_function("T.DIST.RT", N, N)
def t_dist_rt(x: float, df: float) -> float:
    return _value(_stats().t.sf(x, _degrees(df)))


@excel_function("T.DIST.2T", N, N)
def t_dist_2t(x: float, df: float) -> float:
    """x < 0 is #NUM!."""
    return 2.0 * t_dist_rt(_not_negative(x), df)


@excel_function("TDIST", N, N, N)
def tdist(x: float, df: float, tails: float) -> float:
    """The right tail (tails 1) or both (2); x < 0 or tails other than 1 or 2 is #NUM!."""
    k = integer(tails)
    if k not in (1, 2):
        raise ErrorResult(ExcelError.NUM)
    return k * t_dist_rt(_not_negative(x), df)


@excel_function("T.INV", N, N)
def t_inv(p: float, df: float) -> float:
    return _value(_stats().t.ppf(_probability_right_closed(p), _degrees(df)))


@excel_function("T.INV.2T", N, N)
def t_inv_2t(p: float, df: float) -> float:
    """The t whose two tails hold probability p."""
    return _value(_stats().t.isf(_probability_right_closed(p) / 2.0, _degrees(df)))


excel_function("TINV", N, N)(t_inv_2t)


# chi-squared ("CHISQ.DIST function" and its family: x < 0 is #NUM!, deg_freedom truncated, < 1
# or > 10^10 #NUM!; for the inverses, probability outside [0, 1] is #NUM!)
def _chi2(df: float):
    return _stats().chi2(_degrees(df, _LARGE_DF))


@excel_function("CHISQ.DIST", N, N, B)
def chisq_dist(x: float, df: float, cumulative: bool) -> float:
    return _distribution(_chi2(df), _not_negative(x), cumulative)


@excel_function("CHISQ.DIST.RT", N, N)
def chisq_dist_rt(x: float, df: float) -> float:
    return _value(_chi2(df).sf(_not_negative(x)))


@excel_function("CHISQ.INV", N, N)
def chisq_inv(p: float, df: float) -> float:
    return _value(_chi2(df).ppf(_probability_closed(p)))


@excel_function("CHISQ.INV.RT", N, N)
def chisq_inv_rt(p: float, df: float) -> float:
    return _value(_chi2(df).isf(_probability_closed(p)))


# "CHIDIST function" and "CHIINV function": the right tail and its inverse, the same rules
excel_function("CHIDIST", N, N)(chisq_dist_rt)
excel_function("CHIINV", N, N)(chisq_inv_rt)


# F ("F.DIST function", "F.DIST.RT function", "F.INV function", "F.INV.RT function": x < 0 and
# probability outside [0, 1] are #NUM!; both deg_freedoms truncated, < 1 #NUM!, and for the right
# tail >= 10^10 too)
def _f(df1: float, df2: float, ceiling: float = math.inf):
    return _stats().f(_degrees(df1, ceiling), _degrees(df2, ceiling))


@excel_function("F.DIST", N, N, N, B)
def f_dist(x: float, df1: float, df2: float, cumulative: bool) -> float:
    return _distribution(_f(df1, df2), _not_negative(x), cumulative)


@excel_function("F.DIST.RT", N, N, N)
def f_dist_rt(x: float, df1: float, df2: float) -> float:
    return _value(_f(df1, df2, _LARGE_DF).sf(_not_negative(x)))


@excel_function("F.INV", N, N, N)
def f_inv(p: float, df1: float, df2: float) -> float:
    return _value(_f(df1, df2).ppf(_probability_closed(p)))


@excel_function("F.INV.RT", N, N, N)
def f_inv_rt(p: float, df1: float, df2: float) -> float:
    return _value(_f(df1, df2, _LARGE_DF).isf(_probability_closed(p)))


# "FDIST function" and "FINV function": the right tail and its inverse, the same rules
excel_function("FDIST", N, N, N)(f_dist_rt)
excel_function("FINV", N, N, N)(f_inv_rt)


# gamma and beta ("GAMMA.DIST function", "GAMMA.INV function", "BETA.DIST function", "BETA.INV
# function": alpha <= 0 or beta <= 0 is #NUM!)
def _gamma(alpha: float, beta: float):
    return _stats().gamma(_positive(alpha), scale=_positive(beta))


@excel_function("GAMMA.DIST", N, N, N, B)
def gamma_dist(x: float, alpha: float, beta: float, cumulative: bool) -> float:
    """x < 0 is #NUM!."""
    return _distribution(_gamma(alpha, beta), _not_negative(x), cumulative)


@excel_function("GAMMA.INV", N, N, N)
def gamma_inv(p: float, alpha: float, beta: float) -> float:
    """probability outside [0, 1] is #NUM!."""
    return _value(_gamma(alpha, beta).ppf(_probability_closed(p)))


@excel_function("GAMMA", N)
def gamma(x: float) -> float:
    """"GAMMA function": 0 and the negative integers are #NUM!, as is a result past the largest
    number."""
    try:
        return checked_number(math.gamma(x))
    except (ValueError, OverflowError):
        raise ErrorResult(ExcelError.NUM) from None


@excel_function("GAMMALN", N)
def gammaln(x: float) -> float:
    """"GAMMALN function": x <= 0 is #NUM!. scipy's, which keeps its relative digits near 1 and
    2, where the logarithm is 0 (math.lgamma's lose four of them there)."""
    from scipy.special import gammaln as log_gamma  # at the first call: see the module docstring
    return _value(log_gamma(_positive(x)))


excel_function("GAMMALN.PRECISE", N)(gammaln)
excel_function("GAMMADIST", N, N, N, B)(gamma_dist)  # "GAMMADIST function": the same arguments
excel_function("GAMMAINV", N, N, N)(gamma_inv)


def _beta(alpha: float, beta: float, lower: float, upper: float):
    """The beta distribution over [A, B]; A >= B is #NUM! (an interval of no width)."""
    if not lower < upper:
        raise ErrorResult(ExcelError.NUM)
    return _stats().beta(_positive(alpha), _positive(beta), loc=lower, scale=upper - lower)


@excel_function("BETA.DIST", N, N, N, B, N, N, min_args=4)
def beta_dist(x: float, alpha: float, beta: float, cumulative: bool, lower: float | None = 0.0,
              upper: float | None = 1.0) -> float:
    """x < A or x > B is #NUM!; A and B default to 0 and 1."""
    a, b = optional(lower, 0.0), optional(upper, 1.0)
    dist = _beta(alpha, beta, a, b)
    if not a <= x <= b:
        raise ErrorResult(ExcelError.NUM)
    return _distribution(dist, x, cumulative)


@excel_function("BETA.INV", N, N, N, N, N, min_args=3)
def beta_inv(p: float, alpha: float, beta: float, lower: float | None = 0.0,
             upper: float | None = 1.0) -> float:
    """probability <= 0 or > 1 is #NUM!."""
    dist = _beta(alpha, beta, optional(lower, 0.0), optional(upper, 1.0))
    return _value(dist.ppf(_probability_right_closed(p)))


excel_function("BETAINV", N, N, N, N, N, min_args=3)(beta_inv)  # "BETAINV function"


@excel_function("BETADIST", N, N, N, N, N, min_args=3)
def betadist(x: float, alpha: float, beta: float, lower: float | None = 0.0,
             upper: float | None = 1.0) -> float:
    """"BETADIST function": BETA.DIST without its cumulative argument (always the distribution)."""
    return beta_dist(x, alpha, beta, True, lower, upper)


@excel_function("WEIBULL.DIST", N, N, N, B)
def weibull_dist(x: float, alpha: float, beta: float, cumulative: bool) -> float:
    """"WEIBULL.DIST function": x < 0, alpha <= 0 or beta <= 0 is #NUM!. The distribution is the
    page's 1 - e^-((x/beta)^alpha) as written (LibreOffice's too): a tail below 1E-16 is 0."""
    dist = _stats().weibull_min(_positive(alpha), scale=_positive(beta))
    if not cumulative:
        return _distribution(dist, _not_negative(x), False)
    try:
        power = (_not_negative(x) / beta) ** alpha
    except OverflowError:  # far past the scale: the distribution is 1
        power = math.inf
    return 1.0 - math.exp(-power)


excel_function("WEIBULL", N, N, N, B)(weibull_dist)  # "WEIBULL function": the same arguments


# counts: the binomial, negative binomial, hypergeometric and Poisson distributions; their counts
# are truncated to integers, as each page says
@excel_function("BINOM.DIST", N, N, N, B)
def binom_dist(successes: float, trials: float, p: float, cumulative: bool) -> float:
    """"BINOM.DIST function": number_s < 0, number_s > trials, or probability_s outside [0, 1]
    is #NUM!."""
    k, n = _count(successes), _count(trials)
    if not 0 <= k <= n:
        raise ErrorResult(ExcelError.NUM)
    return _distribution(_stats().binom(n, _probability_closed(p)), k, cumulative)


@excel_function("NEGBINOM.DIST", N, N, N, B)
def negbinom_dist(failures: float, successes: float, p: float, cumulative: bool) -> float:
    """"NEGBINOM.DIST function": the chance of number_f failures before the number_s-th
    success; probability_s outside [0, 1], number_f < 0 or number_s < 1 is #NUM!."""
    f, s = _count(failures), _count(successes)
    if f < 0 or s < 1:
        raise ErrorResult(ExcelError.NUM)
    if _probability_closed(p) == 0:
        return 0.0  # no success ever comes (scipy's nbinom wants p > 0)
    return _distribution(_stats().nbinom(s, p), f, cumulative)


@excel_function("HYPGEOM.DIST", N, N, N, N, B)
def hypgeom_dist(sample_s: float, sample: float, population_s: float, population: float,
                 cumulative: bool) -> float:
    """"HYPGEOM.DIST function": #NUM! where sample_s < 0 or > the smaller of number_sample and
    population_s, or below number_sample - number_pop + population_s; number_sample or
    population_s outside 1 to number_pop, or number_pop <= 0."""
    k, n, successes, total = (_count(v) for v in (sample_s, sample, population_s, population))
    if (total <= 0 or not 0 < n <= total or not 0 < successes <= total
            or not max(0, n - total + successes) <= k <= min(n, successes)):
        raise ErrorResult(ExcelError.NUM)
    return _distribution(_stats().hypergeom(total, successes, n), k, cumulative)


@excel_function("POISSON.DIST", N, N, B)
def poisson_dist(x: float, mean: float, cumulative: bool) -> float:
    """"POISSON.DIST function": x < 0 or mean < 0 is #NUM!."""
    k = _count(x)
    if k < 0:
        raise ErrorResult(ExcelError.NUM)
    return _distribution(_stats().poisson(_not_negative(mean)), k, cumulative)


@excel_function("BINOM.DIST.RANGE", N, N, N, N, min_args=3)
def binom_dist_range(trials: float, p: float, successes: float,
                     successes2: float | None = None) -> float:
    """"BINOM.DIST.RANGE function": the chance of number_s to number_s2 successes (number_s
    alone without it); trials < 0, probability_s outside [0, 1], number_s < 0 or > trials,
    number_s2 < number_s or > trials is #NUM!; the counts are truncated."""
    n, low = _count(trials), _count(successes)
    high = low if successes2 is None else _count(successes2)
    if not 0 <= low <= high <= n:
        raise ErrorResult(ExcelError.NUM)
    dist = _stats().binom(n, _probability_closed(p))
    # from the nearer tail, so that a small result keeps its digits
    if low > n * p:
        return _value(dist.sf(low - 1) - dist.sf(high))
    return _value(dist.cdf(high) - dist.cdf(low - 1))


@excel_function("BINOM.INV", N, N, N)
def binom_inv(trials: float, p: float, alpha: float) -> float:
    """"BINOM.INV function": the smallest count whose cumulative binomial distribution is at
    least alpha; trials < 0, probability_s or alpha outside [0, 1] is #NUM!."""
    n = _count(trials)
    if n < 0:
        raise ErrorResult(ExcelError.NUM)
    dist = _stats().binom(n, _probability_closed(p))
    return max(0.0, _value(dist.ppf(_probability_closed(alpha))))  # scipy's ppf(0) is -1


@excel_function("CRITBINOM", N, N, N)
def critbinom(trials: float, p: float, alpha: float) -> float:
    """"CRITBINOM function": BINOM.INV, but its page makes probability_s and alpha of 0 or 1
    #NUM! too."""
    _probability(p)
    _probability(alpha)
    return binom_inv(trials, p, alpha)


# Excel's pre-2010 names
excel_function("BINOMDIST", N, N, N, B)(binom_dist)
excel_function("POISSON", N, N, B)(poisson_dist)
excel_function("LOGINV", N, N, N)(lognorm_inv)


@excel_function("LOGNORMDIST", N, N, N)
def lognormdist(x: float, mean: float, sd: float) -> float:
    """"LOGNORMDIST function": always the cumulative distribution."""
    return lognorm_dist(x, mean, sd, True)


@excel_function("NEGBINOMDIST", N, N, N)
def negbinomdist(failures: float, successes: float, p: float) -> float:
    """"NEGBINOMDIST function": always the mass."""
    return negbinom_dist(failures, successes, p, False)


@excel_function("HYPGEOMDIST", N, N, N, N)
def hypgeomdist(sample_s: float, sample: float, population_s: float, population: float) -> float:
    """"HYPGEOMDIST function": always the mass."""
    return hypgeom_dist(sample_s, sample, population_s, population, False)


# --- transformations, intervals and tests --------------------------------------------------------
@excel_function("FISHER", N)
def fisher(x: float) -> float:
    """"FISHER function": x <= -1 or x >= 1 is #NUM!."""
    if not -1 < x < 1:
        raise ErrorResult(ExcelError.NUM)
    return math.atanh(x)


@excel_function("FISHERINV", N)
def fisherinv(y: float) -> float:
    return math.tanh(y)


def _interval(alpha: float, sd: float, size: float) -> tuple[float, int]:
    """"CONFIDENCE.NORM function": alpha outside (0, 1), standard_dev <= 0 or size < 1 is #NUM!;
    size is truncated. Returns the standard error and the size."""
    n = integer(size)
    _probability(alpha)
    if n < 1:
        raise ErrorResult(ExcelError.NUM)
    return _positive(sd) / math.sqrt(n), n


@excel_function("CONFIDENCE.NORM", N, N, N)
def confidence_norm(alpha: float, sd: float, size: float) -> float:
    error, _ = _interval(alpha, sd, size)
    return norm_s_inv(1.0 - alpha / 2.0) * error


excel_function("CONFIDENCE", N, N, N)(confidence_norm)


@excel_function("CONFIDENCE.T", N, N, N)
def confidence_t(alpha: float, sd: float, size: float) -> float:
    """"CONFIDENCE.T function": the same rules, and size 1 is #DIV/0! (no degrees of freedom)."""
    error, n = _interval(alpha, sd, size)
    if n == 1:
        raise ErrorResult(ExcelError.DIV0)
    return t_inv_2t(alpha, n - 1) * error


@excel_function("PROB", G, G, N, N, min_args=3)
def prob(xs: Array, probabilities: Array, lower: float, upper: float | None = None) -> float:
    """"PROB function": the sum of the probabilities of the x in [lower, upper] (x = lower
    without upper); a probability <= 0 or > 1, or probabilities not summing to 1, is #NUM!;
    ranges of different counts #N/A."""
    pairs = number_pairs(xs, probabilities)
    if any(not 0 < p <= 1 for _, p in pairs):
        raise ErrorResult(ExcelError.NUM)
    # the sum of decimal fractions is 1 only to the last bits of a double
    if not math.isclose(math.fsum(p for _, p in pairs), 1.0, rel_tol=1e-14):
        raise ErrorResult(ExcelError.NUM)
    high = lower if upper is None else upper
    return math.fsum(p for x, p in pairs if lower <= x <= high)


@excel_function("Z.TEST", V, N, N, min_args=2)
def z_test(data, x: float, sigma: float | None = None) -> float:
    """"Z.TEST function": 1 - NORM.S.DIST((AVERAGE(array) - x) / (sigma/sqrt(n)), TRUE), sigma
    the sample standard deviation when omitted; an empty array is #N/A."""
    xs = list(numbers((data,)))
    n = len(xs)
    if n == 0:
        raise ErrorResult(ExcelError.NA)
    mean = math.fsum(xs) / n
    if sigma is None:
        if n < 2:
            raise ErrorResult(ExcelError.DIV0)
        sigma = math.sqrt(math.fsum((v - mean) * (v - mean) for v in xs) / (n - 1))
    if sigma == 0:
        raise ErrorResult(ExcelError.DIV0)
    return 1.0 - _standard((mean - x) / (sigma / math.sqrt(n)), True)


def _mean_and_squares(xs: list[float]) -> tuple[int, float, float]:
    """n, the mean and the sum of squared deviations; fewer than 2 numbers is #DIV/0!."""
    n = len(xs)
    if n < 2:
        raise ErrorResult(ExcelError.DIV0)
    mean = math.fsum(xs) / n
    return n, mean, checked_number(math.fsum((v - mean) * (v - mean) for v in xs))


def _t_statistic(a: Array, b: Array, kind: int) -> tuple[float, float]:
    """The t statistic and its degrees of freedom: paired (1), two samples of equal variance (2)
    or of unequal variance (3, Welch's)."""
    if kind == 1:
        n, mean, ss = _mean_and_squares([x - y for x, y in number_pairs(a, b)])
        standard_error = math.sqrt(ss / (n - 1) / n)
        df = n - 1.0
    else:
        raise_first_error(a, b)
        nx, mx, ssx = _mean_and_squares(list(numbers((a,))))
        ny, my, ssy = _mean_and_squares(list(numbers((b,))))
        mean = mx - my
        if kind == 2:
            df = nx + ny - 2.0
            standard_error = math.sqrt((ssx + ssy) / df * (1.0 / nx + 1.0 / ny))
        else:
            vx, vy = ssx / (nx - 1) / nx, ssy / (ny - 1) / ny
            standard_error = math.sqrt(vx + vy)
            if vx + vy == 0:
                raise ErrorResult(ExcelError.DIV0)
            df = (vx + vy) ** 2 / (vx * vx / (nx - 1) + vy * vy / (ny - 1))
    if standard_error == 0:
        raise ErrorResult(ExcelError.DIV0)
    return mean / standard_error, df


@excel_function("T.TEST", G, G, N, N)
def t_test(a: Array, b: Array, tails: float, kind: float) -> float:
    """"T.TEST function": tails and type truncated; tails other than 1 or 2, type other than 1, 2
    or 3 is #NUM!; paired data of different counts #N/A."""
    tails_, kind_ = integer(tails), integer(kind)
    if tails_ not in (1, 2) or kind_ not in (1, 2, 3):
        raise ErrorResult(ExcelError.NUM)
    t, df = _t_statistic(a, b, kind_)
    return tails_ * _value(_stats().t.sf(abs(t), df))


@excel_function("F.TEST", G, G)
def f_test(a: Array, b: Array) -> float:
    """"F.TEST function": the two-tailed probability that the variances do not differ; text,
    logicals and empty cells are left out; fewer than 2 numbers, or a variance of 0, is
    #DIV/0!."""
    raise_first_error(a, b)
    na, _, ssa = _mean_and_squares(list(numbers((a,))))
    nb, _, ssb = _mean_and_squares(list(numbers((b,))))
    if ssa == 0 or ssb == 0:
        raise ErrorResult(ExcelError.DIV0)
    dist = _stats().f(na - 1, nb - 1)
    ratio = (ssa / (na - 1)) / (ssb / (nb - 1))
    return _value(min(1.0, 2.0 * min(dist.cdf(ratio), dist.sf(ratio))))


@excel_function("CHISQ.TEST", G, G)
def chisq_test(actual: Array, expected: Array) -> float:
    """"CHISQ.TEST function": ranges of different dimensions or a single cell are #N/A; the
    degrees of freedom are (r-1)(c-1), or n-1 for one row or column. An expected 0 is #DIV/0!,
    a negative one #NUM!. The page says nothing of text: as LibreOffice, text is #VALUE! and a
    pair with an empty cell is left out."""
    if not same_shape(actual, expected) or actual.height * actual.width == 1:
        raise ErrorResult(ExcelError.NA)
    raise_first_error(actual, expected)
    r, c = actual.height, actual.width
    df = (r - 1) * (c - 1) if r > 1 and c > 1 else r * c - 1
    total = 0.0
    for a, e in zip(actual, expected):
        if type(a) is str or type(e) is str:
            raise ErrorResult(ExcelError.VALUE)
        if type(a) is not float or type(e) is not float:
            continue
        if e < 0:
            raise ErrorResult(ExcelError.NUM)
        if e == 0:
            raise ErrorResult(ExcelError.DIV0)
        total += (a - e) * (a - e) / e  # type: ignore[operator]
    return _value(_stats().chi2.sf(checked_number(total), df))


# Excel's pre-2010 names of the tests
excel_function("ZTEST", V, N, N, min_args=2)(z_test)
excel_function("TTEST", G, G, N, N)(t_test)
excel_function("CHITEST", G, G)(chisq_test)
excel_function("FTEST", G, G)(f_test)
