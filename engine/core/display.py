"""How a range read through the Python API looks in a notebook.

A range of numbers (and empty cells, as NaN) is a 2-D numpy array, one that holds text, logicals
or errors a list of row lists, as a notebook user expects; both remember where they came from,
so Jupyter shows them as a table headed by the sheet's own column letters and row numbers.
"""
from __future__ import annotations

import html

import numpy as np

from .references import Range, column_letters
from .values import ExcelError, Scalar

MAX_SHOWN = 50  # rows and columns a table shows before "..."


def grid_html(area: Range, rows: list[list[object]]) -> str:
    """An HTML table of ``rows`` headed by ``area``'s column letters and row numbers."""
    shown_rows, shown_cols = rows[:MAX_SHOWN], min(area.width, MAX_SHOWN)
    head = "".join(f"<th>{column_letters(area.c1 + j)}</th>" for j in range(shown_cols))
    more_cols = "<th>...</th>" if area.width > shown_cols else ""
    lines = [f"<table><caption>{html.escape(area.a1())}</caption>",
             f"<tr><th></th>{head}{more_cols}</tr>"]
    for i, row in enumerate(shown_rows):
        cells = "".join(f"<td>{html.escape(_text(v))}</td>" for v in row[:shown_cols])
        lines.append(f"<tr><th>{area.r1 + i}</th>{cells}{'<td>...</td>' if more_cols else ''}</tr>")
    if len(rows) > len(shown_rows):
        lines.append(f"<tr><th>...</th><td colspan='{shown_cols}'>{len(rows) - len(shown_rows)} "
                     "more rows</td></tr>")
    return "\n".join(lines + ["</table>"])


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, ExcelError):
        return value.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


class RangeArray(np.ndarray):
    """A range of numbers as a float array (NaN where a cell is empty), which knows its range."""

    area: Range | None = None  # a class default too: an unpickled array has no attribute of its own

    def __new__(cls, area: Range, rows: list[list[Scalar]]) -> "RangeArray":
        data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=np.float64)
        out = data.view(cls)
        out.area = area
        return out

    def __array_finalize__(self, obj) -> None:
        self.area = None  # a slice or a result computed from the range is no longer the range

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))  # "array(...)", as numpy prints any array

    def _repr_html_(self) -> str | None:
        if self.area is None:
            return None  # numpy's own display
        return grid_html(self.area, self.tolist())


class RangeValues(list):
    """A range that holds text, logicals or errors, as a list of row lists, which knows its range."""

    def __init__(self, area: Range, rows: list[list[Scalar]]) -> None:
        super().__init__(rows)
        self.area = area

    def _repr_html_(self) -> str:
        return grid_html(self.area, self)


def range_result(area: Range, rows: list[list[Scalar]]) -> RangeArray | RangeValues:
    """Numbers and empty cells as a :class:`RangeArray`, anything else as :class:`RangeValues`."""
    numeric = all(v is None or type(v) is float for row in rows for v in row)
    return RangeArray(area, rows) if numeric else RangeValues(area, rows)
