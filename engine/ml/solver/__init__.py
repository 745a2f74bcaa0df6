"""Excel's Solver without Excel: a sheet's stored Solver model, optimized with torch.

:mod:`.model` reads and checks the model, :mod:`.objective` makes the objective cell a torch
function of the changing cells (through the torch backend), :mod:`.search` runs Adam or L-BFGS
with random restarts, :mod:`.solve` writes the result into a copy of the workbook.
"""
from .search import Settings, Step
from .solve import Report, solve, solve_book
from .stored_model import SolverModel, read_model

__all__ = ["SolverModel", "read_model", "Settings", "Step", "Report", "solve", "solve_book"]
