"""The dependency graph of formula cells: precedents, dependents, calculation order, cycles."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..core.cells import Cell, Sheet
from ..core.errors import CircularReferenceError
from ..core.ir import AreaRef, Binary, Call, CellRef, Const, Node
from ..core.references import Range

Address = tuple[str, int, int]
# A range larger than this is not expanded cell by cell into the reverse index; changes are
# matched against it by containment instead (whole columns such as A:A stay cheap).
LARGE_RANGE = 20_000


# Functions that use where their argument is, never what it holds: its references are not
# dependencies, so =ROW(A4) in A4 is computed, not circular. Within such an argument, OFFSET's and
# INDEX's reference argument is a position too (ROWS(OFFSET(A1,0,0,B1))); their other arguments,
# and the arguments of any other function there, are values and still read.
POSITION_ONLY = frozenset({"ROW", "COLUMN", "ROWS", "COLUMNS", "ISFORMULA", "SHEET", "SHEETS"})
_POSITIONAL_BASE = frozenset({"OFFSET", "INDEX"})
# CELL's reference is a position for these info_types (a value for "contents" and "type")
_CELL_POSITIONS = frozenset({"address", "col", "row", "filename"})


def _position_argument(node: Call, i: int, position: bool) -> bool:
    """Whether argument ``i`` of the call is used for its position alone."""
    name = node.name
    if i == 0:
        return name in POSITION_ONLY or position and name in _POSITIONAL_BASE
    if i == 1 and name == "CELL":
        info = node.args[0]
        return type(info) is Const and type(info.value) is str \
            and info.value.lower() in _CELL_POSITIONS
    return False


def static_references(node: Node, sheet: str, row: int, col: int,
                      position: bool = False) -> Iterable[Address | Range]:
    """The cells and ranges a formula reads, as far as they are known without evaluating it
    (``position``: ``node`` is an argument whose position alone is used)."""
    t = type(node)
    if t is CellRef:
        if not position:
            r, c = node.at(row, col)  # type: ignore[attr-defined]
            yield (node.sheet or sheet, r, c)  # type: ignore[attr-defined]
        return
    if t is AreaRef:
        if not position:
            yield node.at(sheet, row, col)  # type: ignore[attr-defined]
        return
    if t is Call:
        for i, arg in enumerate(node.args):  # type: ignore[attr-defined]
            yield from static_references(arg, sheet, row, col,
                                         _position_argument(node, i, position))  # type: ignore[arg-type]
        return
    # the reference operators (A1:B2, A1 B2) keep the position context; other operators need values
    inner = position and t is Binary and node.op in (":", " ")  # type: ignore[attr-defined]
    for child in node.children():
        yield from static_references(child, sheet, row, col, inner)


class DependencyGraph:
    """Who reads whom. Formula cells are ordered so that each comes after what it reads."""

    def __init__(self, sheets: dict[str, Sheet]) -> None:
        self.sheets = sheets
        self.dependents: dict[Address, list[Cell]] = defaultdict(list)
        self.large: list[tuple[Range, Cell]] = []
        # what blocks read through OFFSET, one bounding range per block, replaced at each evaluation
        self.dynamic_blocks: dict[int, tuple[Range, list[Cell]]] = {}
        self.version = 0  # bumped when an edge appears: plans built from older edges are stale
        self.formulas: list[Cell] = [c for s in sheets.values() for c in s.cells.values()
                                     if c.node is not None]
        self.precedents: dict[Cell, set[Cell]] = {}
        formula_cells_by_sheet: dict[str, list[Cell]] = defaultdict(list)
        for cell in self.formulas:
            formula_cells_by_sheet[cell.sheet].append(cell)
        for cell in self.formulas:
            found: set[Cell] = set()
            for ref in static_references(cell.node, cell.sheet, cell.row, cell.col):  # type: ignore[arg-type]
                if isinstance(ref, Range):
                    self._add_range(ref, cell, found, formula_cells_by_sheet)
                else:
                    self.dependents[ref].append(cell)
                    self._add_precedent(ref, found)
            if cell in found:  # =A1+1 in A1, =SUM(A1:A5) in A3
                raise CircularReferenceError(cell.sheet, cell.address,
                                             [f"{cell.sheet}!{cell.address}"] * 2)
            self.precedents[cell] = found
        self.order = self._order()
        for i, cell in enumerate(self.order):
            cell.index = i

    def _producer(self, address: Address) -> Cell | None:
        sheet = self.sheets.get(address[0])
        if sheet is None:
            return None
        cell = sheet.cells.get((address[1], address[2]))
        if cell is None:
            return None
        if cell.master is not None:
            return cell.master
        return cell if cell.node is not None else None

    def _add_precedent(self, address: Address, found: set[Cell]) -> None:
        producer = self._producer(address)
        if producer is not None:
            found.add(producer)

    def _add_range(self, rng: Range, cell: Cell, found: set[Cell],
                   by_sheet: dict[str, list[Cell]]) -> None:
        if rng.size > LARGE_RANGE:
            self.large.append((rng, cell))
            for other in by_sheet.get(rng.sheet, ()):
                if rng.contains(other.sheet, other.row, other.col):
                    found.add(other)
            return
        for r, c in rng.cells():
            address = (rng.sheet, r, c)
            self.dependents[address].append(cell)
            self._add_precedent(address, found)

    def add_dynamic(self, rng: Range, cell: Cell) -> None:
        """Record that ``cell`` read ``rng`` through a reference computed at run time (OFFSET)."""
        if rng.size > LARGE_RANGE:
            if (rng, cell) not in self.large:
                self.large.append((rng, cell))
                self.version += 1
            return
        for r, c in rng.cells():
            deps = self.dependents[(rng.sheet, r, c)]
            if cell not in deps:
                deps.append(cell)
                self.version += 1

    def add_dynamic_block(self, rng: Range, cells: list[Cell]) -> None:
        known = self.dynamic_blocks.get(id(cells))
        if known is None or known[0] != rng:
            self.dynamic_blocks[id(cells)] = (rng, cells)
            self.version += 1

    def readers(self, sheet: str, row: int, col: int) -> list[Cell]:
        """The formula cells that read this address (directly)."""
        out = list(self.dependents.get((sheet, row, col), ()))
        for rng, cell in self.large:
            if rng.contains(sheet, row, col):
                out.append(cell)
        for rng, cells in self.dynamic_blocks.values():
            if rng.contains(sheet, row, col):
                out.extend(cells)
        return out

    def _order(self) -> list[Cell]:
        """Kahn's algorithm; what remains in a cycle is reported with the cycle's path."""
        indegree = {cell: len(p) for cell, p in self.precedents.items()}
        users: dict[Cell, list[Cell]] = defaultdict(list)
        for cell, precedents in self.precedents.items():
            for p in precedents:
                users[p].append(cell)
        ready = [c for c in self.formulas if indegree[c] == 0]
        order: list[Cell] = []
        while ready:
            cell = ready.pop()
            order.append(cell)
            for user in users[cell]:
                indegree[user] -= 1
                if indegree[user] == 0:
                    ready.append(user)
        if len(order) != len(self.formulas):
            stuck = [c for c in self.formulas if indegree[c] > 0]
            raise self._cycle_error(stuck, set(stuck))
        return order

    def _cycle_error(self, stuck: list[Cell], stuck_set: set[Cell]) -> CircularReferenceError:
        # Walk precedents inside the stuck set until a cell repeats: that is a cycle.
        path: list[Cell] = []
        seen: dict[Cell, int] = {}
        cell = min(stuck, key=lambda c: (c.sheet, c.row, c.col))
        while cell not in seen:
            seen[cell] = len(path)
            path.append(cell)
            cell = next(p for p in sorted(self.precedents[cell], key=lambda c: (c.sheet, c.row, c.col))
                        if p in stuck_set)
        cycle = path[seen[cell]:] + [cell]
        first = cycle[0]
        return CircularReferenceError(first.sheet, first.address,
                                      [f"{c.sheet}!{c.address}" for c in cycle])
