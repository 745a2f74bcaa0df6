"""Argument types the commands share (argparse turns their ArgumentTypeError into a usage error)."""
from __future__ import annotations

import argparse


def count(text: str) -> int:
    """A whole number, 0 or more: ``--epochs``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
