"""The workbook as functions may see it beyond cell values (ISFORMULA, SHEET, CELL, INFO,
SUBTOTAL): formulas, sheet order, hidden rows, the file. Read-only: nothing here calculates."""
from __future__ import annotations

from typing import Callable

from ..core.cells import Cell, Sheet
from ..core.ir import Call


class BookContext:
    """The :class:`cellgrad.functions.WorkbookContext` of one calculation."""

    def __init__(self, sheets: dict[str, Sheet], path: str | None,
                 automatic: Callable[[], bool]) -> None:
        self.sheets = sheets
        # every sheet in tab order, chart and dialog sheets too (the workbook sets them)
        self.tabs: list[str] = list(sheets)
        self.path = path
        self.date1904 = False  # set by the workbook, from the file's <workbookPr date1904="1"/>
        self._automatic = automatic
        self._calls: dict[int, frozenset[str]] = {}  # id(IR) -> the functions it calls

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    @property
    def automatic(self) -> bool:
        return self._automatic()

    def _cell(self, sheet: str, row: int, col: int) -> Cell | None:
        found = self.sheets[sheet].cells.get((row, col)) if sheet in self.sheets else None
        return found.master or found if found is not None else None  # an array formula's cell

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        cell = self._cell(sheet, row, col)
        return None if cell is None else cell.formula

    def calls(self, sheet: str, row: int, col: int) -> frozenset[str]:
        cell = self._cell(sheet, row, col)
        if cell is None or cell.node is None:
            return frozenset()
        found = self._calls.get(id(cell.node))
        if found is None:  # cells of one shared formula share their IR: walked once
            found = self._calls[id(cell.node)] = frozenset(
                n.name for n in cell.node.walk() if type(n) is Call)  # type: ignore[attr-defined]
        return found

    def row_hidden(self, sheet: str, row: int, *, by_filter_only: bool = False) -> bool:
        found = self.sheets.get(sheet)
        return found is not None and found.row_hidden(row, by_filter_only=by_filter_only)
