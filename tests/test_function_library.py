"""The grown function library as tables, one per family: each row a formula and the value
Microsoft's support page for that function prints (the page is named, by title, above its rows).

Microsoft prints most results rounded (``0.997054486``); such a row gives the value as printed
(:class:`Printed`) and is compared to the digits printed, half a unit of the last one. Every other
number is compared at 1e-12 relative. Rows marked "rule" are arithmetic on a rule the page states
rather than one of its examples.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from cellgrad.core.values import ExcelError

from .builder import assert_same, calculated, evaluate, row

NA, DIV0, VALUE, REF, NAME, NUM, CALC = (ExcelError.NA, ExcelError.DIV0, ExcelError.VALUE,
                                         ExcelError.REF, ExcelError.NAME, ExcelError.NUM,
                                         ExcelError.CALC)


class Printed(str):
    """A number as Microsoft prints it: equal to the engine's value rounded to those digits."""

    def matches(self, got: object) -> bool:
        if type(got) is not float:
            return False
        places = -Decimal(self).as_tuple().exponent
        return abs(got - float(self)) <= 0.5 * 10.0 ** -places * (1 + 1e-9)


def check(formula: str, expected: object, cells: dict, at: str = "Z100") -> None:
    got = evaluate(formula, cells, at=at)
    if isinstance(expected, Printed):
        assert expected.matches(got), f"{formula}: Microsoft prints {expected}, the engine {got!r}"
    else:
        assert_same(expected, got, formula)


def cases(*tables: tuple[dict, list]) -> pytest.MarkDecorator:
    """Parametrize over (formula, expected, cells) from (cells, rows) tables."""
    return pytest.mark.parametrize("formula, expected, cells", [
        pytest.param(*p.values, cells, id=p.id) for cells, rows in tables for p in rows])


# === Math ==========================================================================================
MATH = [
    # "TRUNC function"
    row("=TRUNC(8.9)", 8.0), row("=TRUNC(-8.9)", -8.0), row("=TRUNC(0.45)", 0.0),
    row("=TRUNC(3.14159,2)", 3.14),                                   # rule: num_digits
    # "QUOTIENT function"
    row("=QUOTIENT(5,2)", 2.0), row("=QUOTIENT(4.5,3.1)", 1.0), row("=QUOTIENT(-10,3)", -3.0),
    row("=QUOTIENT(1,0)", DIV0),                                      # rule: as 1/0
    # "FACT function"
    row("=FACT(5)", 120.0), row("=FACT(1.9)", 1.0), row("=FACT(0)", 1.0), row("=FACT(-1)", NUM),
    row("=FACT(1)", 1.0), row("=FACT(171)", NUM),                     # rule: past 1.8E+308
    # "COMBIN function"; "PERMUT function"
    row("=COMBIN(8,2)", 28.0), row("=COMBIN(2,8)", NUM), row("=COMBIN(-1,1)", NUM),
    row("=PERMUT(100,3)", 970200.0), row("=PERMUT(3,2)", 6.0),
    # rule: past 1.8E+308 however large n is (the exact product of 1E+15 factors never ended)
    row("=PERMUT(1E+300,1E+15)", NUM), row("=COMBIN(1E+300,1E+15)", NUM),
    row("=COMBIN(1E+15,2)", 1e15 * (1e15 - 1) / 2), row("=COMBIN(1E+300,1)", 1e300),
    # "MROUND function"
    row("=MROUND(10,3)", 9.0), row("=MROUND(-10,-3)", -9.0), row("=MROUND(1.3,0.2)", 1.4),
    row("=MROUND(5,-2)", NUM),
    # "FLOOR.MATH function"
    row("=FLOOR.MATH(24.3,5)", 20.0), row("=FLOOR.MATH(6.7)", 6.0), row("=FLOOR.MATH(-8.1,2)", -10.0),
    row("=FLOOR.MATH(-5.5,2,-1)", -4.0),
    # "FLOOR function"
    row("=FLOOR(3.7,2)", 2.0), row("=FLOOR(-2.5,-2)", -2.0), row("=FLOOR(2.5,-2)", NUM),
    row("=FLOOR(1.58,0.1)", 1.5), row("=FLOOR(0.234,0.01)", 0.23),
    # "CEILING function"
    row("=CEILING(2.5,1)", 3.0), row("=CEILING(-2.5,-2)", -4.0), row("=CEILING(-2.5,2)", -2.0),
    row("=CEILING(1.5,0.1)", 1.5), row("=CEILING(0.234,0.01)", 0.24),
    # "EVEN function"; "ODD function"
    row("=EVEN(1.5)", 2.0), row("=EVEN(3)", 4.0), row("=EVEN(2)", 2.0), row("=EVEN(-1)", -2.0),
    row("=ODD(1.5)", 3.0), row("=ODD(3)", 3.0), row("=ODD(2)", 3.0), row("=ODD(-1)", -1.0),
    row("=ODD(-2)", -3.0),
    # "GCD function"; "LCM function"
    row("=GCD(5,2)", 1.0), row("=GCD(24,36)", 12.0), row("=GCD(7,1)", 1.0), row("=GCD(5,0)", 5.0),
    row("=GCD(-1,2)", NUM),
    row("=LCM(5,2)", 10.0), row("=LCM(24,36)", 72.0),
    row("=GCD(2^53,2)", NUM), row("=GCD(2^53-2,2)", 2.0),            # rule: a parameter >= 2^53
    row("=LCM(2^52,3)", NUM), row("=LCM(2^52,2)", 2.0 ** 52),        # rule: LCM(a,b) >= 2^53
    # "SQRTPI function"
    row("=SQRTPI(1)", Printed("1.772454")), row("=SQRTPI(2)", Printed("2.506628")),
    row("=SQRTPI(-1)", NUM),
    # "SUMX2MY2 function"; "SUMX2PY2 function"
    row("=SUMX2MY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", -55.0),
    row("=SUMX2PY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 521.0),
    row("=SUMX2MY2({1,2},{1,2,3})", NA),                              # rule: unequal counts
    # "MDETERM function"
    row("=MDETERM(A2:D5)", 88.0), row("=MDETERM({3,6,1;1,1,0;3,10,2})", 1.0),
    row("=MDETERM({3,6;1,1})", -3.0), row("=MDETERM({1,3,8,5;1,3,6,1})", VALUE),
    # "MINVERSE function": {4,-1;2,0} has the inverse {0,0.5;-1,2}
    row("=INDEX(MINVERSE({4,-1;2,0}),1,2)", 0.5), row("=INDEX(MINVERSE({4,-1;2,0}),2,1)", -1.0),
    row("=INDEX(MINVERSE({4,-1;2,0}),2,2)", 2.0),
    row("=INDEX(MINVERSE({1,2,1;3,4,-1;0,2,0}),1,3)", -0.75),
    row("=MINVERSE({1,2;2,4})", NUM),                                 # rule: singular
    # "MUNIT function"
    row("=SUM(MUNIT(3))", 3.0), row("=INDEX(MUNIT(3),2,2)", 1.0), row("=MUNIT(0)", VALUE),
]
MATRIX = {"A2": 1, "B2": 3, "C2": 8, "D2": 5, "A3": 1, "B3": 3, "C3": 6, "D3": 1,
          "A4": 1, "B4": 1, "C4": 1, "D4": 0, "A5": 7, "B5": 3, "C5": 10, "D5": 2}

TRIG = [
    # "SIN function"; "COS function"; "TAN function"
    row("=SIN(PI()/2)", 1.0), row("=SIN(30*PI()/180)", Printed("0.5")), row("=SIN(RADIANS(30))", Printed("0.5")),
    row("=COS(1.047)", Printed("0.5001711")), row("=COS(60*PI()/180)", Printed("0.5")),
    row("=TAN(0.785)", Printed("0.99920399")), row("=TAN(45*PI()/180)", Printed("1")),
    # "ASIN function"; "ACOS function"; "ATAN function"; "ATAN2 function"
    row("=ASIN(-0.5)", Printed("-0.523598776")), row("=DEGREES(ASIN(-0.5))", Printed("-30")),
    row("=ASIN(2)", NUM),
    row("=ACOS(-0.5)", Printed("2.094395102")), row("=ACOS(-0.5)*180/PI()", Printed("120")),
    row("=ATAN(1)", Printed("0.785398163")),
    row("=ATAN2(1,1)", Printed("0.785398163")), row("=ATAN2(-1,-1)", Printed("-2.35619449")),
    row("=ATAN2(-1,-1)*180/PI()", Printed("-135")), row("=ATAN2(0,0)", DIV0),
    # "SINH function"; "COSH function"; "TANH function"
    row("=2.868*SINH(0.0342*1.03)", Printed("0.1010491")),
    row("=COSH(4)", Printed("27.308233")), row("=COSH(EXP(1))", Printed("7.6101251")),
    row("=COSH(1000)", NUM),                                          # rule: past 1.8E+308
    row("=TANH(-2)", Printed("-0.96403")), row("=TANH(0)", 0.0), row("=TANH(0.5)", Printed("0.462117")),
    # "ASINH function"; "ACOSH function"; "ATANH function"
    row("=ASINH(-2.5)", Printed("-1.647231146")), row("=ASINH(10)", Printed("2.99822295")),
    row("=ACOSH(1)", 0.0), row("=ACOSH(10)", Printed("2.9932228")), row("=ACOSH(0.5)", NUM),
    row("=ATANH(0.76159416)", Printed("1.00000001")), row("=ATANH(-0.1)", Printed("-0.100335348")),
    row("=ATANH(1)", NUM),
    # "DEGREES function"; "RADIANS function"; "COT", "SEC", "CSC", "COTH", "SECH", "CSCH", "ACOT",
    # "ACOTH function"
    row("=DEGREES(PI())", 180.0), row("=RADIANS(270)", Printed("4.712389")),
    row("=COT(30)", Printed("-0.156")), row("=COT(0)", DIV0), row("=SEC(45)", Printed("1.90359")),
    row("=CSC(15)", Printed("1.53778")), row("=COTH(2)", Printed("1.037")),
    row("=SECH(1)", Printed("0.64805")), row("=CSCH(1.5)", Printed("0.4696")),
    row("=CSCH(8103)", 0.0), row("=CSCH(-2^27)", NUM),
    row("=ACOT(2)", Printed("0.4636")), row("=ACOTH(6)", Printed("0.168")), row("=ACOTH(0.5)", NUM),
]


@cases((MATRIX, MATH), ({}, TRIG))
def test_math_and_trig(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Conditional counts and sums =====================================================================
# "SUMIF function", example 1 (property values, commissions) and example 2 (categories, foods).
SUMIF_CELLS = {"A2": 100000, "A3": 200000, "A4": 300000, "A5": 400000,
               "B2": 7000, "B3": 14000, "B4": 21000, "B5": 28000, "C2": 250000,
               "E2": "Vegetables", "E3": "Vegetables", "E4": "Fruits", "E6": "Vegetables",
               "E7": "Fruits", "F2": "Tomatoes", "F3": "Celery", "F4": "Oranges", "F5": "Butter",
               "F6": "Carrots", "F7": "Apples", "G2": 2300, "G3": 5500, "G4": 800, "G5": 400,
               "G6": 4200, "G7": 1200}
SUMIF = [
    row('=SUMIF(A2:A5,">160000",B2:B5)', 63000.0),
    row('=SUMIF(A2:A5,">160000")', 900000.0),
    row("=SUMIF(A2:A5,300000,B2:B5)", 21000.0),
    row('=SUMIF(A2:A5,">"&C2,B2:B5)', 49000.0),
    row('=SUMIF(E2:E7,"Fruits",G2:G7)', 2000.0),
    row('=SUMIF(E2:E7,"Vegetables",G2:G7)', 12000.0),
    row('=SUMIF(F2:F7,"*es",G2:G7)', 4300.0),
    row('=SUMIF(E2:E7,"",G2:G7)', 400.0),
    # "The sum_range argument does not have to be the same size and shape as range": the cells
    # added start at its upper-left cell and take range's shape.
    row('=SUMIF(A2:A5,">160000",B2)', 63000.0),
    row('=SUMIF(A2:A5,">160000",B2:B3)', 63000.0),
    # "AVERAGEIF function"
    row('=AVERAGEIF(B2:B5,"<23000")', 14000.0),
    row('=AVERAGEIF(A2:A5,"<250000")', 150000.0),
    row('=AVERAGEIF(A2:A5,"<95000")', DIV0),
    row('=AVERAGEIF(A2:A5,">250000",B2:B5)', 24500.0),
]
# "SUMIFS function" and "COUNTIFS function" examples.
IFS_CELLS = {"A2": 5, "A3": 4, "A4": 15, "A5": 3, "A6": 22, "A7": 12, "A8": 10, "A9": 33,
             "B2": "Apples", "B3": "Apples", "B4": "Artichokes", "B5": "Artichokes", "B6": "Bananas",
             "B7": "Bananas", "B8": "Carrots", "B9": "Carrots",
             "C2": "Tom", "C3": "Sarah", "C4": "Tom", "C5": "Sarah", "C6": "Tom", "C7": "Sarah",
             "C8": "Tom", "C9": "Sarah",
             "E2": "Yes", "F2": "No", "G2": "No", "E3": "Yes", "F3": "Yes", "G3": "Yes",
             "E4": "Yes", "F4": "Yes", "G4": "Yes", "E5": "No", "F5": "No", "G5": "Yes",
             "I2": 1, "I3": 2, "I4": 3, "I5": 4, "I6": 5, "I7": 6,
             # 5/1/2011 to 5/6/2011 as serial numbers
             "J2": 40664, "J3": 40665, "J4": 40666, "J5": 40667, "J6": 40668, "J7": 40669,
             # "MAXIFS function"/"MINIFS function": grades and weights
             "L2": 89, "L3": 93, "L4": 96, "L5": 85, "L6": 91, "L7": 88,
             "M2": 1, "M3": 2, "M4": 2, "M5": 3, "M6": 1, "M7": 1,
             # "AVERAGEIFS function": quizzes
             "O2": 75, "O3": 94, "O4": 86, "O5": "Incomplete", "P2": 85, "P3": 80, "P4": 93,
             "P5": 75, "Q2": 87, "Q3": 88, "Q4": "Incomplete", "Q5": 75}
IFS = [
    row('=SUMIFS(A2:A9,B2:B9,"=A*",C2:C9,"Tom")', 20.0),
    row('=SUMIFS(A2:A9,B2:B9,"<>Bananas",C2:C9,"Tom")', 30.0),
    row('=SUMIFS(A2:A9,B2:B8,"=A*")', VALUE),                        # rule: ranges of one shape
    row('=COUNTIFS(E2:G2,"=Yes")', 1.0),
    row('=COUNTIFS(E2:E5,"=Yes",F2:F5,"=Yes")', 2.0),
    row('=COUNTIFS(E5:G5,"=Yes",E3:G3,"=Yes")', 1.0),
    row('=COUNTIFS(I2:I7,"<6",I2:I7,">1")', 4.0),
    row('=COUNTIFS(I2:I7,"<5",J2:J7,"<5/3/2011")', 2.0),
    row("=MAXIFS(L2:L7,M2:M7,1)", 91.0),
    row("=MINIFS(L2:L7,M2:M7,1)", 88.0),
    row("=MAXIFS(L2:L7,M2:M7,9)", 0.0),                              # rule: no match is 0
    row('=AVERAGEIFS(O2:O5,O2:O5,">70",O2:O5,"<90")', 80.5),
    row('=AVERAGEIFS(P2:P5,P2:P5,">95")', DIV0),
    row('=AVERAGEIFS(Q2:Q5,Q2:Q5,"<>Incomplete",Q2:Q5,">80")', 87.5),
]


@cases((SUMIF_CELLS, SUMIF), (IFS_CELLS, IFS))
def test_conditional(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Statistical, correlation and regression, distributions ============================================
STATS_CELLS = {
    "A2": 1, "A3": 2, "A4": 3, "A5": 4, "A6": 5, "A7": 6,                      # "MEDIAN function"
    "B2": 3, "C2": 4, "B3": 5, "C3": 2, "B4": 3, "C4": 4, "B5": 5, "C5": 6,     # "LARGE function"
    "B6": 4, "C6": 7,
    "D2": 7, "D3": 3.5, "D4": 3.5, "D5": 1, "D6": 2,                           # "RANK.EQ function"
    "E2": 1, "E3": 2, "E4": 3, "E5": 6, "E6": 6, "E7": 6, "E8": 7, "E9": 8, "E10": 9,  # PERCENTILE.EXC
    "F2": 1, "F3": 2, "F4": 4, "F5": 7, "F6": 8, "F7": 9, "F8": 10, "F9": 12,   # QUARTILE.INC
    "G2": 3, "G3": 4, "G4": 5, "G5": 2, "G6": 3, "G7": 4, "G8": 6, "G9": 4, "G10": 7,  # "SMALL"
    "H2": 1, "H3": 4, "H4": 8, "H5": 3, "H6": 7, "H7": 12, "H8": 54, "H9": 8, "H10": 23,
}
STATS = [
    row("=MEDIAN(A2:A6)", 3.0), row("=MEDIAN(A2:A7)", 3.5),
    row("=MODE.SNGL(5.6,4,4,3,2,4)", 4.0), row("=MODE.SNGL(1,2,3)", NA),   # "MODE.SNGL function"
    row("=LARGE(B2:C6,3)", 5.0), row("=LARGE(B2:C6,7)", 4.0), row("=LARGE(B2:C6,11)", NUM),
    row("=SMALL(G2:G10,4)", 4.0), row("=SMALL(H2:H10,2)", 3.0), row("=SMALL(G2:G10,0)", NUM),
    row("=RANK.EQ(D2,D2:D6,1)", 5.0), row("=RANK.EQ(D6,D2:D6)", 4.0), row("=RANK.EQ(D3,D2:D6,1)", 3.0),
    row("=RANK.EQ(99,D2:D6)", NA),
    row("=RANK.AVG(D3,D2:D6,1)", 3.5),                                   # "RANK.AVG function": ties
    row("=PERCENTILE.INC({1,3,2,4},0.3)", 1.9), row("=PERCENTILE.INC({1,3,2,4},1.5)", NUM),
    row("=PERCENTILE.EXC(E2:E10,0.25)", 2.5), row("=PERCENTILE.EXC(E2:E10,0)", NUM),
    row("=PERCENTILE.EXC(E2:E10,0.01)", NUM), row("=PERCENTILE.EXC(E2:E10,2)", NUM),
    row("=QUARTILE.INC(F2:F9,1)", 3.5), row("=QUARTILE.INC(F2:F9,5)", NUM),
]
REGRESSION_CELLS = {
    "A2": 3, "A3": 2, "A4": 4, "A5": 5, "A6": 6, "B2": 9, "B3": 7, "B4": 12, "B5": 15, "B6": 17,  # CORREL
    "C2": 9, "C3": 7, "C4": 5, "C5": 3, "C6": 1, "D2": 10, "D3": 6, "D4": 1, "D5": 5, "D6": 3,    # PEARSON
    "E2": 2, "E3": 3, "E4": 9, "E5": 1, "E6": 8, "E7": 7, "E8": 5,                                # SLOPE y
    "F2": 6, "F3": 5, "F4": 11, "F5": 7, "F6": 5, "F7": 4, "F8": 4,                               # SLOPE x
    "G2": 6, "G3": 7, "G4": 9, "G5": 15, "G6": 21, "H2": 20, "H3": 28, "H4": 31, "H5": 38, "H6": 40,  # FORECAST
    "I2": 1, "I3": 9, "I4": 5, "I5": 7, "J2": 0, "J3": 4, "J4": 2, "J5": 3,                       # LINEST
    "K2": 11, "K3": 12, "K4": 13, "K5": 14, "K6": 15, "K7": 16,                                   # LOGEST
    "L2": 33100, "L3": 47300, "L4": 69000, "L5": 102000, "L6": 150000, "L7": 220000,
}
REGRESSION = [
    row("=CORREL(A2:A6,B2:B6)", Printed("0.997054486")),
    row("=CORREL({1,1},{2,3})", DIV0),                                   # rule: no spread
    row("=PEARSON(C2:C6,D2:D6)", Printed("0.699379")),
    row("=COVARIANCE.P(A2:A6,B2:B6)", 5.2),
    row("=COVARIANCE.S({2,4,8},{5,11,12})", Printed("9.666666667")),
    row("=COVARIANCE.P({1,2},{1,2,3})", NA),                            # rule: unequal counts
    row("=SLOPE(E2:E8,F2:F8)", Printed("0.305555556")),
    row("=INTERCEPT(E2:E6,F2:F6)", Printed("0.0483871")),
    row("=RSQ(E2:E8,F2:F8)", Printed("0.05795")),
    row("=FORECAST.LINEAR(30,G2:G6,H2:H6)", Printed("10.607253")),
    row("=FORECAST(30,G2:G6,H2:H6)", Printed("10.607253")),
    row("=INDEX(LINEST(I2:I5,J2:J5),1)", 2.0),                           # "LINEST function" example 1
    row("=INDEX(LINEST(I2:I5,J2:J5),2)", 1.0),
    row("=INDEX(LINEST(I2:I5,J2:J5,FALSE),2)", 0.0),                     # rule: const FALSE, b = 0
    row("=INDEX(LOGEST(L2:L7,K2:K7),1)", Printed("1.463275628")),        # "LOGEST function"
    row("=INDEX(LOGEST(L2:L7,K2:K7),2)", Printed("495.3047702")),
]
DISTRIBUTIONS = [
    row("=STANDARDIZE(42,40,1.5)", Printed("1.333333")),                 # "STANDARDIZE function"
    row("=STANDARDIZE(42,40,0)", NUM),
    row("=NORM.DIST(42,40,1.5,TRUE)", Printed("0.9087888")),             # "NORM.DIST function"
    row("=NORM.DIST(42,40,1.5,FALSE)", Printed("0.10934005")),
    row("=NORM.DIST(42,40,-1,TRUE)", NUM),
    row("=NORM.INV(0.908789,40,1.5)", Printed("42.000002")),             # "NORM.INV function"
    row("=NORM.INV(0,40,1.5)", NUM),
    row("=NORM.S.DIST(1.333333,TRUE)", Printed("0.908788726")),          # "NORM.S.DIST function"
    row("=NORM.S.DIST(1.333333,FALSE)", Printed("0.164010148")),
    row("=NORM.S.INV(0.908789)", Printed("1.3333")),                     # "NORM.S.INV function"
    row("=NORMSDIST(1.333333)", Printed("0.908789")),                    # "NORMSDIST function"
    row("=EXPON.DIST(0.2,10,TRUE)", Printed("0.86466472")),              # "EXPON.DIST function"
    row("=EXPON.DIST(0.2,10,FALSE)", Printed("1.35335283")),
    row("=EXPON.DIST(-1,10,TRUE)", NUM),
]


@cases((STATS_CELLS, STATS), (REGRESSION_CELLS, REGRESSION), ({}, DISTRIBUTIONS))
def test_statistics(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Lookup & Reference ==============================================================================
LOOKUP_CELLS = {
    # "VLOOKUP function": density, viscosity, temperature
    "A2": 0.457, "A3": 0.525, "A4": 0.606, "A5": 0.675, "A6": 0.746, "A7": 0.835, "A8": 0.946,
    "A9": 1.09, "A10": 1.29, "B2": 3.55, "B3": 3.25, "B4": 2.93, "B5": 2.75, "B6": 2.57,
    "B7": 2.38, "B8": 2.17, "B9": 1.95, "B10": 1.71, "C2": 500, "C3": 400, "C4": 300, "C5": 250,
    "C6": 200, "C7": 150, "C8": 100, "C9": 50, "C10": 0,
    # "HLOOKUP function": axles, bearings, bolts
    "E1": "Axles", "F1": "Bearings", "G1": "Bolts", "E2": 4, "F2": 4, "G2": 9, "E3": 5, "F3": 7,
    "G3": 10, "E4": 6, "F4": 8, "G4": 11,
    # "CHOOSE function"
    "I2": "1st", "I3": "2nd", "I4": "3rd", "I5": "Finished", "J2": "Nails", "J3": "Screws",
    "J4": "Nuts", "J5": "Bolts", "K2": 23, "K3": 45, "K4": 12, "K5": 10,
    # "INDIRECT function"
    "M2": "N2", "M3": "N3", "M5": 5, "N2": 1.333, "N3": 45, "N4": 10, "N5": 62,
    # rule rows for XLOOKUP / XMATCH: products, prices
    "P2": "Apple", "P3": "Banana", "P4": "Cherry", "Q2": 1.5, "Q3": 0.25, "Q4": 3,
    "R2": 10, "R3": 20, "R4": 30,
}
LOOKUP = [
    row("=VLOOKUP(1,A2:C10,2)", 2.17), row("=VLOOKUP(1,A2:C10,3,TRUE)", 100.0),
    row("=VLOOKUP(0.7,A2:C10,3,FALSE)", NA), row("=VLOOKUP(0.1,A2:C10,2,TRUE)", NA),
    row("=VLOOKUP(2,A2:C10,2,TRUE)", 1.71),
    row("=VLOOKUP(1,A2:C10,0)", VALUE), row("=VLOOKUP(1,A2:C10,4)", REF),  # rule: col_index_num
    row("=VLOOKUP(0.946,A2:C10,2,)", 2.17),                  # rule: an empty range_lookup is FALSE
    row('=HLOOKUP("Axles",E1:G4,2,TRUE)', 4.0), row('=HLOOKUP("Bearings",E1:G4,3,FALSE)', 7.0),
    row('=HLOOKUP("B",E1:G4,3,TRUE)', 5.0), row('=HLOOKUP("Bolts",E1:G4,4)', 11.0),
    row('=HLOOKUP(3,{1,2,3;"a","b","c";"d","e","f"},2,TRUE)', "c"),
    row("=CHOOSE(2,I2,I3,I4,I5)", "2nd"), row("=CHOOSE(4,J2,J3,J4,J5)", "Bolts"),
    row('=CHOOSE(3,"Wide",115,"world",8)', "world"), row("=SUM(K2:CHOOSE(2,K3,K4,K5))", 80.0),
    row('=CHOOSE(5,"a","b")', VALUE),
    row("=INDIRECT(M2)", 1.333), row("=INDIRECT(M3)", 45.0), row('=INDIRECT("N"&M5)', 62.0),
    row('=INDIRECT("R5C14",FALSE)', 62.0), row('=INDIRECT("no such")', REF),  # rule: R1C1, #REF!
    row("=ADDRESS(2,3)", "$C$2"), row("=ADDRESS(2,3,2)", "C$2"), row("=ADDRESS(2,3,2,FALSE)", "R2C[3]"),
    row('=ADDRESS(2,3,1,FALSE,"[Book1]Sheet1")', "'[Book1]Sheet1'!R2C3"),
    row('=ADDRESS(2,3,1,FALSE,"EXCEL SHEET")', "'EXCEL SHEET'!R2C3"),
    row("=XMATCH(4,{5,4,3,2,1})", 2.0), row("=XMATCH(4.5,{5,4,3,2,1},1)", 1.0),  # "XMATCH function"
    row('=XMATCH("Gr?pe",{"Apple","Grape","Pear"},2)', 2.0),
    row('=XLOOKUP("Banana",P2:P4,Q2:Q4)', 0.25),
    row('=XLOOKUP("banana",P2:P4,R2:R4)', 20.0),              # rule: text without regard to case
    row('=XLOOKUP("Kiwi",P2:P4,Q2:Q4)', NA),
    row('=XLOOKUP("Kiwi",P2:P4,Q2:Q4,"none")', "none"),
    row("=XLOOKUP(2,Q2:Q4,P2:P4,,-1)", "Apple"),              # rule: exact or next smaller
    row("=XLOOKUP(2,Q2:Q4,P2:P4,,1)", "Cherry"),              # rule: exact or next larger
    row('=SUM(XLOOKUP("Banana",P2:P4,Q2:R4))', 20.25),        # rule: the whole row of return_array
    row('=XLOOKUP("C*",P2:P4,R2:R4,,2)', 30.0),
]


@cases((LOOKUP_CELLS, LOOKUP))
def test_lookup(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Text =============================================================================================
TEXT_CELLS = {"A2": "Miriam McGovern", "B2": "Statements", "B3": "Profit Margin", "B4": "margin",
              "C1": "a", "C3": "c", "D1": 39448, "D2": 0.75}
TEXT = [
    row('=LEFT("Sale Price",4)', "Sale"), row('=LEFT("Sweden")', "S"),            # "LEFT function"
    row('=LEFT("abc",-1)', VALUE),
    row('=RIGHT("Sale Price",5)', "Price"), row('=RIGHT("Stock Number")', "r"),  # "RIGHT function"
    row('=MID("Fluid Flow",1,5)', "Fluid"), row('=MID("Fluid Flow",7,20)', "Flow"),  # "MID function"
    row('=MID("Fluid Flow",20,5)', ""), row('=MID("Fluid Flow",0,5)', VALUE),
    row('=TRIM(" First Quarter   Earnings ")', "First Quarter Earnings"),        # "TRIM function"
    row('=SUBSTITUTE("Sales Data","Sales","Cost")', "Cost Data"),                # "SUBSTITUTE"
    row('=SUBSTITUTE("Quarter 1, 2008","1","2",1)', "Quarter 2, 2008"),
    row('=SUBSTITUTE("Quarter 1, 2011","1","2",3)', "Quarter 1, 2012"),
    row('=SUBSTITUTE(" b ","","x",-2.5)', VALUE),           # rule: instance_num below 1, any old
    row('=FIND("M",A2)', 1.0), row('=FIND("m",A2)', 6.0), row('=FIND("M",A2,3)', 8.0),  # "FIND"
    row('=FIND("z",A2)', VALUE), row('=FIND("",A2,4)', 4.0),
    row('=SEARCH("e",B2,6)', 7.0), row("=SEARCH(B4,B3)", 8.0),                 # "SEARCH function"
    row('=SEARCH("m?rg*",B3)', 8.0), row('=SEARCH("x",B3)', VALUE),
    row('=REPT("*-",3)', "*-*-*-"), row('=REPT("-",10)', "----------"),         # "REPT function"
    row('=REPT("-",-1)', VALUE),
    row('=VALUE("$1,000")', 1000.0), row('=VALUE("16:48:00")-VALUE("12:00:00")', Printed("0.2")),
    row('=VALUE("abc")', VALUE),                                                # "VALUE function"
    row('=TEXTJOIN(" ",TRUE,"The","sun","will","come","up","tomorrow.")',     # "TEXTJOIN function"
        "The sun will come up tomorrow."),
    row('=TEXTJOIN(",",TRUE,C1:C3)', "a,c"), row('=TEXTJOIN(",",FALSE,C1:C3)', "a,,c"),
    row('=CONCAT(C1:C3,"!")', "ac!"),                                           # "CONCAT function"
    row('=EXACT("word","word")', True), row('=EXACT("Word","word")', False),     # "EXACT function"
    row('=EXACT("w ord","word")', False),
    row('=PROPER("this is a TITLE")', "This Is A Title"),                       # "PROPER function"
    row('=PROPER("2-way street")', "2-Way Street"), row('=PROPER("76BudGet")', "76Budget"),
    row("=CHAR(65)", "A"), row("=CHAR(33)", "!"), row('=CODE("A")', 65.0),      # "CHAR", "CODE"
    row('=CODE("!")', 33.0),
    # "TEXT function" and "Number format codes"
    row('=TEXT(1234.567,"$#,##0.00")', "$1,234.57"), row('=TEXT(0.285,"0.0%")', "28.5%"),
    row('=TEXT(1234.567,"#,##0")', "1,235"), row('=TEXT(12200000,"0.00E+00")', "1.22E+07"),
    row('=TEXT(5,"000")', "005"), row('=TEXT(5551234,"000-0000")', "555-1234"),
    row('=LEN(TEXT(1E+45,"0"))', 46.0),                     # rule: every digit before the point
    row('=TEXT(-5,"0;(0)")', "(5)"), row('=TEXT(0,"0;-0;""zero""")', "zero"),
    row('=TEXT(1234.5,"#,##0.00 ""units""")', "1,234.50 units"), row('=TEXT(12345678,"#,##0,")', "12,346"),
    row('=TEXT(D1,"yyyy-mm-dd")', "2008-01-01"), row('=TEXT(D1,"mm/dd/yy")', "01/01/08"),
    row('=TEXT(D1,"dddd")', "Tuesday"), row('=TEXT(D1,"d-mmm-yy")', "1-Jan-08"),
    row('=TEXT(D2,"h:mm AM/PM")', "6:00 PM"), row('=TEXT(D2,"hh:mm:ss")', "18:00:00"),
    row('=TEXT(1.5,"[h]:mm")', "36:00"), row('=TEXT(3.14159,"0.##")', "3.14"),
    row('=TEXT("abc","0.00")', "abc"), row('=TEXT(1234.5,"General")', "1234.5"),
    row('=TEXT(123456,"$#,##0")', "$123,456"),              # rule: the $ stays before the digits
    # "Excel specifications and limits": number precision 15 digits, so a number is written as
    # text at its first 15 significant digits (zeros after); a constant typed with more keeps
    # its first 15 ("Last digits are changed to zeros when you type long numbers in cells of Excel")
    row('=TEXT(123456789012345678,"0")', "123456789012345000"),
    row('=TEXT(2^60,"0")', "1152921504606850000"),        # 1152921504606846976 at 15 digits
    row('=TEXT(0.1+0.2,"0.00000000000000000000")', "0.30000000000000000000"),
    row('=TEXT(1/3,"0.000000000000000000")', "0.333333333333333000"),
    row('=TEXT(1E+45,"0")', "1" + "0" * 45),
    row('=TEXT(-123456789012345678,"#,##0")', "-123,456,789,012,345,000"),
    row('=TEXT(0.285,"0.0%")', "28.5%"),                    # 28.499999999999996 as a double
    row('="" & 123456789012345678', "1.23456789012345E+17"),
    row('=VALUE(TEXT(123456789012345678,"0"))&""', "1.23456789012345E+17"),
    row('=VALUE(TEXT(0.1+0.2,"0.00000000000000000000"))=0.3', True),
    row('=FIXED(123456789012345678,0)', "123,456,789,012,345,000"),
    row('=DOLLAR(123456789012345678)', "$123,456,789,012,345,000.00"),
    row('=DOLLAR(-2^60*10,-3)', "$11,529,215,046,068,500,000"),   # (-2)^60: - before ^
    row('=DOLLAR(-123456789012345678,0)', "($123,456,789,012,345,000)"),
    # "FIXED function"
    row("=FIXED(1234.567,1)", "1,234.6"), row("=FIXED(1234.567,-1)", "1,230"),
    row("=FIXED(-1234.567,-1,TRUE)", "-1230"), row("=FIXED(44.332)", "44.33"),
    row("=FIXED(1,128)", VALUE),                            # rule: decimals up to 127
    # "DOLLAR function": the format $#,##0.00_);($#,##0.00)
    row("=DOLLAR(1234.567,2)", "$1,234.57"), row("=DOLLAR(1234.567,-2)", "$1,200"),
    row("=DOLLAR(-1234.567,-2)", "($1,200)"), row("=DOLLAR(-0.123,4)", "($0.1230)"),
    row("=DOLLAR(99.888)", "$99.89"),
    # rule: both pages round the number before formatting it, so a negative one that rounds to
    # 0 is no negative ($0.00, as FIXED's 0.00; LibreOffice agrees), and 127 places fit the
    # largest numbers (FIXED(1E+300,127) raised decimal.InvalidOperation): 301 digits, 100
    # commas, the point and 127 zeros
    row("=DOLLAR(-0.004)", "$0.00"), row("=FIXED(-0.004)", "0.00"),
    row("=LEN(FIXED(1E+300,127))", 529.0),
]


@cases((TEXT_CELLS, TEXT))
def test_text(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Logical and Information ==============================================================================
LOGIC_CELLS = {"A2": 93, "A3": 89, "A4": 78, "A5": 68, "A6": 50, "B2": "Smith", "C2": True}
LOGIC = [
    # "IFS function": grades
    row('=IFS(A2>89,"A",A2>79,"B",A2>69,"C",A2>59,"D",TRUE,"F")', "A"),
    row('=IFS(A3>89,"A",A3>79,"B",A3>69,"C",A3>59,"D",TRUE,"F")', "B"),
    row('=IFS(A6>89,"A",A6>79,"B",A6>69,"C",A6>59,"D",TRUE,"F")', "F"),
    row('=IFS(A6>89,"A")', NA), row('=IFS(TRUE,1,NA(),2)', 1.0),  # rule: #N/A if none; lazily
    # "SWITCH function" (rule rows: its example calls WEEKDAY)
    row('=SWITCH(2,1,"Sunday",2,"Monday",3,"Tuesday","No match")', "Monday"),
    row('=SWITCH(99,1,"Sunday",2,"Monday",3,"Tuesday","No match")', "No match"),
    row('=SWITCH(99,1,"Sunday",2,"Monday")', NA),
    # "XOR function"
    row("=XOR(3>0,2<9)", False), row("=XOR(3>12,4>6)", False), row("=XOR(3>12,4<6)", True),
    # "IFNA function"
    row('=IFNA(NA(),"Not found")', "Not found"), row("=IFNA(1/0,0)", DIV0),
    # "IS functions"
    row("=ISLOGICAL(TRUE)", True), row('=ISLOGICAL("TRUE")', False), row("=ISNONTEXT(B2)", False),
    row("=ISNONTEXT(A2)", True), row("=ISERR(NA())", False), row("=ISERR(1/0)", True),
    row("=ISREF(G8)", True), row("=ISREF(XYZ1)", False), row("=ISREF(1)", False),
    # "ISEVEN function"; "ISODD function"
    row("=ISEVEN(-1)", False), row("=ISEVEN(2.5)", True), row("=ISEVEN(5)", False),
    row("=ISODD(-1)", True), row("=ISODD(2.5)", False), row("=ISODD(5)", True),
    row('=ISEVEN("x")', VALUE),
    # "N function"
    row("=N(7)", 7.0), row('=N("Even")', 0.0), row("=N(C2)", 1.0), row("=N(1/0)", DIV0),
    # "TYPE function"
    row("=TYPE(B2)", 2.0), row('=TYPE("Mr. "&B2)', 2.0), row("=TYPE(2+B2)", 16.0),
    row("=TYPE({1,2;3,4})", 64.0), row("=TYPE(A2)", 1.0), row("=TYPE(C2)", 4.0),
    # "ERROR.TYPE function"
    row("=ERROR.TYPE(1/0)", 2.0), row("=ERROR.TYPE(NA())", 7.0), row("=ERROR.TYPE(1)", NA),
]


@cases((LOGIC_CELLS, LOGIC))
def test_logic_and_information(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# === Dynamic arrays, in array formulas over their range ===============================================
ARRAY_CELLS = {"A1": 3, "A2": 1, "A3": 2, "B1": "c", "B2": "a", "B3": "b", "C1": "x", "C2": "y",
               "C3": "x"}
ARRAYS = [
    row("E1:G2", "=SEQUENCE(2,3)", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),    # "SEQUENCE function"
    row("E1:F2", "=SEQUENCE(2,2,10,-1)", [[10.0, 9.0], [8.0, 7.0]]),
    row("E1:E1", "=SEQUENCE(0)", [[CALC]]),
    row("E1:G1", "=TRANSPOSE(A1:A3)", [[3.0, 1.0, 2.0]]),                   # "TRANSPOSE function"
    row("E1:E3", "=SORT(A1:A3)", [[1.0], [2.0], [3.0]]),                   # "SORT function"
    row("E1:F3", "=SORT(A1:B3,2,-1)", [[3.0, "c"], [2.0, "b"], [1.0, "a"]]),
    row("E1:E2", '=FILTER(A1:A3,C1:C3="x")', [[3.0], [2.0]]),             # "FILTER function"
    row("E1:E1", '=FILTER(A1:A3,C1:C3="z")', [[CALC]]),
    row("E1:E1", '=FILTER(A1:A3,C1:C3="z","none")', [["none"]]),
    row("E1:E2", "=UNIQUE(C1:C3)", [["x"], ["y"]]),                        # "UNIQUE function"
    row("E1:E1", "=UNIQUE(C1:C3,FALSE,TRUE)", [["y"]]),
    row("E1:G3", "=MUNIT(3)", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
    row("E1:F2", "=MINVERSE({4,-1;2,0})", [[0.0, 0.5], [-1.0, 2.0]]),      # "MINVERSE function"
    row("E1:F1", "=LINEST({1,9,5,7},{0,4,2,3})", [[2.0, 1.0]]),            # "LINEST function"
    row("E1:E4", "=FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89})",  # "FREQUENCY function"
        [[1.0], [2.0], [4.0], [2.0]]),
    row("E1:E4", "=FREQUENCY({79,85,78,85,50,81,95,88,97},{89,70,79})",  # rule: bins unsorted
        [[4.0], [1.0], [2.0], [2.0]]),
    row("E1:E4", "=FREQUENCY({1,2,3},{2,2,1})", [[0.0], [1.0], [1.0], [1.0]]),  # as LibreOffice
    row("E1:E3", "=MODE.MULT({1,2,3,4,3,2,1,2,3,5,6,1})", [[1.0], [2.0], [3.0]]),  # "MODE.MULT function"
    row("E1:E1", "=MODE.MULT(1,2,3)", [[NA]]),
]


@pytest.mark.parametrize("target, formula, expected", [pytest.param(*p.values, id=p.id) for p in ARRAYS])
def test_dynamic_arrays(target: str, formula: str, expected: list[list[object]]) -> None:
    book = calculated({"S": {**ARRAY_CELLS, target: formula}})
    got = book.values(f"S!{target}")
    for want_row, got_row in zip(expected, got, strict=True):
        for want, value in zip(want_row, got_row, strict=True):
            assert_same(want, value, formula)


def test_randarray_within_its_bounds() -> None:
    """"RANDARRAY function": rows x columns draws between min and max, whole numbers if asked."""
    book = calculated({"S": {"A1:C4": "=RANDARRAY(4,3,5,9,TRUE)", "E1:F2": "=RANDARRAY(2,2)"}})
    whole = [v for r in book.values("S!A1:C4") for v in r]
    assert all(type(v) is float and v == int(v) and 5 <= v <= 9 for v in whole), whole
    fractions = [v for r in book.values("S!E1:F2") for v in r]
    assert all(type(v) is float and 0 <= v < 1 for v in fractions), fractions
    assert len(set(fractions)) == 4


# === LET and LAMBDA (resolved by the parser), and dynamic arrays that spill =============================
# "LET function": =LET(x, 1, x+1) is 2; names are written _xlpm.x in a file. "LAMBDA function":
# =LAMBDA(x, x+1)(1) is 2; as defined names, ToCelsius = LAMBDA(temp, (5/9) * (temp-32)) gives
# ToCelsius(104) = 40 and Hypotenuse = LAMBDA(a, b, SQRT((a^2+b^2))) gives Hypotenuse(3,4) = 5;
# a LAMBDA that is not called is #CALC!, a call with the wrong number of arguments #VALUE!.
LET_CELLS = {"A1": 2, "A2": 3, "B1": 10}
LET_ROWS = [
    row("=LET(x,1,x+1)", 2.0),
    row("=_xlfn.LET(_xlpm.x,1,_xlpm.x+1)", 2.0),                          # as Excel writes it
    row("=LET(x,A1,y,x+1,x*y)", 6.0),                                     # a name uses the one before
    row("=LET(r,A1:A2,SUM(r))", 5.0),                                     # a reference stays one
    row("=LET(a,5,LET(a,6,a)+a)", 11.0),                                  # the inner name wins inside
    row("=LET(x,NA(),IFERROR(x,7))", 7.0),
    row("=LAMBDA(x,x+1)(1)", 2.0),
    row("=_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b)(3,4)", 12.0),
    row("=LET(f,LAMBDA(y,y*A1),f(5))", 10.0),                             # a LAMBDA named by LET
    row("=LET(x,1,LAMBDA(y,x+y)(10))", 11.0),                             # it sees the LET's names
    row("=LAMBDA(x,x+1)", CALC),
    row("=LAMBDA(x,x)(1,2)", VALUE),
]


@cases((LET_CELLS, LET_ROWS))
def test_let_and_lambda(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


def test_lambda_in_a_defined_name() -> None:
    names = {"ToCelsius": "LAMBDA(temp,(5/9)*(temp-32))", "Hypotenuse": "LAMBDA(a,b,SQRT((a^2+b^2)))",
             "FACTORIAL": "LAMBDA(n,IF(n<=1,1,n*FACTORIAL(n-1)))"}
    book = calculated({"S": {"A1": 104, "B1": "=ToCelsius(A1)", "B2": "=Hypotenuse(3,4)",
                             "B3": "=FACTORIAL(5)", "B4": "=ToCelsius"}}, names=names)
    assert_same(40.0, book["S!B1"], "ToCelsius(104)")
    assert_same(5.0, book["S!B2"], "Hypotenuse(3,4)")
    assert_same(120.0, book["S!B3"], "FACTORIAL(5), a LAMBDA that calls itself")
    assert_same(CALC, book["S!B4"], "a name holding a LAMBDA, not called")


# "LAMBDA function": a LAMBDA name may call itself; Errors: "If you call a LAMBDA function from
# within itself and the call is circular, Excel can return a #NUM! error if there are too many
# recursive calls." The recursion runs as deep as the values take it, not as deep as the parser
# could unroll it. Expected values are the sequences' own (Fibonacci numbers, 170! as a double).
RECURSIVE_NAMES = {
    "FIB": "LAMBDA(n,IF(n<2,n,FIB(n-1)+FIB(n-2)))",
    "FACT": "LAMBDA(n,IF(n<=1,1,n*FACT(n-1)))",
    "EVENP": "LAMBDA(n,IF(n=0,TRUE,ODDP(n-1)))",          # mutual recursion through two names
    "ODDP": "LAMBDA(n,IF(n=0,FALSE,EVENP(n-1)))",
    "ENDLESS": "LAMBDA(n,ENDLESS(n+1))",
    "SUMDOWN": "LAMBDA(r,IF(ROWS(r)=1,INDEX(r,1),INDEX(r,1)+SUMDOWN(OFFSET(r,1,0,ROWS(r)-1))))",
    "DEPTH": "LAMBDA(n,IF(n=0,0,1+DEPTH(n-1)))",
}
RECURSIVE_CELLS = {"B1": 1, "B2": 2, "B3": 3, "B4": 4, "B5": 5}
RECURSIVE = [
    row("=FIB(0)", 0.0), row("=FIB(1)", 1.0), row("=FIB(10)", 55.0), row("=FIB(20)", 6765.0),
    row("=FACT(170)", 7.257415615307994e306),
    row("=FACT(5)+FIB(FIB(5))", 125.0),                       # a recursive call as an argument
    row("=EVENP(10)", True), row("=ODDP(7)", True), row("=EVENP(7)", False),
    row("=SUMDOWN(B1:B5)", 15.0),                              # a reference as the argument
    row("=SUM(MAP(B1:B5,LAMBDA(x,FACT(x))))", 153.0),         # called by a helper's LAMBDA
    row("=ENDLESS(1)", NUM),                                   # too many recursive calls
]


@pytest.fixture(scope="module")
def recursive_book() -> object:
    formulas = {f"A{i + 1}": p.values[0] for i, p in enumerate(RECURSIVE)}
    return calculated({"S": {**RECURSIVE_CELLS, **formulas}}, names=RECURSIVE_NAMES)


@pytest.mark.parametrize("index", [pytest.param(i, id=p.id) for i, p in enumerate(RECURSIVE)])
def test_recursive_lambda_names(recursive_book, index: int) -> None:
    formula, expected = RECURSIVE[index].values
    assert_same(expected, recursive_book[f"S!A{index + 1}"], formula)


def test_recursion_depth_is_excels_operand_stack() -> None:
    """Measured in Excel, a call takes its parameters + 1 of an operand stack of 1,024 entries
    (cellgrad.functions.lambdas.OPERAND_STACK): DEPTH(n) makes n + 1 calls of one parameter."""
    from cellgrad.functions.lambdas import OPERAND_STACK
    deepest = OPERAND_STACK // 2 - 1
    book = calculated({"S": {"A1": f"=DEPTH({deepest})", "A2": f"=DEPTH({deepest + 1})"}},
                      names=RECURSIVE_NAMES)
    assert_same(float(deepest), book["S!A1"], "as deep as the stack allows")
    assert_same(NUM, book["S!A2"], "one call more")


def test_python_recursion_limit_is_num_error(monkeypatch) -> None:
    """Should Python's recursion limit come before Excel's, the cell is #NUM! all the same."""
    import sys

    from cellgrad.functions import lambdas
    monkeypatch.setattr(lambdas, "_FRAMES_PER_ENTRY", 0)
    limit = sys.getrecursionlimit()
    book = calculated({"S": {"A1": "=DEPTH(400)", "A2": "=DEPTH(3)"}}, names=RECURSIVE_NAMES)
    assert_same(NUM, book["S!A1"], "DEPTH(400) past Python's recursion limit")
    assert_same(3.0, book["S!A2"], "DEPTH(3)")
    assert sys.getrecursionlimit() == limit


def spilled_book(tmp_path, cells: dict) -> object:
    """A workbook whose B2 is a dynamic-array formula as Excel 365 saves one: an array formula
    over its anchor cell, marked with cell metadata (cm="1")."""
    from cellgrad.workbook import Workbook

    from .builder import with_part, write_workbook
    plain = write_workbook(tmp_path / "plain.xlsx", {"S": cells})
    marked = with_part(plain, "xl/worksheets/sheet1.xml",
                       lambda body: body.replace(b'<c r="B2"', b'<c r="B2" cm="1"'), tmp_path / "spill.xlsx")
    book = Workbook.load(marked)
    book.calculate()
    return book


def test_a_blocked_spill_is_spill_error(tmp_path) -> None:
    """"How to correct a #SPILL! error": the spill range isn't blank."""
    book = spilled_book(tmp_path, {"B2:B2": "=SEQUENCE(3)", "B4": "here"})
    assert book["S!B2"] is ExcelError.SPILL


def test_a_free_spill_keeps_its_values(tmp_path) -> None:
    book = spilled_book(tmp_path, {"B2:B4": "=SEQUENCE(3)"})
    assert [r[0] for r in book.values("S!B2:B4")] == [1.0, 2.0, 3.0]
    book = spilled_book(tmp_path, {"B2:B2": "=SUM(SEQUENCE(3))"})
    assert book["S!B2"] == 6.0


# "MAP function": =MAP(A1:C2, LAMBDA(a, IF(a>4,a*a,a))); "REDUCE function": the sum of squares,
# =REDUCE(, A1:C2, LAMBDA(a,b,a+b^2)); "SCAN function": running values; "BYROW function" and
# "BYCOL function": =BYROW(A1:C2, LAMBDA(array, MAX(array))); "MAKEARRAY function":
# =MAKEARRAY(3, 3, LAMBDA(r,c, r*c)). Data 1 2 3 / 4 5 6.
HELPER_CELLS = {"A1": 1, "B1": 2, "C1": 3, "A2": 4, "B2": 5, "C2": 6}
HELPERS = [
    row("E1:G2", "=MAP(A1:C2,LAMBDA(a,IF(a>4,a*a,a)))", [[1.0, 2.0, 3.0], [4.0, 25.0, 36.0]]),
    row("E1:E1", "=REDUCE(,A1:C2,LAMBDA(a,b,a+b^2))", [[91.0]]),
    row("E1:G2", "=SCAN(,A1:C2,LAMBDA(a,b,a+b))", [[1.0, 3.0, 6.0], [10.0, 15.0, 21.0]]),
    row("E1:E2", "=BYROW(A1:C2,LAMBDA(array,MAX(array)))", [[3.0], [6.0]]),
    row("E1:G1", "=BYCOL(A1:C2,LAMBDA(array,MAX(array)))", [[4.0, 5.0, 6.0]]),
    row("E1:G3", "=MAKEARRAY(3,3,LAMBDA(r,c,r*c))", [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [3.0, 6.0, 9.0]]),
    row("E1:G1", "=_xlfn.MAP(A1:C1,_xlfn.LAMBDA(_xlpm.x,_xlpm.x*10))", [[10.0, 20.0, 30.0]]),
    row("E1:E1", "=LET(f,LAMBDA(x,x*x),SUM(MAP(A1:C2,f)))", [[91.0]]),        # a LET-named LAMBDA
    row("E1:E1", "=SUM(MAP(A1:A2,LAMBDA(x,SUM(MAP(B1:B2,LAMBDA(y,x*y))))))", [[35.0]]),  # nested
    row("E1:E1", "=MAP(A1:C2,5)", [[VALUE]]),                                  # rule: not a LAMBDA
    row("E1:E1", "=MAP(A1:C2,LAMBDA(a,b,a))", [[VALUE]]),                      # rule: wrong arity
]


@pytest.mark.parametrize("target, formula, expected", [pytest.param(*p.values, id=p.id) for p in HELPERS])
def test_lambda_helpers(target: str, formula: str, expected: list[list[object]]) -> None:
    book = calculated({"S": {**HELPER_CELLS, target: formula}})
    for want_row, got_row in zip(expected, book.values(f"S!{target}"), strict=True):
        for want, value in zip(want_row, got_row, strict=True):
            assert_same(want, value, formula)
