"""Random numbers. Excel's draws cannot be reproduced; ours come from the workbook's seeded
generator, so a calculation can be repeated exactly."""
from __future__ import annotations

import math
import random

from ..core.values import Array, ErrorResult, ExcelError
from .arguments import array_shape, optional
from .registry import Arg, excel_function

FAMILY = "Random numbers"  # the heading of `cellgrad functions` and the README's coverage table


@excel_function("RAND", volatile=True, random=True, uses_rng=True)
def rand(rng: random.Random) -> float:
    return rng.random()


@excel_function("RANDBETWEEN", Arg.NUMBER, Arg.NUMBER, volatile=True, random=True, uses_rng=True)
def randbetween(rng: random.Random, bottom: float, top: float) -> float:
    low, high = math.ceil(bottom), math.floor(top)
    if low > high:
        raise ErrorResult(ExcelError.NUM)
    return float(rng.randint(low, high))


@excel_function("RANDARRAY", Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, Arg.BOOL, min_args=0,
                volatile=True, random=True, uses_rng=True, array_result=True, elementwise=False)
def randarray(rng: random.Random, rows: float | None = 1.0, columns: float | None = 1.0,
              low: float | None = 0.0, high: float | None = 1.0,
              integers: bool | None = False) -> Array:
    """"RANDARRAY function": rows x columns draws between min and max (whole numbers when asked);
    min above max is #VALUE!."""
    h, w = array_shape(optional(rows, 1.0), optional(columns, 1.0))
    a, b = optional(low, 0.0), optional(high, 1.0)
    if a > b:
        raise ErrorResult(ExcelError.VALUE)
    if integers:
        lo, hi = math.ceil(a), math.floor(b)
        if lo > hi:
            raise ErrorResult(ExcelError.VALUE)
        return Array([[float(rng.randint(lo, hi)) for _ in range(w)] for _ in range(h)])
    return Array([[a + (b - a) * rng.random() for _ in range(w)] for _ in range(h)])
