"""How a search ended: the point it keeps, and its status in the command's words and in Excel's.

``status`` is what ``solve --json`` reports; ``message`` is the sentence Excel's Solver Results
dialog shows for the same ending.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

Status = Literal["converged", "time_limit", "iteration_limit", "interrupted"]

FOUND = "Solver found a solution. All Constraints and optimality conditions are satisfied."
CONVERGED = "Solver converged to the current solution. All Constraints are satisfied."
INTEGER = "Solver found an integer solution within tolerance. All Constraints are satisfied."
CANNOT_IMPROVE = "Solver cannot improve the current solution. All Constraints are satisfied."
INFEASIBLE = "Solver could not find a feasible solution."
UNBOUNDED = "The Objective Cell values do not converge."
MESSAGES: dict[Status, str] = {
    "time_limit": "Stop chosen when the maximum time limit was reached.",
    "iteration_limit": "Stop chosen when the maximum iteration limit was reached.",
    "interrupted": "Solver stopped at user's request.",
}


@dataclass
class Outcome:
    values: list[torch.Tensor]   # one tensor per changing range
    objective: float
    steps: int                   # iterations, all runs together
    runs: int                    # runs started (a limit may cut the restarts short)
    best_run: int
    seconds: float
    status: Status = "converged"
    message: str = CONVERGED
