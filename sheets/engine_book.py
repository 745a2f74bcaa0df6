"""The formula engine's view of a definition: the same cells, computed without writing a file."""
from __future__ import annotations

from ..core.cells import Cell as EngineCell
from ..core.cells import DefinedName, Sheet
from ..core.references import Range, parse_cell
from ..workbook import Workbook
from .layout import Book, Tab


def _sheet(tab: Tab) -> Sheet:
    sheet = Sheet(tab.name)
    for address, cell in tab.cells.items():
        row, col = parse_cell(address)
        if cell.formula is None:
            value = float(cell.value) if isinstance(cell.value, (int, float)) and not isinstance(
                cell.value, bool) else cell.value
            sheet.cells[(row, col)] = EngineCell(tab.name, row, col, value, None, value)
            continue
        master = EngineCell(tab.name, row, col, None, cell.formula, None)
        sheet.cells[(row, col)] = master
        if cell.array:
            master.array_range = Range.parse(cell.array, tab.name)
            for r, c in master.array_range.cells():
                if (r, c) != (row, col):
                    member = EngineCell(tab.name, r, c)
                    member.master = master
                    sheet.cells[(r, c)] = member
    for name, text in tab.all_names().items():
        sheet.names[name.upper()] = DefinedName(name, text, tab.name, tab.hidden(name))
    return sheet


def to_engine(book: Book) -> Workbook:
    """An engine workbook of ``book``'s cells and names; call ``calculate()`` for the values."""
    return Workbook([_sheet(tab) for tab in book.tabs], {}, path=book.filename)
