"""Cell addresses and rectangular ranges: A1 text to numbers and back."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

MAX_ROW = 1_048_576
MAX_COL = 16_384

_CELL = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_COLS = re.compile(r"^(\$?)([A-Za-z]{1,3})$")
_ROWS = re.compile(r"^(\$?)(\d+)$")


def column_index(letters: str) -> int:
    """``"A"`` -> 1, ``"AA"`` -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(index: int) -> str:
    """1 -> ``"A"``, 27 -> ``"AA"``."""
    if index < 1:
        raise ValueError(f"column {index} is off the sheet")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def parse_cell(text: str) -> tuple[int, int]:
    """``"B7"`` or ``"$B$7"`` -> (7, 2)."""
    m = _CELL.match(text)
    if not m:
        raise ValueError(f"not a cell address: {text!r}")
    return int(m.group(4)), column_index(m.group(2))


@dataclass(frozen=True)
class Endpoint:
    """One corner of a reference as written: row/col numbers and their ``$`` flags."""

    row: int
    col: int
    row_abs: bool
    col_abs: bool


def _on_sheet(endpoint: Endpoint, text: str) -> Endpoint:
    # Past XFD1048576 it is not a cell: Excel reads ZZZ1 or A9999999 as a (probably undefined) name.
    if not (1 <= endpoint.row <= MAX_ROW and 1 <= endpoint.col <= MAX_COL):
        raise ValueError(f"not a reference on the sheet: {text!r}")
    return endpoint


def parse_cell_endpoint(text: str) -> Endpoint:
    """A cell (``$A1``) with its ``$`` flags. Alone, ``A`` or ``own`` is a name, not a column."""
    m = _CELL.match(text)
    if not m:
        raise ValueError(f"not a cell: {text!r}")
    return _on_sheet(Endpoint(int(m.group(4)), column_index(m.group(2)), bool(m.group(3)),
                              bool(m.group(1))), text)


def parse_endpoint(text: str, *, first: bool) -> Endpoint:
    """A cell (``$A1``), a whole column (``A``) or a whole row (``3``) as the corner of a range."""
    if _CELL.match(text):
        return parse_cell_endpoint(text)
    m = _COLS.match(text)
    if m:
        return _on_sheet(Endpoint(1 if first else MAX_ROW, column_index(m.group(2)), True,
                                  bool(m.group(1))), text)
    m = _ROWS.match(text)
    if m:
        return _on_sheet(Endpoint(int(m.group(2)), 1 if first else MAX_COL, bool(m.group(1)), True),
                         text)
    raise ValueError(f"not a reference: {text!r}")


def split_sheet(text: str) -> tuple[str | None, str]:
    """``"'my sheet'!A1:B2"`` -> (``"my sheet"``, ``"A1:B2"``); ``"s!#REF!"`` -> (``"s"``, ``"#REF!"``)."""
    if text.startswith("'"):
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                return None, text  # no closing quote: not a sheet name
            if text[end + 1:end + 2] == "'":
                end += 2
                continue
            break
        if text[end + 1:end + 2] != "!":
            return None, text
        return text[1:end].replace("''", "'"), text[end + 2:]
    sheet, bang, ref = text.partition("!")
    if not bang:
        return None, text
    return sheet, ref


def quote_sheet(sheet: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and not _CELL.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Range:
    """A rectangular reference on one sheet; rows and columns are 1-based and inclusive."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def height(self) -> int:
        return self.r2 - self.r1 + 1

    @property
    def width(self) -> int:
        return self.c2 - self.c1 + 1

    @property
    def size(self) -> int:
        return self.height * self.width

    def cells(self) -> Iterator[tuple[int, int]]:
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                yield r, c

    def contains(self, sheet: str, row: int, col: int) -> bool:
        return sheet == self.sheet and self.r1 <= row <= self.r2 and self.c1 <= col <= self.c2

    def a1(self, *, with_sheet: bool = True) -> str:
        ref = cell_name(self.r1, self.c1)
        if (self.r1, self.c1) != (self.r2, self.c2):
            ref += ":" + cell_name(self.r2, self.c2)
        return f"{quote_sheet(self.sheet)}!{ref}" if with_sheet else ref

    @classmethod
    def parse(cls, text: str, default_sheet: str | None = None) -> "Range":
        """``"data!$B$5:$C$33"`` -> Range; the sheet defaults to ``default_sheet``."""
        sheet, ref = split_sheet(text.strip())
        sheet = sheet or default_sheet
        if sheet is None:
            raise ValueError(f"reference without a sheet: {text!r}")
        first, colon, last = ref.partition(":")
        a = parse_endpoint(first, first=True) if colon else parse_cell_endpoint(first)
        b = parse_endpoint(last, first=False) if colon else a
        return cls(sheet, min(a.row, b.row), min(a.col, b.col), max(a.row, b.row), max(a.col, b.col))

    def __str__(self) -> str:
        return self.a1()


@dataclass(frozen=True, slots=True)
class Areas:
    """A reference of several areas: a union, ``(A1,B1:B3)``, on one sheet, or a 3-D reference,
    ``S1:S3!A1``, the same range on consecutive sheets ("Calculation operators and precedence",
    "Create a 3-D reference to the same cell range on multiple worksheets")."""

    ranges: tuple[Range, ...]

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets the areas are on, each once, in the areas' order."""
        return tuple(dict.fromkeys(rng.sheet for rng in self.ranges))
