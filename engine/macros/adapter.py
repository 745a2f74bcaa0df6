"""What a macro needs from a spreadsheet, and the adapter on the engine's Workbook.

The interpreter (:mod:`cellgrad.macros.runner`) performs every statement through this small
interface, so one implementation runs headless (the engine), in LibreOffice (the replay tests) and
live in Excel (xlwings). Each adapter must keep Excel's calculation semantics:

- ``read`` returns what the cells show now: under manual calculation a formula that depends on a
  changed cell still shows its old value until a calculation, exactly as Excel's ``Range.Value``;
- ``write`` and ``clear`` recalculate the dependents at once under automatic calculation only;
- switching to automatic calculation recalculates what is stale.
"""
from __future__ import annotations

from typing import Protocol

from ..core.references import Range
from ..core.values import Scalar
from ..workbook import Workbook

Grid = list[list[Scalar]]


class SheetAdapter(Protocol):
    """The active sheet of a workbook, as the macros see it."""

    sheet: str

    def resolve(self, name: str) -> Range:
        """A defined name of the sheet (or A1 text) as a range; DefinedNameError if it is not one."""

    def read(self, area: Range) -> Grid: ...

    def read_many(self, areas: list[Range]) -> list[Grid]:
        """Several reads at once (one round trip where the spreadsheet is another process)."""

    def write(self, area: Range, rows: Grid) -> None: ...

    def clear(self, area: Range) -> None: ...

    def set_automatic(self, on: bool) -> None: ...

    def calculate_sheet(self) -> None:
        """``ActiveSheet.Calculate``."""

    def calculate_application(self) -> None:
        """``Application.Calculate``."""


class EngineSheet:
    """A sheet of an engine :class:`~cellgrad.workbook.Workbook`."""

    def __init__(self, book: Workbook, sheet: str) -> None:
        book.resolve("A1", sheet)  # WorkbookError for an unknown sheet, before any macro runs
        self.book = book
        self.sheet = sheet
        self._names: dict[str, Range] = {}  # defined names do not change while macros run

    def resolve(self, name: str) -> Range:
        # Workbook.resolve reads Range("lr") as the name lr, as Excel does; names do not change
        # while macros run, so each is resolved once
        key = name.upper()
        if key not in self._names:
            self._names[key] = self.book.resolve(name, self.sheet)
        return self._names[key]

    def read(self, area: Range) -> Grid:
        # the engine's reads never compute a stale cell: under manual calculation the macros copy
        # stale values, as in Excel
        return self.book.read(area)

    def read_many(self, areas: list[Range]) -> list[Grid]:
        return [self.read(area) for area in areas]

    def write(self, area: Range, rows: Grid) -> None:
        self.book.set(area.a1(), rows)

    def clear(self, area: Range) -> None:
        self.book.set(area.a1(), [[None] * area.width for _ in range(area.height)])

    def set_automatic(self, on: bool) -> None:
        self.book.automatic = on

    def calculate_sheet(self) -> None:
        # ActiveSheet.Calculate: this sheet only, as Excel (other sheets stay stale, the data
        # tab's RANDBETWEEN cells are not redrawn)
        self.book.recalculate(self.sheet)

    def calculate_application(self) -> None:
        self.book.recalculate()
