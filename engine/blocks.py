"""The numpy backend: one IR node evaluated for a whole block of cells at once.

Most cells of the lesson's sheets are one formula filled over a block (3,090 one-hot cells share
``IF($K3=O$2,1,0)``). When no cell of such a block reads another cell of it, the block is computed
as array operations over all its anchors. The backend covers numbers, empty cells, arithmetic,
comparisons, IF, the elementwise math functions, the SUM family over small per-cell ranges, MMULT
of a row by a column, approximate MATCH and OFFSET. Anything else — text, logical or error
inputs, a result that is not a finite number, a function it does not know — raises
:class:`Fallback` and the block is computed cell by cell by the exact interpreter instead, so the
values are the interpreter's whenever the fast path cannot vouch for them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from .functions.lookup import approximate_match
from .ir import AreaRef, Binary, Call, CellRef, Const, Node, Unary
from .model import Cell
from .references import MAX_COL, MAX_ROW, Range
from .values import ErrorResult

if TYPE_CHECKING:
    from .calculation import Calculation

MIN_BLOCK = 16       # smaller groups are not worth the setup
MAX_RANGE_CELLS = 64  # per-cell ranges larger than this are left to the interpreter


class Fallback(Exception):
    """The block cannot be computed exactly here; the interpreter does it cell by cell."""


class Vec:
    """Per-cell numbers (shape (N,) or (N, h, w)) and which of them are empty cells."""

    __slots__ = ("x", "empty")

    def __init__(self, x: np.ndarray, empty: np.ndarray | None = None) -> None:
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


_ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "EXP": np.exp, "SQRT": np.sqrt, "LN": np.log, "LOG10": np.log10, "ABS": np.abs,
}
_COMPARE: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "=": np.equal, "<>": np.not_equal, "<": np.less, ">": np.greater,
    "<=": np.less_equal, ">=": np.greater_equal,
}


class BlockEvaluator:
    def __init__(self, calc: "Calculation") -> None:
        self.calc = calc

    # -- entry point ---------------------------------------------------------------------------
    def evaluate(self, block: Block) -> list[float | bool]:
        """The block's values, or Fallback."""
        with np.errstate(all="ignore"):
            result = self.vec(block.node, block)
            if isinstance(result, Vec):
                if result.x.ndim != 1:
                    raise Fallback
                x = result.x
            else:
                x = np.full(len(block.cells), result, dtype=np.float64)
            if x.dtype == np.bool_:
                return [bool(v) for v in x]
            if not np.isfinite(x).all():
                raise Fallback
            return (x + 0.0).tolist()

    # -- gathering values from cells -------------------------------------------------------------
    def gather(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> Vec:
        """The values at (rows[i], cols[i]), read once per distinct address."""
        if rows.min() < 1 or cols.min() < 1 or rows.max() > MAX_ROW or cols.max() > MAX_COL:
            raise Fallback
        keys = rows * (MAX_COL + 1) + cols
        unique, inverse = np.unique(keys, return_inverse=True)
        values = np.empty(len(unique), dtype=np.float64)
        empty = np.zeros(len(unique), dtype=np.bool_)
        read = self.calc.value
        for i, key in enumerate(unique.tolist()):
            v = read(sheet, key // (MAX_COL + 1), key % (MAX_COL + 1))
            if type(v) is float:
                values[i] = v
            elif v is None:
                values[i] = 0.0
                empty[i] = True
            else:
                raise Fallback
        inverse = inverse.reshape(keys.shape)
        return Vec(values[inverse], empty[inverse])

    def cellref(self, node: CellRef, block: Block) -> Vec:
        rows = np.full_like(block.rows, node.row) if node.row_abs else block.rows + node.row
        cols = np.full_like(block.cols, node.col) if node.col_abs else block.cols + node.col
        return self.gather(node.sheet or block.sheet, rows, cols)

    def area(self, node: AreaRef, block: Block) -> Vec:
        r1 = np.full_like(block.rows, node.r1) if node.r1_abs else block.rows + node.r1
        c1 = np.full_like(block.cols, node.c1) if node.c1_abs else block.cols + node.c1
        r2 = np.full_like(block.rows, node.r2) if node.r2_abs else block.rows + node.r2
        c2 = np.full_like(block.cols, node.c2) if node.c2_abs else block.cols + node.c2
        heights, widths = r2 - r1, c2 - c1
        if (heights != heights[0]).any() or (widths != widths[0]).any() or heights[0] < 0 or widths[0] < 0:
            raise Fallback
        h, w = int(heights[0]) + 1, int(widths[0]) + 1
        if h * w > MAX_RANGE_CELLS:
            raise Fallback
        dr, dc = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
        rows = r1[:, None, None] + dr[None]
        cols = c1[:, None, None] + dc[None]
        return self.gather(node.sheet or block.sheet, rows, cols)

    # -- evaluation ------------------------------------------------------------------------------
    def vec(self, node: Node, block: Block) -> Vec | np.ndarray | float | bool | str:
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

    @staticmethod
    def number(v: Vec | float | bool | str) -> np.ndarray | float:
        """An operand of arithmetic: empty cells are 0, logicals 1/0, text is not handled here."""
        if isinstance(v, Vec):
            if v.x.ndim != 1:
                raise Fallback
            return v.x
        if isinstance(v, np.ndarray):
            return v.astype(np.float64) if v.dtype == np.bool_ else v
        if type(v) is str:
            raise Fallback
        return float(v)

    def binary(self, node: Binary, block: Block) -> np.ndarray | float | bool:
        op = node.op
        left = self.vec(node.left, block)
        right = self.vec(node.right, block)
        if op in _COMPARE:
            return self.compare(op, left, right)
        if op == "&" or op == ":" or op == " ":
            raise Fallback
        a, b = self.number(left), self.number(right)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b  # division by zero gives inf/nan: caught by the final check
        # 0^0 is #NUM! in Excel but 1 in numpy
        if np.any((np.asarray(a) == 0) & (np.asarray(b) == 0)):
            raise Fallback
        return np.power(a, b)

    def compare(self, op: str, left, right) -> np.ndarray:
        # A comparison with "" asks whether a cell is empty; with numbers, empty counts as 0.
        if type(right) is str or type(left) is str:
            text, other = (right, left) if type(right) is str else (left, right)
            if text != "" or op not in ("=", "<>") or not isinstance(other, Vec) or other.x.ndim != 1:
                raise Fallback
            empty = other.empty if other.empty is not None else np.zeros(other.x.shape, np.bool_)
            return empty if op == "=" else ~empty
        if type(left) is bool or type(right) is bool:
            raise Fallback
        if isinstance(left, np.ndarray) and left.dtype == np.bool_ or \
                isinstance(right, np.ndarray) and right.dtype == np.bool_:
            raise Fallback  # logicals compare above all numbers in Excel
        return _COMPARE[op](self.number(left), self.number(right))

    def call(self, node: Call, block: Block):
        name, args = node.name, node.args
        if name == "IF" and len(args) == 3:
            condition = self.vec(args[0], block)
            if isinstance(condition, Vec):
                condition = condition.x != 0
            elif not isinstance(condition, np.ndarray):
                raise Fallback
            a = self.number(self.vec(args[1], block))
            b = self.number(self.vec(args[2], block))
            return np.where(condition, a, b)
        if name in _ELEMENTWISE and len(args) == 1:
            return _ELEMENTWISE[name](self.number(self.vec(args[0], block)))
        if name == "LOG" and len(args) == 1:
            return np.log10(self.number(self.vec(args[0], block)))
        if name == "SUMPRODUCT":
            return self.sumproduct([self.range_arg(a, block) for a in args])
        if name == "MMULT" and len(args) == 2:
            return self.mmult_first(self.range_arg(args[0], block), self.range_arg(args[1], block))
        if name in ("SUM", "SUMSQ") and len(args) == 1:
            return self.sum(self.range_arg(args[0], block), square=name == "SUMSQ")
        if name == "MATCH" and len(args) == 2:
            return self.match(args, block)
        if name == "OFFSET" and len(args) == 3:
            return self.offset(args, block)
        raise Fallback

    def range_arg(self, node: Node, block: Block) -> Vec:
        v = self.vec(node, block)
        if not isinstance(v, Vec):
            raise Fallback
        if v.x.ndim == 1:
            return Vec(v.x[:, None, None], None if v.empty is None else v.empty[:, None, None])
        return v

    @staticmethod
    def sumproduct(ranges: list[Vec]) -> np.ndarray:
        shape = ranges[0].x.shape
        if any(r.x.shape != shape for r in ranges):
            raise Fallback
        flat = [r.x.reshape(shape[0], -1) for r in ranges]
        total = np.zeros(shape[0])
        for k in range(flat[0].shape[1]):  # in order, as Excel adds
            p = flat[0][:, k].copy()
            for f in flat[1:]:
                p *= f[:, k]
            total += p
        return total

    @staticmethod
    def mmult_first(a: Vec, b: Vec) -> np.ndarray:
        """MMULT in a normal cell shows its top-left entry: row 1 of a times column 1 of b."""
        # only a row times a column: a larger product may fail elsewhere than in its first entry
        if a.empty is not None or b.empty is not None or a.x.shape[1] != 1 or b.x.shape[2] != 1 \
                or a.x.shape[2] != b.x.shape[1]:
            raise Fallback
        total = np.zeros(a.x.shape[0])
        for k in range(a.x.shape[2]):
            total += a.x[:, 0, k] * b.x[:, k, 0]
        return total

    @staticmethod
    def sum(r: Vec, square: bool) -> np.ndarray:
        flat = r.x.reshape(r.x.shape[0], -1)
        total = np.zeros(flat.shape[0])
        for k in range(flat.shape[1]):
            total += flat[:, k] * flat[:, k] if square else flat[:, k]
        return total

    def match(self, args: tuple[Node, ...], block: Block) -> np.ndarray:
        """Approximate MATCH of per-cell numbers in one fixed vector: one search per distinct value."""
        lookup = args[1]
        if type(lookup) is not AreaRef or not (lookup.r1_abs and lookup.r2_abs and lookup.c1_abs
                                               and lookup.c2_abs):
            raise Fallback
        x = self.vec(args[0], block)
        if not isinstance(x, Vec) or x.empty is not None or x.x.ndim != 1:
            raise Fallback
        vector = self.calc.grid(lookup.at(block.sheet, 0, 0))
        if vector.height != 1 and vector.width != 1:
            raise Fallback
        items = list(vector)
        unique, inverse = np.unique(x.x, return_inverse=True)
        try:
            positions = np.array([approximate_match(float(u), items) for u in unique.tolist()],
                                 dtype=np.float64)
        except ErrorResult:
            raise Fallback from None
        return positions[inverse]

    def offset(self, args: tuple[Node, ...], block: Block) -> Vec:
        """OFFSET(fixed cell, rows, cols): the value at a per-cell computed position."""
        base = args[0]
        if type(base) is not CellRef or not (base.row_abs and base.col_abs):
            raise Fallback
        down = self.number(self.vec(args[1], block))
        right = self.number(self.vec(args[2], block))
        n = len(block.cells)
        rows = (base.row + np.trunc(np.broadcast_to(down, (n,)))).astype(np.int64)
        cols = (base.col + np.trunc(np.broadcast_to(right, (n,)))).astype(np.int64)
        sheet = base.sheet or block.sheet
        values = self.gather(sheet, rows, cols)
        # remember what was read, so a change there recalculates this block
        self.calc.graph.add_dynamic_block(
            Range(sheet, int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max())), block.cells)
        return values


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
