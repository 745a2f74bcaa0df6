"""Logical functions. IF and IFERROR take their branches lazily, as Excel evaluates only one."""
from __future__ import annotations

from typing import Callable

from ..core.values import ErrorResult, ExcelError, Scalar, to_bool
from .arguments import values
from .registry import Arg, excel_function

Thunk = Callable[[], object]


@excel_function("IF", Arg.BOOL, Arg.LAZY, Arg.LAZY, min_args=1)
def if_(condition: bool, then: Thunk | None = None, otherwise: Thunk | None = None) -> object:
    if condition:
        return then() if then is not None else 0.0
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
