"""Milliseconds per epoch of Run on the adam tab: the engine beside LibreOffice, in the same run.

    python -m benchmarks.epochs [--epochs N] [--lo-epochs N] [--profile]

Both perform the same statements of adam's ``somesteps`` (manual calculation, four paste-values
and a Calculate per epoch) through the same interpreter; LibreOffice gets them through UNO,
batched up to each read. Two figures per spreadsheet: the bare macro (what pressing Run costs)
and a full ``cellgrad run`` epoch (the macro plus reading a, b, loss, lr and checking every
state cell for NaN). The issue's target for the engine is 0.2 ms per epoch; the ratio is what
says whether it is met on this machine, since LibreOffice is measured beside it.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from pathlib import Path
from typing import Callable

from cellgrad.core.references import Range
from cellgrad.hosts.libreoffice import LibreOffice
from cellgrad.hosts.libreoffice_sheet import LibreOfficeSheet
from cellgrad.macros import EngineSheet, EpochLoop, SheetAdapter, Training
from cellgrad.macros.adapter import Grid
from cellgrad.workbook import Workbook

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "fastai-course-v3" / "graddesc.xlsm"
TAB = "adam"
TARGET_MS = 0.2
WARM_UP = 5


def _per_epoch(sheet: SheetAdapter, epochs: int, *, full: bool, flush: Callable[[], None]) -> float:
    """Milliseconds per epoch of Run, after a few epochs of warm-up."""
    training = Training(sheet)
    training.run(WARM_UP)
    flush()
    start = time.perf_counter()
    if full:
        training.run(epochs)
    else:
        training.runner.call("somesteps", EpochLoop(epochs, lambda k: None))
    flush()
    return (time.perf_counter() - start) * 1000 / epochs


def engine_figures(epochs: int) -> dict[str, float]:
    out = {}
    for full in (False, True):
        book = Workbook.load(REFERENCE)
        out["full" if full else "macro"] = _per_epoch(EngineSheet(book, TAB), epochs, full=full,
                                                      flush=lambda: None)
    return out


def office_figures(epochs: int) -> dict[str, float]:
    out = {}
    resolve = EngineSheet(Workbook.load(REFERENCE), TAB).resolve
    with LibreOffice() as office:
        for full in (False, True):
            doc = office.open(REFERENCE)
            sheet = LibreOfficeSheet(doc, TAB, resolve)
            out["full" if full else "macro"] = _per_epoch(sheet, epochs, full=full, flush=sheet.flush)
            doc.close()
    return out


class _TimedSheet(EngineSheet):
    """The engine adapter, timing what the engine does for the runner."""

    def __init__(self, book: Workbook, sheet: str) -> None:
        super().__init__(book, sheet)
        self.seconds = {"recalculation": 0.0, "writes": 0.0}

    def calculate_sheet(self) -> None:
        start = time.perf_counter()
        super().calculate_sheet()
        self.seconds["recalculation"] += time.perf_counter() - start

    def write(self, area: Range, rows: Grid) -> None:
        start = time.perf_counter()
        super().write(area, rows)
        self.seconds["writes"] += time.perf_counter() - start


def breakdown(epochs: int) -> dict[str, float]:
    """Milliseconds per bare Run epoch spent in the engine's recalculation, its writes, and the
    rest (the interpreter and its reads)."""
    sheet = _TimedSheet(Workbook.load(REFERENCE), TAB)
    training = Training(sheet)
    training.run(WARM_UP)
    sheet.seconds = dict.fromkeys(sheet.seconds, 0.0)
    start = time.perf_counter()
    training.runner.call("somesteps", EpochLoop(epochs, lambda k: None))
    total = (time.perf_counter() - start) * 1000 / epochs
    out = {k: v * 1000 / epochs for k, v in sheet.seconds.items()}
    out["interpreter and reads"] = total - sum(out.values())
    return out


def profile(epochs: int) -> str:
    """Where the engine's time goes in bare Run epochs: the top functions by own time."""
    training = Training(EngineSheet(Workbook.load(REFERENCE), TAB))
    training.run(WARM_UP)
    profiler = cProfile.Profile()
    profiler.enable()
    training.runner.call("somesteps", EpochLoop(epochs, lambda k: None))
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
    return text.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.epochs", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2000, help="engine epochs timed (default 2000)")
    parser.add_argument("--lo-epochs", type=int, default=100, help="LibreOffice epochs timed (default 100)")
    parser.add_argument("--profile", action="store_true", help="print the engine's profile too")
    args = parser.parse_args(argv)
    engine = engine_figures(args.epochs)
    office = office_figures(args.lo_epochs)
    print(f"Run on {REFERENCE.name} {TAB} (somesteps, manual calculation), ms per epoch")
    print(f"{'':28}{'engine':>10}{'LibreOffice':>14}{'LO / engine':>13}")
    for key, label in (("macro", "macro statements only"), ("full", "cellgrad run epoch")):
        print(f"{label:28}{engine[key]:>10.4f}{office[key]:>14.3f}{office[key] / engine[key]:>12.1f}x")
    parts = breakdown(args.epochs)
    print("engine, bare macro epoch: " + ", ".join(f"{k} {v:.4f} ms" for k, v in parts.items()))
    met = "met" if engine["macro"] <= TARGET_MS else "NOT met"
    print(f"target: engine <= {TARGET_MS} ms per epoch (bare macro): {met}")
    if args.profile:
        print(profile(args.epochs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
