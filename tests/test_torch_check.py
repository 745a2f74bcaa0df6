"""``cellgrad check``: the three-way comparison on the command line, its JSON, its bad input."""
from __future__ import annotations

import json
import math

import pytest
import torch
from cellgrad.cli.check import largest_difference
from cellgrad.cli.main import main

from tests.builder import write_workbook
from tests.conftest import reference_path, require
from tests.test_torch_backend import ACROSS_ENGINES, handout_path


def _check(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_handouts_agree_on_every_tab_after_fifty_epochs(capsys) -> None:
    for name in ("collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx"):
        handout_path(name)
    code, out, err = _check(capsys, "--json", "--device", "cpu", str(handout_path("graddesc.xlsm").parent))
    assert code == 0, err
    assert err.startswith("16 tabs agree within")  # the verdict; stdout is the JSON
    report = json.loads(out)
    assert report["device"] == "cpu"
    tabs = {(t["workbook"], t["sheet"]): t for t in report["tabs"]}
    expected = {"dotprod", "movielens_1hot", "movielens_emb", "bias", "word_emb", "data", "basic",
                "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann", "softmax",
                "entropy", "log_entropy"}
    assert {sheet for _, sheet in tabs} == expected
    for (workbook, sheet), tab in tabs.items():
        assert set(tab) == {"workbook", "sheet", "cells", "max_abs", "max_rel", "epochs"}
        assert tab["cells"] > 0
        if sheet in ("basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"):
            assert tab["epochs"] == 50, sheet
        assert tab["max_rel"] <= ACROSS_ENGINES, (workbook, sheet, tab)


def test_text_report_names_the_device(capsys) -> None:
    path = reference_path("entropy_example.xlsx")
    code, out, _ = _check(capsys, "--device", "cpu", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "device: cpu"
    assert [line.split()[1] for line in lines[2:-1]] == ["softmax", "entropy", "log_entropy"]
    assert lines[-1].startswith("3 tabs agree within")


def test_every_formula_cell_of_a_tab_is_compared(capsys) -> None:
    path = reference_path("entropy_example.xlsx")
    code, out, _ = _check(capsys, "--json", "--device", "cpu", str(path))
    cells = {t["sheet"]: t["cells"] for t in json.loads(out)["tabs"]}
    assert cells == {"softmax": 34, "entropy": 11, "log_entropy": 30}  # the formula cells (README)


def test_cuda_without_cuda_is_one_line_and_exit_2(capsys) -> None:
    require(not torch.cuda.is_available(), "this machine has CUDA")
    code, out, err = _check(capsys, "--device", "cuda")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "CUDA is not available" in err and "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["--device", "tpu"], "unknown torch device"),
    (["--epochs", "-1"], "--epochs"),
    (["/nonexistent/book.xlsx"], "book.xlsx"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv: list[str], message: str) -> None:
    code, out, err = _check(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("values, expected", [
    ([1.0, 1.0], (0.0, 0.0)),
    ([0.0, 0.0], (0.0, 0.0)),
    ([2.0, 1.0], (1.0, 0.5)),
    ([1.0, 1.0, 4.0], (3.0, 0.75)),     # over all pairs
    ([1.0, math.nan], (math.inf, math.inf)),
])
def test_largest_difference(values: list[float], expected: tuple[float, float]) -> None:
    assert largest_difference(values) == expected


def test_any_workbook_is_compared_between_the_engines(capsys, tmp_path) -> None:
    path = write_workbook(tmp_path / "mine.xlsx", {"S": {"A1": 2.0, "A2": "=A1*3", "A3": "=SQRT(A2)"}})
    code, out, _ = _check(capsys, "--json", "--device", "cpu", str(path))
    assert code == 0
    assert json.loads(out)["tabs"] == [{"workbook": "mine.xlsx", "sheet": "S", "cells": 2,
                                        "max_abs": 0.0, "max_rel": 0.0, "epochs": 0}]


@pytest.mark.parametrize("sheet, message", [
    ("dotprod", "input dotprod!B25:F39: B25 is not a constant number"),
    ("movielens_1hot", "not laid out as the lesson's movielens_1hot tab"),
])
def test_a_tab_that_only_shares_a_lesson_name_is_one_line_and_exit_2(capsys, tmp_path, sheet: str,
                                                                      message: str) -> None:
    path = write_workbook(tmp_path / "mine.xlsx", {sheet: {"A1": 2.0, "A2": "=A1*3"}})
    code, out, err = _check(capsys, "--device", "cpu", str(path))
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("where", ["current folder", "named folder"])
def test_without_handouts_it_says_so(capsys, monkeypatch, tmp_path, where) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _check(capsys, "--device", "cpu", *([] if where == "current folder" else [str(tmp_path)]))
    assert code == 2
    assert err.count("\n") == 1 and "no handouts" in err and "cellgrad build" in err
