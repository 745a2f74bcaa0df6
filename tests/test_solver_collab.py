"""The lecture's Solver runs, without Excel: dotprod and bias of the handout (from its seeded start
and from ten other random starts) and of the reference workbook reach what Excel's Solver reached,
within 30 s each on the CPU, with default settings; the written copy is recomputed by the formula
engine and by LibreOffice. And one model computed three ways: at every step of a dotprod solve,
movielens_1hot and movielens_emb give dotprod's RMSE."""
from __future__ import annotations

import functools
import hashlib
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
from cellgrad.cli.main import main
from cellgrad.hosts.libreoffice import LibreOffice
from cellgrad.ml.solver import Settings, read_model, solve_book
from cellgrad.workbook import Workbook

from .conftest import ROOT, reference_path, require

HANDOUT = ROOT / "workbooks" / "collab_filter.xlsx"
# What Excel's Solver reached in the lecture, as the issue states it; the reference workbook's
# cached objective (0.393015..., 0.319467...) is checked too, whichever is lower binds.
EXCEL_REACHED = {"dotprod": 0.3930, "bias": 0.3195}
SECONDS_PER_SOLVE = 30.0
CROSS_ENGINE = 1e-9
SAME_ENGINE = 1e-12
OTHER_SEEDS = range(1, 11)
RATINGS = "H2:V16"
PREDICTIONS = {"dotprod": "H25:V39", "bias": "H26:V40"}


def _handout() -> Path:
    require(HANDOUT.is_file(), f"the handout {HANDOUT} is missing (cellgrad build)")
    return HANDOUT


@functools.cache
def _bound(sheet: str) -> float:
    cached = Workbook.load(reference_path("collab_filter.xlsx"))
    cell = read_model(cached, sheet).objective
    return min(EXCEL_REACHED[sheet], cached.sheets[sheet].cells[(cell.r1, cell.c1)].cached)


def _random_start(source: Path, sheet: str, seed: int, tmp_path: Path) -> Path:
    """A copy of the handout with the changing cells redrawn from [0, 1) by ``seed``, as
    =RAND() would draw them."""
    book = Workbook.load(source)
    _redraw(book, sheet, seed)
    return Path(book.save_values(str(tmp_path / f"start-{sheet}-{seed}.xlsx")))


def _redraw(book: Workbook, sheet: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for area in read_model(book, sheet).changing:
        book.set(str(area), rng.random((area.height, area.width)))


def _solve_cli(capsys, source: Path, sheet: str, out: Path, *options: str) -> tuple[dict, float]:
    began = time.perf_counter()
    code = main(["solve", str(source), sheet, "--json", "--out", str(out), *options])
    wall = time.perf_counter() - began
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out), wall


def _excel_rmse(ratings: list[list[object]], predictions: list[list[object]]) -> float:
    """SQRT(SUMXMY2(ratings, predictions)/COUNT(ratings)) as Excel computes it: pairs with an
    empty rating are skipped (LibreOffice's SUMXMY2 counts them, so it is computed here from the
    prediction cells LibreOffice calculated)."""
    pairs = [(r, p) for rr, pr in zip(ratings, predictions) for r, p in zip(rr, pr) if type(r) is float]
    return math.sqrt(sum((r - p) ** 2 for r, p in pairs) / len(pairs))


def _confirm(office: LibreOffice, report: dict, sheet: str, bound: float) -> None:
    """Recompute the written copy with the formula engine and with LibreOffice."""
    output = report["output"]
    book = Workbook.load(output, calculate=True)
    objective = read_model(book, sheet).objective
    engine_value = book[str(objective)]
    assert engine_value == pytest.approx(report["objective_after"], rel=SAME_ENGINE)
    assert engine_value <= bound
    engine_predictions = book.array(f"{sheet}!{PREDICTIONS[sheet]}")
    doc = office.open(output, pivot_tables=False)
    try:
        doc.calculate_all()
        ratings = doc.get(sheet, RATINGS)
        predictions = doc.get(sheet, PREDICTIONS[sheet])
        lo_objective = doc.get(sheet, objective.a1(with_sheet=False))[0][0]
    finally:
        doc.close()
    np.testing.assert_allclose(np.array(predictions, dtype=float), engine_predictions, rtol=CROSS_ENGINE, atol=0)
    if sheet == "dotprod":
        assert lo_objective == pytest.approx(engine_value, rel=CROSS_ENGINE)
    else:  # bias!V42: LibreOffice's SUMXMY2 over empty ratings differs from Excel (named divergence)
        assert _excel_rmse(ratings, predictions) == pytest.approx(engine_value, rel=CROSS_ENGINE)
        assert abs(lo_objective - engine_value) > 0.1


def _check_report(report: dict, sheet: str, wall: float, bound: float) -> None:
    assert set(report) >= {"sheet", "objective_before", "objective_after", "steps", "seconds", "output"}
    assert report["sheet"] == sheet and report["steps"] > 0
    assert report["objective_after"] <= bound
    assert report["objective_after"] <= report["objective_before"]
    assert report["seconds"] <= SECONDS_PER_SOLVE and wall <= SECONDS_PER_SOLVE


# one test per start, so that parallel test workers share the 22 solves
@pytest.mark.parametrize("seed", [None, *OTHER_SEEDS],
                         ids=lambda seed: "handout" if seed is None else f"seed{seed}")
@pytest.mark.parametrize("sheet", ["dotprod", "bias"])
def test_handout_start_and_ten_other_seeds_reach_excels_solver(office, capsys, tmp_path, sheet,
                                                               seed):
    handout = _handout()
    untouched = hashlib.sha256(handout.read_bytes()).hexdigest()
    bound = _bound(sheet)
    if seed is None:
        source, options = handout, []
    else:
        source = _random_start(handout, sheet, seed, tmp_path)
        options = ["--seed", str(seed)]
    report, wall = _solve_cli(capsys, source, sheet, tmp_path / "solved.xlsx", *options)
    _check_report(report, sheet, wall, bound)
    _confirm(office, report, sheet, bound)
    with capsys.disabled():  # the figures per start, for the record
        print(f"\n{sheet} start {'handout' if seed is None else f'seed {seed}'}: "
              f"{report['objective_before']:.6f} -> {report['objective_after']:.7f} in "
              f"{report['seconds']:.1f} s ({wall:.1f} s wall)", end="")
    assert hashlib.sha256(handout.read_bytes()).hexdigest() == untouched


@pytest.mark.parametrize("sheet", ["dotprod", "bias"])
def test_reference_workbook_is_solved_too(office, capsys, tmp_path, sheet):
    source = reference_path("collab_filter.xlsx")
    bound = _bound(sheet)
    report, wall = _solve_cli(capsys, source, sheet, tmp_path / "solved.xlsx")
    _check_report(report, sheet, wall, bound)
    _confirm(office, report, sheet, bound)


def test_dotprod_has_local_minima_that_restarts_leave():
    """Why --multistart is on by default: from some of the ten random starts a single run stops
    well above Excel's result (the default solves of the same starts reach it, test above)."""
    bound = _bound("dotprod")
    single_runs = []
    for seed in OTHER_SEEDS:
        book = Workbook.load(_handout())
        _redraw(book, "dotprod", seed)
        single_runs.append(solve_book(book, "dotprod", Settings(restarts=0)).objective_after)
    assert max(single_runs) > 0.40 > bound
    assert min(single_runs) <= bound


def test_one_model_three_ways_at_every_step_of_a_dotprod_solve():
    """movielens_1hot and movielens_emb read all their weights from dotprod by formula (the
    handout's movie weights too, which the reference pastes): setting dotprod's changing cells
    alone, as the solve does, moves the three tabs' RMSE together."""
    solving = Workbook.load(_handout())
    engine = Workbook.load(_handout())
    engine.automatic = False
    engine.calculate()
    start = engine["dotprod!V41"]
    model = read_model(solving, "dotprod")
    movies, users = model.changing
    steps: list[tuple[float, list[np.ndarray]]] = []
    solve_book(solving, "dotprod", Settings(restarts=0),
               on_step=lambda step, values: steps.append(
                   (step.objective, [v.detach().cpu().numpy().copy() for v in values])))
    assert len(steps) > 20
    for torch_value, (movie_weights, user_weights) in steps:
        engine.set(str(movies), movie_weights)
        engine.set(str(users), user_weights)
        engine.recalculate()
        dotprod = engine["dotprod!V41"]
        assert dotprod == pytest.approx(torch_value, rel=CROSS_ENGINE)
        assert engine["movielens_1hot!BH210"] == pytest.approx(dotprod, rel=CROSS_ENGINE)
        assert engine["movielens_emb!Y210"] == pytest.approx(dotprod, rel=CROSS_ENGINE)
    assert steps[-1][0] < start / 5  # the solve did move the weights (RMSE from about 3 to 0.39)


def test_adam_and_the_time_limit(capsys, tmp_path):
    handout = _handout()
    report, _ = _solve_cli(capsys, handout, "dotprod", tmp_path / "adam.xlsx", "--method", "adam",
                           "--multistart", "2")
    assert report["method"] == "adam" and report["objective_after"] <= _bound("dotprod")
    limited, wall = _solve_cli(capsys, handout, "dotprod", tmp_path / "limited.xlsx",
                               "--max-seconds", "0.5")
    assert limited["seconds"] < 1.5 and limited["runs"] < 11
    assert limited["objective_after"] < limited["objective_before"]


def test_plain_report_and_verdict(capsys, tmp_path):
    """Into a pipe no progress is drawn (the terminal's bar: test_solver_status); stdout has the
    report line, then the verdict."""
    handout = _handout()
    code = main(["solve", str(handout), "dotprod", "--multistart", "1", "--out", str(tmp_path / "s.xlsx")])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    report, verdict = captured.out.strip().splitlines()
    start = Workbook.load(handout, calculate=True)["dotprod!V41"]
    assert f"objective {start:.10g} -> 0.39" in report
    assert f"written to {tmp_path / 's.xlsx'}" in report
    assert verdict.startswith("solve dotprod: converged: Solver converged to the current solution.")
