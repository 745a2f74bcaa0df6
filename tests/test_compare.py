"""``cellgrad compare``: every optimizer tab of graddesc from Reset, in the engine and in torch,
as a table, JSON, CSV and pictures; the pictures are drawn from the JSON's numbers."""
from __future__ import annotations

import csv
import json
import math
import os
import sys
from pathlib import Path

import pytest
from cellgrad.cli.main import main
from cellgrad.macros import EngineSheet, Training
from cellgrad.workbook import Workbook

from .conftest import ROOT, reference_path

HANDOUT = ROOT / "workbooks" / "graddesc.xlsm"
TABS = ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]
EPOCHS = 50
ACROSS_ENGINES = 1e-9


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """``cellgrad compare workbooks/graddesc.xlsm --torch --out DIR``, with every figure matplotlib
    saves recorded: (DIR, stdout, {file suffix: [(label, x, y), ...]})."""
    from matplotlib.figure import Figure
    out = tmp_path_factory.mktemp("compare")
    plotted: dict[str, list[tuple[str, list[float], list[float]]]] = {}
    save = Figure.savefig

    def recording(fig, fname, *args, **kwargs):
        (ax,) = fig.axes
        plotted[kwargs["format"]] = [(line.get_label(), list(line.get_xdata()), list(line.get_ydata()))
                                     for line in ax.get_lines()]
        plotted[kwargs["format"] + " axes"] = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
                                               ax.get_yscale()]
        return save(fig, fname, *args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(Figure, "savefig", recording)
    import io
    from contextlib import redirect_stdout
    stdout = io.StringIO()
    try:
        with redirect_stdout(stdout):
            code = main(["compare", str(HANDOUT), "--torch", "--device", "cpu", "--out", str(out)])
    finally:
        mp.undo()
    assert code == 0
    return out, stdout.getvalue(), plotted


def test_writes_table_json_csv_png_and_svg(compared):
    out, stdout, _ = compared
    assert sorted(p.name for p in out.iterdir()) == ["compare.csv", "compare.json", "compare.png",
                                                     "compare.svg", "compare.txt"]
    assert (out / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "compare.svg").read_bytes()[:2000]
    table = (out / "compare.txt").read_text()
    assert stdout.startswith(table)
    rows = table.splitlines()[2:]
    assert [r.split()[0] for r in rows] == TABS
    report = json.loads((out / "compare.json").read_text())
    for row, tab in zip(rows, report["tabs"], strict=True):
        final, below = row.split()[1:3]
        assert final == f"{tab['final_loss']:.6g}" and tab["final_loss"] == tab["losses"][-1]
        first = next((k for k, v in enumerate(tab["losses"]) if v < report["target"]), None)
        assert below == ("-" if first is None else str(first)) == (
            "-" if tab["first_below_target"] is None else str(tab["first_below_target"]))
    # the verdict, last
    assert stdout.splitlines()[-1].startswith(f"7 optimizers, {EPOCHS} epochs: lowest loss")


def test_csv_is_the_jsons_history(compared):
    out, _, _ = compared
    report = json.loads((out / "compare.json").read_text())
    with open(out / "compare.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    expected = [(t["sheet"], k, loss, t["torch_losses"][k]) for t in report["tabs"]
                for k, loss in enumerate(t["losses"])]
    assert [(r["optimizer"], int(r["epoch"]), float(r["engine_loss"]), float(r["torch_loss"]))
            for r in rows] == expected
    assert len(rows) == len(TABS) * (EPOCHS + 1)


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_the_pictures_lines_are_the_jsons_values(compared, kind):
    out, _, plotted = compared
    report = json.loads((out / "compare.json").read_text())
    expected = []
    for tab in report["tabs"]:
        epochs = list(range(EPOCHS + 1))
        expected.append((tab["sheet"], epochs, tab["losses"]))
        expected.append((f"{tab['sheet']} (torch)", epochs, tab["torch_losses"]))
    assert plotted[kind] == expected
    title, xlabel, ylabel, scale = plotted[kind + " axes"]
    assert "graddesc.xlsm" in title and xlabel == "epoch" and "loss" in ylabel and scale == "log"


def test_engine_and_torch_agree_at_every_epoch(compared):
    out, _, _ = compared
    report = json.loads((out / "compare.json").read_text())
    assert [t["sheet"] for t in report["tabs"]] == TABS
    for tab in report["tabs"]:
        assert len(tab["losses"]) == len(tab["torch_losses"]) == EPOCHS + 1
        for k, (x, y) in enumerate(zip(tab["losses"], tab["torch_losses"])):
            assert math.isclose(x, y, rel_tol=ACROSS_ENGINES, abs_tol=0.0), (tab["sheet"], k, x, y)
        assert tab["max_rel_diff"] <= ACROSS_ENGINES


def test_the_engines_losses_are_the_tabs_loss_cell_after_reset_and_run(compared):
    """Each curve is the tab's rmse cell, as `cellgrad run --reset` reads it."""
    out, _, _ = compared
    report = json.loads((out / "compare.json").read_text())
    book = Workbook.load(HANDOUT)
    book.recalculate()
    for tab in report["tabs"]:
        training = Training(EngineSheet(book, tab["sheet"]))
        assert tab["loss_source"] == f"the rmse cell {training.observer.rmse.a1()}"
        start = training.reset()
        assert tab["losses"] == [start.loss] + [e.loss for e in training.run(EPOCHS)]


def test_history_is_a_dataframe_with_pandas():
    import pandas  # the optional extra cellgrad[pandas]; the test extra installs it
    from cellgrad.cli.compare import history
    frame = history(HANDOUT, 3)
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["optimizer", "epoch", "engine_loss", "torch_loss"]
    assert len(frame) == len(TABS) * 4 and frame["torch_loss"].isna().all()


def test_history_is_a_list_of_dicts_without_pandas(monkeypatch):
    from cellgrad.cli.compare import history
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    rows = history(HANDOUT, 2)
    book = Workbook.load(HANDOUT)
    book.recalculate()
    training = Training(EngineSheet(book, "basic"))  # the tab's rmse cell after Reset and Run
    losses = [training.reset().loss] + [e.loss for e in training.run(2)]
    assert rows[:3] == [{"optimizer": "basic", "epoch": k, "engine_loss": losses[k],
                         "torch_loss": None} for k in range(3)]
    assert len(rows) == len(TABS) * 3


def test_the_reference_workbook_reports_the_formula_it_evaluates(capsys):
    assert main(["compare", str(reference_path("graddesc.xlsm")), "--epochs", "2", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    sources = {t["sheet"]: t["loss_source"] for t in report["tabs"]}
    assert list(sources) == ["basic", "momentum", "rmsprop", "adam", "adam_ann"]
    assert sources["basic"] == "the rmse cell basic!F33"
    assert sources["adam"].startswith("=SQRT(SUMXMY2(B4:B32,E4:E32)), evaluated by the engine")
    assert captured.err.startswith("5 optimizers, 2 epochs: lowest loss")  # the verdict: stdout is JSON


BAD = [
    (lambda tmp: [str(ROOT / "workbooks" / "entropy_example.xlsx")], "no optimizer tab"),
    (lambda tmp: [str(HANDOUT), "--out", str(tmp / "file.txt")], "--out must be a directory"),
    (lambda tmp: [str(HANDOUT), "--csv", str(tmp / "no" / "h.csv")], "--csv: the folder does not exist"),
    (lambda tmp: [str(tmp / "missing.xlsm")], "missing.xlsm"),
    (lambda tmp: [str(tmp / "missing.xlsm"), "--out", str(tmp / "new")], "missing.xlsm"),  # no folder made
    (lambda tmp: [str(HANDOUT), "--out", str(tmp / "file.txt" / "sub")], "cannot create the output directory"),
]


@pytest.mark.parametrize("option", ["--csv", "--out"])
def test_no_output_overwrites_the_workbook(tmp_path, capsys, option):
    """--csv naming the workbook, or --out holding a workbook named like one of its files."""
    source = tmp_path / ("compare.csv" if option == "--out" else "graddesc.xlsm")
    source.write_bytes(HANDOUT.read_bytes())
    target = str(tmp_path if option == "--out" else source)
    assert main(["compare", str(source), option, target, "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "would overwrite the workbook" in err and "Traceback" not in err
    assert source.read_bytes() == HANDOUT.read_bytes() and os.listdir(tmp_path) == [source.name]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path, capsys, args, message):
    (tmp_path / "file.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["compare", *args(tmp_path), "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
