"""The interface array kernels are written against: one formula computed for many cells at once.

A function may offer, beside its scalar rule, an *array kernel* (``excel_function(...,
kernel=...)``): the same function over a whole block of cells that share one formula, as array
operations. The block evaluator (:mod:`cellgrad.calc.blocks`) prepares the kernel's arguments by
their :class:`~cellgrad.functions.registry.Arg` kinds and calls it with an :class:`ArrayContext`;
the context's :class:`ArrayOps` is numpy for the exact engine and torch for the differentiable
backend, so one kernel serves both. A kernel that cannot vouch for its result raises
:class:`Fallback`, and the scalar rule computes the cells one by one instead.

Arguments, by kind: NUMBER arguments arrive as backend float arrays of shape (N,) (one value per
cell), LAZY ones too (both of IF's branches are computed; a logical or text branch falls back),
BOOL ones as backend bool arrays, GRID, VALUES, REF, SCALAR and ANY ones written as references
as a :class:`Ref` (read with ``ctx.values`` or ``ctx.distinct``), otherwise as the evaluator's
value (a :class:`Vec`, a backend array or a constant). TEXT arguments fall back.
"""
from __future__ import annotations

from typing import Any, ContextManager, Protocol

import numpy as np

from ..core.references import Range
from ..core.values import Scalar


class Fallback(Exception):
    """The block cannot be computed exactly here; the scalar rule computes it cell by cell."""


class Vec:
    """Values read from cells, shape (N,) or (N, h, w), and which of them are empty cells.

    ``x`` is a backend array; ``empty`` is a numpy mask (emptiness is structure, never a value
    to differentiate), None when no cell is empty.
    """

    __slots__ = ("x", "empty")

    def __init__(self, x: Any, empty: np.ndarray | None = None) -> None:
        self.x = x
        self.empty = empty if empty is not None and empty.any() else None

    def flat(self) -> Any:
        """(N, h*w): each cell's range as one row, in Excel's order (row by row)."""
        return self.x.reshape(self.x.shape[0], -1)

    def empty_mask(self) -> np.ndarray:
        return self.empty if self.empty is not None else np.zeros(self.x.shape, np.bool_)

    def filled(self) -> np.ndarray:
        """How many numbers each cell's range holds (loads admit only numbers and empty cells)."""
        return (~self.empty_mask()).reshape(self.x.shape[0], -1).sum(axis=1).astype(np.float64)


class Gather:
    """Which cells to read for a block: the distinct addresses, and where each value goes.

    ``handle`` is the backend's own memo for these addresses (the numpy backend keeps the
    resolved cell objects there), so a block evaluated again reads its cells directly.
    """

    __slots__ = ("sheet", "rows", "cols", "inverse", "handle")

    def __init__(self, sheet: str, rows: np.ndarray, cols: np.ndarray, key: int) -> None:
        keys = (rows * key + cols).ravel()
        if (keys[1:] > keys[:-1]).all():  # distinct and in order (a relative cell over a block)
            unique, inverse = keys, np.arange(len(keys))
        else:
            unique, inverse = np.unique(keys, return_inverse=True)
        self.sheet = sheet
        self.rows = unique // key
        self.cols = unique % key
        self.inverse = inverse.reshape(rows.shape)
        self.handle: Any = None


class Ref:
    """A reference argument, per cell of the block: top-left positions and one size."""

    __slots__ = ("sheet", "rows", "cols", "height", "width", "cell", "key")

    def __init__(self, sheet: str, rows: np.ndarray, cols: np.ndarray, height: int, width: int,
                 cell: bool = False) -> None:
        self.sheet = sheet
        self.rows = rows
        self.cols = cols
        self.height = height
        self.width = width
        self.cell = cell  # written as one cell (A1, not A1:A1): its values have shape (N,)
        self.key: Any = None  # set for a reference written in the formula: its reads are memoised

    def single(self) -> Range:
        """The one range every cell refers to; Fallback if they differ (relative references)."""
        if (self.rows != self.rows[0]).any() or (self.cols != self.cols[0]).any():
            raise Fallback
        r, c = int(self.rows[0]), int(self.cols[0])
        return Range(self.sheet, r, c, r + self.height - 1, c + self.width - 1)


class ArrayOps(Protocol):
    """What the evaluator and the kernels need from an array library. Arrays are float64 or bool."""

    xp: Any  # the array namespace: numpy or torch (exp, log, sqrt, abs, tanh, ... by those names)

    def guard(self) -> ContextManager: ...  # around one block's evaluation

    def load(self, gather: Gather) -> tuple[Any, np.ndarray | None]:
        """Values of the gather's distinct cells (empty cells as 0) and the mask of empty ones
        (None if none is); Fallback for anything but numbers and empty cells."""

    def scalars(self, gather: Gather) -> list[Scalar]:
        """The current values of the gather's distinct cells, whatever their type."""

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

    def note_reads(self, rng: Range, block: Any) -> None:
        """Cells read through OFFSET, so that a change there recomputes the block."""

    def result(self, x: Any, block: Any) -> Any:
        """The finished values; Fallback for what is not a finite number."""


class ArrayContext(Protocol):
    """What a kernel is given beside its arguments: the backend and the block's reads."""

    ops: ArrayOps
    size: int              # cells in the block (N)
    array_formula: bool    # an array formula: results may be (1, h, w)

    def values(self, arg: Any) -> Vec:
        """A GRID/VALUES argument as a Vec shaped (N, h, w); Fallback for what is not a range."""

    def distinct(self, arg: Any) -> tuple[list[Scalar], np.ndarray]:
        """An argument's distinct values, whatever their type, and the index array saying which
        one each entry holds (shape (N,) for one cell per block cell, (N, h, w) for ranges): a
        lookup computes once per distinct value."""

    def read(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> Vec:
        """Values at positions computed at run time (OFFSET's target), recorded as reads."""
