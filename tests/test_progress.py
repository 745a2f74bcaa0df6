"""Long commands say what they do: a bar on stderr where a person watches (a terminal), nothing
there otherwise, and one verdict line at the end."""
from __future__ import annotations

import io
import json
import re

from cellgrad.cli.main import main
from cellgrad.cli.progress import Progress

from .conftest import ROOT

GRADDESC = ROOT / "workbooks" / "graddesc.xlsm"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _bars(text: str) -> list[str]:
    """Every state of the bar that was drawn."""
    return [s for s in text.split("\r\033[K") if s]


def _watched(monkeypatch) -> Terminal:
    """stderr becomes a terminal (set inside the test: pytest's capture resets it after fixtures)."""
    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setattr("cellgrad.cli.progress.REDRAW_SECONDS", 0.0)  # every state drawn, to be read
    return stream


def test_the_bar_counts_steps_and_names_the_current_one():
    out = Terminal()
    with Progress(4, "tabs", label="compare", stream=out) as bar:
        bar.update(0, "basic")
        assert bar.line() == "compare: [" + "." * 30 + "] 0/4 tabs  basic"
        bar.update(3, "adam", total=6)
        assert bar.line() == "compare: [" + "#" * 15 + "." * 15 + "] 3/6 tabs  adam"
        bar.update(6)
    assert _bars(out.getvalue())[0] == "compare: [" + "." * 30 + "] 0/4 tabs  basic"
    assert _bars(out.getvalue())[-1] == "compare: [" + "#" * 30 + "] 6/6 tabs"  # the last is always drawn
    assert out.getvalue().endswith("\r\033[K")  # erased when done


def test_nothing_on_a_stream_that_is_not_a_terminal():
    out = io.StringIO()
    with Progress(3, "steps", stream=out) as bar:
        for k in range(4):
            bar.update(k, "x")
    assert out.getvalue() == ""


def test_check_shows_its_steps_and_ends_with_the_verdict(monkeypatch, capsys):
    terminal = _watched(monkeypatch)
    assert main(["check", str(GRADDESC), "--epochs", "2", "--device", "cpu"]) == 0
    bars = _bars(terminal.getvalue())
    assert any(re.fullmatch(r"check: \[[#.]{30}\] \d+/\d+ steps  graddesc\.xlsm: macros adam, 2 epochs", b)
               for b in bars)
    assert bars[0].startswith("check: [") and "graddesc.xlsm: torch model basic" in bars[0]
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"8 tabs agree within \S+ \(relative; the bound is 1e-09\)", last), last


def test_check_json_keeps_stdout_json_and_the_verdict_on_stderr(capsys):
    assert main(["check", str(GRADDESC), "--epochs", "1", "--device", "cpu", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["device"] == "cpu"
    assert captured.err.startswith("8 tabs agree within")  # data and 7 optimizer tabs; no bar: not a terminal


def test_build_shows_its_steps_and_ends_with_the_verdict(monkeypatch, capsys, tmp_path):
    terminal = _watched(monkeypatch)
    assert main(["build", "graddesc", "--out", str(tmp_path)]) == 0
    bars = _bars(terminal.getvalue())
    assert [b.split("  ", 1)[1] for b in bars if "  " in b] == [
        "graddesc: definition and reset", "graddesc.xlsm: package", "graddesc.xlsm: engine check"]
    assert bars[-1] == "build: [" + "#" * 30 + "] 3/3 steps"
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(rf"1 handout written to {re.escape(str(tmp_path))}: [\d,]+ formula cells, 0 error values", last)


def test_compare_shows_the_tab_it_trains(monkeypatch, capsys):
    terminal = _watched(monkeypatch)
    assert main(["compare", str(GRADDESC), "--epochs", "1"]) == 0
    shown = [b.split("  ", 1)[1] for b in _bars(terminal.getvalue()) if "  " in b]
    assert shown == ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]
    assert capsys.readouterr().out.splitlines()[-1].startswith("7 optimizers, 1 epochs: lowest loss")

