"""The handouts in a real spreadsheet application: LibreOffice headless recalculates each one
and must agree with the engine in every formula cell (1e-9 relative), and renders the README
pictures."""
from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest
from cellgrad.conformance import random_dependents, same_value
from cellgrad.core.references import Range, cell_name, parse_cell
from cellgrad.sheets.pictures import PICTURES, _one_tab_file, picture_name, render
from cellgrad.workbook import Workbook

from tests.conftest import ROOT

pytestmark = pytest.mark.libreoffice

WORKBOOKS = ROOT / "workbooks"
DOCS = ROOT / "docs"
ACROSS_ENGINES = 1e-9
# Excel's SUMXMY2 skips pairs with an empty cell; LibreOffice 7.4 counts an empty rating as 0
KNOWN_DIVERGENCES = {("collab_filter.xlsx", "bias", "V42"): "SUMXMY2 over empty cells"}
# RANDBETWEEN draws differ between any two applications: data!B5:B33 and the y computed from them
RANDOM = {"graddesc.xlsm": "data!B5:C33"}


def _blanks_as_zero_rmse(book: Workbook) -> float:
    """bias!V42 as LibreOffice computes it: every empty rating paired as 0."""
    ratings, preds = book.array("bias!H2:V16"), book.array("bias!H26:V40")
    count = int((~np.isnan(ratings)).sum())
    return math.sqrt(float(((np.nan_to_num(ratings) - preds) ** 2).sum()) / count)


@pytest.mark.parametrize("name", ["collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"])
def test_libreoffice_agrees_with_the_engine(office, name):
    path = WORKBOOKS / name
    doc = office.open(path)
    try:
        doc.calculate_all()
        theirs = doc.formula_values()
    finally:
        doc.close()
    book = Workbook.load(path)
    book.calculate()
    volatile = {(c.sheet, c.address) for c in random_dependents(book)}
    ours = {(c.sheet, c.address) for c in book.formula_cells()}
    assert set(theirs) == ours
    expected_random = set()
    if name in RANDOM:
        rng = Range.parse(RANDOM[name])
        expected_random = {(rng.sheet, cell_name(r, c)) for r, c in rng.cells()}
    assert volatile == expected_random
    wrong = []
    for (sheet, address), value in sorted(theirs.items()):
        if (sheet, address) in volatile:
            continue
        row, col = parse_cell(address)
        mine = book.value(sheet, row, col)
        if (name, sheet, address) in KNOWN_DIVERGENCES:
            assert not same_value(mine, value, rel=ACROSS_ENGINES)
            assert same_value(_blanks_as_zero_rmse(book), value, rel=ACROSS_ENGINES)
            continue
        if not same_value(mine, value, rel=ACROSS_ENGINES):
            wrong.append(f"{sheet}!{address}: engine {mine!r}, LibreOffice {value!r}")
    assert wrong == []


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_picture_is_committed():
    for workbook, tab, _ in PICTURES:
        png = DOCS / picture_name(workbook, tab)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png} missing: run python -m cellgrad.sheets.pictures"
        assert f"(docs/{png.name})" in README, f"README.md does not show {png.name}"


def test_pictures_command_renders_a_png(soffice, tmp_path):
    (png,) = render(tmp_path, (("entropy_example", "softmax", None),))
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert width > height > 500  # a landscape page at 80 dpi


def test_a_picture_prints_only_its_tab(tmp_path):
    """LibreOffice exports a hidden tab that has a print area: the other tabs keep none."""
    path = _one_tab_file("graddesc", "adagrad", 60, str(tmp_path))
    wb = openpyxl.load_workbook(path)
    areas = {ws.title: ws.print_area for ws in wb.worksheets if ws.print_area}
    assert list(areas) == ["adagrad"] and areas["adagrad"].endswith("$60")
