"""Opening and computing the reference workbooks, end to end: the engine beside LibreOffice.

    python -m benchmarks.load [--json] [--repeat N]

For each reference workbook, in one run (each figure the median of N after one warm-up):
  - ``cellgrad eval PATH`` as a whole process (interpreter start, import, read, recalculate,
    compare with Excel's values), beside the interpreter starting and exiting (``python -c pass``)
    and a process that only imports the command line (``import cellgrad.cli.main``);
  - in process, ``Workbook.load``, ``calculate``, and both together (wall and CPU time; the
    previous workbook's garbage collected before each, untimed, as LibreOffice's closing is);
  - LibreOffice, warm (one office for the run): opening the file (``loadComponentFromURL``, timed
    around the request) and ``calculateAll`` (timed inside the UNO worker), and the CPU time
    soffice spent on both, on the package the engine reads (pivot tables left out, as
    LibreOffice would re-render them over formulas);
  - the peak resident memory of the ``cellgrad eval`` process (VmHWM from /proc/self/status).
"""
from __future__ import annotations

import gc
import resource
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
from .peer import open_and_calculate
from .recalc import REFERENCE_DIR, REFERENCE_FILES, ROOT

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


def timed(run: Callable[[], object], repeat: int, cpu_clock: Callable[[], float]) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` calls after one warm-up call. What the previous
    call left (a workbook, whose cycles only the cyclic collector frees) is collected before
    each call, outside the timing, as LibreOffice closes each document outside its timing."""
    run()
    samples = []
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), cpu_clock()
        run()
        samples.append((time.perf_counter() - start, cpu_clock() - cpu))
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def children_cpu() -> float:
    """CPU seconds used by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def libreoffice(lo: LibreOffice, path: Path, repeat: int) -> dict:
    """Median open, calculateAll and soffice CPU seconds of ``repeat`` loads after one warm-up."""
    samples = [open_and_calculate(lo, path) for _ in range(repeat + 1)][1:]
    return {key: statistics.median(s[key] for s in samples) for key in ("load_s", "recalc_s", "cpu_s")}


def measure_workbook(lo: LibreOffice, path: Path, repeat: int) -> dict:
    name = str(path)
    eval_s, eval_cpu = timed(process("-m", "cellgrad", "eval", name, file=name), repeat, children_cpu)
    load_s, _ = timed(lambda: Workbook.load(path), repeat, time.process_time)
    book = Workbook.load(path)
    recalc_s, _ = timed(book.calculate, repeat, time.process_time)
    both_s, both_cpu = timed(lambda: Workbook.load(path).calculate(), repeat, time.process_time)
    code, peak = process("-c", EVAL_PEAK, name, file=name)().split()
    if code != "0":
        raise CellgradError(f"cellgrad eval exited with {code}", file=name)
    package = Path(lo.session_dir) / path.name  # the package the engine reads, made once
    package.write_bytes(package_without_pivot_tables(name))
    office = libreoffice(lo, package, repeat)
    office_s = office["load_s"] + office["recalc_s"]
    return {"workbook": path.name, "formula_cells": sum(1 for c in book.cells() if c.node is not None),
            "eval_process_s": eval_s, "eval_process_cpu_s": eval_cpu,
            "load_s": load_s, "recalc_s": recalc_s, "load_and_recalc_s": both_s,
            "load_and_recalc_cpu_s": both_cpu,
            "libreoffice_load_s": office["load_s"], "libreoffice_recalc_s": office["recalc_s"],
            "libreoffice_cpu_s": office["cpu_s"],
            "libreoffice_over_load_and_recalc": office_s / both_s,
            "libreoffice_over_load_and_recalc_cpu": office["cpu_s"] / both_cpu,
            "libreoffice_over_eval_process": office_s / eval_s,
            "eval_peak_mb": float(peak)}


def run(repeat: int) -> dict:
    paths = [REFERENCE_DIR / name for name in REFERENCE_FILES]
    for path in paths:
        if not path.is_file():
            raise CellgradError("reference workbook missing (../shared/reference)", file=str(path))
    startup, _ = timed(process("-c", "pass", file=sys.executable), repeat, children_cpu)
    imports, _ = timed(process("-c", "import cellgrad.cli.main", file=sys.executable), repeat, children_cpu)
    with LibreOffice() as lo:
        rows = [measure_workbook(lo, path, repeat) for path in paths]
    collab = next(r for r in rows if r["workbook"] == "collab_filter.xlsx")
    return {"repeat": repeat, "python_startup_s": startup, "import_process_s": imports,
            "workbooks": rows, "targets": {
        "collab_filter_load_and_recalc_1_5x_faster_than_libreoffice":
            collab["libreoffice_over_load_and_recalc"] >= TARGET_SPEEDUP,
        "collab_filter_load_and_recalc_1_5x_less_cpu_than_libreoffice":
            collab["libreoffice_over_load_and_recalc_cpu"] >= TARGET_SPEEDUP,
        "collab_filter_eval_process_1_5x_faster_than_libreoffice":
            collab["libreoffice_over_eval_process"] >= TARGET_SPEEDUP,
        "peak_under_100_mb": all(r["eval_peak_mb"] < TARGET_PEAK_MB for r in rows)}}


def render(report: dict) -> str:
    lines = [f"Median of {report['repeat']} after one warm-up; LibreOffice warm (open + calculateAll); "
             "CPU: this process's, soffice's",
             f"{'workbook':<22}{'formulas':>9}{'eval ms':>9}{'load ms':>9}{'calc ms':>9}{'both ms':>9}"
             f"{'CPU ms':>8}{'LO open':>9}{'LO calc':>9}{'LO CPU':>8}{'LO/both':>9}{'(CPU)':>7}"
             f"{'LO/eval':>9}{'peak MB':>9}"]
    for r in report["workbooks"]:
        lines.append(f"{r['workbook']:<22}{r['formula_cells']:>9}{r['eval_process_s'] * 1e3:>9.0f}"
                     f"{r['load_s'] * 1e3:>9.1f}{r['recalc_s'] * 1e3:>9.1f}{r['load_and_recalc_s'] * 1e3:>9.1f}"
                     f"{r['load_and_recalc_cpu_s'] * 1e3:>8.0f}{r['libreoffice_load_s'] * 1e3:>9.1f}"
                     f"{r['libreoffice_recalc_s'] * 1e3:>9.1f}{r['libreoffice_cpu_s'] * 1e3:>8.0f}"
                     f"{r['libreoffice_over_load_and_recalc']:>9.2f}"
                     f"{r['libreoffice_over_load_and_recalc_cpu']:>7.2f}{r['libreoffice_over_eval_process']:>9.2f}"
                     f"{r['eval_peak_mb']:>9.1f}")
    lines += ["", f"python -c pass (the interpreter alone): {report['python_startup_s'] * 1e3:.0f} ms; "
              f"python -c 'import cellgrad.cli.main': {report['import_process_s'] * 1e3:.0f} ms", ""]
    for target, met in report["targets"].items():
        lines.append(f"{target.replace('_', ' ')}: {'yes' if met else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return repeat_main("python -m benchmarks.load", __doc__, 7, run, render, argv)


if __name__ == "__main__":
    sys.exit(main())
