"""A Solver model as scipy's solvers take it: functions of one flat vector of changing cells.

The changing ranges, in ``solver_adj``'s order and each row by row, make the vector ``x``. The
objective and every constraint's cells come from one replay of the recorded workbook
(:class:`.objective.Objective`), their gradients from torch's autograd: exact, not differenced.

Constraints whose left side is changing cells and whose right side is a constant (a number, or
cells that hold constants) are *bounds*, as Excel's Solver treats them; ``solver_neg`` gives a
lower bound of 0 to the cells that have none. Every other constraint is kept as a function:
``lhs - rhs`` with its relation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

from ...core.errors import SolverError
from ...core.references import Range, cell_name
from ...workbook import Workbook
from .objective import Objective
from .outcome import INFEASIBLE
from .stored_model import Constraint, SolverModel


@dataclass(frozen=True)
class Row:
    """The cells of one general constraint: ``watched[lhs]`` relation ``watched[rhs]`` (or ``constant``)."""
    constraint: Constraint
    lhs: slice
    rhs: slice | None
    constant: float


class Problem:
    def __init__(self, book: Workbook, model: SolverModel, objective: Objective) -> None:
        self.model = model
        self.objective = objective
        self.shapes = [tuple(t.shape) for t in objective.start]
        self.x0 = np.concatenate([t.detach().cpu().numpy().ravel() for t in objective.start])
        self.position = _positions(model.changing)
        self.lower = np.full(self.x0.size, -np.inf)
        self.upper = np.full(self.x0.size, np.inf)
        self.integer = np.zeros(self.x0.size, dtype=bool)
        self.rows: list[Row] = []
        at = 1  # watched[0] is the objective
        for c in model.constraints:
            lhs = slice(at, at + c.cells.size)
            at = lhs.stop
            if c.relation in ("int", "bin"):
                self._integer(c)
                continue
            rhs = None
            if isinstance(c.bound, Range):
                rhs = slice(at, at + c.bound.size)
                at = rhs.stop
            if not self._bound(book, c):
                self.rows.append(Row(c, lhs, rhs, c.bound if isinstance(c.bound, float) else 0.0))
        if model.non_negative:
            self.lower[np.isneginf(self.lower)] = 0.0
        # the watched cells whose gradients a search needs: the objective and the general
        # constraints' (bounds and integer cells need none)
        self.gradient_rows = [0] + [i for row in self.rows for part in (row.lhs, row.rhs)
                                    if part is not None for i in range(part.start, part.stop)]
        self._cache: dict[bytes, tuple[np.ndarray, np.ndarray | None]] = {}

    # -- the model's pieces ------------------------------------------------------------------------
    def _indices(self, rng: Range) -> list[int] | None:
        """Positions in x of ``rng``'s cells, or None if one is not a changing cell."""
        out = [self.position.get((rng.sheet, r, c)) for r, c in rng.cells()]
        return None if any(i is None for i in out) else out  # type: ignore[return-value]

    def _integer(self, c: Constraint) -> None:
        where = self._indices(c.cells)
        assert where is not None  # read_model checked they are changing cells
        self.integer[where] = True
        if c.relation == "bin":
            self.lower[where] = np.maximum(self.lower[where], 0.0)
            self.upper[where] = np.minimum(self.upper[where], 1.0)

    def _bound(self, book: Workbook, c: Constraint) -> bool:
        """Record ``c`` as bounds if it is one."""
        where = self._indices(c.cells)
        if where is None:
            return False
        if isinstance(c.bound, Range):
            cells = [book.cell(c.bound.sheet, r, col) for r, col in c.bound.cells()]
            if any(cell is not None and (cell.node is not None or cell.master is not None)
                   or self.position.get((c.bound.sheet, r, col)) is not None
                   for cell, (r, col) in zip(cells, c.bound.cells())):
                return False  # a formula or a changing cell: not a constant
            values = np.array([float(book.current(c.bound.sheet, r, col) or 0.0)
                               for r, col in c.bound.cells()])
        else:
            values = np.array([float(c.bound)])  # type: ignore[arg-type]
        values = np.broadcast_to(values, (len(where),))
        if c.relation in ("<=", "="):
            self.upper[where] = np.minimum(self.upper[where], values)
        if c.relation in (">=", "="):
            self.lower[where] = np.maximum(self.lower[where], values)
        crossed = [i for i in where if self.lower[i] > self.upper[i]]
        if crossed:
            sheet, row, col = next(k for k, i in self.position.items() if i == crossed[0])
            raise SolverError(f"{c.name}: {INFEASIBLE} ({sheet}!{cell_name(row, col)} must be at "
                              f"least {self.lower[crossed[0]]:g} and at most {self.upper[crossed[0]]:g})",
                              file=book.path, sheet=self.model.sheet)
        return True

    @property
    def bounded(self) -> bool:
        return bool(np.isfinite(self.lower).any() or np.isfinite(self.upper).any())

    def bounds_missing(self) -> list[int]:
        return [i for i in range(self.x0.size)
                if not (math.isfinite(self.lower[i]) and math.isfinite(self.upper[i]))]

    # -- evaluation ------------------------------------------------------------------------------
    def tensors(self, x: np.ndarray) -> list[torch.Tensor]:
        out, at = [], 0
        for shape in self.shapes:
            n = int(np.prod(shape))
            out.append(torch.as_tensor(x[at:at + n], dtype=torch.float64,
                                       device=self.objective.device).reshape(shape))
            at += n
        return out

    def watched(self, x: np.ndarray, gradient: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """The watched cells at ``x`` and, if asked, their Jacobian (rows: cells; columns: x;
        zero rows for cells no search needs the gradient of)."""
        key = x.tobytes()
        cached = self._cache.get(key)
        if cached is not None and (cached[1] is not None or not gradient):
            return cached
        if not gradient:
            with torch.no_grad():
                values = self.objective.watched(self.tensors(x)).cpu().numpy()
            result: tuple[np.ndarray, np.ndarray | None] = (values, None)
        else:
            params = [t.clone().requires_grad_(True) for t in self.tensors(x)]
            out = self.objective.watched(params)
            jac = np.zeros((out.shape[0], x.size))
            last = self.gradient_rows[-1]
            for i in self.gradient_rows:
                grads = torch.autograd.grad(out[i], params, retain_graph=i != last, allow_unused=True)
                jac[i] = np.concatenate([
                    (g if g is not None else torch.zeros_like(p)).detach().cpu().numpy().ravel()
                    for g, p in zip(grads, params)])
            result = (out.detach().cpu().numpy(), jac)
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[key] = result
        return result

    def loss(self, value: float | np.ndarray) -> float | np.ndarray:
        """What is minimized, from the objective: itself, its negative, or its squared distance to
        the target (Value Of)."""
        if self.model.goal == "max":
            return -value
        if self.model.goal == "value":
            return (value - self.model.target) ** 2
        return value

    def loss_and_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        values, jac = self.watched(x, gradient=True)
        assert jac is not None
        f = values[0]
        if self.model.goal == "max":
            return -f, -jac[0]
        if self.model.goal == "value":
            return (f - self.model.target) ** 2, 2 * (f - self.model.target) * jac[0]
        return f, jac[0]

    def sides(self, values: np.ndarray, row: Row) -> tuple[np.ndarray, np.ndarray]:
        lhs = values[row.lhs]
        rhs = values[row.rhs] if row.rhs is not None else np.array([row.constant])
        return lhs, np.broadcast_to(rhs, lhs.shape)

    def slack(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(inequalities, equalities): each ``>= 0`` or ``== 0`` when the constraints hold."""
        ineq, eq = self._signed(lambda row: self.sides(values, row))
        return _join(ineq), _join(eq)

    def slack_jacobian(self, jac: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The Jacobian of :meth:`slack`, from the watched cells' Jacobian."""
        def sides(row: Row) -> tuple[np.ndarray, np.ndarray]:
            lhs = jac[row.lhs]
            rhs = jac[row.rhs] if row.rhs is not None else np.zeros((1, jac.shape[1]))
            return lhs, np.broadcast_to(rhs, lhs.shape)
        ineq, eq = self._signed(sides)
        return _join(ineq, jac.shape[1]), _join(eq, jac.shape[1])

    def _signed(self, sides: Callable[[Row], tuple[np.ndarray, np.ndarray]]
                ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``rhs - lhs`` for <=, ``lhs - rhs`` for >= (inequalities) and = (equalities)."""
        ineq, eq = [], []
        for row in self.rows:
            lhs, rhs = sides(row)
            relation = row.constraint.relation
            (eq if relation == "=" else ineq).append(rhs - lhs if relation == "<=" else lhs - rhs)
        return ineq, eq

    def violation(self, x: np.ndarray) -> float:
        """How far ``x`` is from satisfying every constraint and bound, in units of Excel's
        constraint precision scale (``1 + |rhs|``)."""
        values, _ = self.watched(x)
        worst = 0.0
        for row in self.rows:
            lhs, rhs = self.sides(values, row)
            gap = {"<=": lhs - rhs, ">=": rhs - lhs, "=": np.abs(lhs - rhs)}[row.constraint.relation]
            worst = max(worst, float(np.max(gap / (1 + np.abs(rhs)), initial=0.0)))
        below = (self.lower - x) / (1 + np.abs(np.where(np.isfinite(self.lower), self.lower, 0)))
        above = (x - self.upper) / (1 + np.abs(np.where(np.isfinite(self.upper), self.upper, 0)))
        worst = max(worst, float(np.max(below, initial=0.0)), float(np.max(above, initial=0.0)))
        if self.integer.any():
            worst = max(worst, float(np.max(np.abs(x[self.integer] - np.round(x[self.integer])))))
        return worst

    def feasible(self, x: np.ndarray) -> bool:
        return self.violation(x) <= self.model.options.precision


def watched_ranges(model: SolverModel) -> list[Range]:
    """The cells a :class:`Problem` needs besides the objective, in the order it slices them."""
    out: list[Range] = []
    for c in model.constraints:
        out.append(c.cells)
        if isinstance(c.bound, Range):
            out.append(c.bound)
    return out


def _positions(changing: Sequence[Range]) -> dict[tuple[str, int, int], int]:
    cells = [(rng.sheet, r, c) for rng in changing for r, c in rng.cells()]
    return {cell: i for i, cell in enumerate(cells)}


def _join(parts: list[np.ndarray], width: int | None = None) -> np.ndarray:
    if parts:
        return np.concatenate(parts)
    return np.zeros((0,) if width is None else (0, width))
