"""The README's load and growth figures come from these commands: they must keep working (run
here with the smallest repeat and sizes; no timing is asserted, memory is)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import reference_path

ROOT = Path(__file__).resolve().parents[1]


def benchmark(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", *args, "--json"], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_load_benchmark_reports_every_workbook(soffice: str) -> None:
    for name in ("collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"):
        reference_path(name)
    report = benchmark("benchmarks.load", "--repeat", "1")
    assert [r["workbook"] for r in report["workbooks"]] == ["collab_filter.xlsx", "graddesc.xlsm",
                                                            "entropy_example.xlsx"]
    assert [r["formula_cells"] for r in report["workbooks"]] == [10879, 1623, 75]
    for row in report["workbooks"]:
        assert row["eval_peak_mb"] < 100  # issue 10's target for the lesson workbooks
        assert min(row["eval_process_s"], row["load_s"], row["recalc_s"],
                   row["libreoffice_load_s"], row["libreoffice_recalc_s"]) > 0
    assert 0 < report["python_startup_s"] < report["import_process_s"]


def test_the_growth_benchmark_grows_the_workbook(soffice: str, tmp_path: Path) -> None:
    """Sizes 1 and 2: the engine and LibreOffice agree on the RMSE (the benchmark checks it to
    1e-9 and fails otherwise), and the formula cells grow with the ratings."""
    plot = tmp_path / "growth.png"
    report = benchmark("benchmarks.growth", "--sizes", "1,2", "--plot", str(plot))
    small, large = report["sizes"]
    assert (small["ratings"], large["ratings"]) == (206, 412)
    # per rating: 2 MATCH, 2 x 15 one-hot, 2 x 5 MMULT cells, prediction, loss = 44 cells
    assert large["formula_cells"] - small["formula_cells"] == 206 * 44
    assert set(report["loglog_slopes"]) == {f"{who}_{what}" for who in ("engine", "libreoffice")
                                            for what in ("load_s", "recalc_s", "cpu_s")} | {"engine_memory"}
    assert all(r[who]["cpu_s"] > 0 for r in report["sizes"] for who in ("engine", "libreoffice"))
    assert plot.read_bytes().startswith(b"\x89PNG")
