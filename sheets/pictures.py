"""Pictures of the handouts as LibreOffice renders them, for the README.

    python -m cellgrad.sheets.pictures [--out docs]

Each picture is one tab of a handout, written from its definition with the other tabs hidden
and the page scaled to fit, converted by ``soffice --headless --convert-to pdf`` (through
:mod:`cellgrad.hosts.libreoffice`) and rasterized by ``pdftoppm``. LibreOffice computes every formula
on loading, so the pictures show computed values; the data tab draws new random x each time.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..core.errors import CellgradError
from ..files.atomic import atomic_path
from ..hosts.libreoffice import LibreOffice
from .books import handout
from .writer import to_openpyxl

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
# (workbook, tab, rows shown or None for the whole tab): the optimizer tabs' loss history runs to
# row 106, which would shrink the rest of the tab to an unreadable size on one page
PICTURES = (("collab_filter", "dotprod", None), ("graddesc", "data", None), ("graddesc", "basic", 60),
            ("graddesc", "adagrad", 60), ("entropy_example", "softmax", None))
RESOLUTION = 80  # dots per inch: a landscape A4 page is about 930 pixels wide


def picture_name(workbook: str, tab: str) -> str:
    return f"{workbook}-{tab}.png"


def _one_tab_file(workbook: str, tab: str, rows: int | None, directory: str) -> str:
    """The handout with only ``tab`` (its first ``rows`` rows) visible, scaled to one landscape page."""
    wb = to_openpyxl(handout(workbook))
    for ws in wb.worksheets:
        if ws.title != tab:
            ws.sheet_state = "hidden"
            # LibreOffice prints a hidden tab that has a print area: only the pictured tab keeps one
            ws.print_area = None
    ws = wb[tab]
    wb.active = wb.worksheets.index(ws)
    if rows is not None:
        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = os.path.join(directory, f"{workbook}-{tab}.xlsx")
    wb.save(path)
    return path


def _rasterize(pdf: str, png: Path) -> None:
    with atomic_path(str(png)) as tmp:
        stem = tmp[:-len(".png")]
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1",
                        "-singlefile", pdf, stem], check=True, capture_output=True)


def render(out: Path, pictures=PICTURES) -> list[Path]:
    """Write one PNG per (workbook, tab) into ``out``; returns their paths."""
    written = []
    with tempfile.TemporaryDirectory(prefix="cellgrad-pictures-") as work, LibreOffice() as lo:
        for workbook, tab, rows in pictures:
            pdf = lo.convert(_one_tab_file(workbook, tab, rows, work), "pdf", work)
            png = out / picture_name(workbook, tab)
            _rasterize(pdf, png)
            written.append(png)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cellgrad.sheets.pictures", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS_DIR, help="directory for the PNGs (default docs/)")
    args = parser.parse_args(argv)
    if not args.out.is_dir():
        print(f"cellgrad.sheets.pictures: {args.out}: output directory does not exist", file=sys.stderr)
        return 2
    try:
        for png in render(args.out):
            print(png)
    except (CellgradError, subprocess.CalledProcessError) as exc:
        print(f"cellgrad.sheets.pictures: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
