"""The macro adapter on a LibreOffice document (cellgrad.hosts.libreoffice), for the replay tests.

LibreOffice cannot run the lesson's VBA (its VBA layer fails on the sheet-scoped names), so the
statements are replayed through UNO by the same interpreter. Calc keeps Excel's semantics where
the macros need them: with automatic calculation off, a formula that depends on a changed cell
keeps showing its old value until a calculation. One difference is bridged here: with automatic
calculation on, Calc recalculates a changed cell's dependents only when they are read, Excel at
once. A macro that writes under automatic calculation and then switches it off (adam's reset,
then somesteps) would read stale values in Calc, so every write under automatic calculation,
and the switch back to it, is followed by a ``calculate``.

Each UNO request is a round trip, so writes and calculations are queued and sent together with
the next read (``Document.batch``): a write has no answer anyone waits for, and the order of
the requests is kept.
"""
from __future__ import annotations

from typing import Callable

from ..core.references import Range
from ..macros.adapter import Grid
from .libreoffice import Document


class LibreOfficeSheet:
    def __init__(self, doc: Document, sheet: str, resolve: Callable[[str], Range]) -> None:
        """``resolve`` maps the sheet's defined names to ranges (the engine reads the same file)."""
        self.doc = doc
        self.sheet = sheet
        self._resolve = resolve
        self._queue: list[tuple] = []
        self._automatic = True  # Excel's default; the macros set it where it matters

    def resolve(self, name: str) -> Range:
        return self._resolve(name)

    def read(self, area: Range) -> Grid:
        return self.read_many([area])[0]

    def read_many(self, areas: list[Range]) -> list[Grid]:
        """Several reads in the round trip that also carries the queued writes."""
        ops = self._queue + [("get", a.sheet, a.a1(with_sheet=False)) for a in areas]
        self._queue = []
        return self.doc.batch(ops)[-len(areas):] if areas else []

    def write(self, area: Range, rows: Grid) -> None:
        self._queue.append(("set", area.sheet, area.a1(with_sheet=False), rows))
        if self._automatic:
            self._queue.append(("calculate",))

    def clear(self, area: Range) -> None:
        self.write(area, [[None] * area.width for _ in range(area.height)])

    def set_automatic(self, on: bool) -> None:
        self._automatic = on
        self._queue.append(("set_automatic", on))
        if on:
            self._queue.append(("calculate",))

    def calculate_sheet(self) -> None:
        self._queue.append(("calculate",))

    def calculate_application(self) -> None:
        self._queue.append(("calculate",))

    def flush(self) -> None:
        """Send what is queued (before timing, closing or saving the document)."""
        if self._queue:
            self.doc.batch(self._queue)
            self._queue = []
