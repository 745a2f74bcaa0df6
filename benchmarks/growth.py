"""How load, recalculation and memory grow with the workbook: the engine beside LibreOffice.

    python -m benchmarks.growth [--sizes 10,30,100] [--json] [--plot docs/growth.png]

For each size k, openpyxl writes the lesson's movielens_1hot computation with k times its 206
ratings (users, movies and factors stay 15, 15 and 5, so the one-hot blocks keep their width):
MATCH for each rating's user and movie index, the two one-hot blocks ``=IF($K3=O$2,1,0)``, the
two MMULT array formulas that turn them into embeddings, SUMPRODUCT predictions, squared errors
and the RMSE. The weights are constants (seeded), as the file has no dotprod tab to read. At
k = 100 that is 20,600 ratings and about 920,000 formula cells (array members counted).

Per size, in one run: the engine in a fresh process (``Workbook.load``, then ``calculate``; peak
RSS from /proc/self/status), and LibreOffice (warm office: opening the file, then
``calculateAll``, timed inside its worker; the soffice processes' peak RSS, VmHWM, read after
each size, which grow in size order). openpyxl writes no cached values, so LibreOffice computes
formulas on load as well. The costs are fitted in log-log against the formula-cell count: a
slope of 1 is linear growth.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from cellgrad.core.errors import CellgradError
from cellgrad.hosts.libreoffice import LibreOffice
from cellgrad.sheets import collab
from cellgrad.sheets import lesson_data as data
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from .command import emit
from .peer import office_peak_mb, open_and_calculate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (10, 30, 100)
LESSON_RATINGS = len(collab.LONG_ROWS)
TARGET_PEAK_MB = 1536.0
FIRST_ROW = 3  # the ratings' first row, as on the tab
USER_COLS = [get_column_letter(15 + j) for j in range(collab.N)]    # O..AC
MOVIE_COLS = [get_column_letter(37 + j) for j in range(collab.N)]   # AK..AY

ENGINE_PROBE = """
import json, sys, time

def peak_mb():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024

def rss_mb():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024

import cellgrad
after_import = rss_mb()
start, cpu = time.perf_counter(), time.process_time()
book = cellgrad.Workbook.load(sys.argv[1])
loaded = time.perf_counter()
book.calculate()
done, cpu = time.perf_counter(), time.process_time() - cpu
cells = sum(1 for c in book.formula_cells())
print(json.dumps({"load_s": loaded - start, "recalc_s": done - loaded, "cpu_s": cpu, "peak_mb": peak_mb(),
                  "import_mb": after_import, "formula_cells": cells, "rmse": book["movielens_1hot!BH" + sys.argv[2]]}))
"""


def build(path: Path, k: int) -> int:
    """Write the movielens_1hot computation with k times the lesson's ratings; returns the row
    of the RMSE cell."""
    rng = random.Random(k)
    ratings = collab.long_ratings() * k
    last = FIRST_ROW + len(ratings) - 1
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("movielens_1hot")
    rows: dict[int, dict[int, object]] = {}

    def put(row: int, col: int, value: object) -> None:
        rows.setdefault(row, {})[col] = value

    put(2, 2, "Users")
    for i, user in enumerate(data.USERS):
        put(4 + i, 1, i + 1)
        put(4 + i, 2, user)
        for f in range(collab.FACTORS):
            put(4 + i, 3 + f, rng.random())
    for j, movie in enumerate(data.MOVIES):
        put(22 + j, 1, j + 1)
        put(22 + j, 2, movie)
        for f in range(collab.FACTORS):
            put(22 + j, 3 + f, rng.random())
    for j in range(collab.N):  # the one-hot headers 1..15
        put(2, 15 + j, 1 if j == 0 else f"={USER_COLS[j - 1]}2+1")
        put(2, 37 + j, 1 if j == 0 else f"={MOVIE_COLS[j - 1]}2+1")
    for r, (user, movie, rating) in enumerate(ratings, start=FIRST_ROW):
        cells = rows.setdefault(r, {})
        cells.update({9: user, 10: movie, 11: f"=MATCH(I{r},$B$4:$B$18)",
                      12: f"=MATCH(J{r},$B$22:$B$36)", 13: rating})
        for j, col in enumerate(USER_COLS):
            cells[15 + j] = f"=IF($K{r}={col}$2,1,0)"
        for j, col in enumerate(MOVIE_COLS):
            cells[37 + j] = f"=IF($L{r}={col}$2,1,0)"
        cells[59] = f"=SUMPRODUCT(AE{r}:AI{r},BA{r}:BE{r})"
        cells[60] = f"=(BG{r}-M{r})^2"
    put(FIRST_ROW, 31, ArrayFormula(f"AE3:AI{last}", f"=MMULT(O3:AC{last},C4:G18)"))
    put(FIRST_ROW, 53, ArrayFormula(f"BA3:BE{last}", f"=MMULT(AK3:AY{last},C22:G36)"))
    put(last + 2, 60, f"=SQRT(AVERAGE(BH3:BH{last + 1}))")
    for r in range(1, max(rows) + 1):
        cells = rows.get(r, {})
        ws.append([cells.get(c) for c in range(1, max(cells, default=0) + 1)])
    book.save(path)
    return last + 2


def engine(path: Path, rmse_row: int) -> dict:
    done = subprocess.run([sys.executable, "-c", ENGINE_PROBE, str(path), str(rmse_row)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise CellgradError(f"the engine's probe failed: {last}", file=str(path))
    return json.loads(done.stdout)


def libreoffice(lo: LibreOffice, path: Path, rmse_row: int) -> dict:
    found = open_and_calculate(lo, path, lambda doc: doc.get("movielens_1hot", f"BH{rmse_row}")[0][0])
    return {"load_s": found["load_s"], "recalc_s": found["recalc_s"], "cpu_s": found["cpu_s"],
            "peak_mb": office_peak_mb(lo), "rmse": found["read"]}


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) against log(x); None with fewer than two sizes."""
    if len(xs) < 2:
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def run(sizes: list[int]) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="cellgrad-growth-") as tmp, LibreOffice() as lo:
        warm_up = Path(tmp) / "warm-up.xlsx"
        libreoffice(lo, warm_up, build(warm_up, 1))  # the office's first document costs more
        for k in sorted(sizes):
            path = Path(tmp) / f"movielens_1hot_x{k}.xlsx"
            start = time.perf_counter()
            rmse_row = build(path, k)
            built = time.perf_counter() - start
            ours = engine(path, rmse_row)
            theirs = libreoffice(lo, path, rmse_row)
            if not math.isclose(ours["rmse"], theirs["rmse"], rel_tol=1e-9):
                raise CellgradError(f"RMSE {ours['rmse']!r} (engine) and {theirs['rmse']!r} "
                                    "(LibreOffice) differ by more than 1e-9", file=str(path))
            path.unlink()
            rows.append({"size": k, "ratings": LESSON_RATINGS * k, "formula_cells": ours["formula_cells"],
                         "build_s": built, "engine": ours, "libreoffice": theirs})
    cells = [r["formula_cells"] for r in rows]
    fits = {f"{who}_{what}": slope(cells, [r[who][what] for r in rows])
            for who in ("engine", "libreoffice") for what in ("load_s", "recalc_s", "cpu_s")}
    # the workbook's own memory: the peak less what the interpreter and the engine's code take
    fits["engine_memory"] = slope(cells, [r["engine"]["peak_mb"] - r["engine"]["import_mb"] for r in rows])
    largest = rows[-1]
    return {"sizes": rows, "loglog_slopes": fits, "targets": {
        "largest_within_libreoffice_time":
            largest["engine"]["load_s"] + largest["engine"]["recalc_s"]
            <= largest["libreoffice"]["load_s"] + largest["libreoffice"]["recalc_s"],
        "largest_under_1_5_gb": largest["engine"]["peak_mb"] < TARGET_PEAK_MB}}


def render(report: dict) -> str:
    lines = ["movielens_1hot at k times the lesson's ratings: the engine (fresh process) beside "
             "LibreOffice (warm office); CPU: the engine's process, soffice's processes",
             f"{'k':>4}{'formulas':>10}{'load s':>9}{'recalc s':>10}{'CPU s':>8}{'peak MB':>9}"
             f"{'LO load s':>11}{'LO calc s':>11}{'LO CPU s':>10}{'LO peak MB':>12}"
             f"{'LO/engine':>11}{'(CPU)':>7}"]
    for r in report["sizes"]:
        ours, theirs = r["engine"], r["libreoffice"]
        wall = (theirs["load_s"] + theirs["recalc_s"]) / (ours["load_s"] + ours["recalc_s"])
        lines.append(f"{r['size']:>4}{r['formula_cells']:>10}{ours['load_s']:>9.2f}"
                     f"{ours['recalc_s']:>10.3f}{ours['cpu_s']:>8.2f}{ours['peak_mb']:>9.0f}"
                     f"{theirs['load_s']:>11.2f}{theirs['recalc_s']:>11.3f}{theirs['cpu_s']:>10.2f}"
                     f"{theirs['peak_mb']:>12.0f}{wall:>11.2f}{theirs['cpu_s'] / ours['cpu_s']:>7.2f}")
    lines.append("")
    lines.append("log-log slope against formula cells (1 = linear): " + ", ".join(
        f"{name.replace('_s', '').replace('_', ' ')} {value:.2f}"
        for name, value in report["loglog_slopes"].items() if value is not None))
    for target, met in report["targets"].items():
        lines.append(f"{target.replace('_', ' ')}: {'yes' if met else 'NO'}")
    return "\n".join(lines)


def plot(report: dict, out: Path) -> None:
    """Time and memory against formula cells, log-log, the engine beside LibreOffice."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cellgrad.files.atomic import atomic_path

    cells = [r["formula_cells"] for r in report["sizes"]]
    fig, (times, memory) = plt.subplots(1, 2, figsize=(10, 4))
    for who, label, color in (("engine", "cellgrad", "tab:blue"), ("libreoffice", "LibreOffice", "tab:orange")):
        for what, style in (("load_s", "-o"), ("recalc_s", "--s")):
            times.plot(cells, [r[who][what] for r in report["sizes"]], style, color=color,
                       label=f"{label} {'load' if what == 'load_s' else 'recalculation'}")
        memory.plot(cells, [r[who]["peak_mb"] for r in report["sizes"]], "-o", color=color,
                    label=f"{label} peak RSS")
    times.set(xscale="log", yscale="log", xlabel="formula cells", ylabel="seconds",
              title="movielens_1hot, k x the lesson's ratings")
    memory.set(xscale="log", yscale="log", xlabel="formula cells", ylabel="MB", title="peak memory")
    for ax in (times, memory):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(str(out)) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.growth", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated multiples of the lesson's ratings (default 10,30,100)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", type=Path, metavar="PNG", help="write the log-log plot there")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 10,30,100")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be at least 1")

    def produce() -> dict:
        report = run(sizes)
        if args.plot is not None:
            plot(report, args.plot)
        return report
    return emit(produce, render, args.json)


if __name__ == "__main__":
    sys.exit(main())
