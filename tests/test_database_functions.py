"""The database functions (and the B forms of the text functions, and HYPERLINK) as tables: each
row a formula and the value Microsoft's support page prints (the page named above its rows);
rows marked "rule" apply a rule the page states. The orchard table is the example of the "DSUM
function" page, shared by the pages of DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT,
DSTDEV, DSTDEVP, DVAR and DVARP; its criteria cells hold ="=Apple" as the page writes them."""
from __future__ import annotations

import pytest
from cellgrad.core.values import ExcelError
from cellgrad.workbook import Workbook

from .builder import assert_same, row, same, write_workbook
from .test_function_library import Printed, cases, check
from .test_structured_references import _libreoffice_values

VALUE, NUM, DIV0 = ExcelError.VALUE, ExcelError.NUM, ExcelError.DIV0

ORCHARD = {
    "A1": "Tree", "B1": "Height", "C1": "Age", "D1": "Yield", "E1": "Profit", "F1": "Height",
    "A2": '="=Apple"', "B2": ">10", "F2": "<16", "A3": '="=Pear"',
    "A5": "Tree", "B5": "Height", "C5": "Age", "D5": "Yield", "E5": "Profit",
    **{f"{c}{6 + i}": v for i, record in enumerate([
        ("Apple", 18, 20, 14, 105), ("Pear", 12, 12, 10, 96), ("Cherry", 13, 14, 9, 105),
        ("Apple", 14, 15, 10, 75), ("Pear", 9, 8, 8, 76.8), ("Apple", 8, 9, 6, 45)])
       for c, v in zip("ABCDE", record)},
    # rule rows' criteria: text without an operator begins a value; a blank condition is any
    "H1": "Tree", "H2": "Ap", "I1": "tree", "I2": '="=Cherry"', "J1": "Age",
    "K1": "Bark", "K2": "x", "L1": "Age", "L2": ">100",
}

DATABASE = [
    # "DSUM function" (the orchard example, one row per function it shows)
    row('=DCOUNT(A5:E11,"Age",A1:F2)', 1.0),
    row('=DCOUNTA(A5:E11,"Profit",A1:F2)', 1.0),
    row('=DMAX(A5:E11,"Profit",A1:A3)', 105.0),
    row('=DMIN(A5:E11,"Profit",A1:B2)', 75.0),
    row('=DSUM(A5:E11,"Profit",A1:A2)', 225.0),
    row('=DSUM(A5:E11,"Profit",A1:F2)', 75.0),
    row('=DPRODUCT(A5:E11,"Yield",A1:F2)', 10.0),
    row('=DAVERAGE(A5:E11,"Yield",A1:B2)', 12.0),
    row("=DAVERAGE(A5:E11,3,A5:E11)", 13.0),
    row('=DSTDEV(A5:E11,"Yield",A1:A3)', Printed("2.96647939483827")),
    row('=DSTDEVP(A5:E11,"Yield",A1:A3)', Printed("2.65329983228432")),
    row('=DVAR(A5:E11,"Yield",A1:A3)', 8.8),
    row('=DVARP(A5:E11,"Yield",A1:A3)', 7.04),
    row('=DGET(A5:E11,"Yield",A1:A3)', NUM),               # several records match
    # "DGET function": one record is its value, none is #VALUE!
    row('=DGET(A5:E11,"Yield",A1:F2)', 10.0),               # rule
    row('=DGET(A5:E11,"Yield",I1:I2)', 9.0),                # rule: labels regardless of case
    row('=DGET(A5:E11,"Yield",B1:B2)', NUM),                # rule
    row('=DGET(A5:E11,"Tree",L1:L2)', VALUE),               # rule: no tree is over 100
    # rule ("DSUM function"): field as a label regardless of case, or a column number
    row('=DSUM(A5:E11,"profit",A1:A2)', 225.0), row("=DSUM(A5:E11,5,A1:A2)", 225.0),
    row('=DSUM(A5:E11,"Bark",A1:A2)', VALUE), row("=DSUM(A5:E11,6,A1:A2)", VALUE),
    row("=DSUM(A5:E11,0,A1:A2)", VALUE),
    # rule ("Filter by using advanced criteria"): text without = finds values beginning with it;
    # a blank condition passes every record
    row('=DSUM(A5:E11,"Profit",H1:H2)', 225.0), row('=DCOUNTA(A5:E11,"Tree",J1:J2)', 6.0),
    row('=DCOUNT(A5:E11,"Tree",A1:A3)', 0.0),               # rule: DCOUNT counts numbers only
    row('=DAVERAGE(A5:E11,"Tree",A1:A3)', DIV0),            # rule: as AVERAGE of no numbers
    row('=DVAR(A5:E11,"Yield",I1:I2)', DIV0),               # rule: as VAR of one number
    row('=DSUM(A5:E11,"Profit",A1:F1)', VALUE),             # rule: a cell below the labels
    row('=DSUM(A5:E11,"Profit",K1:K2)', VALUE),             # a label that is no column's
]

# "LEFT, LEFTB functions" and the RIGHTB, MIDB, LENB, FINDB, SEARCHB, REPLACEB pages, in a
# single-byte-language installation (characters, as the plain forms)
TEXT = [
    row('=LEFTB("Sale Price",4)', "Sale"), row('=LEFTB("Sweden")', "S"),
    row('=RIGHTB("Sale Price",5)', "Price"), row('=RIGHTB("Stock Number")', "r"),
    row('=MIDB("Fluid Flow",1,5)', "Fluid"), row('=MIDB("Fluid Flow",7,20)', "Flow"),
    row('=LENB("Phoenix, AZ")', 11.0), row('=LENB("")', 0.0),
    row('=FINDB("M","Miriam McGovern")', 1.0), row('=FINDB("m","Miriam McGovern")', 6.0),
    row('=SEARCHB("e","Statements",6)', 7.0), row('=SEARCHB("x","abc")', VALUE),
    row('=REPLACEB("abcdefghijk",6,5,"*")', "abcde*k"), row('=LEFTB("a",-1)', VALUE),
    # "HYPERLINK function": the cell's value is friendly_name, or link_location without one
    row('=HYPERLINK("http://example.microsoft.com/report/budget report.xlsx", '
        '"Click for report")', "Click for report"),
    row('=HYPERLINK("#Sheet2!A1")', "#Sheet2!A1"), row('=HYPERLINK("x",1/0)', DIV0),
]
TABLES = [(ORCHARD, DATABASE), ({}, TEXT)]


@cases(*TABLES)
def test_page_examples(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


# LibreOffice matches criteria text as whole cells by default (its "Search criteria = and <>
# must apply to whole cells" option), where Excel's criteria find the values that begin with it.
_BEGINS_WITH = ("H1:H2", "J1:J2")


@pytest.mark.libreoffice
def test_libreoffice_computes_the_page_examples(tmp_path, office) -> None:
    compared = [p for p in DATABASE if type(p.values[1]) is not ExcelError
                and not any(r in p.values[0] for r in _BEGINS_WITH)]
    sheet = {**ORCHARD, **{f"M{i + 1}": p.values[0] for i, p in enumerate(compared)}}
    path = write_workbook(tmp_path / "d.xlsx", {"S": sheet})
    theirs = _libreoffice_values(office, path)
    for i, p in enumerate(compared):
        formula, expected = p.values
        got = theirs[("S", f"M{i + 1}")]
        assert expected.matches(got) if isinstance(expected, Printed) else same(expected, got), \
            f"{formula}: the page gives {expected!r}, LibreOffice {got!r}"
    book = Workbook.load(path)
    book.calculate()
    for i, p in enumerate(compared):
        assert_same(theirs[("S", f"M{i + 1}")], book[f"S!M{i + 1}"], p.values[0])
