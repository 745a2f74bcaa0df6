"""Excel's number format codes, as TEXT applies them ("TEXT function", "Number format codes"):
up to four sections (positive; negative; zero; text), the digit placeholders 0 # ?, the point,
thousands separators and scaling commas, %, scientific E+ / E-, quoted and escaped literals,
dates and times (y m d h s, AM/PM, elapsed [h]), General and @. Colours and conditions in
brackets are dropped. What is outside this list is taken as literal text."""
from __future__ import annotations

import calendar
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from ..core.dates import DateSystem, date_system
from ..core.values import ErrorResult, ExcelError, format_number, significant

_TOKEN = re.compile(r'"[^"]*"|\\.|\[[hHmMsS]+\]|\[[^\]]*\]|AM/PM|am/pm|A/P|a/p|'
                    r'[eE][+-]|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|'
                    r'General|.', re.S)
_DATE_TOKENS = ("y", "d", "h", "s", "am/pm", "a/p", "[")


def _sections(code: str) -> list[str]:
    out, current, quoted = [], [], False
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted and (i == 0 or code[i - 1] != "\\"):
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    return out + ["".join(current)]


def format_value(value: float | str, code: str, date1904: bool = False) -> str:
    """``value`` shown in the number format ``code`` (TEXT's second argument); a date code
    reads the number as a serial of the workbook's date system (1904 where ``date1904``)."""
    sections = _sections(code)
    if isinstance(value, str):
        return _literal_text(sections[3], value) if len(sections) > 3 else value
    section, shown = sections[0], value
    if value < 0 and len(sections) > 1 and sections[1]:
        section, shown = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    tokens = [t for t in _TOKEN.findall(section)
              if not (t.startswith("[") and t[1:2].lower() not in "hms")]
    if any(t.lower() == "general" or t == "@" for t in tokens):  # @ shows a number as General
        return "".join(format_number(shown) if t.lower() == "general" or t == "@" else _literal(t)
                       for t in tokens)
    if any(t.lower().startswith(_DATE_TOKENS) or t in ("m", "mm", "mmm", "mmmm", "mmmmm")
           for t in tokens):
        return _date(shown, tokens, date_system(date1904))
    return _number(shown, tokens)


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    return "" if token in ("_", "*") else token


def _literal_text(section: str, text: str) -> str:
    return "".join(text if t == "@" else _literal(t) for t in _TOKEN.findall(section))


# --- numbers ----------------------------------------------------------------------------------
def _digits_fill(pattern: list[str], digits: str, *, integer: bool) -> str:
    """Place digits into the placeholders of one side of the point."""
    holders = [i for i, t in enumerate(pattern) if t in "0#?"]
    out = [_literal(t) if t not in "0#?," else "" for t in pattern]
    if integer:
        digits = digits.lstrip("0")
        need = sum(1 for i in holders if pattern[i] == "0")
        first_required = next((k for k, i in enumerate(holders) if pattern[i] == "0"), len(holders))
        for k, i in enumerate(reversed(holders)):
            d = digits[len(digits) - 1 - k] if k < len(digits) else None
            position = len(holders) - 1 - k
            if d is not None:
                out[i] = d
            elif pattern[i] == "0" or position >= first_required and need:
                out[i] = "0" if pattern[i] == "0" else ""
            elif pattern[i] == "?":
                out[i] = " "
        if holders and len(digits) > len(holders):
            out[holders[0]] = digits[:len(digits) - len(holders) + 1]
        return "".join(out)
    last_needed = max((k for k, d in enumerate(digits) if d != "0"), default=-1)
    for k, i in enumerate(holders):
        d = digits[k]
        required = pattern[i] == "0" or k <= last_needed
        out[i] = d if required else (" " if pattern[i] == "?" else "")
    return "".join(out)


def _group(text: str) -> str:
    """Commas between the thousands of the integer digits (the last run of digits: a literal
    before them stays outside, TEXT(123456,"$#,##0") is $123,456)."""
    run = re.search(r"\d+(?=\D*$)", text)
    if run is None:
        return text
    digits = run.group()
    head = len(digits) % 3 or 3
    grouped = ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])
    return text[:run.start()] + grouped + text[run.end():]


def _rounded(x: Decimal, places: int) -> str:
    """quantize needs room for every digit before the point (up to 309 in a double) and every
    place after it (FIXED's 127): the default context's 28 digits made TEXT(1E+45,"0") raise
    InvalidOperation, a fixed 400 did so for FIXED(1E+300,127)."""
    room = Context(prec=max(x.adjusted(), 0) + places + 2)
    return format(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=room),
                  "f")


def _number(value: float, tokens: list[str]) -> str:
    negative = value < 0
    holders = [i for i, t in enumerate(tokens) if t in "0#?"]
    if not holders:
        return ("-" if negative else "") + "".join(_literal(t) for t in tokens)
    # The digits shown are the number's 15 ("Excel specifications and limits"); scaling them
    # by % and commas is exact in decimal, so 28.5% is not the double 28.499999999999996
    x = abs(significant(value)).scaleb(2 * sum(1 for t in tokens if t == "%"))
    trailing = 0  # commas right after the last placeholder divide by 1,000 each
    while holders[-1] + 1 + trailing < len(tokens) and tokens[holders[-1] + 1 + trailing] == ",":
        trailing += 1
    x = x.scaleb(-3 * trailing)
    tokens = tokens[:holders[-1] + 1] + tokens[holders[-1] + 1 + trailing:]
    exponent_at = next((i for i, t in enumerate(tokens) if t.lower() in ("e+", "e-")), None)
    body_end = exponent_at if exponent_at is not None else holders[-1] + 1
    point = next((i for i in range(body_end) if tokens[i] == "."), body_end)
    int_part, frac_part = tokens[:point], tokens[point + 1:body_end]
    grouped = "," in int_part
    places = sum(1 for t in frac_part if t in "0#?")
    exponent_text = ""
    if exponent_at is not None:
        power = 0 if x == 0 else x.adjusted()
        places_int = sum(1 for t in int_part if t in "0#?") or 1
        power -= (power % places_int) if places_int > 1 else 0
        x = x.scaleb(-power)
        if Decimal(_rounded(x, places)) >= 10 ** places_int:
            x = x.scaleb(-places_int)
            power += places_int
        exp_digits = [t for t in tokens[exponent_at + 1:] if t in "0#?"]
        sign = "-" if power < 0 else ("+" if tokens[exponent_at][1] == "+" else "")
        exponent_text = tokens[exponent_at][0] + sign + str(abs(power)).rjust(len(exp_digits), "0") \
            + "".join(_literal(t) for t in tokens[exponent_at + 1:] if t not in "0#?")
    text = _rounded(x, places)
    whole, _, fraction = text.partition(".")
    if whole == "0" and Decimal(text) != 0 or whole == "0" and fraction:
        whole = "0" if "0" in [t for t in int_part if t in "0#?"] else ""
    shown = _digits_fill([t for t in int_part if t != "," or not grouped], whole, integer=True)
    if grouped:
        shown = _group(shown)
    if point < body_end:
        shown += "." + _digits_fill(frac_part, fraction.ljust(places, "0"), integer=False)
    if exponent_at is None:
        shown += "".join(_literal(t) for t in tokens[body_end:])
    sign = "-" if negative and Decimal(text) != 0 else ""
    return sign + shown + exponent_text


# --- dates and times -----------------------------------------------------------------------------
# Date and time codes, each a function of the moment and the hour shown (12 or 24 hour clock).
_PARTS = {
    "yyyy": lambda m, h: f"{m.year:04d}", "yy": lambda m, h: f"{m.year % 100:02d}",
    "m": lambda m, h: f"{m.month}", "mm": lambda m, h: f"{m.month:02d}",
    "mmm": lambda m, h: calendar.month_abbr[m.month],
    "mmmm": lambda m, h: calendar.month_name[m.month],
    "mmmmm": lambda m, h: calendar.month_name[m.month][0],
    "d": lambda m, h: f"{m.day}", "dd": lambda m, h: f"{m.day:02d}",
    "ddd": lambda m, h: calendar.day_abbr[m.weekday],
    "dddd": lambda m, h: calendar.day_name[m.weekday],
    "h": lambda m, h: f"{h}", "hh": lambda m, h: f"{h:02d}",
    "s": lambda m, h: f"{m.second}", "ss": lambda m, h: f"{m.second:02d}",
}


def _date(serial: float, tokens: list[str], dates: DateSystem) -> str:
    if not dates.valid(serial):  # before the first date or after 9999: "#########" in a cell
        raise ErrorResult(ExcelError.VALUE)
    moment = dates.moment(serial)
    twelve = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    hour = moment.hour % 12 or 12 if twelve else moment.hour
    morning = moment.hour < 12
    out = []
    for k, t in enumerate(tokens):
        low = t.lower()
        if low in ("m", "mm") and (_previous_code(tokens, k).startswith(("h", "[h"))
                                   or _next_code(tokens, k).startswith(("s", "[s"))):
            out.append(f"{moment.minute:0{len(low)}d}")  # m next to h or s means minutes
        elif low in _PARTS:
            out.append(_PARTS[low](moment, hour))
        elif low.startswith("[h"):
            out.append(f"{int(serial * 24 + 1e-9):0{len(low) - 2}d}")
        elif low in ("am/pm", "a/p"):
            half = ("AM" if morning else "PM")[:2 if low == "am/pm" else 1]
            out.append(half if t[0].isupper() else half.lower())
        else:
            out.append(_literal(t))
    return "".join(out)


def _previous_code(tokens: list[str], k: int) -> str:
    return next((t.lower() for t in reversed(tokens[:k]) if t.isalpha() or t.startswith("[")), "")


def _next_code(tokens: list[str], k: int) -> str:
    return next((t.lower() for t in tokens[k + 1:] if t.isalpha() or t.startswith("[")), "")
