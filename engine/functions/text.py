"""Text functions."""
from __future__ import annotations

from .registry import Arg, excel_function


@excel_function("CONCATENATE", Arg.TEXT, repeat=Arg.TEXT, min_args=1)
def concatenate(*parts: str) -> str:
    return "".join(parts)


@excel_function("LEN", Arg.TEXT)
def len_(text: str) -> float:
    return float(len(text))


@excel_function("UPPER", Arg.TEXT)
def upper(text: str) -> str:
    return text.upper()


@excel_function("LOWER", Arg.TEXT)
def lower(text: str) -> str:
    return text.lower()
