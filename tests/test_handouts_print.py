"""Every tab of the committed handouts prints on one or two pages: a print area that holds all
its cells, fitted to one page wide; LibreOffice's PDF of each handout has as many pages."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from cellgrad.core.references import Range
from cellgrad.files.reader import read_cells
from cellgrad.files.writer import sheet_parts
from cellgrad.sheets.books import handout
from defusedxml import ElementTree

from .conftest import ROOT, require

WORKBOOKS = ROOT / "workbooks"
FILES = ["collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _setups(path) -> dict[str, tuple[Range, int, int]]:
    """Sheet -> (print area, pages wide, pages tall) as the package stores them."""
    with zipfile.ZipFile(path) as package:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        sheets = [s.get("name") for s in workbook.iter(f"{MAIN}sheet")]
        areas = {sheets[int(d.get("localSheetId"))]: d.text for d in workbook.iter(f"{MAIN}definedName")
                 if d.get("name") == "_xlnm.Print_Area"}
        out = {}
        for sheet, part in sheet_parts(package).items():
            xml = ElementTree.fromstring(package.read(part))
            fit = xml.find(f"{MAIN}sheetPr/{MAIN}pageSetUpPr")
            assert fit is not None and fit.get("fitToPage") == "1", sheet
            setup = xml.find(f"{MAIN}pageSetup")
            sheet_name, cells = areas[sheet].rsplit("!", 1)
            out[sheet] = (Range.parse(cells.replace("$", ""), sheet),
                          int(setup.get("fitToWidth", "1")), int(setup.get("fitToHeight", "1")))
    return out


@pytest.mark.parametrize("file", FILES)
def test_each_tab_prints_its_cells_on_one_or_two_pages(file):
    setups = _setups(WORKBOOKS / file)
    sheets, _, _ = read_cells(str(WORKBOOKS / file))
    assert sorted(setups) == sorted(s.name for s in sheets)
    for sheet in sheets:
        area, wide, tall = setups[sheet.name]
        assert (area.r1, area.c1) == (1, 1) and wide == 1 and tall in (1, 2), sheet.name
        outside = [c.address for c in sheet.cells.values()
                   if not (c.row <= area.r2 and c.col <= area.c2)]
        assert outside == [], sheet.name


@pytest.mark.libreoffice
@pytest.mark.parametrize("file", FILES)
def test_libreoffice_prints_each_tab_on_at_most_its_pages(office, tmp_path, file):
    require(subprocess.run(["which", "pdfinfo"], capture_output=True).returncode == 0,
            "pdfinfo is missing (apt-get install poppler-utils)")
    pdf = office.convert(WORKBOOKS / file, "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    tabs = handout(file).tabs
    most = sum(tall for _, _, tall in _setups(WORKBOOKS / file).values())
    assert len(tabs) <= pages <= most
