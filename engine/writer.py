"""Save a workbook's new inputs into a copy of its source file.

The copy keeps every formula; only constants that the engine's user changed (inputs set by
hand, by a macro or by the Solver) are written. The copy asks Excel to recalculate fully on load,
since openpyxl cannot store the cached results of formulas. The source file is never opened for
writing, and the copy appears atomically.
"""
from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import openpyxl

from .atomic import atomic_path
from .errors import WorkbookError
from .exact_numbers import exact_numbers
from .reader import package_without_pivot_tables
from .values import ExcelError

if TYPE_CHECKING:
    from .workbook import Workbook


def changed_inputs(book: "Workbook") -> list[tuple[str, int, int, object]]:
    """Constant cells whose value differs from the file's: (sheet, row, col, value)."""
    out = []
    for cell in book.cells():
        if cell.node is not None or cell.master is not None:
            continue
        if type(cell.value) is not type(cell.cached) or cell.value != cell.cached:
            out.append((cell.sheet, cell.row, cell.col, cell.value))
    return out


def save_values(book: "Workbook", out: str) -> str:
    if book.path is None:
        raise WorkbookError("this workbook was not loaded from a file; nothing to copy")
    if os.path.abspath(out) == os.path.abspath(book.path):
        raise WorkbookError("refusing to overwrite the source workbook; choose another output path",
                            file=out)
    keep_vba = book.path.lower().endswith(".xlsm")
    data = package_without_pivot_tables(book.path)
    target = openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba, keep_links=True)
    for sheet, row, col, value in changed_inputs(book):
        target[sheet].cell(row=row, column=col).value = \
            value.value if isinstance(value, ExcelError) else value
    target.calculation.fullCalcOnLoad = True
    with atomic_path(out) as tmp, exact_numbers():
        target.save(tmp)
    return out
