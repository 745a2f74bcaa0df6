"""The block evaluator: one IR node computed for a whole block of cells at once.

Most cells of the lesson's sheets are one formula filled over a block (3,090 one-hot cells share
``IF($K3=O$2,1,0)``). When no cell of such a block reads another cell of it, the block is computed
as array operations over all its anchors. The evaluator is written once, against the small
array-operations interface :class:`~cellgrad.functions.array_kernels.ArrayOps`; :class:`NumpyOps` runs
it for the exact engine and ``cellgrad.ml.torch_backend.TorchOps`` runs the same code as
differentiable torch operations.

The evaluator itself knows numbers, empty cells, references, arithmetic and comparisons. A
function is computed by the array kernel its registry entry offers (:mod:`cellgrad.functions`);
the evaluator names no function. Anything else — text, logical or error inputs, a result that is
not a finite number, a function without a kernel — raises :class:`Fallback`: the exact engine
then computes the block cell by cell with the interpreter, so its values are the interpreter's
whenever the array path cannot vouch for them.

What a block reads is fixed by its formula and its cells, so the addresses of each reference,
and the cells behind them, are worked out on the first evaluation and reused after (a block is
recalculated many times: the gathers are the hot spot of a recalculation).
"""
from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Protocol

import numpy as np

from ..core.cells import Cell, Sheet
from ..core.ir import AreaRef, Binary, Call, CellRef, Const, Node, Unary
from ..core.references import MAX_COL, MAX_ROW, Range
from ..core.values import Scalar
from ..functions import REGISTRY, Arg
from ..functions.array_kernels import ArrayOps, Fallback, Gather, Ref, Vec

if TYPE_CHECKING:
    from .graph import DependencyGraph

_NUMBER_TYPES = {float}
_NUMBER_OR_EMPTY_TYPES = {float, type(None)}
MIN_BLOCK = 16           # smaller groups are not worth the setup
MAX_GATHERED = 1 << 22   # a block reading more values than this (32 MB of them) is left to the interpreter
KEY = MAX_COL + 1        # row * KEY + col numbers a cell of one sheet


class Block:
    """Cells on one sheet sharing one formula node, none reading another (or one array formula).

    ``outputs`` are the cells it writes: its cells, or an array formula's whole target range row
    by row. ``values`` holds what the numpy backend last wrote into them, as one array (None
    once anything else wrote one of them): while the block is not dirty, a block reading its
    cells takes that array instead of reading the cells one by one.
    """

    __slots__ = ("sheet", "node", "cells", "outputs", "rows", "cols", "dirty", "index", "values")

    def __init__(self, sheet: str, node: Node, cells: list[Cell],
                 outputs: list[Cell] | None = None,
                 positions: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``positions``: the cells' rows and columns, where they are known as arrays already."""
        self.sheet = sheet
        self.node = node
        self.cells = cells
        self.outputs = cells if outputs is None else outputs
        if positions is None:
            positions = (np.array([c.row for c in cells], dtype=np.int64),
                         np.array([c.col for c in cells], dtype=np.int64))
        self.rows, self.cols = positions
        self.dirty = False
        self.index = -1
        self.values: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"<Block {self.sheet} x{len(self.cells)}>"


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt,
    "<=": operator.le, ">=": operator.ge,
}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}
_NUMBER_KINDS = (Arg.NUMBER, Arg.LAZY)  # IF's branches: both computed, where() picks
_REFERENCE_KINDS = (Arg.GRID, Arg.VALUES, Arg.REF, Arg.SCALAR, Arg.ANY)


def _per_cell(abs_: bool, index: int, anchors: np.ndarray) -> np.ndarray:
    """One coordinate of a reference for every anchor of a block."""
    return np.full_like(anchors, index) if abs_ else anchors + index


def _reference(node: CellRef | AreaRef, block: Block) -> Ref:
    """A reference written in the formula, per cell of the block."""
    sheet = node.sheet or block.sheet
    if type(node) is CellRef:
        return Ref(sheet, _per_cell(node.row_abs, node.row, block.rows),
                   _per_cell(node.col_abs, node.col, block.cols), 1, 1, cell=True)
    r1 = _per_cell(node.r1_abs, node.r1, block.rows)
    c1 = _per_cell(node.c1_abs, node.c1, block.cols)
    heights = _per_cell(node.r2_abs, node.r2, block.rows) - r1
    widths = _per_cell(node.c2_abs, node.c2, block.cols) - c1
    if (heights != heights[0]).any() or (widths != widths[0]).any() or heights[0] < 0 \
            or widths[0] < 0:
        raise Fallback
    return Ref(sheet, r1, c1, int(heights[0]) + 1, int(widths[0]) + 1)


def _addresses(ref: Ref) -> tuple[np.ndarray, np.ndarray]:
    """The cells a reference reads: shape (N,) for one cell each, else (N, h, w), or (1, h, w)
    where every cell reads the same range (an absolute one, as MATCH's lookup vector is)."""
    if ref.cell:
        return ref.rows, ref.cols
    if len(ref.rows) * ref.height * ref.width > MAX_GATHERED:
        raise Fallback  # before building the addresses: a whole column would take gigabytes
    dr, dc = np.meshgrid(np.arange(ref.height), np.arange(ref.width), indexing="ij")
    rows, cols = ref.rows, ref.cols
    if (rows == rows[0]).all() and (cols == cols[0]).all():
        rows, cols = rows[:1], cols[:1]
    return rows[:, None, None] + dr[None], cols[:, None, None] + dc[None]


class Evaluator:
    """Evaluates IR nodes over blocks with one ArrayOps backend; the context kernels are given."""

    def __init__(self, ops: ArrayOps) -> None:
        self.ops = ops
        self.array_formula = False  # evaluating an array formula: results may be (1, h, w)
        self.size = 0               # cells in the block being evaluated
        self.block: Block | None = None
        # per (node, block): its reference, and the gather of its cells; entries hold the node
        # and the block, so their ids stay theirs
        self._refs: dict[tuple[int, int], tuple[Node, Block, Ref]] = {}
        self._gathers: dict[tuple[int, int], Gather] = {}
        # per (call, block): the positions a run-time reference last read, their gather and area
        # (the entry holds the call and the block, so their ids stay theirs)
        self._reads: dict[tuple[int, int], tuple] = {}
        self._call: Call | None = None  # the function call whose kernel is running

    # -- entry point -------------------------------------------------------------------------
    def evaluate(self, block: Block, array: bool = False) -> Any:
        """The block's values (``array``: an array formula, its whole (1, h, w) result), or Fallback."""
        # a load may pull a stale cell, whose array formula is evaluated here in turn
        outer = self.array_formula, self.block, self.size, self._call
        self.array_formula, self.block, self.size = array, block, len(block.cells)
        try:
            return self._evaluate(block, array)
        finally:
            self.array_formula, self.block, self.size, self._call = outer

    def _evaluate(self, block: Block, array: bool) -> Any:
        with self.ops.guard():
            result = self.vec(block.node, block)
            if isinstance(result, Vec):
                result = result.x
            ops = self.ops
            if not ops.is_array(result):
                if type(result) is str:
                    raise Fallback
                result = ops.full(self.size, float(result)) if type(result) is not bool \
                    else ops.mask(np.full(self.size, result))
            elif (result.ndim != 1) != array:
                raise Fallback
            elif not array and result.shape[0] != self.size:
                raise Fallback
            return ops.result(result, block)

    # -- references and their values ------------------------------------------------------------
    def ref(self, node: CellRef | AreaRef, block: Block) -> Ref:
        key = (id(node), id(block))
        entry = self._refs.get(key)
        if entry is None:
            ref = _reference(node, block)
            ref.key = key
            entry = self._refs[key] = (node, block, ref)
        return entry[2]

    def gather(self, ref: Ref) -> Gather:
        gather = self._gathers.get(ref.key) if ref.key is not None else None
        if gather is None:
            rows, cols = _addresses(ref)
            if rows.min() < 1 or cols.min() < 1 or rows.max() > MAX_ROW or cols.max() > MAX_COL:
                raise Fallback
            gather = Gather(ref.sheet, rows, cols, KEY)
            if len(rows) != len(ref.rows):  # one range for all: its cells found once, then repeated
                gather.inverse = np.repeat(gather.inverse, len(ref.rows), axis=0)
            if ref.key is not None:
                self._gathers[ref.key] = gather
        return gather

    def load(self, ref: Ref) -> Vec:
        """A reference's values: (N,) for one cell per anchor, else (N, h, w)."""
        return self._values(self.gather(ref))

    def _values(self, gather: Gather) -> Vec:
        values, empty = self.ops.load(gather)
        inverse = gather.inverse
        return Vec(self.ops.take(values, inverse), None if empty is None else empty[inverse])

    def values(self, arg: Any) -> Vec:
        v = self.load(arg) if type(arg) is Ref else arg
        if not isinstance(v, Vec):
            raise Fallback
        if v.x.ndim == 1:
            return Vec(v.x[:, None, None], None if v.empty is None else v.empty[:, None, None])
        return v

    def distinct(self, arg: Any) -> tuple[list[Scalar], np.ndarray]:
        """An argument's distinct values, whatever their type, and per entry which one it is."""
        if type(arg) is Ref:
            gather = self.gather(arg)
            values = self.ops.scalars(gather)
            if set(map(type, values)) != _NUMBER_TYPES:
                return values, gather.inverse  # distinct cells: a lookup per cell at most
            unique, inverse = np.unique(np.array(values), return_inverse=True)
            return unique.tolist(), inverse[gather.inverse]
        if type(arg) is str:
            raise Fallback
        x = np.broadcast_to(self.ops.numbers(self.number(arg)), (self.size,))
        unique, inverse = np.unique(x, return_inverse=True)
        return unique.tolist(), inverse

    def read(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> Vec:
        """Values at positions computed at run time, recorded so that a change there recomputes
        the block. The positions seldom change between recalculations: their gather is kept."""
        key = (id(self._call), id(self.block))
        last = self._reads.get(key)
        if last is None or last[0] != sheet or not np.array_equal(last[1], rows) \
                or not np.array_equal(last[2], cols):
            gather = self.gather(Ref(sheet, rows, cols, 1, 1, cell=True))
            area = Range(sheet, int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max()))
            last = self._reads[key] = (sheet, rows, cols, gather, area, self._call, self.block)
        self.ops.note_reads(last[4], self.block)  # type: ignore[arg-type]
        return self._values(last[3])

    # -- evaluation ------------------------------------------------------------------------------
    def vec(self, node: Node, block: Block) -> Any:
        """A Vec, an array of per-cell results, or one scalar for the whole block."""
        t = type(node)
        if t is Const:
            v = node.value  # type: ignore[attr-defined]
            if type(v) in (float, bool, str):
                return v
            raise Fallback
        if t is CellRef or t is AreaRef:
            return self.load(self.ref(node, block))  # type: ignore[arg-type]
        if t is Unary:
            a = self.number(self.vec(node.operand, block))  # type: ignore[attr-defined]
            op = node.op  # type: ignore[attr-defined]
            return -a if op == "-" else a / 100.0 if op == "%" else a
        if t is Binary:
            return self.binary(node, block)  # type: ignore[arg-type]
        if t is Call:
            return self.call(node, block)  # type: ignore[arg-type]
        raise Fallback

    def number(self, v: Any) -> Any:
        """An operand of arithmetic: empty cells are 0, logicals 1/0, text is not handled here."""
        if isinstance(v, Vec):
            if v.x.ndim != 1:
                raise Fallback
            return v.x
        if self.ops.is_array(v):
            return self.ops.to_float(v) if self.ops.is_bool(v) else v
        if type(v) is str:
            raise Fallback
        return float(v)

    def binary(self, node: Binary, block: Block) -> Any:
        op = node.op
        left = self.vec(node.left, block)
        right = self.vec(node.right, block)
        if op in _COMPARE:
            return self.compare(op, left, right)
        if op == "&" or op == ":" or op == " ":
            raise Fallback
        a, b = self.number(left), self.number(right)
        if op in _ARITHMETIC:
            if op == "/" and not self.ops.is_array(b) and b == 0:
                raise Fallback  # #DIV/0!; an array divisor gives inf/nan, caught by result()
            return _ARITHMETIC[op](a, b)
        # 0^0 is #NUM! in Excel but 1 in array libraries
        if np.any((self.ops.numbers(a) == 0) & (self.ops.numbers(b) == 0)):
            raise Fallback
        return self.ops.power(a, b)

    def compare(self, op: str, left: Any, right: Any) -> Any:
        # A comparison with "" asks whether a cell is empty; with numbers, empty counts as 0.
        if type(right) is str or type(left) is str:
            text, other = (right, left) if type(right) is str else (left, right)
            if text != "" or op not in ("=", "<>") or not isinstance(other, Vec) or other.x.ndim != 1:
                raise Fallback
            empty = other.empty_mask()
            return self.ops.mask(empty if op == "=" else ~empty)
        if type(left) is bool or type(right) is bool:
            raise Fallback
        ops = self.ops
        if ops.is_array(left) and ops.is_bool(left) or ops.is_array(right) and ops.is_bool(right):
            raise Fallback  # logicals compare above all numbers in Excel
        return _COMPARE[op](self.number(left), self.number(right))

    def call(self, node: Call, block: Block) -> Any:
        """A function through its registered array kernel, arguments prepared by their kinds."""
        spec = REGISTRY.get(node.name)
        if spec is None or spec.kernel is None or len(node.args) < spec.min_args \
                or spec.max_args is not None and len(node.args) > spec.max_args:
            raise Fallback
        args = [self.argument(spec.kind(i), arg, block) for i, arg in enumerate(node.args)]
        self._call = node
        return spec.kernel(self, *args)

    def argument(self, kind: Arg, node: Node, block: Block) -> Any:
        if kind in _NUMBER_KINDS:
            v = self.vec(node, block)
            if kind is Arg.LAZY and (type(v) is bool or self.ops.is_array(v) and self.ops.is_bool(v)):
                raise Fallback  # a branch is the result as it is: a logical stays a logical
            x = self.number(v)
            return x if self.ops.is_array(x) else self.ops.full(self.size, x)
        if kind is Arg.BOOL:
            condition = self.vec(node, block)
            if isinstance(condition, Vec):
                return condition.x != 0
            if not self.ops.is_array(condition):
                raise Fallback
            return condition if self.ops.is_bool(condition) else condition != 0
        if kind in _REFERENCE_KINDS:
            if type(node) is CellRef or type(node) is AreaRef:
                return self.ref(node, block)  # type: ignore[arg-type]
            if kind is Arg.REF:
                raise Fallback
            return self.vec(node, block)
        raise Fallback  # text


class BlockOutputs:
    """Which block writes each cell, per sheet as sorted position keys: the cells of a gather
    that blocks compute are found for all of them at once (a block reading another block's
    hundred thousand cells takes its values array, and makes no cell lookup)."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self._index: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def _build(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        parts: dict[str, list[tuple[np.ndarray, int]]] = {}
        for number, block in enumerate(self.blocks):
            if block.outputs is block.cells:
                keys = block.rows * KEY + block.cols
            else:  # an array formula's target range
                keys = np.fromiter((c.row * KEY + c.col for c in block.outputs), np.int64,
                                   len(block.outputs))
            parts.setdefault(block.sheet, []).append((keys, number))
        index = {}
        for sheet, found in parts.items():
            keys = np.concatenate([k for k, _ in found])
            numbers = np.concatenate([np.full(len(k), n, np.int64) for k, n in found])
            places = np.concatenate([np.arange(len(k)) for k, _ in found])
            order = np.argsort(keys, kind="stable")
            index[sheet] = (keys[order], numbers[order], places[order])
        return index

    def find(self, sheet: str, keys: np.ndarray
             ) -> tuple[list[tuple[Block, np.ndarray, np.ndarray]], np.ndarray]:
        """For positions ``keys`` (row * KEY + col) on a sheet: per block writing some of them,
        (block, where they are in ``keys``, where in the block's values); and the positions no
        block writes."""
        if self._index is None:
            self._index = self._build()
        known = self._index.get(sheet)
        if known is None or not len(keys):
            return [], np.arange(len(keys))
        at, numbers, places = known
        i = np.minimum(np.searchsorted(at, keys), len(at) - 1)
        hit = at[i] == keys
        written = np.flatnonzero(hit)
        by = numbers[i[written]]
        sources = []
        for number in np.unique(by).tolist():
            mine = written[by == number]
            sources.append((self.blocks[number], mine, places[i[mine]]))
        return sources, np.flatnonzero(~hit)


class CellValues(Protocol):
    """What the numpy evaluator reads from the calculation (which pulls stale cells)."""

    sheets: dict[str, Sheet]
    version: int  # changes when a cell appears: resolved cells are then looked up again
    outputs: BlockOutputs  # the blocks that write cells, and where

    def value(self, sheet: str, row: int, col: int) -> Scalar: ...

    def note_dynamic_block(self, rng: Range, cells: list[Cell]) -> None: ...


ABSENT = Cell("", 0, 0)  # stands for a cell that does not exist: empty, never stale


class _Resolved:
    """The numpy backend's memo for one gather: the cells behind it, resolved once per layout
    version; those a block writes are taken from its values array while it is current (and
    are looked up as cells only when it is not, or when their values are asked for as such)."""

    __slots__ = ("version", "gather", "size", "sources", "loose_at", "loose", "_cells")

    def __init__(self, version: int, gather: Gather,
                 sources: list[tuple[Block, np.ndarray, np.ndarray]],
                 loose_at: np.ndarray, loose: list[Cell]) -> None:
        self.version = version
        self.gather = gather
        self.size = len(gather.rows)
        self.sources = sources
        self.loose_at = loose_at
        self.loose = loose
        self._cells: list[Cell] | None = None

    def cells(self, sheet: dict[tuple[int, int], Cell]) -> list[Cell]:
        if self._cells is None:
            self._cells = [sheet.get(address, ABSENT) for address in zip(self.gather.rows.tolist(),
                                                                          self.gather.cols.tolist())]
        return self._cells


class NumpyOps:
    """The exact engine's arrays: numpy float64, sums in Excel's order (left to right)."""

    xp = np

    def __init__(self, calc: CellValues) -> None:
        self.calc = calc

    def guard(self) -> ContextManager:
        return np.errstate(all="ignore")

    def load(self, gather: Gather) -> tuple[np.ndarray, np.ndarray | None]:
        handle = gather.handle
        if handle is None or handle.version != self.calc.version:
            handle = gather.handle = self._resolve(gather)
        if not handle.sources:
            return self._read(handle.loose)
        values = np.empty(handle.size, dtype=np.float64)
        empty = None
        for block, at, index in handle.sources:
            current = block.values
            if current is not None and not block.dirty and current.dtype == np.float64:
                values[at] = current[index]
                continue
            # stale, or computed cell by cell: read the cells
            x, e = self._read([block.outputs[i] for i in index.tolist()])
            values[at] = x
            if e is not None:
                empty = np.zeros(handle.size, dtype=np.bool_) if empty is None else empty
                empty[at[e]] = True
        if handle.loose:
            x, e = self._read(handle.loose)
            values[handle.loose_at] = x
            if e is not None:
                empty = np.zeros(handle.size, dtype=np.bool_) if empty is None else empty
                empty[handle.loose_at[e]] = True
        return values, empty

    def _resolve(self, gather: Gather) -> "_Resolved":
        """The cells behind a gather, grouped by the block that writes them."""
        if gather.sheet not in self.calc.sheets:
            raise Fallback  # #REF!
        cells = self.calc.sheets[gather.sheet].cells
        sources, loose_at = self.calc.outputs.find(gather.sheet, gather.rows * KEY + gather.cols)
        loose = [cells.get(address, ABSENT) for address in zip(gather.rows[loose_at].tolist(),
                                                               gather.cols[loose_at].tolist())]
        return _Resolved(self.calc.version, gather, sources, loose_at, loose)

    def _read(self, cells: list[Cell]) -> tuple[np.ndarray, np.ndarray | None]:
        """The values of these cells, one by one; Fallback for anything but numbers and empty."""
        for cell in cells:
            if cell.dirty:  # read during a recalculation before its own turn: compute it first
                self.calc.value(cell.sheet, cell.row, cell.col)
        values = [cell.value for cell in cells]
        types = set(map(type, values))
        if types == _NUMBER_TYPES:
            return np.array(values, dtype=np.float64), None
        if not types <= _NUMBER_OR_EMPTY_TYPES:
            raise Fallback
        empty = np.array([v is None for v in values], dtype=np.bool_)
        return np.array([0.0 if v is None else v for v in values], dtype=np.float64), empty

    def scalars(self, gather: Gather) -> list[Scalar]:
        handle = gather.handle
        if handle is None or handle.version != self.calc.version:
            handle = gather.handle = self._resolve(gather)
        cells = handle.cells(self.calc.sheets[gather.sheet].cells)
        for cell in cells:
            if cell.dirty:
                self.calc.value(cell.sheet, cell.row, cell.col)
        return [cell.value for cell in cells]

    @staticmethod
    def take(x: np.ndarray, index: np.ndarray) -> np.ndarray:
        return x[index]

    @staticmethod
    def full(n: int, value: float) -> np.ndarray:
        return np.full(n, value, dtype=np.float64)

    @staticmethod
    def mask(m: np.ndarray) -> np.ndarray:
        return m

    @staticmethod
    def from_numbers(x: np.ndarray) -> np.ndarray:
        return x

    @staticmethod
    def is_array(v: object) -> bool:
        return isinstance(v, np.ndarray)

    @staticmethod
    def is_bool(x: np.ndarray) -> bool:
        return x.dtype == np.bool_

    @staticmethod
    def to_float(x: np.ndarray) -> np.ndarray:
        return x.astype(np.float64)

    @staticmethod
    def where(condition: np.ndarray, a, b) -> np.ndarray:
        return np.where(condition, a, b)

    @staticmethod
    def power(a, b) -> np.ndarray:
        return np.power(a, b)

    # Sums in order, as Excel adds (0 + x1 + x2 + ...): an accumulation is sequential, where
    # numpy's sum and matmul add pairwise or in blocks and may differ in the last digits.
    @staticmethod
    def sum(x: np.ndarray) -> np.ndarray:
        if x.shape[1] == 0:
            return np.zeros(x.shape[0])
        return np.add.accumulate(x, axis=1)[:, -1]

    @staticmethod
    def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.shape[2] == 0:
            return np.zeros((a.shape[0], a.shape[1], b.shape[2]))
        products = a[:, :, :, None] * b[:, None, :, :]  # (N, h, k, w)
        return np.add.accumulate(products, axis=2)[:, :, -1, :]

    @staticmethod
    def numbers(x) -> np.ndarray:
        return np.asarray(x, dtype=np.float64)

    def note_reads(self, rng: Range, block: Block) -> None:
        self.calc.note_dynamic_block(rng, block.cells)

    @staticmethod
    def result(x: np.ndarray, block: Block) -> np.ndarray:
        if x.dtype == np.bool_:
            return x
        if not np.isfinite(x).all():
            raise Fallback
        return x + 0.0  # -0.0 is stored as 0, as the interpreter stores it


class BlockEvaluator(Evaluator):
    """The exact engine's block evaluator (numpy)."""

    def __init__(self, calc: CellValues) -> None:
        super().__init__(NumpyOps(calc))


def find_blocks(graph: "DependencyGraph") -> tuple[list[Block], list[np.ndarray]]:
    """Groups of at least MIN_BLOCK cells of one sheet with one shared node whose cells do not
    read each other; with each block, its cells' numbers in the graph."""
    blocks, numbers = [], []
    formulas = graph.formulas
    for group in graph.groups:
        if len(group) < MIN_BLOCK:
            continue
        cells = [formulas[i] for i in group.tolist()]
        if any(c.array_range is not None for c in cells):
            keep = [i for i, c in enumerate(cells) if c.array_range is None]
            group, cells = group[keep], [cells[i] for i in keep]
            if len(group) < MIN_BLOCK:
                continue
        if graph.reads_itself(group):
            continue
        blocks.append(Block(cells[0].sheet, cells[0].node, cells, positions=graph.positions(group)))  # type: ignore[arg-type]
        numbers.append(group)
    return blocks, numbers
