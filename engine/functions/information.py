"""Information functions: what kind of value a cell holds."""
from __future__ import annotations

from typing import Callable

from ..core.references import Areas, Range
from ..core.values import ERROR_CODES, Array, ErrorResult, ExcelError, Scalar, to_number
from .registry import Arg, excel_function

FAMILY = "Information"  # the heading of `cellgrad functions` and the README's coverage table


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


@excel_function("ISERR", Arg.ANY)
def iserr(v: Scalar) -> bool:
    return type(v) is ExcelError and v is not ExcelError.NA


@excel_function("ISLOGICAL", Arg.ANY)
def islogical(v: Scalar) -> bool:
    return type(v) is bool


@excel_function("ISNONTEXT", Arg.ANY)
def isnontext(v: Scalar) -> bool:
    return type(v) is not str


def _integer_part(v: Scalar) -> int:
    """ISEVEN/ISODD: "If number is nonnumeric, ... #VALUE!" (text and logicals); empty is 0."""
    if type(v) is bool or type(v) is str:
        raise ErrorResult(ExcelError.VALUE)
    return int(to_number(v))


@excel_function("ISEVEN", Arg.SCALAR)
def iseven(v: Scalar) -> bool:
    return _integer_part(v) % 2 == 0


@excel_function("ISODD", Arg.SCALAR)
def isodd(v: Scalar) -> bool:
    return _integer_part(v) % 2 == 1


@excel_function("ISREF", Arg.AREA, elementwise=False)
def isref(v: Range | Areas | Array) -> bool:
    return isinstance(v, (Range, Areas))


@excel_function("N", Arg.ANY)
def n(v: Scalar) -> float:
    """"N function": a number is itself, TRUE 1, an error the error, anything else 0."""
    if type(v) is ExcelError:
        raise ErrorResult(v)  # type: ignore[arg-type]
    if type(v) is bool:
        return 1.0 if v else 0.0
    return v if type(v) is float else 0.0  # type: ignore[return-value]


_TYPES = {str: 2.0, bool: 4.0, ExcelError: 16.0}


@excel_function("TYPE", Arg.AREA, elementwise=False, reads_cells=True)
def type_(read: Callable[..., Array], v: Range | Array) -> float:
    """"TYPE function": 1 number (and an empty cell), 2 text, 4 logical, 16 error, 64 array."""
    grid = read(v) if isinstance(v, Range) else v
    if grid.height > 1 or grid.width > 1:
        return 64.0
    return _TYPES.get(type(grid.rows[0][0]), 1.0)


@excel_function("ERROR.TYPE", Arg.ANY)
def error_type(v: Scalar) -> float:
    if type(v) is not ExcelError:
        raise ErrorResult(ExcelError.NA)
    return float(ERROR_CODES[v])  # type: ignore[index]
