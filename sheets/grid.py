"""A1 addressing helpers for the tab definitions."""
from __future__ import annotations

from ..core.references import cell_name, column_index, column_letters

__all__ = ["cell_name", "column_index", "column_letters", "at", "shift", "span", "absolute"]


def at(column: str, row: int, right: int = 0) -> str:
    """The address ``right`` columns to the right of ``column``+``row``: at("H", 2, 3) == "K2"."""
    return cell_name(row, column_index(column) + right)


def shift(column: str, right: int) -> str:
    """The column ``right`` columns to the right of ``column``: shift("O", 14) == "AC"."""
    return column_letters(column_index(column) + right)


def span(first: str, last: str) -> list[str]:
    """The column letters from ``first`` to ``last`` inclusive."""
    return [column_letters(c) for c in range(column_index(first), column_index(last) + 1)]


def absolute(sheet: str, top_left: str, bottom_right: str | None = None) -> str:
    """``sheet!$A$1`` or ``sheet!$A$1:$B$2``, the text a defined name or a chart refers to."""
    def dollars(address: str) -> str:
        letters = address.rstrip("0123456789")
        return f"${letters}${address[len(letters):]}"
    text = f"{sheet}!{dollars(top_left)}"
    return text if bottom_right is None else f"{text}:{dollars(bottom_right)}"
