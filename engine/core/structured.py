"""Structured references: the cells an Excel Table's names stand for.

``DeptSales[Sales Amount]`` is the column's data, ``DeptSales[[#This Row],[Sales Amount]]`` (typed
as ``[@[Sales Amount]]`` inside the table) its cell in the formula's row, ``DeptSales[#All]`` the
whole table; the special items ``#All``, ``#Data``, ``#Headers``, ``#Totals`` and ``#This Row`` pick
rows, a column or a column range ``[A]:[B]`` picks columns. Table and column names are
case-insensitive; in a column name ``'`` escapes ``[``, ``]``, ``#``, ``'`` and ``@`` (Microsoft,
"Using structured references with Excel tables", and MS-XLSX 2.2.2 "Formulas").

A structured reference becomes an ordinary reference node when the formula is parsed, so every
backend just sees ranges: absolute, except ``#This Row``, whose row is relative to the formula's
(the cells of a calculated column then share one node).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .cells import Table
from .ir import AreaRef, CellRef, Const, Node
from .values import ExcelError

# An escaped character of a column name, replaced before the formula is tokenized (openpyxl's
# Tokenizer counts brackets and knows no escapes) and restored when the name is looked up.
ESCAPED = {"[": "\ue000", "]": "\ue001", "#": "\ue002", "'": "\ue003", "@": "\ue004"}
_RESTORE = str.maketrans({v: k for k, v in ESCAPED.items()})

ALL, DATA, HEADERS, TOTALS, THIS_ROW = "#ALL", "#DATA", "#HEADERS", "#TOTALS", "#THIS ROW"
_ITEMS = {ALL, DATA, HEADERS, TOTALS, THIS_ROW}


def protect_escapes(formula: str) -> str:
    """``formula`` with each ``'``-escaped character inside brackets as one private-use character.
    Text in double quotes and quoted sheet names are left as they are."""
    if "'" not in formula or "[" not in formula:
        return formula
    out: list[str] = []
    depth = 0
    quote = ""
    i = 0
    while i < len(formula):
        ch = formula[i]
        if quote:
            out.append(ch)
            if ch == quote:
                if formula[i + 1:i + 2] == quote:  # "" or '' inside the quotes
                    out.append(ch)
                    i += 1
                else:
                    quote = ""
        elif depth and ch == "'" and formula[i + 1:i + 2] in ESCAPED:
            out.append(ESCAPED[formula[i + 1]])
            i += 1
        else:
            if ch == "[":
                depth += 1
            elif ch == "]" and depth:
                depth -= 1
            elif not depth and ch in "\"'":
                quote = ch
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Specifier:
    """What a bracketed specifier selects: special items (rows) and a column range (None: all)."""

    items: frozenset[str]
    first: str | None = None
    last: str | None = None


def _pieces(text: str) -> tuple[list[str], list[str]]:
    """``[a], [b]:[c]`` -> (["a", "b", "c"], [",", ":"])."""
    pieces: list[str] = []
    separators: list[str] = []
    i = 0
    while True:
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] != "[":
            raise ValueError(f"expected '[' in [{text}]")
        end = text.find("]", i)
        if end < 0:
            raise ValueError(f"unclosed '[' in [{text}]")
        pieces.append(text[i + 1:end])
        i = end + 1
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text):
            return pieces, separators
        if text[i] not in ",:":
            raise ValueError(f"unexpected {text[i]!r} in [{text}]")
        separators.append(text[i])
        i += 1


def parse_specifier(inner: str) -> Specifier:
    """The text between a structured reference's outer brackets (escapes protected)."""
    text = inner.strip(" ")
    items: set[str] = set()
    if text.startswith("@"):
        items.add(THIS_ROW)
        text = text[1:].strip(" ")
    if not text.startswith("["):
        pieces, separators = ([text] if text else []), []
    else:
        pieces, separators = _pieces(text)
    columns: list[str] = []
    for i, piece in enumerate(pieces):
        if piece.startswith("#"):
            item = " ".join(piece.upper().split())
            if item not in _ITEMS or columns:
                raise ValueError(f"unknown or misplaced special item [{piece}]")
            items.add(item)
        else:
            if columns and separators[i - 1] != ":":
                raise ValueError("only one column or column range may be named")
            columns.append(piece.translate(_RESTORE))
    if len(columns) > 2:
        raise ValueError("a column range names two columns")
    return Specifier(frozenset(items), columns[0] if columns else None,
                     columns[-1] if columns else None)


class Tables:
    """A workbook's tables by name (case-insensitive) and by the cells they cover."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.all = list(tables)
        self.by_name = {t.name.casefold(): t for t in self.all}

    def named(self, name: str) -> Table | None:
        return self.by_name.get(name.casefold())

    def at(self, sheet: str, row: int, col: int) -> Table | None:
        return next((t for t in self.all if t.contains(sheet, row, col)), None)

    def crossing(self, row: int) -> tuple[bool, ...]:
        """For each table, whether ``row`` crosses its data: all that a [#This Row] takes of the
        row besides the offset (rows with the same answers resolve it to the same node)."""
        return tuple(t.data_rows[0] <= row <= t.data_rows[1] for t in self.all)


def _rows(table: Table, items: frozenset[str], row: int) -> tuple[int, int] | ExcelError:
    first, last = table.data_rows
    top, bottom = table.ref.r1, table.ref.r2
    if items == {THIS_ROW}:
        # the formula's own row, where it crosses the data (Excel's implicit intersection)
        return (row, row) if first <= row <= last else ExcelError.VALUE
    if items == {HEADERS} or items == {HEADERS, DATA}:
        if not table.header_row_count:
            return ExcelError.REF
        return (top, top) if items == {HEADERS} else (top, last)
    if items == {TOTALS} or items == {DATA, TOTALS}:
        if not table.totals_row_count:
            return ExcelError.REF
        return (bottom, bottom) if items == {TOTALS} else (first, bottom)
    if ALL in items:  # #All with anything else is still everything
        return top, bottom
    if items <= {DATA}:
        return (first, last) if first <= last else ExcelError.REF
    raise ValueError(f"special items {', '.join(sorted(items))} cannot be combined")


def resolve(table: Table, specifier: Specifier, row: int) -> Node:
    """The reference node for ``specifier`` on ``table``, in a formula on row ``row``."""
    rows = _rows(table, specifier.items, row)
    if isinstance(rows, ExcelError):
        return Const(rows)
    c1, c2 = table.ref.c1, table.ref.c2
    if specifier.first is not None:
        found = table.column(specifier.first), table.column(specifier.last or specifier.first)
        if found[0] is None or found[1] is None:
            return Const(ExcelError.REF)
        c1, c2 = min(found), max(found)  # type: ignore[type-var]
    relative = specifier.items == {THIS_ROW}
    r1, r2 = (0, 0) if relative else rows
    if r1 == r2 and c1 == c2:
        return CellRef(table.sheet, r1, c1, not relative, True)
    return AreaRef(table.sheet, r1, c1, r2, c2, not relative, True, not relative, True)
