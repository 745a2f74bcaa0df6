"""The engineering functions, and the math functions added with them, as tables: each row a
formula and the value Microsoft's support page for that function prints (the page named, by
title, above its rows); rows marked "rule" apply a rule the page states. The page examples
are computed by LibreOffice too where it agrees with the page (not where it reports
Err:502 for a documented #NUM! or #N/A, or keeps an older constant), and the "ROMAN function"'s
five forms are compared with LibreOffice's on the numbers where they differ."""
from __future__ import annotations

import re

import pytest
from benchmarks.differential import XLFN
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook

from .builder import row, write_workbook
from .test_function_library import Printed, cases, check
from .test_structured_references import _libreoffice_values

VALUE, NUM, NA = ExcelError.VALUE, ExcelError.NUM, ExcelError.NA

# === Math =========================================================================================
MATH = [
    # "ROMAN function"
    row("=ROMAN(499,0)", "CDXCIX"), row("=ROMAN(499,1)", "LDVLIV"), row("=ROMAN(499,2)", "XDIX"),
    row("=ROMAN(499,3)", "VDIV"), row("=ROMAN(499,4)", "ID"),
    row("=ROMAN(499)", "CDXCIX"), row("=ROMAN(499,TRUE)", "CDXCIX"),       # rule: classic
    row("=ROMAN(499,FALSE)", "ID"),                                       # rule: simplified
    row("=ROMAN(-1)", VALUE), row("=ROMAN(4000)", VALUE), row("=ROMAN(499,5)", VALUE),  # rule
    # "ARABIC function"
    row("=ARABIC(\"LVII\")", 57.0),
    row("=ARABIC(\"\")", 0.0), row("=ARABIC(\"mxmvii\")", 1997.0),        # rule: "" is 0; case
    row("=ARABIC(\"-MMXI\")", -2011.0), row("=ARABIC(\" LVII \")", 57.0),  # rule: sign; spaces
    row("=ARABIC(REPT(\"M\",255))", 255000.0),                            # rule: the largest
    row("=ARABIC(REPT(\"M\",256))", VALUE), row("=ARABIC(5)", VALUE),     # rule: 255; a number
    row("=ARABIC(\"ABC\")", VALUE),                                       # rule: not Roman
    # "BASE function"
    row("=BASE(7,2)", "111"), row("=BASE(100,16)", "64"), row("=BASE(15,2,10)", "0000001111"),
    row("=BASE(2^53,2)", NUM), row("=BASE(7,1)", NUM), row("=BASE(7,37)", NUM),    # rule
    row("=BASE(1,2,256)", NUM), row("=BASE(-1,2)", NUM),                            # rule
    # "DECIMAL function"
    row("=DECIMAL(\"FF\",16)", 255.0), row("=DECIMAL(111,2)", 7.0),
    row("=DECIMAL(\"zap\",36)", 45745.0),
    row("=DECIMAL(\"2\",2)", NUM), row("=DECIMAL(\"1\",37)", NUM),       # rule
    # "FACTDOUBLE function"
    row("=FACTDOUBLE(6)", 48.0), row("=FACTDOUBLE(7)", 105.0), row("=FACTDOUBLE(-1)", NUM),
    row("=FACTDOUBLE(\"a\")", VALUE),                                     # rule: non-numeric
    # "MULTINOMIAL function"
    row("=MULTINOMIAL(2,3,4)", 1260.0),
    row("=MULTINOMIAL(-1,2)", NUM), row("=MULTINOMIAL(\"a\",2)", VALUE),  # rule
    # rule: past 1.8E+308 (the lgammas of 1E+100 cancelled and the exact product never ended)
    row("=MULTINOMIAL(1E+100,1E+15)", NUM),
    # "SERIESSUM function" (its example, the cosine of PI()/4 from four terms, below)
    row("=SERIESSUM(1,0,1,{1,\"a\"})", VALUE),                            # rule: non-numeric
    # "COMBINA function"; "PERMUTATIONA function"
    row("=COMBINA(4,3)", 20.0), row("=COMBINA(10,3)", 220.0),
    row("=COMBINA(-1,0)", NUM), row("=COMBINA(2,3)", NUM),                # rule: constraints
    row("=PERMUTATIONA(3,2)", 9.0), row("=PERMUTATIONA(2,2)", 4.0),
    row("=PERMUTATIONA(0,1)", NUM),                                       # rule: 0, more than 0
    # "CEILING.PRECISE function"; "ISO.CEILING function"
    row("=CEILING.PRECISE(4.3)", 5.0), row("=CEILING.PRECISE(-4.3)", -4.0),
    row("=CEILING.PRECISE(4.3,2)", 6.0), row("=CEILING.PRECISE(4.3,-2)", 6.0),
    row("=CEILING.PRECISE(-4.3,2)", -4.0), row("=CEILING.PRECISE(-4.3,-2)", -4.0),
    row("=ISO.CEILING(4.3)", 5.0), row("=ISO.CEILING(-4.3)", -4.0),
    row("=ISO.CEILING(4.3,2)", 6.0), row("=ISO.CEILING(4.3,-2)", 6.0),
    row("=ISO.CEILING(-4.3,2)", -4.0), row("=ISO.CEILING(-4.3,-2)", -4.0),
    row("=CEILING.PRECISE(4.3,0)", 0.0),                                  # rule: significance 0
    # "FLOOR.PRECISE function"
    row("=FLOOR.PRECISE(-3.2,-1)", -4.0), row("=FLOOR.PRECISE(3.2,1)", 3.0),
    row("=FLOOR.PRECISE(-3.2,1)", -4.0), row("=FLOOR.PRECISE(3.2,-1)", 3.0),
    row("=FLOOR.PRECISE(3.2)", 3.0),
]
# The pages' example data: "ARABIC function" (A6), "SERIESSUM function" (x, then coefficients)
ARABIC_CELLS = {"A6": "mcmxii"}
ARABIC = [row("=ARABIC(A6)", 1912.0)]
SERIESSUM_CELLS = {"A3": "=PI()/4", "A4": 1, "A5": "=-1/FACT(2)", "A6": "=1/FACT(4)",
                   "A7": "=-1/FACT(6)"}
SERIESSUM = [row("=SERIESSUM(A3,0,2,A4:A7)", Printed("0.707103"))]

# === Engineering ==================================================================================
ENGINEERING = [
    # "BIN2DEC function"; "BIN2HEX function"; "BIN2OCT function"
    row("=BIN2DEC(1100100)", 100.0), row("=BIN2DEC(1111111111)", -1.0),
    row("=BIN2DEC(11111111111)", NUM), row("=BIN2DEC(12)", NUM),         # rule: 10 bits; digits
    row("=BIN2HEX(11111011,4)", "00FB"), row("=BIN2HEX(1110)", "E"),
    row("=BIN2HEX(1111111111)", "FFFFFFFFFF"),
    row("=BIN2OCT(1001,3)", "011"), row("=BIN2OCT(1100100)", "144"),
    row("=BIN2OCT(1111111111)", "7777777777"),
    row("=BIN2OCT(1001,-1)", NUM), row("=BIN2OCT(1001,\"a\")", VALUE),   # rule: places
    # "DEC2BIN function"; "DEC2HEX function"; "DEC2OCT function"
    row("=DEC2BIN(9,4)", "1001"), row("=DEC2BIN(-100)", "1110011100"),
    row("=DEC2BIN(512)", NUM), row("=DEC2BIN(-513)", NUM), row("=DEC2BIN(\"a\")", VALUE),  # rule
    row("=DEC2BIN(9,4.9)", "1001"),                                       # rule: places truncated
    row("=DEC2HEX(100,4)", "0064"), row("=DEC2HEX(-54)", "FFFFFFFFCA"), row("=DEC2HEX(28)", "1C"),
    row("=DEC2HEX(64,1)", NUM),
    row("=DEC2HEX(549755813887)", "7FFFFFFFFF"), row("=DEC2HEX(549755813888)", NUM),  # rule
    row("=DEC2HEX(-2.5)", "FFFFFFFFFE"),                  # [MS-OI29500]: the number truncated
    row("=DEC2OCT(58,3)", "072"), row("=DEC2OCT(-100)", "7777777634"),
    row("=DEC2OCT(-536870912)", "4000000000"), row("=DEC2OCT(536870912)", NUM),      # rule
    # "HEX2BIN function"; "HEX2DEC function"; "HEX2OCT function"
    row("=HEX2BIN(\"F\",8)", "00001111"), row("=HEX2BIN(\"B7\")", "10110111"),
    row("=HEX2BIN(\"FFFFFFFFFF\")", "1111111111"),
    row("=HEX2BIN(\"200\")", NUM), row("=HEX2BIN(\"FFFFFFFE00\")", "1000000000"),    # rule
    row("=HEX2DEC(\"A5\")", 165.0), row("=HEX2DEC(\"FFFFFFFF5B\")", -165.0),
    row("=HEX2DEC(\"3DA408B9\")", 1034160313.0), row("=HEX2DEC(\"G\")", NUM),
    row("=HEX2OCT(\"F\",3)", "017"), row("=HEX2OCT(\"3B4E\")", "35516"),
    row("=HEX2OCT(\"FFFFFFFF00\")", "7777777400"),
    row("=HEX2OCT(\"FFDFFFFFFF\")", NUM),                                 # rule: past -2^29
    # "OCT2BIN function"; "OCT2DEC function"; "OCT2HEX function"
    row("=OCT2BIN(3,3)", "011"), row("=OCT2BIN(7777777000)", "1000000000"),
    row("=OCT2BIN(1000)", NUM),                                           # rule: past 511
    row("=OCT2DEC(54)", 44.0), row("=OCT2DEC(7777777533)", -165.0),
    row("=OCT2HEX(100,4)", "0040"), row("=OCT2HEX(7777777533)", "FFFFFFFF5B"),
    # "DELTA function"; "GESTEP function"
    row("=DELTA(5,4)", 0.0), row("=DELTA(5,5)", 1.0), row("=DELTA(0.5,0)", 0.0),
    row("=DELTA(0)", 1.0), row("=DELTA(\"a\",1)", VALUE),                 # rule: default 0
    row("=GESTEP(5,4)", 1.0), row("=GESTEP(5,5)", 1.0), row("=GESTEP(-4,-5)", 1.0),
    row("=GESTEP(-1)", 0.0),
    # "ERF function"; "ERF.PRECISE function"; "ERFC function"; "ERFC.PRECISE function"
    row("=ERF(0.745)", Printed("0.70792892")), row("=ERF(1)", Printed("0.84270079")),
    row("=ERF(0,1)", Printed("0.84270079")),                              # rule: between limits
    row("=ERF.PRECISE(0.745)", Printed("0.70792892")),
    row("=ERF.PRECISE(1)", Printed("0.84270079")),
    row("=ERFC(1)", Printed("0.15729921")), row("=ERFC.PRECISE(1)", Printed("0.15729921")),
    row("=ERF(\"a\")", VALUE),                                            # rule: non-numeric
    # "BITAND function"; "BITOR function"; "BITXOR function"
    row("=BITAND(1,5)", 1.0), row("=BITAND(13,25)", 9.0), row("=BITOR(23,10)", 31.0),
    row("=BITXOR(5,3)", 6.0),
    row("=BITAND(-1,5)", NUM), row("=BITAND(1.5,1)", NUM), row("=BITOR(2^48,1)", NUM),  # rule
    row("=BITXOR(2^48-1,0)", 2.0 ** 48 - 1), row("=BITAND(\"a\",1)", VALUE),             # rule
    # "BITLSHIFT function"; "BITRSHIFT function"
    row("=BITLSHIFT(4,2)", 16.0), row("=BITRSHIFT(13,2)", 3.0),
    row("=BITLSHIFT(4,-2)", 1.0), row("=BITRSHIFT(1,-53)", 2.0 ** 53),   # rule: negative shift
    row("=BITLSHIFT(1,54)", NUM), row("=BITRSHIFT(2^48,1)", NUM),         # rule: limits
    # "CONVERT function"
    row("=CONVERT(1,\"lbm\",\"kg\")", Printed("0.4535924")), row("=CONVERT(68,\"F\",\"C\")", 20.0),
    row("=CONVERT(2.5,\"ft\",\"sec\")", NA),
    row("=CONVERT(CONVERT(100,\"ft\",\"m\"),\"ft\",\"m\")", Printed("9.290304")),
    row("=CONVERT(1,\"km2\",\"m2\")", 1e6),                   # rule: a prefix on an area, squared
    row("=CONVERT(1,\"kibyte\",\"bit\")", 8192.0),            # rule: binary prefix
    row("=CONVERT(1,\"kft\",\"m\")", NA),                     # rule: a prefix on a non-metric unit
    row("=CONVERT(1,\"m\",\"M\")", NA),                       # rule: names are case-sensitive
    row("=CONVERT(\"a\",\"m\",\"ft\")", VALUE),               # rule: number non-numeric
    row("=CONVERT(100,\"C\",\"F\")", 212.0), row("=CONVERT(0,\"K\",\"Rank\")", 0.0),   # rule
]


TABLES = [({}, MATH), (ARABIC_CELLS, ARABIC), (SERIESSUM_CELLS, SERIESSUM), ({}, ENGINEERING)]


@cases(*TABLES)
def test_engineering_and_math(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# --- LibreOffice ---------------------------------------------------------------------------------
# Page examples whose results LibreOffice gives too: not its Err:502 where the page documents
# #NUM!, #N/A or another error, nor CONVERT's units in its older constants (lbm is 0.45359231 kg
# there), nor ARABIC's negative, padded and 255-letter numerals (#VALUE! there), nor a logical
# form of ROMAN (LibreOffice has no logical type), nor a negative fraction given to DEC2HEX
# (LibreOffice rounds it down; [MS-OI29500] 2.1.929: Office truncates it).
_LIBREOFFICE_DIFFERS = re.compile(
    r'"lbm"|ARABIC\("-|ARABIC\(" |REPT|ROMAN\(\d+,(TRUE|FALSE)|DEC2HEX\(-2\.5')
# Numbers with 4s and 9s, where the forms of ROMAN differ.
_ROMAN_NUMBERS = [4, 9, 14, 19, 40, 45, 49, 90, 95, 99, 400, 444, 450, 490, 495, 499, 900, 949,
                  950, 990, 995, 999, 1499, 1999, 2449, 3494, 3999]


def _written(formula: str) -> str:
    """The formula as Excel writes it in a file: newer functions with the _xlfn. prefix."""
    return re.sub(r"\b([A-Z][A-Z0-9.]*)\(",
                  lambda m: ("_xlfn." if m.group(1) in XLFN else "") + m.group(0), formula)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_page_examples(tmp_path, office) -> None:
    sheets = {f"T{t}": {**cells, **{f"C{i + 1}": _written(p.values[0]) for i, p in enumerate(rows)}}
              for t, (cells, rows) in enumerate(TABLES)}
    sheets["R"] = {f"A{i + 1}": f"=ROMAN({n},{form})"
                   for i, (n, form) in enumerate((n, f) for n in _ROMAN_NUMBERS for f in range(5))}
    path = write_workbook(tmp_path / "e.xlsx", sheets)
    theirs = _libreoffice_values(office, path)
    for t, (_, rows) in enumerate(TABLES):
        for i, p in enumerate(rows):
            formula, expected = p.values
            if type(expected) is ExcelError or _LIBREOFFICE_DIFFERS.search(formula):
                continue
            got = theirs[(f"T{t}", f"C{i + 1}")]
            assert expected.matches(got) if isinstance(expected, Printed) else got == expected, \
                f"{formula}: the page gives {expected!r}, LibreOffice {got!r}"
    book = Workbook.load(path)
    book.calculate()
    for (sheet, ref), value in theirs.items():
        if sheet == "R":
            assert book[f"R!{ref}"] == value, f"{sheets['R'][ref]}: LibreOffice {value!r}"
