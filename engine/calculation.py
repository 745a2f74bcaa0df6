"""Recalculation: Excel's automatic and manual modes over the dependency graph.

Cells are computed in dependency order. A reference made at run time (OFFSET) may point at a cell
that is still stale: reading it computes it first (a pull), and the edge is remembered so that a
later change of that cell recalculates the reader. After an input changes, only the cells that
depend on it are recomputed.
"""
from __future__ import annotations

import random
from typing import Iterable

from .blocks import Block, BlockEvaluator, Fallback, find_blocks
from .errors import CircularReferenceError
from .graph import DependencyGraph
from .interpreter import Interpreter
from .model import Cell, Sheet
from .references import Range
from .values import Array, ErrorResult, ExcelError, Scalar


class Calculation:
    def __init__(self, sheets: dict[str, Sheet], *, seed: int | None = 0,
                 random_cells: Iterable[Cell] = (), blocks: bool = True) -> None:
        self.sheets = sheets
        self.rng = random.Random(seed)
        self.graph = DependencyGraph(sheets)
        self.interpreter = Interpreter(self)
        self.block_evaluator = BlockEvaluator(self)
        self.block_of: dict[Cell, Block] = {}
        self.units: list[Cell | Block] = self._units(blocks)
        self.automatic = True
        self.random_cells = [c for c in random_cells]  # recomputed at every recalculation
        self._current: list[Cell] = []
        self.evaluations = 0

    def _units(self, use_blocks: bool) -> list[Cell | Block]:
        """The calculation order with each block in one place; no blocks if that would cycle."""
        order = self.graph.order
        blocks = find_blocks(order, self.graph.precedents) if use_blocks else []
        if not blocks:
            return list(order)
        block_of = {cell: b for b in blocks for cell in b.cells}
        unit = lambda c: block_of.get(c, c)  # noqa: E731
        users: dict[object, set] = {}
        indegree: dict[object, int] = {}
        for cell in order:
            u = unit(cell)
            indegree.setdefault(u, 0)
            for p in self.graph.precedents[cell]:
                pu = unit(p)
                if pu is not u and u not in users.setdefault(pu, set()):
                    users[pu].add(u)
                    indegree[u] = indegree.get(u, 0) + 1
        ready = [u for u, d in indegree.items() if d == 0]
        units: list[Cell | Block] = []
        while ready:
            u = ready.pop()
            units.append(u)
            for v in users.get(u, ()):
                indegree[v] -= 1
                if indegree[v] == 0:
                    ready.append(v)
        if len(units) != len(indegree):
            return list(order)  # grouping would create a cycle between blocks: keep cells
        self.block_of = block_of
        return units

    # -- the CellSource protocol used by the interpreter ----------------------------------------
    def value(self, sheet: str, row: int, col: int) -> Scalar:
        try:
            cell = self.sheets[sheet].cells.get((row, col))
        except KeyError:
            raise ErrorResult(ExcelError.REF) from None
        if cell is None:
            return None
        if cell.dirty:
            self._evaluate(cell.master or cell)
        return cell.value

    def grid(self, rng: Range) -> Array:
        try:
            cells = self.sheets[rng.sheet].cells
        except KeyError:
            raise ErrorResult(ExcelError.REF) from None
        rows = []
        for r in range(rng.r1, rng.r2 + 1):
            row = []
            for c in range(rng.c1, rng.c2 + 1):
                cell = cells.get((r, c))
                if cell is None:
                    row.append(None)
                    continue
                if cell.dirty:
                    self._evaluate(cell.master or cell)
                row.append(cell.value)
            rows.append(row)
        return Array(rows)

    def note_dynamic(self, rng: Range) -> None:
        if self._current:
            self.graph.add_dynamic(rng, self._current[-1])

    # -- evaluation -----------------------------------------------------------------------------
    def _evaluate(self, cell: Cell) -> None:
        if cell in self._current:
            cycle = self._current[self._current.index(cell):] + [cell]
            raise CircularReferenceError(cell.sheet, cell.address,
                                         [f"{c.sheet}!{c.address}" for c in cycle])
        self._current.append(cell)
        try:
            result = self.interpreter.cell_result(cell.node, cell.sheet, cell.row, cell.col,
                                                  cell.array_range)
        finally:
            self._current.pop()
        self.evaluations += 1
        self.store(cell, result)

    def store(self, cell: Cell, result: Scalar | Array) -> None:
        """Write a formula's result into its cell (or, for an array formula, its target range)."""
        cell.dirty = False
        if cell.array_range is None:
            cell.value = result  # type: ignore[assignment]
            return
        cells = self.sheets[cell.sheet].cells
        target = cell.array_range
        for i, row in enumerate(result.rows):  # type: ignore[union-attr]
            for j, v in enumerate(row):
                member = cells[(target.r1 + i, target.c1 + j)]
                member.value = v
                member.dirty = False

    def mark_all(self) -> None:
        for cell in self.graph.order:
            self._mark(cell)

    def _mark(self, cell: Cell) -> None:
        cell.dirty = True
        block = self.block_of.get(cell)
        if block is not None:
            block.dirty = True
        if cell.array_range is not None:
            cells = self.sheets[cell.sheet].cells
            for r, c in cell.array_range.cells():
                cells[(r, c)].dirty = True

    def mark_dependents(self, sheet: str, row: int, col: int) -> None:
        """Mark every formula that depends, directly or not, on the given cell."""
        stack = self.graph.readers(sheet, row, col)
        while stack:
            cell = stack.pop()
            if cell.dirty:
                continue
            self._mark(cell)
            targets = [(cell.sheet, cell.row, cell.col)] if cell.array_range is None else \
                [(cell.sheet, r, c) for r, c in cell.array_range.cells()]
            for address in targets:
                stack.extend(self.graph.readers(*address))

    def recalculate(self) -> int:
        """Compute every stale formula (and the random ones), in order; returns how many."""
        for cell in self.random_cells:
            if not cell.dirty:
                self._mark(cell)
                self.mark_dependents(cell.sheet, cell.row, cell.col)
        before = self.evaluations
        for unit in self.units:
            if type(unit) is Block:
                if unit.dirty:
                    self._evaluate_block(unit)
            elif unit.dirty:
                self._evaluate(unit)
        return self.evaluations - before

    def _evaluate_block(self, block: Block) -> None:
        block.dirty = False
        try:
            values = self.block_evaluator.evaluate(block)
        except Fallback:
            for cell in block.cells:
                if cell.dirty:
                    self._evaluate(cell)
            return
        for cell, v in zip(block.cells, values):
            cell.value = v
            cell.dirty = False
        self.evaluations += len(block.cells)

    def calculate_all(self) -> int:
        """Excel's full recalculation (Ctrl+Alt+F9): every formula, whatever changed."""
        self.mark_all()
        return self.recalculate()

    def set_value(self, cell: Cell, value: Scalar) -> None:
        """A new constant in a cell; recalculates its dependents at once in automatic mode."""
        cell.value = value
        self.mark_dependents(cell.sheet, cell.row, cell.col)
        if self.automatic:
            self.recalculate()
