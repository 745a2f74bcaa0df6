"""The handouts start where each tab's ``reset`` macro leaves it.

The optimizer state (momentum, mean squares) is not a round number after a reset: the macro
sets a start value, recalculates and copies the last row's state back to the top, once or
twice, so that the first epoch starts from a warmed-up estimate. This module replays that
(:class:`sheets.model.MacroState`) with the formula engine and writes the resulting constants
into the definition.
"""
from __future__ import annotations

from engine.references import Range, cell_name
from engine.workbook import Workbook

from .engine_book import to_engine
from .model import Book, MacroState, Tab


def _range(wb: Workbook, tab: str, name: str) -> Range:
    # by the name table: Workbook.resolve("lr") reads "lr" as the cell LR1
    rng = wb.sheets[tab].names[name.upper()].range()
    assert rng is not None, f"{tab}!{name} does not refer to a range"
    return rng


def _set(wb: Workbook, tab: str, name: str, value: object) -> None:
    wb.set(_range(wb, tab, name).a1(), value)


def _get(wb: Workbook, tab: str, name: str) -> list[list[object]]:
    return wb.values(_range(wb, tab, name).a1())


def _copy(wb: Workbook, tab: str, source: str, target: str) -> None:
    _set(wb, tab, target, _get(wb, tab, source))


def _replay(wb: Workbook, tab: str, state: MacroState) -> None:
    for name, value in state.reset_values.items():
        _set(wb, tab, name, value)
    avg_grad2 = None
    for _ in range(state.reset_rounds):
        wb.calculate()
        avg_grad2 = _get(wb, tab, "avg_grad2") if state.annealing else None
        for source, target in state.copies:
            _copy(wb, tab, source, target)
    if state.annealing:
        if avg_grad2 is None:  # no warm-up rounds: the size of the first epoch's gradients
            wb.calculate()
            avg_grad2 = _get(wb, tab, "avg_grad2")
        _set(wb, tab, "prev_grad2", avg_grad2)


def _store(wb: Workbook, tab: Tab, state: MacroState) -> None:
    """Write the values of every name the reset touched back into the tab's constants."""
    touched = set(state.reset_values) | {target for _, target in state.copies}
    if state.annealing:
        touched.add("prev_grad2")
    for name in touched:
        rng = _range(wb, tab.name, name)
        for r, c in rng.cells():
            value = wb.value(tab.name, r, c)
            tab.cells[cell_name(r, c)].value = value


def apply_reset(book: Book) -> Book:
    """``book`` with every tab that has macros put into its reset state (in place)."""
    tabs = [tab for tab in book.tabs if tab.macros is not None]
    if not tabs:
        return book
    wb = to_engine(book)
    wb.automatic = False  # a macro's paste does not recalculate until it says so
    for tab in tabs:
        _replay(wb, tab.name, tab.macros)
        _store(wb, tab, tab.macros)
    return book
