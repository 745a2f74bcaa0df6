"""``cellgrad eval`` on files whose cached values are missing (openpyxl's handouts) or are the
engine's own (graddesc.xlsm): one line, exit 2; ``--against libreoffice`` compares with
LibreOffice's recalculation instead, and can fail."""
from __future__ import annotations

import json

import pytest
from cellgrad.cli.main import main

from .conftest import ROOT, reference_path

WORKBOOKS = ROOT / "workbooks"


@pytest.mark.parametrize("file, reason", [
    ("entropy_example.xlsx", "carries no cached values (as openpyxl writes files)"),
    ("collab_filter.xlsx", "carries no cached values (as openpyxl writes files)"),
    ("graddesc.xlsm", "its cached values were written by cellgrad's engine"),
])
def test_nothing_to_compare_with_is_one_line(capsys, file, reason):
    assert main(["eval", str(WORKBOOKS / file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and reason in captured.err
    assert captured.err.strip().endswith("use --against libreoffice")


@pytest.mark.libreoffice
@pytest.mark.parametrize("file", ["entropy_example.xlsx", "graddesc.xlsm"])
def test_against_libreoffice_on_the_handouts(soffice, capsys, file):
    assert main(["eval", str(WORKBOOKS / file), "--against", "libreoffice", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mismatched"] == [] and report["matched"] > 0
    assert report["matched"] + len(report["volatile"]) == report["formula_cells"]


@pytest.mark.libreoffice
def test_against_libreoffice_reports_where_it_differs(soffice, capsys):
    """LibreOffice's SUMXMY2 counts empty cells as zeros (bias!V42, README): a mismatch, exit 1."""
    assert main(["eval", str(reference_path("collab_filter.xlsx")), "--against", "libreoffice"]) == 1
    out = capsys.readouterr().out
    assert "matched LibreOffice's recalculation, 1 cells mismatched" in out
    assert "mismatch bias!V42 =" in out and ": LibreOffice 0.857" in out
