"""Save a workbook's new inputs into a copy of its source file.

The copy keeps every formula; only constants that the engine's user changed (inputs set by
hand, by a macro or by the Solver) are written. The copy asks Excel to recalculate fully on load,
since openpyxl cannot store the cached results of formulas. The source file is never opened for
writing, and the copy appears atomically.
"""
from __future__ import annotations

import io
import os
import openpyxl

from ..core.errors import WorkbookError
from ..core.values import ExcelError
from .atomic import atomic_path
from .exact_numbers import exact_numbers
from .reader import package_without_pivot_tables

Change = tuple[str, int, int, object]  # (sheet, row, column, new constant)


def save_values(source: str, changes: list[Change], out: str) -> str:
    """Copy ``source`` to ``out`` with ``changes`` written into its cells."""
    if os.path.abspath(out) == os.path.abspath(source):
        raise WorkbookError("refusing to overwrite the source workbook; choose another output path",
                            file=out)
    keep_vba = source.lower().endswith(".xlsm")
    data = package_without_pivot_tables(source)
    target = openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba, keep_links=True)
    for sheet, row, col, value in changes:
        target[sheet].cell(row=row, column=col).value = \
            value.value if isinstance(value, ExcelError) else value
    target.calculation.fullCalcOnLoad = True
    with atomic_path(out) as tmp, exact_numbers():
        target.save(tmp)
    return out
