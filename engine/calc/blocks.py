"""The block evaluator: one IR node computed for a whole block of cells at once.

Most cells of the lesson's sheets are one formula filled over a block (3,090 one-hot cells share
``IF($K3=O$2,1,0)``). When no cell of such a block reads another cell of it, the block is computed
as array operations over all its anchors. The evaluator is written once, against the small
array-operations interface :class:`ArrayOps`; :class:`NumpyOps` runs it for the exact engine and
``cellgrad.ml.torch_backend.TorchOps`` runs the same code as differentiable torch operations.

It covers numbers, empty cells, arithmetic, comparisons, IF, the elementwise math functions, the
SUM family (SUM, SUMSQ, SUMPRODUCT, SUMXMY2, COUNT, AVERAGE) over ranges, MMULT, approximate MATCH
and OFFSET. Anything else — text, logical or error inputs, a result that is not a finite number,
a function it does not know — raises :class:`Fallback`: the exact engine then computes the block
cell by cell with the interpreter, so its values are the interpreter's whenever the array path
cannot vouch for them.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, ContextManager, Protocol

import numpy as np

from ..core.cells import Cell, Sheet
from ..core.ir import AreaRef, Binary, Call, CellRef, Const, Node, Unary
from ..core.references import MAX_COL, MAX_ROW, Range
from ..core.values import Array, ErrorResult, Scalar
from ..functions.lookup import approximate_match

MIN_BLOCK = 16           # smaller groups are not worth the setup
MAX_GATHERED = 1 << 16   # a block reading more values than this is left to the interpreter
KEY = MAX_COL + 1        # row * KEY + col numbers a cell of one sheet


class Fallback(Exception):
    """The block cannot be computed exactly here; the interpreter does it cell by cell."""


class Vec:
    """Values read from cells, shape (N,) or (N, h, w), and which of them are empty cells.

    ``x`` is a backend array; ``empty`` is a numpy mask (emptiness is structure, never a value
    to differentiate), None when no cell is empty.
    """

    __slots__ = ("x", "empty")

    def __init__(self, x: Any, empty: np.ndarray | None = None) -> None:
        self.x = x
        self.empty = empty if empty is not None and empty.any() else None


class Block:
    """Cells on one sheet sharing one formula node, none reading another."""

    __slots__ = ("sheet", "node", "cells", "rows", "cols", "dirty", "index")

    def __init__(self, sheet: str, node: Node, cells: list[Cell]) -> None:
        self.sheet = sheet
        self.node = node
        self.cells = cells
        self.rows = np.array([c.row for c in cells], dtype=np.int64)
        self.cols = np.array([c.col for c in cells], dtype=np.int64)
        self.dirty = False
        self.index = -1

    def __repr__(self) -> str:
        return f"<Block {self.sheet} x{len(self.cells)}>"


class ArrayOps(Protocol):
    """What the evaluator needs from an array library. Arrays are float64 or bool."""

    elementwise: dict[str, Callable[[Any], Any]]  # EXP, SQRT, LN, LOG10, ABS

    def guard(self) -> ContextManager: ...  # around one block's evaluation

    def load(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> tuple[Any, np.ndarray]:
        """Values of distinct cells (empty cells as 0) and the mask of empty ones; Fallback for
        anything but numbers and empty cells."""

    def take(self, x: Any, index: np.ndarray) -> Any: ...

    def full(self, n: int, value: float) -> Any: ...

    def mask(self, m: np.ndarray) -> Any: ...  # a numpy bool mask as a backend array

    def is_array(self, v: object) -> bool: ...

    def is_bool(self, x: Any) -> bool: ...

    def to_float(self, x: Any) -> Any: ...  # bool array -> 0.0/1.0

    def where(self, condition: Any, a: Any, b: Any) -> Any: ...

    def power(self, a: Any, b: Any) -> Any: ...

    def sum(self, x: Any) -> Any:
        """(N, k) -> (N,): row sums."""

    def matmul(self, a: Any, b: Any) -> Any:
        """(N, h, k) @ (N, k, w) -> (N, h, w)."""

    def numbers(self, x: Any) -> np.ndarray: ...  # values as plain numpy (positions, MATCH keys)

    def from_numbers(self, x: np.ndarray) -> Any: ...  # plain numpy values as a backend constant

    def scalars(self, rng: Range) -> list[Scalar]: ...  # the current values of a range

    def note_reads(self, rng: Range, block: Block) -> None:
        """Cells read through OFFSET, so that a change there recomputes the block."""

    def result(self, x: Any, block: Block) -> Any:
        """The finished values; Fallback for what is not a finite number."""


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt,
    "<=": operator.le, ">=": operator.ge,
}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}


def _per_cell(abs_: bool, index: int, anchors: np.ndarray) -> np.ndarray:
    """One coordinate of a reference for every anchor of a block."""
    return np.full_like(anchors, index) if abs_ else anchors + index


class Evaluator:
    """Evaluates IR nodes over blocks with one ArrayOps backend."""

    def __init__(self, ops: ArrayOps) -> None:
        self.ops = ops
        self.array_formula = False  # evaluating an array formula: results may be (1, h, w)

    # -- entry point -------------------------------------------------------------------------
    def evaluate(self, block: Block, array: bool = False) -> Any:
        """The block's values (``array``: an array formula, its whole (1, h, w) result), or Fallback."""
        self.array_formula = array
        with self.ops.guard():
            result = self.vec(block.node, block)
            if isinstance(result, Vec):
                result = result.x
            ops = self.ops
            if not ops.is_array(result):
                if type(result) is str:
                    raise Fallback
                result = ops.full(len(block.cells), float(result)) if type(result) is not bool \
                    else ops.mask(np.full(len(block.cells), result))
            elif (result.ndim != 1) != array:
                raise Fallback
            return ops.result(result, block)

    # -- gathering values from cells ------------------------------------------------------------
    def gather(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> Vec:
        """The values at (rows[i], cols[i]), read once per distinct address."""
        if rows.min() < 1 or cols.min() < 1 or rows.max() > MAX_ROW or cols.max() > MAX_COL:
            raise Fallback
        unique, inverse = np.unique(rows * KEY + cols, return_inverse=True)
        values, empty = self.ops.load(sheet, unique // KEY, unique % KEY)
        inverse = inverse.reshape(rows.shape)
        return Vec(self.ops.take(values, inverse), empty[inverse])

    def cellref(self, node: CellRef, block: Block) -> Vec:
        return self.gather(node.sheet or block.sheet, _per_cell(node.row_abs, node.row, block.rows),
                           _per_cell(node.col_abs, node.col, block.cols))

    def area(self, node: AreaRef, block: Block) -> Vec:
        r1 = _per_cell(node.r1_abs, node.r1, block.rows)
        c1 = _per_cell(node.c1_abs, node.c1, block.cols)
        heights = _per_cell(node.r2_abs, node.r2, block.rows) - r1
        widths = _per_cell(node.c2_abs, node.c2, block.cols) - c1
        if (heights != heights[0]).any() or (widths != widths[0]).any() or heights[0] < 0 \
                or widths[0] < 0:
            raise Fallback
        h, w = int(heights[0]) + 1, int(widths[0]) + 1
        if len(block.cells) * h * w > MAX_GATHERED:
            raise Fallback  # before building the addresses: a whole column would take gigabytes
        dr, dc = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
        return self.gather(node.sheet or block.sheet, r1[:, None, None] + dr[None],
                           c1[:, None, None] + dc[None])

    # -- evaluation ------------------------------------------------------------------------------
    def vec(self, node: Node, block: Block) -> Any:
        """A Vec, an array of per-cell results, or one scalar for the whole block."""
        t = type(node)
        if t is Const:
            v = node.value  # type: ignore[attr-defined]
            if type(v) in (float, bool, str):
                return v
            raise Fallback
        if t is CellRef:
            return self.cellref(node, block)  # type: ignore[arg-type]
        if t is AreaRef:
            return self.area(node, block)  # type: ignore[arg-type]
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
            empty = other.empty if other.empty is not None else np.zeros(other.x.shape, np.bool_)
            return self.ops.mask(empty if op == "=" else ~empty)
        if type(left) is bool or type(right) is bool:
            raise Fallback
        ops = self.ops
        if ops.is_array(left) and ops.is_bool(left) or ops.is_array(right) and ops.is_bool(right):
            raise Fallback  # logicals compare above all numbers in Excel
        return _COMPARE[op](self.number(left), self.number(right))

    def call(self, node: Call, block: Block) -> Any:
        name, args = node.name, node.args
        if name == "IF" and len(args) == 3:
            return self.if_(args, block)
        if name in self.ops.elementwise and len(args) == 1:
            return self.ops.elementwise[name](self.number(self.vec(args[0], block)))
        if name == "LOG" and len(args) == 1:
            return self.ops.elementwise["LOG10"](self.number(self.vec(args[0], block)))
        if name == "SUMPRODUCT":
            return self.sumproduct([self.range_arg(a, block) for a in args])
        if name == "MMULT" and len(args) == 2:
            return self.mmult(self.range_arg(args[0], block), self.range_arg(args[1], block))
        if name in _REDUCTIONS and len(args) == _REDUCTIONS[name]:
            return getattr(self, name.lower())(*[self.range_arg(a, block) for a in args])
        if name == "MATCH" and len(args) == 2:
            return self.match(args, block)
        if name == "OFFSET" and len(args) == 3:
            return self.offset(args, block)
        raise Fallback

    def if_(self, args: tuple[Node, ...], block: Block) -> Any:
        condition = self.vec(args[0], block)
        if isinstance(condition, Vec):
            condition = condition.x != 0
        elif not self.ops.is_array(condition):
            raise Fallback
        a = self.number(self.vec(args[1], block))
        b = self.number(self.vec(args[2], block))
        return self.ops.where(condition, a, b)

    def range_arg(self, node: Node, block: Block) -> Vec:
        v = self.vec(node, block)
        if not isinstance(v, Vec):
            raise Fallback
        if v.x.ndim == 1:
            return Vec(v.x[:, None, None], None if v.empty is None else v.empty[:, None, None])
        return v

    def flat(self, r: Vec) -> Any:
        return r.x.reshape(r.x.shape[0], -1)

    def sumproduct(self, ranges: list[Vec]) -> Any:
        shape = ranges[0].x.shape
        if any(r.x.shape != shape for r in ranges):
            raise Fallback
        product = self.flat(ranges[0])
        for r in ranges[1:]:
            product = product * self.flat(r)
        return self.ops.sum(product)

    def mmult(self, a: Vec, b: Vec) -> Any:
        """The matrix product in an array formula; in a normal cell, its top-left entry."""
        if a.empty is not None or b.empty is not None or a.x.shape[2] != b.x.shape[1]:
            raise Fallback  # an empty cell makes MMULT #VALUE!
        if self.array_formula:
            return self.ops.matmul(a.x, b.x)
        # in a normal cell, only a row times a column: a larger product may fail elsewhere than
        # in the entry the cell shows
        if a.x.shape[1] != 1 or b.x.shape[2] != 1:
            raise Fallback
        return self.ops.matmul(a.x, b.x)[:, 0, 0]

    def sum(self, r: Vec) -> Any:
        return self.ops.sum(self.flat(r))

    def sumsq(self, r: Vec) -> Any:
        x = self.flat(r)
        return self.ops.sum(x * x)

    def sumxmy2(self, a: Vec, b: Vec) -> Any:
        """Sum of squared differences; Excel skips the pairs where either cell is empty."""
        if a.x.shape != b.x.shape:
            raise Fallback
        d = self.flat(a) - self.flat(b)
        skipped = self.empty_of(a) | self.empty_of(b)
        if skipped.any():
            d = self.ops.where(self.ops.mask(~skipped.reshape(d.shape)), d, 0.0)
        return self.ops.sum(d * d)

    def count(self, r: Vec) -> Any:
        """COUNT of a range: the load already refused anything but numbers and empty cells."""
        return self.ops.from_numbers(self.filled(r))

    def average(self, r: Vec) -> Any:
        filled = self.filled(r)
        if (filled == 0).any():
            raise Fallback  # #DIV/0!
        return self.ops.sum(self.flat(r)) / self.ops.from_numbers(filled)

    def filled(self, r: Vec) -> np.ndarray:
        """How many numbers each cell's range holds."""
        return (~self.empty_of(r)).reshape(r.x.shape[0], -1).sum(axis=1).astype(np.float64)

    @staticmethod
    def empty_of(r: Vec) -> np.ndarray:
        return r.empty if r.empty is not None else np.zeros(r.x.shape, np.bool_)

    def match(self, args: tuple[Node, ...], block: Block) -> Any:
        """Approximate MATCH of per-cell numbers in one vector: one search per distinct value."""
        lookup = args[1]
        if type(lookup) is not AreaRef:
            raise Fallback
        ranges = {lookup.at(block.sheet, r, c) for r, c in zip(block.rows.tolist(), block.cols.tolist())}
        if len(ranges) != 1:
            raise Fallback
        rng = ranges.pop()
        if rng.height != 1 and rng.width != 1:
            raise Fallback
        x = self.vec(args[0], block)
        if isinstance(x, Vec) and x.empty is not None or type(x) in (str, bool):
            raise Fallback
        keys = np.broadcast_to(self.ops.numbers(self.number(x)), (len(block.cells),))
        items = self.ops.scalars(rng)
        unique, inverse = np.unique(keys, return_inverse=True)
        try:
            positions = np.array([approximate_match(float(u), items) for u in unique.tolist()],
                                 dtype=np.float64)
        except ErrorResult:
            raise Fallback from None
        return self.ops.from_numbers(positions[inverse])

    def offset(self, args: tuple[Node, ...], block: Block) -> Vec:
        """OFFSET(cell, rows, cols): the value at a per-cell position, computed from values
        (positions are never differentiated)."""
        base = args[0]
        if type(base) is not CellRef:
            raise Fallback
        n = len(block.cells)
        down = np.broadcast_to(self.ops.numbers(self.number(self.vec(args[1], block))), (n,))
        right = np.broadcast_to(self.ops.numbers(self.number(self.vec(args[2], block))), (n,))
        rows = _per_cell(base.row_abs, base.row, block.rows) + np.trunc(down).astype(np.int64)
        cols = _per_cell(base.col_abs, base.col, block.cols) + np.trunc(right).astype(np.int64)
        sheet = base.sheet or block.sheet
        values = self.gather(sheet, rows, cols)
        self.ops.note_reads(
            Range(sheet, int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max())), block)
        return values


_REDUCTIONS = {"SUM": 1, "SUMSQ": 1, "SUMXMY2": 2, "COUNT": 1, "AVERAGE": 1}


class CellValues(Protocol):
    """What the numpy evaluator reads from the calculation (which pulls stale cells)."""

    sheets: dict[str, Sheet]

    def value(self, sheet: str, row: int, col: int) -> Scalar: ...

    def grid(self, rng: Range) -> Array: ...

    def note_dynamic_block(self, rng: Range, cells: list[Cell]) -> None: ...


class NumpyOps:
    """The exact engine's arrays: numpy float64, sums in Excel's order (left to right)."""

    elementwise = {"EXP": np.exp, "SQRT": np.sqrt, "LN": np.log, "LOG10": np.log10, "ABS": np.abs}

    def __init__(self, calc: CellValues) -> None:
        self.calc = calc

    def guard(self) -> ContextManager:
        return np.errstate(all="ignore")

    def load(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = np.empty(len(rows), dtype=np.float64)
        empty = np.zeros(len(rows), dtype=np.bool_)
        cells = self.calc.sheets[sheet].cells if sheet in self.calc.sheets else None
        if cells is None:
            raise Fallback  # #REF!
        pull = self.calc.value
        for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
            cell = cells.get((r, c))  # calc.value inlined: this loop is the hot spot of a recalc
            v = None if cell is None else cell.value if not cell.dirty else pull(sheet, r, c)
            if type(v) is float:
                values[i] = v
            elif v is None:
                values[i] = 0.0
                empty[i] = True
            else:
                raise Fallback
        return values, empty

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

    @staticmethod
    def sum(x: np.ndarray) -> np.ndarray:
        total = np.zeros(x.shape[0])
        for k in range(x.shape[1]):  # in order, as Excel adds
            total += x[:, k]
        return total

    @staticmethod
    def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        total = np.zeros((a.shape[0], a.shape[1], b.shape[2]))
        for k in range(a.shape[2]):  # in order, as Excel adds
            total += a[:, :, k, None] * b[:, None, k, :]
        return total

    @staticmethod
    def numbers(x) -> np.ndarray:
        return np.asarray(x, dtype=np.float64)

    def scalars(self, rng: Range) -> list[Scalar]:
        return list(self.calc.grid(rng))

    def note_reads(self, rng: Range, block: Block) -> None:
        self.calc.note_dynamic_block(rng, block.cells)

    @staticmethod
    def result(x: np.ndarray, block: Block) -> list[float | bool]:
        if x.dtype == np.bool_:
            return [bool(v) for v in x]
        if not np.isfinite(x).all():
            raise Fallback
        return (x + 0.0).tolist()


class BlockEvaluator(Evaluator):
    """The exact engine's block evaluator (numpy)."""

    def __init__(self, calc: CellValues) -> None:
        super().__init__(NumpyOps(calc))


def find_blocks(formulas: list[Cell], precedents: dict[Cell, set[Cell]]) -> list[Block]:
    """Groups of at least MIN_BLOCK cells with one shared node whose cells do not read each other."""
    groups: dict[tuple[str, int], list[Cell]] = {}
    for cell in formulas:
        if cell.array_range is None and cell.node is not None:
            groups.setdefault((cell.sheet, id(cell.node)), []).append(cell)
    blocks = []
    for (sheet, _), cells in groups.items():
        if len(cells) < MIN_BLOCK:
            continue
        members = set(cells)
        if any(precedents[c] & members for c in cells):
            continue
        blocks.append(Block(sheet, cells[0].node, cells))  # type: ignore[arg-type]
    return blocks
