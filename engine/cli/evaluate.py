"""``cellgrad eval PATH [--json] [--fresh-random SEED]``: the engine against the values Excel cached.

By default each random draw (RAND, RANDBETWEEN, RANDARRAY) takes the value Excel cached, so every
cell that depends on the draws is compared too; only the draw cells themselves are left out.
``--fresh-random SEED`` draws new numbers instead, and leaves out everything they feed.

A file without cached values (openpyxl's, the handouts) has nothing to compare with, and one
whose cached values cellgrad wrote would compare the engine with itself: eval says so in one
line (exit 2). ``--against libreoffice`` compares instead with LibreOffice's recalculation of
the file (within 1e-9 relative, the tolerance across engines; random draws left out)."""
from __future__ import annotations

import argparse
import json
import re
import zipfile

from ..conformance import check
from ..core.errors import WorkbookError
from ..workbook import Workbook

ACROSS_ENGINES = 1e-9  # relative, float64: the engine against another spreadsheet
_CREATOR = re.compile(rb"<dc:creator>([^<]*)</dc:creator>")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="an .xlsx or .xlsm workbook (never modified)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", type=int, default=20, metavar="N",
                        help="list at most N mismatched cells (default 20)")
    parser.add_argument("--fresh-random", type=int, metavar="SEED",
                        help="draw new random numbers with this seed instead of replaying the "
                             "draws Excel cached (their dependents are then left out)")
    parser.add_argument("--against", choices=("excel", "libreoffice"), default="excel",
                        help="compare with the values Excel cached in the file (default), or with "
                             "LibreOffice's recalculation of it")


def run(args: argparse.Namespace) -> int:
    fresh = args.fresh_random is not None
    libreoffice = args.against == "libreoffice"
    book = Workbook.load(args.path, seed=args.fresh_random if fresh else 0,
                         replay_random=not (fresh or libreoffice))
    if libreoffice:
        shown = _libreoffice_values(args.path)
        report = check(book, lambda c: shown.get((c.sheet, c.address)), rel=ACROSS_ENGINES)
    else:
        if not book.unsupported:  # an unknown function is the first thing to say (exit 1)
            _require_excels_values(book, args.path)
        report = check(book)
    if args.json:
        print(json.dumps(report.as_json(), default=str))
    else:
        compared = report.formula_cells - len(report.volatile)
        source = "LibreOffice's recalculation" if libreoffice else "Excel's cached values"
        print(f"{args.path}: {report.formula_cells} formula cells, {report.matched} matched "
              f"{source}, {len(report.mismatched)} cells mismatched, "
              f"{len(report.volatile)} random cells left out ({report.replayed} draws replayed "
              f"from Excel's cached values); {compared} compared in {report.seconds * 1000:.1f} ms")
        for m in report.mismatched[:args.show]:
            print(f"  mismatch {m.sheet}!{m.cell} ={m.formula.lstrip('=')}: "
                  f"{'LibreOffice' if libreoffice else 'Excel'} {m.expected!r}, "
                  f"engine {m.got!r}")
        if len(report.mismatched) > args.show:
            print(f"  ... and {len(report.mismatched) - args.show} more")
    # an unsupported function was a one-line warning from calculate() (cellgrad.cli.main)
    return 0 if report.ok else 1


def _require_excels_values(book: Workbook, path: str) -> None:
    """Refuse, in one line, a file whose cached values are missing or are cellgrad's own."""
    formulas = [c for c in book.cells() if c.formula is not None]
    if formulas and all(c.cached is None for c in formulas):
        raise WorkbookError("carries no cached values (as openpyxl writes files): nothing to compare "
                            "with; use --against libreoffice", file=path)
    with zipfile.ZipFile(path) as package:
        core = package.read("docProps/core.xml") if "docProps/core.xml" in package.namelist() else b""
    creator = _CREATOR.search(core)
    if creator is not None and creator.group(1) == b"cellgrad":
        raise WorkbookError("its cached values were written by cellgrad's engine, so comparing them "
                            "would compare the engine with itself; use --against libreoffice", file=path)


def _libreoffice_values(path: str) -> dict:
    """Every formula cell's value after LibreOffice recalculates the file (pivot tables left out:
    Calc redraws them over their output ranges on load)."""
    from ..hosts.libreoffice import LibreOffice
    with LibreOffice() as office:
        doc = office.open(path, pivot_tables=False)
        doc.calculate_all()
        return doc.formula_values()
