"""Text functions. Positions and counts are characters, 1-based; a negative count, a start
before 1 and text that is not found are #VALUE!, as each function's page says; no text result
may exceed 32,767 characters ("Excel specifications and limits": #VALUE!)."""
from __future__ import annotations

import re

from ..core.values import Array, ErrorResult, ExcelError, Scalar, number_from_text, to_text
from .arguments import optional, values, whole
from .conditional import wildcard
from .math import round_
from .number_format import format_value
from .registry import REGISTRY, Arg, WorkbookContext, excel_function

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
    and the places. Rounded before it is shown, as both pages say, so a negative number that
    rounds to 0 takes the format's positive section: DOLLAR(-0.004) is $0.00, not ($0.00)."""
    places = int(optional(decimals, 2.0))
    if places > MAX_DECIMALS:
        raise ErrorResult(ExcelError.VALUE)
    return format_value(round_(number, float(places)) + 0.0,  # + 0.0: -0.0 is 0
                        code.format("." + "0" * places if places > 0 else ""))


@excel_function("FIXED", N, N, Arg.BOOL, min_args=1)
def fixed(number: float, decimals: float | None = 2.0, no_commas: bool | None = False) -> str:
    """"FIXED function": the number as text with a point and, unless no_commas, commas."""
    return _with_decimals(number, decimals, "0{0}" if no_commas else "#,##0{0}")


@excel_function("DOLLAR", N, N, min_args=1)
def dollar(number: float, decimals: float | None = 2.0) -> str:
    """"DOLLAR function": the number as text in the currency format $#,##0.00;($#,##0.00) (the
    page's results have no space for the format's _) padding: $1,234.57)."""
    return _with_decimals(number, decimals, "$#,##0{0};($#,##0{0})")


@excel_function("REPLACE", T, N, N, T)
def replace(text: str, start: float, count: float, new: str) -> str:
    """"REPLACE function": num_chars characters from start_num replaced by new_text; a start
    before 1 or a negative count is #VALUE!."""
    first = int(start)
    if first < 1:
        raise ErrorResult(ExcelError.VALUE)
    return _short(text[:first - 1] + new + text[first - 1 + whole(count):])


@excel_function("CLEAN", T)
def clean(text: str) -> str:
    """"CLEAN function": removes the first 32 nonprinting characters of the 7-bit ASCII code
    (0 to 31), not the others of Unicode (127, 129, 141, 143, 144, 157)."""
    return "".join(c for c in text if ord(c) >= 32)


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@excel_function("NUMBERVALUE", T, T, T, min_args=1)
def numbervalue(text: str, decimal: str | None = None, group: str | None = None) -> float:
    """"NUMBERVALUE function": text to a number with the given separators (only their first
    characters count; the engine's locale is en-US, "." and ","). Spaces anywhere are ignored,
    "" is 0, group separators before the decimal one are ignored and after it #VALUE!, a second
    decimal separator is #VALUE!, and each trailing % divides by 100."""
    point = "." if decimal is None else decimal[:1]
    comma = "," if group is None else group[:1]
    if not point or not comma or point.isdigit() or comma.isdigit():  # not valid separators
        raise ErrorResult(ExcelError.VALUE)
    body = re.sub(r"\s", "", text)
    if not body:
        return 0.0
    stripped = body.rstrip("%")
    percents = len(body) - len(stripped)
    whole_part, found, fraction = stripped.partition(point)
    if point in fraction or comma in fraction:
        raise ErrorResult(ExcelError.VALUE)
    number = whole_part.replace(comma, "") + ("." + fraction if found else "")
    if not _PLAIN_NUMBER.fullmatch(number):
        raise ErrorResult(ExcelError.VALUE)
    return float(number) / 100.0 ** percents


_SURROGATES = range(0xD800, 0xE000)


@excel_function("UNICHAR", N)
def unichar(code: float) -> str:
    """"UNICHAR function": the character of a Unicode code point; 0 and numbers outside Unicode
    are #VALUE!, a surrogate half #N/A."""
    n = int(code)
    if not 1 <= n <= 0x10FFFF:
        raise ErrorResult(ExcelError.VALUE)
    if n in _SURROGATES:
        raise ErrorResult(ExcelError.NA)
    return chr(n)


@excel_function("UNICODE", T)
def unicode(text: str) -> float:
    """"UNICODE function": the code point of the first character; empty text or a surrogate
    half is #VALUE!."""
    if not text or ord(text[0]) in _SURROGATES:
        raise ErrorResult(ExcelError.VALUE)
    return float(ord(text[0]))


# --- TEXTBEFORE, TEXTAFTER, TEXTSPLIT -----------------------------------------------------------
def _fold(text: str, ignore_case: bool) -> str:
    """Text compared without case, character by character (so positions stay those of text)."""
    if not ignore_case:
        return text
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _delimiters(grid: Array, ignore_case: bool) -> list[str]:
    return [_fold(to_text(v), ignore_case) for v in grid]


def _mode(value: float | None) -> bool:
    """match_mode and match_end: 0 or 1 (FALSE or TRUE)."""
    n = int(optional(value, 0.0))
    if n not in (0, 1):
        raise ErrorResult(ExcelError.VALUE)
    return n == 1


def _longest(candidates: list[str], fits) -> str | None:
    return max((d for d in candidates if fits(d)), key=len, default=None)


def _forward(text: str, delimiters: list[str]) -> list[tuple[int, int]]:
    """The delimiters found from the start, without overlapping (the longest where several
    begin at one place; an empty delimiter matches at once, as every page says)."""
    found, at = [], 0
    while at <= len(text):
        d = _longest(delimiters, lambda d: text.startswith(d, at))
        if d is None:
            at += 1
            continue
        found.append((at, at + len(d)))
        at += len(d) or 1
    return found


def _backward(text: str, delimiters: list[str]) -> list[tuple[int, int]]:
    """The delimiters found from the end, without overlapping."""
    found, end = [], len(text)
    while end >= 0:
        d = _longest(delimiters, lambda d: text.endswith(d, 0, end))
        if d is None:
            end -= 1
            continue
        found.append((end - len(d), end))
        end -= len(d) or 1
    return found


def _instance(text: str, delimiter: Array, instance: float | None, match_mode: float | None,
              match_end: float | None) -> tuple[int, int] | None:
    """Where the instance_num-th delimiter is in text (counted from the end when negative), or
    None: "TEXTBEFORE function", "TEXTAFTER function". instance_num 0 or past the length of
    text is #VALUE!; match_end counts the end of text (the start, from the end) as one more."""
    n = int(optional(instance, 1.0))
    ignore_case, at_end = _mode(match_mode), _mode(match_end)
    if n == 0 or abs(n) > len(text):
        raise ErrorResult(ExcelError.VALUE)
    folded, delimiters = _fold(text, ignore_case), _delimiters(delimiter, ignore_case)
    found = _forward(folded, delimiters) if n > 0 else _backward(folded, delimiters)
    if abs(n) <= len(found):
        return found[abs(n) - 1]
    if at_end and abs(n) == len(found) + 1:
        edge = len(text) if n > 0 else 0
        return edge, edge
    return None


def _text_part(before: bool, text: str, delimiter: Array, instance: float | None,
               match_mode: float | None, match_end: float | None, if_not_found) -> object:
    if not text:  # "If text is an empty string, Excel returns empty text."
        return ""
    where = _instance(text, delimiter, instance, match_mode, match_end)
    if where is None:
        if if_not_found is not None:
            return if_not_found()
        raise ErrorResult(ExcelError.NA)
    return text[:where[0]] if before else text[where[1]:]


_PART = (T, Arg.GRID, N, N, N, Arg.LAZY)


@excel_function("TEXTBEFORE", *_PART, min_args=2)
def textbefore(text: str, delimiter: Array, instance: float | None = None,
               match_mode: float | None = None, match_end: float | None = None,
               if_not_found=None) -> object:
    """"TEXTBEFORE function": the text before the instance_num-th delimiter (any of an array of
    delimiters); if_not_found, #N/A without it, when there is none."""
    return _text_part(True, text, delimiter, instance, match_mode, match_end, if_not_found)


@excel_function("TEXTAFTER", *_PART, min_args=2)
def textafter(text: str, delimiter: Array, instance: float | None = None,
              match_mode: float | None = None, match_end: float | None = None,
              if_not_found=None) -> object:
    """"TEXTAFTER function": the text after the instance_num-th delimiter."""
    return _text_part(False, text, delimiter, instance, match_mode, match_end, if_not_found)


def _split(text: str, delimiter: Array | None, ignore_case: bool, ignore_empty: bool) -> list[str]:
    if delimiter is None:
        return [text]
    delimiters = _delimiters(delimiter, ignore_case)
    if "" in delimiters:  # an empty delimiter would split between every two characters
        raise ErrorResult(ExcelError.VALUE)
    parts, start = [], 0
    for begin, end in _forward(_fold(text, ignore_case), delimiters):
        parts.append(text[start:begin])
        start = end
    parts.append(text[start:])
    return [p for p in parts if p] if ignore_empty else parts


@excel_function("TEXTSPLIT", T, Arg.GRID, Arg.GRID, Arg.BOOL, N, Arg.ANY, min_args=2,
                array_result=True, elementwise=False)
def textsplit(text: str, columns: Array | None, rows: Array | None = None,
              ignore_empty: bool | None = False, match_mode: float | None = None,
              pad_with: Scalar = None) -> Array:
    """"TEXTSPLIT function": text split down rows at row_delimiter, each row across columns at
    col_delimiter (either may be left out, not both); ignore_empty drops the empty parts that
    consecutive delimiters make; short rows are padded with pad_with (#N/A)."""
    if columns is None and rows is None:
        raise ErrorResult(ExcelError.VALUE)
    ignore_case, skip = _mode(match_mode), bool(ignore_empty)
    lines = [_split(line, columns, ignore_case, skip)
             for line in _split(text, rows, ignore_case, skip)] or [[""]]
    lines = [line or [""] for line in lines]
    width = max(len(line) for line in lines)
    pad = ExcelError.NA if pad_with is None else pad_with
    return Array([line + [pad] * (width - len(line)) for line in lines])


# --- VALUETOTEXT, ARRAYTOTEXT --------------------------------------------------------------------
def _as_text(value: Scalar, strict: bool) -> str:
    """A value as "VALUETOTEXT function" writes it: text as it is (strict: in quotes, with its
    quotes doubled, as the formula bar would read it), numbers as General shows them, logicals
    and errors by name."""
    if type(value) is ExcelError:
        return str(value)
    if type(value) is str and strict:
        return '"' + value.replace('"', '""') + '"'
    return to_text(value)


def _strict(format_: float | None) -> bool:
    n = int(optional(format_, 0.0))
    if n not in (0, 1):
        raise ErrorResult(ExcelError.VALUE)
    return n == 1


@excel_function("VALUETOTEXT", Arg.ANY, N, min_args=1)
def valuetotext(value: Scalar, format_: float | None = None) -> str:
    """"VALUETOTEXT function": format 0 concise (default), 1 strict; other formats #VALUE!."""
    return _short(_as_text(value, _strict(format_)))


@excel_function("ARRAYTOTEXT", Arg.GRID, N, min_args=1, elementwise=False)
def arraytotext(grid: Array, format_: float | None = None) -> str:
    """"ARRAYTOTEXT function": concise (0) the values row by row joined with ", "; strict (1)
    an array constant: {a,b;c,d} with text in quotes."""
    if not _strict(format_):
        return _short(", ".join(_as_text(v, False) for v in grid))
    return _short("{" + ";".join(",".join(_as_text(v, True) for v in row) for row in grid.rows)
                  + "}")


# "LEFT, LEFTB functions" (and the RIGHTB, MIDB, LENB, FINDB, SEARCHB, REPLACEB pages): the B
# forms count bytes only where a double-byte language is the default language; in a
# single-byte-language installation they count characters as the plain forms do.
for _plain in ("LEFT", "RIGHT", "MID", "LEN", "FIND", "SEARCH", "REPLACE"):
    _spec = REGISTRY[_plain]
    excel_function(_plain + "B", *_spec.params, min_args=_spec.min_args)(_spec.impl)
