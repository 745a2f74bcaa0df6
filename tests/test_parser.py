"""The parser: formula text to IR with Excel's precedence, references in R1C1 form, names resolved,
function prefixes dropped; and to_a1 as its inverse (a property checked with hypothesis).

Precedence and associativity are those of "Calculation operators and precedence in Excel":
reference operators, negation, %, ^, * /, + -, &, comparisons; equal precedence left to right.
"""
from __future__ import annotations

import pytest
from cellgrad.core.ir import (AreaRef, ArrayConst, Binary, Call, CellRef, Const, Missing, Node,
                              Unary, to_a1)
from cellgrad.core.parser import ParseError, Parsed, canonical_function, parse_formula
from cellgrad.core.references import Range
from cellgrad.core.values import ExcelError
from hypothesis import given, settings
from hypothesis import strategies as st


def c(x: object) -> Const:
    return Const(float(x) if isinstance(x, int) and not isinstance(x, bool) else x)


def parse(text: str, row: int = 1, col: int = 1, names=None) -> Node:
    return parse_formula(text, row, col, sheet="S", names=names)


PRECEDENCE = [
    ("=-2^2", Binary("^", Unary("-", c(2)), c(2))),
    ("=2^3^2", Binary("^", Binary("^", c(2), c(3)), c(2))),
    ("=1+2*3", Binary("+", c(1), Binary("*", c(2), c(3)))),
    ("=(1+2)*3", Binary("*", Binary("+", c(1), c(2)), c(3))),
    ("=10-4-3", Binary("-", Binary("-", c(10), c(4)), c(3))),
    ("=2^200%", Binary("^", c(2), Unary("%", c(200)))),
    ("=-50%", Unary("%", Unary("-", c(50)))),
    ("=1+2&3", Binary("&", Binary("+", c(1), c(2)), c(3))),
    ("=1&2=12", Binary("=", Binary("&", c(1), c(2)), c(12))),
    ("=1<2=TRUE", Binary("=", Binary("<", c(1), c(2)), c(True))),
    ("=2*-3", Binary("*", c(2), Unary("-", c(3)))),
    ("=--1", Unary("-", Unary("-", c(1)))),
    ('="a"&"b"', Binary("&", c("a"), c("b"))),
    ('="say ""hi"""', c('say "hi"')),
    ("=#N/A", c(ExcelError.NA)),
    ("={1,2;3,-4}", ArrayConst(((1.0, 2.0), (3.0, -4.0)))),
    ('={"a",TRUE,#N/A}', ArrayConst((("a", True, ExcelError.NA),))),
    ("=ROUND(A1,)", Call("ROUND", (CellRef(None, 0, 0, False, False), Missing()))),
    ("=_xlfn.STDEV.P(1)", Call("STDEV.P", (c(1),))),
    ("=_xlfn._xlws.SORT(1)", Call("SORT", (c(1),))),
    ("=_xlfn.SINGLE(A1:A3)", Call("SINGLE", (AreaRef(None, 0, 0, 2, 0, False, False, False, False),))),
    ("=sum( 1 , 2 )", Call("SUM", (c(1), c(2)))),
    ("=A1:OFFSET(A1,2,0)", Binary(":", CellRef(None, 0, 0, False, False),
                                  Call("OFFSET", (CellRef(None, 0, 0, False, False), c(2), c(0))))),
    ("=OFFSET(A1,1,0):A3", Binary(":", Call("OFFSET", (CellRef(None, 0, 0, False, False), c(1), c(0))),
                                  CellRef(None, 2, 0, False, False))),
    ("=A1:B2 B1:C3", Binary(" ", AreaRef(None, 0, 0, 1, 1, False, False, False, False),
                            AreaRef(None, 0, 1, 2, 2, False, False, False, False))),
]


@pytest.mark.parametrize("text, tree", PRECEDENCE)
def test_parse_tree(text: str, tree: Node) -> None:
    assert parse(text) == tree


# References are offsets from the anchor (here C5: row 5, column 3) unless absolute.
REFERENCES = [
    ("=A1", CellRef(None, -4, -2, False, False)),
    ("=$A$1", CellRef(None, 1, 1, True, True)),
    ("=A$1", CellRef(None, 1, -2, True, False)),
    ("=$A1", CellRef(None, -4, 1, False, True)),
    ("=Data!B7", CellRef("Data", 2, -1, False, False)),
    ("='It''s here'!C5", CellRef("It's here", 0, 0, False, False)),
    ("=A1:B2", AreaRef(None, -4, -2, -3, -1, False, False, False, False)),
    ("=$A:$A", AreaRef(None, 1, 1, 1048576, 1, True, True, True, True)),
    ("=2:3", AreaRef(None, -3, 1, -2, 16384, False, True, False, True)),
    ("=XFD1048576", CellRef(None, 1048571, 16381, False, False)),
    ("=XFE1", c(ExcelError.NAME)),        # past the last column: a name, here undefined
    ("=A0", c(ExcelError.NAME)),
    ("=lr", c(ExcelError.NAME)),          # a column's letters alone are a name
    ("=Data!#REF!", c(ExcelError.REF)),
]


@pytest.mark.parametrize("text, tree", REFERENCES)
def test_references(text: str, tree: Node) -> None:
    assert parse(text, 5, 3) == tree


def test_names_are_resolved_with_the_formulas_sheet() -> None:
    asked = []

    def names(name: str, sheet: str, row: int) -> Parsed | None:
        asked.append((name, sheet, row))
        return Parsed(c(0.5), False) if name.lower() == "rate" else None

    assert parse("=rate*2", 4, names=names) == Binary("*", c(0.5), c(2))
    assert parse("=Other!rate", names=names) == c(0.5)
    assert parse("=nosuch", names=names) == c(ExcelError.NAME)
    assert asked == [("rate", "S", 4), ("rate", "Other", 1), ("nosuch", "S", 1)]


@pytest.mark.parametrize("name, canonical", [("sum", "SUM"), ("_xlfn.CEILING.MATH", "CEILING.MATH"),
                                             ("_XLFN._XLWS.FILTER", "FILTER"), ("_xlws.SORT", "SORT")])
def test_canonical_function(name: str, canonical: str) -> None:
    assert canonical_function(name) == canonical


@pytest.mark.parametrize("text", ["=(1+2", "=1+", "=SUM(1,2", "={1,2;3}", "=", "=1 +* 2",
                                  "=)", "=}", "={-A}", '={1,-"a"}', "='::'",
                                  "=#GETTING_DATA", "=#BLOCKED!"])
def test_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text)


def test_excel_365_error_values() -> None:
    """#SPILL! and #CALC! ("ERROR.TYPE function": 9 and 14) are values, as a file may hold them."""
    assert parse("=#SPILL!") == Const(ExcelError.SPILL)
    assert parse("=#CALC!") == Const(ExcelError.CALC)


FRAGMENTS = list('AB1$:!(),;{}"+-*/^&=<>% \'') + ["SUM(", "'S'", "#N/A", "#REF!", "TRUE", "1E+5",
                                                   "_xlfn.", "OFFSET(", "@", "[", "]",
                                                   "#GETTING_DATA"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    """The command line turns ParseError into one line; anything else would be a traceback."""
    try:
        parse("=" + text, 5, 5)
    except ParseError:
        pass


# --- to_a1 is the parser's inverse --------------------------------------------------------------
numbers = st.one_of(st.integers(0, 10 ** 6).map(float),
                    st.integers(0, 10 ** 4).map(lambda n: n / 8))  # exact in 15 digits
scalars = st.one_of(numbers.map(Const), st.text(alphabet='ab "x', max_size=4).map(Const),
                    st.booleans().map(Const), st.sampled_from(list(ExcelError)).map(Const))
sheets = st.sampled_from([None, "S", "Data", "It's", "Two Words"])
flags = st.booleans()


@st.composite
def cell_refs(draw) -> CellRef:
    row_abs, col_abs = draw(flags), draw(flags)
    row = draw(st.integers(1, 900)) if row_abs else draw(st.integers(-40, 40))
    col = draw(st.integers(1, 700)) if col_abs else draw(st.integers(-40, 40))
    return CellRef(draw(sheets), row, col, row_abs, col_abs)


@st.composite
def area_refs(draw) -> AreaRef:
    a, b = draw(cell_refs()), draw(cell_refs())
    return AreaRef(a.sheet, a.row, a.col, b.row, b.col, a.row_abs, a.col_abs, b.row_abs, b.col_abs)


BINARY = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", ">", "<=", ">="]
trees = st.recursive(
    st.one_of(scalars, cell_refs(), area_refs()),
    lambda inner: st.one_of(
        st.builds(Binary, st.sampled_from(BINARY), inner, inner),
        st.builds(Unary, st.just("-"), inner),
        st.builds(Call, st.sampled_from(["SUM", "MAX", "IF"]),
                  st.lists(inner, min_size=1, max_size=3).map(tuple))),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_to_a1_then_parse_is_identity(tree: Node) -> None:
    anchor = (50, 50)   # relative offsets of +-40 stay on the sheet
    text = to_a1(tree, *anchor)
    assert parse_formula("=" + text, *anchor, sheet="S") == tree, text


# --- Range.parse: the A1 text users and defined names give ------------------------------------------
@pytest.mark.parametrize("text, bounds", [
    ("S!A1", (1, 1, 1, 1)), ("S!$B$2:$C$3", (2, 2, 3, 3)), ("S!C3:B2", (2, 2, 3, 3)),
    ("S!A:A", (1, 1, 1048576, 1)), ("S!2:3", (2, 1, 3, 16384)), ("'It''s'!D4", (4, 4, 4, 4)),
])
def test_range_parse(text: str, bounds: tuple[int, int, int, int]) -> None:
    rng = Range.parse(text)
    assert (rng.r1, rng.c1, rng.r2, rng.c2) == bounds


@pytest.mark.parametrize("text", ["S!lr", "S!A", "S!3", "S!XFE1", "S!A0", "A1"])
def test_range_parse_refuses(text: str) -> None:
    """A lone column or row is a name (graddesc's lr), not a range; A1 needs a sheet."""
    with pytest.raises(ValueError):
        Range.parse(text)
