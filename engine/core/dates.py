"""Excel's serial numbers for dates and times, written once for reading text, the date
functions, TEXT's formats and the file reader ("Date systems in Excel").

A serial's whole part counts days, its fraction is the time of day. In the 1900 date system
serial 1 is 1 January 1900 and serial 60 is the 29 February 1900 that Excel keeps from Lotus
1-2-3 ("Excel incorrectly assumes that the year 1900 is a leap year"); serial 0 shows as
"1/0/1900". In the 1904 date system (a workbook saved with ``<workbookPr date1904="1"/>``) serial 0
is 1 January 1904, serial 1462 of the 1900 system. Both end on 31 December 9999.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import NamedTuple

_EPOCH = dt.date(1899, 12, 30)   # serial 0 of the 1900 system, counted back from March 1900
_LOTUS_LEAP_DAY = 60
_LAST_DAY = 2958465              # 31 December 9999 in the 1900 system


class Moment(NamedTuple):
    """A serial as a calendar shows it; ``day`` may be Excel's 0 (1/0/1900) or 29 February 1900."""

    year: int
    month: int
    day: int
    weekday: int  # Monday 0 to Sunday 6
    hour: int
    minute: int
    second: int


class DateSystem:
    """One date system: ``shift`` is its serial 0 as a serial of the 1900 system."""

    __slots__ = ("shift",)

    def __init__(self, shift: int) -> None:
        self.shift = shift

    @property
    def last(self) -> int:
        """The serial of 31 December 9999."""
        return _LAST_DAY - self.shift

    def valid(self, serial: float) -> bool:
        """Whether ``serial`` is a date of this system (0 to 31 December 9999 at 23:59:59)."""
        return 0 <= serial < self.last + 1

    def days_in_month(self, year: int, month: int) -> int:
        if (year, month) == (1900, 2) and self.shift == 0:
            return 29  # Lotus's leap day
        return calendar.monthrange(year, month)[1]

    def serial(self, year: int, month: int, day: int) -> int:
        """The serial of a day of the calendar: month 1-12, day from 1 on (past the month's end
        it runs into the next); negative or past 9999 for a day outside the system."""
        if not 1 <= year <= 9999:
            return -1 if year < 1 else self.last + 1
        first = (dt.date(year, month, 1) - _EPOCH).days
        if first <= _LOTUS_LEAP_DAY and self.shift == 0:
            first -= 1  # before March 1900 the days are counted from the day after the epoch
        return first + day - 1 - self.shift

    def moment(self, serial: float, *, within_day: bool = False) -> Moment:
        """The calendar day and clock time of a valid serial, rounded to the nearest second
        (half up): the display carries 23:59:59.6 into the next day, ``within_day`` keeps it at
        23:59:59 (HOUR, MINUTE, SECOND: a day's fractions 0 to 0.99999999 are "0:00:00 to
        23:59:59", ECMA-376 Part 1, "Time Representation")."""
        days = math.floor(serial)
        seconds = math.floor((serial - days) * 86400 + 0.5)
        if seconds == 86400:
            days, seconds = (days, 86399) if within_day else (days + 1, 0)
        year, month, day = self._date(days)
        hour, rest = divmod(seconds, 3600)
        return Moment(year, month, day, self.weekday(days), hour, rest // 60, rest % 60)

    def _date(self, days: int) -> tuple[int, int, int]:
        n = days + self.shift
        if n == 0:
            return 1900, 1, 0
        if n == _LOTUS_LEAP_DAY:
            return 1900, 2, 29
        date = _EPOCH + dt.timedelta(days=n + 1 if n < _LOTUS_LEAP_DAY else n)
        return date.year, date.month, date.day

    def weekday(self, days: int) -> int:
        """Monday 0 to Sunday 6 of a serial, as Excel counts: serial 1 of the 1900 system is a
        Sunday (the days before March 1900 are one off the real calendar's, as Lotus had them)."""
        return (days + self.shift + 5) % 7

    def from_datetime(self, moment: dt.datetime) -> float:
        """A date and time (an ISO 8601 cell of the file) as a serial."""
        day = self.serial(moment.year, moment.month, moment.day)
        return day + (moment.hour * 3600 + moment.minute * 60 + moment.second
                      + moment.microsecond / 1e6) / 86400

    def from_text(self, text: str) -> float | None:
        """The serial of a date and/or time written as text (``"6/1/2001"``, ``"10:30 PM"``,
        ``"2001-06-01 10:30"``), or None where it is not one or not a date of this system."""
        found = self.date_and_time(text)
        return None if found is None else (found[0] or 0) + (found[1] or 0.0)

    def date_and_time(self, text: str) -> tuple[int | None, float | None] | None:
        """:meth:`from_text` as its day and its fraction of a day, None for the part the text
        does not hold."""
        text = text.strip()
        m = _date_match(text)
        if not m:
            time = _time_fraction(text)
            return None if time is None else (None, time)
        year, day = int(m.group("y")), int(m.group("d"))
        month = int(m.group("m")) if m.group("m").isdigit() else _MONTHS.get(m.group("m").lower(), 0)
        if year < 100:  # "How Excel works with two-digit year numbers": 00-29 are 20xx, 30-99 19xx
            year += 2000 if year < 30 else 1900
        if year < 1900 or not (1 <= month <= 12 and 1 <= day <= self.days_in_month(year, month)):
            return None
        date = self.serial(year, month, day)
        if not self.valid(date):
            return None
        if not m.group("time"):
            return date, None
        time = _time_fraction(m.group("time"))
        return None if time is None else (date, time)


DATES_1900 = DateSystem(0)
DATES_1904 = DateSystem(1462)


def date_system(date1904: bool) -> DateSystem:
    return DATES_1904 if date1904 else DATES_1900


# Dates and times as US-English Excel reads them from text: m/d/y, y-m-d (y/m/d), d-mmm-y with
# the month's name or its three letters ("22-MAY-2011", "30-Jan-2008", "DATEVALUE function"; also
# with spaces, "22 August 2011") and mmm d, y ("April 23, 00", ErrorCheckingOptions.TextDate), a
# time h:mm[:ss] with an optional AM/PM, or a date followed by a time. A date without its year
# ("1/2", "5-JUL") means the current year in Excel; that is not reproducible, so it is not read.
_DATE_FORMS = [re.compile(rf"^{date}(?:\s+(?P<time>.+))?$", re.I) for date in (
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{1,4})",
    r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",
    r"(?P<d>\d{1,2})(?P<s>[- ])(?P<m>[a-z]+)(?P=s)(?P<y>\d{1,4})",
    r"(?P<m>[a-z]+) (?P<d>\d{1,2}),? (?P<y>\d{1,4})")]
_MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
           for number, name in enumerate(names) if name}


def _date_match(text: str) -> re.Match[str] | None:
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            return m
    return None


_TIME_TEXT = re.compile(r"^(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?"
                        r"\s*(?P<half>[AaPp][Mm])?$")


def _time_fraction(text: str) -> float | None:
    m = _TIME_TEXT.match(text)
    if not m:
        return None
    hours, minutes, seconds = int(m.group("h")), int(m.group("min")), float(m.group("s") or 0)
    half = (m.group("half") or "").upper()
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half == "PM" else 0)
    if hours > 23 or minutes > 59 or seconds >= 60:
        return None
    return (hours * 3600 + minutes * 60 + seconds) / 86400


def date_time_from_text(text: str, date1904: bool = False) -> float | None:
    """The serial number of a date and/or time written as text (``"6/1/2001"``), or None."""
    return date_system(date1904).from_text(text)
