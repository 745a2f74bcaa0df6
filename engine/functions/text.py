"""Text functions. Positions and counts are characters, 1-based; a negative count, a start
before 1 and text that is not found are #VALUE!, as each function's page says; no text result
may exceed 32,767 characters ("Excel specifications and limits": #VALUE!)."""
from __future__ import annotations

import re

from ..core.values import ErrorResult, ExcelError, Scalar, number_from_text, to_text
from .arguments import optional, values, whole
from .conditional import wildcard
from .math import round_
from .number_format import format_value
from .registry import Arg, WorkbookContext, excel_function

FAMILY = "Text"  # the heading of `cellgrad functions` and the README's coverage table

T, N = Arg.TEXT, Arg.NUMBER
MAX_TEXT = 32_767


def _short(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ErrorResult(ExcelError.VALUE)
    return text


@excel_function("CONCATENATE", T, repeat=T, min_args=1)
def concatenate(*parts: str) -> str:
    return _short("".join(parts))


@excel_function("CONCAT", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def concat(*args) -> str:
    """"CONCAT function": like CONCATENATE, but ranges are joined cell by cell."""
    return _short("".join(to_text(v) for v in values(args)))


@excel_function("TEXTJOIN", Arg.VALUES, Arg.BOOL, Arg.VALUES, repeat=Arg.VALUES, min_args=3)
def textjoin(delimiter, ignore_empty: bool, *args) -> str:
    """"TEXTJOIN function": the texts joined with the delimiter (a range of delimiters is used in
    turn); ignore_empty leaves out empty cells and empty text."""
    delimiters = [to_text(d) for d in values((delimiter,))] or [""]
    parts = [to_text(v) for v in values(args) if not (ignore_empty and (v is None or v == ""))]
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append(delimiters[(i - 1) % len(delimiters)])
        out.append(part)
    return _short("".join(out))


@excel_function("LEN", T)
def len_(text: str) -> float:
    return float(len(text))


@excel_function("UPPER", T)
def upper(text: str) -> str:
    return text.upper()


@excel_function("LOWER", T)
def lower(text: str) -> str:
    return text.lower()


@excel_function("PROPER", T)
def proper(text: str) -> str:
    """Capitals after anything that is not a letter, lower case elsewhere ("2-way" -> "2-Way")."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), text)


@excel_function("EXACT", T, T)
def exact(a: str, b: str) -> bool:
    return a == b


@excel_function("LEFT", T, N, min_args=1)
def left(text: str, count: float | None = 1.0) -> str:
    return text[:whole(optional(count, 1.0))]


@excel_function("RIGHT", T, N, min_args=1)
def right(text: str, count: float | None = 1.0) -> str:
    n = whole(optional(count, 1.0))
    return text[max(0, len(text) - n):] if n else ""


@excel_function("MID", T, N, N)
def mid(text: str, start: float, count: float) -> str:
    first = int(start)
    if first < 1:
        raise ErrorResult(ExcelError.VALUE)
    return text[first - 1:first - 1 + whole(count)]


@excel_function("TRIM", T)
def trim(text: str) -> str:
    """"TRIM function": removes the spaces (character 32) but single spaces between words."""
    return re.sub(" +", " ", text.strip(" "))


@excel_function("SUBSTITUTE", T, T, T, N, min_args=3)
def substitute(text: str, old: str, new: str, instance: float | None = None) -> str:
    """Every occurrence of old, or only the instance_num-th (below 1 is #VALUE!, whatever old)."""
    n = None if instance is None else int(instance)
    if n is not None and n < 1:
        raise ErrorResult(ExcelError.VALUE)
    if not old:
        return text
    if n is None:
        return _short(text.replace(old, new))
    at = -1
    for _ in range(n):
        at = text.find(old, at + 1)
        if at < 0:
            return text
    return _short(text[:at] + new + text[at + len(old):])


def _start(start: float | None, text: str) -> int:
    first = int(optional(start, 1.0))
    if not 1 <= first <= len(text) + 1:
        raise ErrorResult(ExcelError.VALUE)
    return first - 1


@excel_function("FIND", T, T, N, min_args=2)
def find(needle: str, text: str, start: float | None = 1.0) -> float:
    """"FIND function": case-sensitive, no wildcards; empty find_text matches at start_num."""
    at = text.find(needle, _start(start, text))
    if at < 0:
        raise ErrorResult(ExcelError.VALUE)
    return float(at + 1)


@excel_function("SEARCH", T, T, N, min_args=2)
def search(needle: str, text: str, start: float | None = 1.0) -> float:
    """"SEARCH function": not case-sensitive, with the wildcards ? and * (~ escapes)."""
    first = _start(start, text)
    m = wildcard(needle).search(text, first) if needle else None
    if needle and m is None:
        raise ErrorResult(ExcelError.VALUE)
    return float((m.start() if m else first) + 1)


@excel_function("REPT", T, N)
def rept(text: str, times: float) -> str:
    n = whole(times)
    if len(text) * n > MAX_TEXT:
        raise ErrorResult(ExcelError.VALUE)
    return text * n


@excel_function("VALUE", Arg.SCALAR)
def value(v: Scalar) -> float:
    """"VALUE function": text in a number, date or time format Excel recognizes, as a number;
    other text is #VALUE!."""
    if type(v) is float:
        return v  # type: ignore[return-value]
    if v is None:
        return 0.0
    number = number_from_text(v) if type(v) is str else None
    if number is None:
        raise ErrorResult(ExcelError.VALUE)
    return number


@excel_function("CHAR", N)
def char(code: float) -> str:
    """Characters 1 to 255 of Windows-1252, the character set of Excel for Windows."""
    n = int(code)
    if not 1 <= n <= 255:
        raise ErrorResult(ExcelError.VALUE)
    return bytes([n]).decode("cp1252", errors="replace")


@excel_function("CODE", T)
def code(text: str) -> float:
    if not text:
        raise ErrorResult(ExcelError.VALUE)
    try:
        return float(text[0].encode("cp1252")[0])
    except UnicodeEncodeError:
        return 63.0  # "?": what Windows-1252 gives a character it does not have


@excel_function("T", Arg.ANY)
def t(v: Scalar) -> str:
    if type(v) is ExcelError:
        raise ErrorResult(v)  # type: ignore[arg-type]
    return v if type(v) is str else ""  # type: ignore[return-value]


@excel_function("TEXT", Arg.SCALAR, T, uses_book=True)
def text_(book: WorkbookContext, v: Scalar, code: str) -> str:
    """"TEXT function": a value shown in a number format (cellgrad.functions.number_format);
    text that reads as a number is formatted as that number. Dates are serials of the
    workbook's date system."""
    if type(v) is bool:
        return "TRUE" if v else "FALSE"
    number = 0.0 if v is None else v if type(v) is float else \
        number_from_text(v, book.date1904)  # type: ignore[arg-type]
    return _short(format_value(v if number is None else number, code,  # type: ignore[arg-type]
                               book.date1904))


MAX_DECIMALS = 127  # "FIXED function": decimals can be as large as 127


def _with_decimals(number: float, decimals: float | None, code: str) -> str:
    """FIXED and DOLLAR: number rounded to decimals places (2 when left out; to the left of the
    point when negative, as ROUND does) and shown in the format ``code``, whose {0} is the point
    and the places."""
    places = int(optional(decimals, 2.0))
    if places > MAX_DECIMALS:
        raise ErrorResult(ExcelError.VALUE)
    shown = round_(number, float(places)) if places < 0 else number
    return format_value(shown, code.format("." + "0" * places if places > 0 else ""))


@excel_function("FIXED", N, N, Arg.BOOL, min_args=1)
def fixed(number: float, decimals: float | None = 2.0, no_commas: bool | None = False) -> str:
    """"FIXED function": the number as text with a point and, unless no_commas, commas."""
    return _with_decimals(number, decimals, "0{0}" if no_commas else "#,##0{0}")


@excel_function("DOLLAR", N, N, min_args=1)
def dollar(number: float, decimals: float | None = 2.0) -> str:
    """"DOLLAR function": the number as text in the currency format $#,##0.00;($#,##0.00) (the
    page's results have no space for the format's _) padding: $1,234.57)."""
    return _with_decimals(number, decimals, "$#,##0{0};($#,##0{0})")
