"""``cellgrad build``: fresh committed handouts, byte-identical rebuilds, a report, and bad
input that leaves nothing behind."""
from __future__ import annotations

import os
import subprocess
import hashlib
import zipfile
from contextlib import contextmanager

import pytest
from cellgrad.cli.main import main
from cellgrad.conformance import random_dependents
from cellgrad.files.reader import read_cells
from cellgrad.sheets.books import DEFINITIONS, handout, package
from cellgrad.sheets.writer import ZIP_EPOCH
from cellgrad.workbook import Workbook

from tests.conftest import ROOT, require

WORKBOOKS = ROOT / "workbooks"
FILES = {"collab_filter": "collab_filter.xlsx", "graddesc": "graddesc.xlsm",
         "entropy_example": "entropy_example.xlsx"}
# formula cells of the reference workbooks (../shared/reference/README.md); graddesc has more
# tabs than the reference, so its count is taken from the file as openpyxl reads it
REFERENCE_FORMULA_CELLS = {"collab_filter": 10879, "entropy_example": 75}
# formula cells the handout adds where the reference pastes numbers: the movie weights
# (15 movies x 5 factors) of movielens_1hot and movielens_emb read dotprod by formula
ADDED_FORMULA_CELLS = {"collab_filter": 2 * 15 * 5}


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_committed_handout_is_fresh(name):
    """Fails when sheets/ changed and `cellgrad build` was not run (then commit workbooks/)."""
    # compared as digests: pytest's diff of two megabyte-long byte strings takes minutes
    committed = hashlib.sha256((WORKBOOKS / FILES[name]).read_bytes()).hexdigest()
    built = hashlib.sha256(package(handout(name))).hexdigest()
    assert committed == built, f"workbooks/{FILES[name]} is stale: run `cellgrad build` and commit it"


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_package_has_fixed_timestamps(name):
    with zipfile.ZipFile(WORKBOOKS / FILES[name]) as z:
        assert {info.date_time for info in z.infolist()} == {ZIP_EPOCH}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2019-03-26T00:00:00Z") == 2  # created and modified


def test_xlsm_declares_a_macro_enabled_workbook():
    with zipfile.ZipFile(WORKBOOKS / "graddesc.xlsm") as z:
        types = z.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


# a number each writer's own "%.16g" would round: openpyxl's 0.02178929454332668 for this
# softmax output, XlsxWriter's -11.53043458245422 for adam's momentum after reset (J33)
EXACT = {"entropy_example.xlsx": ("xl/worksheets/sheet1.xml", "0.021789294543326676"),
         "graddesc.xlsm": ("xl/worksheets/sheet7.xml", "-11.530434582454225")}


@pytest.mark.parametrize("file", list(EXACT))
def test_numbers_are_written_exactly(file):
    part, number = EXACT[file]
    with zipfile.ZipFile(WORKBOOKS / file) as z:
        sheet = z.read(part).decode()
    assert f"<v>{number}</v>" in sheet


def _formula_cells(path) -> int:
    sheets, _, _ = read_cells(str(path))
    return sum(1 for s in sheets for c in s.cells.values() if c.formula)


def test_the_macro_enabled_handout_caches_the_engines_values():
    """XlsxWriter stores every formula's value, which readers that do not recalculate show
    (openpyxl's data_only, pandas): each must be what the engine computes from the file, every
    digit. RANDBETWEEN's draws and what depends on them differ from one calculation to the next."""
    path = WORKBOOKS / "graddesc.xlsm"
    sheets, _, _ = read_cells(str(path))
    book = Workbook.load(path)
    book.calculate()
    volatile = {(c.sheet, c.row, c.col) for c in random_dependents(book)}
    wrong, compared = [], 0
    for sheet in sheets:
        for (row, col), cell in sheet.cells.items():
            if cell.formula is None or (sheet.name, row, col) in volatile:
                continue
            compared += 1
            if cell.cached != book.value(sheet.name, row, col):
                wrong.append(f"{sheet.name}!{cell.address}: cached {cell.cached!r}, "
                             f"engine {book.value(sheet.name, row, col)!r}")
    assert wrong == []
    assert compared == _formula_cells(path) - len(volatile)


def test_build_writes_every_handout_and_reports(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(os.listdir(tmp_path)) == sorted(FILES.values())
    for name, file in FILES.items():
        assert (tmp_path / file).read_bytes() == (WORKBOOKS / file).read_bytes()
        line = next(line for line in out if file in line)
        cells = REFERENCE_FORMULA_CELLS[name] + ADDED_FORMULA_CELLS.get(name, 0) \
            if name in REFERENCE_FORMULA_CELLS else _formula_cells(tmp_path / file)
        tabs = len(handout(name).tabs)
        assert f"{tabs} tabs, {cells} formula cells" in line
        assert f"engine computed {cells} in" in line and "0 error values" in line


def test_build_one_by_name(tmp_path, capsys):
    assert main(["build", "entropy_example.xlsx", "--out", str(tmp_path)]) == 0
    assert os.listdir(tmp_path) == ["entropy_example.xlsx"]


def test_build_writes_into_the_current_folder_or_creates_out(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "entropy_example"]) == 0
    assert os.listdir(tmp_path) == ["entropy_example.xlsx"]
    assert main(["build", "entropy_example", "--out", "new/deeper"]) == 0
    assert os.listdir(tmp_path / "new" / "deeper") == ["entropy_example.xlsx"]


@contextmanager
def _read_only(directory):
    """chmod 555, and for root (whom permissions do not stop) the immutable attribute."""
    directory.chmod(0o555)
    immutable = os.geteuid() == 0 and subprocess.run(
        ["chattr", "+i", str(directory)], capture_output=True).returncode == 0
    try:
        probe = directory / "probe"
        try:
            probe.write_bytes(b"")
            probe.unlink()
            writable = True
        except OSError:
            writable = False
        require(not writable, "cannot make a read-only directory here (root without chattr)")
        yield directory
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        directory.chmod(0o755)


def _listing(directory) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


@pytest.mark.parametrize("case", ["unknown name", "unknown among good names", "wrong extension",
                                  "out is a file", "read-only directory"])
def test_bad_input_is_one_line_and_writes_nothing(case, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graddesc.xlsm").write_bytes(b"an older handout")
    args = {"unknown name": ["build", "nope"],
            "unknown among good names": ["build", "entropy_example", "graddesc", "nope"],
            "wrong extension": ["build", "graddesc.xlsx"],
            "out is a file": ["build", "--out", str(out / "graddesc.xlsm")],
            "read-only directory": ["build"]}[case]
    if case != "out is a file":
        args += ["--out", str(out)]
    before = _listing(out)
    if case == "read-only directory":
        with _read_only(out):
            code = main(args)
    else:
        code = main(args)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and "Traceback" not in captured.err
    assert captured.err.startswith("cellgrad build: ")
    assert _listing(out) == before


def test_cli_exit_code_and_message_from_a_shell(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    target = tmp_path / "file" / "sub"
    result = subprocess.run(["cellgrad", "build", "--out", str(target)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == \
        f"cellgrad build: {target}: cannot create the output directory (Not a directory)"
