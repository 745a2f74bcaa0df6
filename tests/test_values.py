"""Excel's value rules, written once in cellgrad.core.values: coercions, text of numbers, comparison.

Rows come from "Calculation operators and precedence in Excel" (how Excel converts values in
formulas), "Excel specifications and limits" (15 digits of precision) and the documented sort
order of MATCH/SORT (numbers < text < logicals; text without regard to case). The comparison is
also checked as a property: a total order consistent with that type ranking.
"""
from __future__ import annotations

import pytest
from cellgrad.core.values import (ErrorResult, ExcelError, compare, format_number, number_from_text,
                                  to_bool, to_number, to_text, typed_number)
from hypothesis import given
from hypothesis import strategies as st

NUMBER_TEXT = [
    ("1", 1.0), ("1e3", 1000.0), ("1E-2", 0.01), (" 2 ", 2.0), ("50%", 0.5), ("$4.00", 4.0),
    ("1,000", 1000.0), ("1,000.5", 1000.5), ("-1", -1.0), ("+1", 1.0), ("-$1", -1.0),
    ("1.", 1.0), (".5", 0.5),
    ("abc", None), ("", None), (".", None), ("1e", None), ("e1", None), ("%", None),
    ("TRUE", None), ("0x10", None), ("inf", None), ("nan", None), ("1_000", None),
    ("12,34,567", None), ("8+1", None),           # =SQRT("8+1") is #VALUE!
    # Dates and times in US-English text ("6/1/2001" - "5/1/2001" is 31). Serial numbers of the
    # 1900 date system: 1 is 1/1/1900, 60 the 29 February 1900 Excel keeps from Lotus 1-2-3,
    # 2958465 is 12/31/9999; two-digit years 00-29 are 20xx, 30-99 19xx; a time is a day fraction.
    ("6/1/2001", 37043.0), ("5/1/2001", 37012.0), ("2001-06-01", 37043.0), ("2001/6/1", 37043.0),
    ("1/1/1900", 1.0), ("2/28/1900", 59.0), ("2/29/1900", 60.0), ("3/1/1900", 61.0),
    ("12/31/9999", 2958465.0), ("6/1/01", 37043.0), ("1/1/30", 10959.0),
    ("10:30", 0.4375), ("10:30 PM", 0.9375), ("12:00 AM", 0.0), ("12:00 pm", 0.5),
    ("6/1/2001 18:00", 37043.75),
    ("13/1/2001", None), ("2/30/2001", None), ("1/1/1899", None), ("25:00", None),
    ("13:00 PM", None), ("1/2", None),          # no year: Excel takes the current one
]


@pytest.mark.parametrize("text, number", NUMBER_TEXT)
def test_number_from_text(text: str, number: float | None) -> None:
    assert number_from_text(text) == number


# to_number is what arithmetic does to an operand: "1"+"2" is 3, TRUE+1 is 2, an empty cell 0.
TO_NUMBER = [(None, 0.0), (True, 1.0), (False, 0.0), (2.5, 2.5), ("3", 3.0), ("$4.00", 4.0),
             ("a", ExcelError.VALUE), ("", ExcelError.VALUE), (ExcelError.NA, ExcelError.NA),
             (ExcelError.DIV0, ExcelError.DIV0)]
# to_text is what & does: a number in at most 15 significant digits, TRUE/FALSE, "" for empty.
TO_TEXT = [(None, ""), (True, "TRUE"), (False, "FALSE"), ("x", "x"), (1.0, "1"), (-2.5, "-2.5"),
           (1 / 3, "0.333333333333333"), (2 / 3, "0.666666666666667"), (0.1 + 0.2, "0.3"),
           (123456789012345.0, "123456789012345"), (1234567890123456.0, "1.23456789012346E+15"),
           (1e20, "1E+20"), (1e100, "1E+100"), (-0.0, "0"), (0.0001, "0.0001"),
           (ExcelError.REF, ExcelError.REF)]
# to_bool is what IF, AND, OR and NOT do to a condition.
TO_BOOL = [(None, False), (0.0, False), (-0.5, True), (2.0, True), ("TRUE", True), ("false", False),
           ("yes", ExcelError.VALUE), ("", ExcelError.VALUE), (ExcelError.NUM, ExcelError.NUM)]


def outcome(function, value):
    try:
        return function(value)
    except ErrorResult as exc:
        return exc.error


@pytest.mark.parametrize("function, value, expected",
                         [(to_number, v, e) for v, e in TO_NUMBER]
                         + [(to_text, v, e) for v, e in TO_TEXT]
                         + [(to_bool, v, e) for v, e in TO_BOOL])
def test_coercions(function, value, expected) -> None:
    got = outcome(function, value)
    assert type(got) is type(expected) and got == expected


@pytest.mark.parametrize("x", [1.0, 0.5, 1 / 3, 1e20, 123.456, 2 ** 0.5, 1e-5, 7e-300])
def test_format_number_reads_back_to_15_digits(x: float) -> None:
    assert float(format_number(x)) == float(f"{x:.15g}")


# "Last digits are changed to zeros when you type long numbers in cells of Excel": digits past
# the 15th become zeros (1111222233334444 is 1111222233334440), truncated, not rounded.
@pytest.mark.parametrize("text, number", [
    ("1111222233334444", 1111222233334440.0), ("123456789012345678", 123456789012345000.0),
    ("0.1234567890123456789", 0.123456789012345), ("1.2345678901234567E+300", 1.23456789012345e300),
    ("123456789012345", 123456789012345.0), ("0.5", 0.5), ("1E+45", 1e45)])
def test_typed_number_keeps_15_digits(text: str, number: float) -> None:
    assert typed_number(text) == number


# --- compare: a total order consistent with Excel's type ranking -----------------------------------
COMPARE = [
    (1.0, "a", -1), ("a", True, -1), (False, 1000.0, 1), ("Z", False, -1), (False, True, -1),
    ("abc", "ABC", 0), ("a", "B", -1), ("apple", "apples", -1), ("2", "10", 1), (2.0, 10.0, -1),
    (None, 0.0, 0), (None, "", 0), (None, False, 0), (None, -1.0, 1), (None, "a", -1),
    (None, None, 0), (1.0, True, -1),
]


@pytest.mark.parametrize("left, right, sign", COMPARE)
def test_compare_table(left, right, sign: int) -> None:
    assert compare(left, right) == sign
    assert compare(right, left) == -sign


def test_compare_propagates_errors_left_first() -> None:
    assert outcome(lambda pair: compare(*pair), (ExcelError.NA, ExcelError.DIV0)) is ExcelError.NA
    assert outcome(lambda pair: compare(*pair), (1.0, ExcelError.DIV0)) is ExcelError.DIV0


values = st.one_of(st.floats(allow_nan=False, allow_infinity=False).map(lambda x: x + 0.0),
                   st.text(alphabet="abcABC xyz019", max_size=4),
                   st.booleans())
RANK = {float: 0, str: 1, bool: 2}


@given(values, values)
def test_compare_is_antisymmetric_and_ranks_types(a, b) -> None:
    assert compare(a, b) == -compare(b, a)
    if type(a) is not type(b):
        assert compare(a, b) == (-1 if RANK[type(a)] < RANK[type(b)] else 1)


@given(values, values, values)
def test_compare_is_transitive(a, b, c) -> None:
    if compare(a, b) <= 0 and compare(b, c) <= 0:
        assert compare(a, c) <= 0


@given(st.text(alphabet="abcdefxyzABCDEFXYZ", max_size=6))
def test_compare_ignores_case(text: str) -> None:
    assert compare(text, text.upper()) == 0 and compare(text.lower(), text) == 0


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_text_of_a_number_reads_back_as_its_15_digits(x: float) -> None:
    """What & writes, arithmetic reads back: ="1.5"&"" + 0 is 1.5, to Excel's 15 digits."""
    assert number_from_text(format_number(x)) == float(f"{x:.15g}") + 0.0
