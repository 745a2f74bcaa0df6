"""Math: arithmetic helpers, rounding, counting, the SUM family, MMULT (trigonometry: trig.py)."""
from __future__ import annotations

import math
from decimal import (ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal,
                     localcontext)

from ..core.values import (Array, ErrorResult, ExcelError, Scalar, checked_number, significant,
                           to_number)
from .arguments import number_pairs, numbers, optional, raise_first_error, same_shape
from .array_kernels import ArrayContext, Fallback, Vec
from .registry import Arg, excel_function

FAMILY = "Math"  # the heading of `cellgrad functions` and the README's coverage table

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


@excel_function("ABS", N, kernel=lambda ctx, x: ctx.ops.xp.abs(x))
def abs_(x: float) -> float:
    return abs(x)


@excel_function("SIGN", N)
def sign(x: float) -> float:
    return float((x > 0) - (x < 0))


@excel_function("INT", N)
def int_(x: float) -> float:
    return float(math.floor(x))


# KB 119083 "XL: MOD() Function Returns #NUM! Error Value": MOD gives #NUM! when the quotient is
# too large. Today's Excel accepts larger quotients than that note's 2^27; past 2^53 the quotient's
# integer part is no longer exact, so no remainder can be trusted: #NUM! there.
_MOD_QUOTIENT_LIMIT = 2.0 ** 53


@excel_function("MOD", N, N)
def mod(x: float, y: float) -> float:
    if y == 0:
        raise ErrorResult(ExcelError.DIV0)
    quotient = x / y
    if not abs(quotient) < _MOD_QUOTIENT_LIMIT:
        raise ErrorResult(ExcelError.NUM)
    return checked_number(x - y * math.floor(quotient))


@excel_function("PI")
def pi() -> float:
    return math.pi


@excel_function("POWER", N, N)
def power_(base: float, exponent: float) -> float:
    return power(base, exponent)


@excel_function("SQRT", N, kernel=lambda ctx, x: ctx.ops.xp.sqrt(x))
def sqrt(x: float) -> float:
    if x < 0:
        raise ErrorResult(ExcelError.NUM)
    return math.sqrt(x)


@excel_function("EXP", N, kernel=lambda ctx, x: ctx.ops.xp.exp(x))
def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise ErrorResult(ExcelError.NUM) from None


@excel_function("LN", N, kernel=lambda ctx, x: ctx.ops.xp.log(x))
def ln(x: float) -> float:
    if x <= 0:
        raise ErrorResult(ExcelError.NUM)
    return math.log(x)


@excel_function("LOG10", N, kernel=lambda ctx, x: ctx.ops.xp.log10(x))
def log10(x: float) -> float:
    if x <= 0:
        raise ErrorResult(ExcelError.NUM)
    return math.log10(x)


def _log_kernel(ctx: ArrayContext, x, base=None):
    xp = ctx.ops.xp
    if base is None:
        return xp.log10(x)
    return ctx.ops.where(base == 10.0, xp.log10(x), xp.log(x) / xp.log(base))


@excel_function("LOG", N, N, min_args=1, kernel=_log_kernel)
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
# A multiple of 10^309 is beyond Excel's largest number (about 1.8E+308): #NUM!.
_COARSEST_PLACES = -308


def _round(x: float, digits: float, rounding: str) -> float:
    # Excel rounds the decimal number it shows, not the binary one: ROUND(2.675, 2) is 2.68.
    places = int(digits)
    if places > 15:
        return x
    if places < _COARSEST_PLACES:
        raise ErrorResult(ExcelError.NUM)
    quantum = Decimal(1).scaleb(-places)
    with localcontext() as context:
        context.prec = _ROUND_PRECISION  # the default 28 digits cannot hold ROUND(1E+300, 2)
        return checked_number(float(Decimal(repr(x)).quantize(quantum, rounding=rounding)))


@excel_function("ROUND", N, N)
def round_(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_HALF_UP)


@excel_function("ROUNDUP", N, N)
def roundup(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_UP)


@excel_function("ROUNDDOWN", N, N)
def rounddown(x: float, digits: float) -> float:
    return _round(x, digits, ROUND_DOWN)


def _to_multiple(x: float, step: float, rounding: str) -> float:
    """x rounded to a multiple of |step| in the given Decimal rounding. The quotient is taken at
    Excel's 15 significant digits, so FLOOR.MATH(1.58,0.1) is 1.5 and MROUND(1.3,0.2) is 1.4
    although their binary quotients are 15.7999... and 6.4999...; the multiple is exact decimal."""
    quotient = x / abs(step)
    if quotient - quotient != 0:
        raise ErrorResult(ExcelError.NUM)
    with localcontext() as context:
        context.prec = _ROUND_PRECISION
        q = significant(quotient).to_integral_value(rounding=rounding)
        return checked_number(float(q * Decimal(repr(abs(step)))))


@excel_function("CEILING.MATH", N, N, N, min_args=1)
def ceiling_math(x: float, significance: float = 1.0, mode: float = 0.0) -> float:
    """Round up to a multiple of |significance|; negative numbers toward zero unless mode != 0."""
    if not significance:
        return 0.0
    return _to_multiple(x, significance, ROUND_FLOOR if (x < 0 and mode) else ROUND_CEILING)


@excel_function("FLOOR.MATH", N, N, N, min_args=1)
def floor_math(x: float, significance: float = 1.0, mode: float = 0.0) -> float:
    """"FLOOR.MATH function": down to a multiple of |significance|; negative numbers away from
    zero, or toward zero when mode is not 0."""
    if not significance:
        return 0.0
    return _to_multiple(x, significance, ROUND_CEILING if (x < 0 and mode) else ROUND_FLOOR)


def _legacy_step(x: float, significance: float) -> None:
    if x > 0 and significance < 0:
        raise ErrorResult(ExcelError.NUM)


@excel_function("FLOOR", N, N)
def floor(x: float, significance: float) -> float:
    """"FLOOR function": down (toward minus infinity) to a multiple of significance; with a
    negative significance a negative number goes toward zero; a positive one is #NUM!."""
    _legacy_step(x, significance)
    if significance == 0:
        if x == 0:
            return 0.0
        raise ErrorResult(ExcelError.DIV0)
    return _to_multiple(x, significance, ROUND_DOWN if significance < 0 else ROUND_FLOOR)


@excel_function("CEILING", N, N)
def ceiling(x: float, significance: float) -> float:
    """"CEILING function": up to a multiple of significance; with a negative significance a
    negative number goes away from zero."""
    _legacy_step(x, significance)
    if significance == 0:
        return 0.0
    return _to_multiple(x, significance, ROUND_UP if significance < 0 else ROUND_CEILING)


@excel_function("MROUND", N, N)
def mround(x: float, multiple: float) -> float:
    """"MROUND function": to the nearest multiple, halves away from zero; signs must agree."""
    if multiple == 0:
        return 0.0
    if x * multiple < 0:
        raise ErrorResult(ExcelError.NUM)
    return _to_multiple(x, multiple, ROUND_HALF_UP)


@excel_function("TRUNC", N, N, min_args=1)
def trunc(x: float, digits: float | None = 0.0) -> float:
    return _round(x, optional(digits, 0.0), ROUND_DOWN)


@excel_function("EVEN", N)
def even(x: float) -> float:
    """Away from zero to the nearest even integer."""
    return math.copysign(2.0 * math.ceil(abs(x) / 2.0), x) + 0.0


@excel_function("ODD", N)
def odd(x: float) -> float:
    """Away from zero to the nearest odd integer (ODD(0) is 1)."""
    up = math.ceil(abs(x))
    return math.copysign(float(up if up % 2 else up + 1), x if x else 1.0)


@excel_function("QUOTIENT", N, N)
def quotient(numerator: float, denominator: float) -> float:
    return float(math.trunc(divide(numerator, denominator)))


def _exact(n: int) -> float:
    try:
        return checked_number(float(n))
    except OverflowError:
        raise ErrorResult(ExcelError.NUM) from None


def _counts(*xs: float) -> list[int]:
    """Whole counts for the combinatorial functions: never negative, -0.5 included ("FACT
    function": a negative number is #NUM!), then truncated."""
    if any(x < 0 for x in xs):
        raise ErrorResult(ExcelError.NUM)
    return [math.trunc(x) for x in xs]


@excel_function("FACT", N)
def fact(x: float) -> float:
    (n,) = _counts(x)
    if n > 170:  # 171! is past Excel's largest number
        raise ErrorResult(ExcelError.NUM)
    return float(math.factorial(n))


def _within_range(a: int, b: int, *, ordered: bool) -> None:
    """#NUM! where PERMUT(a,b) (ordered) or COMBIN(a,b) is past about 1.8E+308, found from its
    logarithm before exact integer arithmetic could take minutes. The difference of lgammas
    cancels for a huge a (PERMUT(1E+300,1E+15) came out 0 and the exact product of 1E+15 factors
    never ended), so first a bound below: m factors of at least ``least`` each, (a-b+1)^b
    ordered, (a/m)^m for m = min(b, a-b) unordered; within it m is at most 1,024, or ``least``
    is 1 and lgamma has nothing to cancel."""
    m = b if ordered else min(b, a - b)
    least = a - b + 1 if ordered else a / max(m, 1)
    if m > 0 and least > 1 and m * math.log(least) > 710:
        raise ErrorResult(ExcelError.NUM)
    size = math.lgamma(a + 1) - math.lgamma(a - b + 1) - (0.0 if ordered else math.lgamma(b + 1))
    if size > 710:
        raise ErrorResult(ExcelError.NUM)


def _arrangements(n: float, k: float, *, ordered: bool) -> float:
    """PERMUT (ordered) and COMBIN: #NUM! for negative counts, k > n, or a count past about
    1.8E+308."""
    a, b = _counts(n, k)
    if a < b:
        raise ErrorResult(ExcelError.NUM)
    _within_range(a, b, ordered=ordered)
    return _exact(math.perm(a, b) if ordered else math.comb(a, b))


@excel_function("COMBIN", N, N)
def combin(n: float, k: float) -> float:
    return _arrangements(n, k, ordered=False)


@excel_function("PERMUT", N, N)
def permut(n: float, k: float) -> float:
    return _arrangements(n, k, ordered=True)


# "GCD function": "If a parameter to GCD is >=2^53, GCD returns the #NUM! error value";
# "LCM function": "If LCM(a,b) >=2^53, LCM returns the #NUM! error value"
_WHOLE_LIMIT = 2 ** 53


@excel_function("GCD", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def gcd(*args) -> float:
    counts = _counts(*numbers(args))
    if any(c >= _WHOLE_LIMIT for c in counts):
        raise ErrorResult(ExcelError.NUM)
    return float(math.gcd(*counts))


@excel_function("LCM", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def lcm(*args) -> float:
    result = math.lcm(*_counts(*numbers(args)))
    if result >= _WHOLE_LIMIT:
        raise ErrorResult(ExcelError.NUM)
    return float(result)


@excel_function("SQRTPI", N)
def sqrtpi(x: float) -> float:
    return sqrt(x * math.pi)


# --- the SUM family ------------------------------------------------------------------------
V = Arg.VALUES
G = Arg.GRID


# Kernels: one range per cell (an (N, h, w) Vec, empty cells 0). The compiled forms add the
# range's numbers in order, as the scalar rules do.
def _one_range(ctx: ArrayContext, args: tuple) -> Vec:
    if len(args) != 1:
        raise Fallback
    return ctx.values(args[0])


def _sum_kernel(ctx: ArrayContext, *args):
    return ctx.ops.sum(_one_range(ctx, args).flat())


def _sumsq_kernel(ctx: ArrayContext, *args):
    x = _one_range(ctx, args).flat()
    return ctx.ops.sum(x * x)


def added(terms: list[str]) -> str:
    """Python source adding the terms in order (the compiled plans' sums)."""
    return "(" + " + ".join(["0.0", *terms]) + ")"


@excel_function("SUM", V, repeat=V, min_args=1, kernel=_sum_kernel, compiled=added)
def sum_(*args) -> float:
    total = 0.0
    for x in numbers(args):
        total += x
    return checked_number(total)


@excel_function("SUMSQ", V, repeat=V, min_args=1, kernel=_sumsq_kernel,
                compiled=lambda names: added([f"{v} * {v}" for v in names]))
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


def _sumxmy2_kernel(ctx: ArrayContext, x, y):
    """Sum of squared differences; Excel skips the pairs where either cell is empty."""
    a, b = ctx.values(x), ctx.values(y)
    if a.x.shape != b.x.shape:
        raise Fallback
    d = a.flat() - b.flat()
    skipped = a.empty_mask() | b.empty_mask()
    if skipped.any():
        d = ctx.ops.where(ctx.ops.mask(~skipped.reshape(d.shape)), d, 0.0)
    return ctx.ops.sum(d * d)


@excel_function("SUMXMY2", G, G, kernel=_sumxmy2_kernel)
def sumxmy2(x: Array, y: Array) -> float:
    """Sum of squared differences over the pairs where both sides are numbers."""
    return checked_number(sum((a - b) * (a - b) for a, b in number_pairs(x, y)))


@excel_function("SUMX2MY2", G, G)
def sumx2my2(x: Array, y: Array) -> float:
    """"SUMX2MY2 function": the sum of the difference of squares of corresponding values."""
    return checked_number(sum(a * a - b * b for a, b in number_pairs(x, y)))


@excel_function("SUMX2PY2", G, G)
def sumx2py2(x: Array, y: Array) -> float:
    """"SUMX2PY2 function": the sum of the sum of squares of corresponding values."""
    return checked_number(sum(a * a + b * b for a, b in number_pairs(x, y)))


def _sumproduct_kernel(ctx: ArrayContext, *args):
    ranges = [ctx.values(a) for a in args]
    shape = ranges[0].x.shape
    if any(r.x.shape != shape for r in ranges):
        raise Fallback
    product = ranges[0].flat()
    for r in ranges[1:]:
        product = product * r.flat()
    return ctx.ops.sum(product)


@excel_function("SUMPRODUCT", G, repeat=G, min_args=1, kernel=_sumproduct_kernel)
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


def _mmult_kernel(ctx: ArrayContext, x, y):
    """The matrix product in an array formula; in a normal cell, its top-left entry."""
    a, b = ctx.values(x), ctx.values(y)
    if a.empty is not None or b.empty is not None or a.x.shape[2] != b.x.shape[1]:
        raise Fallback  # an empty cell makes MMULT #VALUE!
    if ctx.array_formula:
        return ctx.ops.matmul(a.x, b.x)
    # in a normal cell, only a row times a column: a larger product may fail elsewhere than
    # in the entry the cell shows
    if a.x.shape[1] != 1 or b.x.shape[2] != 1:
        raise Fallback
    return ctx.ops.matmul(a.x, b.x).reshape(-1)  # (N, 1, 1): a reshape records no gather


@excel_function("MMULT", G, G, array_result=True, elementwise=False, kernel=_mmult_kernel)
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


# --- more rounding and counting ---------------------------------------------------------------
@excel_function("CEILING.PRECISE", N, N, min_args=1)
def ceiling_precise(x: float, significance: float | None = 1.0) -> float:
    """"CEILING.PRECISE function": up to a multiple of |significance| whatever the signs (as
    CEILING.MATH with mode 0); significance 0 gives 0."""
    return ceiling_math(x, optional(significance, 1.0))


@excel_function("ISO.CEILING", N, N, min_args=1)
def iso_ceiling(x: float, significance: float | None = 1.0) -> float:
    """"ISO.CEILING function": the same rounding as CEILING.PRECISE."""
    return ceiling_precise(x, significance)


@excel_function("FLOOR.PRECISE", N, N, min_args=1)
def floor_precise(x: float, significance: float | None = 1.0) -> float:
    """"FLOOR.PRECISE function": down to a multiple of |significance| whatever the signs."""
    return floor_math(x, optional(significance, 1.0))


# 300!! (about 8.2E+307) is the last double factorial below Excel's largest number.
_DOUBLE_FACTORIAL_LIMIT = 300


@excel_function("FACTDOUBLE", N)
def factdouble(x: float) -> float:
    """"FACTDOUBLE function": n(n-2)(n-4)...; a negative number is #NUM!, a fraction truncated."""
    (n,) = _counts(x)
    if n > _DOUBLE_FACTORIAL_LIMIT:
        raise ErrorResult(ExcelError.NUM)
    return _exact(math.prod(range(n, 0, -2)))


@excel_function("MULTINOMIAL", V, repeat=V, min_args=1)
def multinomial(*args) -> float:
    """"MULTINOMIAL function": (a+b+...)! / (a!b!...), each number truncated; a negative one is
    #NUM!. Found as a product of binomial coefficients, after its size is known to fit."""
    counts = _counts(*numbers(args))
    if math.lgamma(sum(counts) + 1) - sum(math.lgamma(k + 1) for k in counts) > 710:
        raise ErrorResult(ExcelError.NUM)  # the whole, before a long product (100,000 ones)
    result, seen = 1, 0
    for k in counts:
        seen += k
        _within_range(seen, k, ordered=False)  # each factor fits, or the product cannot
        result *= math.comb(seen, k)
    return _exact(result)


@excel_function("COMBINA", N, N)
def combina(n: float, k: float) -> float:
    """"COMBINA function": combinations with repetitions, C(n+k-1, k); number must be at least
    number_chosen, both not negative (#NUM!)."""
    a, b = _counts(n, k)
    if a < b:
        raise ErrorResult(ExcelError.NUM)
    return 1.0 if b == 0 else _arrangements(a + b - 1, b, ordered=False)


@excel_function("PERMUTATIONA", N, N)
def permutationa(n: float, k: float) -> float:
    """"PERMUTATIONA function": n^k, both truncated; negative, or none to choose from when some
    are chosen (0 and more than 0), is #NUM!."""
    a, b = _counts(n, k)
    if a == 0 and b > 0:
        raise ErrorResult(ExcelError.NUM)
    if b and b * math.log(max(a, 1)) > 710:
        raise ErrorResult(ExcelError.NUM)
    return _exact(a ** b)


@excel_function("SERIESSUM", N, N, N, G)
def seriessum(x: float, n: float, m: float, coefficients: Array) -> float:
    """"SERIESSUM function": the sum of a_i * x^(n + i*m) over the coefficients in order; a
    coefficient that is not a number is #VALUE!."""
    raise_first_error(coefficients)
    total = 0.0
    for i, a in enumerate(coefficients):
        if type(a) is not float:
            raise ErrorResult(ExcelError.VALUE)
        total += a * power(x, n + i * m)
    return checked_number(total)


# --- Roman numerals and other bases -----------------------------------------------------------
_ROMAN = "MDCLXVI"
_ROMAN_VALUES = (1000, 500, 100, 50, 10, 5, 1)
_ROMAN_LIMIT = 3999
_BASE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LONGEST_TEXT = 255       # "ARABIC function", "BASE function", "DECIMAL function"
_BASE_LIMIT = 2.0 ** 53   # "BASE function": number below 2^53


def _roman(value: int, form: int) -> str:
    """Roman numerals in the "ROMAN function"'s forms: classic (0) writes 4s and 9s with the
    digit's own letter before the next (IV, XC); each form further (up to 4, simplified) lets
    that letter be replaced by one up to `form` letters smaller, provided the pair still fits in
    what is left (499: CDXCIX, LDVLIV, XDIX, VDIV, ID)."""
    out = []
    for place in range(0, len(_ROMAN), 2):      # M, C, X, I: thousands down to units
        digit = value // _ROMAN_VALUES[place]
        if digit % 5 == 4:
            larger = place - 1 if digit == 4 else place - 2   # D for 400, M for 900
            smaller = place
            while smaller - place < form and smaller + 1 < len(_ROMAN) and \
                    _ROMAN_VALUES[larger] - _ROMAN_VALUES[smaller + 1] <= value:
                smaller += 1
            out.append(_ROMAN[smaller] + _ROMAN[larger])
            value -= _ROMAN_VALUES[larger] - _ROMAN_VALUES[smaller]
            continue
        if digit >= 5:
            out.append(_ROMAN[place - 1])
        out.append(_ROMAN[place] * (digit % 5))
        value -= digit * _ROMAN_VALUES[place]
    return "".join(out)


@excel_function("ROMAN", N, Arg.SCALAR, min_args=1)
def roman(number: float, form: Scalar = 0.0) -> str:
    """"ROMAN function": 0 to 3999 (#VALUE! outside), truncated; form 0 to 4, truncated, TRUE
    as 0 and FALSE as 4, an empty form 0; a negative number or form, or a form past 4, #VALUE!."""
    style = (0.0 if form else 4.0) if type(form) is bool else to_number(form)
    if number < 0 or int(number) > _ROMAN_LIMIT or style < 0 or int(style) > 4:
        raise ErrorResult(ExcelError.VALUE)
    return _roman(int(number), int(style))


@excel_function("ARABIC", Arg.SCALAR)
def arabic(text: Scalar) -> float:
    """"ARABIC function": a Roman numeral read in any case, a letter before a larger one
    subtracted; a leading minus sign for a negative number; leading and trailing spaces ignored;
    "" is 0; a number, or text of other letters or over 255 characters, is #VALUE!."""
    if text is None:
        return 0.0
    if type(text) is not str or len(text) > _LONGEST_TEXT:
        raise ErrorResult(ExcelError.VALUE)
    letters = text.strip().upper()
    sign = -1.0 if letters.startswith("-") else 1.0
    letters = letters[1:] if sign < 0 else letters
    if any(c not in _ROMAN for c in letters):
        raise ErrorResult(ExcelError.VALUE)
    values = [_ROMAN_VALUES[_ROMAN.index(c)] for c in letters]
    total = sum(-v if v < after else v for v, after in zip(values, values[1:] + [0]))
    return sign * total


def radix_digits(value: int, radix: int) -> str:
    """A non-negative integer in radix 2 to 36, upper-case letters past 9 ("BASE function")."""
    out = []
    while True:
        value, digit = divmod(value, radix)
        out.append(_BASE_DIGITS[digit])
        if not value:
            return "".join(reversed(out))


def radix_value(text: str, radix: int) -> int:
    """The integer that text (any case) writes in the radix; "" is 0; a character that is no
    digit of the radix is #NUM! ("DECIMAL function", "HEX2DEC function")."""
    digits = text.upper()
    if any(c not in _BASE_DIGITS[:radix] for c in digits):
        raise ErrorResult(ExcelError.NUM)
    return int(digits, radix) if digits else 0


@excel_function("BASE", N, N, N, min_args=2)
def base(number: float, radix: float, min_length: float | None = 0.0) -> str:
    """"BASE function": number (0 <= number < 2^53) in radix 2 to 36, padded with zeros to
    min_length (0 to 255); each truncated; outside those limits #NUM!."""
    width = int(optional(min_length, 0.0))
    r = int(radix)
    if not 0 <= number < _BASE_LIMIT or not 2 <= r <= 36 or not 0 <= width <= _LONGEST_TEXT:
        raise ErrorResult(ExcelError.NUM)
    return radix_digits(int(number), r).rjust(width, "0")


@excel_function("DECIMAL", Arg.TEXT, N)
def decimal(text: str, radix: float) -> float:
    """"DECIMAL function": text (at most 255 characters, any case) read in radix 2 to 36
    (truncated); a radix outside that, or a character that is no digit of it, is #NUM!."""
    r = int(radix)
    if not 2 <= r <= 36:
        raise ErrorResult(ExcelError.NUM)
    if len(text) > _LONGEST_TEXT:
        raise ErrorResult(ExcelError.VALUE)
    return _exact(radix_value(text, r))
