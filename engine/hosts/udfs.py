"""Excel functions (xlwings UDFs) that let a cell call the engine.

In Excel: xlwings ribbon -> Import Functions (UDF Modules: ``cellgrad.udfs``). Each function lays
its arguments out on a scratch sheet of an engine workbook with the lesson's own formulas (EXP
and SUM for softmax, LOG for cross-entropy, OFFSET for the embedding lookup) and returns what the
engine computes, so a UDF gives what the handout's cells give.

Arguments arrive as xlwings hands them over: a number for one cell, lists for a range (``ndim=2``
makes them 2-D), ``None`` for a blank cell. Excel names the functions after the Python names,
hence the capitals. Signatures stay inside what xlwings accepts: positional parameters, defaults
at the end, no keyword-only parameters.
"""
from __future__ import annotations

import functools

import xlwings as xw

from ..core.cells import Cell, Sheet
from ..core.errors import CellgradError
from ..core.references import cell_name, parse_cell
from ..core.values import ExcelError, Scalar
from ..workbook import Workbook
from .xlwings_bridge import excel_value

SCRATCH = "udf"
Grid = list[list[Scalar]]


def _grid(value: object) -> Grid:
    """xlwings' scalar, 1-D list (a row or column without ndim=2) or 2-D list as rows."""
    if not isinstance(value, (list, tuple)):
        return [[value]]  # type: ignore[list-item]
    if value and all(isinstance(row, (list, tuple)) for row in value):
        return [list(row) for row in value]
    return [list(value)]


def _number(value: object) -> Scalar:
    if value is None or isinstance(value, (str, bool)):
        return value  # type: ignore[return-value]
    return float(value)  # type: ignore[arg-type]


def _compute(cells: dict[str, object], formulas: dict[str, str]) -> Workbook:
    """A one-sheet engine workbook of constants and formulas, calculated."""
    sheet = Sheet(SCRATCH)
    for address, value in cells.items():
        row, col = parse_cell(address)
        sheet.cells[(row, col)] = Cell(SCRATCH, row, col, _number(value))
    for address, formula in formulas.items():
        row, col = parse_cell(address)
        sheet.cells[(row, col)] = Cell(SCRATCH, row, col, None, formula)
    book = Workbook([sheet], {})
    book.calculate()
    return book


@xw.func
@xw.arg("values", ndim=2)
@xw.ret(expand="table")
def SOFTMAX(values):  # noqa: N802 - Excel shows the Python name
    """exp(x) / sum(exp(x)) over the range, as the softmax tab computes it; blanks stay blank."""
    grid = _grid(values)
    filled = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v is not None]
    if not filled:
        return [[None]]
    n = len(filled)
    cells = {f"A{k}": grid[i][j] for k, (i, j) in enumerate(filled, start=1)}
    formulas = {f"B{k}": f"=EXP(A{k})" for k in range(1, n + 1)}
    formulas[f"B{n + 1}"] = f"=SUM(B1:B{n})"
    formulas.update({f"C{k}": f"=B{k}/$B${n + 1}" for k in range(1, n + 1)})
    book = _compute(cells, formulas)
    out: list[list[object]] = [[None] * len(row) for row in grid]
    for k, (i, j) in enumerate(filled, start=1):
        out[i][j] = excel_value(book.value(SCRATCH, k, 3))
    return out


@xw.func
@xw.arg("actuals", ndim=2)
@xw.arg("preds", ndim=2)
def CROSS_ENTROPY(actuals, preds, base=10.0):  # noqa: N802
    """Mean cross-entropy of predictions against actual labels, in log ``base`` (10 as the
    lesson's LOG). One column: binary, -y*LOG(p)-(1-y)*LOG(1-p) as on the entropy tab; several
    columns: one-hot rows, -SUM(y*LOG(p)). Rows with a blank cell are left out."""
    ys, ps = _grid(actuals), _grid(preds)
    if [len(r) for r in ys] != [len(r) for r in ps]:
        return ExcelError.VALUE.value
    rows = [(y, p) for y, p in zip(ys, ps) if None not in y and None not in p]
    if not rows:
        return ExcelError.DIV0.value
    width = len(rows[0][0])
    cells: dict[str, object] = {"A1": base}
    formulas = {}
    for r, (y, p) in enumerate(rows, start=2):
        for j in range(width):
            cells[cell_name(r, 2 + j)] = y[j]
            cells[cell_name(r, 2 + width + j)] = p[j]
        yc, pc = cell_name(r, 2), cell_name(r, 2 + width)
        if width == 1:
            formulas[cell_name(r, 1)] = f"=-{yc}*LOG({pc},$A$1)-(1-{yc})*LOG(1-{pc},$A$1)"
        else:
            # a zero label contributes nothing, also where its prediction is 0 (LOG(0) is #NUM!)
            terms = [f"IF({cell_name(r, 2 + j)}=0,0,-{cell_name(r, 2 + j)}*LOG({cell_name(r, 2 + width + j)},$A$1))"
                     for j in range(width)]
            formulas[cell_name(r, 1)] = "=" + "+".join(terms)
    last = len(rows) + 1
    formulas["A1000"] = f"=AVERAGE(A2:A{last})"
    return excel_value(_compute(cells, formulas).value(SCRATCH, 1000, 1))


@xw.func
@xw.arg("matrix", ndim=2)
@xw.ret(expand="right")
def EMBEDDING(matrix, index):  # noqa: N802
    """Row ``index`` (1-based) of the embedding matrix: OFFSET(first cell, index-1, 0), as the
    movielens_emb tab looks an id's factors up."""
    grid = _grid(matrix)
    height, width = len(grid), len(grid[0])
    cells = {cell_name(r + 1, c + 1): grid[r][c] for r in range(height) for c in range(width)}
    cells[f"A{height + 2}"] = index
    row = height + 3
    formulas = {cell_name(row, c + 1): f"=OFFSET($A$1,$A${height + 2}-1,{c})" for c in range(width)}
    book = _compute(cells, formulas)
    return [[excel_value(book.value(SCRATCH, row, c + 1)) for c in range(width)]]


@functools.lru_cache(maxsize=1)
def _graddesc():
    """The handout's definition, built once per Excel session (building takes half a second)."""
    from ..sheets.books import handout
    return handout("graddesc")


@xw.func
@xw.ret(expand="table")
def TRAJECTORY(optimizer, lr, epochs=50):  # noqa: N802
    """(a, b, rmse) after each of ``epochs`` epochs of Run on the handout's ``optimizer`` tab,
    from its reset state with learning rate ``lr``; the row of a diverging epoch shows why."""
    from ..macros import EngineSheet, Training
    from ..sheets.engine_book import to_engine

    count = int(epochs)
    if not isinstance(optimizer, str) or count < 1:
        return ExcelError.VALUE.value
    book = to_engine(_graddesc())  # a fresh engine workbook: each call starts from reset
    book.calculate()
    try:
        training = Training(EngineSheet(book, optimizer))
        training.reset()
        if training.observer.lr is None:
            return ExcelError.REF.value
        training.sheet.write(training.observer.lr, [[_number(lr)]])
    except CellgradError as exc:
        return str(exc)
    rows: list[list[object]] = []
    try:
        training.run(count, lambda e: rows.append([excel_value(e.a), excel_value(e.b), excel_value(e.loss)]))
    except CellgradError as exc:
        rows.append([str(exc), None, None])
    return rows


FUNCTIONS = (SOFTMAX, CROSS_ENTROPY, EMBEDDING, TRAJECTORY)

