"""The objective cell, and the constraints' cells, as differentiable torch functions of the changing cells.

The torch backend (:mod:`cellgrad.ml.torch_backend`) evaluates the workbook's formulas on tensors.
Evaluating it walks the workbook's blocks in Python each time (about 20 ms for collab_filter);
a solve needs thousands of evaluations. So the backend's evaluation is recorded once with
``torch.jit.trace`` and the recording is replayed (under 1 ms): the same tensor operations the
backend issues, without the Python around them. A recording cannot follow a branch that depends
on the changing cells' values; the lesson's sheets have none (their IFs test the ratings), and
:meth:`Objective.check` compares the replay with the backend at any point, which the solve does
at its result, so a branch that did change would be an error, not a wrong answer.

Only the cells between the changing cells and the watched cells (objective, constraints) are
evaluated: the backend's ``outputs=`` restriction leaves the rest of the workbook out of the recording.
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
    """``objective(values)``: the objective cell for one tensor per changing range;
    ``objective.watched(values)``: the objective and then every cell of ``constraints``, flat."""

    def __init__(self, book: Workbook, cell: Range, changing: Sequence[Range],
                 device: str | torch.device | None = None, constraints: Sequence[Range] = ()) -> None:
        self.cell = cell
        self.ranges = [cell, *constraints]
        self.backend = TorchWorkbook(book, inputs=[str(r) for r in changing], device=device,
                                     outputs=[str(r) for r in self.ranges])
        self.start = [t.detach().clone() for t in self.backend.inputs]
        # The backend compares shapes with its own leaf tensors; a trace cannot hold a tensor
        # that requires grad as a constant, and the leaves are not used otherwise.
        for leaf in self.backend.inputs:
            leaf.requires_grad_(False)
        self._require_dependence(book)
        self.replay = _trace(self.direct_all, self.start)

    @property
    def device(self) -> torch.device:
        return self.backend.device

    def direct_all(self, *values: torch.Tensor) -> torch.Tensor:
        """The backend's own evaluation of every watched cell (slow, exact reference for the
        replay). Reshapes, not indexing, so that the recording gathers nothing it need not."""
        evaluated = self.backend.evaluate(*values)
        parts = [evaluated.range(r).reshape(-1) for r in self.ranges]
        return parts[0] if len(parts) == 1 else torch.cat(parts)

    def direct(self, *values: torch.Tensor) -> torch.Tensor:
        return self.direct_all(*values)[0]

    def __call__(self, values: Sequence[torch.Tensor]) -> torch.Tensor:
        watched = self.replay(*values)
        return watched.reshape(()) if watched.shape[0] == 1 else watched[0]

    def watched(self, values: Sequence[torch.Tensor]) -> torch.Tensor:
        return self.replay(*values)

    def check(self, values: Sequence[torch.Tensor]) -> None:
        """SolverError if the replay and the backend disagree at ``values``."""
        with torch.no_grad():
            replayed = self.replay(*values).tolist()
            direct = self.direct_all(*values).tolist()
        for r, d in zip(replayed, direct):
            if not abs(r - d) <= AGREEMENT * max(abs(d), 1e-300):
                raise SolverError(f"solver_opt: the recorded objective or constraints ({r!r}) differ "
                                  f"from the torch backend ({d!r}) at the solution: a branch of "
                                  f"{self.cell} or a constraint depends on the changing cells' values",
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
