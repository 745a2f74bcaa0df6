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
import tempfile
import time

from ..core.errors import WorkbookError
from ..core.values import ExcelError
from ..files.atomic import write_bytes
from ..sheets.books import DEFINITIONS, handout, package
from ..workbook import Workbook


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"handouts to build (default: all of {', '.join(DEFINITIONS)})")
    parser.add_argument("--out", default=os.curdir, metavar="DIR",
                        help="directory to write into, created if missing (default: the current one)")


def _check_directory(directory: str) -> None:
    """Make it if missing, and fail before writing anything; a probe file, since os.access says
    yes to root."""
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise WorkbookError("output path is not a directory", file=directory)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"cannot create the output directory ({exc.strerror})", file=directory) from None
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise WorkbookError(f"output directory is not writable ({exc.strerror})", file=directory) from None


def _write(path: str, data: bytes) -> None:
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise WorkbookError(f"cannot write ({exc.strerror})", file=path) from None


def _report(path: str) -> str:
    """One line: the tabs with their formula cells, and what the engine made of them."""
    start = time.perf_counter()
    book = Workbook.load(path)
    computed = book.calculate()
    seconds = time.perf_counter() - start
    per_tab = [f"{name} {sum(1 for c in sheet.cells.values() if c.formula)}"
               for name, sheet in book.sheets.items()]
    errors = sum(1 for c in book.formula_cells() if isinstance(c.value, ExcelError))
    total = sum(1 for c in book.cells() if c.formula)
    return (f"{path}: {len(book.sheets)} tabs, {total} formula cells ({', '.join(per_tab)}); "
            f"engine computed {computed} in {seconds:.2f} s, {errors} error values")


def run(args: argparse.Namespace) -> int:
    books = [handout(name) for name in (args.names or list(DEFINITIONS))]
    _check_directory(args.out)
    packages = [(os.path.join(args.out, book.filename), package(book)) for book in books]
    for path, data in packages:
        _write(path, data)
    for path, _ in packages:
        print(_report(path))
    return 0
