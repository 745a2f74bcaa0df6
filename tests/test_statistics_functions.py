"""The statistical functions and distributions added for students' workbooks, as tables: each row
a formula and the value Microsoft's support page for the function prints (the page is named, by
title, above its rows), or the error a remark of that page documents ("rule" rows). Values printed
rounded are compared to the digits printed (:class:`Printed`). FREQUENCY and MODE.MULT, which
return arrays, are in tests/test_function_library.py's array table. The same formulas are then computed
by LibreOffice and compared at the project's cross-engine tolerance, 1e-9 relative."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from benchmarks.differential import XLFN, same
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook

from .builder import row
from .test_function_library import Printed, check

NA, DIV0, NUM = ExcelError.NA, ExcelError.DIV0, ExcelError.NUM

CELLS = {
    # "STDEVA function", "STDEVPA function", "VARA function", "VARPA function": breaking strengths
    "A2": 1345, "A3": 1301, "A4": 1368, "A5": 1322, "A6": 1310, "A7": 1370, "A8": 1318,
    "A9": 1350, "A10": 1303, "A11": 1299,
    "B2": 10, "B3": 7, "B4": 9, "B5": 2, "B6": "Not available",           # "AVERAGEA function"
    "C2": 0, "C3": 0.2, "C4": 0.5, "C5": 0.4, "C6": True,                 # "MAXA function"
    "D2": False, "D3": 0.2, "D4": 0.5, "D5": 0.4, "D6": 0.8,              # "MINA function"
    "E2": 4, "E3": 5, "E4": 8, "E5": 7, "E6": 11, "E7": 4, "E8": 3,       # GEOMEAN, HARMEAN, DEVSQ
    "F2": 4, "F3": 5, "F4": 6, "F5": 7, "F6": 5, "F7": 4, "F8": 3,        # "AVEDEV function"
    "G2": 3, "G3": 4, "G4": 5, "G5": 2, "G6": 3, "G7": 4, "G8": 5, "G9": 6, "G10": 4,  # SKEW, KURT
    "G11": 7,
    "H2": 4, "H3": 5, "H4": 6, "H5": 7, "H6": 2, "H7": 3, "H8": 4, "H9": 5, "H10": 1,  # TRIMMEAN
    "H11": 2, "H12": 3,
    "I2": 13, "I3": 12, "I4": 11, "I5": 8, "I6": 4, "I7": 3, "I8": 2, "I9": 1, "I10": 1,  # PERCENTRANK
    "I11": 1,
    "J2": 1, "J3": 2, "J4": 3, "J5": 6, "J6": 6, "J7": 6, "J8": 7, "J9": 8, "J10": 9,  # .EXC
    "K3": 2, "K4": 3, "K5": 9, "K6": 1, "K7": 8, "K8": 7, "K9": 5,        # "STEYX function": y
    "L3": 6, "L4": 5, "L5": 11, "L6": 7, "L7": 5, "L8": 4, "L9": 4,       # x
    "M3": 0, "M4": 1, "M5": 2, "M6": 3, "N3": 0.2, "N4": 0.3, "N5": 0.1, "N6": 0.4,  # "PROB"
    "O2": 3, "O3": 6, "O4": 7, "O5": 8, "O6": 6, "O7": 5, "O8": 4, "O9": 2, "O10": 1,  # "Z.TEST"
    "O11": 9,
    "P2": 3, "P3": 4, "P4": 5, "P5": 8, "P6": 9, "P7": 1, "P8": 2, "P9": 4, "P10": 5,  # "T.TEST"
    "Q2": 6, "Q3": 19, "Q4": 3, "Q5": 2, "Q6": 14, "Q7": 4, "Q8": 5, "Q9": 17, "Q10": 1,
    # "CHISQ.TEST function": actual (R3:S5) and expected (R9:S11)
    "R3": 58, "S3": 35, "R4": 11, "S4": 25, "R5": 10, "S5": 23,
    "R9": 45.35, "S9": 47.65, "R10": 17.56, "S10": 18.44, "R11": 16.09, "S11": 16.91,
}

STATISTICAL = [
    row("=AVERAGEA(B2:B6)", 5.6), row("=AVERAGEA(B2:B5,B7)", 7.0),      # "AVERAGEA function"
    row("=AVERAGEA(B6)", 0.0), row("=AVERAGEA(B7)", DIV0),               # rule: text is 0
    row("=MAXA(C2:C6)", 1.0),                                           # "MAXA function"
    row("=MINA(D2:D6)", 0.0),                                           # "MINA function"
    row("=STDEVA(A2:A11)", Printed("27.46392")),                        # "STDEVA function"
    row("=STDEVPA(A2:A11)", Printed("26.05456")),                       # "STDEVPA function"
    row("=VARA(A2:A11)", Printed("754.2667")),                          # "VARA function"
    row("=VARPA(A2:A11)", 678.84),                                      # "VARPA function"
    row("=VARA(C6)", DIV0),                                             # rule: one value
    row("=GEOMEAN(E2:E8)", Printed("5.476987")),                        # "GEOMEAN function"
    row("=GEOMEAN(E2:E8,0)", NUM),                                      # rule: a number <= 0
    row("=HARMEAN(E2:E8)", Printed("5.028376")),                        # "HARMEAN function"
    row("=HARMEAN(E2:E8,-1)", NUM),
    row("=AVEDEV(F2:F8)", Printed("1.020408")),                         # "AVEDEV function"
    row("=DEVSQ(E2:E8)", 48.0),                                         # "DEVSQ function"
    row("=SKEW(G2:G11)", Printed("0.359543")),                          # "SKEW function"
    row("=SKEW(1,2)", DIV0),                                            # rule: fewer than 3
    row("=SKEW.P(G2:G11)", Printed("0.303193")),                        # "SKEW.P function"
    row("=SKEW.P(1,2)", DIV0),                                          # rule: fewer than 3
    row("=KURT(G2:G11)", Printed("-0.151799637")),                      # "KURT function"
    row("=KURT(1,2,3)", DIV0),                                          # rule: fewer than 4
    row("=TRIMMEAN(H2:H12,0.2)", Printed("3.778")),                     # "TRIMMEAN function"
    row("=TRIMMEAN(H2:H12,-0.1)", NUM), row("=TRIMMEAN(H2:H12,1.1)", NUM),
    row("=PERCENTRANK.INC(I2:I11,2)", 0.333),                           # "PERCENTRANK.INC function"
    row("=PERCENTRANK.INC(I2:I11,4)", 0.555), row("=PERCENTRANK.INC(I2:I11,8)", 0.666),
    row("=PERCENTRANK.INC(I2:I11,5)", 0.583),
    row("=PERCENTRANK.INC(I2:I11,5,0)", NUM),                           # rule: significance < 1
    row("=PERCENTRANK(I2:I11,2)", 0.333),                               # "PERCENTRANK function"
    row("=PERCENTRANK(I2:I11,5)", 0.583),
    row("=PERCENTRANK.EXC(J2:J10,7)", 0.7),                             # "PERCENTRANK.EXC function"
    row("=PERCENTRANK.EXC(J2:J10,5.43)", 0.381), row("=PERCENTRANK.EXC(J2:J10,5.43,1)", 0.3),
    row("=PERCENTRANK.EXC(B7,1)", NUM),                                 # rule: array empty
    row("=STEYX(K3:K9,L3:L9)", Printed("3.305719")),                    # "STEYX function"
    row("=STEYX(K3:K4,L3:L4)", DIV0), row("=STEYX(K3:K9,L3:L8)", NA),
    row("=FISHER(0.75)", Printed("0.972955")),                          # "FISHER function"
    row("=FISHER(1)", NUM),
    row("=FISHERINV(0.972955)", Printed("0.75")),                       # "FISHERINV function"
    row("=PROB(M3:M6,N3:N6,2)", 0.1), row("=PROB(M3:M6,N3:N6,1,3)", 0.8),  # "PROB function"
    row("=PROB(M3:M6,N3:N5,1,3)", NA), row("=PROB(M3:M5,N3:N5,1,3)", NUM),  # rule: sum not 1
    row("=CONFIDENCE.NORM(0.05,2.5,50)", Printed("0.692952")),          # "CONFIDENCE.NORM function"
    row("=CONFIDENCE(0.05,2.5,50)", Printed("0.692951912")),            # "CONFIDENCE function"
    row("=CONFIDENCE.NORM(0,2.5,50)", NUM), row("=CONFIDENCE.NORM(0.05,2.5,0.5)", NUM),
    row("=CONFIDENCE.T(0.05,1,50)", Printed("0.284196855")),            # "CONFIDENCE.T function"
    row("=CONFIDENCE.T(0.05,1,1)", DIV0),
]

DISTRIBUTIONS = [
    row("=T.DIST(60,1,TRUE)", Printed("0.99469533")),                   # "T.DIST function"
    row("=T.DIST(8,3,FALSE)", Printed("0.00073691")),
    row("=T.DIST(1,0,TRUE)", NUM),
    row("=T.DIST.2T(1.959999998,60)", Printed("0.054644930")),          # "T.DIST.2T function"
    row("=T.DIST.2T(-1,60)", NUM),
    row("=T.DIST.RT(1.959999998,60)", Printed("0.027322465")),          # "T.DIST.RT function"
    row("=T.INV(0.75,2)", Printed("0.8164966")),                        # "T.INV function"
    row("=T.INV(0,2)", NUM),
    row("=T.INV.2T(0.546449,60)", Printed("0.606533")),                 # "T.INV.2T function"
    row("=TDIST(1.959999998,60,2)", Printed("0.054644930")),            # "TDIST function"
    row("=TDIST(1.959999998,60,1)", Printed("0.027322465")), row("=TDIST(1,60,3)", NUM),
    row("=TINV(0.05464,60)", Printed("1.96")),                          # "TINV function"
    row("=CHISQ.DIST(0.5,1,TRUE)", Printed("0.52049988")),              # "CHISQ.DIST function"
    row("=CHISQ.DIST(2,3,FALSE)", Printed("0.20755375")), row("=CHISQ.DIST(-1,3,TRUE)", NUM),
    row("=CHISQ.DIST.RT(18.307,10)", Printed("0.0500006")),             # "CHISQ.DIST.RT function"
    # "CHISQ.INV function": the en-US page's 5.318520074 is not the inverse of 0.93 (CHISQ.DIST of
    # it is 0.979); the zh-CN page prints 3.283020286, cut rather than rounded. Rule: the inverse.
    row("=CHISQ.DIST(CHISQ.INV(0.93,1),1,TRUE)", 0.93),
    row("=CHISQ.INV(0.6,2)", Printed("1.832581464")), row("=CHISQ.INV(0.6,0)", NUM),
    row("=CHISQ.INV.RT(0.050001,10)", Printed("18.30697346")),          # "CHISQ.INV.RT function"
    row("=F.DIST(15.2069,6,4,TRUE)", Printed("0.99")),                  # "F.DIST function"
    row("=F.DIST(15.2069,6,4,FALSE)", Printed("0.0012238")), row("=F.DIST(1,0,4,TRUE)", NUM),
    row("=F.DIST.RT(15.2068649,6,4)", Printed("0.01")),                 # "F.DIST.RT function"
    row("=F.INV(0.01,6,4)", Printed("0.10930991")),                     # "F.INV function"
    row("=F.INV.RT(0.01,6,4)", Printed("15.20686486")),                 # "F.INV.RT function"
    row("=F.INV.RT(1.5,6,4)", NUM),
    row("=BINOM.DIST(6,10,0.5,FALSE)", Printed("0.2050781")),           # "BINOM.DIST function"
    row("=BINOM.DIST(11,10,0.5,FALSE)", NUM), row("=BINOM.DIST(6,10,1.5,TRUE)", NUM),
    row("=BINOMDIST(6,10,0.5,FALSE)", Printed("0.2050781")),            # "BINOMDIST function"
    row("=POISSON.DIST(2,5,TRUE)", Printed("0.124652")),                # "POISSON.DIST function"
    row("=POISSON.DIST(2,5,FALSE)", Printed("0.084224")), row("=POISSON.DIST(2,-5,TRUE)", NUM),
    row("=POISSON(2,5,TRUE)", Printed("0.124652")),                     # "POISSON function"
    row("=LOGNORM.DIST(4,3.5,1.2,TRUE)", Printed("0.0390836")),         # "LOGNORM.DIST function"
    row("=LOGNORM.DIST(4,3.5,1.2,FALSE)", Printed("0.0176176")),
    row("=LOGNORM.DIST(0,3.5,1.2,TRUE)", NUM),
    row("=LOGNORM.INV(0.039084,3.5,1.2)", Printed("4.0000252")),        # "LOGNORM.INV function"
    row("=GAMMA.DIST(10.00001131,9,2,FALSE)", Printed("0.032639")),     # "GAMMA.DIST function"
    row("=GAMMA.DIST(10.00001131,9,2,TRUE)", Printed("0.068094")),
    row("=GAMMA.DIST(1,0,2,TRUE)", NUM),
    row("=GAMMA.INV(0.068094,9,2)", Printed("10.0000112")),             # "GAMMA.INV function"
    row("=GAMMA(2.5)", Printed("1.329")), row("=GAMMA(-3.75)", Printed("0.268")),  # "GAMMA function"
    row("=GAMMA(0)", NUM), row("=GAMMA(-2)", NUM),
    row("=GAMMALN(4)", Printed("1.791759469")), row("=GAMMALN(0)", NUM),  # "GAMMALN function"
    row("=GAMMALN.PRECISE(4)", Printed("1.7917595")),                   # "GAMMALN.PRECISE function"
    row("=BETA.DIST(2,8,10,TRUE,1,3)", Printed("0.6854706")),           # "BETA.DIST function"
    row("=BETA.DIST(2,8,10,FALSE,1,3)", Printed("1.4837646")),
    row("=BETA.DIST(4,8,10,TRUE,1,3)", NUM), row("=BETA.DIST(2,8,10,TRUE,2,2)", NUM),
    row("=BETA.INV(0.685470581,8,10,1,3)", Printed("2")),               # "BETA.INV function"
    row("=BETA.INV(0,8,10)", NUM),
    row("=WEIBULL.DIST(105,20,100,TRUE)", Printed("0.929581")),         # "WEIBULL.DIST function"
    row("=WEIBULL.DIST(105,20,100,FALSE)", Printed("0.035589")),
    row("=WEIBULL.DIST(105,0,100,TRUE)", NUM),
    row("=NEGBINOM.DIST(10,5,0.25,TRUE)", Printed("0.3135141")),        # "NEGBINOM.DIST function"
    row("=NEGBINOM.DIST(10,5,0.25,FALSE)", Printed("0.0550487")),
    row("=NEGBINOM.DIST(10,0,0.25,FALSE)", NUM),
    row("=HYPGEOM.DIST(1,4,8,20,TRUE)", Printed("0.4654")),             # "HYPGEOM.DIST function"
    row("=HYPGEOM.DIST(1,4,8,20,FALSE)", Printed("0.3633")),
    row("=HYPGEOM.DIST(5,4,8,20,FALSE)", NUM),
    # rule: counts are truncated, however large (1E+100 trials raised TypeError in scipy):
    # 0.5^1E+100 is below the smallest double, past 1E+100 every mass is counted
    row("=BINOM.DIST(0,1E+100,0.5,TRUE)", 0.0), row("=POISSON.DIST(1E+100,2,TRUE)", 1.0),
    row("=NEGBINOM.DIST(1E+100,1,0.5,TRUE)", 1.0),
    row("=GAUSS(2)", Printed("0.47725")),                               # "GAUSS function"
    row("=PHI(0.75)", Printed("0.301137432")),                          # "PHI function"
    row("=Z.TEST(O2:O11,4)", Printed("0.090574")),                      # "Z.TEST function"
    row("=Z.TEST(O2:O11,6)", Printed("0.863043")), row("=Z.TEST(B7,6)", NA),
    row("=T.TEST(P2:P10,Q2:Q10,2,1)", Printed("0.196016")),             # "T.TEST function"
    row("=T.TEST(P2:P10,Q2:Q10,3,1)", NUM), row("=T.TEST(P2:P10,Q2:Q9,2,1)", NA),
    row("=CHISQ.TEST(R3:S5,R9:S11)", Printed("0.0003082")),             # "CHISQ.TEST function"
    row("=CHISQ.TEST(R3:S5,R9:S10)", NA),
]


@pytest.mark.parametrize("formula, expected", [pytest.param(*p.values, id=p.id)
                                               for p in STATISTICAL + DISTRIBUTIONS])
def test_microsoft_examples(formula: str, expected: object) -> None:
    check(formula, expected, CELLS)


# Where LibreOffice (7.4) departs from the pages (benchmarks/differential.py names each class):
# it computes these, or rounds PERCENTRANK's digits where Excel cuts them.
NOT_AS_LIBREOFFICE = {"=GEOMEAN(E2:E8,0)", "=LOGNORM.DIST(0,3.5,1.2,TRUE)", "=BETA.INV(0,8,10)",
                      "=PERCENTRANK.INC(I2:I11,4)", "=PERCENTRANK.INC(I2:I11,8)",
                      "=PERCENTRANK.EXC(J2:J10,5.43,1)"}


def _stored(formula: str) -> str:
    """The formula as a file stores it: functions added after Excel 2007 carry _xlfn."""
    return re.sub(r"(?<![\w.])([A-Z][A-Z0-9.]*)\(",
                  lambda m: ("_xlfn." if m[1] in XLFN else "") + m[0], formula)


@pytest.mark.libreoffice
def test_as_libreoffice_computes_them(tmp_path: Path, office) -> None:
    """Numbers agree within 1e-9 relative; where the engine gives a documented error LibreOffice
    gives an error too, often another kind (its Err:502 for an invalid argument, saved as
    #VALUE!, as the differential benchmark's classes say)."""
    formulas = [p.values[0] for p in STATISTICAL + DISTRIBUTIONS if p.values[0] not in NOT_AS_LIBREOFFICE]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    for ref, value in CELLS.items():
        sheet[ref] = value
    for i, formula in enumerate(formulas, start=1):
        sheet[f"Z{i}"] = _stored(formula)
    path = tmp_path / "statistics.xlsx"
    book.save(path)
    engine = Workbook.load(path)
    engine.calculate()
    document = office.open(path)
    try:
        document.calculate_all()
        theirs = document.formula_values()
    finally:
        document.close()
    differ = []
    for i, formula in enumerate(formulas, start=1):
        mine, lo = engine[f"S!Z{i}"], theirs[("S", f"Z{i}")]
        if type(lo) is bool:  # LibreOffice has no logical type: MINA over FALSE shows FALSE
            lo = float(lo)
        if type(mine) is ExcelError:
            agree = type(lo) is ExcelError
        else:
            agree = same(mine, lo)
        if not agree:
            differ.append((formula, mine, lo))
    assert not differ, "\n".join(map(str, differ))
