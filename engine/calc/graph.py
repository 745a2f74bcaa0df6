"""The dependency graph of formula cells: precedents, dependents, calculation order, cycles."""
from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Iterable, Iterator, Sequence

import numpy as np

from ..core.cells import Cell, Sheet
from ..core.errors import CircularReferenceError
from ..core.ir import AreaRef, Binary, Call, CellRef, Const, Node, Ref3D, Union
from ..core.references import MAX_COL, MAX_ROW, Range

Address = tuple[str, int, int]
# A range larger than this is not expanded cell by cell into the reverse index; changes are
# matched against it by containment instead (whole columns such as A:A stay cheap).
LARGE_RANGE = 20_000
KEY = MAX_COL + 1  # row * KEY + col numbers a cell of one sheet


# Functions that use where their argument is, never what it holds: its references are not
# dependencies, so =ROW(A4) in A4 is computed, not circular. Within such an argument, OFFSET's and
# INDEX's reference argument is a position too (ROWS(OFFSET(A1,0,0,B1))); their other arguments,
# and the arguments of any other function there, are values and still read.
POSITION_ONLY = frozenset({"ROW", "COLUMN", "ROWS", "COLUMNS", "ISFORMULA", "SHEET", "SHEETS",
                           "FORMULATEXT", "AREAS"})
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


def _reference_nodes(node: Node, sheets: Sequence[str],
                     position: bool = False) -> Iterator[CellRef | AreaRef]:
    """The references written in a formula whose cells it reads (not those used for their
    position alone: ``position`` says ``node`` is such an argument); a 3-D reference is one per
    sheet of ``sheets`` (the worksheets in tab order) it spans."""
    t = type(node)
    if t is Ref3D:
        if not position:
            yield from map(node.on, node.sheets(sheets))  # type: ignore[attr-defined]
        return
    if t is CellRef or t is AreaRef:
        if not position:
            yield node  # type: ignore[misc]
        return
    if t is Call:
        for i, arg in enumerate(node.args):  # type: ignore[attr-defined]
            yield from _reference_nodes(arg, sheets, _position_argument(node, i, position))  # type: ignore[arg-type]
        return
    # the reference operators (A1:B2, A1 B2, (A1,B1)) keep the position context; other operators
    # need values
    inner = position and (t is Union or t is Binary and node.op in (":", " "))  # type: ignore[attr-defined]
    for child in node.children():
        yield from _reference_nodes(child, sheets, inner)


def static_references(node: Node, sheet: str, row: int, col: int, position: bool = False,
                      sheets: Sequence[str] = ()) -> Iterable[Address | Range]:
    """The cells and ranges a formula reads, as far as they are known without evaluating it
    (``position``: ``node`` is an argument whose position alone is used; ``sheets``: the
    worksheets in tab order, which 3-D references span: without them one reads nothing, as it
    is #REF!)."""
    for ref in _reference_nodes(node, sheets, position):
        if type(ref) is CellRef:
            r, c = ref.at(row, col)
            yield (ref.sheet or sheet, r, c)
        else:
            yield ref.at(sheet, row, col)  # type: ignore[call-arg]


class DependencyGraph:
    """Who reads whom. Formula cells are ordered so that each comes after what it reads.

    Built per distinct formula rather than per cell: the cells of one sheet sharing one IR node
    read the same pattern of offsets, so what they read is worked out for all of them at once,
    with numpy, from the node's references. Formula cells are numbered by their place in
    ``formulas``; the edges are arrays of those numbers, grouped by reader and by producer.
    """

    def __init__(self, sheets: dict[str, Sheet]) -> None:
        self.sheets = sheets
        self.large: list[tuple[Range, Cell]] = []
        # what blocks read through OFFSET, one bounding range per block, replaced at each evaluation
        self.dynamic_blocks: dict[int, tuple[Range, list[Cell]]] = {}
        self.version = 0  # bumped when an edge appears: plans built from older edges are stale
        self.formulas: list[Cell] = []
        self._spans: dict[str, tuple[int, int]] = {}  # each sheet's formulas are consecutive
        members: list[Cell] = []  # an array formula's other cells: produced by its master
        for name, sheet in sheets.items():
            start = len(self.formulas)
            self.formulas += [c for c in sheet.cells.values() if c.node is not None]
            self._spans[name] = (start, len(self.formulas))
            members += [c for c in sheet.cells.values() if c.node is None and c.master is not None]
        n = len(self.formulas)
        self.number: dict[Cell, int] = dict(zip(self.formulas, range(n)))  # place in ``formulas``
        self._rows = np.fromiter(map(attrgetter("row"), self.formulas), np.int64, n)
        self._cols = np.fromiter(map(attrgetter("col"), self.formulas), np.int64, n)
        nodes = np.fromiter(map(id, map(attrgetter("node"), self.formulas)), np.int64, n)
        # per sheet: the addresses its formulas compute, and which formula computes each
        producers = {name: (self._rows[a:b] * KEY + self._cols[a:b], np.arange(a, b))
                     for name, (a, b) in self._spans.items()}
        if members:  # masters may be on any sheet: all are numbered by now
            member_keys: dict[str, list[int]] = defaultdict(list)
            masters: dict[str, list[int]] = defaultdict(list)
            for cell in members:
                member_keys[cell.sheet].append(cell.row * KEY + cell.col)
                masters[cell.sheet].append(self.number.get(cell.master, -1))  # type: ignore[arg-type]
            for name, keys in member_keys.items():
                producers[name] = (np.concatenate([producers[name][0], keys]),
                                   np.concatenate([producers[name][1], masters[name]]))
        reads: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        edges: list[tuple[np.ndarray, np.ndarray]] = []  # (reader, producer) numbers
        patterns: dict[int, list[CellRef | AreaRef]] = {}
        order = list(sheets)  # the worksheets in tab order, which 3-D references span
        # the numbers of the formulas of one sheet sharing one node, each in ``formulas``' order
        self.groups: list[np.ndarray] = []
        for sheet, (start, end) in self._spans.items():
            # the cells of one sheet sharing one node: consecutive once sorted by node
            by_node = start + np.argsort(nodes[start:end], kind="stable")
            cuts = np.flatnonzero(np.diff(nodes[by_node])) + 1
            for group in np.split(by_node, cuts) if len(by_node) else ():
                self.groups.append(group)
                node = self.formulas[group[0]].node
                pattern = patterns.get(id(node))
                if pattern is None:
                    pattern = patterns[id(node)] = list(_reference_nodes(node, order))  # type: ignore[arg-type]
                if pattern:
                    self._read_pattern(sheet, pattern, group, reads, edges)
        # in the order of their first cells, not of the nodes' ids (memory addresses): blocks,
        # and the random draws made in their order, are then the same at every load
        self.groups.sort(key=lambda group: int(group[0]))
        m = max(n, 1)
        # per sheet read: the addresses read (row * KEY + col, sorted) and who reads each
        self._read: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for sheet, parts in reads.items():
            pairs = _distinct(np.concatenate([k * m + r for k, r in parts]))
            self._read[sheet] = read = (pairs // m, pairs % m)
            if len(producers.get(sheet, ((),))[0]):
                edges.append(_produced(read, producers[sheet]))
        pairs = _distinct(np.concatenate([r * m + p for r, p in edges])) if edges \
            else np.zeros(0, np.int64)
        readers, produced = pairs // m, pairs % m
        loops = readers[readers == produced]
        if len(loops):  # =A1+1 in A1, =SUM(A1:A5) in A3
            cell = self.formulas[int(loops[0])]
            raise CircularReferenceError(cell.sheet, cell.address,
                                         [f"{cell.sheet}!{cell.address}"] * 2)
        self._precedents = _grouped(readers, produced, n)
        self._users = _grouped(produced, readers, n)
        self._readers: dict[str, dict[int, list[Cell]]] = {}  # built per sheet when first asked
        self._order: list[Cell] | None = None

    def _read_pattern(self, sheet: str, pattern: list[CellRef | AreaRef], group: np.ndarray,
                      reads: dict[str, list[tuple[np.ndarray, np.ndarray]]],
                      edges: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """The addresses the cells of one shared node read, for all of them at once."""
        rows, cols = self._rows[group], self._cols[group]
        for ref in pattern:
            target = ref.sheet or sheet
            if type(ref) is CellRef:
                r = _at(ref.row_abs, ref.row, rows)
                c = _at(ref.col_abs, ref.col, cols)
                readers = group
            else:
                ra, rb = _at(ref.r1_abs, ref.r1, rows), _at(ref.r2_abs, ref.r2, rows)  # type: ignore[union-attr]
                ca, cb = _at(ref.c1_abs, ref.c1, cols), _at(ref.c2_abs, ref.c2, cols)  # type: ignore[union-attr]
                r1, r2 = np.minimum(ra, rb), np.maximum(ra, rb)
                c1, c2 = np.minimum(ca, cb), np.maximum(ca, cb)
                widths = c2 - c1 + 1
                sizes = (r2 - r1 + 1) * widths
                large = sizes > LARGE_RANGE
                for i in np.flatnonzero(large).tolist():
                    edges.append(self._large_range(
                        Range(target, int(r1[i]), int(c1[i]), int(r2[i]), int(c2[i])),
                        int(group[i])))
                small = ~large
                counts = sizes[small]
                readers = np.repeat(group[small], counts)
                offsets = np.arange(len(readers)) - np.repeat(np.cumsum(counts) - counts, counts)
                w = np.repeat(widths[small], counts)
                r = np.repeat(r1[small], counts) + offsets // w
                c = np.repeat(c1[small], counts) + offsets % w
            on_grid = (r >= 1) & (r <= MAX_ROW) & (c >= 1) & (c <= MAX_COL)
            reads[target].append((r[on_grid] * KEY + c[on_grid], readers[on_grid]))

    def _large_range(self, rng: Range, reader: int) -> tuple[np.ndarray, np.ndarray]:
        """A range too large to list by address is kept whole; it reads the formulas inside it."""
        self.large.append((rng, self.formulas[reader]))
        start, end = self._spans.get(rng.sheet, (0, 0))
        rows, cols = self._rows[start:end], self._cols[start:end]
        inside = start + np.flatnonzero((rows >= rng.r1) & (rows <= rng.r2)
                                        & (cols >= rng.c1) & (cols <= rng.c2))
        return np.full(len(inside), reader, np.int64), inside

    def add_dynamic(self, rng: Range, cell: Cell) -> None:
        """Record that ``cell`` read ``rng`` through a reference computed at run time (OFFSET)."""
        if rng.size > LARGE_RANGE:
            if (rng, cell) not in self.large:
                self.large.append((rng, cell))
                self.version += 1
            return
        readers = self._readers_on(rng.sheet)
        for r, c in rng.cells():
            deps = readers.setdefault(r * KEY + c, [])
            if cell not in deps:
                deps.append(cell)
                self.version += 1

    def add_dynamic_block(self, rng: Range, cells: list[Cell]) -> None:
        known = self.dynamic_blocks.get(id(cells))
        if known is None or known[0] != rng:
            self.dynamic_blocks[id(cells)] = (rng, cells)
            self.version += 1

    def _readers_on(self, sheet: str) -> dict[int, list[Cell]]:
        """Per address of a sheet, the formula cells that read it (made on the first question:
        a load that only calculates never asks)."""
        table = self._readers.get(sheet)
        if table is None:
            keys, who = self._read.get(sheet, (np.zeros(0, np.int64),) * 2)
            bounds = (np.flatnonzero(np.diff(keys)) + 1).tolist()
            cells = [self.formulas[i] for i in who.tolist()]
            starts = [0, *bounds]
            table = self._readers[sheet] = {
                k: cells[a:b] for k, a, b in zip(keys[starts].tolist() if len(keys) else [],
                                                 starts, [*bounds, len(cells)])}
        return table

    def readers(self, sheet: str, row: int, col: int) -> list[Cell]:
        """The formula cells that read this address (directly)."""
        out = list(self._readers_on(sheet).get(row * KEY + col, ()))
        for rng, cell in self.large:
            if rng.contains(sheet, row, col):
                out.append(cell)
        for rng, cells in self.dynamic_blocks.values():
            if rng.contains(sheet, row, col):
                out.extend(cells)
        return out

    def precedents(self, cell: Cell) -> list[Cell]:
        """The formula cells a formula cell reads, as far as known without evaluating it."""
        ptr, produced = self._precedents
        i = self.number[cell]
        return [self.formulas[p] for p in produced[ptr[i]:ptr[i + 1]].tolist()]

    def reads_itself(self, numbers: np.ndarray) -> bool:
        """Whether one of these formula cells (by number) reads another (or itself)."""
        return bool(np.isin(_gather(self._precedents, numbers), numbers).any())

    def positions(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows and columns of these formula cells (by number)."""
        return self._rows[numbers], self._cols[numbers]

    @property
    def order(self) -> list[Cell]:
        """Every formula cell after what it reads (CircularReferenceError if that cannot be)."""
        if self._order is None:
            order = _kahn(self._users, self._precedents)
            if order is None:
                raise self._cycle()
            self._set_order([self.formulas[i] for i in order])
        return self._order  # type: ignore[return-value]

    def _set_order(self, order: list[Cell]) -> None:
        self._order = order
        for i, cell in enumerate(order):
            cell.index = i

    def condensed_order(self, groups: list[np.ndarray]) -> list[int | Cell] | None:
        """The calculation order with each group (of cells not reading each other, by number)
        in one place, as its index in ``groups``; None if there is none. Only edges between
        different units are followed, so a workbook made of a few filled formulas is ordered in
        a few steps, not one per cell."""
        n, g = len(self.formulas), len(groups)
        unit = np.arange(g, g + n)  # a cell outside the groups is a unit of its own
        for i, numbers in enumerate(groups):
            unit[numbers] = i
        ptr, produced = self._precedents
        readers = unit[np.repeat(np.arange(n), np.diff(ptr))]
        sources = unit[produced]
        apart = readers != sources
        present = _distinct(unit)  # the groups, then the other cells in order
        number = np.zeros(g + n, np.int64)
        number[present] = np.arange(len(present))
        pairs = _distinct(number[sources[apart]] * len(present) + number[readers[apart]])
        size = max(len(present), 1)
        users = _grouped(pairs // size, pairs % size, len(present))
        order = _kahn(users, _grouped(pairs % size, pairs // size, len(present)))
        if order is None:
            return None
        units: list[int | Cell] = [u if u < g else self.formulas[u - g] for u in present[order].tolist()]
        if self._order is None:  # no cycle between units nor inside a group: none between cells
            formulas = self.formulas
            self._set_order([c for u in units for c in (
                [formulas[i] for i in groups[u].tolist()] if type(u) is int else [u])])
        return units

    def _cycle(self) -> CircularReferenceError:
        """A cycle among the cells Kahn's algorithm could not order."""
        ordered = set(_kahn(self._users, self._precedents, partial=True))  # type: ignore[arg-type]
        stuck = [c for i, c in enumerate(self.formulas) if i not in ordered]
        return self._cycle_error(stuck, set(stuck))

    def _cycle_error(self, stuck: list[Cell], stuck_set: set[Cell]) -> CircularReferenceError:
        # Walk precedents inside the stuck set until a cell repeats: that is a cycle.
        path: list[Cell] = []
        seen: dict[Cell, int] = {}
        cell = min(stuck, key=lambda c: (c.sheet, c.row, c.col))
        while cell not in seen:
            seen[cell] = len(path)
            path.append(cell)
            cell = next(p for p in sorted(self.precedents(cell), key=lambda c: (c.sheet, c.row, c.col))
                        if p in stuck_set)
        cycle = path[seen[cell]:] + [cell]
        first = cycle[0]
        return CircularReferenceError(first.sheet, first.address,
                                      [f"{c.sheet}!{c.address}" for c in cycle])


def _at(absolute: bool, index: int, anchors: np.ndarray) -> np.ndarray:
    """One coordinate of a reference, for every anchor."""
    return np.full_like(anchors, index) if absolute else anchors + index


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique hashes first in numpy 2.4: many times slower)."""
    values = np.sort(values)
    keep = np.ones(len(values), bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _grouped(keys: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``values`` grouped by ``keys`` (0..n-1): offsets per key, and the values in that order."""
    by_key = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, values[by_key]


def _gather(grouped: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    """The values of these keys, one after another."""
    ptr, values = grouped
    counts = ptr[keys + 1] - ptr[keys]
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return values[np.repeat(ptr[keys], counts) + offsets]


def _produced(read: tuple[np.ndarray, np.ndarray],
              producers: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(reader, producer) for each address read on a sheet that a formula there computes."""
    keys, readers = read
    by_address = np.argsort(producers[0])
    at, numbers = producers[0][by_address], producers[1][by_address]
    i = np.minimum(np.searchsorted(at, keys), len(at) - 1)
    hit = (at[i] == keys) & (numbers[i] >= 0)
    return readers[hit], numbers[i[hit]]


def _kahn(users: tuple[np.ndarray, np.ndarray], precedents: tuple[np.ndarray, np.ndarray],
          partial: bool = False) -> list[int] | None:
    """Kahn's algorithm over numbered nodes: an order, or None if a cycle leaves some out
    (``partial``: what could be ordered, then)."""
    ptr, targets = (a.tolist() for a in users)
    indegree = np.diff(precedents[0]).tolist()
    ready = [i for i, d in enumerate(indegree) if d == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for v in targets[ptr[i]:ptr[i + 1]]:
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    return order if partial or len(order) == len(indegree) else None
