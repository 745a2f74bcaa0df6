"""Opening and computing the reference workbooks, end to end: the engine beside LibreOffice.

    python -m benchmarks.load [--json] [--repeat N]

For each reference workbook, in one run (each figure the median of N after one warm-up):
  - ``cellgrad eval PATH`` as a whole process (interpreter start, import, read, recalculate,
    compare with Excel's values), beside the interpreter starting and exiting (``python -c pass``);
  - in process, ``Workbook.load`` and then ``calculate``;
  - LibreOffice, warm (one office for the run): opening the file (``loadComponentFromURL``, timed
    around the request) and ``calculateAll`` (timed inside the UNO worker), on the package the
    engine reads (pivot tables left out, as LibreOffice would re-render them over formulas);
  - the peak resident memory of the ``cellgrad eval`` process (VmHWM from /proc/self/status).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from cellgrad import Workbook
from cellgrad.core.errors import CellgradError
from cellgrad.files.reader import package_without_pivot_tables
from cellgrad.hosts.libreoffice import LibreOffice

from .command import repeat_main
from .recalc import REFERENCE_DIR, REFERENCE_FILES, ROOT, median_seconds

TARGET_SPEEDUP = 1.5
TARGET_PEAK_MB = 100.0

# What `cellgrad eval` runs, then the process's peak RSS on stderr's last line.
EVAL_PEAK = """
import contextlib, io, sys
from cellgrad.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["eval", sys.argv[1]])
with open("/proc/self/status") as fh:
    peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
print(code, peak)
"""


def process(*args: str, file: str) -> Callable[[], str]:
    """A command run with this interpreter; its stdout, or a CellgradError when it fails."""
    def run() -> str:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT,
                              check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise CellgradError(f"{' '.join(args[:3])} failed: {last}", file=file)
        return done.stdout
    return run


def libreoffice_seconds(lo: LibreOffice, path: Path, repeat: int) -> tuple[float, float]:
    """Median (open, calculateAll) seconds of ``repeat`` fresh loads after one warm-up."""
    samples = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        doc = lo.open(path)
        opened = time.perf_counter() - start
        try:
            samples.append((opened, doc.calculate_all()))
        finally:
            doc.close()
    samples = samples[1:]
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def measure_workbook(lo: LibreOffice, path: Path, repeat: int) -> dict:
    name = str(path)
    eval_s = median_seconds(process("-m", "cellgrad", "eval", name, file=name), repeat)
    load_s = median_seconds(lambda: Workbook.load(path), repeat)
    book = Workbook.load(path)
    recalc_s = median_seconds(book.calculate, repeat)
    code, peak = process("-c", EVAL_PEAK, name, file=name)().split()
    if code != "0":
        raise CellgradError(f"cellgrad eval exited with {code}", file=name)
    package = Path(lo.session_dir) / path.name  # the package the engine reads, made once
    package.write_bytes(package_without_pivot_tables(name))
    lo_load, lo_calc = libreoffice_seconds(lo, package, repeat)
    engine = load_s + recalc_s
    office = lo_load + lo_calc
    return {"workbook": path.name, "formula_cells": sum(1 for c in book.cells() if c.node is not None),
            "eval_process_s": eval_s, "load_s": load_s, "recalc_s": recalc_s,
            "libreoffice_load_s": lo_load, "libreoffice_recalc_s": lo_calc,
            "libreoffice_over_load_and_recalc": office / engine,
            "libreoffice_over_eval_process": office / eval_s,
            "eval_peak_mb": float(peak)}


def run(repeat: int) -> dict:
    paths = [REFERENCE_DIR / name for name in REFERENCE_FILES]
    for path in paths:
        if not path.is_file():
            raise CellgradError("reference workbook missing (../shared/reference)", file=str(path))
    startup = median_seconds(process("-c", "pass", file=sys.executable), repeat)
    with LibreOffice() as lo:
        rows = [measure_workbook(lo, path, repeat) for path in paths]
    collab = next(r for r in rows if r["workbook"] == "collab_filter.xlsx")
    return {"repeat": repeat, "python_startup_s": startup, "workbooks": rows, "targets": {
        "collab_filter_load_and_recalc_1_5x_faster_than_libreoffice":
            collab["libreoffice_over_load_and_recalc"] >= TARGET_SPEEDUP,
        "collab_filter_eval_process_1_5x_faster_than_libreoffice":
            collab["libreoffice_over_eval_process"] >= TARGET_SPEEDUP,
        "peak_under_100_mb": all(r["eval_peak_mb"] < TARGET_PEAK_MB for r in rows)}}


def render(report: dict) -> str:
    lines = [f"Median of {report['repeat']} after one warm-up; LibreOffice warm (open + calculateAll)",
             f"{'workbook':<22}{'formulas':>9}{'eval ms':>9}{'load ms':>9}{'calc ms':>9}"
             f"{'LO open ms':>12}{'LO calc ms':>12}{'LO/(load+calc)':>16}{'LO/eval':>9}{'peak MB':>9}"]
    for r in report["workbooks"]:
        lines.append(f"{r['workbook']:<22}{r['formula_cells']:>9}{r['eval_process_s'] * 1e3:>9.0f}"
                     f"{r['load_s'] * 1e3:>9.1f}{r['recalc_s'] * 1e3:>9.1f}"
                     f"{r['libreoffice_load_s'] * 1e3:>12.1f}{r['libreoffice_recalc_s'] * 1e3:>12.1f}"
                     f"{r['libreoffice_over_load_and_recalc']:>16.2f}{r['libreoffice_over_eval_process']:>9.2f}"
                     f"{r['eval_peak_mb']:>9.1f}")
    lines += ["", f"python -c pass (the interpreter alone): {report['python_startup_s'] * 1e3:.0f} ms", ""]
    for target, met in report["targets"].items():
        lines.append(f"{target.replace('_', ' ')}: {'yes' if met else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return repeat_main("python -m benchmarks.load", __doc__, 7, run, render, argv)


if __name__ == "__main__":
    sys.exit(main())
