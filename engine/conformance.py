"""Compare the engine's values with the values Excel cached in a workbook, cell by cell."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .core.cells import Cell
from .core.values import ExcelError, Scalar
from .workbook import Workbook

REL_TOL = 1e-12   # numbers: relative to Excel's value ...
ABS_TOL = 1e-15   # ... or absolute, near zero


def same_value(expected: Scalar, got: Scalar, rel: float = REL_TOL, abs_: float = ABS_TOL) -> bool:
    """Numbers within tolerance; text, booleans, errors and blanks exactly."""
    if type(expected) is float and type(got) is float:
        return abs(expected - got) <= max(rel * abs(expected), abs_)
    return type(expected) is type(got) and expected == got


def show(value: Scalar) -> object:
    if isinstance(value, ExcelError):
        return value.value
    return value


@dataclass
class Mismatch:
    sheet: str
    cell: str
    formula: str
    expected: object
    got: object


@dataclass
class Report:
    file: str
    formula_cells: int = 0
    matched: int = 0
    mismatched: list[Mismatch] = field(default_factory=list)
    volatile: list[str] = field(default_factory=list)   # left out: random draws and what they feed
    replayed: int = 0   # random draws that took the value Excel cached
    unsupported: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.unsupported

    def as_json(self) -> dict:
        return {"file": self.file, "formula_cells": self.formula_cells, "matched": self.matched,
                "mismatched": [asdict(m) for m in self.mismatched], "volatile": self.volatile,
                "replayed": self.replayed, "unsupported": self.unsupported, "seconds": round(self.seconds, 6)}


def _formula_text(cell: Cell) -> str:
    master = cell.master or cell
    return master.formula or ""


def random_dependents(book: Workbook) -> set[Cell]:
    """Cells that draw new random numbers (RAND, RANDBETWEEN) or depend on one: Excel's draws
    cannot be reproduced. Draws replayed from Excel's cached values are not among them."""
    out: set[Cell] = set()
    stack = list(book.random_cells)
    while stack:
        cell = stack.pop()
        if cell in out:
            continue
        out.add(cell)
        targets = [(cell.row, cell.col)] if cell.array_range is None else list(cell.array_range.cells())
        for r, c in targets:
            if (r, c) != (cell.row, cell.col):
                out.add(book.sheets[cell.sheet].cells[(r, c)])
            stack.extend(book.dependents(cell.sheet, r, c))
    return out


def check(book: Workbook, expected: Callable[[Cell], Scalar] | None = None,
          rel: float = REL_TOL) -> Report:
    """Recalculate everything and compare every formula cell with Excel's cached value (or with
    ``expected(cell)``, another spreadsheet's value, within ``rel``). Random draws are left out;
    what depends on them is compared if the draws were replayed
    (``Workbook.load(path, replay_random=True)``)."""
    want = expected or (lambda c: c.cached)
    report = Report(book.path or "")
    start = time.perf_counter()
    book.calculate()
    report.seconds = time.perf_counter() - start
    volatile = random_dependents(book) | set(book.replayed)
    report.replayed = len(book.replayed)
    for cell in book.cells():
        if cell.node is None:
            continue
        report.formula_cells += 1
        if cell in volatile:
            report.volatile.append(f"{cell.sheet}!{cell.address}")
            continue
        # an array formula is one formula cell whose value fills its whole target range
        produced = [cell] if cell.array_range is None else \
            [book.sheets[cell.sheet].cells[rc] for rc in cell.array_range.cells()]
        wrong = [c for c in produced if not same_value(want(c), c.value, rel)]
        if not wrong:
            report.matched += 1
        for c in wrong:
            report.mismatched.append(Mismatch(c.sheet, c.address, _formula_text(c),
                                              show(want(c)), show(c.value)))
    report.unsupported = {f: [f"{s}!{a}" for s, a in cells] for f, cells in book.unsupported.items()}
    return report

