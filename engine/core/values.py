"""Excel's cell values and the coercion rules that every operator and function shares.

A value is one of: ``None`` (an empty cell), ``float`` (every number, never ``int``), ``str``,
``bool``, or an :class:`ExcelError`. Ranges and arrays are :class:`cellgrad.core.references.Range` and
:class:`Array`. The rules below are written once and reused by the whole function library:
how text becomes a number, how numbers print as text, how values compare.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, Context, Decimal
from enum import Enum
from typing import Iterator, Union

from .dates import date_time_from_text


class ExcelError(Enum):
    """Excel's error values. Members are singletons: compare with ``is``."""

    NULL = "#NULL!"
    DIV0 = "#DIV/0!"
    VALUE = "#VALUE!"
    REF = "#REF!"
    NAME = "#NAME?"
    NUM = "#NUM!"
    NA = "#N/A"
    SPILL = "#SPILL!"   # a dynamic array's spill range is not empty
    CALC = "#CALC!"     # an empty array (FILTER with nothing left), an uncalled LAMBDA

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return self.value

    @classmethod
    def from_text(cls, text: str) -> "ExcelError":
        return _ERRORS_BY_TEXT[text.upper()]

    @classmethod
    def is_error_text(cls, text: str) -> bool:
        return text.upper() in _ERRORS_BY_TEXT


_ERRORS_BY_TEXT = {e.value: e for e in ExcelError}
# Excel's ERROR.TYPE numbering, also the order in which errors are reported.
ERROR_CODES = {ExcelError.NULL: 1, ExcelError.DIV0: 2, ExcelError.VALUE: 3, ExcelError.REF: 4,
               ExcelError.NAME: 5, ExcelError.NUM: 6, ExcelError.NA: 7, ExcelError.SPILL: 9,
               ExcelError.CALC: 14}

Scalar = Union[None, float, str, bool, ExcelError]


class ErrorResult(Exception):
    """Raised inside evaluation to propagate an Excel error value to the enclosing formula."""

    __slots__ = ("error",)

    def __init__(self, error: ExcelError) -> None:
        self.error = error


class Array:
    """A 2-D array of scalar values: an array constant or a function's array result."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[list[Scalar]]) -> None:
        self.rows = rows

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def __iter__(self) -> Iterator[Scalar]:
        for row in self.rows:
            yield from row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Array) and other.rows == self.rows

    def __repr__(self) -> str:
        return f"Array({self.rows!r})"


# --- numbers from text --------------------------------------------------------------------
_NUMBER_TEXT = re.compile(
    r"^\s*(?P<sign>[+-]?)\s*\$?\s*(?P<num>(\d{1,3}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?)\s*(?P<pct>%?)\s*$")


def _plain_number(text: str) -> float | None:
    m = _NUMBER_TEXT.match(text)
    if not m:
        return None
    body = m.group("num").replace(",", "")
    if not body or body in (".",) or body[0] in "eE" or body.startswith(".e") or body.startswith(".E"):
        return None
    try:
        value = float(body)
    except ValueError:
        return None
    if m.group("sign") == "-":
        value = -value
    if m.group("pct"):
        value /= 100.0
    return value


def number_from_text(text: str, date1904: bool = False) -> float | None:
    """The number Excel reads from text in arithmetic (``"1e3"``, ``" 2 "``, ``"50%"``,
    ``"6/1/2001"``, the accounting negative ``"(5)"``), or None; a date is read as a serial of
    the 1904 date system where ``date1904``."""
    stripped = text.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        inner = stripped[1:-1]
        number = None if inner.lstrip()[:1] in ("+", "-") else _plain_number(inner)
        return None if number is None else -number + 0.0
    if _NUMBER_TEXT.match(text):
        return _plain_number(text)
    return date_time_from_text(text, date1904)


def to_number(value: Scalar) -> float:
    """Coerce a scalar the way Excel's arithmetic operators do; errors propagate."""
    t = type(value)
    if t is float:
        return value  # type: ignore[return-value]
    if value is None:
        return 0.0
    if t is bool:
        return 1.0 if value else 0.0
    if t is str:
        number = number_from_text(value)  # type: ignore[arg-type]
        if number is None:
            raise ErrorResult(ExcelError.VALUE)
        return number
    if t is ExcelError:
        raise ErrorResult(value)  # type: ignore[arg-type]
    if t is int:
        return float(value)  # type: ignore[arg-type]
    raise ErrorResult(ExcelError.VALUE)


def to_bool(value: Scalar) -> bool:
    """Coerce a scalar to a condition, as IF, AND and OR do."""
    t = type(value)
    if t is bool:
        return value  # type: ignore[return-value]
    if t is float or t is int:
        return value != 0
    if value is None:
        return False
    if t is str:
        upper = value.upper()  # type: ignore[union-attr]
        if upper == "TRUE":
            return True
        if upper == "FALSE":
            return False
        raise ErrorResult(ExcelError.VALUE)
    if t is ExcelError:
        raise ErrorResult(value)  # type: ignore[arg-type]
    raise ErrorResult(ExcelError.VALUE)


# "Excel specifications and limits": number precision, 15 digits. Whatever writes a number as
# text (General, TEXT's format codes) writes it at these digits, never the double's 16th or 17th.
SIGNIFICANT_DIGITS = 15


def significant(x: float) -> Decimal:
    """``x`` at Excel's 15 significant digits (a finite float), as a Decimal: 2^60 is
    1.15292150460685E+18, 0.1+0.2 is 0.300000000000000."""
    return Decimal(f"{x:.{SIGNIFICANT_DIGITS - 1}e}")


# A number typed with more digits keeps its first 15, the rest become zeros ("Last digits are
# changed to zeros when you type long numbers in cells of Excel"): 123456789012345678 is read
# as 123456789012345000, not rounded to ...346000.
_TYPED = Context(prec=SIGNIFICANT_DIGITS, rounding=ROUND_DOWN)


def typed_number(text: str) -> float:
    """A number written in a formula (``123456789012345678``, ``1.5E+3``) as Excel keeps it."""
    if len(text) <= SIGNIFICANT_DIGITS:  # no more than 15 characters, no more than 15 digits
        return float(text)
    return float(_TYPED.plus(Decimal(text)))


def format_number(x: float) -> str:
    """A number as Excel's General format shows it in text (``&``, ``TEXT`` defaults): 15 digits,
    trailing zeros dropped, E notation from 1E+15 up and below 1E-04 (``1.23456789012346E+17``)."""
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    digits = significant(x).normalize()
    power = digits.adjusted()
    if -4 <= power < SIGNIFICANT_DIGITS:
        return format(digits, "f")
    mantissa = format(digits.scaleb(-power), "f")
    return f"{mantissa}E{'-' if power < 0 else '+'}{abs(power):02d}"


def to_text(value: Scalar) -> str:
    """Coerce a scalar to text, as ``&`` does."""
    t = type(value)
    if t is str:
        return value  # type: ignore[return-value]
    if t is float or t is int:
        return format_number(float(value))  # type: ignore[arg-type]
    if value is None:
        return ""
    if t is bool:
        return "TRUE" if value else "FALSE"
    if t is ExcelError:
        raise ErrorResult(value)  # type: ignore[arg-type]
    raise ErrorResult(ExcelError.VALUE)


# --- comparison ------------------------------------------------------------------------------
# Excel orders values by type first: numbers < text < logicals; an empty cell compares as 0,
# "" or FALSE, whichever matches the other side's type.
_RANK = {float: 0, int: 0, str: 1, bool: 2}


def _comparable(value: Scalar, other: Scalar) -> Scalar:
    if value is None:
        t = type(other)
        if t is str:
            return ""
        if t is bool:
            return False
        return 0.0
    return value


def compare(left: Scalar, right: Scalar) -> int:
    """-1, 0 or 1 as Excel's comparison operators see it; errors propagate (left first)."""
    if type(left) is ExcelError:
        raise ErrorResult(left)  # type: ignore[arg-type]
    if type(right) is ExcelError:
        raise ErrorResult(right)  # type: ignore[arg-type]
    a = _comparable(left, right)
    b = _comparable(right, left)
    ra, rb = _RANK[type(a)], _RANK[type(b)]
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a = a.lower()  # type: ignore[union-attr]
        b = b.lower()  # type: ignore[union-attr]
    return (a > b) - (a < b)  # type: ignore[operator]


def checked_number(x: float) -> float:
    """A float result as Excel stores it: overflow and NaN are ``#NUM!``; ``-0.0`` is 0."""
    if x != x or x in (math.inf, -math.inf):
        raise ErrorResult(ExcelError.NUM)
    return x + 0.0


def is_number(value: object) -> bool:
    return type(value) is float
