"""The Excel function library: one registry, one module per family."""
from . import (arrays, conditional, database, dates, distributions,  # noqa: F401
               engineering, financial, information, lambdas, logic, lookup, math, matrix,
               regression, statistics, subtotals, text, trig, volatile,
               workbook_information)  # (each registers its functions)
from .registry import REGISTRY, Arg, FunctionSpec, WorkbookContext, excel_function, families
from .registry import lookup as find

__all__ = ["REGISTRY", "Arg", "FunctionSpec", "WorkbookContext", "excel_function", "families",
           "find"]
