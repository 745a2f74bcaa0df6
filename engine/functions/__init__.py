"""The Excel function library: one registry, one module per family."""
from . import (arrays, conditional, dates, distributions, engineering, financial,  # noqa: F401
               information, lambdas, logic, lookup, math, matrix, regression, statistics,
               subtotals, text, trig, volatile,
               workbook_information)  # (each registers its functions)
from .registry import REGISTRY, Arg, FunctionSpec, WorkbookContext, excel_function, families
from .registry import lookup as find

__all__ = ["REGISTRY", "Arg", "FunctionSpec", "WorkbookContext", "excel_function", "families",
           "find"]
