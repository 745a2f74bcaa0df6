"""Lookup and reference: MATCH, the LOOKUPs, XMATCH, OFFSET, INDEX, CHOOSE, INDIRECT, ADDRESS,
ROW(S), COLUMN(S) and the implicit intersection."""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from ..core.references import MAX_COL, MAX_ROW, Areas, Range, column_letters, quote_sheet
from ..core.values import Array, ErrorResult, ExcelError, Scalar, compare
from .arguments import integer, optional
from .array_kernels import ArrayContext, Fallback, Ref
from .registry import Arg, WorkbookContext, excel_function

FAMILY = "Lookup & Reference"  # the heading of `cellgrad functions` and the README's coverage table
from .conditional import wildcard


def _vector(grid: Array) -> list[Scalar]:
    if grid.height != 1 and grid.width != 1:
        raise ErrorResult(ExcelError.NA)
    return list(grid)


def approximate_match(x: Scalar, vector: list[Scalar], descending: bool = False) -> int:
    """Excel's approximate MATCH: a binary search that trusts the order it assumes.

    It returns the last position whose value is <= x (>= x when descending). The search stops at
    the first probe equal to x and then walks to the last of its equals, which is why
    MATCH(1,{1,0}) is 1 while MATCH(1,{0,1}) is 2. Values of another type than x are skipped over
    as Excel does (they never match).
    """
    sign = -1 if descending else 1
    lo, hi, hit = 0, len(vector) - 1, -1
    kind = type(x)
    while lo <= hi:
        mid = (lo + hi) // 2
        probe = mid
        # step over values that cannot be compared with x (other types, blanks)
        while probe <= hi and type(vector[probe]) is not kind:
            probe += 1
        if probe > hi:
            hi = mid - 1
            continue
        c = compare(vector[probe], x) * sign
        if c == 0:
            while probe + 1 < len(vector) and type(vector[probe + 1]) is kind \
                    and compare(vector[probe + 1], x) == 0:
                probe += 1
            return probe + 1
        if c < 0:
            hit = probe
            lo = probe + 1
        else:
            hi = mid - 1
    if hit < 0:
        raise ErrorResult(ExcelError.NA)
    return hit + 1


def equal_to(x: Scalar, *, wildcards: bool) -> Callable[[Scalar], bool]:
    """An exact-match test: same type, text without regard to case, and with ``wildcards`` the
    text patterns of :func:`cellgrad.functions.conditional.wildcard` (never COUNTIF operators)."""
    if type(x) is str:
        if wildcards:
            pattern = wildcard(x)  # type: ignore[arg-type]
            return lambda v: type(v) is str and pattern.fullmatch(v) is not None
        lower = x.lower()  # type: ignore[union-attr]
        return lambda v: type(v) is str and v.lower() == lower
    return lambda v: type(v) is type(x) and v == x


def _first(test: Callable[[Scalar], bool], vector: list[Scalar]) -> int:
    """1-based position of the first entry passing ``test``; #N/A if none."""
    for i, v in enumerate(vector):
        if test(v):
            return i + 1
    raise ErrorResult(ExcelError.NA)


def _all_numbers(values: list[Scalar]) -> bool:
    return bool(values) and set(map(type, values)) == {float}


def _match_kernel(ctx: ArrayContext, key, lookup, match_type=None):
    """MATCH of each cell's key in one vector that all cells share: the scalar rule once per
    distinct key (positions are constants, never differentiated)."""
    if type(lookup) is not Ref or type(key) is Ref and not key.cell:
        raise Fallback
    rng = lookup.single()
    distinct, where = ctx.distinct(lookup)
    items = [distinct[i] for i in where[0].ravel().tolist()]  # the vector, entry by entry
    grid = Array([items[i * rng.width:(i + 1) * rng.width] for i in range(rng.height)])
    kind = 1.0
    if match_type is not None:
        kinds = np.unique(ctx.ops.numbers(match_type))
        if len(kinds) != 1:
            raise Fallback
        kind = float(kinds[0])
    keys, which = ctx.distinct(key)
    if kind > 0 and _all_numbers(items) and _all_numbers(keys):
        vector = np.array(items)
        if (np.diff(vector) >= 0).all():
            # sorted numbers: the binary search's answer, the last entry <= x, whatever it probes
            found = np.searchsorted(vector, np.array(keys), side="right").astype(np.float64)
            if (found == 0).any():
                raise Fallback  # #N/A
            return ctx.ops.from_numbers(found[which])
    positions: dict[tuple[type, Scalar], float] = {}
    out = []
    try:
        for x in keys:
            k = (type(x), x)  # TRUE and 1 are different keys
            if k not in positions:
                positions[k] = match(x, grid, kind)
            out.append(positions[k])
    except ErrorResult:
        raise Fallback from None
    return ctx.ops.from_numbers(np.array(out, dtype=np.float64)[which])


@excel_function("MATCH", Arg.SCALAR, Arg.GRID, Arg.NUMBER, min_args=2, kernel=_match_kernel)
def match(x: Scalar, grid: Array, match_type: float = 1.0) -> float:
    vector = _vector(grid)
    if x is None:
        raise ErrorResult(ExcelError.NA)
    if match_type == 0:
        # Unlike a COUNTIF criterion, text is neither an operator nor a number: only wildcards.
        return float(_first(equal_to(x, wildcards=True), vector))
    return float(approximate_match(x, vector, descending=match_type < 0))


def _offset_kernel(ctx: ArrayContext, base, rows, cols, height=None, width=None):
    """OFFSET(cell, rows, cols): the value at a per-cell position, computed from values
    (positions are never differentiated)."""
    if type(base) is not Ref or not base.cell or height is not None or width is not None:
        raise Fallback
    down = np.trunc(ctx.ops.numbers(rows)).astype(np.int64)
    right = np.trunc(ctx.ops.numbers(cols)).astype(np.int64)
    return ctx.read(base.sheet, base.rows + down, base.cols + right)


@excel_function("OFFSET", Arg.REF, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, min_args=3,
                volatile=True, reference_result=True, elementwise=False, kernel=_offset_kernel)
def offset(base: Range, rows: float, cols: float, height: float | None = None,
           width: float | None = None) -> Range:
    """The reference ``rows`` down and ``cols`` right of ``base``, optionally resized."""
    h = base.height if height is None else integer(height)
    w = base.width if width is None else integer(width)
    if h < 1 or w < 1:
        raise ErrorResult(ExcelError.REF)
    r1 = base.r1 + integer(rows)
    c1 = base.c1 + integer(cols)
    r2, c2 = r1 + h - 1, c1 + w - 1
    if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
        raise ErrorResult(ExcelError.REF)
    return Range(base.sheet, r1, c1, r2, c2)


def _part(area: Range | Array, r: int, c: int) -> Scalar | Range | Array:
    """Row r, column c of an area (0: all of them), as a reference for a reference."""
    h, w = area.height, area.width
    rows = range(1, h + 1) if r == 0 else range(r, r + 1)
    cols = range(1, w + 1) if c == 0 else range(c, c + 1)
    if isinstance(area, Range):
        return Range(area.sheet, area.r1 + rows[0] - 1, area.c1 + cols[0] - 1,
                     area.r1 + rows[-1] - 1, area.c1 + cols[-1] - 1)
    part = [[area.rows[i - 1][j - 1] for j in cols] for i in rows]
    return part[0][0] if len(part) == 1 and len(part[0]) == 1 else Array(part)


# "INDEX function": with one row or column, the one index picks along it; with several rows and
# columns and only row_num, the whole row; 0 for row_num or column_num is the whole column or row,
# and the reference form returns a reference (so INDEX(C2:C6,0) in row 4 is C4 by intersection);
# area_num picks one area of a reference of several, (A1:B2,D1:E2), the first by default, and
# one past them is #REF!.
@excel_function("INDEX", Arg.AREA, Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, min_args=2,
                elementwise=False, reference_result=True, array_result=True)
def index(reference: Range | Array | Areas, row: float, col: float | None = None,
          area_num: float | None = None) -> Scalar | Range | Array:
    areas = reference.ranges if isinstance(reference, Areas) else (reference,)
    k = 1 if area_num is None else integer(area_num)
    if not 1 <= k <= len(areas):
        raise ErrorResult(ExcelError.REF)
    area = areas[k - 1]
    h, w = area.height, area.width
    r = integer(row)
    if col is None:
        r, c = (1, r) if h == 1 else (r, 1 if w == 1 else 0)
    else:
        c = integer(col)
    if r < 0 or c < 0:
        raise ErrorResult(ExcelError.VALUE)
    if r > h or c > w:
        raise ErrorResult(ExcelError.REF)
    return _part(area, r, c)


# ROW and COLUMN of a range are arrays (a column of row numbers, a row of column numbers); where
# one value is wanted the evaluator takes the first, so =ROW(C4:D6) is 4 and {=ROW(C4:D6)} 4;5;6.
def _positions(first: int, last: int, *, vertical: bool) -> float | Array:
    if first == last:
        return float(first)
    numbers = [float(i) for i in range(first, last + 1)]
    return Array([[n] for n in numbers]) if vertical else Array([numbers])


@excel_function("ROW", Arg.REF, min_args=0, uses_anchor=True, elementwise=False,
                array_result=True)
def row(anchor: tuple[int, int, str], ref: Range | None = None) -> float | Array:
    return float(anchor[0]) if ref is None else _positions(ref.r1, ref.r2, vertical=True)


@excel_function("COLUMN", Arg.REF, min_args=0, uses_anchor=True, elementwise=False,
                array_result=True)
def column(anchor: tuple[int, int, str], ref: Range | None = None) -> float | Array:
    return float(anchor[1]) if ref is None else _positions(ref.c1, ref.c2, vertical=False)


# ROWS and COLUMNS take the reference itself, never its values: =ROWS(A1:A9) in A4 is not circular.
@excel_function("ROWS", Arg.AREA, elementwise=False)
def rows(area: Range | Array) -> float:
    return float(area.height)


@excel_function("COLUMNS", Arg.AREA, elementwise=False)
def columns(area: Range | Array) -> float:
    return float(area.width)


# Not elementwise: inside an array formula ``@`` still takes one value (the evaluator intersects a
# range with the formula's row or column, and takes an array's top-left value).
@excel_function("SINGLE", Arg.SCALAR, elementwise=False)
def single(value: Scalar) -> Scalar:
    """Excel's ``@`` (written ``_xlfn.SINGLE``): the evaluator already intersected the argument."""
    return value


# --- VLOOKUP, HLOOKUP -------------------------------------------------------------------------
def _table_lookup(x: Scalar, lines: list[list[Scalar]], index: float, approximate: bool | None) -> Scalar:
    """The entry ``index`` of the line whose first value matches x: "VLOOKUP function"
    (col_index_num below 1 is #VALUE!, past the table #REF!); approximate by default, exact (with
    wildcards) when range_lookup is FALSE or left empty."""
    i = integer(index)
    if i < 1:
        raise ErrorResult(ExcelError.VALUE)
    if i > len(lines[0]):
        raise ErrorResult(ExcelError.REF)
    keys = [line[0] for line in lines]
    if x is None:
        raise ErrorResult(ExcelError.NA)
    if approximate:
        position = approximate_match(x, keys)
    else:
        position = _first(equal_to(x, wildcards=True), keys)
    return lines[position - 1][i - 1]


@excel_function("VLOOKUP", Arg.SCALAR, Arg.GRID, Arg.NUMBER, Arg.BOOL, min_args=3)
def vlookup(x: Scalar, table: Array, index: float, approximate: bool | None = True) -> Scalar:
    return _table_lookup(x, table.rows, index, approximate)


@excel_function("HLOOKUP", Arg.SCALAR, Arg.GRID, Arg.NUMBER, Arg.BOOL, min_args=3)
def hlookup(x: Scalar, table: Array, index: float, approximate: bool | None = True) -> Scalar:
    return _table_lookup(x, [list(c) for c in zip(*table.rows)], index, approximate)


# --- LOOKUP -----------------------------------------------------------------------------------
@excel_function("LOOKUP", Arg.SCALAR, Arg.GRID, Arg.GRID, min_args=2)
def lookup_(x: Scalar, lookup: Array, result: Array | None = None) -> Scalar:
    """"LOOKUP function": the approximate match of MATCH (the largest value <= x, the data in
    ascending order; below the smallest #N/A). Vector form: the same position of result_vector.
    Array form: in the first row of an array wider than tall, else its first column, giving the
    value of the last row or column."""
    if result is None:
        if lookup.width > lookup.height:
            keys, found = lookup.rows[0], lookup.rows[-1]
        else:
            keys, found = [row[0] for row in lookup.rows], [row[-1] for row in lookup.rows]
    else:
        keys, found = _vector(lookup), _vector(result)
    if x is None:
        raise ErrorResult(ExcelError.NA)
    position = approximate_match(x, keys)
    if position > len(found):
        raise ErrorResult(ExcelError.NA)
    return found[position - 1]


# --- XMATCH, XLOOKUP ----------------------------------------------------------------------------
def _x_position(x: Scalar, vector: list[Scalar], match_mode: float, search_mode: float) -> int:
    """"XMATCH function"/"XLOOKUP function": match_mode 0 exact, -1 exact or next smaller, 1 exact
    or next larger, 2 wildcards; search_mode 1 first to last, -1 last to first, 2 and -2 binary
    searches over sorted data (which find what the linear search finds there)."""
    mode, search = int(match_mode), int(search_mode)
    if mode not in (-1, 0, 1, 2) or search not in (-2, -1, 1, 2):
        raise ErrorResult(ExcelError.VALUE)
    order = list(range(len(vector)))
    if search == -1:
        order.reverse()
    exact = equal_to(x, wildcards=mode == 2)
    for i in order:
        if exact(vector[i]):
            return i + 1
    if mode in (-1, 1):
        best = -1
        for i in order:
            v = vector[i]
            if type(v) is not type(x) or v is None:
                continue
            c = compare(v, x)
            if c * mode > 0 and (best < 0 or compare(v, vector[best]) * mode < 0):
                best = i
        if best >= 0:
            return best + 1
    raise ErrorResult(ExcelError.NA)


@excel_function("XMATCH", Arg.SCALAR, Arg.GRID, Arg.NUMBER, Arg.NUMBER, min_args=2)
def xmatch(x: Scalar, lookup: Array, match_mode: float | None = 0.0,
           search_mode: float | None = 1.0) -> float:
    if lookup.height != 1 and lookup.width != 1:
        raise ErrorResult(ExcelError.VALUE)
    return float(_x_position(x, list(lookup), optional(match_mode, 0.0), optional(search_mode, 1.0)))


@excel_function("XLOOKUP", Arg.SCALAR, Arg.GRID, Arg.AREA, Arg.LAZY, Arg.NUMBER, Arg.NUMBER,
                min_args=3, reference_result=True, array_result=True)
def xlookup(x: Scalar, lookup: Array, result: Range | Array, if_not_found=None,
            match_mode: float | None = 0.0, search_mode: float | None = 1.0):
    """The row (or column) of return_array where lookup_array matches, as a reference when
    return_array is one; if_not_found when nothing matches (#N/A without it)."""
    if lookup.height != 1 and lookup.width != 1:
        raise ErrorResult(ExcelError.VALUE)
    vertical = lookup.width == 1 and lookup.height > 1 or lookup.height == lookup.width == 1 \
        and result.width == 1
    if (result.height if vertical else result.width) != len(list(lookup)):
        raise ErrorResult(ExcelError.VALUE)
    try:
        i = _x_position(x, list(lookup), optional(match_mode, 0.0), optional(search_mode, 1.0))
    except ErrorResult as exc:
        if exc.error is ExcelError.NA and if_not_found is not None:
            return if_not_found()
        raise
    return _part(result, i, 0) if vertical else _part(result, 0, i)


# --- CHOOSE, INDIRECT, ADDRESS -------------------------------------------------------------------
@excel_function("CHOOSE", Arg.NUMBER, Arg.LAZY, repeat=Arg.LAZY, min_args=2, reference_result=True,
                array_result=True)
def choose(index: float, *options: Callable[[], object]) -> object:
    """"CHOOSE function": index_num 1 to the number of values (truncated), else #VALUE!; only the
    chosen value is evaluated, and a reference stays a reference (SUM(CHOOSE(2,A1:A2,B1:B2)))."""
    i = integer(index)
    if not 1 <= i <= len(options):
        raise ErrorResult(ExcelError.VALUE)
    return options[i - 1]()



@excel_function("HYPERLINK", Arg.TEXT, Arg.SCALAR, min_args=1)
def hyperlink(location: str, friendly: Scalar = None) -> Scalar:
    """"HYPERLINK function": the cell shows friendly_name (a value or text), or link_location,
    which is text, when it is omitted (the jump itself is the spreadsheet's, not a value)."""
    return location if friendly is None else friendly


_R1C1 = re.compile(r"^R(\[-?\d+\]|\d*)C(\[-?\d+\]|\d*)$", re.I)


def _r1c1_part(text: str, here: int) -> int:
    if not text:
        return here
    if text.startswith("["):
        return here + int(text[1:-1])
    return int(text)


def _r1c1(text: str, sheet: str, row: int, col: int) -> Range:
    name, _, ref = text.rpartition("!")
    ends = []
    for part in ref.split(":"):
        m = _R1C1.match(part.strip())
        if m is None:
            raise ValueError(text)
        ends.append((_r1c1_part(m.group(1), row), _r1c1_part(m.group(2), col)))
    (r1, c1), (r2, c2) = ends[0], ends[-1]
    if not all(1 <= r <= MAX_ROW for r in (r1, r2)) or not all(1 <= c <= MAX_COL for c in (c1, c2)):
        raise ValueError(text)
    sheet = name.strip("'").replace("''", "'") if name else sheet
    return Range(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


@excel_function("INDIRECT", Arg.TEXT, Arg.BOOL, min_args=1, volatile=True, reference_result=True,
                uses_anchor=True, elementwise=False)
def indirect(anchor: tuple[int, int, str], text: str, a1: bool | None = True) -> Range:
    """"INDIRECT function": the reference written in ref_text, A1 style or (a1 FALSE) R1C1;
    text that is not a reference is #REF!."""
    row, col, sheet = anchor
    try:
        if a1 is None or a1:
            return Range.parse(text, sheet)
        return _r1c1(text, sheet, row, col)
    except ValueError:
        raise ErrorResult(ExcelError.REF) from None


_ADDRESS_STYLES = {1: (True, True), 2: (True, False), 3: (False, True), 4: (False, False)}


@excel_function("ADDRESS", Arg.NUMBER, Arg.NUMBER, Arg.NUMBER, Arg.BOOL, Arg.TEXT, min_args=2)
def address(row_num: float, column_num: float, abs_num: float | None = 1.0, a1: bool | None = True,
            sheet: str | None = None) -> str:
    """"ADDRESS function": abs_num 1 $A$1, 2 A$1, 3 $A1, 4 A1; R1C1 style when a1 is FALSE."""
    r, c = integer(row_num), integer(column_num)
    style = _ADDRESS_STYLES.get(integer(optional(abs_num, 1.0)))
    if style is None or not 1 <= r <= MAX_ROW or not 1 <= c <= MAX_COL:
        raise ErrorResult(ExcelError.VALUE)
    row_abs, col_abs = style
    if a1 is None or a1:
        ref = f"{'$' if col_abs else ''}{column_letters(c)}{'$' if row_abs else ''}{r}"
    else:
        ref = f"R{r if row_abs else f'[{r}]'}C{c if col_abs else f'[{c}]'}"
    return f"{quote_sheet(sheet)}!{ref}" if sheet else ref


# --- FORMULATEXT, AREAS -------------------------------------------------------------------------
# A file writes the functions added after Excel 2007, and LAMBDA parameters, with prefixes that
# the formula bar does not show; text in quotes is left as it is.
_FILE_PREFIXES = re.compile(r'"(?:[^"]|"")*"|_xl(?:fn|ws|pm)\.')
MAX_FORMULA = 8192  # "FORMULATEXT function": a longer formula is #N/A


@excel_function("FORMULATEXT", Arg.REF, uses_book=True, elementwise=False)
def formulatext(book: WorkbookContext, ref: Range) -> str:
    """"FORMULATEXT function": the formula of the reference's upper-left cell as the formula bar
    shows it; #N/A for a cell without a formula."""
    text = book.formula(ref.sheet, ref.r1, ref.c1)
    if text is None:
        raise ErrorResult(ExcelError.NA)
    shown = _FILE_PREFIXES.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    if len(shown) > MAX_FORMULA:
        raise ErrorResult(ExcelError.NA)
    return shown


@excel_function("AREAS", Arg.REF, elementwise=False)
def areas(ref: Range | Areas) -> float:
    """"AREAS function": the number of areas in a reference, (B2:D4,E5,F6:I9) has 3."""
    return float(len(ref.ranges)) if isinstance(ref, Areas) else 1.0
