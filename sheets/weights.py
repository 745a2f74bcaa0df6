"""Initial weights: what =RAND() would give, drawn from a seeded generator so builds repeat.

Each block of weights gets its own generator, seeded from the build seed and the block's name,
so changing the shape of one tab does not change the weights of another.
"""
from __future__ import annotations

import zlib

import numpy as np

SEED = 5  # lesson 5


def uniform(block: str, rows: int, cols: int, seed: int = SEED) -> list[list[float]]:
    """``rows`` x ``cols`` draws from [0, 1), like Excel's RAND(), for the named block."""
    rng = np.random.default_rng([seed, zlib.crc32(block.encode("utf-8"))])
    return rng.random((rows, cols)).tolist()
