"""Text, lookup and array-shaping functions added for real workbooks, as tables: each row a
formula and the value Microsoft's support page for that function gives (the page is named, by
title, above its rows; "rule" marks arithmetic on a rule the page states rather than one of its
examples). Array results are checked over an array formula of exactly their size."""
from __future__ import annotations

import pytest
from cellgrad.core.values import ExcelError

from .builder import calculated, row
from .test_function_library import cases, check, assert_same

NA, VALUE, NUM, CALC = ExcelError.NA, ExcelError.VALUE, ExcelError.NUM, ExcelError.CALC

TEXT_CELLS = {"A2": "Little Red Riding Hood's red hood", "A3": "Little red Riding Hood's red hood",
              "B2": "Marcus Aurelius", "B3": "Socrates", "B4": "Immanuel Kant",
              "C2": "abcdefghijk", "C3": "2009", "C4": "123456"}
TEXT = [
    # "REPLACE, REPLACEB functions"
    row('=REPLACE(C2,6,5,"*")', "abcde*k"), row('=REPLACE(C3,3,2,"10")', "2010"),
    row('=REPLACE(C4,1,3,"@")', "@456"),
    row('=REPLACE("abc",0,1,"x")', VALUE), row('=REPLACE("abc",1,-1,"x")', VALUE),  # rule
    # "CLEAN function"
    row('=CLEAN(CHAR(9)&"Monthly report"&CHAR(10))', "Monthly report"),
    # "NUMBERVALUE function"
    row('=NUMBERVALUE("2.500,27",",",".")', 2500.27), row('=NUMBERVALUE("3.5%")', 0.035),
    row('=NUMBERVALUE(" 3 000 ")', 3000.0), row('=NUMBERVALUE("9%%")', 0.0009),       # rules
    row('=NUMBERVALUE("")', 0.0), row('=NUMBERVALUE("1.2.3")', VALUE),
    row('=NUMBERVALUE("1.000,5",",,",".")', 1000.5), row('=NUMBERVALUE("1,5.000",",",".")', VALUE),
    # "UNICHAR function"; "UNICODE function"
    row("=UNICHAR(66)", "B"), row("=UNICHAR(32)", " "), row("=UNICHAR(0)", VALUE),
    row("=UNICHAR(55296)", NA), row("=UNICHAR(1114112)", VALUE),             # rule: surrogate, range
    row('=UNICODE(" ")', 32.0), row('=UNICODE("B")', 66.0), row('=UNICODE("")', VALUE),
    # "TEXTBEFORE function"
    row('=TEXTBEFORE(A2,"Red")', "Little "), row('=TEXTBEFORE(A3,"Red")', NA),
    row('=TEXTBEFORE(A3,"red",2)', "Little red Riding Hood's "), row('=TEXTBEFORE(A3,"red",-2)', "Little "),
    row('=TEXTBEFORE(A3,"Red",,FALSE)', NA), row('=TEXTBEFORE(A3,"red",3)', NA),
    row('=TEXTBEFORE(B2," ",,,1)', "Marcus"), row('=TEXTBEFORE(B3," ",,,0)', NA),
    row('=TEXTBEFORE(B3," ",,,1)', "Socrates"), row('=TEXTBEFORE(B4," ",,,1)', "Immanuel"),
    row('=TEXTBEFORE("Red riding hood\'s, red hood","hood")', "Red riding "),
    row('=TEXTBEFORE("Red riding hood\'s, red hood","")', ""),
    row('=TEXTBEFORE("Red riding hood\'s, red hood","",-1)', "Red riding hood's, red hood"),
    row('=TEXTBEFORE(A2,"red",,1)', "Little "),                          # rule: case-insensitive
    row('=TEXTBEFORE(A2,"red",0)', VALUE), row('=TEXTBEFORE("ab","a",3)', VALUE),  # rule: errors
    row('=TEXTBEFORE(A2,"blue",,,,"none")', "none"), row('=TEXTBEFORE("","x")', ""),
    row('=TEXTBEFORE("a-b_c",{"_","-"})', "a"),                          # rule: any delimiter
    # "TEXTAFTER function"
    row('=TEXTAFTER(A2,"Red")', " Riding Hood's red hood"), row('=TEXTAFTER(A2,"basket")', NA),
    row('=TEXTAFTER(A3,"red",2)', " hood"), row('=TEXTAFTER(A3,"red",-2)', " Riding Hood's red hood"),
    row('=TEXTAFTER(A3,"Red",,FALSE)', NA), row('=TEXTAFTER(A2,"red",3)', NA),
    row('=TEXTAFTER(B2," ",,,1)', "Aurelius"), row('=TEXTAFTER(B3," ",,,0)', NA),
    row('=TEXTAFTER(B3," ",,,1)', ""),
    row('=TEXTAFTER("Red riding hood\'s, red hood","hood")', "'s, red hood"),
    row('=TEXTAFTER("Red riding hood\'s, red hood","")', "Red riding hood's, red hood"),
    row('=TEXTAFTER("Red riding hood\'s, red hood","",-1)', ""),
    # "VALUETOTEXT function"
    row("=VALUETOTEXT(TRUE)", "TRUE"), row("=VALUETOTEXT(1234.01234)", "1234.01234"),
    row('=VALUETOTEXT("Hello")', "Hello"), row('=VALUETOTEXT("Hello",1)', '"Hello"'),
    row("=VALUETOTEXT(1/0)", "#DIV/0!"), row("=VALUETOTEXT(1/0,1)", "#DIV/0!"),
    row("=VALUETOTEXT(1,2)", VALUE),
    # "ARRAYTOTEXT function"
    row('=ARRAYTOTEXT({TRUE,"x";1234.01234,"Seattle";"Hello",5})', "TRUE, x, 1234.01234, Seattle, Hello, 5"),
    row('=ARRAYTOTEXT({TRUE,"x";1234.01234,"Seattle";"Hello",5},1)',
        '{TRUE,"x";1234.01234,"Seattle";"Hello",5}'),
    row("=ARRAYTOTEXT({1,2},3)", VALUE),
]


@cases((TEXT_CELLS, TEXT))
def test_text(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


LOOKUP_CELLS = {"A2": 4.14, "A3": 4.19, "A4": 5.17, "A5": 5.77, "A6": 6.39,
                "B2": "red", "B3": "orange", "B4": "yellow", "B5": "green", "B6": "blue",
                "D2": "=SUM(A2:A3)", "D3": "=_xlfn.XLOOKUP(1,{1},{2})", "D4": 7}
LOOKUP = [
    # "LOOKUP function"
    row("=LOOKUP(4.19,A2:A6,B2:B6)", "orange"), row("=LOOKUP(5.75,A2:A6,B2:B6)", "yellow"),
    row("=LOOKUP(7.66,A2:A6,B2:B6)", "blue"), row("=LOOKUP(0,A2:A6,B2:B6)", NA),
    row('=LOOKUP("C",{"a","b","c","d";1,2,3,4})', 3.0), row('=LOOKUP("bump",{"a",1;"b",2;"c",3})', 2.0),
    row("=LOOKUP(5,A2:B6)", "orange"),                         # rule: the array form's last column
    # "FORMULATEXT function" (its example shows =TODAY(); a formula of the engine's here)
    row("=FORMULATEXT(D2)", "=SUM(A2:A3)"), row("=FORMULATEXT(D4)", NA), row("=FORMULATEXT(D2:D4)", "=SUM(A2:A3)"),
    row("=FORMULATEXT(D3)", "=XLOOKUP(1,{1},{2})"),             # rule: as the formula bar shows it
    # "AREAS function"
    row("=AREAS(B2:D4)", 1.0), row("=AREAS(B2:D4 B2)", 1.0),
]


@cases((LOOKUP_CELLS, LOOKUP))
def test_lookup(formula: str, expected: object, cells: dict) -> None:
    check(formula, expected, cells)


def test_formulatext_of_its_own_cell_is_not_circular() -> None:
    book = calculated({"S": {"A1": "=FORMULATEXT(A1)"}})
    assert_same("=FORMULATEXT(A1)", book["S!A1"], "FORMULATEXT of its own cell")


# Data 1 2 3 / 4 5 6 / 7 8 9 in A2:C4, as on the TAKE, DROP, CHOOSEROWS and CHOOSECOLS pages.
ARRAY_CELLS = {"A2": 1, "B2": 2, "C2": 3, "A3": 4, "B3": 5, "C3": 6, "A4": 7, "B4": 8, "C4": 9,
               "E2": "Do. Or do not. There is no try. -Anonymous", "E3": "1,2,3;4,5,6",
               "F2": "Tom", "F3": "Fred", "F4": "Amy", "G2": 52, "G3": 65, "G4": 22}
N = NA
ARRAYS = [
    # "DROP function"; "TAKE function"
    row("H1:J1", "=DROP(A2:C4,2)", [[7.0, 8.0, 9.0]]), row("H1:H3", "=DROP(A2:C4,,2)", [[3.0], [6.0], [9.0]]),
    row("H1:J1", "=DROP(A2:C4,-2)", [[1.0, 2.0, 3.0]]), row("H1:H1", "=DROP(A2:C4,2,2)", [[9.0]]),
    row("H1:H1", "=DROP(A2:C4,3)", [[CALC]]),
    row("H1:J2", "=TAKE(A2:C4,2)", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    row("H1:I3", "=TAKE(A2:C4,,2)", [[1.0, 2.0], [4.0, 5.0], [7.0, 8.0]]),
    row("H1:J2", "=TAKE(A2:C4,-2)", [[4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
    row("H1:I2", "=TAKE(A2:C4,2,2)", [[1.0, 2.0], [4.0, 5.0]]), row("H1:H1", "=TAKE(A2:C4,0)", [[CALC]]),
    # "CHOOSEROWS function"; "CHOOSECOLS function"
    row("H1:J2", "=CHOOSEROWS(A2:C4,1,3)", [[1.0, 2.0, 3.0], [7.0, 8.0, 9.0]]),
    row("H1:J3", "=CHOOSEROWS(A2:C4,{1,3},-1)", [[1.0, 2.0, 3.0], [7.0, 8.0, 9.0], [7.0, 8.0, 9.0]]),
    row("H1:I3", "=CHOOSECOLS(A2:C4,1,-1)", [[1.0, 3.0], [4.0, 6.0], [7.0, 9.0]]),
    row("H1:H1", "=CHOOSECOLS(A2:C4,4)", [[VALUE]]), row("H1:H1", "=CHOOSEROWS(A2:C4,0)", [[VALUE]]),
    # "HSTACK function"; "VSTACK function"
    row("H1:K2", '=HSTACK({"A","B";"C","D"},{1,2;3,4})', [["A", "B", 1.0, 2.0], ["C", "D", 3.0, 4.0]]),
    row("H1:K2", '=HSTACK({"A","B";"C","D"},{1,2})', [["A", "B", 1.0, 2.0], ["C", "D", N, N]]),
    row("H1:I4", '=VSTACK({"A","B";"C","D"},{1,2;3,4})', [["A", "B"], ["C", "D"], [1.0, 2.0], [3.0, 4.0]]),
    row("H1:J3", '=VSTACK({1,2;3,4},{5,6,7})', [[1.0, 2.0, N], [3.0, 4.0, N], [5.0, 6.0, 7.0]]),
    # "TOCOL function"; "TOROW function"
    row("H1:H6", "=TOCOL(A2:C3)", [[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]),
    row("H1:H6", "=TOCOL(A2:C3,,TRUE)", [[1.0], [4.0], [2.0], [5.0], [3.0], [6.0]]),
    row("H1:K1", "=TOROW({1,2;3,4})", [[1.0, 2.0, 3.0, 4.0]]),
    row("H1:J1", "=TOROW({1,2;#N/A,4},2)", [[1.0, 2.0, 4.0]]), row("H1:H1", "=TOCOL(A2:C3,4)", [[VALUE]]),
    row("H1:H1", "=TOCOL({#N/A},2)", [[CALC]]),
    # "WRAPROWS function"; "WRAPCOLS function"
    row("H1:J3", '=WRAPROWS({"A","B","C","D","E","F","G"},3)', [["A", "B", "C"], ["D", "E", "F"], ["G", N, N]]),
    row("H1:J3", '=WRAPCOLS({"A","B","C","D","E","F","G"},3,"x")', [["A", "D", "G"], ["B", "E", "x"], ["C", "F", "x"]]),
    row("H1:H1", "=WRAPROWS(A2:C3,2)", [[VALUE]]), row("H1:H1", "=WRAPROWS({1,2},0)", [[NUM]]),
    # "EXPAND function"
    row("H1:J3", "=EXPAND({1,2;3,4},3,3)", [[1.0, 2.0, N], [3.0, 4.0, N], [N, N, N]]),
    row("H1:J3", '=EXPAND({1,2;3,4},3,3,"-")', [[1.0, 2.0, "-"], [3.0, 4.0, "-"], ["-", "-", "-"]]),
    row("H1:I3", "=EXPAND({1,2;3,4},3)", [[1.0, 2.0], [3.0, 4.0], [N, N]]),
    row("H1:H1", "=EXPAND({1,2;3,4},1)", [[VALUE]]),
    # "SORTBY function"
    row("H1:H3", "=SORTBY(F2:F4,G2:G4)", [["Amy"], ["Tom"], ["Fred"]]),
    row("H1:I3", "=SORTBY(F2:G4,G2:G4,-1)", [["Fred", 65.0], ["Tom", 52.0], ["Amy", 22.0]]),
    row("H1:J1", '=SORTBY({"a","b","c"},{2,1,2},1,{1,1,0},-1)', [["b", "a", "c"]]),
    row("H1:H1", "=SORTBY(F2:F4,G2:G3)", [[VALUE]]), row("H1:H1", "=SORTBY(F2:F4,G2:G4,2)", [[VALUE]]),
    # "TEXTSPLIT function"
    row("H1:J1", '=TEXTSPLIT("Dakota Lennon Sanchez"," ")', [["Dakota", "Lennon", "Sanchez"]]),
    row("H1:J2", '=TEXTSPLIT(E3,",",";")', [["1", "2", "3"], ["4", "5", "6"]]),
    row("H1:K1", '=TEXTSPLIT(E2,".")', [["Do", " Or do not", " There is no try", " -Anonymous"]]),
    row("H1:L1", '=TEXTSPLIT(E2,{".","-"})', [["Do", " Or do not", " There is no try", " ", "Anonymous"]]),
    row("H1:H4", '=TEXTSPLIT(E2,,".")', [["Do"], [" Or do not"], [" There is no try"], [" -Anonymous"]]),
    row("H1:I2", '=TEXTSPLIT("a,b;c",",",";")', [["a", "b"], ["c", N]]),
    row("H1:I2", '=TEXTSPLIT("a,b;c",",",";",,,"")', [["a", "b"], ["c", ""]]),
    row("H1:J1", '=TEXTSPLIT("a,,b",",")', [["a", "", "b"]]),
    row("H1:I1", '=TEXTSPLIT("a,,b",",",,TRUE)', [["a", "b"]]),
    row("H1:I1", '=TEXTSPLIT("aXb","x",,,1)', [["a", "b"]]),
]


@pytest.mark.parametrize("target, formula, expected", [pytest.param(*p.values, id=p.values[1]) for p in ARRAYS])
def test_array_shaping(target: str, formula: str, expected: list[list[object]]) -> None:
    book = calculated({"S": {**ARRAY_CELLS, target: formula}})
    for want_row, got_row in zip(expected, book.values(f"S!{target}"), strict=True):
        for want, value in zip(want_row, got_row, strict=True):
            assert_same(want, value, formula)
