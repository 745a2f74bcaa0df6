"""The three handouts, by name, each in the state its reset macros leave it, and their files."""
from __future__ import annotations

from typing import Callable

from ..core.errors import WorkbookError
from . import collab, entropy, graddesc, macro_workbook, writer
from .layout import Book
from .reset import apply_reset

DEFINITIONS: dict[str, Callable[[], Book]] = {
    "collab_filter": collab.book,
    "graddesc": graddesc.book,
    "entropy_example": entropy.book,
}


def handout(name: str) -> Book:
    """The definition of handout ``name`` ("graddesc" or "graddesc.xlsm"), reset."""
    stem = name.rsplit(".", 1)[0] if name.endswith((".xlsx", ".xlsm")) else name
    if stem not in DEFINITIONS:
        raise WorkbookError(f"unknown workbook (known: {', '.join(DEFINITIONS)})", file=name)
    book = apply_reset(DEFINITIONS[stem]())
    if name != stem and name != book.filename:
        raise WorkbookError(f"unknown workbook (did you mean {book.filename}?)", file=name)
    return book


def package(book: Book) -> bytes:
    """The handout file's bytes, the same for the same definition. The macro-enabled one is
    written by XlsxWriter, which (unlike openpyxl) creates its Run / Step / Reset buttons."""
    return macro_workbook.package(book) if book.macro_enabled else writer.package(book)
