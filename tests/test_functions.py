"""The function library as tables: per function, rows from Microsoft's function reference.

The comment above each table names the support page (by its title) that the rows come from; the
examples on those pages are used as they stand, with their data. Where a value is arithmetic on a
documented rule rather than a printed example, the row says so.
"""
from __future__ import annotations

import datetime
import math
import statistics

import pytest
from cellgrad.core.values import ExcelError
from cellgrad.functions import REGISTRY
from cellgrad.workbook import Workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from .builder import assert_same, calculated, evaluate, row, write_workbook

NA, DIV0, VALUE, REF, NAME, NUM = (ExcelError.NA, ExcelError.DIV0, ExcelError.VALUE,
                                   ExcelError.REF, ExcelError.NAME, ExcelError.NUM)

def table(rows: list, cells: dict) -> pytest.MarkDecorator:
    """Parametrize a test over ``rows`` (formula, expected), all sharing the input ``cells``."""
    return pytest.mark.parametrize("formula, expected, cells",
                                   [pytest.param(*p.values, cells, marks=p.marks, id=p.id)
                                    for p in rows])


# --- MATCH ------------------------------------------------------------------------------------------
# "MATCH function": with B2:B5 = 25, 38, 40, 41: MATCH(39,B2:B5,1) is 2, MATCH(41,B2:B5,0) is 4,
# MATCH(40,B2:B5,-1) is #N/A (not in descending order); MATCH("b",{"a","b","c"},0) is 2.
# 1 (default): the largest value <= lookup_value, the array in ascending order ..., -2, -1, 0, 1,
# 2, ..., A-Z, FALSE, TRUE; 0: the first value equal, any order, wildcards ? * and ~ in text;
# -1: the smallest value >= lookup_value, descending order; not case-sensitive; #N/A if none.
MATCH_CELLS = {"B2": 25, "B3": 38, "B4": 40, "B5": 41}
MATCH = [
    row("=MATCH(39,B2:B5,1)", 2.0),
    row("=MATCH(41,B2:B5,0)", 4.0),
    row("=MATCH(40,B2:B5,-1)", NA),
    row('=MATCH("b",{"a","b","c"},0)', 2.0),
    row("=MATCH(39,B2:B5)", 2.0),                # match_type omitted is 1
    row("=MATCH(40,B2:B5)", 3.0),
    row("=MATCH(24,B2:B5)", NA),                 # below the first value
    row("=MATCH(1000,B2:B5)", 4.0),              # above the last: the last
    row("=MATCH(25,B2:B5,0)", 1.0),
    row("=MATCH(39,B2:B5,0)", NA),
    # The statement of Excel's binary search on unsorted data.
    row("=MATCH(1,{1,0})", 1.0),
    row("=MATCH(1,{0,1})", 2.0),
    # Duplicates: 0 finds the first equal; 1 on ascending data the largest value <= x, which
    # among equal values is the last of them.
    row("=MATCH(2,{1,2,2,2,3},0)", 2.0),
    row("=MATCH(2,{1,2,2,2,3})", 4.0),
    row("=MATCH(2.5,{1,2,2,2,3})", 4.0),
    row("=MATCH(1,{1,1,1,1,1,1,1})", 7.0),
    # Types: in the ascending order numbers < text < logicals, and a value of another type than
    # lookup_value is never equal to it.
    row("=MATCH(5,{1,2,\"a\",\"b\"})", 2.0),
    row("=MATCH(\"a\",{1,2,\"a\",\"b\"})", 3.0),
    row("=MATCH(\"c\",{1,2,\"a\",\"b\"})", 4.0),
    row("=MATCH(TRUE,{1,\"a\",FALSE,TRUE})", 4.0),
    row("=MATCH(\"a\",{1,2,3})", NA),
    row("=MATCH(2,{\"a\",\"b\"})", NA),
    row("=MATCH(2,{\"2\",2},0)", 2.0),            # "2" is text, not 2
    row("=MATCH(1,{TRUE,1},0)", 2.0),
    # Text: not case-sensitive; wildcards with match_type 0.
    row('=MATCH("B",{"a","b","c"},0)', 2.0),
    row('=MATCH("BANANA",{"apple","banana"},0)', 2.0),
    row('=MATCH("b*",{"apple","banana","cherry"},0)', 2.0),
    row('=MATCH("?a*",{"apple","banana"},0)', 2.0),
    row('=MATCH("a?",{"abc","ab"},0)', 2.0),
    row('=MATCH("*e*",{"banana","cherry"},0)', 2.0),
    row('=MATCH("~*",{"a","*"},0)', 2.0),        # ~ makes * literal
    row('=MATCH("a~?",{"ab","a?"},0)', 2.0),
    row('=MATCH("banana",{"apple","banana","cherry"})', 2.0),
    row('=MATCH("blueberry",{"apple","banana","cherry"})', 2.0),
    # Descending (-1).
    row("=MATCH(3,{5,4,3,2,1},-1)", 3.0),
    row("=MATCH(3.5,{5,4,3,2,1},-1)", 2.0),
    row("=MATCH(6,{5,4,3,2,1},-1)", NA),
    row("=MATCH(0,{5,4,3,2,1},-1)", 5.0),
    row('=MATCH("b",{"c","b","a"},-1)', 2.0),
    row("=MATCH(NA(),B2:B5,0)", NA),             # an error lookup_value propagates
    # "exactly equal": text is not read as a number nor as a COUNTIF operator.
    row('=MATCH("2",{2,"2"},0)', 2.0),
    row('=MATCH(">1",{5,">1"},0)', 2.0),
    row('=MATCH("=a",{"a","=a"},0)', 2.0),
]


@table(MATCH, MATCH_CELLS)
def test_match(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- the SUM family: numbers only inside references -------------------------------------------------
# "SUM function", "SUMSQ function", "AVERAGE function", "MAX function", "MIN function", "COUNT
# function", "VAR.P function", "STDEV.P function": numbers, and logical values and text
# representations of numbers typed directly into the list of arguments, are counted; in an array
# or reference only numbers count: empty cells, logical values and text are ignored; error values,
# and text typed directly that cannot be a number, cause errors (COUNT: not counted instead).
# Data: A1..A7 is a number, text, empty, a logical, a number as text, 0, a number.
AGG = {"A1": 2, "A2": "text", "A4": True, "A5": "3", "A6": 0, "A7": 4, "B1": 1, "B2": "=1/0"}
AGGREGATES = [
    row("=SUM(A1:A7)", 6.0),
    row("=SUM(A1:A7,\"3\",TRUE)", 10.0),
    row("=SUM(A1:A7,\"x\")", VALUE),
    row("=SUM(A1:B2)", DIV0),
    row("=SUM(3,2)", 5.0),
    row("=SUMSQ(3,4)", 25.0),                    # "SUMSQ function" example
    row("=SUMSQ(A1:A7)", 20.0),                  # 4 + 0 + 16
    row("=SUMSQ(A1:A7,\"3\",TRUE)", 30.0),
    row("=SUMSQ(\"x\")", VALUE),
    row("=SUMSQ(A1:B2)", DIV0),
    row("=AVERAGE(A1:A7)", 2.0),                 # (2 + 0 + 4) / 3: the zero counts
    row("=AVERAGE(A1:A7,\"3\",TRUE)", 2.0),      # (6 + 3 + 1) / 5
    row("=AVERAGE(A2:A5)", DIV0),                # no number at all
    row("=AVERAGE(A1:B2)", DIV0),
    row("=MAX(A1:A7)", 4.0),
    row("=MAX(A2:A5)", 0.0),                     # no number: 0
    row("=MAX(A1:A7,\"9\")", 9.0),
    row("=MAX(-1,TRUE)", 1.0),
    row("=MAX(\"x\",1)", VALUE),
    row("=MIN(A1:A7)", 0.0),
    row("=MIN(A1,A7)", 2.0),
    row("=MIN(A2:A5)", 0.0),
    row("=MIN(A1:A7,-TRUE)", -1.0),
    row("=COUNT(A1:A7)", 3.0),                  # 2, 0 and 4
    row("=COUNT(A1:B2)", 2.0),                   # the error cell is not counted
    row("=COUNT(1,\"2\",\"x\",TRUE)", 3.0),
    row("=COUNT(A2:A5)", 0.0),
    row("=COUNT(1,#N/A)", 1.0),
    row("=COUNT(1/0,1)", 1.0),
    row("=VAR.P(A1:A7)", ((2 - 2) ** 2 + (0 - 2) ** 2 + (4 - 2) ** 2) / 3),
    row("=VAR.P(1,\"2\",TRUE)", 2 / 9),          # mean 4/3
    row("=VAR.P(5)", 0.0),
    row("=VAR.P(A2:A5)", DIV0),
    row("=STDEV.P(A1:A7)", math.sqrt(8 / 3)),
    row("=STDEV.P(A2:A5)", DIV0),
    row("=VAR.P(1E+300,-1E+300)", NUM),          # squares past the largest double (once a crash)
]
# The printed examples: "AVERAGE function" (A2:A6 = 10, 7, 9, 27, 2; C2 = 32, B2 = 15),
# "MAX function"/"MIN function" (the same A2:A6), "COUNT function" (A2:A8 = "Data", a date,
# empty, 19, 22.24, TRUE, #DIV/0!), "STDEV.P function" and "VAR.P function" (A2:A11 below).
EXAMPLES = {"A2": 10, "A3": 7, "A4": 9, "A5": 27, "A6": 2, "B2": 15, "C2": 32,
            "E2": "Data", "E3": datetime.datetime(2008, 12, 8), "E5": 19, "E6": 22.24,
            "E7": True, "E8": "=1/0"}
STRENGTHS = [1345, 1301, 1368, 1322, 1310, 1370, 1318, 1350, 1303, 1299]
EXAMPLES.update({f"G{i}": v for i, v in enumerate(STRENGTHS, start=2)})
PRINTED = [
    row("=AVERAGE(A2:A6)", 11.0),
    row("=AVERAGE(A2:A6,5)", 10.0),
    row("=AVERAGE(A2:C2)", 19.0),
    row("=MAX(A2:A6)", 27.0),
    row("=MAX(A2:A6,30)", 30.0),
    row("=MIN(A2:A6)", 2.0),
    row("=MIN(A2:A6,0)", 0.0),
    row("=COUNT(E2:E8)", 3.0),
    row("=COUNT(E5:E8)", 2.0),
    row("=COUNT(E2:E8,2)", 4.0),
    row("=STDEV.P(G2:G11)", statistics.pstdev(STRENGTHS)),      # printed 26.05455814
    row("=_xlfn.STDEV.P(G2:G11)", statistics.pstdev(STRENGTHS)),
    row("=VAR.P(G2:G11)", statistics.pvariance(STRENGTHS)),     # printed 678.84
    row("=_xlfn.VAR.P(G2:G11)", statistics.pvariance(STRENGTHS)),
    row("=_xlfn.STDEV.P(1,2,3,4)", math.sqrt(1.25)),
]


@table(AGGREGATES, AGG)
def test_aggregates(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


@table(PRINTED, EXAMPLES)
def test_printed_examples(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- SUMXMY2 and SUMPRODUCT: pairs of arrays ------------------------------------------------------
# "SUMXMY2 function": its example {2,3,9,1,8,7,5} and {6,5,11,7,5,4,4} gives 79; text, logical
# values and empty cells are ignored (the pair with them is skipped: collab_filter bias!V42),
# zeros are included; arrays with a different number of values give #N/A.
# "SUMPRODUCT function": its example {3,4;8,6;1,9} . {2,7;6,7;5,3} is 156; arrays must have the
# same dimensions (#VALUE! otherwise); non-numeric entries count as zeros.
PAIRS = {"A1": 1, "A2": 2, "A3": 3, "A4": 4, "B1": 2, "B3": 5, "B4": "x", "C1": 0, "C2": 0,
         "C3": 0, "C4": 0, "D1": True, "D2": 2, "D3": 1, "D4": 1, "E1": "=NA()", "E2": 1}
SUMS_OF_PAIRS = [
    row("=SUMXMY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 79.0),
    row("=SUMXMY2(A1:A4,B1:B4)", 1.0 + 4.0),     # pairs with B2 empty and B4 text skipped
    row("=SUMXMY2(B1:B4,A1:A4)", 1.0 + 4.0),
    row("=SUMXMY2(A1:A4,C1:C4)", 30.0),          # zeros are values
    row("=SUMXMY2(A1:A4,D1:D4)", 0.0 + 4.0 + 9.0),  # the logical's pair skipped
    row("=SUMXMY2(A1:A4,B1:B3)", NA),
    row("=SUMXMY2(A1:A2,B1:C1)", 1.0 + 4.0),     # same count, other shape
    row("=SUMXMY2(A1:A2,E1:E2)", NA),            # an error in the data
    row("=SUMXMY2(B2:B2,A1:A1)", 0.0),           # nothing left
    row("=SUMPRODUCT({3,4;8,6;1,9},{2,7;6,7;5,3})", 156.0),
    row("=SUMPRODUCT(A1:A4,B1:B4)", 2.0 + 15.0),
    row("=SUMPRODUCT(A1:A4,D1:D4)", 4.0 + 3.0 + 4.0),
    row("=SUMPRODUCT(A1:A4)", 10.0),
    row("=SUMPRODUCT(A1:A4,B1:B3)", VALUE),
    row("=SUMPRODUCT(A1:A4,A1:D1)", VALUE),       # 4x1 and 1x4
    row("=SUMPRODUCT(A1:A2,E1:E2)", NA),
    row("=SUMPRODUCT(A1:A4,A1:A4,A1:A4)", 100.0),
    row("=SUMPRODUCT((A1:A4>1)*A1:A4)", 9.0),
    row("=SUMPRODUCT(--(A1:A4>2))", 2.0),
    row("=SUMPRODUCT(A1:A4*D2:D5)", 1 * 2.0 + 2 * 1.0 + 3 * 1.0 + 4 * 0.0),
]


@table(SUMS_OF_PAIRS, PAIRS)
def test_sums_of_pairs(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- math: LOG, EXP, SQRT, ROUND, CEILING.MATH ------------------------------------------------------
MATH = [
    # "LOG function": LOG(10) is 1, LOG(8,2) is 3, LOG(86,2.7182818) 4.4543473; base 10 by default.
    row("=LOG(10)", 1.0),
    row("=LOG(8,2)", 3.0),
    row("=LOG(86,2.7182818)", math.log(86) / math.log(2.7182818)),
    row("=LOG(1000)", 3.0),
    row("=LOG(0.001)", -3.0),
    row("=LOG(2)", math.log10(2)),
    row("=LOG(0)", NUM),
    row("=LOG(-1)", NUM),
    row("=LOG(10,0)", NUM),
    row("=LOG(10,1)", DIV0),                     # log(1) = 0 in the denominator
    row('=LOG("x")', VALUE),
    row("=LOG10(86)", math.log10(86)),           # "LOG10 function": 1.9345
    row("=LN(EXP(3))", 3.0),
    # "EXP function": EXP(1) is e, EXP(2) e^2.
    row("=EXP(1)", math.e),
    row("=EXP(2)", math.exp(2)),
    row("=EXP(LN(3))", 3.0),
    row("=EXP(0)", 1.0),
    row("=EXP(-1000)", 0.0),
    row("=EXP(710)", NUM),                       # beyond the largest number
    # "SQRT function": SQRT(16) is 4; SQRT(-16) #NUM!; SQRT(ABS(-16)) 4.
    row("=SQRT(16)", 4.0),
    row("=SQRT(-16)", NUM),
    row("=SQRT(ABS(-16))", 4.0),
    row("=SQRT(2)", math.sqrt(2)),
    row('=SQRT("x")', VALUE),
    row("=SQRT(A1)", 0.0),                       # an empty cell is 0
    # "ROUND function": its examples, and halves away from zero. Excel rounds the decimal
    # number as shown (15 digits): ROUND(2.675,2) is 2.68, although the double is 2.67499...
    row("=ROUND(2.15,1)", 2.2),
    row("=ROUND(2.149,1)", 2.1),
    row("=ROUND(-1.475,2)", -1.48),
    row("=ROUND(21.5,-1)", 20.0),
    row("=ROUND(626.3,-3)", 1000.0),
    row("=ROUND(1.98,-1)", 0.0),
    row("=ROUND(-50.55,-2)", -100.0),
    row("=ROUND(2.675,2)", 2.68),
    row("=ROUND(1.005,2)", 1.01),
    row("=ROUND(2.5,0)", 3.0),
    row("=ROUND(-2.5,0)", -3.0),
    row("=ROUND(0.5,0)", 1.0),
    row("=ROUND(15,-1)", 20.0),
    row("=ROUND(-15,-1)", -20.0),
    row("=ROUND(-0.4,0)", 0.0),
    row("=ROUND(1E+300,2)", 1e300),              # nothing to round (once a crash)
    row("=ROUND(123,-400)", NUM),                 # a multiple of 1E+400: issue 9 point 5
    row("=ROUNDUP(3.2,0)", 4.0),                 # "ROUNDUP function"
    row("=ROUNDDOWN(3.14159,3)", 3.141),         # "ROUNDDOWN function"
    # "CEILING.MATH function": its examples; negative numbers toward 0 unless mode is non-zero.
    row("=CEILING.MATH(24.3,5)", 25.0),
    row("=CEILING.MATH(6.7)", 7.0),
    row("=CEILING.MATH(-8.1,2)", -8.0),
    row("=CEILING.MATH(-5.5,2,-1)", -6.0),
    row("=_xlfn.CEILING.MATH(-5.5,2,1)", -6.0),
    row("=_xlfn.CEILING.MATH(-5.5)", -5.0),
    row("=_xlfn.CEILING.MATH(-5.5,1,1)", -6.0),
    row("=_xlfn.CEILING.MATH(5.5,-2)", 6.0),     # the sign of significance does not matter
    row("=_xlfn.CEILING.MATH(4)", 4.0),
    row("=_xlfn.CEILING.MATH(0.25,0.1)", 0.3),
]


@table(MATH, {})
def test_math(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- COUNTIF ----------------------------------------------------------------------------------------
# "COUNTIF function": its examples with A2:A5 apples, oranges, peaches, apples and B2:B5 32, 54,
# 75, 86; criteria are a number, an expression ">55", a cell reference, text with wildcards
# ("?????es", "*"), case-insensitive; "<>" counts non-blank cells, "" blank ones.
COUNTIF_CELLS = {"A2": "apples", "A3": "oranges", "A4": "peaches", "A5": "apples",
                 "B2": 32, "B3": 54, "B4": 75, "B5": 86, "C1": "a*b", "C2": "ab", "C3": "a?",
                 "D1": 1, "D2": True, "D4": "=1/0"}
COUNTIF = [
    row('=COUNTIF(A2:A5,"apples")', 2.0),
    row("=COUNTIF(A2:A5,A4)", 1.0),
    row("=COUNTIF(A2:A5,A2)+COUNTIF(A2:A5,A3)", 3.0),
    row('=COUNTIF(B2:B5,">55")', 2.0),
    row('=COUNTIF(B2:B5,"<>"&B4)', 3.0),
    row('=COUNTIF(B2:B5,">=32")-COUNTIF(B2:B5,">85")', 3.0),
    row('=COUNTIF(A2:A5,"*")', 4.0),
    row('=COUNTIF(A2:A5,"?????es")', 2.0),
    row('=COUNTIF(A2:A5,"APPLES")', 2.0),
    row("=COUNTIF(B2:B5,32)", 1.0),
    row('=COUNTIF(B2:B5,"32")', 1.0),
    row('=COUNTIF(B2:B5,"=32")', 1.0),
    row('=COUNTIF(B2:B5,"<54")', 1.0),
    row('=COUNTIF(B2:B5,"<=54")', 2.0),
    row('=COUNTIF(A2:A5,"<p")', 3.0),            # text compared as text
    row('=COUNTIF(A2:A5,"a*")', 2.0),
    row('=COUNTIF(C1:C3,"a~*b")', 1.0),
    row('=COUNTIF(C1:C3,"a~?")', 1.0),
    row('=COUNTIF(C1:C3,"a?")', 2.0),
    row("=COUNTIF(D1:D4,TRUE)", 1.0),
    row('=COUNTIF(D1:D5,"<>")', 3.0),            # non-blank, the error cell included
    row('=COUNTIF(D1:D5,"")', 2.0),              # D3 and D5 are empty
    row('=COUNTIF(B2:B5,">"&"50")', 3.0),
]


@table(COUNTIF, COUNTIF_CELLS)
def test_countif(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- ROW, ROWS, COLUMN, COLUMNS ---------------------------------------------------------------------
# "ROW function": ROW() is the formula's row, ROW(C10) is 10. "ROWS function": ROWS(C1:E4) is 4,
# ROWS({1,2,3;4,5,6}) is 2. "COLUMNS function": COLUMNS(C1:D4) is 2, COLUMNS({1,2,3;4,5,6}) 3.
POSITIONS = [
    row("=ROW()", 100.0),                        # the formula is in Z100
    row("=ROW(C10)", 10.0),
    row("=ROW(C4:D6)", 4.0),                     # one value wanted: the first row
    row("=ROW(Other!B7)", 7.0),
    row("=ROWS(C1:E4)", 4.0),
    row("=ROWS({1,2,3;4,5,6})", 2.0),
    row("=ROWS(A:A)", 1048576.0),
    row("=COLUMN()", 26.0),
    row("=COLUMN(D10)", 4.0),
    row("=COLUMNS(C1:D4)", 2.0),
    row("=COLUMNS({1,2,3;4,5,6})", 3.0),
    row("=COLUMNS(1:1)", 16384.0),
    row("=SUMPRODUCT(ROW(A1:A3))", 6.0),
]


@pytest.mark.parametrize("formula, expected", [pytest.param(*p.values, id=p.id)
                                               for p in POSITIONS])
def test_positions(formula: str, expected: object) -> None:
    book = calculated({"S": {"Z100": formula}, "Other": {"A1": 1}})
    assert_same(expected, book["S!Z100"], formula)


# --- RAND and RANDBETWEEN ------------------------------------------------------------------------
# "RAND function": a number >= 0 and < 1, new at each calculation. "RANDBETWEEN function": an
# integer between bottom and top inclusive. The issue: draws come from a seeded generator, so the
# same seed gives the same draws.
RANDOM_SHEET = {"S": {**{f"A{i}": "=RAND()" for i in range(1, 201)},
                      **{f"B{i}": "=RANDBETWEEN(-3,4)" for i in range(1, 201)},
                      "C1": "=A1*2", "C2": "=RANDBETWEEN(5,1)", "C3": "=_xlfn.RANDBETWEEN(1,1)"}}


def random_draws(tmp_path, seed: int) -> list:
    path = tmp_path / "random.xlsx"
    if not path.exists():
        write_workbook(path, RANDOM_SHEET)
    book = Workbook.load(path, seed=seed)
    book.calculate()
    return book.values("S!A1:C200")


def test_same_seed_same_draws(tmp_path) -> None:
    assert random_draws(tmp_path, 7) == random_draws(tmp_path, 7)
    assert random_draws(tmp_path, 7) != random_draws(tmp_path, 8)


def test_random_bounds(tmp_path) -> None:
    draws = random_draws(tmp_path, 1)
    rands = [r[0] for r in draws]
    between = [r[1] for r in draws]
    assert all(type(x) is float and 0.0 <= x < 1.0 for x in rands)
    assert all(type(x) is float and x == int(x) and -3 <= x <= 4 for x in between)
    assert set(between) == set(map(float, range(-3, 5)))   # 200 draws reach all 8 values
    assert draws[0][2] == 2 * draws[0][0]                   # a dependent of RAND follows it
    assert draws[1][2] is NUM                               # bottom > top
    assert draws[2][2] == 1.0


def test_rand_draws_again_at_each_calculation(tmp_path) -> None:
    book = Workbook.load(write_workbook(tmp_path / "r.xlsx", {"S": {"A1": "=RAND()"}}), seed=3)
    book.calculate()
    first = book["S!A1"]
    book.calculate()
    assert book["S!A1"] != first


# --- no function raises: whatever it is given, the result is an Excel value -------------------------
ARGUMENT_POOL = ["1", "-1", "0", "0.5", "1E+300", "-1E+300", '"a"', '"3"', '""', "TRUE", "#N/A",
                 "A1", "A2", "A3", "A1:A3", "A1:B2", "{1,2;3,4}", '{1,"a"}', "C9", "1/0", "2.5"]
FUZZ_CELLS = {"A1": 1, "A2": "x", "A3": True, "B1": "=1/0", "B2": 2.5}


# LET and LAMBDA take names, not values (tests/test_function_library.py has their rows).
VALUE_FUNCTIONS = sorted(n for n in REGISTRY if n not in ("LET", "LAMBDA") and not n.startswith("_"))


@st.composite
def calls(draw) -> str:
    name = draw(st.sampled_from(VALUE_FUNCTIONS))
    spec = REGISTRY[name]
    most = spec.max_args if spec.max_args is not None else spec.min_args + 3
    count = draw(st.integers(spec.min_args, max(spec.min_args, most)))
    return f"={name}({','.join(draw(st.sampled_from(ARGUMENT_POOL)) for _ in range(count))})"


@settings(max_examples=60, deadline=None)
@given(calls())
def test_every_function_returns_an_excel_value(formula: str) -> None:
    value = evaluate(formula, FUZZ_CELLS)
    assert type(value) in (float, str, bool, ExcelError), (formula, value)


# --- what differential testing against LibreOffice found (issue 9, point 5) -------------------------
# "INDEX function": "If array contains more than one row and more than one column, and only row_num
# or column_num is used, INDEX returns an array of the entire row or column in array"; row_num 0
# returns the whole column, and the reference form returns a reference, which a one-cell formula
# intersects with its own row or column ("Implicit intersection operator: @"). A formula reading
# an empty cell shows 0 ("Display or hide zero values": a zero, not a blank). "(5)" is the
# accounting form of -5 ("VALUE function": text in any of the number formats Excel recognizes).
# "ROUND function": a result beyond Excel's largest number (about 1.8E+308, "Excel specifications
# and limits") is #NUM!; KB 119083 "XL: MOD() Function Returns #NUM! Error Value": a quotient too
# large for MOD is #NUM! (never an OverflowError or infinity).
FOUND_CELLS = {"A1": 1, "A2": 2, "A3": 3, "A4": 4, "B1": 5, "B2": 6, "B3": 7, "B4": 8,
               "C2": 10, "C3": 20, "C4": 30, "C5": 40, "C6": 50}
FOUND = [
    row("=INDEX(A1:B4,3)", "Z100", VALUE),       # row 3 (A3:B3): no cell in Z100's row or column
    row("=INDEX(A1:B4,3)", "A100", 3.0),         # ... and in column A, A3
    row("=SUM(INDEX(A1:B4,3))", "Z100", 10.0),   # the whole row
    row("=SUM(INDEX(A1:B4,0,2))", "Z100", 26.0),  # the whole column B
    row("=INDEX(A1:B4,2,2)", "Z100", 6.0),
    row("=INDEX(A1:B4,5,1)", "Z100", REF),
    row("=INDEX(A1:B4,-1,1)", "Z100", VALUE),
    row("=INDEX(A1:A4,3)", "Z100", 3.0),          # one column: the index is the row
    row("=INDEX(A1:B1,2)", "Z100", 5.0),          # one row: the index is the column
    row("=INDEX(C2:C6,0)", "D4", 30.0),           # the column as a reference, intersected: C4
    row("=INDEX(C2:C6,0)", "D10", VALUE),         # no cell of C2:C6 in row 10
    row("=ROWS(INDEX(C2:C6,0))", "D10", 5.0),
    row("=INDEX({1,2;3,4},2,1)", "Z100", 3.0),
    row("=Q1", "Z100", 0.0),                      # an empty cell read by a formula: 0
    row("=IF(TRUE,Q1)", "Z100", 0.0),
    row('="(5)"+1', "Z100", -4.0),
    row('=VALUE("(5)")', "Z100", -5.0),
    row('="($1,000.50)"*1', "Z100", -1000.5),
    row('="(-5)"+1', "Z100", VALUE),
    row("=ROUND(1,-309)", "Z100", NUM),
    row("=ROUNDUP(1.7E+308,-308)", "Z100", NUM),  # 2E+308 is past the largest number
    row("=ROUNDDOWN(1.7E+308,-308)", "Z100", 1E+308),
    row("=ROUND(1,-308)", "Z100", 0.0),
    row("=MOD(1E+300,1E-300)", "Z100", NUM),
    row("=MOD(2^60,3)", "Z100", NUM),
    row("=MOD(-3,2)", "Z100", 1.0),               # "MOD function" example
    row("=MOD(3,-2)", "Z100", -1.0),              # "MOD function" example
    # found by the differential test (benchmarks/differential.py), each against its page
    row('=RIGHT("(5)",7)', "Z100", "(5)"),         # "RIGHT function": more than the text: all
    row("=LARGE({3,1,2},1.5)", "Z100", 3.0),       # a fractional k is truncated
    row("=SMALL({3,1,2},2.9)", "Z100", 2.0),
    row("=FACT(-0.5)", "Z100", NUM),               # "FACT function": a negative number
    row('=REPT("a",-0.5)', "Z100", VALUE),         # "REPT function": a negative number_times
    row("=QUARTILE.INC(NA(),9)", "Z100", NA),      # the data's error before quart's range
    row("=QUARTILE.INC({1,2,3},4.5)", "Z100", NUM),  # "QUARTILE.INC function": quart > 4
    row("=IF(TRUE)", "Z100", True),                # "IF function": no value_if_true: TRUE
    row("=IF(TRUE,)", "Z100", 0.0),                # ... an empty one: 0
    row('=TEXT(2,"@")', "Z100", "2"),              # "Number format codes": @ shows the number
    row("=AVERAGE(1E+308,1E+308)", "Z100", NUM),   # a sum past 1.8E+308: #NUM!, never inf
    row("=CHOOSE(AVERAGE(1E+308,1E+308),1)", "Z100", NUM),
    row("=LOGNORM.INV(0.5,710,1)", "Z100", NUM),    # e^710 past 1.8E+308 ("Excel specifications
    row("=LOGNORM.INV(0.5,709,1)", "Z100", 8.218407461554972e307),  # and limits"): #NUM!, no crash
]


@pytest.mark.parametrize("formula, at, expected", [pytest.param(*p.values, id=f"{p.id}@{p.values[1]}")
                                                   for p in FOUND])
def test_found_by_differential_testing(formula: str, at: str, expected: object) -> None:
    assert_same(expected, evaluate(formula, FOUND_CELLS, at=at), formula)


# --- COUNTA, COUNTBLANK and the IS functions ------------------------------------------------------------
# "COUNTA function": cells with any information count, error values and empty text ("") included;
# empty cells do not. "COUNTBLANK function": empty cells and formulas that return "" count, zeros
# do not. "IS functions": ISBLANK is TRUE only for an empty cell; ISTEXT, ISNUMBER, ISERROR, ISNA.
KINDS = {"A1": 1, "A2": "text", "A3": "=1/0", "A4": '=""', "A6": 0, "A7": True, "A8": "=NA()"}
KIND_ROWS = [
    row("=COUNTA(A1:A8)", 7.0),
    row("=COUNTA(A5)", 0.0),
    row("=COUNTA(1,\"\",FALSE)", 3.0),
    row("=COUNTBLANK(A1:A8)", 2.0),               # A4's "" and the empty A5
    row("=ISBLANK(A5)", True),
    row("=ISBLANK(A4)", False),
    row("=ISTEXT(A2)", True),
    row("=ISTEXT(A4)", True),
    row("=ISTEXT(A1)", False),
    row("=ISNUMBER(A1)", True),
    row("=ISNUMBER(A7)", False),                  # a logical is not a number
    row('=ISNUMBER("1")', False),
    row("=ISERROR(A3)", True),
    row("=ISERROR(A8)", True),
    row("=ISNA(A8)", True),
    row("=ISNA(A3)", False),
]


@table(KIND_ROWS, KINDS)
def test_kinds_of_values(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)


# --- IF, IFERROR, AND, OR, NOT ---------------------------------------------------------------------------
# "IF function" and ECMA-376 Part 1's IF (its examples below): an omitted value_if_false is FALSE,
# but one left empty after its comma is 0; an empty value_if_true is 0. "IFERROR function": its
# example A2/B2 with 210/35, 55/0 and ""/23. "AND function", "OR function": text and empty cells
# in references are ignored, a range without logical values is #VALUE!. "NOT function".
LOGIC_CELLS = {"A1": 210, "B1": 35, "A2": 55, "B2": 0, "B3": 23,
               "D1": True, "D2": "text", "D4": 1, "E1": "a", "E2": "b", "F1": False, "F2": 0}
LOGIC = [
    row('=IF(10>5,"Yes","No")', "Yes"),
    row('=IF(10>5,"Yes")', "Yes"),
    row('=IF(10>5,"Yes",)', "Yes"),
    row('=IF(10<5,"Yes")', False),
    row('=IF(10<5,"Yes",)', 0.0),
    row('=IF(10>5,,"No")', 0.0),
    row("=IF(10>5,,)", 0.0),
    row('=IF(10>5,"Yes",20)', "Yes"),
    row('=IF(10<5,"Yes",20)', 20.0),
    row('=IF("TRUE",1,2)', 1.0),
    row('=IF("maybe",1,2)', VALUE),
    row('=IFERROR(A1/B1,"Error in calculation")', 6.0),
    row('=IFERROR(A2/B2,"Error in calculation")', "Error in calculation"),
    row('=IFERROR(A3/B3,"Error in calculation")', 0.0),
    row("=AND(TRUE,TRUE)", True),
    row("=AND(TRUE,FALSE)", False),
    row("=AND(2+2=4,2+3=5)", True),
    row("=AND(D1:D4)", True),                    # the text and the empty cell are ignored
    row("=AND(D1:D4,F1)", False),
    row("=AND(E1:E2)", VALUE),                   # no logical value at all
    row("=AND(1,0)", False),
    row("=OR(F1:F2)", False),
    row("=OR(F1:F2,D4)", True),
    row("=OR(E1:E2)", VALUE),
    row("=OR(NA(),TRUE)", NA),
    row("=NOT(FALSE)", True),
    row("=NOT(1+1=2)", False),
]


@table(LOGIC, LOGIC_CELLS)
def test_logic(formula: str, expected: object, cells: dict) -> None:
    assert_same(expected, evaluate(formula, cells), formula)
