"""``cellgrad build [NAME ...] [--out DIR]``: write the lesson's handouts from their definitions.

The handouts go into ``--out`` (created if missing) or the current directory: the definitions
travel with the installed package, the files are the user's. (The repository's own copies are
refreshed with ``cellgrad build --out workbooks``.) Every package is made in memory first and
the output directory checked before anything is written, so a bad name or an unwritable
directory leaves no partial handout behind; each file then replaces its old version
atomically. The engine recomputes each written file as a check.
"""
from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

from ..core.values import ExcelError
from ..files.atomic import make_directory, write_bytes
from ..sheets.books import DEFINITIONS, handout, package
from ..workbook import Workbook
from .progress import Progress, verdict


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"handouts to build (default: all of {', '.join(DEFINITIONS)})")
    parser.add_argument("--out", default=os.curdir, metavar="DIR",
                        help="directory to write into, created if missing (default: the current one)")


@dataclass
class Report:
    """What the engine made of a written handout."""
    path: str
    tabs: dict[str, int]   # tab -> formula cells
    computed: int
    seconds: float
    errors: int            # formula cells whose value is an error

    def line(self) -> str:
        per_tab = ", ".join(f"{name} {n}" for name, n in self.tabs.items())
        return (f"{self.path}: {len(self.tabs)} tabs, {sum(self.tabs.values())} formula cells "
                f"({per_tab}); engine computed {self.computed} in {self.seconds:.2f} s, "
                f"{self.errors} error values")


def _report(path: str) -> Report:
    start = time.perf_counter()
    book = Workbook.load(path)
    computed = book.calculate()
    seconds = time.perf_counter() - start
    tabs = {name: sum(1 for c in sheet.cells.values() if c.formula) for name, sheet in book.sheets.items()}
    errors = sum(1 for c in book.formula_cells() if isinstance(c.value, ExcelError))
    return Report(path, tabs, computed, seconds, errors)


def run(args: argparse.Namespace) -> int:
    names = args.names or list(DEFINITIONS)
    steps = 3 * len(names)  # per handout: definition and reset, package, the engine's check
    with Progress(steps, "steps", label="build") as bar:
        books = []
        for i, name in enumerate(names):
            bar.update(i, f"{name}: definition and reset")
            books.append(handout(name))
        make_directory(args.out)
        packages = []
        for i, book in enumerate(books):
            bar.update(len(names) + i, f"{book.filename}: package")
            packages.append((os.path.join(args.out, book.filename), package(book)))
        for path, data in packages:
            write_bytes(path, data)
        reports = []
        for i, (path, _) in enumerate(packages):
            bar.update(2 * len(names) + i, f"{os.path.basename(path)}: engine check")
            reports.append(_report(path))
        bar.update(steps)
    for report in reports:
        print(report.line())
    errors = sum(r.errors for r in reports)
    cells = sum(sum(r.tabs.values()) for r in reports)
    handouts = f"{len(reports)} handout" + ("s" if len(reports) != 1 else "")
    verdict(f"{handouts} written to {args.out}: {cells:,} formula cells, "
            f"{errors} error values")
    return 0
