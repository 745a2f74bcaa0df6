"""Date and time functions. Dates are serial numbers of the workbook's date system
(:mod:`cellgrad.core.dates`: 1900 with Lotus's 29 February 1900, or 1904), so each function takes
the workbook first. A date argument may be a number or text that reads as a date or time
("6/1/2001", "10:30 PM"); other text is #VALUE!, a serial before the first day or after 31
December 9999 is #NUM! ("DAY function", "DATE function"). Whole days are taken by truncation.

TODAY and NOW read :data:`clock`, which tests replace to fix the moment."""
from __future__ import annotations

import datetime as dt
import math
from typing import Callable

from ..core.dates import DateSystem, date_system
from ..core.values import Array, ErrorResult, ExcelError, Scalar, number_from_text, to_number
from .arguments import integer, optional
from .registry import Arg, WorkbookContext, excel_function

FAMILY = "Date and time"  # the heading of `cellgrad functions` and the README's coverage table

D, N = Arg.SCALAR, Arg.NUMBER
clock: Callable[[], dt.datetime] = dt.datetime.now  # the computer's local time, as Excel's
MAX_TIME_PART = 32_767  # "TIME function": hour, minute and second from 0 to 32767


def _serial(book: WorkbookContext, value: Scalar) -> float:
    """A date argument as a valid serial of the workbook's date system."""
    if type(value) is str:
        number = number_from_text(value, book.date1904)  # type: ignore[arg-type]
        if number is None:
            raise ErrorResult(ExcelError.VALUE)
    else:
        number = to_number(value)
    if not date_system(book.date1904).valid(number):
        raise ErrorResult(ExcelError.NUM)
    return number


def _day(book: WorkbookContext, value: Scalar) -> int:
    return math.floor(_serial(book, value))


def _checked(dates: DateSystem, serial: int) -> float:
    """A computed date: #NUM! outside the date system."""
    if not dates.valid(serial):
        raise ErrorResult(ExcelError.NUM)
    return float(serial)


def _date_and_time(book: WorkbookContext, text: Scalar, part: int) -> float:
    """DATEVALUE's (``part`` 0, the day) and TIMEVALUE's (1, the fraction of a day) argument:
    text only ("DATEVALUE function") that holds that part."""
    found = None if type(text) is not str else \
        date_system(book.date1904).date_and_time(text)  # type: ignore[arg-type]
    if found is None or found[part] is None:
        raise ErrorResult(ExcelError.VALUE)
    return found[part]  # type: ignore[return-value]


# --- making dates and times -------------------------------------------------------------------
@excel_function("DATE", N, N, N, uses_book=True)
def date(book: WorkbookContext, year: float, month: float, day: float) -> float:
    """"DATE function": a year 0-1899 is added to 1900; months past 12 or below 1 and days past
    the month's end or below 1 run into the neighbouring years and months."""
    y, m, d = integer(year), integer(month), integer(day)
    if not 0 <= y <= 9999:
        raise ErrorResult(ExcelError.NUM)
    if y < 1900:
        y += 1900
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    dates = date_system(book.date1904)
    if not 1 <= y <= 9999:
        raise ErrorResult(ExcelError.NUM)
    return _checked(dates, dates.serial(y, m, 1) + d - 1)


@excel_function("TIME", N, N, N)
def time(hour: float, minute: float, second: float) -> float:
    """"TIME function": the fraction of a day; hours past 23 wrap around a day, minutes and
    seconds carry into hours; a part above 32767 or a negative time is #NUM!."""
    h, m, s = integer(hour), integer(minute), integer(second)
    total = h * 3600 + m * 60 + s
    if max(h, m, s) > MAX_TIME_PART or total < 0:
        raise ErrorResult(ExcelError.NUM)
    return total % 86400 / 86400


@excel_function("DATEVALUE", D, uses_book=True)
def datevalue(book: WorkbookContext, text: Scalar) -> float:
    """"DATEVALUE function": the serial of a date written as text, its time left out; text
    that holds a time alone is no date (#VALUE!)."""
    return float(_date_and_time(book, text, 0))


@excel_function("TIMEVALUE", D, uses_book=True)
def timevalue(book: WorkbookContext, text: Scalar) -> float:
    """"TIMEVALUE function": the fraction of a day of a time written as text, a date in it left
    out; text that holds a date alone is no time (#VALUE!)."""
    return _date_and_time(book, text, 1)


@excel_function("TODAY", uses_book=True, volatile=True, random=True)
def today(book: WorkbookContext) -> float:
    """"TODAY function": the current date (recomputed at every recalculation)."""
    return float(math.floor(now(book)))


@excel_function("NOW", uses_book=True, volatile=True, random=True)
def now(book: WorkbookContext) -> float:
    """"NOW function": the current date and time."""
    return date_system(book.date1904).from_datetime(clock())


# --- parts of a date or time --------------------------------------------------------------------
def _part(book: WorkbookContext, serial: Scalar, part: str) -> float:
    """A part of a date (its whole days) or of a time (rounded to the second, as the clock shows
    it)."""
    dates, value = date_system(book.date1904), _serial(book, serial)
    if part in ("hour", "minute", "second"):
        return float(getattr(dates.moment(value, within_day=True), part))
    return float(getattr(dates.moment(math.floor(value)), part))


def _part_function(part: str) -> Callable[[WorkbookContext, Scalar], float]:
    def impl(book: WorkbookContext, serial: Scalar) -> float:
        return _part(book, serial, part)
    impl.__name__ = part
    return impl


# "YEAR function", "MONTH function", "DAY function" (1 to 31; 0 for serial 0 of the 1900
# system, which shows as 1/0/1900), "HOUR function", "MINUTE function", "SECOND function"
for _name in ("year", "month", "day", "hour", "minute", "second"):
    excel_function(_name.upper(), D, uses_book=True)(_part_function(_name))


# "WEEKDAY function": return_type -> the weekday (Monday 0) numbered 1; 3 numbers from 0.
_FIRST_DAY = {1: 6, 2: 0, 3: 0, **{t: t - 11 for t in range(11, 18)}}


@excel_function("WEEKDAY", D, N, min_args=1, uses_book=True)
def weekday(book: WorkbookContext, serial: Scalar, return_type: float | None = None) -> float:
    kind = integer(optional(return_type, 1.0))
    if kind not in _FIRST_DAY:
        raise ErrorResult(ExcelError.NUM)
    w = (date_system(book.date1904).weekday(_day(book, serial)) - _FIRST_DAY[kind]) % 7
    return float(w if kind == 3 else w + 1)


def _iso_week(dates: DateSystem, days: int) -> int:
    """ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday."""
    thursday = days - dates.weekday(days) + 3
    return (thursday - dates.serial(dates.moment(thursday).year, 1, 1)) // 7 + 1


# "WEEKNUM function": return_type -> the weekday (Monday 0) a week begins on (system 1: the
# week holding 1 January is week 1); 21 is ISO 8601 (system 2).
_WEEK_START = {1: 6, 2: 0, **{t: t - 11 for t in range(11, 18)}}


@excel_function("WEEKNUM", D, N, min_args=1, uses_book=True)
def weeknum(book: WorkbookContext, serial: Scalar, return_type: float | None = None) -> float:
    kind = integer(optional(return_type, 1.0))
    dates, days = date_system(book.date1904), _day(book, serial)
    if kind == 21:
        return float(_iso_week(dates, days))
    if kind not in _WEEK_START:
        raise ErrorResult(ExcelError.NUM)
    first = dates.serial(dates.moment(days).year, 1, 1)
    return float((days - first + (dates.weekday(first) - _WEEK_START[kind]) % 7) // 7 + 1)


@excel_function("ISOWEEKNUM", D, uses_book=True)
def isoweeknum(book: WorkbookContext, serial: Scalar) -> float:
    return float(_iso_week(date_system(book.date1904), _day(book, serial)))


# --- date arithmetic --------------------------------------------------------------------------------
def _months_later(book: WorkbookContext, start: Scalar, months: float, *, end: bool) -> float:
    dates = date_system(book.date1904)
    when = dates.moment(_day(book, start))
    total = when.year * 12 + when.month - 1 + integer(months)
    y, m = divmod(total, 12)
    if not 1 <= y <= 9999:
        raise ErrorResult(ExcelError.NUM)
    last = dates.days_in_month(y, m + 1)
    return _checked(dates, dates.serial(y, m + 1, last if end else min(when.day, last)))


@excel_function("EDATE", D, N, uses_book=True)
def edate(book: WorkbookContext, start: Scalar, months: float) -> float:
    """"EDATE function": the same day ``months`` later (the month's last day where it is
    shorter)."""
    return _months_later(book, start, months, end=False)


@excel_function("EOMONTH", D, N, uses_book=True)
def eomonth(book: WorkbookContext, start: Scalar, months: float) -> float:
    """"EOMONTH function": the last day of the month ``months`` later."""
    return _months_later(book, start, months, end=True)


@excel_function("DAYS", D, D, uses_book=True)
def days(book: WorkbookContext, end: Scalar, start: Scalar) -> float:
    """"DAYS function": end_date - start_date; a date as text is its DATEVALUE, a whole day."""
    return _days_of(book, end) - _days_of(book, start)


def _days_of(book: WorkbookContext, value: Scalar) -> float:
    return float(_day(book, value)) if type(value) is str else _serial(book, value)


@excel_function("DAYS360", D, D, Arg.BOOL, min_args=2, uses_book=True)
def days360(book: WorkbookContext, start: Scalar, end: Scalar,
            european: bool | None = False) -> float:
    """"DAYS360 function". U.S. (NASD) method: a start on the last day of its month becomes the
    30th; an end on the 31st becomes the 30th if the start is then the 30th (else it counts as
    the 1st of the next month). European method: the 31st is the 30th."""
    dates = date_system(book.date1904)
    a, b = dates.moment(_day(book, start)), dates.moment(_day(book, end))
    d1, d2 = a.day, b.day
    if european:
        d1, d2 = min(d1, 30), min(d2, 30)
    else:
        if d1 == dates.days_in_month(a.year, a.month):
            d1 = 30
        if d2 == 31 and d1 >= 30:
            d2 = 30
    return float((b.year - a.year) * 360 + (b.month - a.month) * 30 + d2 - d1)


@excel_function("DATEDIF", D, D, Arg.TEXT, uses_book=True)
def datedif(book: WorkbookContext, start: Scalar, end: Scalar, unit: str) -> float:
    """"DATEDIF function": whole years ("Y"), months ("M") or days ("D") from start to end;
    "YM" the months and "YD" the days past the whole years, "MD" the days past the whole
    months (which may be negative, as the page warns). A start after the end is #NUM!."""
    dates = date_system(book.date1904)
    s, e = _day(book, start), _day(book, end)
    if s > e:
        raise ErrorResult(ExcelError.NUM)
    a, b = dates.moment(s), dates.moment(e)
    months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
    kind = unit.upper()
    if kind == "D":
        return float(e - s)
    if kind == "M":
        return float(months)
    if kind == "Y":
        return float(months // 12)
    if kind == "YM":
        return float(months % 12)
    if kind == "YD":
        later = (b.month, b.day) >= (a.month, a.day)
        return float(e - dates.serial(b.year if later else b.year - 1, a.month, a.day))
    if kind == "MD":
        if b.day >= a.day:
            return float(b.day - a.day)
        before = (b.year * 12 + b.month - 2)
        return float(b.day + dates.days_in_month(before // 12, before % 12 + 1) - a.day)
    raise ErrorResult(ExcelError.NUM)


def _thirty_360(dates: DateSystem, s: int, e: int, *, european: bool) -> int:
    """YEARFRAC's day count on 30-day months: basis 0 (U.S. NASD: a start on the last day of
    February counts as the 30th, and so does an end there after such a start; an end on the 31st
    is the 30th only after a start on the 30th or 31st, judged before the start's own change, so
    28 February to 31 March is 31 days) or basis 4 (European, the 31st is the 30th). Basis 0 as
    Microsoft's sample of Excel's code has it (TmpDays360Nasd, OASIS office-formula list,
    "Excel's YEARFRAC algorithm", 2008), as LibreOffice computes it."""
    a, b = dates.moment(s), dates.moment(e)
    d1, d2 = a.day, b.day
    if european:
        d1, d2 = min(d1, 30), min(d2, 30)
    else:
        february_end = a.month == 2 and d1 == dates.days_in_month(a.year, 2)
        if february_end and b.month == 2 and d2 == dates.days_in_month(b.year, 2):
            d2 = 30
        if d2 == 31 and d1 >= 30:
            d2 = 30
        d1 = 30 if february_end else min(d1, 30)
    return (b.year - a.year) * 360 + (b.month - a.month) * 30 + d2 - d1


def _actual_year(dates: DateSystem, s: int, e: int) -> float:
    """Basis 1's year length: within one calendar year, that year's length (366 in a leap year
    even where the span misses its 29 February); over at most a year into the next, 366 days if
    the span holds a 29 February, else 365; over more, the average length of the years it
    touches. Excel's results as OASIS OpenFormula writes them down ("YEARFRAC", Procedure E for
    basis 1), and LibreOffice's."""
    a, b = dates.moment(s), dates.moment(e)
    if a.year == b.year:
        return 366.0 if dates.days_in_month(a.year, 2) == 29 else 365.0
    leap = [y for y in (a.year, b.year) if dates.days_in_month(y, 2) == 29]
    if b.year == a.year + 1 and (a.month, a.day) >= (b.month, b.day):
        return 366.0 if any(s <= dates.serial(y, 2, 29) <= e for y in leap) else 365.0
    return (dates.serial(b.year + 1, 1, 1) - dates.serial(a.year, 1, 1)) / (b.year - a.year + 1)


@excel_function("YEARFRAC", D, D, N, min_args=2, uses_book=True)
def yearfrac(book: WorkbookContext, start: Scalar, end: Scalar,
             basis: float | None = None) -> float:
    """"YEARFRAC function": the fraction of a year between two dates, by the day count basis
    0 (US 30/360), 1 (actual/actual), 2 (actual/360), 3 (actual/365), 4 (European 30/360)."""
    dates = date_system(book.date1904)
    s, e = sorted((_day(book, start), _day(book, end)))
    kind = integer(optional(basis, 0.0))
    if kind in (0, 4):
        return _thirty_360(dates, s, e, european=kind == 4) / 360
    if kind == 1:
        return (e - s) / _actual_year(dates, s, e)
    if kind in (2, 3):
        return (e - s) / (360 if kind == 2 else 365)
    raise ErrorResult(ExcelError.NUM)


# --- working days ----------------------------------------------------------------------------------
def _weekend(value: Scalar) -> frozenset[int]:
    """"NETWORKDAYS.INTL function": a weekend number (1 Saturday-Sunday to 7 Friday-Saturday,
    11 Sunday only to 17 Saturday only) or seven 0/1 characters from Monday (1 is a day off,
    all seven is #VALUE!: WORKDAY.INTL has no day to move to). The days off, Monday 0."""
    if value is None:
        return frozenset((5, 6))
    if type(value) is str:
        if len(value) != 7 or set(value) - {"0", "1"} or value == "1111111":  # type: ignore[arg-type]
            raise ErrorResult(ExcelError.VALUE)
        return frozenset(i for i, c in enumerate(value) if c == "1")  # type: ignore[arg-type]
    if type(value) is bool:
        raise ErrorResult(ExcelError.VALUE)
    kind = integer(to_number(value))
    if 1 <= kind <= 7:
        return frozenset(((kind + 4) % 7, (kind + 5) % 7))
    if 11 <= kind <= 17:
        return frozenset(((kind - 5) % 7,))
    raise ErrorResult(ExcelError.NUM)


def _holidays(book: WorkbookContext, grid: Array | None, off: frozenset[int]) -> set[int]:
    """The holidays that fall on working days; empty cells are left out."""
    if grid is None:
        return set()
    dates = date_system(book.date1904)
    found = {_day(book, v) for v in grid if v is not None}
    return {h for h in found if dates.weekday(h) not in off}


def _working_days(book: WorkbookContext, start: Scalar, end: Scalar, off: frozenset[int],
                  holidays: Array | None) -> float:
    dates = date_system(book.date1904)
    a, b = _day(book, start), _day(book, end)
    free = _holidays(book, holidays, off)
    low, high = min(a, b), max(a, b)
    weeks = (high - low + 1) // 7
    count = weeks * (7 - len(off)) + sum(
        1 for d in range(low + 7 * weeks, high + 1) if dates.weekday(d) not in off)
    count -= sum(1 for h in free if low <= h <= high)
    return float(count if a <= b else -count)


@excel_function("NETWORKDAYS", D, D, Arg.GRID, min_args=2, uses_book=True)
def networkdays(book: WorkbookContext, start: Scalar, end: Scalar,
                holidays: Array | None = None) -> float:
    """"NETWORKDAYS function": the working days (Monday to Friday, holidays left out) from start
    to end, both counted; negative when end comes first."""
    return _working_days(book, start, end, _weekend(None), holidays)


@excel_function("NETWORKDAYS.INTL", D, D, D, Arg.GRID, min_args=2,
                uses_book=True)
def networkdays_intl(book: WorkbookContext, start: Scalar, end: Scalar, weekend: Scalar = None,
                     holidays: Array | None = None) -> float:
    """"NETWORKDAYS.INTL function": a week of seven days off ("1111111") has no working day."""
    if weekend == "1111111":
        _day(book, start), _day(book, end)  # the dates are still checked
        return 0.0
    return _working_days(book, start, end, _weekend(weekend), holidays)


def _workday(book: WorkbookContext, start: Scalar, count: float, off: frozenset[int],
             holidays: Array | None) -> float:
    dates = date_system(book.date1904)
    day, n = _day(book, start), integer(count)
    if n == 0:
        return float(day)
    free = _holidays(book, holidays, off)
    step, per_week = (1 if n > 0 else -1), 7 - len(off)
    weeks = (abs(n) - 1) // per_week  # whole weeks first: each holds per_week working days
    jumped = day + step * 7 * weeks
    low, high = sorted((day + step, jumped))
    left = abs(n) - weeks * per_week + sum(1 for h in free if low <= h <= high)
    day = jumped
    while left:
        day += step
        if dates.weekday(day) not in off and day not in free:
            left -= 1
    return _checked(dates, day)


@excel_function("WORKDAY", D, N, Arg.GRID, min_args=2, uses_book=True)
def workday(book: WorkbookContext, start: Scalar, days: float,
            holidays: Array | None = None) -> float:
    """"WORKDAY function": the date ``days`` working days (Monday to Friday, not holidays)
    after start (before it if negative)."""
    return _workday(book, start, days, _weekend(None), holidays)


@excel_function("WORKDAY.INTL", D, N, D, Arg.GRID, min_args=2,
                uses_book=True)
def workday_intl(book: WorkbookContext, start: Scalar, days: float, weekend: Scalar = None,
                 holidays: Array | None = None) -> float:
    return _workday(book, start, days, _weekend(weekend), holidays)
