"""Small workbooks written with openpyxl for the semantics and function tables.

A table row states a formula and the value Excel documents for it; the builder turns the row into
a real .xlsx file (so the reader, parser, graph and interpreter all take part), and the engine
computes it. Formulas are strings starting with ``=``; a key that is a range (``"D1:E2"``) holds
an array (CSE) formula over that range.
"""
from __future__ import annotations

import math
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Mapping

import openpyxl
import pytest
from cellgrad.core.values import Scalar
from cellgrad.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

Cells = Mapping[str, object]

def write_workbook(path: Path, sheets: Mapping[str, Cells], *,
                   names: Mapping[str, str] | None = None,
                   sheet_names: Mapping[tuple[str, str], str] | None = None) -> Path:
    """Write ``sheets`` (title -> {address or range: value or formula}) with defined names.

    ``names`` are workbook-scoped (name -> definition), ``sheet_names`` sheet-scoped
    ((sheet, name) -> definition).
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, cells in sheets.items():
        ws = wb.create_sheet(title)
        for ref, value in cells.items():
            if ":" in ref:
                ws[ref.split(":")[0]] = ArrayFormula(ref, value)
            else:
                ws[ref] = value
    for name, text in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    for (title, name), text in (sheet_names or {}).items():
        wb[title].defined_names[name] = DefinedName(name, attr_text=text)
    wb.save(path)
    return path


def with_part(path: Path, part: str, edit: Callable[[bytes], bytes], out: Path,
              extra: Mapping[str, bytes] | None = None) -> Path:
    """A copy of the package at ``path`` with one part rewritten (and ``extra`` parts added)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, edit(body) if info.filename == part else body)
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out


def calculated(sheets: Mapping[str, Cells], **names: Mapping) -> Workbook:
    """The engine's workbook for ``sheets`` after a full recalculation."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Workbook.load(write_workbook(Path(tmp) / "t.xlsx", sheets, **names))
    book.calculate()
    return book


def evaluate(formula: str, cells: Cells | None = None, *, at: str = "Z100") -> Scalar:
    """One formula at ``at`` on sheet ``S`` next to ``cells``, as the engine computes it."""
    return calculated({"S": {**(cells or {}), at: formula}})[f"S!{at}"]


def same(expected: Scalar, got: Scalar) -> bool:
    """Numbers to 1e-12 relative (the issue's tolerance); every other value exactly, type included."""
    if type(expected) is float and type(got) is float:
        return math.isclose(expected, got, rel_tol=1e-12, abs_tol=1e-15)
    return type(expected) is type(got) and expected == got


def assert_same(expected: Scalar, got: Scalar, what: str) -> None:
    assert same(expected, got), f"{what}: Excel gives {expected!r}, the engine {got!r}"


def row(*values: object):
    """One table row, named by its first value (the formula)."""
    return pytest.param(*values, id=str(values[0]))
