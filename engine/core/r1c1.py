"""A1 formula text seen from its cell: the R1C1 key shared by copies, and a copy moved elsewhere.

A formula filled down a column is one formula in R1C1 terms (``=B2*2`` in C2 and ``=B3*2`` in
C3 are both ``=RC[-1]*2``), so the engine parses each R1C1 form once. The key is computed with one
regular expression over the text, not a parse: text literals and quoted sheet names are kept
verbatim, and every cell, column-range and row-range reference is rewritten relative to the cell
unless it is absolute. A formula whose meaning could depend on its position in ways the key does
not capture (a structured reference or an external link, both written with ``[``) has no key.
The same scan moves a shared formula's text from its master cell to another cell of the group.
"""
from __future__ import annotations

import functools
import re

from .references import MAX_COL, MAX_ROW, column_index, column_letters

# Not after a letter, digit, "_", "." or "$" (part of a name or number); not before one, nor
# before "(" (a function: LOG10) or "!" (an unquoted sheet name that looks like a cell).
_BEFORE = r"(?<![A-Za-z0-9_.$])"
_AFTER = r"(?![A-Za-z0-9_.(!])"
_SCAN = re.compile(
    r'(?P<text>"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\')'
    rf"|{_BEFORE}(?P<cc>\$?)(?P<c>[A-Za-z]{{1,3}})(?P<rc>\$?)(?P<r>[0-9]{{1,7}}){_AFTER}"
    rf"|{_BEFORE}(?P<c1c>\$?)(?P<c1>[A-Za-z]{{1,3}}):(?P<c2c>\$?)(?P<c2>[A-Za-z]{{1,3}}){_AFTER}"
    rf"|{_BEFORE}(?P<r1r>\$?)(?P<r1>[0-9]{{1,7}}):(?P<r2r>\$?)(?P<r2>[0-9]{{1,7}}){_AFTER}"
    # a structured reference or an external book: kept whole, brackets nested once at most
    r"|(?P<bracket>\[(?:'.|[^\[\]']|\[(?:'.|[^\]'])*\])*\])")


# Rows are marked "\x01", columns "\x02": control characters that XML 1.0 does not allow in
# a formula, so no key collides with a formula's own characters, nor a column with a row.
_MARK = {True: "\x01", False: "\x02"}

# One part of a reference: (is a row, absolute, index); a reference is one or two corners
# (column part, row part for a cell), a range of columns or rows has ":" between its ends.
Part = tuple[bool, bool, int]


def _parts(m: re.Match) -> tuple[Part | str, ...]:
    group = m.lastgroup
    if group == "r":
        return ((False, bool(m["cc"]), column_index(m["c"].upper())), (True, bool(m["rc"]), int(m["r"])))
    if group == "c2":
        return ((False, bool(m["c1c"]), column_index(m["c1"].upper())), ":",
                (False, bool(m["c2c"]), column_index(m["c2"].upper())))
    return ((True, bool(m["r1r"]), int(m["r1"])), ":", (True, bool(m["r2r"]), int(m["r2"])))


# reference text -> its key pieces: fixed text, or (mark, index, is a row) to be made relative
_KEY_PIECES: dict[str, tuple[str | tuple[str, int, bool], ...]] = {}


def _key_pieces(m: re.Match) -> tuple[str | tuple[str, int, bool], ...]:
    pieces = tuple(part if type(part) is str else
                   f"{_MARK[part[0]]}${part[2]}" if part[1] else (_MARK[part[0]], part[2], part[0])
                   for part in _parts(m))
    if len(_KEY_PIECES) < 100_000:  # references repeat; a bound keeps odd files from growing it
        _KEY_PIECES[m.group()] = pieces
    return pieces


def r1c1_key(formula: str, row: int, col: int) -> str | None:
    """The formula written relative to (row, col); None where that is not its whole meaning."""
    def replace(m: re.Match) -> str:
        token = m.group()
        pieces = _KEY_PIECES.get(token)
        if pieces is None:
            if token[0] in "\"'":
                return token
            if token[0] == "[":
                raise _NoKey
            pieces = _key_pieces(m)
        out = ""
        for piece in pieces:
            if type(piece) is str:
                out += piece
            else:
                mark, index, is_row = piece
                out += f"{mark}{index - (row if is_row else col)}"
        return out

    try:
        return _SCAN.sub(replace, formula)
    except _NoKey:
        return None


class _NoKey(Exception):
    pass


class MovedFormula:
    """A shared formula's text, split once into fixed text and references, written out at any
    offset from its master cell (Excel stores the text on the master only)."""

    def __init__(self, formula: str) -> None:
        # fixed text, then (is a row, absolute, index) for each reference part, ...
        self.pieces: list[str | tuple[bool, bool, int]] = []
        end = 0
        for m in _SCAN.finditer(formula):
            if m.lastgroup in ("text", "bracket"):
                continue
            self.pieces.append(formula[end:m.start()])
            end = m.end()
            self.pieces += _parts(m)
        self.pieces.append(formula[end:])

    def at(self, rows: int, cols: int) -> str:
        """The formula as Excel reads it ``rows`` down and ``cols`` right of its master; a
        reference moved off the grid becomes ``#REF!``."""
        out: list[str] = []
        for piece in self.pieces:
            if type(piece) is str:
                out.append(piece)
                continue
            is_row, absolute, index = piece  # type: ignore[misc]
            if is_row:
                moved = index if absolute else index + rows
                if not 1 <= moved <= MAX_ROW:
                    return self._off_grid(rows, cols)
                out.append(f"${moved}" if absolute else str(moved))
            else:
                moved = index if absolute else index + cols
                if not 1 <= moved <= MAX_COL:
                    return self._off_grid(rows, cols)
                out.append("$" + _letters(moved) if absolute else _letters(moved))
        return "".join(out)

    def _off_grid(self, rows: int, cols: int) -> str:
        """Rare: write it again, each reference that left the grid as #REF!."""
        out: list[str] = []
        pending: list[str] = []  # one reference's parts, until it is complete
        for piece in self.pieces:
            if type(piece) is str and piece != ":":
                out.append("#REF!" if "#REF!" in pending else "".join(pending))
                pending = []
                out.append(piece)
                continue
            if type(piece) is str:
                pending.append(piece)
                continue
            is_row, absolute, index = piece  # type: ignore[misc]
            moved = index if absolute else index + (rows if is_row else cols)
            if not 1 <= moved <= (MAX_ROW if is_row else MAX_COL):
                pending.append("#REF!")
            else:
                pending.append(("$" if absolute else "") + (str(moved) if is_row else _letters(moved)))
        return "".join(out)


class ColumnFills:
    """Recognises a formula filled down a column without computing its key: a cell whose text is
    the text of its run's first cell moved down to it has that cell's R1C1 form, and writing the
    moved text is a fraction of the cost of a key (files written without shared formulas, as
    openpyxl writes them, repeat each filled formula in full)."""

    def __init__(self) -> None:
        # per column: [last row, first row, first text, its moved form once needed, value]
        self._runs: dict[int, list] = {}

    def find(self, row: int, col: int, formula: str) -> object | None:
        """The value of the run this formula continues (the cell above is in it), or None."""
        run = self._runs.get(col)
        if run is None or run[0] != row - 1:
            return None
        if run[3] is None:
            run[3] = _moved_down(run[2])
        template, rows, last = run[3]
        down = row - run[1]
        if last + down > MAX_ROW:
            return None  # a reference moved off the grid: not the same form
        # most filled formulas have one relative row (=IF($K3=O$2,1,0)): no tuple to build
        moved = template % (rows[0] + down) if len(rows) == 1 else template % tuple([r + down for r in rows])
        if moved != formula:
            return None  # another formula
        run[0] = row
        return run[4]

    def start(self, row: int, col: int, formula: str, value: object) -> None:
        """A formula with an R1C1 key (``value`` stands for it) begins a run in its column."""
        self._runs[col] = [row, row, formula, None, value]


def _moved_down(formula: str) -> tuple[str, tuple[int, ...], int]:
    """The formula as a %-template in which only its relative rows vary: moved down, its columns
    and absolute rows stay as written. Also its relative rows, and the largest."""
    template: list[str] = []
    rows: list[int] = []
    for piece in MovedFormula(formula).pieces:
        if type(piece) is str:
            template.append(piece.replace("%", "%%"))
            continue
        is_row, absolute, index = piece  # type: ignore[misc]
        if not is_row:
            template.append(("$" if absolute else "") + _letters(index))
        elif absolute:
            template.append(f"${index}")
        else:
            template.append("%d")
            rows.append(index)
    return "".join(template), tuple(rows), max(rows, default=0)


@functools.lru_cache(maxsize=None)
def _letters(index: int) -> str:
    return column_letters(index)
