"""SUBTOTAL and AGGREGATE: a statistic over references that leaves out what Excel's outlines and
filters hide, and the subtotals already inside the references (so they are not counted twice).

Which cells to leave out depends on the workbook, not only on values: a cell is left out for the
formula it holds (one calling SUBTOTAL or AGGREGATE) or for its row being hidden, so both take the
:class:`~cellgrad.functions.registry.WorkbookContext`. A left-out cell is seen as empty, which
every one of the statistics skips. Hidden columns never count: both are designed for columns of
data (Microsoft's SUBTOTAL and AGGREGATE pages).
"""
from __future__ import annotations

from typing import Callable

from ..core.references import Range
from ..core.values import Array, ErrorResult, ExcelError, Scalar, to_number
from .registry import REGISTRY, Arg, WorkbookContext, excel_function

FAMILY = "Math"  # the heading of `cellgrad functions` and the README's coverage table

ReadArea = Callable[..., Array]
_NESTED = frozenset({"SUBTOTAL", "AGGREGATE"})

# "SUBTOTAL function": function_num 1-11, and 101-111 for the same that also skip hidden rows
_SUBTOTAL = ("AVERAGE", "COUNT", "COUNTA", "MAX", "MIN", "PRODUCT", "STDEV.S", "STDEV.P", "SUM",
             "VAR.S", "VAR.P")
# "AGGREGATE function": 1-13 take references; 14-19 an array and k
_AGGREGATE = _SUBTOTAL + ("MEDIAN", "MODE.SNGL")
_WITH_K = ("LARGE", "SMALL", "PERCENTILE.INC", "QUARTILE.INC", "PERCENTILE.EXC", "QUARTILE.EXC")


def _seen(book: WorkbookContext, read: ReadArea, ref: Range | Array, *, hidden: bool,
          only_filtered: bool, nested: bool, errors: bool) -> Array:
    """The values the statistic sees; each cell left out becomes empty: on a hidden row
    (``hidden``; with ``only_filtered`` only the rows a filter hides), holding SUBTOTAL or
    AGGREGATE (``nested``), an error value (``errors``)."""
    if isinstance(ref, Array):
        return Array([[None if errors and type(v) is ExcelError else v for v in row]
                      for row in ref.rows]) if errors else ref
    out: list[list[Scalar]] = []
    for i, row in enumerate(read(ref).rows):
        r = ref.r1 + i
        if hidden and book.row_hidden(ref.sheet, r, by_filter_only=only_filtered):
            out.append([None] * len(row))
            continue
        out.append([None if errors and type(v) is ExcelError
                    or nested and v is not None and book.calls(ref.sheet, r, ref.c1 + j) & _NESTED
                    else v for j, v in enumerate(row)])
    return Array(out)


def _references(refs: tuple[Range | Array | None, ...]) -> list[Range]:
    """The refs given; one that is not a reference is #VALUE! (an error value propagates)."""
    given = [ref for ref in refs if ref is not None]
    for ref in given:
        if not isinstance(ref, Range):
            first = ref.rows[0][0]
            raise ErrorResult(first if type(first) is ExcelError else ExcelError.VALUE)  # type: ignore[arg-type]
    if not given:
        raise ErrorResult(ExcelError.VALUE)
    return given  # type: ignore[return-value]


def _code(number: float, first: int, last: int) -> int:
    code = int(number)
    if not first <= code <= last:
        raise ErrorResult(ExcelError.VALUE)
    return code


@excel_function("SUBTOTAL", Arg.NUMBER, Arg.AREA, repeat=Arg.AREA, min_args=2, uses_book=True,
                reads_cells=True)
def subtotal(book: WorkbookContext, read: ReadArea, function_num: float,
             *refs: Range | Array) -> Scalar:
    """"SUBTOTAL function": 1-11 skip the rows a filter hides, 101-111 every hidden row; both
    skip cells holding SUBTOTAL (or AGGREGATE). Its refs must be references (#VALUE! else)."""
    code = int(function_num)
    if not (1 <= code <= 11 or 101 <= code <= 111):
        raise ErrorResult(ExcelError.VALUE)
    seen = [_seen(book, read, ref, hidden=True, only_filtered=code < 100, nested=True,
                  errors=False) for ref in _references(refs)]
    return REGISTRY[_SUBTOTAL[code % 100 - 1]].impl(*seen)


@excel_function("AGGREGATE", Arg.NUMBER, Arg.NUMBER, Arg.AREA, repeat=Arg.AREA, min_args=3,
                uses_book=True, reads_cells=True)
def aggregate(book: WorkbookContext, read: ReadArea, function_num: float, options: float | None,
              *refs: Range | Array) -> Scalar:
    """"AGGREGATE function", options 0-7: 0-3 skip nested SUBTOTAL and AGGREGATE cells, 1, 3, 5
    and 7 hidden rows, 2, 3, 6 and 7 error values. Functions 1-13 take references; 14-19 an array
    (a computed one too) and k, without which the result is #VALUE!."""
    code = _code(function_num, 1, 19)
    option = _code(0.0 if options is None else options, 0, 7)
    rules = {"hidden": option % 2 == 1, "only_filtered": False, "nested": option < 4,
             "errors": option in (2, 3, 6, 7)}
    if code <= 13:
        return REGISTRY[_AGGREGATE[code - 1]].impl(*[_seen(book, read, ref, **rules)
                                                     for ref in _references(refs)])
    if len(refs) != 2 or refs[0] is None or refs[1] is None:
        raise ErrorResult(ExcelError.VALUE)
    k = refs[1]
    k_value = (read(k) if isinstance(k, Range) else k).rows[0][0]
    if type(k_value) is ExcelError:
        raise ErrorResult(k_value)  # type: ignore[arg-type]
    return REGISTRY[_WITH_K[code - 14]].impl(_seen(book, read, refs[0], **rules),  # type: ignore[arg-type]
                                             to_number(k_value))
