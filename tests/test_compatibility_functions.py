"""Excel's compatibility names (STDEVP, CHIDIST, TTEST, ...), the tests and inverses added beside
them (F.TEST, BINOM.INV, BINOM.DIST.RANGE) and TREND and GROWTH, as tables: each row a formula and
the value Microsoft's support page for the function prints (the page is named, by title, beside its
rows), or the error a remark of that page documents ("rule" rows). Values printed rounded are
compared to the digits printed (:class:`Printed`)."""
from __future__ import annotations

import pytest
from cellgrad.core.values import ExcelError

from .builder import calculated, row
from .test_function_library import Printed, check
from .test_statistics_functions import CELLS as STATISTICS_CELLS

NA, DIV0, NUM, VALUE = ExcelError.NA, ExcelError.DIV0, ExcelError.NUM, ExcelError.VALUE

CELLS = {
    # the modern functions' tables, which the older names' pages share: the breaking strengths
    # (A2:A11: "STDEVP function", "VARP function"), "ZTEST" (O2:O11), "TTEST" (P2:Q10) and
    # "CHITEST" (R3:S5 actual, R9:S11 expected)
    **STATISTICS_CELLS,
    # "F.TEST function", "FTEST function": Data1 (T2:T6), Data2 (U2:U6)
    "T2": 6, "T3": 7, "T4": 9, "T5": 15, "T6": 21, "U2": 20, "U3": 28, "U4": 31, "U5": 38, "U6": 40,
    "V2": 5, "V3": 5, "V4": "text",  # rule rows: no spread; one number
    # "TREND function": costs of months 1-12 (W2:W13); "GROWTH function": months 11-16 (X2:X7),
    # units (Y2:Y7)
    "W2": 133890, "W3": 135000, "W4": 135790, "W5": 137300, "W6": 138130, "W7": 139100,
    "W8": 139900, "W9": 141120, "W10": 141890, "W11": 143230, "W12": 144000, "W13": 145290,
    "X2": 11, "X3": 12, "X4": 13, "X5": 14, "X6": 15, "X7": 16,
    "Y2": 33100, "Y3": 47300, "Y4": 69000, "Y5": 102000, "Y6": 150000, "Y7": 220000,
}

COMPATIBILITY = [
    row("=STDEVP(A2:A11)", Printed("26.05455814")),                     # "STDEVP function"
    row("=VARP(A2:A11)", 678.84),                                       # "VARP function"
    row("=CHIDIST(18.307,10)", Printed("0.0500006")),                   # "CHIDIST function"
    row("=CHIDIST(-1,10)", NUM), row("=CHIDIST(1,0)", NUM),
    row("=CHIINV(0.050001,10)", Printed("18.306973")),                  # "CHIINV function"
    row("=CHIINV(1.5,10)", NUM),
    row("=FDIST(15.2068649,6,4)", Printed("0.01")),                     # "FDIST function"
    row("=FDIST(-1,6,4)", NUM), row("=FDIST(1,0,4)", NUM),
    row("=FINV(0.01,6,4)", Printed("15.206865")),                       # "FINV function"
    row("=FINV(1.5,6,4)", NUM),
    row("=BETADIST(2,8,10,1,3)", Printed("0.6854706")),                 # "BETADIST function"
    row("=BETADIST(4,8,10,1,3)", NUM), row("=BETADIST(2,8,10,2,2)", NUM),
    row("=BETADIST(2,0,10,1,3)", NUM),
    row("=BETAINV(0.685470581,8,10,1,3)", Printed("2")),                # "BETAINV function"
    row("=BETAINV(0,8,10)", NUM),
    row("=GAMMADIST(10.00001131,9,2,FALSE)", Printed("0.032639")),      # "GAMMADIST function"
    row("=GAMMADIST(10.00001131,9,2,TRUE)", Printed("0.068094")),
    row("=GAMMADIST(-1,9,2,TRUE)", NUM), row("=GAMMADIST(1,0,2,TRUE)", NUM),
    row("=GAMMAINV(0.068094,9,2)", Printed("10.0000112")),              # "GAMMAINV function"
    row("=GAMMAINV(1.5,9,2)", NUM),
    row("=LOGINV(0.039084,3.5,1.2)", Printed("4.0000252")),             # "LOGINV function"
    row("=LOGINV(0,3.5,1.2)", NUM), row("=LOGINV(0.5,3.5,0)", NUM),
    row("=LOGNORMDIST(4,3.5,1.2)", Printed("0.0390836")),               # "LOGNORMDIST function"
    row("=LOGNORMDIST(0,3.5,1.2)", NUM),
    row("=NEGBINOMDIST(10,5,0.25)", Printed("0.05504866")),             # "NEGBINOMDIST function"
    row("=NEGBINOMDIST(10,5,1.5)", NUM), row("=NEGBINOMDIST(10,0,0.25)", NUM),
    row("=HYPGEOMDIST(1,4,8,20)", Printed("0.3633")),                   # "HYPGEOMDIST function"
    row("=HYPGEOMDIST(5,4,8,20)", NUM), row("=HYPGEOMDIST(1,4,8,0)", NUM),
    row("=WEIBULL(105,20,100,TRUE)", Printed("0.929581")),              # "WEIBULL function"
    row("=WEIBULL(105,20,100,FALSE)", Printed("0.035589")),
    row("=WEIBULL(-1,20,100,TRUE)", NUM), row("=WEIBULL(105,0,100,TRUE)", NUM),
    row("=ZTEST(O2:O11,4)", Printed("0.090574")),                       # "ZTEST function"
    row("=ZTEST(O2:O11,6)", Printed("0.863043")), row("=ZTEST(O12,6)", NA),
    row("=TTEST(P2:P10,Q2:Q10,2,1)", Printed("0.196016")),              # "TTEST function"
    row("=TTEST(P2:P10,Q2:Q10,3,1)", NUM), row("=TTEST(P2:P10,Q2:Q10,2,4)", NUM),
    row("=TTEST(P2:P10,Q2:Q9,2,1)", NA),
    row("=CHITEST(R3:S5,R9:S11)", Printed("0.0003082")),                # "CHITEST function"
    row("=CHITEST(R3:S5,R9:S10)", NA),
    row("=F.TEST(T2:T6,U2:U6)", Printed("0.64831785")),                 # "F.TEST function"
    row("=F.TEST(V2:V4,U2:U6)", DIV0), row("=F.TEST(T2:T6,V3:V4)", DIV0),
    row("=FTEST(T2:T6,U2:U6)", Printed("0.64831785")),                  # "FTEST function"
    row("=CRITBINOM(6,0.5,0.75)", 4.0),                                 # "CRITBINOM function"
    row("=CRITBINOM(-1,0.5,0.75)", NUM), row("=CRITBINOM(6,0,0.75)", NUM),
    row("=CRITBINOM(6,0.5,1)", NUM), row("=CRITBINOM(6.9,0.5,0.75)", 4.0),
    row("=BINOM.INV(6,0.5,0.75)", 4.0),                                 # "BINOM.INV function"
    row("=BINOM.INV(-1,0.5,0.75)", NUM), row("=BINOM.INV(6,1.5,0.75)", NUM),
    row("=BINOM.INV(6,0.5,-0.1)", NUM),
    row("=BINOM.DIST.RANGE(60,0.75,48)", Printed("0.084")),             # "BINOM.DIST.RANGE function"
    row("=BINOM.DIST.RANGE(60,0.75,45,50)", Printed("0.524")),
    row("=BINOM.DIST.RANGE(60,0.75,45.9,50.9)", Printed("0.524")),      # rule: truncated
    row("=BINOM.DIST.RANGE(-1,0.75,0)", NUM), row("=BINOM.DIST.RANGE(60,1.5,48)", NUM),
    row("=BINOM.DIST.RANGE(60,0.75,61)", NUM), row("=BINOM.DIST.RANGE(60,0.75,50,45)", NUM),
    row('=BINOM.DIST.RANGE(60,"a",48)', VALUE),
    row("=INDEX(TREND(W2:W13,,{13;14;15;16;17}),5)", Printed("150244")),  # "TREND function"
    # "GROWTH function": month 11's corresponding units (the page's C2)
    row("=INDEX(GROWTH(Y2:Y7,X2:X7),1)", Printed("32618.20377")),
    row("=GROWTH({1;0;2})", NUM),                                       # rule: a y <= 0
]


@pytest.mark.parametrize("formula, expected", [pytest.param(*p.values, id=p.id) for p in COMPATIBILITY])
def test_microsoft_examples(formula: str, expected: object) -> None:
    check(formula, expected, CELLS)


# "TREND function": the whole column of months 13-17 spills (the Excel 97 help's values, printed to
# the unit)
SPILLS = [("AA1:AA5", "=TREND(W2:W13,,{13;14;15;16;17})", ["146172", "147190", "148208", "149226", "150244"])]


@pytest.mark.parametrize("target, formula, printed", SPILLS, ids=[s[1] for s in SPILLS])
def test_trend_and_growth_spill(target: str, formula: str, printed: list[str]) -> None:
    got = calculated({"S": {**CELLS, target: formula}}).values(f"S!{target}")
    assert [Printed(p).matches(v) for p, (v,) in zip(printed, got, strict=True)] == [True] * len(printed), got


@pytest.mark.parametrize("formula, expected", [
    ("=TREND({1;2;3},,,FALSE)", [[1.0], [2.0], [3.0]]),       # y = mx through the origin
    ("=GROWTH({2;4;8},,,FALSE)", [[2.0], [4.0], [8.0]]),      # y = m^x, b = 1
    ("=TREND({3;5;7;11},{1,0;1,1;2,1;3,2},{4,4})", [[17.0]]),  # y = 1 + 2a + 2b at (4, 4)
])
def test_const_and_several_variables(formula: str, expected: list[list[float]]) -> None:
    """Rule rows (the pages' const and known_x's remarks): const FALSE fits b = 0 (TREND) or 1
    (GROWTH); with several variables each new_x row is one point."""
    target = f"A1:A{len(expected)}"
    got = calculated({"S": {target: formula}}).values(f"S!{target}")
    for want, (value,) in zip(expected, got, strict=True):
        assert value == pytest.approx(want[0], rel=1e-12)
