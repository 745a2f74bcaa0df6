"""The objective cell as a differentiable torch function of the changing cells.

The torch backend (:mod:`cellgrad.ml.torch_backend`) evaluates the workbook's formulas on tensors.
Evaluating it walks the workbook's blocks in Python each time (about 20 ms for collab_filter);
a solve needs thousands of evaluations. So the backend's evaluation is recorded once with
``torch.jit.trace`` and the recording is replayed (under 1 ms): the same tensor operations the
backend issues, without the Python around them. A recording cannot follow a branch that depends
on the changing cells' values; the lesson's sheets have none (their IFs test the ratings), and
:meth:`Objective.check` compares the replay with the backend at any point, which the solve does
at its result, so a branch that did change would be an error, not a wrong answer.
"""
from __future__ import annotations

import warnings
from typing import Callable, Sequence

import torch

from ...core.errors import SolverError
from ...core.references import Range
from ...workbook import Workbook
from ..torch_backend import TorchWorkbook

AGREEMENT = 1e-9  # relative, between engines (house tolerance)


class Objective:
    """``objective(values)``: the objective cell for one tensor per changing range."""

    def __init__(self, book: Workbook, cell: Range, changing: Sequence[Range],
                 device: str | torch.device | None = None) -> None:
        self.cell = cell
        self.backend = TorchWorkbook(book, inputs=[str(r) for r in changing], device=device)
        self.start = [t.detach().clone() for t in self.backend.inputs]
        # The backend compares shapes with its own leaf tensors; a trace cannot hold a tensor
        # that requires grad as a constant, and the leaves are not used otherwise.
        for leaf in self.backend.inputs:
            leaf.requires_grad_(False)
        self._require_dependence(book)
        self.replay = _trace(self.direct, self.start)

    @property
    def device(self) -> torch.device:
        return self.backend.device

    def direct(self, *values: torch.Tensor) -> torch.Tensor:
        """The backend's own evaluation (slow, exact reference for the replay)."""
        return self.backend.evaluate(*values).range(self.cell)[0, 0]

    def __call__(self, values: Sequence[torch.Tensor]) -> torch.Tensor:
        return self.replay(*values)

    def check(self, values: Sequence[torch.Tensor]) -> None:
        """SolverError if the replay and the backend disagree at ``values``."""
        with torch.no_grad():
            replayed = float(self.replay(*values))
            direct = float(self.direct(*values))
        if not abs(replayed - direct) <= AGREEMENT * max(abs(direct), 1e-300):
            raise SolverError(f"solver_opt: the recorded objective ({replayed!r}) differs from the "
                              f"torch backend ({direct!r}) at the solution: a branch of "
                              f"{self.cell} depends on the changing cells' values",
                              sheet=self.cell.sheet)

    def _require_dependence(self, book: Workbook) -> None:
        probe = [t.clone().requires_grad_(True) for t in self.start]
        if not self.direct(*probe).requires_grad:
            raise SolverError(f"solver_opt: the objective {self.cell} does not depend on the "
                              "changing cells (solver_adj)", file=book.path, sheet=self.cell.sheet)


def _trace(function: Callable[..., torch.Tensor], example: Sequence[torch.Tensor]) -> Callable[..., torch.Tensor]:
    with warnings.catch_warnings():
        # jit.trace warns that it is deprecated and that Python booleans taken from tensors are
        # frozen into the recording; Objective.check is the answer to the latter.
        warnings.simplefilter("ignore")
        return torch.jit.trace(function, tuple(example), check_trace=False)
