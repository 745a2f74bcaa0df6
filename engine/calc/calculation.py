"""Recalculation: Excel's automatic and manual modes over the dependency graph.

Cells are computed in dependency order; blocks of one shared formula are one unit, computed by
the numpy backend. A reference made at run time (OFFSET) may point at a cell that is still stale:
reading it during a recalculation computes it first (a pull), and the edge is remembered so that
a later change of that cell recalculates the reader.

After inputs change, only what depends on them is recomputed, following a *plan*: the ordered
units reachable from the changed inputs (and the volatile random cells), compiled once into
straight-line code (:mod:`cellgrad.calc.compiled`) and cached by the set of changed inputs. A macro that
pastes the same ranges epoch after epoch thus reuses one plan. The full recalculation's plan is
compiled only when it runs a second time: compiling every formula costs several times what
computing them once does, and a workbook opened to be read is calculated only once.

As in Excel, reading a cell never recalculates it in manual mode: a macro that copies a
dependent cell before ``Calculate`` copies the stale value, as Excel would.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from ..core.cells import Cell, Sheet
from ..core.errors import CircularReferenceError
from ..core.ir import AreaRef
from ..core.references import Range
from ..core.values import Array, ErrorResult, ExcelError, Scalar
from .blocks import ABSENT, Block, BlockEvaluator, BlockOutputs, Fallback, find_blocks
from .compiled import compile_plan
from .context import BookContext
from .graph import DependencyGraph
from .interpreter import Interpreter

Unit = Cell | Block
MAX_GRIDS = 4096  # ranges whose cells are remembered
MAX_GRID_CELLS = 1 << 16  # the largest of them
WIDE = 64  # a formula reading this many cells is computed as array operations


@dataclass
class Plan:
    run: list[Unit]         # computed, in order
    elsewhere: list[Unit]   # affected but on another sheet than the one calculated: left stale
    function: Callable[[], None]
    version: int
    stale: list[Cell | Block]            # what running it marks stale first, flattened
    stale_elsewhere: list[Cell | Block]  # and what it leaves stale
    compiled: bool = True                # False: ``function`` runs the units one by one

    def __post_init__(self) -> None:
        self.size = _size(self.run)  # how many formula cells it computes


class Calculation:
    def __init__(self, sheets: dict[str, Sheet], *, seed: int | None = 0,
                 random_cells: Iterable[Cell] = (), blocks: bool = True,
                 path: str | None = None) -> None:
        self.sheets = sheets
        self.book = BookContext(sheets, path, lambda: self.automatic)
        self.rng = random.Random(seed)
        self.graph = DependencyGraph(sheets)
        self.interpreter = Interpreter(self)
        self.block_evaluator = BlockEvaluator(self)
        self.block_of: dict[Cell, Block] = {}
        self.units: list[Unit] = self._units(blocks)
        self._array_blocks = {cell: self._array_block(cell) for cell in self.graph.order
                              if cell.array_range is not None}
        # a formula reading many cells, computed alone as array operations (a block of one)
        self._wide = {cell: Block(cell.sheet, cell.node, [cell]) for cell in self.graph.order  # type: ignore[arg-type]
                      if cell not in self.block_of and cell.array_range is None
                      and _cells_read(cell) >= WIDE}
        # which block writes a cell, and where in its values: blocks read such cells as arrays
        self.outputs = BlockOutputs([*dict.fromkeys(self.block_of.values()), *self._array_blocks.values()])
        self.position = {u: i for i, u in enumerate(self.units)}
        self.automatic = True
        self.random_cells = list(random_cells)  # volatile: recomputed at every recalculation
        self.pending: set[Cell] = set()    # inputs changed since the last recalculation
        self.stale = any(c.dirty for c in self.graph.order)  # dirty units outside any plan
        self._plans: dict[tuple[frozenset[Cell], str | None], Plan] = {}
        self._full_plan: Plan | None = None
        self._current: list[Cell] = []
        self.evaluations = 0
        # per range read by a formula: its cells, resolved once per layout version
        self._grids: dict[Range, tuple[int, list[list[Cell]]]] = {}

    def _array_block(self, cell: Cell) -> Block:
        """An array formula as a block of one, writing its target range."""
        cells = self.sheets[cell.sheet].cells
        members = [cells[address] for address in cell.array_range.cells()]  # type: ignore[union-attr]
        return Block(cell.sheet, cell.node, [cell], members)  # type: ignore[arg-type]

    def _units(self, use_blocks: bool) -> list[Unit]:
        """The calculation order with each block in one place; no blocks if that would cycle."""
        graph = self.graph
        blocks, numbers = find_blocks(graph) if use_blocks else ([], [])
        units = graph.condensed_order(numbers) if blocks else None
        if units is None:
            return list(graph.order)  # no blocks, or grouping would make a cycle: keep cells
        self.block_of = {cell: b for b in blocks for cell in b.cells}
        return [blocks[u] if type(u) is int else u for u in units]  # type: ignore[misc]

    # -- the CellSource protocol used by the interpreter (pulls stale cells) --------------------
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
        known = self._grids.get(rng)
        if known is None or known[0] != self.graph.version:
            try:
                cells = self.sheets[rng.sheet].cells
            except KeyError:
                raise ErrorResult(ExcelError.REF) from None
            known = (self.graph.version, [
                [cells.get((r, c), ABSENT) for c in range(rng.c1, rng.c2 + 1)]
                for r in range(rng.r1, rng.r2 + 1)])
            if rng.size <= MAX_GRID_CELLS:  # a whole column is not worth keeping
                if len(self._grids) >= MAX_GRIDS:
                    self._grids.clear()  # ranges made at run time (OFFSET's) need not pile up
                self._grids[rng] = known
        rows = known[1]
        for row in rows:
            for cell in row:
                if cell.dirty:
                    self._evaluate(cell.master or cell)
        return Array([[cell.value for cell in row] for row in rows])

    @property
    def version(self) -> int:
        """Changes when a cell or an edge appears: what was resolved or planned before is stale."""
        return self.graph.version

    def note_dynamic_block(self, rng: Range, cells: list[Cell]) -> None:
        self.graph.add_dynamic_block(rng, cells)

    def _compile(self, units: list[Unit]) -> Callable[[], None]:
        return compile_plan(self.sheets, units, evaluate_cell=self._evaluate,
                            evaluate_block=self._evaluate_block)

    def note_dynamic(self, rng: Range) -> None:
        if self._current:
            self.graph.add_dynamic(rng, self._current[-1])

    # -- reads from outside: never a pull; in automatic mode, first bring everything up to date --
    def read(self, rng: Range) -> list[list[Scalar]]:
        if self.automatic and (self.pending or self.stale):
            self.recalculate()
        cells = self.sheets[rng.sheet].cells
        return [[cells[(r, c)].value if (r, c) in cells else None
                 for c in range(rng.c1, rng.c2 + 1)] for r in range(rng.r1, rng.r2 + 1)]

    # -- evaluation -------------------------------------------------------------------------------
    def _evaluate(self, cell: Cell) -> None:
        if cell.array_range is not None and self._evaluate_array(cell):
            return
        wide = self._wide.get(cell)
        if wide is not None:
            try:
                (cell.value,) = self.block_evaluator.evaluate(wide).tolist()
                cell.dirty = False
                self.evaluations += 1
                return
            except Fallback:
                del self._wide[cell]  # the interpreter, from now on: the values are the same
        if cell in self._current:
            cycle = self._current[self._current.index(cell):] + [cell]
            raise CircularReferenceError(cell.sheet, cell.address,
                                         [f"{c.sheet}!{c.address}" for c in cycle])
        self._current.append(cell)
        try:
            result = self.interpreter.cell_result(cell.node, cell.sheet, cell.row, cell.col,
                                                  cell.array_range, spills=cell.spills)
        finally:
            self._current.pop()
        self.evaluations += 1
        self.store(cell, result)

    def _evaluate_array(self, cell: Cell) -> bool:
        """An array formula through the numpy backend, if it can vouch for the whole result."""
        block = self._array_blocks[cell]
        try:
            x = self.block_evaluator.evaluate(block, array=True)
        except Fallback:
            return False
        target = cell.array_range
        if x.shape != (1, target.height, target.width):  # type: ignore[union-attr]
            return False  # one value, broadcasting and #N/A padding are the interpreter's
        self.evaluations += 1
        block.dirty = False
        _write(block, x.reshape(-1))
        return True

    def _evaluate_block(self, block: Block) -> None:
        block.dirty = False
        try:
            x = self.block_evaluator.evaluate(block)
        except Fallback:
            for cell in block.cells:
                if cell.dirty:
                    self._evaluate(cell)
            return
        _write(block, x)
        self.evaluations += len(block.cells)

    def store(self, cell: Cell, result: Scalar | Array) -> None:
        """Write a formula's result into its cell (or, for an array formula, its target range)."""
        cell.dirty = False
        source = self.block_of.get(cell) or self._array_blocks.get(cell)
        if source is not None:
            source.values = None  # its block's values no longer say what its cells hold
        if cell.array_range is None:
            cell.value = result  # type: ignore[assignment]
            return
        members = iter(self._array_blocks[cell].outputs)
        for row in result.rows:  # type: ignore[union-attr]
            for v, member in zip(row, members):
                member.value = v
                member.dirty = False

    # -- marking -----------------------------------------------------------------------------------
    def _mark(self, unit: Unit) -> None:
        for item in self._stale_with(unit):
            item.dirty = True

    def _stale_with(self, unit: Unit) -> list[Cell | Block]:
        """What marking a unit stale marks: its cells, and the blocks that write them."""
        if type(unit) is Block:
            return [unit, *unit.cells]
        items: list[Cell | Block] = [unit]  # type: ignore[list-item]
        block = self.block_of.get(unit)  # type: ignore[arg-type]
        if block is not None:
            items.append(block)
        if unit.array_range is not None:  # type: ignore[union-attr]
            block = self._array_blocks[unit]  # type: ignore[index]
            items += [block, *block.outputs]
        return items

    def _new_plan(self, run: list[Unit], elsewhere: list[Unit], compiled: bool = True) -> Plan:
        function = self._compile(run) if compiled else lambda: self._run_units(run)
        return Plan(run, elsewhere, function, self.graph.version,
                    [item for unit in run for item in self._stale_with(unit)],
                    [item for unit in elsewhere for item in self._stale_with(unit)], compiled)

    def _run_units(self, units: list[Unit]) -> None:
        """What a compiled plan computes, unit by unit through what its fast path falls back to
        (blocks through the numpy backend, cells through the interpreter)."""
        for unit in units:
            if type(unit) is Block:
                self._evaluate_block(unit)
            else:
                self._evaluate(unit)  # type: ignore[arg-type]

    def _outputs(self, unit: Unit) -> Iterable[tuple[str, int, int]]:
        cells = unit.cells if type(unit) is Block else [unit]
        for cell in cells:  # type: ignore[union-attr]
            if cell.array_range is None:
                yield cell.sheet, cell.row, cell.col
            else:
                for r, c in cell.array_range.cells():
                    yield cell.sheet, r, c

    def affected(self, inputs: Iterable[Cell], volatile: bool = True) -> list[Unit]:
        """The units that depend on the inputs (or on a random cell), in calculation order."""
        unit_of = self.block_of.get
        stack: list[Unit] = [unit_of(c, c) for c in self.random_cells] if volatile else []
        for cell in inputs:
            stack.extend(unit_of(r, r) for r in self.graph.readers(cell.sheet, cell.row, cell.col))
        seen: set[Unit] = set()
        while stack:
            unit = stack.pop()
            if unit in seen:
                continue
            seen.add(unit)
            for address in self._outputs(unit):
                stack.extend(unit_of(r, r) for r in self.graph.readers(*address))
        return sorted(seen, key=self.position.__getitem__)

    # -- recalculation ------------------------------------------------------------------------------
    def recalculate(self, sheet: str | None = None) -> int:
        """Compute what is stale (Excel's ``Calculate``; with ``sheet``, ``Worksheet.Calculate``)."""
        if self.stale:
            before = self.evaluations
            self._recalculate_marked(sheet)
            return self.evaluations - before
        plan = self._plan(sheet)
        for item in plan.stale:
            item.dirty = True
        plan.function()
        for item in plan.stale_elsewhere:
            item.dirty = True
        self.stale = bool(plan.elsewhere)
        self.pending.clear()
        return plan.size

    def _plan(self, sheet: str | None) -> Plan:
        key = (frozenset(self.pending), sheet)
        plan = self._plans.get(key)
        if plan is None or plan.version != self.graph.version:
            units = self.affected(self.pending)
            run = [u for u in units if sheet is None or _sheet_of(u) == sheet]
            # Random cells of other sheets are recomputed when their sheet is: not stale meanwhile.
            elsewhere = [] if sheet is None else [
                u for u in self.affected(self.pending, volatile=False) if _sheet_of(u) != sheet]
            plan = self._plans[key] = self._new_plan(run, elsewhere)
        return plan

    def _recalculate_marked(self, sheet: str | None) -> None:
        """The general path, for cells already marked stale: every dirty unit, in order."""
        for unit in self.affected(self.pending):
            self._mark(unit)
        self.pending.clear()
        remaining = False
        for unit in self.units:
            if not unit.dirty:
                continue
            if sheet is not None and _sheet_of(unit) != sheet:
                remaining = True
            elif type(unit) is Block:
                self._evaluate_block(unit)
            else:
                self._evaluate(unit)  # type: ignore[arg-type]
        self.stale = remaining

    def calculate_all(self) -> int:
        """Excel's full recalculation (Ctrl+Alt+F9): every formula, whatever changed."""
        plan = self._full_plan
        if plan is None or plan.version != self.graph.version:
            plan = self._full_plan = self._new_plan(self.units, [], compiled=False)
        elif not plan.compiled:  # a second full recalculation: worth compiling for the next ones
            plan.function, plan.compiled = self._compile(plan.run), True
        for item in plan.stale:
            item.dirty = True
        plan.function()
        self.pending.clear()
        self.stale = False
        return plan.size

    def set_value(self, cell: Cell, value: Scalar) -> None:
        """A new constant in a cell; recalculates its dependents at once in automatic mode."""
        cell.value = value
        if self.graph.readers(cell.sheet, cell.row, cell.col):
            # a cell no formula reads (a pasted history) leaves the plans alone: none is stale,
            # and the cached plan for the other changed inputs still fits
            self.pending.add(cell)
        if self.automatic:
            self.recalculate()

    def cell_created(self, cell: Cell) -> None:
        """A cell that did not exist now does: compiled plans that read it skipped it as empty."""
        if self.graph.readers(cell.sheet, cell.row, cell.col):
            self.graph.version += 1


def _write(block: Block, x: np.ndarray) -> None:
    """A block's new values into its cells. Only the values that changed are written: cells keep
    their value objects when a recalculation gives the same numbers (most, in a full one)."""
    cells = block.outputs
    old, block.values = block.values, x
    if old is not None and old.dtype == x.dtype and old.shape == x.shape:
        changed = np.flatnonzero(x != old)
        if len(changed) < len(cells) // 2:
            for i, v in zip(changed.tolist(), x[changed].tolist()):
                cells[i].value = v
            for cell in cells:
                cell.dirty = False
            return
    for cell, v in zip(cells, x.tolist()):
        cell.value = v
        cell.dirty = False


def _cells_read(cell: Cell) -> int:
    """How many cells the ranges written in a formula hold."""
    return sum(n.at(cell.sheet, cell.row, cell.col).size for n in cell.node.walk()  # type: ignore[union-attr]
               if type(n) is AreaRef)


def _sheet_of(unit: Unit) -> str:
    return unit.sheet


def _size(units: list[Unit]) -> int:
    """How many formula cells the units compute."""
    return sum(len(u.cells) if type(u) is Block else 1 for u in units)
