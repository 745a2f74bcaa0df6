"""The Python API as a notebook user expects it (openpyxl's habits, Excel's case rules): one table
of keys and what they give, one of misses and the one line each gives."""
from __future__ import annotations

import numpy as np
import pytest
from cellgrad import Workbook
from cellgrad.core.display import RangeArray, RangeValues
from cellgrad.core.errors import CellgradError
from cellgrad.workbook import SheetView

from .conftest import reference_path


@pytest.fixture(scope="module")
def wb() -> Workbook:
    return Workbook.load(reference_path("collab_filter.xlsx"))


@pytest.fixture(scope="module")
def graddesc() -> Workbook:
    return Workbook.load(reference_path("graddesc.xlsm"))


def _cached(book: Workbook, sheet: str, row: int, col: int):
    """What the file holds for a cell (Excel's cached value), read beside the API under test."""
    return book.sheets[sheet].cells[(row, col)].cached


# key -> (what it gives, the cell or range it must equal, as (sheet, r1, c1, r2, c2))
KEYS = [
    ("dotprod!V41", "scalar", ("dotprod", 41, 22, 41, 22)),
    (("dotprod", "V41"), "scalar", ("dotprod", 41, 22, 41, 22)),
    ("DOTPROD!v41", "scalar", ("dotprod", 41, 22, 41, 22)),
    (("DotProd", "v41"), "scalar", ("dotprod", 41, 22, 41, 22)),
    ("dotprod!H25:V39", "array", ("dotprod", 25, 8, 39, 22)),
    (("dotprod", "H25:V39"), "array", ("dotprod", 25, 8, 39, 22)),
    ("dotprod!F1:H3", "list", ("dotprod", 1, 6, 3, 8)),
]


@pytest.mark.parametrize("key, kind, area", KEYS, ids=[str(k) for k, *_ in KEYS])
def test_keys(wb, key, kind, area):
    got = wb[key]
    sheet, r1, c1, r2, c2 = area
    expected = [[_cached(wb, sheet, r, c) if (r, c) in wb.sheets[sheet].cells else None
                 for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    if kind == "scalar":
        assert got == expected[0][0]
    elif kind == "array":
        assert isinstance(got, np.ndarray) and isinstance(got, RangeArray)
        assert got.shape == (r2 - r1 + 1, c2 - c1 + 1)
        np.testing.assert_array_equal(got, [[np.nan if v is None else v for v in row] for row in expected])
    else:
        assert isinstance(got, list) and isinstance(got, RangeValues) and got == expected
        assert any(isinstance(v, str) for row in got for v in row)


@pytest.mark.parametrize("key", ["dotprod", "DotProd", "DOTPROD"])
def test_a_sheet_name_is_the_sheet(wb, key):
    sheet = wb[key]
    assert isinstance(sheet, SheetView) and sheet.name == "dotprod"
    assert sheet["V41"] == wb["dotprod!V41"]
    assert repr(sheet) == "<Sheet 'dotprod': A1:V41, 226 formula cells>"


def test_sheet_scoped_names_ignore_case(graddesc):
    assert graddesc["adam", "LR"] == graddesc["adam", "lr"] == graddesc["adam!D2"]
    assert graddesc.resolve("Slope", "ADAM").a1() == "adam!C2"


# a miss -> the one line it gives (a suggestion where a name is close)
MISSES = [
    ("dotprd!V41", "no sheet named 'dotprd' (did you mean 'dotprod'?)"),
    (("dotprd", "V41"), "no sheet named 'dotprd' (did you mean 'dotprod'?)"),
    ("nothing!A1", "no sheet named 'nothing'"),
]


@pytest.mark.parametrize("key, message", MISSES, ids=[str(k) for k, _ in MISSES])
def test_misses_name_the_closest(wb, key, message):
    with pytest.raises(CellgradError) as info:
        wb[key]
    assert str(info.value).endswith(message) and "\n" not in str(info.value)


def test_a_misspelt_defined_name_suggests_the_closest(graddesc):
    with pytest.raises(CellgradError) as info:
        graddesc["adam", "momlst"]
    assert str(info.value).endswith("no cell, range or defined name 'momlst' (did you mean 'momlast'?)")


def test_setting_through_a_tuple_key_and_the_sheet_recalculates():
    book = Workbook.load(reference_path("graddesc.xlsm"))
    book["ADAM", "C2"] = 2.0
    assert book["adam!D4"] == 2.0  # =C2, recalculated at once (automatic calculation)
    book["adam"]["c1"] = 3.0
    assert book["adam!C4"] == 3.0  # =C1


def test_repr_is_short(wb):
    text = repr(wb)
    assert text == ("<Workbook collab_filter.xlsx: sheets dotprod, movielens_1hot, movielens_emb, bias, "
                    "word_emb; 10,879 formula cells; automatic calculation>")


def test_html_shows_a_range_with_its_row_and_column_headers(wb):
    html = wb["dotprod!H25:I26"]._repr_html_()
    assert "<caption>dotprod!H25:I26</caption>" in html
    assert "<tr><th></th><th>H</th><th>I</th></tr>" in html
    first = f"{wb['dotprod!H25']:.10g}"
    assert f"<tr><th>25</th><td>{first}</td>" in html
    assert "<th>26</th>" in html and "<th>27</th>" not in html
    text = wb["dotprod!F1:H3"]._repr_html_()
    assert "<th>F</th><th>G</th><th>H</th>" in text and "<td>movieId</td>" in text
    assert wb["dotprod"]._repr_html_().count("<tr>") == 1 + 41


def test_arithmetic_on_a_range_is_plain_numpy(wb):
    product = wb["dotprod!H25:V39"] * 2
    assert isinstance(product, np.ndarray)
    assert product._repr_html_() is None  # a computed array: numpy's own display
