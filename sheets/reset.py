"""The handouts start where each tab's ``reset`` macro leaves it.

The optimizer state (momentum, mean squares) is not a round number after a reset: the macro
sets a start value and copies the last row's state back to the top, once or twice, so that the
first epoch starts from a warmed-up estimate. Which values it copies depends on the calculation
mode at each statement (adam's reset runs under automatic calculation, adam_ann's under manual),
so the reset is not described again here: the tab's own VBA (``engine/macros/vba/<tab>.bas``) runs in
the formula engine through the macro runner, and the cells it writes become the definition's
constants.
"""
from __future__ import annotations

from ..core.references import cell_name
from ..macros import EngineSheet, Training, optimizer_tabs
from .engine_book import to_engine
from .layout import Book, Tab


def _store(tab: Tab, training: Training) -> None:
    """Every cell the tab's macros write, as the reset left it, into the tab's constants."""
    areas = training.written()
    for name, rows in training.state().items():
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                address = cell_name(areas[name].r1 + i, areas[name].c1 + j)
                if value is None:  # Range.Clear empties the cell, format included (basic's rmses)
                    tab.cells.pop(address, None)
                elif address in tab.cells:  # the engine refuses to write a formula cell
                    tab.cells[address].value = value
                else:  # the history's first entry, the loss before training
                    tab.put(address, value)


def apply_reset(book: Book) -> Book:
    """``book`` with every tab that has macros put into its reset state (in place)."""
    tabs = [tab for tab in book.tabs if tab.name in optimizer_tabs()]
    if not tabs:
        return book
    wb = to_engine(book)
    wb.calculate()  # the values Excel shows on opening, which the macros read
    for tab in tabs:
        wb.automatic = True  # Excel's mode when the Reset button is pressed
        training = Training(EngineSheet(wb, tab.name))
        training.reset()
        _store(tab, training)
    return book
