"""openpyxl writes numbers as ``"%.16g"``, which loses the 17th digit some doubles need (the
lesson's softmax outputs among them, and every trained weight). While a workbook is saved through
:func:`exact_numbers`, floats are written as the shortest text that reads back as the same double."""
from __future__ import annotations

import contextlib
import math
from typing import Iterator

from openpyxl.cell import _writer as cell_writer

_openpyxl_safe_string = cell_writer.safe_string


def _exact_number(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return _openpyxl_safe_string(value)


@contextlib.contextmanager
def exact_numbers() -> Iterator[None]:
    cell_writer.safe_string = _exact_number
    try:
        yield
    finally:
        cell_writer.safe_string = _openpyxl_safe_string
