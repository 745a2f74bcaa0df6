"""Saving keeps the workbook whole: ``run --save`` and ``solve`` write a copy that differs from
its source only in the XML of the sheets whose cells changed, where formulas keep their text and
carry the engine's values as cached results; pivot tables, drawings, tables and the VBA project
are copied byte for byte. A wrong output path is refused before any work."""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pytest
from cellgrad.cli.main import main
from cellgrad.conformance import random_dependents
from cellgrad.files.reader import read_cells
from cellgrad.files.writer import sheet_parts
from cellgrad.macros import EngineSheet, Training
from cellgrad.workbook import Workbook

from .conftest import reference_path

ACROSS_ENGINES = 1e-9


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _sheets_of(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {part: sheet for sheet, part in sheet_parts(package).items()}


def _cells(path: Path) -> dict[str, dict]:
    sheets, _, _ = read_cells(str(path))
    return {s.name: s.cells for s in sheets}


def _assert_whole(source: Path, copy: Path, changed: set[str]) -> None:
    """Same parts in the same order; only the sheets in ``changed`` differ, and only in values."""
    before, after = _parts(source), _parts(copy)
    assert list(after) == list(before)
    differing = {name for name in before if before[name] != after[name]}
    sheets = _sheets_of(source)
    assert {sheets.get(part, part) for part in differing} == changed
    old, new = _cells(source), _cells(copy)
    for sheet in changed:
        formulas = {k: c.formula for k, c in old[sheet].items() if c.formula}
        assert {k: c.formula for k, c in new[sheet].items() if c.formula} == formulas, sheet


def _changed_sheets(book: Workbook) -> set[str]:
    return {sheet for sheet, *_ in book.changed_cells()}


def test_run_save_keeps_every_part_but_the_changed_sheets(tmp_path):
    source = reference_path("graddesc.xlsm")
    out = tmp_path / "out.xlsm"
    assert main(["run", str(source), "adam", "--save", str(out)]) == 0
    # the same run in this process: what the copy must hold
    book = Workbook.load(source)
    book.recalculate()
    Training(EngineSheet(book, "adam")).run(5)
    changed = _changed_sheets(book)
    assert "adam" in changed
    _assert_whole(source, out, changed)
    parts = _parts(out)
    assert "xl/vbaProject.bin" in parts and any(p.startswith("xl/drawings/") for p in parts)
    copy = _cells(out)
    wrong = [f"{sheet}!{cell.address}: {cell.cached!r} != {book.value(sheet, *key)!r}"
             for sheet, row, col, _ in book.changed_cells()
             for key in [(row, col)] for cell in [copy[sheet][key]]
             if cell.cached != book.value(sheet, row, col)]
    assert wrong == []  # every changed cell, formulas included, carries the engine's value


def test_solve_keeps_pivot_tables_drawings_and_tables(tmp_path):
    source = reference_path("collab_filter.xlsx")
    out = tmp_path / "solved.xlsx"
    assert main(["solve", str(source), "dotprod", "--multistart", "0", "--max-seconds", "5",
                 "--out", str(out)]) == 0
    parts = _parts(source)
    assert any("pivotTable" in p for p in parts) and any("tables/table" in p for p in parts)
    assert any(p.startswith("xl/drawings/") for p in parts)
    copy = Workbook.load(out)  # the cached values as written
    recomputed = Workbook.load(out)
    recomputed.calculate()
    changed = {sheet for sheet, *_ in recomputed.changed_cells()}
    assert changed == set(), f"cached values that the engine does not compute from the copy: {changed}"
    original = _cells(source)
    written = {sheet for sheet in copy.sheets
               if any(c.cached != o.cached for k, c in copy.sheets[sheet].cells.items()
                      for o in [original[sheet].get(k)] if o is not None)}
    assert "dotprod" in written
    _assert_whole(source, out, written)


@pytest.mark.libreoffice
@pytest.mark.parametrize("workbook, command", [
    ("graddesc.xlsm", ["run", "{source}", "adam", "--save", "{out}"]),
    ("collab_filter.xlsx", ["solve", "{source}", "dotprod", "--multistart", "0", "--max-seconds", "5",
                            "--out", "{out}"]),
])
def test_the_copy_opens_in_libreoffice_with_the_engines_values(office, tmp_path, workbook, command):
    """Opened, LibreOffice shows the values the engine wrote: the copy carries numbers
    everywhere, formulas included. Calc draws RANDBETWEEN anew on load (graddesc's data!B5:C33)
    and recomputes what reads the draws; those cells are left out, by name."""
    source = reference_path(workbook)
    out = tmp_path / ("copy" + source.suffix)
    assert main([a.format(source=source, out=out) for a in command]) == 0
    engine = Workbook.load(out)
    redrawn = {(c.sheet, c.address) for c in random_dependents(engine)}
    doc = office.open(out, pivot_tables=False)  # Calc redraws pivot tables on load
    try:
        shown = doc.formula_values()
    finally:
        doc.close()
    differences = []
    for (sheet, address), value in shown.items():
        if (sheet, address) in redrawn:
            continue
        expected = engine[f"'{sheet}'!{address}"]
        if isinstance(value, float) and isinstance(expected, float):
            if not math.isclose(value, expected, rel_tol=ACROSS_ENGINES, abs_tol=1e-300):
                differences.append((sheet, address, value, expected))
        elif value != expected:
            differences.append((sheet, address, value, expected))
    assert len(shown) - len(redrawn) > 1000 and differences == []


@pytest.mark.parametrize("args, message", [
    (["run", "{graddesc}", "nosuchsheet", "--save", "{tmp}/out.xlsx"],
     "is a macro-enabled workbook: name it .xlsm, not .xlsx"),
    (["run", "{graddesc}", "nosuchsheet", "--save", "{tmp}/missing/out.xlsm"],
     "output directory does not exist"),
    (["solve", "{collab}", "nosuchsheet", "--out", "{tmp}/out.xlsm"],
     "is a workbook without macros: name it .xlsx, not .xlsm"),
])
def test_a_bad_output_path_is_refused_before_any_work(capsys, tmp_path, args, message):
    """The sheet is unknown too: the output path is what the one line names, so it was checked
    first; nothing is written."""
    paths = {"graddesc": reference_path("graddesc.xlsm"), "collab": reference_path("collab_filter.xlsx"),
             "tmp": tmp_path}
    assert main([a.format(**paths) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_rows_and_cells_without_numbers_are_patched_in_their_places(tmp_path):
    """OOXML lets a row or cell leave out its ``r`` (it follows the one before); the change lands
    on the cell that position means, and the others keep their values."""
    import openpyxl
    from cellgrad.files.writer import save_values
    path = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "S"
    for row in ([1.0, 2.0], [3.0, 4.0]):
        book.active.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb' r="[A-Z]*[0-9]+"', b"", parts[sheet])  # no row or cell numbers
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    out = tmp_path / "patched.xlsx"
    save_values(str(path), [("S", 2, 2, 40.0), ("S", 3, 1, 50.0)], str(out))
    assert [[c.value for c in row] for row in openpyxl.load_workbook(out)["S"].iter_rows()] == \
        [[1.0, 2.0], [3.0, 40.0], [50.0, None]]
