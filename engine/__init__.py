"""cellgrad's formula engine: computes the lesson-5 workbooks cell for cell, as Excel does."""
from .core.errors import (CellgradError, CircularReferenceError, FormulaError,
                          UnsupportedFunctionError, WorkbookError)
from .core.values import Array, ExcelError
from .workbook import Workbook, load

__all__ = ["Workbook", "load", "ExcelError", "Array", "CellgradError", "WorkbookError",
           "FormulaError", "UnsupportedFunctionError", "CircularReferenceError"]
