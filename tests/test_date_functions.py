"""Date and time functions as tables: each row a formula and the value the Microsoft support page
of that function prints (the page is named above its rows; "rule" rows are arithmetic on a rule
the page states). Dates in the 1900 date system unless a test says 1904 ("Date systems in
Excel": serial 0 is 1 January 1904, serial 1462 of the 1900 system)."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from cellgrad.core.dates import DATES_1900, DATES_1904, date_time_from_text
from cellgrad.core.values import ExcelError
from cellgrad.functions import dates
from cellgrad.workbook import Workbook
from openpyxl.utils.datetime import MAC_EPOCH

from .builder import assert_same, evaluate, row

VALUE, NUM = ExcelError.VALUE, ExcelError.NUM

ROWS = [
    # "DATE function"
    row("=DATE(2011,1,1)", 40544.0), row("=DATE(108,1,2)", 39449.0), row("=DATE(2008,14,2)", 39846.0),
    row("=DATE(2008,-3,2)", 39327.0), row("=DATE(2008,1,35)", 39482.0),
    row("=DATE(2008,1,-15)", 39432.0), row("=DATE(-1,1,1)", NUM), row("=DATE(10000,1,1)", NUM),
    row("=DATE(1900,2,29)", 60.0), row("=DATE(1900,3,1)", 61.0),     # rule: Lotus's leap day
    # "DATEVALUE function"
    row('=DATEVALUE("8/22/2011")', 40777.0), row('=DATEVALUE("2011/02/23")', 40597.0),
    row('=DATEVALUE("8/22/2011 6:35 AM")', 40777.0), row('=DATEVALUE("x")', VALUE),
    row("=DATEVALUE(40777)", VALUE),                                  # rule: date_text is text
    row('=DATEVALUE("10:00")', VALUE),                                # rule: a date in the text
    row('=DATEVALUE("22-MAY-2011")', 40685.0), row('=DATEVALUE("30-Jan-2008")', 39477.0),
    row('=DATEVALUE("22 August 2011")', 40777.0),                    # rule: the name in full
    row('=DATEVALUE("Aug 22, 2011")', 40777.0),                       # rule: mmm d, y as below
    row('=DATEVALUE("30-Feb-2011")', VALUE),                          # rule: a day of the month
    row('=DATEVALUE(TEXT(4,"d-mmm-yy"))', 36529.0),                   # rule: "4-Jan-00" is 2000
    # ErrorCheckingOptions.TextDate: "April 23, 00" is a text date with a two-digit year
    row('=DATEVALUE("April 23, 00")', 36639.0),
    # "TIMEVALUE function"
    row('=TIMEVALUE("2:24 AM")', 0.1), row('=TIMEVALUE("8/22/2011 6:35 AM")', (6 * 60 + 35) / 1440),
    row('=TIMEVALUE("25:00")', VALUE), row('=TIMEVALUE("8/22/2011")', VALUE),  # rule: a time
    # "TIME function"
    row("=TIME(12,0,0)", 0.5), row("=TIME(16,48,10)", (16 * 3600 + 48 * 60 + 10) / 86400),
    row("=TIME(27,0,0)", 0.125), row("=TIME(0,750,0)", 0.5208333333333334),
    row("=TIME(0,-1,0)", NUM), row("=TIME(32768,0,0)", NUM),
    # "YEAR function", "MONTH function", "DAY function"
    row('=YEAR("7/5/2008")', 2008.0), row('=YEAR("7/5/2010")', 2010.0), row('=MONTH("4/15/2011")', 4.0),
    row('=DAY("4/15/2011")', 15.0), row("=DAY(60)", 29.0), row("=MONTH(60)", 2.0),
    row("=DAY(0)", 0.0), row("=YEAR(0)", 1900.0), row("=DAY(-1)", NUM), row("=DAY(2958466)", NUM),
    row('=DAY("apple")', VALUE),
    # "HOUR function", "MINUTE function", "SECOND function"
    row("=HOUR(0.75)", 18.0), row('=HOUR("7/18/2011 7:45")', 7.0), row('=HOUR("4/21/2012")', 0.0),
    row('=MINUTE("12:45 PM")', 45.0), row('=SECOND("4:48:18 PM")', 18.0),
    row('=SECOND("4:48 PM")', 0.0), row("=HOUR(-0.5)", NUM),
    # ECMA-376 Part 1, "Time Representation": 0 to 0.99999999 are 0:00:00 to 23:59:59
    row("=HOUR(0.99999999)", 23.0), row("=SECOND(0.99999999)", 59.0), row("=SECOND(0.5/86400)", 1.0),
    # "WEEKDAY function"
    row('=WEEKDAY("2/14/2008")', 5.0), row('=WEEKDAY("2/14/2008",2)', 4.0),
    row('=WEEKDAY("2/14/2008",3)', 3.0), row('=WEEKDAY("2/14/2008",16)', 6.0),
    row('=WEEKDAY("2/14/2008",4)', NUM), row("=WEEKDAY(1)", 1.0),  # rule: 1/1/1900 a Sunday
    # "WEEKNUM function"
    row('=WEEKNUM("3/9/2012")', 10.0), row('=WEEKNUM("3/9/2012",2)', 11.0),
    row('=WEEKNUM("3/9/2012",21)', 10.0), row('=WEEKNUM("3/9/2012",3)', NUM),
    # "ISOWEEKNUM function"
    row('=ISOWEEKNUM("3/9/2012")', 10.0), row('=ISOWEEKNUM("1/1/2021")', 53.0),  # rule: ISO 8601
    # "EDATE function", "EOMONTH function"
    row('=EDATE("1/15/2011",1)', 40589.0), row('=EDATE("1/15/2011",-1)', 40527.0),
    row('=EDATE("1/15/2011",2)', 40617.0), row('=EDATE("1/31/2011",1)', 40602.0),
    row('=EOMONTH("1/1/2011",1)', 40602.0), row('=EOMONTH("1/1/2011",-3)', 40482.0),
    row("=EOMONTH(-1,1)", NUM), row("=EDATE(DATE(9999,12,1),1)", NUM),
    # "DAYS function"
    row("=DAYS(DATE(2021,3,15),DATE(2021,2,1))", 42.0),
    row("=DAYS(DATE(2021,12,31),DATE(2021,1,1))", 364.0), row('=DAYS("x",1)', VALUE),
    row("=DAYS(2.75,1)", 1.75), row('=DAYS("1/2/2011 18:00","1/1/2011")', 1.0),  # rule: text is DATEVALUE
    # "DAYS360 function"
    row('=DAYS360("1/30/2011","12/31/2011")', 330.0), row('=DAYS360("1/1/2011","1/30/2011")', 29.0),
    row('=DAYS360("1/1/2011","12/31/2011")', 360.0),
    row('=DAYS360("1/1/2011","12/31/2011",TRUE)', 359.0),            # rule: European method
    # "YEARFRAC function"
    row("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30))", 0.5805555555555556),
    row("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),1)", 211 / 366),
    row("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3)", 211 / 365),
    row("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),2)", 211 / 360),   # rule: actual/360
    row("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),4)", 209 / 360),   # rule: European 30/360
    row("=YEARFRAC(DATE(2011,1,1),DATE(2013,1,1),1)", 731 / ((365 + 366 + 365) / 3)),  # rule
    row("=YEARFRAC(1,2,5)", NUM),
    # Excel's code as Microsoft's sample gives it (OASIS office-formula list, "Excel's YEARFRAC
    # algorithm", 2008; LibreOffice agrees): basis 1 within a leap year divides by 366 though
    # the span misses 29 February; basis 0 keeps an end on the 31st after a start on 28 February
    row("=YEARFRAC(DATE(2012,3,1),DATE(2012,7,30),1)", 151 / 366),
    row("=YEARFRAC(DATE(2011,3,1),DATE(2011,7,30),1)", 151 / 365),
    row("=YEARFRAC(DATE(2011,2,28),DATE(2011,3,31))", 31 / 360),
    row("=YEARFRAC(DATE(2011,2,28),DATE(2012,2,29))", 1.0),
    # "DATEDIF function"
    row('=DATEDIF("1/1/2001","1/1/2003","Y")', 2.0), row('=DATEDIF("6/1/2001","8/15/2002","D")', 440.0),
    row('=DATEDIF("6/1/2001","8/15/2002","YD")', 75.0), row('=DATEDIF("6/1/2001","8/15/2002","MD")', 14.0),
    row('=DATEDIF("6/1/2001","8/15/2002","M")', 14.0), row('=DATEDIF("6/1/2001","8/15/2002","YM")', 2.0),
    row('=DATEDIF("1/1/2003","1/1/2001","Y")', NUM), row('=DATEDIF("1/1/2001","1/1/2003","W")', NUM),
    # "NETWORKDAYS function" (holidays 11/22/2012, 12/4/2012, 1/21/2013)
    row('=NETWORKDAYS("10/1/2012","3/1/2013")', 110.0),
    row('=NETWORKDAYS("10/1/2012","3/1/2013",DATE(2012,11,22))', 109.0),
    row('=NETWORKDAYS("10/1/2012","3/1/2013",{41235,41247,41295})', 107.0),
    row('=NETWORKDAYS("3/1/2013","10/1/2012")', -110.0),              # rule: later start
    # "NETWORKDAYS.INTL function"
    row("=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,1,31))", 22.0),
    row("=NETWORKDAYS.INTL(DATE(2006,2,28),DATE(2006,1,31))", -21.0),
    row('=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),7,{"2006/1/2","2006/1/16"})', 22.0),
    row('=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),"0010001",{"2006/1/2","2006/1/16"})', 20.0),
    row('=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),"1111111")', 0.0),
    row('=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),"11")', VALUE),
    row("=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),8)", NUM),
    # "WORKDAY function" (holidays 11/26/2008, 12/4/2008, 1/21/2009)
    row('=WORKDAY("10/1/2008",151)', 39933.0),
    row('=WORKDAY("10/1/2008",151,{39778,39786,39834})', 39938.0),
    row('=WORKDAY("10/1/2008",0)', 39722.0), row('=WORKDAY("5/5/2009",-151,{39778,39786,39834})',
                                                 39722.0),                # rule: backwards
    row("=WORKDAY(-1,1)", NUM),
    # "WORKDAY.INTL function"
    row("=WORKDAY.INTL(DATE(2012,1,1),30,0)", NUM), row("=WORKDAY.INTL(DATE(2012,1,1),90,11)", 41013.0),
    row('=TEXT(WORKDAY.INTL(DATE(2012,1,1),30,17),"m/dd/yyyy")', "2/05/2012"),
    row('=WORKDAY.INTL(DATE(2012,1,1),1,"1111111")', VALUE),
]


@pytest.mark.parametrize("formula, expected", ROWS)
def test_date_functions(formula: str, expected: object) -> None:
    assert_same(expected, evaluate(formula), formula)


# Serials of both systems for days and times written as text: (text, 1900 serial, 1904 serial).
CONVERSIONS = [
    ("1/1/1900", 1.0, None), ("2/28/1900", 59.0, None), ("2/29/1900", 60.0, None),
    ("3/1/1900", 61.0, None), ("1/1/1904", 1462.0, 0.0), ("1/2/1904 12:00", 1463.5, 1.5),
    ("8/22/2011", 40777.0, 39315.0), ("12/31/9999", 2958465.0, 2957003.0), ("2/29/2001", None, None),
    ("6:00", 0.25, 0.25), ("1899-12-31", None, None),
]


@pytest.mark.parametrize("text, serial_1900, serial_1904", CONVERSIONS)
def test_dates_from_text_in_both_systems(text: str, serial_1900: float | None,
                                         serial_1904: float | None) -> None:
    assert date_time_from_text(text) == serial_1900
    assert date_time_from_text(text, date1904=True) == serial_1904


@pytest.mark.parametrize("serial, shown", [(0, (1900, 1, 0)), (59, (1900, 2, 28)), (60, (1900, 2, 29)),
                                           (61, (1900, 3, 1)), (40777.75, (2011, 8, 22))])
def test_serials_as_days_in_1900(serial: float, shown: tuple[int, int, int]) -> None:
    assert DATES_1900.moment(serial)[:3] == shown


@pytest.mark.parametrize("serial, shown", [(0, (1904, 1, 1)), (1, (1904, 1, 2)),
                                           (40777.75 - 1462, (2011, 8, 22))])
def test_serials_as_days_in_1904(serial: float, shown: tuple[int, int, int]) -> None:
    assert DATES_1904.moment(serial)[:3] == shown


def book_1904(cells: dict) -> Workbook:
    """A workbook saved in the 1904 date system by openpyxl (``<workbookPr date1904="1"/>``),
    with date cells written as ISO 8601 (t="d")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    wb.epoch = MAC_EPOCH
    wb.iso_dates = True
    for ref, value in cells.items():
        ws[ref] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mac.xlsx"
        wb.save(path)
        book = Workbook.load(path)
    book.calculate()
    return book


def test_the_1904_date_system() -> None:
    formulas = {
        "A1": "=DATE(1904,1,1)", "A2": "=DATE(2011,1,1)", "A3": '=DATEVALUE("8/22/2011")',
        "A4": "=YEAR(0)", "A5": "=WEEKDAY(0)", "A6": '=TEXT(0,"yyyy-mm-dd dddd")',
        "A7": "=DATE(1903,12,31)", "A8": '=DAY("1/1/1903")', "A9": '=EOMONTH("1/1/2011",1)',
        "A10": '=NETWORKDAYS("10/1/2012","3/1/2013")', "A11": '=TEXT("8/22/2011","d mmm yyyy")',
        "A12": "=A13-DATE(2011,8,22)",
    }
    book = book_1904({**formulas, "A13": dt.datetime(2011, 8, 22, 6, 0)})
    expected = [0.0, 40544.0 - 1462, 40777.0 - 1462, 1904.0, 6.0, "1904-01-01 Friday", NUM, VALUE,
                40602.0 - 1462, 110.0, "22 Aug 2011", 0.25]
    for i, want in enumerate(expected, start=1):
        assert_same(want, book[f"S!A{i}"], formulas[f"A{i}"])


def test_a_1900_workbook_reads_iso_dates_as_1900_serials(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.iso_dates = True
    wb.active["A1"] = dt.datetime(2011, 8, 22, 18, 0)
    wb.save(tmp_path / "iso.xlsx")
    assert Workbook.load(tmp_path / "iso.xlsx")["Sheet!A1"] == 40777.75


def test_today_and_now_read_the_clock_at_each_recalculation(monkeypatch, tmp_path: Path) -> None:
    """"TODAY function", "NOW function": volatile, recomputed at every recalculation."""
    monkeypatch.setattr(dates, "clock", lambda: dt.datetime(2011, 12, 23, 13, 30))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "=TODAY()", "=NOW()", "=A1+1"
    wb.save(tmp_path / "now.xlsx")
    book = Workbook.load(tmp_path / "now.xlsx")
    book.calculate()
    assert (book["Sheet!A1"], book["Sheet!A2"], book["Sheet!A3"]) == (40900.0, 40900.5625, 40901.0)
    monkeypatch.setattr(dates, "clock", lambda: dt.datetime(2012, 1, 1, 6, 0))
    book.recalculate()
    assert (book["Sheet!A1"], book["Sheet!A2"], book["Sheet!A3"]) == (40909.0, 40909.25, 40910.0)
