"""How a solve ends, as ``solve --json`` says it ("status") and as Excel's Solver words it
("message"), each ending produced for real: convergence, a tiny --max-seconds, the model's own
iteration limit (solver_itr), and Ctrl-C (SIGINT to the command running on a terminal), which
keeps and writes the best point found so far. And the progress bar and the verdict line."""
from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cellgrad.cli.main import main
from cellgrad.ml.solver import read_model
from cellgrad.workbook import Workbook

from . import solver_models as models
from .conftest import ROOT, require

HANDOUT = ROOT / "workbooks" / "collab_filter.xlsx"
SAME_ENGINE = 1e-12


def _handout() -> Path:
    require(HANDOUT.is_file(), f"the handout {HANDOUT} is missing (cellgrad build)")
    return HANDOUT


def _solve_json(capsys, *argv: str) -> tuple[int, dict, str]:
    code = main(["solve", *argv, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _written_objective(report: dict) -> float:
    book = Workbook.load(report["output"], calculate=True)
    return book[str(read_model(book, report["sheet"]).objective)]


def test_converged(capsys, tmp_path):
    path, _, _ = models.regression(tmp_path)
    code, report, err = _solve_json(capsys, str(path), models.S, "--out", str(tmp_path / "o.xlsx"))
    assert code == 0 and report["status"] == "converged"
    assert report["message"].startswith("Solver converged to the current solution") or \
        report["message"].startswith("Solver found a solution")
    assert 0 < report["seconds"] < report["command_seconds"]
    assert err.strip().splitlines() == [err.strip()]  # the verdict, alone, on stderr
    assert err.startswith("solve Model: converged: ")


def test_time_limit(capsys, tmp_path):
    code, report, err = _solve_json(capsys, str(_handout()), "dotprod", "--max-seconds", "0.3",
                                    "--out", str(tmp_path / "o.xlsx"))
    assert code == 0 and report["status"] == "time_limit"
    assert report["message"] == "Stop chosen when the maximum time limit was reached."
    assert report["runs"] < 11 and report["seconds"] < 1.0
    assert report["objective_after"] < report["objective_before"]
    assert _written_objective(report) == pytest.approx(report["objective_after"], rel=SAME_ENGINE)
    assert "time limit" in err


def test_iteration_limit(capsys, tmp_path):
    source, _, _ = models.regression(tmp_path, solver_itr="3")  # Excel's Max Iterations: 3
    code, report, _ = _solve_json(capsys, str(source), models.S, "--out", str(tmp_path / "o.xlsx"))
    assert code == 0 and report["status"] == "iteration_limit"
    assert report["message"] == "Stop chosen when the maximum iteration limit was reached."
    assert report["steps"] == 3 * report["runs"]


def test_ctrl_c_keeps_and_writes_the_best_point(tmp_path):
    """The command runs with stderr on a terminal (a pty), so the progress bar is drawn; once it
    is, SIGINT. The search stops, the best point so far is written, and the command says so."""
    out = tmp_path / "interrupted.xlsx"
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cellgrad", "solve", str(_handout()), "dotprod", "--json",
         "--multistart", "1000", "--max-seconds", "300", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=secondary, stdin=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**os.environ, "TERM": "xterm"})
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 300  # a loaded machine: the import alone can take seconds
    while b"run 2," not in seen:  # a whole run done: there is a best point to keep
        if time.monotonic() > deadline or process.poll() is not None:
            break
        if select.select([primary], [], [], 0.5)[0]:
            try:
                seen += os.read(primary, 4096)
            except OSError:  # EIO: the command closed its terminal, so it has ended
                break
    if b"run 2," not in seen:  # say how the command ended, rather than how the terminal did
        process.kill()
        stdout, _ = process.communicate(timeout=60)
        pytest.fail(f"no second run before the interrupt (exit {process.returncode}): "
                    f"{seen.decode(errors='replace')[-2000:]} {stdout[-2000:]}")
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=60)
    rest = b""
    while select.select([primary], [], [], 0.1)[0]:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        rest += chunk
    os.close(primary)
    assert process.returncode == 130
    report = json.loads(stdout)
    assert report["status"] == "interrupted"
    assert report["message"] == "Solver stopped at user's request."
    assert 2 <= report["runs"] < 1001
    assert report["objective_after"] < report["objective_before"]
    assert _written_objective(report) == pytest.approx(report["objective_after"], rel=SAME_ENGINE)
    assert "best solution found so far is kept and written" in rest.decode(errors="replace")
    assert b"solve dotprod: [" in seen  # the bar, drawn on the terminal
