"""Every optimizer tab of the handout shows its loss in a labelled cell and keeps a history that
Reset starts with epoch 0 and Run and Step append to, drawn by a native line chart; ``cellgrad run``
reports that cell. Checked after ``cellgrad run --epochs 5 --save out.xlsm``, in the engine, in
the file's chart XML (both writers) and in LibreOffice's recalculation of the saved file."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from cellgrad.cli.main import main
from cellgrad.workbook import Workbook

from .conftest import ROOT

TABS = ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]
EPOCHS = 5
ACROSS_ENGINES = 1e-9
HISTORY, EPOCH_COLUMN = "$C$38:$C$106", "$B$38:$B$106"


def _loss_cell(tab: str) -> str:
    return "F33" if tab == "basic" else "E2"  # basic's as in the lesson; E2 under "rmse" elsewhere


@pytest.fixture(scope="module", params=["xlsxwriter", "openpyxl"])
def handout(request, tmp_path_factory) -> Path:
    """graddesc.xlsm as each writer makes it (XlsxWriter's is the committed one)."""
    from cellgrad.sheets import macro_workbook, writer
    from cellgrad.sheets.books import handout
    package = macro_workbook.package if request.param == "xlsxwriter" else writer.package
    path = tmp_path_factory.mktemp(request.param) / "graddesc.xlsm"
    path.write_bytes(package(handout("graddesc")))
    return path


@pytest.fixture(scope="module")
def trained(handout, tmp_path_factory) -> dict[str, tuple[Path, list[dict]]]:
    """Per tab: ``cellgrad run HANDOUT TAB --epochs 5 --json --save out.xlsm``'s file and epochs."""
    import contextlib
    import io
    out = {}
    for tab in TABS:
        saved = tmp_path_factory.mktemp(tab) / "out.xlsm"
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            assert main(["run", str(handout), tab, "--epochs", str(EPOCHS), "--json", "--save", str(saved)]) == 0
        out[tab] = saved, json.loads(stdout.getvalue())["epochs"]
    return out


def test_every_optimizer_tab_has_a_labelled_loss_cell_in_the_lessons_style(handout):
    book = Workbook.load(handout)
    book.recalculate()
    for tab in TABS:
        cell = _loss_cell(tab)
        label = "E33" if tab == "basic" else "E1"
        assert book[f"{tab}!{label}"] == "rmse"
        assert book.resolve("rmse", tab).a1() == f"{tab}!{cell}"
        formula = book.cell(tab, *book.resolve(cell, tab).cells().__next__()).formula
        assert formula == ("=SQRT(SUM(F4:F32))" if tab == "basic" else "=SQRT(SUMXMY2(B4:B32,E4:E32))")


def test_run_reports_the_loss_cell_and_the_history_holds_epochs_0_to_5(trained):
    for tab in TABS:
        saved, epochs = trained[tab]
        book = Workbook.load(saved)
        history = [row[0] for row in book.values(f"{tab}!C38:C106")]
        losses = [e["loss"] for e in epochs]
        assert [e["epoch"] for e in epochs] == list(range(EPOCHS + 1))
        assert history[:EPOCHS + 1] == losses, tab
        assert history[EPOCHS + 1:] == [None] * (len(history) - EPOCHS - 1), tab
        assert book[f"{tab}!{_loss_cell(tab)}"] == losses[-1], tab  # the cell the table reports
        assert [row[0] for row in book.values(f"{tab}!B38:B43")] == [float(k) for k in range(EPOCHS + 1)]


def _series(path: Path) -> set[tuple[str, str]]:
    """(values, categories) of every line chart's series in the package, sheet names unquoted."""
    from defusedxml import ElementTree
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    out = set()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                root = ElementTree.fromstring(package.read(name))
                for ser in (s for chart in root.iter(f"{c}lineChart") for s in chart.findall(f"{c}ser")):
                    refs = {kind: ser.find(f"{c}{kind}/{c}numRef/{c}f").text.replace("'", "")
                            for kind in ("val", "cat")}
                    out.add((refs["val"], refs["cat"]))
    return out


def test_each_tabs_chart_draws_its_history(handout, trained):
    expected = {(f"{tab}!{HISTORY}", f"{tab}!{EPOCH_COLUMN}") for tab in TABS}
    assert _series(handout) == expected
    for tab in TABS:
        assert _series(trained[tab][0]) == expected  # the saved copy keeps the charts


def test_step_appends_too(handout, tmp_path, capsys):
    saved = tmp_path / "stepped.xlsm"
    assert main(["run", str(handout), "adam_ann", "--reset", "--step", "--epochs", "3", "--json",
                 "--save", str(saved)]) == 0
    losses = [e["loss"] for e in json.loads(capsys.readouterr().out)["epochs"]]
    history = [row[0] for row in Workbook.load(saved).values("adam_ann!C38:C42")]
    assert history == losses + [None]


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_saved_files_to_the_same_loss_and_history(trained, soffice):
    from cellgrad.hosts.libreoffice import LibreOffice
    with LibreOffice(soffice=soffice) as lo:
        for tab in TABS:
            saved, epochs = trained[tab]
            doc = lo.open(saved)
            try:
                doc.calculate_all()
                history = [row[0] for row in doc.get(tab, "C38:C44")]
                loss = doc.get(tab, _loss_cell(tab))[0][0]
            finally:
                doc.close()
            losses = [e["loss"] for e in epochs]
            assert history[:EPOCHS + 1] == losses and history[EPOCHS + 1] is None, tab  # constants
            assert loss == pytest.approx(losses[-1], rel=ACROSS_ENGINES, abs=0), tab  # recomputed
