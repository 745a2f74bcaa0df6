"""Information functions: what kind of value a cell holds."""
from __future__ import annotations

from ..core.values import ErrorResult, ExcelError, Scalar
from .registry import Arg, excel_function


@excel_function("ISERROR", Arg.ANY)
def iserror(v: Scalar) -> bool:
    return type(v) is ExcelError


@excel_function("ISNA", Arg.ANY)
def isna(v: Scalar) -> bool:
    return v is ExcelError.NA


@excel_function("ISNUMBER", Arg.ANY)
def isnumber(v: Scalar) -> bool:
    return type(v) is float


@excel_function("ISTEXT", Arg.ANY)
def istext(v: Scalar) -> bool:
    return type(v) is str


@excel_function("ISBLANK", Arg.ANY)
def isblank(v: Scalar) -> bool:
    return v is None


@excel_function("NA")
def na() -> Scalar:
    raise ErrorResult(ExcelError.NA)
