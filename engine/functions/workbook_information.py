"""Information about the workbook rather than a value: ISFORMULA, SHEET, SHEETS, CELL, INFO.

Each takes the :class:`~cellgrad.functions.registry.WorkbookContext` (formulas, sheet order, the
file); their references are mostly positions, which the dependency graph does not follow
(:func:`cellgrad.calc.graph.static_references`).
"""
from __future__ import annotations

import os
from typing import Callable

from ..core.references import Areas, Range, cell_name, quote_sheet
from ..core.values import Array, ErrorResult, ExcelError, Scalar
from .registry import Arg, WorkbookContext, excel_function

FAMILY = "Information"  # the heading of `cellgrad functions` and the README's coverage table

ReadArea = Callable[..., Array]
Anchor = tuple[int, int, str]


@excel_function("ISFORMULA", Arg.REF, uses_book=True, elementwise=False, array_result=True)
def isformula(book: WorkbookContext, ref: Range) -> bool | Array:
    """"ISFORMULA function": whether the cell holds a formula (a cell of an array formula does);
    over several cells, one answer per cell."""
    if ref.size == 1:
        return book.formula(ref.sheet, ref.r1, ref.c1) is not None
    return Array([[book.formula(ref.sheet, r, c) is not None for c in range(ref.c1, ref.c2 + 1)]
                  for r in range(ref.r1, ref.r2 + 1)])


def _first(value: Range | Array) -> Scalar:
    return value.rows[0][0] if isinstance(value, Array) else None


@excel_function("SHEET", Arg.AREA, min_args=0, uses_book=True, uses_anchor=True,
                elementwise=False)
def sheet(book: WorkbookContext, anchor: Anchor, value: Range | Array | None = None) -> float:
    """"SHEET function": the number of the reference's sheet, or of the sheet named by a text
    (#N/A if there is none), or of the formula's own sheet; every sheet counts, "macro, chart,
    or dialog sheets" too."""
    names = [name.casefold() for name in book.tabs]
    if value is None:
        return float(names.index(anchor[2].casefold()) + 1)
    if isinstance(value, Range):
        return float(names.index(value.sheet.casefold()) + 1)
    name = _first(value)
    if type(name) is ExcelError:
        raise ErrorResult(name)  # type: ignore[arg-type]
    if type(name) is not str or name.casefold() not in names:
        raise ErrorResult(ExcelError.NA)
    return float(names.index(name.casefold()) + 1)


@excel_function("SHEETS", Arg.AREA, min_args=0, uses_book=True, elementwise=False)
def sheets(book: WorkbookContext, value: Range | Areas | Array | None = None) -> float:
    """"SHEETS function": the sheets in the workbook ("all other sheet types (macro, chart, or
    dialog sheets)" too), or in the reference (a 3-D reference's worksheets); a value that is not
    a reference is #REF!."""
    if value is None:
        return float(len(book.tabs))
    if isinstance(value, Areas):
        return float(len(value.sheets))
    if isinstance(value, Range):
        return 1.0
    first = _first(value)
    raise ErrorResult(first if type(first) is ExcelError else ExcelError.REF)  # type: ignore[arg-type]


def _book_name(book: WorkbookContext) -> str:
    return os.path.basename(book.path) if book.path else "Book1"


def _address(book: WorkbookContext, ref: Range, own_sheet: str) -> str:
    """CELL("address"): $A$1; on another sheet, with the workbook and the sheet, as Excel
    writes an external reference ('[book.xlsx]My sheet'!$A$1)."""
    address = cell_name(ref.r1, ref.c1)
    absolute = "$" + address.rstrip("0123456789") + "$" + str(ref.r1)
    if ref.sheet == own_sheet:
        return absolute
    prefix = f"[{_book_name(book)}]{ref.sheet}"
    if quote_sheet(ref.sheet) != ref.sheet or quote_sheet(_book_name(book)) != _book_name(book):
        prefix = "'" + prefix.replace("'", "''") + "'"
    return prefix + "!" + absolute


def _filename(book: WorkbookContext, sheet_name: str) -> str:
    """CELL("filename"): path[book]sheet, "" for a workbook not saved to a file."""
    if not book.path:
        return ""
    path = os.path.abspath(book.path)
    return os.path.dirname(path) + os.sep + f"[{os.path.basename(path)}]{sheet_name}"


# Documented info_types that need what the engine does not read (number formats, colours,
# alignment, protection, column widths): #N/A rather than a guess.
_STYLE_INFO = frozenset({"color", "format", "parentheses", "prefix", "protect", "width"})


@excel_function("CELL", Arg.TEXT, Arg.REF, min_args=1, uses_book=True, uses_anchor=True,
                reads_cells=True, elementwise=False)
def cell(book: WorkbookContext, read: ReadArea, anchor: Anchor, info_type: str,
         ref: Range | None = None) -> Scalar:
    """"CELL function" for the upper-left cell of ``ref``: address, col, row, contents, type,
    filename. Without ``ref`` Excel answers for the cell selected when it calculates; with no
    selection here, that is the formula's own cell."""
    if ref is None:
        ref = Range(anchor[2], anchor[0], anchor[1], anchor[0], anchor[1])
    kind = info_type.lower()
    if kind == "address":
        return _address(book, ref, anchor[2])
    if kind == "col":
        return float(ref.c1)
    if kind == "row":
        return float(ref.r1)
    if kind == "filename":
        return _filename(book, ref.sheet)
    if kind in ("contents", "type"):
        value = read(Range(ref.sheet, ref.r1, ref.c1, ref.r1, ref.c1)).rows[0][0]
        if kind == "contents":
            return value
        return "b" if value is None else "l" if type(value) is str else "v"
    if kind in _STYLE_INFO:
        raise ErrorResult(ExcelError.NA)
    raise ErrorResult(ExcelError.VALUE)


# INFO("release"): the version number Excel 2016, 2019, 2021 and Microsoft 365 report.
RELEASE = "16.0"


@excel_function("INFO", Arg.TEXT, uses_book=True)
def info(book: WorkbookContext, type_text: str) -> Scalar:
    """"INFO function": directory (the workbook's folder), numfile (its sheets: it is the only
    workbook open), recalc, release (:data:`RELEASE`). origin, osversion and system describe a
    window and an operating system the engine does not have: #N/A."""
    kind = type_text.lower()
    if kind == "directory":
        if not book.path:
            raise ErrorResult(ExcelError.NA)
        return os.path.dirname(os.path.abspath(book.path)) + os.sep
    if kind == "numfile":
        return float(len(book.sheet_names))
    if kind == "recalc":
        return "Automatic" if book.automatic else "Manual"
    if kind == "release":
        return RELEASE
    if kind in ("origin", "osversion", "system"):
        raise ErrorResult(ExcelError.NA)
    raise ErrorResult(ExcelError.VALUE)
