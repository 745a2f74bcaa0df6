"""Logical functions. IF and IFERROR take their branches lazily, as Excel evaluates only one."""
from __future__ import annotations

from typing import Callable

from ..core.values import ErrorResult, ExcelError, Scalar, compare, to_bool
from .arguments import values
from .array_kernels import ArrayContext, Fallback
from .registry import Arg, excel_function

FAMILY = "Logical"  # the heading of `cellgrad functions` and the README's coverage table

Thunk = Callable[[], object]


def _if_kernel(ctx: ArrayContext, condition, then=None, otherwise=None):
    if then is None or otherwise is None:
        raise Fallback  # an omitted branch is FALSE or 0: the scalar rule knows which
    return ctx.ops.where(condition, then, otherwise)


def _if_compiled(sources: list[str]) -> str | None:
    if len(sources) != 3:
        return None  # an omitted branch is FALSE or 0
    condition, then, otherwise = sources
    return f"({then} if {condition} else {otherwise})"


@excel_function("IF", Arg.BOOL, Arg.LAZY, Arg.LAZY, min_args=1, kernel=_if_kernel,
                compiled=_if_compiled)
def if_(condition: bool, then: Thunk | None = None, otherwise: Thunk | None = None) -> object:
    if condition:
        return then() if then is not None else True  # IF(cond) alone: the condition's TRUE
    return otherwise() if otherwise is not None else False


@excel_function("IFERROR", Arg.ANY, Arg.LAZY)
def iferror(value: Scalar, fallback: Thunk) -> object:
    return fallback() if type(value) is ExcelError else value


def _logicals(args: tuple) -> list[bool]:
    out = []
    for arg in args:
        for v in values((arg,)):
            if type(v) is ExcelError:
                raise ErrorResult(v)  # type: ignore[arg-type]
            if v is None or (type(v) is str and not isinstance(arg, str)):
                continue  # empty cells and text inside references are skipped
            out.append(to_bool(v))
    if not out:
        raise ErrorResult(ExcelError.VALUE)
    return out


@excel_function("AND", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def and_(*args) -> bool:
    return all(_logicals(args))


@excel_function("OR", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def or_(*args) -> bool:
    return any(_logicals(args))


@excel_function("NOT", Arg.BOOL)
def not_(x: bool) -> bool:
    return not x


@excel_function("TRUE")
def true() -> bool:
    return True


@excel_function("FALSE")
def false() -> bool:
    return False


@excel_function("IFNA", Arg.ANY, Arg.LAZY)
def ifna(value: Scalar, fallback: Thunk) -> object:
    return fallback() if value is ExcelError.NA else value


@excel_function("IFS", Arg.ANY, Arg.LAZY, repeat=(Arg.ANY, Arg.LAZY), min_args=2)
def ifs(*pairs) -> object:
    """"IFS function": the value of the first TRUE condition; #N/A when none is. Only the chosen
    value is evaluated; an error in a condition counts only once it is reached."""
    if len(pairs) % 2:
        raise ErrorResult(ExcelError.VALUE)
    for condition, value in zip(pairs[::2], pairs[1::2]):
        if to_bool(condition):
            return value()
    raise ErrorResult(ExcelError.NA)


@excel_function("SWITCH", Arg.SCALAR, Arg.ANY, Arg.LAZY, repeat=(Arg.ANY, Arg.LAZY), min_args=3)
def switch(value: Scalar, *cases) -> object:
    """"SWITCH function": the result for the first case equal to the expression, else the
    default (an odd last argument), else #N/A."""
    pairs, default = (cases, None) if len(cases) % 2 == 0 else (cases[:-1], cases[-1])
    for case, result in zip(pairs[::2], pairs[1::2]):
        if compare(value, case) == 0:  # an error case propagates
            return result()
    if default is None:
        raise ErrorResult(ExcelError.NA)
    return default


@excel_function("XOR", Arg.VALUES, repeat=Arg.VALUES, min_args=1)
def xor(*args) -> bool:
    return sum(_logicals(args)) % 2 == 1
