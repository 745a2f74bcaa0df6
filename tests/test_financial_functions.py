"""The financial functions as a table: each row a formula and the value Microsoft's support page
for the function prints (the page is named, by title, above its rows), with the page's example
data in the cells. Rows marked "rule" are an error case or a rule the page states rather than one
of its examples. Printed values are compared to the digits printed (Printed)."""
from __future__ import annotations

import pytest

from .builder import calculated, row
from .test_function_library import DIV0, NUM, VALUE, Printed, cases, check

class Iterated(Printed):
    """A result Excel finds by iteration, which stops within a stated accuracy of the root, so
    the digits printed need not be the root's: equal within that accuracy (XIRR's 0.000001
    percent)."""

    def __new__(cls, value: str, accuracy: str) -> "Iterated":
        printed = super().__new__(cls, value)
        printed.accuracy = float(accuracy)
        return printed

    def matches(self, got: object) -> bool:
        return type(got) is float and abs(got - float(self)) <= self.accuracy


CELLS = {
    # "IRR function": the cost of a business and five years' net income
    "A2": -70000, "A3": 12000, "A4": 15000, "A5": 18000, "A6": 21000, "A7": 26000,
    # "XNPV function", "XIRR function": cash flows and their dates (1/1/2008 ... 4/1/2009)
    "B2": -10000, "B3": 2750, "B4": 4250, "B5": 3250, "B6": 2750,
    "C2": 39448, "C3": 39508, "C4": 39751, "C5": 39859, "C6": 39904,
    # "MIRR function": a fishing boat's cost and five years' income; finance and reinvest rates
    "D2": -120000, "D3": 39000, "D4": 30000, "D5": 21000, "D6": 37000, "D7": 46000,
    "D8": 0.10, "D9": 0.12,
    # "NPV function" example 2: the rate, the initial investment and five years' returns
    "E2": 0.08, "E3": -40000, "E4": 8000, "E5": 9200, "E6": 10000, "E7": 12000, "E8": 14500,
    # rule: what references hold besides numbers (left out by NPV, IRR, MIRR; not by XNPV)
    "F2": -100, "F3": "text", "F4": True, "F6": 60, "F7": 60,
    "G2": 39448, "G3": 39449, "G4": 39450, "G5": 39451, "G6": 39452, "G7": 39453,
    # "FVSCHEDULE function": a blank cell is no interest
    "H2": 0.09, "H4": 0.11, "H5": 0.1, "H6": "x",
}

ANNUITIES = [
    # "PMT function"
    row("=PMT(8%/12,10,10000)", Printed("-1037.03")),
    row("=PMT(8%/12,10,10000,,1)", Printed("-1030.16")),
    row("=PMT(6%/12,18*12,0,50000)", Printed("-129.08")),
    row("=PMT(0,10,1000)", -100.0),                                    # rule: rate 0
    row("=PMT(5%,0,1000)", NUM),                                       # rule: no periods
    # "IPMT function"
    row("=IPMT(10%/12,1,3*12,8000)", Printed("-66.67")),
    row("=IPMT(10%,3,3,8000)", Printed("-292.45")),
    row("=IPMT(10%,4,3,8000)", NUM), row("=IPMT(10%,0,3,8000)", NUM),  # rule: per in 1..nper
    row("=IPMT(10%,1,3,8000,0,1)", 0.0),                               # rule: paid in advance
    # "PPMT function"
    row("=PPMT(10%/12,1,2*12,2000)", Printed("-75.62")),
    row("=PPMT(8%,10,10,200000)", Printed("-27598.05")),
    row("=PPMT(8%,11,10,200000)", NUM),                                # rule: per in 1..nper
    # rule: payment less interest, -28 less -22.4 (PMT(400%,100,7) and IPMT(400%,100,100,7))
    row("=PPMT(400%,100,100,7)", -5.6),
    row("=PPMT(10%,2,3,8000,0,1)", Printed("-2416.92")),               # rule: PMT - IPMT, in advance
    # "FV function"
    row("=FV(6%/12,10,-200,-500,1)", Printed("2581.40")),
    row("=FV(12%/12,12,-1000)", Printed("12682.50")),
    row("=FV(11%/12,35,-2000,,1)", Printed("82846.25")),
    row("=FV(0,12,-100,-1000)", 2200.0),                               # rule: rate 0
    # "PV function"
    row("=PV(8%/12,12*20,500,,0)", Printed("-59777.15")),
    # "NPER function"
    row("=NPER(12%/12,-100,-1000,10000,1)", Printed("59.6738657")),
    row("=NPER(12%/12,-100,-1000,10000)", Printed("60.0821229")),
    row("=NPER(12%/12,-100,-1000)", Printed("-9.57859404")),
    row("=NPER(10%,-100,10000)", NUM),            # rule: the payment is below the interest
    # "RATE function": 1% a month, 9.24% a year
    row("=RATE(4*12,-200,8000)", Printed("0.01")),
    row("=RATE(4*12,-200,8000)*12", Printed("0.0924")),
    row("=RATE(10,100,1000)", NUM),                   # rule: no rate: does not converge (#NUM!)
    # Microsoft Tech Community, "#¡NUM! Error in RATE Formula": #NUM! without a guess (-184%
    # solves the equation, but no rate of -100% or below is one), 26.30% with 25%
    row("=RATE(12,2800,-10000)", NUM),
    row("=RATE(12,2800,-10000,0,0,25%)", Printed("0.2630")),
    # Microsoft Tech Community, "RATE Formula #NUM Error": 23.0179110523521% with a guess of 20%
    row("=RATE(44,0,-1650,15000000,0,20%)", Printed("0.2301791105235")),
    # "CUMIPMT function"
    row("=CUMIPMT(9%/12,30*12,125000,13,24,0)", Printed("-11135.23213")),
    row("=CUMIPMT(9%/12,30*12,125000,1,1,0)", Printed("-937.5")),
    row("=CUMIPMT(0,30*12,125000,1,1,0)", NUM), row("=CUMIPMT(9%/12,360,-1,1,1,0)", NUM),
    row("=CUMIPMT(9%/12,360,125000,24,13,0)", NUM), row("=CUMIPMT(9%/12,360,125000,0,1,0)", NUM),
    row("=CUMIPMT(9%/12,360,125000,1,1,2)", NUM),
    # "CUMPRINC function"
    row("=CUMPRINC(9%/12,30*12,125000,13,24,0)", Printed("-934.1071234")),
    row("=CUMPRINC(9%/12,30*12,125000,1,1,0)", Printed("-68.27827118")),
    row("=CUMPRINC(9%/12,30*12,125000,1,1,-1)", NUM),
    # rule: the "PV function" page's equation at a small rate keeps its digits ((1+rate)^nper - 1
    # was 0 at 1E-20: PMT #NUM!, FV 0, NPER 0; and 8 digits short at 1E-10)
    row("=PMT(1E-20,10,1000)", -100.0), row("=FV(1E-20,10,-100)", 1000.0),
    row("=PV(1E-17,10,-100)", 1000.0), row("=NPER(1E-20,-100,1000)", 10.0),
    row("=PMT(1E-10,10,1000)", Printed("-100.000000055")),
]

CASH_FLOWS = [
    # "NPV function"
    row("=NPV(10%,-10000,3000,4200,6800)", Printed("1188.44")),
    row("=NPV(E2,E4:E8)+E3", Printed("1922.06")),
    row("=NPV(E2,E4:E8,-9000)+E3", Printed("-3749.47")),
    # rule: in a reference only numbers count; given directly, a logical and numeric text count
    row("=NPV(10%,F2:F7)", -100 / 1.1 + 60 / 1.21 + 60 / 1.331),
    row('=NPV(10%,TRUE,"2")', 1 / 1.1 + 2 / 1.21),
    row('=NPV(10%,"a")', VALUE),
    row("=NPV(1E+200,5,3)", 5e-200),  # rule: the page's sum, whose (1+rate)^2 is past 1E+308
    # "IRR function": -2.1%, 8.7%, -44.4%
    row("=IRR(A2:A6)", Printed("-0.021")),
    row("=IRR(A2:A7)", Printed("0.087")),
    row("=IRR(A2:A4,-10%)", Printed("-0.444")),
    row("=NPV(IRR(A2:A7),A3:A7)+A2", Printed("0.00000")),              # the page's remark
    row("=IRR({1,2,3})", NUM), row("=IRR({-1,-2})", NUM),   # rule: a positive and a negative
    row("=IRR(F2:F7)", Printed("0.13")),                    # rule: text, logical, blank ignored
    # "MIRR function": 13%, -5%, 13%
    row("=MIRR(D2:D7,D8,D9)", Printed("0.13")),
    row("=MIRR(D2:D5,D8,D9)", Printed("-0.05")),
    row("=MIRR(D2:D7,D8,14%)", Printed("0.13")),
    row("=MIRR({1,2,3},10%,12%)", DIV0),                    # rule: a positive and a negative
    # "XNPV function"
    row("=XNPV(0.09,B2:B6,C2:C6)", Printed("2086.65")),
    row("=XNPV(0.09,B2:B6,C2:C5)", NUM),                    # rule: counts differ
    row("=XNPV(0.09,B2:B6,{39448;39508;39400;39859;39904})", NUM),  # rule: before the start
    row("=XNPV(0.09,B2:B6,{39448;39508;-1;39859;39904})", VALUE),   # rule: not a date
    row("=XNPV(0.09,F2:F7,G2:G7)", VALUE),                  # rule: non-numeric values
    row("=XNPV(0.09,B2:B6,{39448.9;39508;39751;39859;39904})", Printed("2086.65")),  # truncated
    # "XIRR function": 0.373362535, or 37.34%
    row("=XIRR(B2:B6,C2:C6,0.1)", Iterated("0.373362535", "1e-8")),
    row("=XIRR(B2:B6,C2:C6)", Iterated("0.373362535", "1e-8")),
    row("=XIRR({1,2},{39448,39508})", NUM),                 # rule: a positive and a negative
    row("=XIRR(B2:B6,C2:C5)", NUM),                         # rule: counts differ
]

DEPRECIATION = [
    # "SLN function"
    row("=SLN(30000,7500,10)", 2250.0),
    row("=SLN(30000,7500,0)", DIV0),                                   # rule: as a division
    # "SYD function"
    row("=SYD(300000,75000,10,1)", Printed("40909.09")),
    row("=SYD(300000,75000,10,10)", Printed("4090.91")),
    row("=SYD(300000,75000,10,11)", NUM),                              # rule: per in 1..life
    # "DB function"
    row("=DB(1000000,100000,6,1,7)", Printed("186083.33")),
    row("=DB(1000000,100000,6,2,7)", Printed("259639.42")),
    row("=DB(1000000,100000,6,3,7)", Printed("176814.44")),
    row("=DB(1000000,100000,6,4,7)", Printed("120410.64")),
    row("=DB(1000000,100000,6,5,7)", Printed("81999.64")),
    row("=DB(1000000,100000,6,6,7)", Printed("55841.76")),
    row("=DB(1000000,100000,6,7,7)", Printed("15845.10")),
    row("=DB(1000000,100000,6,1)", 1000000 * 0.319),                  # rule: month 12
    row("=DB(1000000,100000,6,7)", NUM), row("=DB(1000000,100000,6,1,13)", NUM),  # rule
    # rule: a salvage of 0 makes the rate 1, the first year takes the whole cost and every
    # later one 0, even the last of 1E+15 (which the year-by-year count never reached)
    row("=DB(1000000,0,1E+15,1)", 1000000.0), row("=DB(1000000,0,1E+15,1E+15)", 0.0),
    row("=DB(1000000,0,1E+15,1E+15+1,6)", 0.0),
    # "DDB function"
    row("=DDB(2400,300,10*365,1)", Printed("1.32")),
    row("=DDB(2400,300,10*12,1,2)", Printed("40.00")),
    row("=DDB(2400,300,10,1,2)", Printed("480.00")),
    row("=DDB(2400,300,10,2,1.5)", Printed("306.00")),
    row("=DDB(2400,300,10,10)", Printed("22.12")),
    row("=DDB(2400,300,10,11)", NUM), row("=DDB(2400,300,10,1,0)", NUM),  # rule: positive
    # rule: the page's Min((cost - pd) * (factor/life), ...) at a rate of 2E-300 a year for
    # 1E+300 years: what is left is e^-2 of the cost, 1 - 2E-300 rounded to 1 made it all of it
    row("=DDB(1,0,1E+300,1E+300)", Printed("2.70670566473E-301")),
]

RATES = [
    # "EFFECT function"; "NOMINAL function"
    row("=EFFECT(5.25%,4)", Printed("0.0535427")),
    row("=EFFECT(0,4)", NUM), row("=EFFECT(5.25%,0.9)", NUM),          # rule
    row("=EFFECT(5.25%,4.9)", Printed("0.0535427")),                  # rule: npery truncated
    row("=NOMINAL(5.3543%,4)", Printed("0.05250032")),
    row("=NOMINAL(-1%,4)", NUM),                                       # rule
    # rule: the pages' formulas at many periods a year, to their digits ((1+r)^n - 1 lost them)
    row("=EFFECT(10%,10^7)", Printed("0.105170917523")),
    row("=NOMINAL(10%,10^7)", Printed("0.0953101802585")),
    # "FVSCHEDULE function"
    row("=FVSCHEDULE(1,{0.09,0.11,0.1})", Printed("1.33089")),
    row("=FVSCHEDULE(1,H2:H5)", Printed("1.33089")),                  # rule: blank is 0
    row("=FVSCHEDULE(1,H2:H6)", VALUE),                               # rule: anything else
    # "PDURATION function"
    row("=PDURATION(2.5%,2000,2200)", Printed("3.86")),
    row("=PDURATION(0.025/12,1000,1200)", Printed("87.6")),
    row("=PDURATION(0,1000,1200)", NUM), row("=PDURATION(2.5%,-1,1200)", NUM),  # rule
    # "RRI function"
    row("=RRI(96,10000,11000)", Printed("0.0009933")),
    row("=RRI(0,10000,11000)", NUM),                                   # rule
]


@cases((CELLS, ANNUITIES), (CELLS, CASH_FLOWS), (CELLS, DEPRECIATION), (CELLS, RATES))
def test_financial(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


@pytest.mark.parametrize("root, equation", [
    ("=RATE(48,-200,8000)", "=PV(Z1,48,-200)-8000"),
    ("=IRR(A2:A7)", "=NPV(Z1,A3:A7)+A2"),
    ("=XIRR(B2:B6,C2:C6)", "=XNPV(Z1,B2:B6,C2:C6)"),
])
def test_a_root_satisfies_its_equation(root: str, equation: str) -> None:
    """What RATE, IRR and XIRR find is a root: the present value at that rate is 0, to the
    tolerance of the iteration."""
    book = calculated({"S": {**CELLS, "Z1": root, "Z2": equation}})
    assert type(book["S!Z1"]) is float and abs(book["S!Z2"]) < 1e-6
