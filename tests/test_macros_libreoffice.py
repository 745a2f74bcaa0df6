"""Run and Step in the engine equal LibreOffice replaying the same statements through UNO.

LibreOffice cannot run the lesson's VBA itself (its VBA layer fails on the sheet-scoped names),
so the same interpreter performs every statement on a LibreOffice document, whose automatic
calculation is switched off and on as the macro says. At every one of 50 epochs a, b, loss, lr
and every cell the macros write must agree within 1e-9 relative.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from cellgrad.hosts.libreoffice import LibreOffice
from cellgrad.hosts.libreoffice_sheet import LibreOfficeSheet
from cellgrad.macros import EngineSheet, Epoch, Training
from cellgrad.workbook import Workbook

from .conftest import reference_path

pytestmark = pytest.mark.libreoffice
EPOCHS = 50
REL = 1e-9
ORIGINAL_TABS = ["basic", "momentum", "rmsprop", "adam", "adam_ann"]
HANDOUT_TABS = ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]


@pytest.fixture(scope="module", params=["openpyxl", "xlsxwriter"])
def handout(request, tmp_path_factory) -> Path:
    """The generated graddesc handout as each writer makes it: openpyxl's without cached values,
    XlsxWriter's (sheets.macro_workbook, with VBA project and buttons) with the engine's."""
    from cellgrad.sheets import macro_workbook, writer
    from cellgrad.sheets.books import handout
    package = writer.package if request.param == "openpyxl" else macro_workbook.package
    path = tmp_path_factory.mktemp(request.param) / "graddesc.xlsm"
    path.write_bytes(package(handout("graddesc")))
    return path


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y or math.isclose(x, y, rel_tol=REL, abs_tol=0.0)
    return x == y


def _differences(engine: list[Epoch], office: list[Epoch]) -> list[str]:
    out = []
    assert len(engine) == len(office)
    for e, o in zip(engine, office):
        pairs = {"a": (e.a, o.a), "b": (e.b, o.b), "loss": (e.loss, o.loss), "lr": (e.lr, o.lr)}
        assert e.state.keys() == o.state.keys()
        for name in e.state:
            for i, (row_e, row_o) in enumerate(zip(e.state[name], o.state[name], strict=True)):
                for j, (x, y) in enumerate(zip(row_e, row_o, strict=True)):
                    pairs[f"{name}[{i}][{j}]"] = (x, y)
        out += [f"epoch {e.epoch} {what}: engine {x!r}, LibreOffice {y!r}"
                for what, (x, y) in pairs.items() if not _same(x, y)]
    return out


def _start(training: Training) -> Epoch:
    return training.observer.observe(0, training.state())


def _both(office: LibreOffice, path: Path, tab: str, press: str, *, reset: bool) -> list[str]:
    book = Workbook.load(path)
    book.recalculate()  # the handout has no cached values; the reference has them all
    engine = Training(EngineSheet(book, tab))
    doc = office.open(path)
    try:
        doc.calculate()
        lo = Training(LibreOfficeSheet(doc, tab, engine.sheet.resolve))
        if reset:
            engine.reset()
            lo.reset()
        start = _differences([_start(engine)], [_start(lo)])
        return start + _differences(getattr(engine, press)(EPOCHS), getattr(lo, press)(EPOCHS))
    finally:
        doc.close()


@pytest.mark.parametrize("press", ["run", "step"])
@pytest.mark.parametrize("tab", ORIGINAL_TABS)
def test_reference_tabs_from_their_saved_state(office, tab, press):
    assert _both(office, reference_path("graddesc.xlsm"), tab, press, reset=False) == []


@pytest.mark.parametrize("press", ["run", "step"])
@pytest.mark.parametrize("tab", HANDOUT_TABS)
def test_handout_tabs_from_their_reset_state(office, handout, tab, press):
    assert _both(office, handout, tab, press, reset=True) == []


def test_why_the_libreoffice_adapter_calculates_after_automatic_writes(office):
    """Calc, unlike Excel, recalculates under automatic calculation only when a dependent is
    read: a write followed by switching automatic calculation off leaves the dependents stale.
    Excel has recalculated them at the write; the adapter's extra ``calculate`` does the same."""
    path = reference_path("graddesc.xlsm")
    doc = office.open(path)
    try:
        before = doc.get("adam", "L32:M32")
        doc.batch([("set_automatic", True), ("set", "adam", "L33:M33", [[1.0, 1.0]]),
                   ("set_automatic", False)])
        assert doc.get("adam", "L32:M32") == before  # stale: Excel would show new values
        doc.calculate()
        assert doc.get("adam", "L32:M32") != before
    finally:
        doc.close()


def test_the_epoch_benchmark_runs_engine_and_libreoffice_side_by_side(soffice):
    """The README's epoch figures come from this command: it must keep working (no timing asserted)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.epochs", "--epochs", "5", "--lo-epochs", "2"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
                          timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["engine", "LibreOffice", "LO", "/", "engine"]
    for label in ("macro statements only", "cellgrad run epoch"):
        row = next(line for line in lines if line.startswith(label))
        engine_ms, office_ms = (float(x) for x in row[len(label):].split()[:2])
        assert engine_ms > 0 and office_ms > 0
