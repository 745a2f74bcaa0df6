"""Excel's Solver without Excel: a sheet's stored Solver model, optimized through its formulas.

:mod:`.stored_model` reads and checks the model, :mod:`.objective` makes the objective and
constraint cells torch functions of the changing cells (through the torch backend), the engines
search (:mod:`.search` torch, :mod:`.nonlinear` SLSQP/L-BFGS-B, :mod:`.linear` HiGHS,
:mod:`.evolutionary` differential evolution), :mod:`.solve` writes the result into a copy of the
workbook and :mod:`.answer_report` lays out Excel's Answer Report.
"""
from .search import Settings, Step
from .solve import Report, solve, solve_book
from .stored_model import SolverModel, read_model

__all__ = ["SolverModel", "read_model", "Settings", "Step", "Report", "solve", "solve_book"]
