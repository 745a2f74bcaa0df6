"""Engineering: number bases in 10-character two's complement, DELTA and GESTEP, the error
function, bitwise operations and CONVERT. Each rule is from the function's Microsoft page."""
from __future__ import annotations

import math
from fractions import Fraction

from ..core.values import ErrorResult, ExcelError, checked_number
from .arguments import integer, optional
from .math import radix_digits, radix_value
from .registry import Arg, excel_function

FAMILY = "Engineering"  # the heading of `cellgrad functions` and the README's coverage table

N, T = Arg.NUMBER, Arg.TEXT

# --- number bases ---------------------------------------------------------------------------
# "BIN2DEC function" and the others: a number is at most 10 characters (bits, octal or hex
# digits); the most significant one is the sign bit, negative numbers in two's complement.
_WIDTH = 10


def _parse(text: str, radix: int) -> int:
    """The signed value of a binary, octal or hexadecimal number: more than 10 characters, or a
    character that is not a digit of the radix, is #NUM!. Empty text is 0."""
    if len(text) > _WIDTH:
        raise ErrorResult(ExcelError.NUM)
    value = radix_value(text, radix)
    full = radix ** _WIDTH
    return value - full if len(text) == _WIDTH and value >= full // 2 else value


def _format(value: int, radix: int, places: float | None) -> str:
    """``value`` in the radix: past the 10 characters' signed range #NUM!; places (truncated)
    below 1 or above 10 #NUM!; a negative number as its 10-character two's complement, places
    ignored; otherwise padded to places, #NUM! when it needs more characters."""
    full = radix ** _WIDTH
    width = None if places is None else integer(places)
    if not -full // 2 <= value < full // 2 or width is not None and not 1 <= width <= _WIDTH:
        raise ErrorResult(ExcelError.NUM)
    if value < 0:
        return radix_digits(value + full, radix)
    text = radix_digits(value, radix)
    if width is None:
        return text
    if len(text) > width:
        raise ErrorResult(ExcelError.NUM)
    return text.rjust(width, "0")


def _base_function(name: str, source: int | None, target: int | None) -> None:
    """Register ``name``, converting from ``source`` to ``target`` (None: decimal)."""
    if target is None:
        @excel_function(name, T)
        def to_decimal(text: str) -> float:
            return float(_parse(text, source))  # type: ignore[arg-type]
        return
    if source is None:
        @excel_function(name, N, N, min_args=1)
        def from_decimal(number: float, places: float | None = None) -> str:
            return _format(integer(number), target, places)  # type: ignore[arg-type]
        return

    @excel_function(name, T, N, min_args=1)
    def between(text: str, places: float | None = None) -> str:
        return _format(_parse(text, source), target, places)  # type: ignore[arg-type]


_RADIXES = {"BIN": 2, "OCT": 8, "DEC": None, "HEX": 16}
for _source_name, _source in _RADIXES.items():
    for _target_name, _target in _RADIXES.items():
        if _source_name != _target_name:
            _base_function(f"{_source_name}2{_target_name}", _source, _target)


# --- DELTA, GESTEP, the error function -------------------------------------------------------
@excel_function("DELTA", N, N, min_args=1)
def delta(number1: float, number2: float | None = 0.0) -> float:
    """"DELTA function": 1 if the numbers are equal, else 0; number2 defaults to 0."""
    return 1.0 if number1 == optional(number2, 0.0) else 0.0


@excel_function("GESTEP", N, N, min_args=1)
def gestep(number: float, step: float | None = 0.0) -> float:
    """"GESTEP function": 1 if number >= step, else 0; step defaults to 0."""
    return 1.0 if number >= optional(step, 0.0) else 0.0


@excel_function("ERF", N, N, min_args=1)
def erf(lower: float, upper: float | None = None) -> float:
    """"ERF function": erf integrated from 0 to lower_limit, or between the two limits."""
    if upper is None:
        return math.erf(lower)
    return math.erf(upper) - math.erf(lower)


@excel_function("ERF.PRECISE", N)
def erf_precise(x: float) -> float:
    return math.erf(x)


@excel_function("ERFC", N)
def erfc(x: float) -> float:
    """"ERFC function": 1 - ERF(x), computed directly so that large x keeps its digits."""
    return math.erfc(x)


excel_function("ERFC.PRECISE", N)(erfc)  # "ERFC.PRECISE function": ERFC under another name


# --- bitwise operations -----------------------------------------------------------------------
# "BITAND function" and the others: each number a whole number from 0 to 2^48 - 1, else #NUM!;
# "BITLSHIFT function": the shift a whole number of at most 53 places either way, else #NUM!.
_BIT_LIMIT = 2 ** 48 - 1
_MAX_SHIFT = 53


def _whole(x: float, low: float, high: float) -> int:
    if not low <= x <= high or x != int(x):
        raise ErrorResult(ExcelError.NUM)
    return int(x)


def _bits(x: float) -> int:
    return _whole(x, 0, _BIT_LIMIT)


@excel_function("BITAND", N, N)
def bitand(a: float, b: float) -> float:
    return float(_bits(a) & _bits(b))


@excel_function("BITOR", N, N)
def bitor(a: float, b: float) -> float:
    return float(_bits(a) | _bits(b))


@excel_function("BITXOR", N, N)
def bitxor(a: float, b: float) -> float:
    return float(_bits(a) ^ _bits(b))


def _shift(number: float, places: float) -> float:
    """number shifted left by ``places`` (a negative shift is to the right). The pages limit
    the arguments only: BITLSHIFT(1,48) is 2^48."""
    n, k = _bits(number), _whole(places, -_MAX_SHIFT, _MAX_SHIFT)
    return float(n << k if k >= 0 else n >> -k)


@excel_function("BITLSHIFT", N, N)
def bitlshift(number: float, shift_amount: float) -> float:
    return _shift(number, shift_amount)


@excel_function("BITRSHIFT", N, N)
def bitrshift(number: float, shift_amount: float) -> float:
    return _shift(number, -shift_amount)


# --- CONVERT ----------------------------------------------------------------------------------
# "CONVERT function": each unit's size in its group's base unit (g, m, s, Pa, N, J, W, T, m^3,
# m^2, bit, m/s; temperatures apart). Names are case-sensitive; several spell one unit.
_INCH = 0.0254
_FOOT = 0.3048
_MILE = 1609.344
_NAUTICAL_MILE = 1852.0
_LIGHT_YEAR = 9_460_730_472_580_800.0
_PICA_POINT = _INCH / 72
_SURVEY_MILE = 5280 * 1200 / 3937           # U.S. survey foot: 1200/3937 m
_POUND = 453.59237                          # g
_POUND_FORCE = 4.4482216152605              # N: the pound at standard gravity 9.80665
_HORSEPOWER = 550 * _FOOT * _POUND_FORCE    # W: 550 foot-pounds per second
_GALLON = 231 * _INCH ** 3                  # m^3: 231 cubic inches
_UK_GALLON = 4.54609e-3

_GROUPS: dict[str, dict[tuple[str, ...], float]] = {
    "mass": {("g",): 1.0, ("sg",): _POUND_FORCE / _FOOT * 1000, ("lbm",): _POUND,
             ("u",): 1.66053906660e-24, ("ozm",): _POUND / 16, ("grain",): _POUND / 7000,
             ("cwt", "shweight"): 100 * _POUND, ("uk_cwt", "lcwt", "hweight"): 112 * _POUND,
             ("stone",): 14 * _POUND, ("ton",): 2000 * _POUND,
             ("uk_ton", "LTON", "brton"): 2240 * _POUND},
    "distance": {("m",): 1.0, ("mi",): _MILE, ("Nmi",): _NAUTICAL_MILE, ("in",): _INCH,
                 ("ft",): _FOOT, ("yd",): 3 * _FOOT, ("ang",): 1e-10, ("ell",): 45 * _INCH,
                 ("ly",): _LIGHT_YEAR, ("parsec", "pc"): 3.0856775814913673e16,
                 ("Picapt", "Pica"): _PICA_POINT, ("pica",): _INCH / 6,
                 ("survey_mi",): _SURVEY_MILE},
    "time": {("yr",): 365.25 * 86400, ("day", "d"): 86400.0, ("hr",): 3600.0,
             ("mn", "min"): 60.0, ("sec", "s"): 1.0},
    "pressure": {("Pa", "p"): 1.0, ("atm", "at"): 101325.0, ("mmHg",): 101325 / 760,
                 ("psi",): _POUND_FORCE / _INCH ** 2, ("Torr",): 101325 / 760},
    "force": {("N",): 1.0, ("dyn", "dy"): 1e-5, ("lbf",): _POUND_FORCE, ("pond",): 9.80665e-3},
    "energy": {("J",): 1.0, ("e",): 1e-7, ("c",): 4.184, ("cal",): 4.1868,
               ("eV", "ev"): 1.602176634e-19, ("HPh", "hh"): _HORSEPOWER * 3600,
               ("Wh", "wh"): 3600.0, ("flb",): _FOOT * _POUND_FORCE,
               ("BTU", "btu"): 1055.05585262},
    "power": {("HP", "h"): _HORSEPOWER, ("PS",): 735.49875, ("W", "w"): 1.0},
    "magnetism": {("T",): 1.0, ("ga",): 1e-4},
    "volume": {("tsp",): _GALLON / 768, ("tspm",): 5e-6, ("tbs",): _GALLON / 256,
               ("oz",): _GALLON / 128, ("cup",): _GALLON / 16, ("pt", "us_pt"): _GALLON / 8,
               ("uk_pt",): _UK_GALLON / 8, ("qt",): _GALLON / 4, ("uk_qt",): _UK_GALLON / 4,
               ("gal",): _GALLON, ("uk_gal",): _UK_GALLON, ("l", "L", "lt"): 1e-3,
               ("ang3", "ang^3"): 1e-30, ("barrel",): 42 * _GALLON,
               ("bushel",): 2150.42 * _INCH ** 3, ("ft3", "ft^3"): _FOOT ** 3,
               ("in3", "in^3"): _INCH ** 3, ("ly3", "ly^3"): _LIGHT_YEAR ** 3,
               ("m3", "m^3"): 1.0, ("mi3", "mi^3"): _MILE ** 3, ("yd3", "yd^3"): (3 * _FOOT) ** 3,
               ("Nmi3", "Nmi^3"): _NAUTICAL_MILE ** 3,
               ("Picapt3", "Picapt^3", "Pica3", "Pica^3"): _PICA_POINT ** 3,
               ("GRT", "regton"): 100 * _FOOT ** 3, ("MTON",): 40 * _FOOT ** 3},
    "area": {("uk_acre",): 43560 * _FOOT ** 2, ("us_acre",): 43560 * (1200 / 3937) ** 2,
             ("ang2", "ang^2"): 1e-20, ("ar",): 100.0, ("ft2", "ft^2"): _FOOT ** 2,
             ("ha",): 1e4, ("in2", "in^2"): _INCH ** 2, ("ly2", "ly^2"): _LIGHT_YEAR ** 2,
             ("m2", "m^2"): 1.0, ("Morgen",): 2500.0, ("mi2", "mi^2"): _MILE ** 2,
             ("Nmi2", "Nmi^2"): _NAUTICAL_MILE ** 2,
             ("Picapt2", "Pica2", "Pica^2", "Picapt^2"): _PICA_POINT ** 2,
             ("yd2", "yd^2"): (3 * _FOOT) ** 2},
    "information": {("bit",): 1.0, ("byte",): 8.0},
    "speed": {("admkn",): 6080 * _FOOT / 3600, ("kn",): _NAUTICAL_MILE / 3600,
              ("m/h", "m/hr"): 1 / 3600, ("m/s", "m/sec"): 1.0, ("mph",): _MILE / 3600},
}
# Temperatures: (zero, degree) with Celsius = (value - zero) * degree, in exact fractions so
# that 68 F is 20 C and 0 K is 0 Rank, not a rounding error away.
_TEMPERATURES: dict[tuple[str, ...], tuple[Fraction, Fraction]] = {
    ("C", "cel"): (Fraction(0), Fraction(1)), ("F", "fah"): (Fraction(32), Fraction(5, 9)),
    ("K", "kel"): (Fraction("273.15"), Fraction(1)),
    ("Rank",): (Fraction("491.67"), Fraction(5, 9)), ("Reau",): (Fraction(0), Fraction(5, 4)),
}
# The page's prefixes go on metric units only (the light-year and the parsec among them, as
# LibreOffice's CONVERT has it too); a unit of area or volume takes its prefix squared or cubed
# (km2 is 10^6 m2). Binary prefixes go on bit and byte alone.
_METRIC = {"g", "u", "m", "ang", "ly", "parsec", "pc", "sec", "s", "Pa", "p", "atm", "at", "mmHg",
           "N", "dyn", "dy", "pond", "J", "e", "c", "cal", "eV", "ev", "Wh", "wh", "W", "w", "T",
           "ga", "K", "kel", "l", "L", "lt", "m3", "m^3", "ang3", "ang^3", "m2", "m^2", "ang2",
           "ang^2", "ar", "m/h", "m/hr", "m/s", "m/sec", "bit", "byte"}
_PREFIXES = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6,
             "k": 1e3, "h": 1e2, "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3,
             "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15, "a": 1e-18, "z": 1e-21, "y": 1e-24}
_BINARY_PREFIXES = {"Yi": 2.0 ** 80, "Zi": 2.0 ** 70, "Ei": 2.0 ** 60, "Pi": 2.0 ** 50,
                    "Ti": 2.0 ** 40, "Gi": 2.0 ** 30, "Mi": 2.0 ** 20, "ki": 2.0 ** 10}
_INFORMATION = {"bit", "byte"}

_UNITS: dict[str, tuple[str, float]] = {
    name: (group, size) for group, units in _GROUPS.items()
    for names, size in units.items() for name in names}
_UNITS.update({name: ("temperature", 1.0) for names in _TEMPERATURES for name in names})
_TEMPERATURE_OF = {name: scale for names, scale in _TEMPERATURES.items() for name in names}


def _power(unit: str) -> int:
    """How many times a prefix multiplies the unit: 2 for an area, 3 for a volume."""
    return 3 if unit.endswith("3") else 2 if unit.endswith("2") else 1


def _unit(name: str) -> tuple[str, str, float]:
    """(group, unit, prefix multiplier) of a unit name: the name itself first (so "mi" is the
    mile, "Pa" the pascal, "pc" the parsec), else a prefix and a unit that takes it; #N/A."""
    if name in _UNITS:
        return _UNITS[name][0], name, 1.0
    for prefixes in (_PREFIXES, _BINARY_PREFIXES):
        for prefix, factor in prefixes.items():
            unit = name[len(prefix):]
            if name.startswith(prefix) and unit in _METRIC and (
                    prefixes is _PREFIXES or unit in _INFORMATION):
                return _UNITS[unit][0], unit, factor ** _power(unit)
    raise ErrorResult(ExcelError.NA)


@excel_function("CONVERT", N, T, T)
def convert(number: float, from_unit: str, to_unit: str) -> float:
    """"CONVERT function": number in from_unit expressed in to_unit; an unknown unit, a prefix
    the unit does not take, or units of different groups is #N/A."""
    group, source, scale_from = _unit(from_unit)
    other, target, scale_to = _unit(to_unit)
    if group != other:
        raise ErrorResult(ExcelError.NA)
    if group == "temperature":
        zero, degree = _TEMPERATURE_OF[source]
        celsius = (Fraction(number) * Fraction(scale_from) - zero) * degree
        zero, degree = _TEMPERATURE_OF[target]
        return float((celsius / degree + zero) / Fraction(scale_to))
    size_from, size_to = scale_from * _UNITS[source][1], scale_to * _UNITS[target][1]
    return checked_number(number * size_from / size_to)
