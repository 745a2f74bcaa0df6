"""Random numbers. Excel's draws cannot be reproduced; ours come from the workbook's seeded
generator, so a calculation can be repeated exactly."""
from __future__ import annotations

import math
import random

from ..core.values import ErrorResult, ExcelError
from .registry import Arg, excel_function


@excel_function("RAND", volatile=True, random=True, uses_rng=True)
def rand(rng: random.Random) -> float:
    return rng.random()


@excel_function("RANDBETWEEN", Arg.NUMBER, Arg.NUMBER, volatile=True, random=True, uses_rng=True)
def randbetween(rng: random.Random, bottom: float, top: float) -> float:
    low, high = math.ceil(bottom), math.floor(top)
    if low > high:
        raise ErrorResult(ExcelError.NUM)
    return float(rng.randint(low, high))
