"""Differential testing: random formulas over the whole function registry, computed by the
engine and by LibreOffice headless, compared value by value.

    python -m benchmarks.differential [--formulas 20000] [--seed 0] [--json] [--strict]

Each formula is one registry function called with arguments drawn by the kinds its parameters
declare (numbers, text, logicals, references to a data sheet holding every kind of value, arrays,
nested calls and operators). The formulas go into one workbook written with openpyxl; the engine
and LibreOffice each compute it. Numbers agree within 1e-9 relative (the project's tolerance
across engines), everything else exactly. A disagreement is put into the first divergence class
of :data:`DIVERGENCES` that explains it: each class is a way LibreOffice departs from Excel's
documentation, named with the Microsoft page that settles it. What no class explains is
``unexplained``; ``--strict`` (and the test under CI=true) fails on it.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl
from cellgrad import Workbook
from cellgrad.core.values import ExcelError, Scalar
from cellgrad.functions import REGISTRY, Arg
from cellgrad.hosts.libreoffice import LibreOffice

from .command import emit

# --- the data every formula may read: sheet D ---------------------------------------------------
DATA: dict[str, object] = {
    "A1": 1, "A2": 2.5, "A3": -3, "A4": 0, "A5": 10, "A6": 0.25, "A7": 4, "A8": 7,
    "B1": "x", "B2": "3", "B3": "apple", "B4": "", "B5": "Banana", "B6": "a b  c", "B8": "(5)",
    "C1": True, "C2": False, "C3": "=1/0", "C4": "=NA()", "C6": 1E+300, "C7": -0.5,
    "D1": 5, "D2": 3, "D3": 8, "D4": 1, "D5": 9, "D6": 2, "D7": 6, "D8": 4,
}
NUMBER_CELLS = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "D1", "D5", "C7"]
ANY_CELLS = NUMBER_CELLS + ["B1", "B2", "B3", "B4", "B5", "B6", "B8", "C1", "C2", "C3", "C4", "A9"]
# Ranges, and which of them hold a logical (C1, C2) or an error (C3, C4).
RANGES = ["D!A1:A8", "D!D1:D8", "D!A1:D8", "D!B1:B8", "D!A1:B4", "D!D1:D4", "D!A5:A8",
          "D!A1:A4", "D!C1:C8", "D!A1:D1"]
WITH_LOGICALS = {"D!A1:D8", "D!C1:C8", "D!A1:D1", "D!C1", "D!C2"}
WITH_ERRORS = {"D!A1:D8", "D!C1:C8", "D!C3", "D!C4"}
# Numbers of ordinary size: arguments of 1E+300 or -1E-300 where a count, a position or an angle
# is expected are corners Microsoft does not document.
NUMBERS = ["0", "1", "-1", "2", "0.5", "3", "-2.5", "10", "100", "0.1", "7", "1.5", "4", "-3",
           "0.75", "25"]
TEXTS = ['"a"', '"apple"', '"3"', '""', '"A*"', '">2"', '"<>x"', '" b "', '"(5)"', '"1e3"',
         '"TRUE"', '"50%"', '"a?p*"', '"x"']
# Number formats from "TEXT function" and "Number format codes"
FORMATS = ['"0.00"', '"$#,##0.00"', '"#,##0"', '"0%"', '"0.0%"', '"0.00E+00"', '"yyyy-mm-dd"',
           '"mm/dd/yy"', '"d-mmm-yy"', '"dddd"', '"h:mm AM/PM"', '"hh:mm:ss"', '"000"', '"#.##"',
           '"General"', '"@"']
DATE_FORMATS = {f for f in FORMATS if any(c in f for c in "ymdh")}
# Numbers written in a base ("BIN2DEC function", "HEX2DEC function", "DECIMAL function") and
# Roman numerals ("ARABIC function"), for the functions that read them.
NUMERALS = ['"1011"', '"1111111111"', '"7777777000"', '"FF"', '"ffffffff5b"', '"777"', '"0"',
            '"MCMXII"', '"lvii"', "1100100", "54"]
READS_NUMERALS = {f"{a}2{b}" for a in ("BIN", "OCT", "HEX") for b in ("BIN", "OCT", "DEC", "HEX")
                  if a != b} | {"DECIMAL", "ARABIC"}
ARRAYS = ["{1,2,3}", "{1;2;3}", "{1,2;3,4}", '{1,"a",TRUE}', "{2,4,8}", "{0.5,1.5,2.5,3.5}",
          "{3,1,2;6,5,4}", "{1,0;0,1}"]
VECTORS = ["D!A1:A8", "D!D1:D8", "D!A5:A8", "D!D1:D4", "D!A1:A4", "{2,4,8}", "{1;2;3}",
           "{0.5,1.5,2.5,3.5}"]
# COUNTIF criteria: operators, wildcards, numbers and text ("COUNTIF function"); a criterion
# that is a number written as text, matched against numbers stored as text, is not documented.
CRITERIA = ['">2"', '"<>x"', '"A*"', '"a?p*"', '"apple"', '""', '"x"', '"<=0"', '">=2.5"', "1",
            "0", "4", "2.5", '"=apple"', '"<>"', "D!A1", "D!B3"]
# TYPE of a multi-cell range is not documented; of a value or an array it is.
TYPE_ARGUMENTS = ARRAYS + ["D!A1", "D!B1", "D!C1", "D!C3", "D!A9", "1", '"a"', "TRUE"]
# Functions whose value cannot be compared: they draw random numbers; and LET and LAMBDA, whose
# arguments are names (LibreOffice 7.4 has neither): tests/test_function_library.py has their rows.
# ISOMITTED asks about a LAMBDA's parameters (and LibreOffice 7.4 has no ISOMITTED either).
LEFT_OUT = {name for name, spec in REGISTRY.items() if spec.random} | {"LET", "LAMBDA",
                                                                        "ISOMITTED"} | {
    name for name in REGISTRY if name.startswith("_")}  # the engine's own (a LAMBDA parameter)
# The database functions want a range whose first row labels its columns and criteria under those
# labels, which sheet D's ranges are not: tests/test_database_functions.py compares the "DSUM
# function" page's orchard example with LibreOffice instead.
DATABASE_FUNCTIONS = {"DSUM", "DAVERAGE", "DCOUNT", "DCOUNTA", "DMAX", "DMIN", "DGET",
                      "DPRODUCT", "DSTDEV", "DSTDEVP", "DVAR", "DVARP"}
LEFT_OUT |= DATABASE_FUNCTIONS
# Functions whose range arguments Excel takes only as references (an array is refused when
# the formula is entered): COUNTIF(range...), RANK(number, ref), COUNTBLANK(range); and SUBTOTAL
# and AGGREGATE, whose refs are references because what they leave out are cells (the engine
# makes an array #VALUE!, LibreOffice computes over it: tests/test_workbook_functions.py).
REFERENCES_ONLY = {"COUNTIF", "COUNTIFS", "SUMIF", "SUMIFS", "AVERAGEIF", "AVERAGEIFS", "MAXIFS",
                   "MINIFS", "RANK", "RANK.EQ", "RANK.AVG", "COUNTBLANK", "SUBTOTAL", "AGGREGATE"}
# One variable of numbers: "LINEST function" wants known_y's and known_x's of equal dimensions.
VECTORS_ONLY = {"LINEST", "LOGEST"}
# Excel 365's text and array-shaping functions, which LibreOffice 7.4 lacks (#NAME?).
SHAPING_NOT_IN_LIBREOFFICE = {"TEXTBEFORE", "TEXTAFTER", "TEXTSPLIT", "VALUETOTEXT", "ARRAYTOTEXT",
                              "SORTBY", "CHOOSEROWS", "CHOOSECOLS", "HSTACK", "VSTACK", "TAKE",
                              "DROP", "TOCOL", "TOROW", "WRAPROWS", "WRAPCOLS", "EXPAND"}
# Functions Excel writes with the _xlfn. prefix (added after Excel 2007): without it LibreOffice,
# like Excel, does not recognize them in a file. ERROR.TYPE and ISO.CEILING are in the file
# format's own list of functions and have none.
XLFN = {name for name in REGISTRY
        if "." in name and name not in ("ERROR.TYPE", "ISO.CEILING")} | {
    "ARABIC", "BASE", "DECIMAL", "COMBINA", "PERMUTATIONA", "BITAND", "BITOR", "BITXOR",
    "BITLSHIFT", "BITRSHIFT",
    "CONCAT", "TEXTJOIN", "IFS", "SWITCH", "XOR", "IFNA", "MAXIFS", "MINIFS", "SEC", "CSC", "COT",
    "ACOT", "COTH", "CSCH", "SECH", "ACOTH", "SEQUENCE", "FILTER", "SORT", "UNIQUE", "XLOOKUP",
    "XMATCH", "RANDARRAY", "SINGLE", "MUNIT", "AGGREGATE", "ISFORMULA", "SHEET", "SHEETS",
    "GAMMA", "GAUSS", "PHI", "PDURATION", "RRI",
    "NUMBERVALUE", "UNICHAR", "UNICODE", "FORMULATEXT"} | SHAPING_NOT_IN_LIBREOFFICE
# The date functions of Excel 2013 have the prefix; NETWORKDAYS.INTL and WORKDAY.INTL, which
# LibreOffice reads only without it (as the file format's own functions), are left without.
XLFN = (XLFN | {"DAYS", "ISOWEEKNUM"}) - {"NETWORKDAYS.INTL", "WORKDAY.INTL"}
# Date arguments of the date functions (a serial, a date or time as text): the small numbers
# drawn for every function are days of January and February 1900, which the two count apart.
DATE_FUNCTIONS = {name for name, spec in REGISTRY.items()
                  if spec.impl.__module__.endswith("functions.dates")}
DATES = ["40777", "40777.75", '"8/22/2011"', '"2012-02-29 18:30"', "41274", "36526.25",
         '"12/31/2013"', "45000", "43890"]
# Functions whose result is a logical value.
LOGICAL_RESULTS = {"AND", "OR", "NOT", "XOR", "TRUE", "FALSE", "EXACT"} | {
    name for name in REGISTRY if name.startswith("IS")}
# Text that Excel reads as a number ("VALUE function") but LibreOffice only with its default
# "convert unambiguous text" setting off.
CONVERTED_TEXTS = {'"(5)"', '"50%"', '"1e3"', "D!B8"}


@dataclass
class Generated:
    formula: str            # as written into the workbook, with _xlfn. prefixes
    function: str           # the outermost function
    calls: set[str] = field(default_factory=set)
    leaves: set[str] = field(default_factory=set)   # every literal and reference drawn

    @property
    def logical(self) -> bool:
        """A logical value takes part: a literal, a cell, a comparison or a logical function."""
        return bool(self.leaves & ({"TRUE", "FALSE", '"TRUE"', "COMPARISON", '{1,"a",TRUE}'}
                                   | WITH_LOGICALS)
                    or self.calls & LOGICAL_RESULTS)

    @property
    def logical_in_area(self) -> bool:
        return bool(self.leaves & (WITH_LOGICALS | {'{1,"a",TRUE}'}))

    @property
    def reads_error(self) -> bool:
        return bool(self.leaves & (WITH_ERRORS | {"NA()", "1/0"}))


class Generator:
    """Random formulas over the registry, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = sorted(n for n in REGISTRY if n not in LEFT_OUT)

    def formula(self) -> Generated:
        g = Generated("", self.rng.choice(self.names))
        text = self.call(g.function, g, depth=0)
        if self.rng.random() < 0.15:  # sometimes inside an operator
            op = self.rng.choice(["+", "-", "*", "/", "^", "&", "=", "<", ">="])
            other = self.number(g)
            text = f"{text}{op}{other}" if self.rng.random() < 0.5 else f"{other}{op}{text}"
            if op in ("=", "<", ">="):
                g.leaves.add("COMPARISON")
        g.formula = "=" + text
        return g

    def pick(self, g: Generated, pool: list[str]) -> str:
        leaf = self.rng.choice(pool)
        g.leaves.add(leaf)
        return leaf

    def call(self, name: str, g: Generated, depth: int) -> str:
        g.calls.add(name)
        if name in ("SUMIF", "AVERAGEIF"):  # sum_range resized from its first cell may reach C1
            g.leaves.add("D!C1")
        spec = REGISTRY[name]
        most = spec.max_args if spec.max_args is not None else spec.min_args + 3
        count = self.rng.randint(spec.min_args, max(spec.min_args, most))
        if isinstance(spec.repeat, tuple) and count > len(spec.params):
            count -= (count - len(spec.params)) % len(spec.repeat)
        args = [self.argument(name, spec.kind(i), g, depth) for i in range(count)]
        prefix = "_xlfn." if name in XLFN else ""
        return f"{prefix}{name}({','.join(args)})"

    def number(self, g: Generated) -> str:
        if self.rng.random() < 0.6:
            return self.pick(g, NUMBERS)
        return "D!" + self.pick(g, NUMBER_CELLS)

    def scalar(self, g: Generated) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.pick(g, NUMBERS)
        if r < 0.55:
            return self.pick(g, TEXTS)
        if r < 0.65:
            return self.pick(g, ["TRUE", "FALSE"])
        if r < 0.7:
            return self.pick(g, ["NA()", "1/0"])
        cell = self.pick(g, ANY_CELLS)
        g.leaves.add("D!" + cell)
        return "D!" + cell

    def argument(self, function: str, kind: Arg, g: Generated, depth: int) -> str:
        if function in VECTORS_ONLY:
            return self.pick(g, VECTORS) if kind is Arg.GRID else self.pick(g, ["TRUE", "FALSE"])
        if function == "TEXT" and kind is Arg.TEXT:
            return self.pick(g, FORMATS)
        if function in READS_NUMERALS and kind in (Arg.TEXT, Arg.SCALAR) and \
                self.rng.random() < 0.7:
            return self.pick(g, NUMERALS)
        if kind in (Arg.GRID, Arg.AREA, Arg.REF) and function in REFERENCES_ONLY:
            return self.pick(g, RANGES)
        if kind is Arg.SCALAR and function in REFERENCES_ONLY and function not in ("RANK", "RANK.EQ", "RANK.AVG"):
            return self.pick(g, CRITERIA)
        if function == "TYPE":
            return self.pick(g, TYPE_ARGUMENTS)
        if function in DATE_FUNCTIONS and kind is Arg.SCALAR and self.rng.random() < 0.9:
            return self.pick(g, DATES)
        if depth < 1 and self.rng.random() < 0.2 and kind not in (Arg.REF, Arg.AREA, Arg.GRID):
            return self.call(self.rng.choice(self.names), g, depth + 1)
        if kind is Arg.NUMBER:
            return self.number(g)
        if kind is Arg.TEXT:
            return self.pick(g, TEXTS) if self.rng.random() < 0.7 else self.scalar(g)
        if kind is Arg.BOOL:
            r = self.rng.random()
            if r < 0.8:
                return self.pick(g, ["TRUE", "FALSE", "1", "0"])
            g.leaves.add("COMPARISON")
            return f"{self.number(g)}>{self.number(g)}"
        if kind in (Arg.GRID, Arg.AREA):
            return self.pick(g, ARRAYS) if self.rng.random() < 0.3 else self.pick(g, RANGES)
        if kind is Arg.VALUES:
            r = self.rng.random()
            if r < 0.2:
                return self.scalar(g)
            return self.pick(g, ARRAYS) if r < 0.4 else self.pick(g, RANGES)
        if kind is Arg.REF:
            return self.pick(g, RANGES + ["D!" + c for c in ANY_CELLS])
        return self.scalar(g)  # SCALAR, ANY, LAZY


# --- comparing ----------------------------------------------------------------------------------
def same(a: Scalar, b: Scalar) -> bool:
    if type(a) is float and type(b) is float:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
    return type(a) is type(b) and a == b


@dataclass(frozen=True)
class Divergence:
    """A way LibreOffice (7.4) departs from Excel, and the Microsoft page that settles it."""

    name: str
    page: str
    explains: Callable[[Generated, Scalar, Scalar], bool]


def _uses(g: Generated, *names: str) -> bool:
    return bool(g.calls & set(names))


def _error(v: Scalar) -> bool:
    return type(v) is ExcelError


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:E[+-]?\d+)?|-?\.\d+(?:E[+-]?\d+)?", re.I)


def _same_numbers_as_text(mine: Scalar, lo: Scalar) -> bool:
    """Two texts equal but for how the numbers in them are written (9.08E-05 or 0.0000908,
    E+43 or E+043) or rounded in their 15th significant digit."""
    if type(mine) is not str or type(lo) is not str:
        return False
    a, b = _NUMBER.findall(mine), _NUMBER.findall(lo)
    if _NUMBER.sub("#", mine) != _NUMBER.sub("#", lo) or len(a) != len(b):
        return False
    if all(math.isclose(float(x), float(y), rel_tol=2e-14) for x, y in zip(a, b)):
        return True
    return _one_number_apart(mine, lo, lambda x, y: math.isclose(float(x), float(y), rel_tol=2e-14))


def _one_number_apart(mine: str, lo: str, close: Callable[[str, str], bool]) -> bool:
    """Two texts alike but for one number in each, which ``close`` accepts. A number joined by &
    to digits ("1E-05" & 7 is "1E-057") has no visible end, so every start and end the two texts
    share is tried."""
    start = len(os.path.commonprefix([mine, lo]))
    end = len(os.path.commonprefix([mine[::-1], lo[::-1]]))
    for i in range(start + 1):
        for j in range(min(end, len(mine) - i, len(lo) - i) + 1):
            a, b = mine[i:len(mine) - j], lo[i:len(lo) - j]
            if _NUMBER.fullmatch(a) and _NUMBER.fullmatch(b) and close(a, b):
                return True
    return False


def _twenty_decimals(mine: str, lo: str) -> bool:
    """Excel's E notation (1.63757896132211E-13) where LibreOffice writes the number with at most
    20 decimals (0.0000000000001637579), so within half of the 20th decimal."""
    return "E-" in mine.upper() and re.fullmatch(r"-?0\.\d{1,20}", lo) is not None and \
        abs(float(mine) - float(lo)) <= 5e-21


# Arguments a generated formula may give that are negative fractions (-2.5, D!C7 = -0.5), and
# calls that pass one where a count of places is expected: FIXED's and DOLLAR's decimals (the
# second argument), BASE's min_length (the third). An argument may hold one level of parentheses.
_ARG = r"(?:[^(),]|\([^()]*\))*"
_NEGATIVE_FRACTION = r"(?:-2\.5|D!C7)"
_NEGATIVE_PLACES = re.compile(rf"(?:FIXED|DOLLAR)\({_ARG},{_NEGATIVE_FRACTION}[,)]|"
                              rf"BASE\({_ARG},{_ARG},{_NEGATIVE_FRACTION}\)")
# COMBINA of two numbers that truncate to 0 ("COMBINA function": non-integers are truncated).
_ZERO = r"(?:0|0\.1|0\.5|0\.75|D!A4|D!A6)"
_COMBINA_OF_ZEROS = re.compile(rf"COMBINA\({_ZERO},{_ZERO}\)")
# An inverse distribution at probability 1 (the literal 1, or D!A1 and D!D4, which hold 1).
_INVERSE_AT_ONE = re.compile(r"(?:F|CHISQ|GAMMA|T)\.INV\((?:1|D!A1|D!D4)[,)]")
# A power whose exponent is 0 (the literal, or D!A4, which holds 0).
_TO_THE_ZERO = re.compile(rf"\^(?:0|D!A4)(?![\d.])|POWER\({_ARG},(?:0|D!A4)\)")
# TEXT of a serial below 61 (a literal, or a cell of D holding one) in a date format: a day
# before March 1900, which the two name differently ("1-Jan-00" in Excel, "31-Dec-99" in
# LibreOffice), and which a function that reads the text back takes as different dates.
_EARLY_DAY_AS_TEXT = re.compile(r'TEXT\((?:D!(?:A[1-8]|D[1-8]|C7)|-?[1-5]?\d(?:\.\d+)?),'
                                r'"[^"]*[ymd][^"]*"\)')
# RATE of a negative nper: a negative literal, or D!A3 (-3) or D!C7 (-0.5).
_NEGATIVE_NPER = re.compile(r"RATE\((?:-|D!A3\b|D!C7\b)")
# Functions whose result is text (a number among them is numeric text).
TEXT_RESULTS = {name for name, spec in REGISTRY.items()
                if spec.impl.__annotations__.get("return") == "str"}


def _logical_shown(mine: Scalar, lo: Scalar) -> bool:
    """A logical the engine shows as TRUE/FALSE where LibreOffice shows 1/0 (IF(c) alone)."""
    if type(mine) is bool:
        return lo == float(mine)
    return type(mine) is str and type(lo) is str and \
        mine.replace("TRUE", "1").replace("FALSE", "0") == lo


def _kinds(name: str) -> set[Arg]:
    spec = REGISTRY[name]
    tail = spec.repeat if isinstance(spec.repeat, tuple) else (spec.repeat,) if spec.repeat else ()
    return set(spec.params) | set(tail)


def _num_where_libreoffice_computes(*names: str) -> Callable[[Generated, Scalar, Scalar], bool]:
    """A class's test: the engine's #NUM!, documented by the functions' pages, where LibreOffice
    computes a value, in a formula calling one of ``names``."""
    return lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and \
        bool(g.calls & set(names))


def _caught(g: Generated, mine: Scalar) -> bool:
    """The engine's error replaced by IFERROR's value_if_error (a number drawn as a literal)."""
    return "IFERROR" in g.calls and not _error(mine) and \
        re.search(rf",{re.escape(repr(mine).removesuffix('.0'))}\)", g.formula) is not None


def _one_below(mine: str, lo: str) -> bool:
    """Two 10-character two's complement numbers (or a 0 and one) in one radix, LibreOffice's
    one less than the engine's: the two roundings of a negative fraction."""
    for radix in (2, 8, 16):
        try:
            a, b = int(mine, radix), int(lo, radix)
        except ValueError:
            continue
        full = radix ** 10
        if (a - b) % full == 1:
            return True
    return False


def _takes(g: Generated, kind: Arg) -> bool:
    return any(kind in _kinds(f) for f in g.calls)


# Functions LibreOffice 7.4 does not have (it computes #NAME?): Excel 365's dynamic arrays and
# lookups; @ (SINGLE) it writes as implicit intersection without a function; Excel 2013's
# BINOM.DIST.RANGE.
NOT_IN_LIBREOFFICE = {"XLOOKUP", "XMATCH", "FILTER", "SORT", "UNIQUE", "SEQUENCE", "SINGLE",
                      "MAP", "REDUCE", "SCAN", "BYROW", "BYCOL", "MAKEARRAY", "BINOM.DIST.RANGE"}

# Specific classes first; the broad ones (no logical type, LibreOffice's Err:502, two errors at
# once) last, so that a disagreement is named for its most particular cause.
DIVERGENCES: list[Divergence] = [
    Divergence(
        "not in LibreOffice 7.4: XLOOKUP, XMATCH, FILTER, SORT, UNIQUE, SEQUENCE, @, the "
        "LAMBDA helpers MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY, and BINOM.DIST.RANGE (#NAME?)",
        '"XLOOKUP function", "XMATCH function", "FILTER function", "SORT function", '
        '"UNIQUE function", "SEQUENCE function", "Implicit intersection operator: @", '
        '"MAP function" (and each helper\'s page), "BINOM.DIST.RANGE function"',
        lambda g, mine, lo: bool(g.calls & NOT_IN_LIBREOFFICE)),
    Divergence(
        "not in LibreOffice 7.4: TEXTBEFORE, TEXTAFTER, TEXTSPLIT, VALUETOTEXT, ARRAYTOTEXT, SORTBY "
        "and the array shaping functions CHOOSEROWS, CHOOSECOLS, HSTACK, VSTACK, TAKE, DROP, "
        "TOCOL, TOROW, WRAPROWS, WRAPCOLS, EXPAND (#NAME?)",
        '"TEXTBEFORE function", "TEXTSPLIT function", "VALUETOTEXT function", "SORTBY function", '
        '"VSTACK function", "TAKE function" (and each function\'s page)',
        lambda g, mine, lo: bool(g.calls & SHAPING_NOT_IN_LIBREOFFICE)),
    Divergence(
        "0^0: LibreOffice gives 1", '"POWER function" (0^0 is #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and lo == 1.0 and
        ("^" in g.formula or "POWER" in g.calls)),
    Divergence(
        "RANK of a number that is not in ref: Excel #N/A, LibreOffice a rank",
        '"RANK.EQ function" (the rank of a number in a list of numbers)',
        lambda g, mine, lo: mine is ExcelError.NA and not _error(lo) and
        bool(g.calls & {"RANK", "RANK.EQ", "RANK.AVG"})),
    Divergence(
        "dates before 1 March 1900: Excel counts Lotus 1-2-3's 29 February 1900, LibreOffice "
        "does not; a negative date is #VALUE! in Excel",
        '"Excel incorrectly assumes that the year 1900 is a leap year", "TEXT function"',
        lambda g, mine, lo: type(lo) is str and "TEXT" in g.calls and
        bool(g.leaves & DATE_FORMATS) and (mine is ExcelError.VALUE or type(mine) is str) or
        type(mine) is float and not _error(lo) and bool(_EARLY_DAY_AS_TEXT.search(g.formula))),
    Divergence(
        "DATE of a year from 0 to 1899: Excel adds 1900 (DATE(9,10,3) is 3 October 1909), "
        "LibreOffice reads a year below 100 as a two-digit year (2009) and refuses 100 to 1899",
        '"DATE function" (if year is between 0 and 1899, Excel adds that value to 1900)',
        lambda g, mine, lo: "DATE" in g.calls and type(mine) is float and
        (type(lo) is float or lo in (ExcelError.VALUE, ExcelError.NUM))),
    Divergence(
        "WEEKNUM of the last days of December in the week of the next 1 January: Excel counts on "
        "(53 or 54), LibreOffice gives week 1",
        '"WEEKNUM function" (system 1: the week containing January 1 is week 1 of its year)',
        lambda g, mine, lo: "WEEKNUM" in g.calls and not _error(mine) and not _error(lo)),
    Divergence(
        "DAYS of a date and time written as text: Excel takes its whole day, LibreOffice the time too",
        '"DAYS function" (a text argument is treated as DATEVALUE(date_text): an integer date)',
        lambda g, mine, lo: "DAYS" in g.calls and type(mine) is float and type(lo) is float and
        any(leaf.startswith('"') and ":" in leaf for leaf in g.leaves)),
    Divergence(
        "TIME of a fraction of an hour, minute or second: Excel truncates it (-0.5 is 0), "
        "LibreOffice counts it",
        '"TIME function", ECMA-376 Part 1 TIME (hour, minute and second are truncated to integer)',
        lambda g, mine, lo: "TIME" in g.calls and not _error(mine) and
        (not _error(lo) or lo is ExcelError.VALUE)),
    Divergence(
        "the date functions before 1 March 1900: Excel's serial 1 is 1 January 1900 and 60 is "
        "Lotus's 29 February 1900, a negative serial is #NUM!; LibreOffice's serial 1 is 31 "
        "December 1899 and a negative serial an earlier day",
        '"Date systems in Excel" (the 1900 date system: January 1, 1900 is serial 1), '
        '"Excel incorrectly assumes that the year 1900 is a leap year", "DAY function" '
        '(serial_number is a date; out of range: #NUM!)',
        lambda g, mine, lo: bool(g.calls & DATE_FUNCTIONS) and not g.leaves <= set(DATES) and
        not _error(lo)),
    Divergence(
        "a format's decimal point with no digit to show: Excel keeps the point (\"2.\"), "
        "LibreOffice drops it",
        '"Number format codes" (# displays only significant digits; the point is literal)',
        lambda g, mine, lo: type(mine) is str and type(lo) is str and "TEXT" in g.calls and
        '"#.##"' in g.leaves and mine.replace(".", "") == lo.replace(".", "")),
    Divergence(
        "MODE of several equally frequent numbers: Excel the first to occur, LibreOffice the "
        "smallest",
        '"MODE.SNGL function" (the most frequently occurring value in the data)',
        lambda g, mine, lo: not _error(mine) and not _error(lo) and not g.logical and
        bool(g.calls & {"MODE", "MODE.SNGL", "MODE.MULT"})),
    Divergence(
        "numeric text given directly to the SUM family (\"3\", a text function's result): "
        "Excel counts it, LibreOffice #VALUE!",
        '"MIN function", "SUM function" (text representations of numbers typed directly into the '
        'list of arguments are counted)',
        lambda g, mine, lo: lo is ExcelError.VALUE and not _error(mine) and _takes(g, Arg.VALUES)),
    Divergence(
        "text that is not a number given directly to the SUM family: Excel #VALUE!, LibreOffice "
        "leaves it out",
        '"MAX function" (text that cannot be translated into numbers causes errors)',
        lambda g, mine, lo: mine is ExcelError.VALUE and not _error(lo) and _takes(g, Arg.VALUES)),
    Divergence(
        "text where a logical is expected (a condition, a TRUE/FALSE argument): Excel #VALUE!, "
        "LibreOffice reads the text",
        '"IFS function" (a logical_test that resolves to a value other than TRUE or FALSE: '
        '#VALUE!), "IF function"',
        lambda g, mine, lo: mine is ExcelError.VALUE and lo is not ExcelError.VALUE and
        (_takes(g, Arg.BOOL) or "IFS" in g.calls)),
    Divergence(
        "a number as text: the same number written in another form (9.08E-05 or 0.0000908, "
        "E+43 or E+043) or rounded differently in its 15th significant digit",
        '"Excel specifications and limits" (15 digits of precision), "Available number formats" '
        '(General)',
        lambda g, mine, lo: _same_numbers_as_text(mine, lo)),
    Divergence(
        "ACOTH of a large number: LibreOffice's 0.5·ln((x+1)/(x-1)) loses digits",
        '"ACOTH function" (the inverse hyperbolic cotangent)',
        lambda g, mine, lo: "ACOTH" in g.calls and type(mine) is float and type(lo) is float and
        math.isclose(mine, lo, rel_tol=1e-5)),
    Divergence(
        "ADDRESS with abs_num outside 1 to 4: Excel #VALUE!",
        '"ADDRESS function" (abs_num 1, 2, 3 or 4)',
        lambda g, mine, lo: mine is ExcelError.VALUE and "ADDRESS" in g.calls),
    Divergence(
        "INDEX past the array (a one-row array with row_num 4): Excel #REF!, LibreOffice takes "
        "the index along the row",
        '"INDEX function" (a row_num or column_num not pointing into array is #REF!)',
        lambda g, mine, lo: mine is ExcelError.REF and not _error(lo) and "INDEX" in g.calls),
    Divergence(
        "SWITCH of an empty cell: Excel compares it as 0, LibreOffice matches nothing",
        '"SWITCH function", "Calculation operators and precedence" (an empty cell is 0)',
        lambda g, mine, lo: "SWITCH" in g.calls and bool(g.leaves & {"D!A9", "D!B4"})),
    Divergence(
        "STANDARDIZE with standard_dev 0: Excel #NUM!, LibreOffice #DIV/0!",
        '"STANDARDIZE function" (if standard_dev <= 0, #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and lo is ExcelError.DIV0 and
        "STANDARDIZE" in g.calls),
    Divergence(
        "0 raised to a negative power: Excel #DIV/0!, LibreOffice #NUM!",
        '"POWER function", "#DIV/0! error" (0^-1 is 1/0)',
        lambda g, mine, lo: mine is ExcelError.DIV0 and lo is ExcelError.NUM and
        ("^" in g.formula or "POWER" in g.calls)),
    Divergence(
        "FIND and SEARCH of empty text: Excel start_num, LibreOffice #VALUE!",
        '"FIND, FINDB functions" (if find_text is "" (empty text), FIND matches the first '
        'character, that is the character numbered start_num or 1)',
        lambda g, mine, lo: lo is ExcelError.VALUE and
        bool(g.calls & {"FIND", "SEARCH", "FINDB", "SEARCHB"}) and
        bool(g.leaves & {'""', "D!A9", "D!B4"})),
    Divergence(
        "approximate lookup in unsorted data: the binary searches end at different places",
        '"MATCH function" (match_type 1 or omitted: lookup_array must be in ascending order), '
        '"VLOOKUP function", "HLOOKUP function", "LOOKUP function"',
        lambda g, mine, lo: bool(g.calls & {"MATCH", "VLOOKUP", "HLOOKUP", "LOOKUP"}) and
        not g.logical),
    Divergence(
        "CODE of empty text: Excel #VALUE!, LibreOffice 0",
        '"CODE function" (the code of the first character)',
        lambda g, mine, lo: "CODE" in g.calls and (bool(g.leaves & {'""', "D!B4", "D!A9"}) or
                                                   mine is ExcelError.VALUE and lo == 0.0)),
    Divergence(
        "TYPE of an array inside another function: LibreOffice gives one type per element",
        '"TYPE function" (an array is 64)',
        lambda g, mine, lo: "TYPE" in g.calls and not _error(mine)),
    Divergence(
        "a result below the smallest positive number: Excel 0, LibreOffice #NUM!",
        '"Excel specifications and limits" (smallest allowed positive number 2.2251E-308)',
        lambda g, mine, lo: mine == 0.0 and type(mine) is float and lo is ExcelError.NUM),
    Divergence(
        "MROUND of a number and a multiple of different signs: Excel #NUM!",
        '"MROUND function" (MROUND(5,-2) is #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and "MROUND" in g.calls),
    Divergence(
        "GEOMEAN of a number <= 0, LOGNORM.DIST and LOGNORMDIST of x <= 0, BETA.INV and BETAINV "
        "of probability 0, HYPGEOM.DIST of population_s 0, BETADIST of x outside [A, B] or A = B, "
        "GAMMADIST of x < 0, CRITBINOM of alpha 0: Excel #NUM!, LibreOffice a number",
        '"GEOMEAN function" (if any data point <= 0, #NUM!), "LOGNORM.DIST function" (if x <= 0, '
        '#NUM!), "BETA.INV function" (if probability <= 0, #NUM!), "HYPGEOM.DIST function" (if '
        'population_s <= 0, #NUM!), "LOGNORMDIST function" (x <= 0), "BETAINV function" '
        '(probability <= 0), "BETADIST function" (x < A, x > B or A = B), "GAMMADIST function" '
        '(x < 0), "CRITBINOM function" (alpha <= 0)',
        lambda g, mine, lo: (mine is ExcelError.NUM or _caught(g, mine)) and not _error(lo) and
        bool(g.calls & {"GEOMEAN", "LOGNORM.DIST", "BETA.INV", "HYPGEOM.DIST", "LOGNORMDIST",
                        "BETAINV", "BETADIST", "GAMMADIST", "CRITBINOM"})),
    Divergence(
        "PERCENTRANK.EXC of a single number: Excel 0.5, LibreOffice 1",
        '"PERCENTRANK.EXC function" (the rank as a percentage (0..1, exclusive) of the data set)',
        lambda g, mine, lo: mine == 0.5 and lo == 1.0 and "PERCENTRANK.EXC" in g.calls),
    Divergence(
        "an inverse at probability 1 (F.INV, CHISQ.INV, GAMMA.INV, T.INV): the quantile is "
        "infinite, Excel #NUM!, LibreOffice the huge number its search stops at",
        '"Excel specifications and limits" (largest allowed positive number 9.99999999999999E+307)',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and
        (bool(_INVERSE_AT_ONE.search(g.formula)) or type(lo) is float and abs(lo) > 1e15) and
        bool(g.calls & {"F.INV", "CHISQ.INV", "GAMMA.INV", "T.INV"})),
    Divergence(
        "NEGBINOM.DIST's cumulative distribution below 1E-15: LibreOffice 0",
        '"NEGBINOM.DIST function" (the cumulative distribution function)',
        lambda g, mine, lo: lo == 0.0 and type(mine) is float and 0 < mine < 1e-15 and
        "NEGBINOM.DIST" in g.calls),
    Divergence(
        "an inverse distribution far in its tail: LibreOffice's iterative search stops within "
        "1E-4 of the quantile",
        '"T.INV function" (the left-tailed inverse of the Student\'s t-distribution)',
        lambda g, mine, lo: type(mine) is float and type(lo) is float and
        (math.isclose(mine, lo, rel_tol=1e-4) or lo == 0.0 and abs(mine) < 1e-15) and bool(g.calls & {
            "T.INV", "T.INV.2T", "TINV", "CHISQ.INV", "CHISQ.INV.RT", "F.INV", "F.INV.RT",
            "GAMMA.INV", "BETA.INV"})),
    Divergence(
        "T.DIST.2T and F.DIST.RT of x within 1E-7 of 0: LibreOffice 1, losing the digits below "
        "1E-8",
        '"T.DIST.2T function" (the two-tailed Student\'s t-distribution), "F.DIST.RT function"',
        lambda g, mine, lo: lo == 1.0 and type(mine) is float and math.isclose(mine, 1.0, rel_tol=1e-6)
        and bool(g.calls & {"T.DIST.2T", "TDIST", "F.DIST.RT"})),
    Divergence(
        "Z.TEST far in the tail: LibreOffice's value differs from 1 - NORM.S.DIST(z) in its 5th "
        "digit",
        '"Z.TEST function" (Z.TEST = 1 - NORM.S.DIST((AVERAGE(array) - x) / (sigma/sqrt(n)), TRUE))',
        lambda g, mine, lo: "Z.TEST" in g.calls and type(mine) is float and type(lo) is float and
        math.isclose(mine, lo, rel_tol=1e-3, abs_tol=1e-9)),
    Divergence(
        "Z.TEST of one number with sigma given: Excel computes the page's formula, LibreOffice "
        "#DIV/0!",
        '"Z.TEST function" (1 - NORM.S.DIST((AVERAGE(array) - x) / (sigma/sqrt(n)), TRUE); only '
        'an empty array is an error, #N/A)',
        lambda g, mine, lo: lo is ExcelError.DIV0 and not _error(mine) and
        bool(g.calls & {"Z.TEST", "ZTEST"})),
    Divergence(
        "numeric text (\"3\", \"50%\") given directly to AVERAGEA, MAXA, MINA, STDEVA, STDEVPA, "
        "VARA, VARPA: Excel counts the number, LibreOffice 0",
        '"VARPA function" (text representations of numbers typed directly into the list of '
        'arguments are counted)',
        lambda g, mine, lo: not _error(mine) and not _error(lo) and
        bool(g.leaves & (CONVERTED_TEXTS | {'"3"'}) or g.calls & TEXT_RESULTS) and
        bool(g.calls & {"AVERAGEA", "MAXA", "MINA", "STDEVA", "STDEVPA", "VARA", "VARPA"})),
    Divergence(
        "PERCENTRANK's digits: Excel cuts the rank to significance decimal places (0.555), "
        "LibreOffice rounds it to significance significant digits (0.556, 0.02222)",
        '"PERCENTRANK.INC function" (three digits by default, 0.xxx; PERCENTRANK.INC(A2:A11,4) is '
        '0.555 of 5/9)',
        lambda g, mine, lo: bool(g.calls & {"PERCENTRANK", "PERCENTRANK.INC", "PERCENTRANK.EXC"})
        and not _error(mine) and not _error(lo)),
    Divergence(
        "a distribution's argument at the edge its page allows (F.INV, CHISQ.INV, GAMMA.INV of "
        "probability 0; POISSON.DIST of mean 0; a count between -1 and 0, truncated to 0): Excel "
        "computes, LibreOffice Err:502 (#VALUE!)",
        '"F.INV function" (probability < 0 or > 1 is #NUM!), "POISSON.DIST function" (mean < 0 is '
        '#NUM!), "BINOM.DIST function" (number_s and trials are truncated to integers)',
        lambda g, mine, lo: lo is ExcelError.VALUE and not _error(mine) and
        bool(g.calls & {"F.INV", "CHISQ.INV", "GAMMA.INV", "BINOM.DIST", "BINOMDIST",
                        "POISSON.DIST", "POISSON"})),
    Divergence(
        "BITAND, BITOR, BITXOR, BITLSHIFT, BITRSHIFT of a fraction, or a shift of more than 53 "
        "places: Excel #NUM!, LibreOffice truncates the fraction and shifts",
        '"BITAND function" (if either argument is a non-integer, #NUM!), "BITLSHIFT function" '
        '(shift_amount must be an integer; its absolute value greater than 53 is #NUM!)',
        _num_where_libreoffice_computes("BITAND", "BITOR", "BITXOR", "BITLSHIFT", "BITRSHIFT")),
    Divergence(
        "counts outside their pages' limits: COMBINA with number below number_chosen, "
        "PERMUTATIONA of 0 objects with some chosen, FACTDOUBLE and MULTINOMIAL of a negative "
        "fraction (-0.5): Excel #NUM!, LibreOffice a number",
        '"COMBINA function" (number must be >= number_chosen), "PERMUTATIONA function" (the '
        'total number 0 and the chosen number more than 0: #NUM!), "FACTDOUBLE function" (if '
        'number is negative, #NUM!), "MULTINOMIAL function" (if any argument is less than 0, '
        '#NUM!)',
        _num_where_libreoffice_computes("COMBINA", "PERMUTATIONA", "FACTDOUBLE", "MULTINOMIAL")),
    Divergence(
        "COMBINA(0,0): Excel 1, LibreOffice 0",
        '"COMBINA function" (0 and 0 are within both constraints: one way to choose nothing; '
        'non-integer values are truncated, so COMBINA(0.75,0.5) is COMBINA(0,0))',
        lambda g, mine, lo: "COMBINA" in g.calls and (mine == 1.0 and lo == 0.0 or
                                                      type(mine) is float and type(lo) is float
                                                      and bool(_COMBINA_OF_ZEROS.search(g.formula)))),
    Divergence(
        "DEC2BIN, DEC2OCT, DEC2HEX of a negative fraction: Excel truncates it (-2.5 is -2), "
        "LibreOffice rounds it down (-3)",
        '"DEC2HEX function", [MS-OI29500] 2.1.929 (Office truncates the number argument to a '
        'decimal integer)',
        lambda g, mine, lo: type(mine) is str and type(lo) is str and
        bool(g.calls & {"DEC2BIN", "DEC2OCT", "DEC2HEX"}) and _one_below(mine, lo)),
    Divergence(
        "SERIESSUM with coefficients that are not numbers: Excel #VALUE!, LibreOffice leaves "
        "them out",
        '"SERIESSUM function" (if any argument is non-numeric, #VALUE!)',
        lambda g, mine, lo: mine is ExcelError.VALUE and not _error(lo) and
        "SERIESSUM" in g.calls),
    Divergence(
        "REPLACEB with start_num or num_bytes past the text's end: Excel appends new_text (or "
        "replaces to the end), LibreOffice #VALUE!",
        '"REPLACE, REPLACEB functions" (REPLACEB counts each character as 1 byte in a '
        'single-byte language, as REPLACE), ECMA-376 Part 4 REPLACEB (start-pos beyond the end: '
        'string-2 appended to string-1; number-bytes beyond the end: replaced through the end)',
        lambda g, mine, lo: "REPLACEB" in g.calls and lo is ExcelError.VALUE and
        type(mine) is str),
    Divergence(
        "F.TEST and T.TEST as an argument of a function that LibreOffice evaluates over arrays "
        "(SUM, VARPA): LibreOffice repeats the test once for each cell of its arguments",
        '"F.TEST function", "T.TEST function" (one probability of the two arrays)',
        lambda g, mine, lo: type(mine) is float and type(lo) is float and
        bool(g.calls & {"F.TEST", "FTEST", "T.TEST", "TTEST"}) and
        g.function not in {"F.TEST", "FTEST", "T.TEST", "TTEST"}),
    Divergence(
        "CHIDIST of x < 0: Excel #NUM!, LibreOffice 1",
        '"CHIDIST function" (if x is negative, #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and "CHIDIST" in g.calls),
    Divergence(
        "NEGBINOMDIST of number_s below 1: Excel #NUM!, LibreOffice 0",
        '"NEGBINOMDIST function" (if number_f < 0 or number_s < 1, #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and
        "NEGBINOMDIST" in g.calls),
    Divergence(
        "EXPON.DIST of x < 0: Excel #NUM!, LibreOffice 0",
        '"EXPON.DIST function" (if x < 0, #NUM!)',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and
        bool(g.calls & {"EXPON.DIST", "EXPONDIST"})),
    Divergence(
        "CHAR of a number below 1: Excel #VALUE!, LibreOffice a control character",
        '"CHAR function" (number between 1 and 255)',
        lambda g, mine, lo: mine is ExcelError.VALUE and not _error(lo) and "CHAR" in g.calls),
    Divergence(
        "UNICHAR of a number below 1: Excel #VALUE!, LibreOffice the character 0",
        '"UNICHAR function" (if number is zero (0), #VALUE!)',
        lambda g, mine, lo: mine is ExcelError.VALUE and not _error(lo) and "UNICHAR" in g.calls),
    Divergence(
        "NUMBERVALUE of empty text (Excel 0) and with a digit for a separator (Excel #VALUE!): "
        "LibreOffice the other way round",
        '"NUMBERVALUE function" (if an empty string ("") is specified as the Text argument, the '
        'result is 0; if any of the arguments are not valid, #VALUE!)',
        lambda g, mine, lo: "NUMBERVALUE" in g.calls and
        (mine is ExcelError.VALUE) != (lo is ExcelError.VALUE)),
    Divergence(
        "ROUND, ROUNDUP, ROUNDDOWN, TRUNC to a huge number of places (1E+200): Excel the number, "
        "LibreOffice #VALUE!",
        '"ROUND function" (num_digits > 0: rounded to that many decimal places; past the 15 digits '
        'a number has, it stays as it is)',
        lambda g, mine, lo: lo is ExcelError.VALUE and not _error(mine) and
        bool(g.calls & {"ROUND", "ROUNDUP", "ROUNDDOWN", "TRUNC"})),
    Divergence(
        "ATAN2(0,0): Excel #DIV/0!, LibreOffice 0",
        '"ATAN2 function" (if both x_num and y_num are 0, #DIV/0!)',
        lambda g, mine, lo: mine is ExcelError.DIV0 and "ATAN2" in g.calls),
    Divergence(
        "COT(0) and COTH(0): Excel #DIV/0!, LibreOffice #NUM!",
        '"COT function" (COT(0) returns #DIV/0!)',
        lambda g, mine, lo: mine is ExcelError.DIV0 and lo is ExcelError.NUM and
        bool(g.calls & {"COT", "COTH", "CSC", "CSCH"})),
    Divergence(
        "GCD and LCM of non-integers and of 0: Excel truncates them (0.5 is 0) and LCM(3,0) is 0; "
        "LibreOffice #VALUE!, #NUM! or leaves them out",
        '"GCD function" (if any value is not an integer, it is truncated)',
        lambda g, mine, lo: bool(g.calls & {"GCD", "LCM"}) and not g.logical and
        (not _error(mine) or lo is ExcelError.NUM)),
    Divergence(
        "pairs of data sets of one count but different shapes: Excel pairs them in order, "
        "LibreOffice #VALUE!",
        '"RSQ function", "CORREL function", "SUMX2MY2 function" (only the number of data points '
        'must agree)',
        lambda g, mine, lo: (lo is ExcelError.VALUE or not _error(lo)) and not _error(mine) and
        bool(g.calls & {"RSQ", "PEARSON", "CORREL", "SLOPE", "INTERCEPT", "FORECAST",
                        "FORECAST.LINEAR", "COVAR", "COVARIANCE.P", "COVARIANCE.S", "SUMX2MY2",
                        "SUMX2PY2", "SUMXMY2", "STEYX", "T.TEST"})),
    Divergence(
        "RATE, IRR and XIRR that have not converged after 20 iterations (XIRR 100): Excel "
        "#NUM!, LibreOffice iterates on",
        '"RATE function" (if the successive results do not converge to within 0.0000001 after '
        '20 iterations, #NUM!), "IRR function", "XIRR function"',
        lambda g, mine, lo: mine is ExcelError.NUM and not _error(lo) and
        bool(g.calls & {"RATE", "IRR", "XIRR"})),
    Divergence(
        "financial arguments Microsoft documents as errors: non-numeric cash flows or dates, or "
        "a date before the first (XNPV, XIRR), text in FVSCHEDULE's schedule, a period outside "
        "the life (SYD, DB, DDB); LibreOffice computes a number",
        '"XNPV function" (non-numeric: #VALUE!; a date before the starting date: #NUM!), '
        '"FVSCHEDULE function" (any value but a number or a blank cell: #VALUE!), "SYD function '
        '(DAX)", "DB function (DAX)" (per < 1 or per > life: an error)',
        lambda g, mine, lo: _error(mine) and not _error(lo) and
        bool(g.calls & {"XNPV", "XIRR", "FVSCHEDULE", "SYD", "DB", "DDB"})),
    Divergence(
        "financial formulas Excel's pages apply to any numbers: LibreOffice rejects a rate below "
        "-100% in PMT, IPMT and PPMT and a salvage above the cost in DB and DDB",
        '"PMT function", "IPMT function", "DB function", "DDB function" (their formulas, with no '
        'bound on rate or salvage)',
        lambda g, mine, lo: _error(lo) and not _error(mine) and
        bool(g.calls & {"PMT", "IPMT", "PPMT", "CUMIPMT", "CUMPRINC", "DB", "DDB"})),
    Divergence(
        "cash flows and periods: Excel truncates CUMIPMT's and CUMPRINC's nper, periods and type "
        "(LibreOffice does not) and reads a range of several rows row by row (LibreOffice column "
        "by column)",
        '"CUMIPMT function", "CUMPRINC function" (nper, start_period, end_period and type are '
        'truncated to integers), "NPV function" (the order of the values is the order of the '
        'cash flows)',
        lambda g, mine, lo: not _error(mine) and
        bool(g.calls & {"CUMIPMT", "CUMPRINC", "NPV", "IRR", "MIRR"})),
    Divergence(
        "text to number: LibreOffice converts only unambiguous text (\"(5)\", \"50%\" are "
        "#VALUE!)",
        '"VALUE function" (text in any constant number, date or time format Excel recognizes)',
        lambda g, mine, lo: bool(g.leaves & CONVERTED_TEXTS) and lo is ExcelError.VALUE),
    Divergence(
        "DOLLAR of a negative number: Excel's currency format puts it in parentheses, LibreOffice "
        "writes a minus sign",
        '"DOLLAR function" (the number format $#,##0.00_);($#,##0.00); DOLLAR(-0.123,4) is ($0.1230))',
        lambda g, mine, lo: _uses(g, "DOLLAR") and isinstance(mine, str) and isinstance(lo, str)
        and "(" in mine and "-" in lo),
    Divergence(
        "FIXED and DOLLAR with more decimals than LibreOffice writes: Excel allows up to 127",
        '"FIXED function" (decimals can be as large as 127)',
        lambda g, mine, lo: _uses(g, "FIXED", "DOLLAR") and not _error(mine) and _error(lo)),
    Divergence(
        "YEARFRAC of a date with a time of day: Excel truncates its dates to whole days, "
        "LibreOffice keeps the time",
        '"YEARFRAC function" (all arguments are truncated to integers)',
        lambda g, mine, lo: _uses(g, "YEARFRAC") and type(mine) is float and type(lo) is float
        and re.search(r"\d:\d\d", g.formula) is not None),
    Divergence(
        "a small number as text: LibreOffice writes at most 20 decimals "
        "(0.00000000000016375793), Excel's General 15 significant digits in E notation "
        "(1.63757896132211E-13)",
        '"Available number formats" (General uses scientific notation for numbers of 12 or more '
        'digits), "Excel specifications and limits" (15 digits of precision)',
        lambda g, mine, lo: type(mine) is str and type(lo) is str and
        _one_number_apart(mine, lo, _twenty_decimals)),
    Divergence(
        "a negative fraction where a count of places is expected (FIXED's and DOLLAR's decimals, "
        "BASE's min_length): Excel truncates it (-0.5 is 0), LibreOffice rounds it down (-1)",
        '"FIXED function", [MS-OI29500] 2.1.953 (Office truncates num-decimal to an integer), '
        '"BASE function" (any non-integer number entered as an argument is truncated)',
        lambda g, mine, lo: bool(_NEGATIVE_PLACES.search(g.formula))),
    Divergence(
        "an invalid argument raised to the power 0: LibreOffice's Err:502 (FORECAST.LINEAR of "
        "data sets of different counts) to the power 0 is 1, Excel keeps the error (#N/A)",
        '"FORECAST and FORECAST.LINEAR functions" (known_y\'s and known_x\'s of different numbers '
        'of data points: #N/A), "POWER function"',
        lambda g, mine, lo: _error(mine) and lo == 1.0 and bool(_TO_THE_ZERO.search(g.formula))),
    Divergence(
        "RATE of a negative nper: Excel solves the page's equation, LibreOffice Err:502",
        '"RATE function" (nper, pmt, pv, fv and type as in PV, whose equation RATE solves; no '
        'bound on nper)',
        lambda g, mine, lo: type(mine) is float and lo is ExcelError.VALUE and
        bool(_NEGATIVE_NPER.search(g.formula))),
    Divergence(
        "EFFECT of nominal_rate 0: Excel #NUM!, LibreOffice 0",
        '"EFFECT function" (if nominal_rate <= 0 or npery < 1, #NUM!)',
        _num_where_libreoffice_computes("EFFECT")),
    Divergence(
        "SERIESSUM of x = 0 with a negative power: Excel's 0^n is #DIV/0!, LibreOffice 0",
        '"SERIESSUM function" (a1·x^n + a2·x^(n+m) + ...), "POWER function", "#DIV/0! error"',
        lambda g, mine, lo: mine is ExcelError.DIV0 and not _error(lo) and "SERIESSUM" in g.calls),
    Divergence(
        "no logical type: LibreOffice keeps TRUE/FALSE as 1/0, so a logical prints, compares, "
        "counts and converts as a number (and the text \"TRUE\" converts to 1)",
        '"COUNT function" (logical values in a reference are not counted), "IS functions" '
        '(ISNUMBER(TRUE) is FALSE), "Calculation operators and precedence" (TRUE > any number)',
        lambda g, mine, lo: g.logical or _logical_shown(mine, lo)),
    Divergence(
        "invalid argument: Excel's page documents #NUM!, #N/A, #REF! or #DIV/0!; LibreOffice "
        "reports Err:502 (or 504), saved as #VALUE!",
        'each function\'s page, e.g. "NORM.INV function" (probability <= 0 or >= 1: #NUM!), '
        '"CORREL function" (different numbers of data points: #N/A), "VLOOKUP function" '
        '(col_index_num past the table: #REF!), "OFFSET function" (over the edge: #REF!)',
        lambda g, mine, lo: lo is ExcelError.VALUE and _error(mine) and mine is not ExcelError.VALUE
        or "ERROR.TYPE" in g.calls and (lo is ExcelError.NA or lo == 3.0)),
    Divergence(
        "two errors: both report an error, of different kinds, where no page says which comes "
        "first (an error among the data and one in another argument)",
        '"How to correct a #VALUE! error" (which error a formula shows when several arise is not '
        'documented)',
        lambda g, mine, lo: _error(mine) and _error(lo)),
]


@dataclass
class Outcome:
    generated: Generated
    engine: Scalar
    libreoffice: Scalar
    divergence: str | None  # None: they agree


def classify(g: Generated, engine: Scalar, lo: Scalar) -> str | None:
    if same(engine, lo):
        return None
    for d in DIVERGENCES:
        if d.explains(g, engine, lo):
            return d.name
    return "unexplained"


def compute(generated: list[Generated], folder: Path, office: LibreOffice) -> list[Outcome]:
    """Write the formulas beside sheet D, let the engine and LibreOffice compute them, compare."""
    path = folder / "differential.xlsx"
    book = openpyxl.Workbook()
    formulas = book.active
    formulas.title = "F"
    data = book.create_sheet("D")
    for ref, value in DATA.items():
        data[ref] = value
    for i, g in enumerate(generated):
        formulas.cell(row=i + 1, column=1, value=g.formula)
    book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unsupported function is counted, not warned
        engine = Workbook.load(path)
        engine.calculate()
    doc = office.open(path)
    doc.calculate_all()
    theirs = doc.formula_values()
    doc.close()
    out = []
    for i, g in enumerate(generated):
        mine = engine.value("F", i + 1, 1)
        lo = theirs.get(("F", f"A{i + 1}"))
        out.append(Outcome(g, mine, lo, classify(g, mine, lo)))
    return out


def run(count: int, seed: int) -> dict:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, LibreOffice() as office:
        return summary(outcomes(count, seed, Path(tmp), office), seed, time.perf_counter() - start)


def outcomes(count: int, seed: int, folder: Path, office: LibreOffice) -> list[Outcome]:
    """``count`` random formulas from ``seed``, computed by both and compared."""
    gen = Generator(seed)
    return compute([gen.formula() for _ in range(count)], folder, office)


def summary(outcomes: list[Outcome], seed: int, seconds: float) -> dict:
    """Agreement, and each divergence class with its count, page and up to three examples."""
    count = len(outcomes)
    classes: dict[str, dict] = {}
    for o in outcomes:
        if o.divergence is None:
            continue
        entry = classes.setdefault(o.divergence, {"count": 0, "examples": []})
        entry["count"] += 1
        if len(entry["examples"]) < 3:
            entry["examples"].append({"formula": o.generated.formula, "engine": repr(o.engine),
                                      "libreoffice": repr(o.libreoffice)})
    agreed = sum(1 for o in outcomes if o.divergence is None)
    # formulas calling a function LibreOffice 7.4 lacks cannot agree: agreement is also given
    # without them, so that adding such functions does not read as a new way to disagree
    missing = NOT_IN_LIBREOFFICE | SHAPING_NOT_IN_LIBREOFFICE
    computable = [o for o in outcomes if not o.generated.calls & missing]
    computable_agreed = sum(1 for o in computable if o.divergence is None)
    pages = {d.name: d.page for d in DIVERGENCES}
    return {"formulas": count, "seed": seed, "functions": len(Generator(seed).names), "agreed": agreed,
            "agreement": agreed / count, "computable": len(computable),
            "computable_agreement": computable_agreed / max(len(computable), 1), "explained": count - agreed - classes.get("unexplained", {}).get("count", 0),
            "classes": {name: {**entry, "page": pages.get(name, "")} for name, entry in
                        sorted(classes.items(), key=lambda kv: -kv[1]["count"])},
            "seconds": round(seconds, 1)}


def render(report: dict) -> str:
    lines = [f"{report['formulas']} random formulas over {report['functions']} functions (seed "
             f"{report['seed']}): {report['agreed']} agree ({report['agreement']:.2%}; "
             f"{report['computable_agreement']:.2%} of the {report['computable']} calling only "
             f"functions LibreOffice has), "
             f"{report['explained']} differ in a named divergence class, "
             f"{report['classes'].get('unexplained', {}).get('count', 0)} unexplained "
             f"({report['seconds']} s)"]
    for name, entry in report["classes"].items():
        lines.append(f"  {entry['count']:6d}  {name}  [{entry['page']}]")
        for e in entry["examples"]:
            lines.append(f"          {e['formula']}: engine {e['engine']}, LibreOffice {e['libreoffice']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.differential",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--formulas", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit 1 on an unexplained divergence")
    args = parser.parse_args(argv)
    report: dict = {}

    def produce() -> dict:
        report.update(run(args.formulas, args.seed))
        return report
    code = emit(produce, render, args.json)
    if code == 0 and args.strict and "unexplained" in report["classes"]:
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
