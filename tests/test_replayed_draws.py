"""Issue 9: Excel's random draws replayed. Each RAND/RANDBETWEEN/RANDARRAY cell takes the value
Excel cached, so what the draws feed is compared with Excel; only the draw cells are left out.
The workbooks carry cached values as Excel writes them (``<v>`` after the formula)."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from cellgrad.conformance import check
from cellgrad.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from .builder import with_part

SHEET = "xl/worksheets/sheet1.xml"
# What Excel drew and what it computed from the draws (the sums done by hand).
DRAWS = {"A1": 0.125, "C1": 0.25, "D2": 3.0}           # A1 is RANDARRAY's first entry
ARRAY_REST = {"B1": 0.5, "A2": 0.75, "B2": 0.0625}     # the other entries of RANDARRAY(2,2)
DERIVED = {"D1": 0.125 + 0.5 + 0.75 + 0.0625 + 0.25 * 4, "E2": 6.0}


def _workbook(tmp_path: Path, cached: dict[str, float]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = ArrayFormula("A1:B2", "=RANDARRAY(2,2)")
    for address, value in ARRAY_REST.items():
        ws[address] = value  # an array formula's other cells hold only their cached values
    ws["C1"] = "=RAND()"
    ws["D1"] = "=SUM(A1:B2)+C1*4"
    ws["D2"] = "=RANDBETWEEN(1,6)"
    ws["E2"] = "=D2*2"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)

    def cache(xml: bytes) -> bytes:
        for address, value in cached.items():
            xml = re.sub(rf'(<c r="{address}"[^>]*>(?:<f[^>]*>[^<]*</f>)?)<v\s*/?>(?:</v>)?'.encode(),
                         rb"\g<1><v>" + repr(value).encode() + b"</v>", xml)
        return xml
    return with_part(plain, SHEET, cache, tmp_path / "cached.xlsx")


def test_what_the_draws_feed_is_compared(tmp_path: Path) -> None:
    book = Workbook.load(_workbook(tmp_path, {**DRAWS, **DERIVED}), replay_random=True)
    report = check(book)
    assert sorted(report.volatile) == ["S!A1", "S!C1", "S!D2"]
    assert report.replayed == 3
    assert report.mismatched == [] and report.matched == len(DERIVED)
    assert book.array("S!A1:B2").tolist() == [[0.125, 0.5], [0.75, 0.0625]]


def test_a_wrong_value_fed_by_a_draw_is_found(tmp_path: Path) -> None:
    book = Workbook.load(_workbook(tmp_path, {**DRAWS, **DERIVED, "E2": 7.0}), replay_random=True)
    assert [(m.cell, m.expected, m.got) for m in check(book).mismatched] == [("E2", 7.0, 6.0)]


@pytest.mark.parametrize("missing", sorted(DRAWS))
def test_a_draw_without_a_cached_value_draws_anew(tmp_path: Path, missing: str) -> None:
    """Nothing to replay: that draw is computed, and what it feeds is left out, not compared."""
    cached = {k: v for k, v in {**DRAWS, **DERIVED}.items() if k != missing}
    report = check(Workbook.load(_workbook(tmp_path, cached), replay_random=True))
    fed = {"A1": {"S!D1"}, "C1": {"S!D1"}, "D2": {"S!E2"}}[missing]
    assert report.replayed == 2 and report.mismatched == []
    assert set(report.volatile) == {f"S!{d}" for d in DRAWS} | fed


def test_without_replay_the_draws_are_new(tmp_path: Path) -> None:
    book = Workbook.load(_workbook(tmp_path, {**DRAWS, **DERIVED}), seed=5)
    report = check(book)
    assert report.replayed == 0 and report.matched == 0
    assert set(report.volatile) == {f"S!{d}" for d in (*DRAWS, *DERIVED)}
    assert book["S!C1"] != DRAWS["C1"]
