"""Matrices: MUNIT, MDETERM, MINVERSE (MMULT is with the SUM family in math.py). Every entry must
be a number (#VALUE!), the array square (#VALUE!); a singular matrix has no inverse (#NUM!)."""
from __future__ import annotations

import numpy as np

from ..core.values import Array, ErrorResult, ExcelError, checked_number
from .arguments import array_shape, raise_first_error
from .registry import Arg, excel_function

FAMILY = "Matrices"  # the heading of `cellgrad functions` and the README's coverage table


def _square(grid: Array):
    raise_first_error(grid)
    if grid.height != grid.width or any(type(v) is not float for v in grid):
        raise ErrorResult(ExcelError.VALUE)
    return np.array(grid.rows, dtype=float)


@excel_function("MUNIT", Arg.NUMBER, array_result=True, elementwise=False)
def munit(dimension: float) -> Array:
    if dimension < 1:
        raise ErrorResult(ExcelError.VALUE)
    n, _ = array_shape(dimension, dimension)
    return Array([[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])


@excel_function("MDETERM", Arg.GRID, elementwise=False)
def mdeterm(grid: Array) -> float:
    return checked_number(float(np.linalg.det(_square(grid)))) + 0.0


@excel_function("MINVERSE", Arg.GRID, array_result=True, elementwise=False)
def minverse(grid: Array) -> Array:
    matrix = _square(grid)
    if np.linalg.det(matrix) == 0:
        raise ErrorResult(ExcelError.NUM)
    try:
        inverse = np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        raise ErrorResult(ExcelError.NUM) from None
    return Array([[checked_number(float(v)) + 0.0 for v in row] for row in inverse])
