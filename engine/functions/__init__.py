"""The Excel function library: one registry, one module per family."""
from . import information, logic, lookup, math, statistics, text, volatile  # noqa: F401  (register)
from .registry import REGISTRY, Arg, FunctionSpec, excel_function
from .registry import lookup as find

__all__ = ["REGISTRY", "Arg", "FunctionSpec", "excel_function", "find"]
