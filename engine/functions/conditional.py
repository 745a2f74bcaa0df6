"""Conditional counting and aggregation: COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS.

A criterion (``5``, ``">0"``, ``"a*"``, ``""``) is parsed once into a predicate on cell values,
shared by every function here (and its wildcards by MATCH and the lookups).
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

from ..core.references import Range
from ..core.values import Array, ErrorResult, ExcelError, Scalar, checked_number, compare, number_from_text
from .registry import Arg, excel_function

FAMILY = "Conditional counts and sums"  # the heading of `cellgrad functions` and the README's coverage table

_OPERATOR = re.compile(r"^(<=|>=|<>|=|<|>)?(.*)$", re.S)
Predicate = Callable[[Scalar], bool]
ReadArea = Callable[..., Array]  # (range, made at run time=False)


def wildcard(pattern: str) -> re.Pattern[str]:
    """Excel's text pattern: ? one character, * any run, ~ makes the next one literal; no case."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S | re.I)


def criterion(spec: Scalar) -> Predicate:
    """A predicate on cell values from a COUNTIF criterion (``5``, ``">0"``, ``"a*"``, ``""``)."""
    if type(spec) is ExcelError:
        raise ErrorResult(spec)  # type: ignore[arg-type]
    if spec is None:
        spec = 0.0
    if type(spec) is not str:
        return lambda v: type(v) is type(spec) and v == spec
    op, operand = _OPERATOR.match(spec).groups()  # type: ignore[union-attr]
    op = op or "="
    number = number_from_text(operand)
    if operand.upper() in ("TRUE", "FALSE"):
        target: Scalar = operand.upper() == "TRUE"
    else:
        target = number if number is not None else operand
    if op in ("=", "<>"):
        if operand == "":
            test = (lambda v: v is None or v == "") if op == "=" else (lambda v: v is not None and v != "")
            return test
        if type(target) is str:
            pattern = wildcard(target)
            match = lambda v: type(v) is str and pattern.fullmatch(v) is not None  # noqa: E731
        else:
            match = lambda v: type(v) is type(target) and v == target  # noqa: E731
        return match if op == "=" else (lambda v: not match(v))
    def ordered(v: Scalar) -> bool:
        if v is None or type(v) is not type(target):
            return False
        c = compare(v, target)
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
    return ordered


def _grid(area: Range | Array, read: ReadArea) -> Array:
    return read(area) if isinstance(area, Range) else area


def _matching(read: ReadArea, pairs: tuple, shape: tuple[int, int] | None = None) -> Iterator[int]:
    """Positions (row-major) where every (range, criterion) pair matches; all ranges the same
    shape (#VALUE! otherwise)."""
    tests = []
    for area, spec in zip(pairs[::2], pairs[1::2]):
        grid = _grid(area, read)
        if shape is None:
            shape = (grid.height, grid.width)
        elif (grid.height, grid.width) != shape:
            raise ErrorResult(ExcelError.VALUE)
        tests.append((list(grid), criterion(spec)))
    if len(pairs) % 2 or not tests:
        raise ErrorResult(ExcelError.VALUE)
    for i in range(len(tests[0][0])):
        if all(test(cells[i]) for cells, test in tests):
            yield i


def _aligned(area: Range | Array, like: Range | Array, read: ReadArea) -> Array:
    """SUMIF's sum_range: "the upper leftmost cell in sum_range ... and then cells that
    correspond in size and shape to range" ("SUMIF function")."""
    if isinstance(area, Range):
        return read(Range(area.sheet, area.r1, area.c1, area.r1 + like.height - 1,
                          area.c1 + like.width - 1), True)
    return area


def _numbers_at(grid: Array, positions: Iterator[int]) -> list[float]:
    values = list(grid)
    out = []
    for i in positions:
        v = values[i] if i < len(values) else None
        if type(v) is ExcelError:
            raise ErrorResult(v)  # type: ignore[arg-type]
        if type(v) is float:
            out.append(v)
    return out


A, S = Arg.AREA, Arg.SCALAR
IFS = dict(repeat=(A, S), reads_cells=True)


@excel_function("COUNTIF", A, S, reads_cells=True)
def countif(read: ReadArea, area: Range | Array, spec: Scalar) -> float:
    return float(sum(1 for _ in _matching(read, (area, spec))))


@excel_function("COUNTIFS", A, S, **IFS)
def countifs(read: ReadArea, *pairs) -> float:
    return float(sum(1 for _ in _matching(read, pairs)))


def _if_values(read: ReadArea, area: Range | Array, spec: Scalar,
               values: Range | Array | None) -> list[float]:
    target = _grid(area, read) if values is None else _aligned(values, area, read)
    return _numbers_at(target, _matching(read, (area, spec)))


def _ifs_values(read: ReadArea, values: Range | Array, pairs: tuple) -> list[float]:
    grid = _grid(values, read)
    return _numbers_at(grid, _matching(read, pairs, (grid.height, grid.width)))


def _average(xs: list[float]) -> float:
    if not xs:
        raise ErrorResult(ExcelError.DIV0)
    return checked_number(sum(xs)) / len(xs)


@excel_function("SUMIF", A, S, A, min_args=2, reads_cells=True)
def sumif(read: ReadArea, area: Range | Array, spec: Scalar, values: Range | Array | None = None) -> float:
    return checked_number(sum(_if_values(read, area, spec, values)))


@excel_function("AVERAGEIF", A, S, A, min_args=2, reads_cells=True)
def averageif(read: ReadArea, area: Range | Array, spec: Scalar,
              values: Range | Array | None = None) -> float:
    return _average(_if_values(read, area, spec, values))


@excel_function("SUMIFS", A, A, S, min_args=3, **IFS)
def sumifs(read: ReadArea, values: Range | Array, *pairs) -> float:
    return checked_number(sum(_ifs_values(read, values, pairs)))


@excel_function("AVERAGEIFS", A, A, S, min_args=3, **IFS)
def averageifs(read: ReadArea, values: Range | Array, *pairs) -> float:
    return _average(_ifs_values(read, values, pairs))


@excel_function("MAXIFS", A, A, S, min_args=3, **IFS)
def maxifs(read: ReadArea, values: Range | Array, *pairs) -> float:
    return max(_ifs_values(read, values, pairs), default=0.0)


@excel_function("MINIFS", A, A, S, min_args=3, **IFS)
def minifs(read: ReadArea, values: Range | Array, *pairs) -> float:
    return min(_ifs_values(read, values, pairs), default=0.0)
