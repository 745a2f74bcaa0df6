"""The in-memory workbook: sheets of cells, defined names, and the values Excel cached."""
from __future__ import annotations

from dataclasses import dataclass, field

from .ir import Node
from .references import Range, cell_name
from .values import Scalar


class Cell:
    """One cell. ``value`` is what the engine holds now; ``cached`` what the file held."""

    __slots__ = ("sheet", "row", "col", "value", "formula", "node", "cached", "array_range",
                 "master", "index", "dirty", "spills")

    def __init__(self, sheet: str, row: int, col: int, value: Scalar = None,
                 formula: str | None = None, cached: Scalar = None) -> None:
        self.sheet = sheet
        self.row = row
        self.col = col
        self.value = value
        self.formula = formula          # "=..." as written in the file, for formula cells
        self.node: Node | None = None   # the parsed formula (IR)
        self.cached = cached
        self.array_range: Range | None = None  # an array formula's target range (on its master)
        self.master: Cell | None = None         # for the other cells of an array formula
        self.index = -1                          # position in the calculation order
        self.dirty = False                       # its value is stale and must be recomputed
        self.spills = False  # a dynamic-array formula (Excel 365, cm=): its array spills

    @property
    def address(self) -> str:
        return cell_name(self.row, self.col)

    @property
    def is_formula(self) -> bool:
        return self.formula is not None

    def __repr__(self) -> str:
        return f"<Cell {self.sheet}!{self.address} {self.formula or self.value!r}>"


@dataclass
class DefinedName:
    name: str
    text: str               # the definition as stored: "adam!$C$2", "0.0001", "momentum!#REF!"
    sheet: str | None       # the sheet it is scoped to, None for workbook scope
    hidden: bool = False

    def range(self) -> Range | None:
        """The single range it refers to, or None (a constant, a union, or #REF!)."""
        if "#REF!" in self.text.upper() or "," in self.text:
            return None
        try:
            return Range.parse(self.text.lstrip("="))
        except ValueError:
            return None


@dataclass(frozen=True)
class Table:
    """An Excel Table (a list object) as its table part describes it. Formulas call it by
    ``name`` (the part's displayName), in any case; its columns are named by its header cells."""

    name: str
    sheet: str
    ref: Range                      # the whole table, header and totals rows included
    columns: tuple[str, ...]        # left to right
    header_row_count: int = 1       # 0 or 1
    totals_row_count: int = 0       # 0 or 1
    # column name -> the calculated-column formula as stored (without "="), for the columns with one
    calculated: tuple[tuple[str, str], ...] = ()
    filtered: bool = False          # its AutoFilter has a criterion: its hidden rows are filtered out

    @property
    def data_rows(self) -> tuple[int, int]:
        """First and last row of the data (the body without header and totals)."""
        return self.ref.r1 + self.header_row_count, self.ref.r2 - self.totals_row_count

    def column(self, name: str) -> int | None:
        """The sheet column of the table column called ``name`` (case-insensitive), or None."""
        wanted = name.casefold()
        for i, column in enumerate(self.columns):
            if column.casefold() == wanted:
                return self.ref.c1 + i
        return None

    def contains(self, sheet: str, row: int, col: int) -> bool:
        return self.ref.contains(sheet, row, col)


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    names: dict[str, DefinedName] = field(default_factory=dict)  # sheet-scoped, keys upper
    tables: list[Table] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # <row hidden="1">: by hand or by a filter
    # the sheet's AutoFilter range while a criterion is set: its hidden rows are filtered out
    filter: Range | None = None

    def cell(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def row_hidden(self, row: int, *, by_filter_only: bool = False) -> bool:
        """Whether ``row`` is hidden; with ``by_filter_only``, only if a filter hides it
        (SUBTOTAL 1-11 skip those, 101-111 every hidden row)."""
        if row not in self.hidden_rows:
            return False
        if not by_filter_only or self.filter is not None and self.filter.r1 < row <= self.filter.r2:
            return True
        return any(t.filtered and t.data_rows[0] <= row <= t.data_rows[1] for t in self.tables)
