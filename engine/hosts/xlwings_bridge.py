"""Run, Step and Reset live in Excel: the macro runner on xlwings' Book and Range API.

graddesc.xlsm's buttons call these entry points through xlwings' ``RunPython``::

    RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.run_button()"

Each one performs the active tab's macro from its VBA text (``engine/macros/vba/<tab>.bas``) with the
same interpreter as ``cellgrad run``; only the adapter differs. Excel itself keeps the calculation
semantics the adapter contract asks for (a read under manual calculation shows the old value,
automatic calculation recalculates after each write), so the adapter only translates.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..core.cells import DefinedName
from ..core.errors import CellgradError, DefinedNameError
from ..core.references import Range
from ..core.values import ExcelError, Scalar
from ..macros import Training
from ..macros.adapter import Grid

RUN_EPOCHS = 5  # somesteps: For i = 1 To 5
# Range("C1:D2") is A1 text; anything else ("lr") is one of the workbook's defined names
A1_TEXT = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?$")
_ERRORS = {e.value: e for e in ExcelError}


class XlwingsSheet:
    """An ``xlwings.Sheet`` (``book.sheets.active``) as the macros' :class:`SheetAdapter`."""

    def __init__(self, sheet: Any) -> None:
        self.xl = sheet
        self.sheet: str = sheet.name
        self._names: dict[str, Range] = {}

    def resolve(self, name: str) -> Range:
        if A1_TEXT.match(name):
            return Range.parse(name, self.sheet)
        key = name.upper()
        if key not in self._names:
            self._names[key] = self._defined(name)
        return self._names[key]

    def _defined(self, name: str) -> Range:
        """The sheet's own name first, then the workbook's, as Excel's Range("name") does."""
        # Excel calls a sheet-scoped name "adam!lr"; Book.names lists every sheet's too, of
        # which only the workbook-scoped ones (no "!") apply here.
        candidates = [*self.xl.names, *(n for n in self.xl.book.names if "!" not in n.name)]
        for defined in candidates:
            if defined.name.split("!")[-1].upper() == name.upper():
                text = (defined.refers_to or "").lstrip("=")
                area = DefinedName(name, text, self.sheet).range()
                if area is None:
                    raise DefinedNameError(f"defined name {name!r} refers to {text!r}, not to "
                                           "a range", sheet=self.sheet)
                return area
        raise DefinedNameError(f"no defined name {name!r}", sheet=self.sheet)

    def _range(self, area: Range) -> Any:
        return self.xl.book.sheets[area.sheet].range(area.a1(with_sheet=False))

    def read(self, area: Range) -> Grid:
        rows = self._range(area).options(ndim=2, err_to_str=True).value
        return [[_scalar(v) for v in row] for row in rows]

    def read_many(self, areas: list[Range]) -> list[Grid]:
        return [self.read(area) for area in areas]

    def write(self, area: Range, rows: Grid) -> None:
        self._range(area).value = [[excel_value(v) for v in row] for row in rows]

    def clear(self, area: Range) -> None:
        self._range(area).clear()

    def set_automatic(self, on: bool) -> None:
        self.xl.book.app.calculation = "automatic" if on else "manual"

    def calculate_sheet(self) -> None:
        # xlwings has no portable Worksheet.Calculate; Application.Calculate computes the same
        # stale cells on this tab (the macros change no other tab, and none reads this one).
        self.xl.book.app.calculate()

    def calculate_application(self) -> None:
        self.xl.book.app.calculate()


def _scalar(value: object) -> Scalar:
    if isinstance(value, str) and value in _ERRORS:
        return _ERRORS[value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value  # type: ignore[return-value]


def excel_value(value: Scalar) -> object:
    """An engine value as xlwings writes it into a cell: an error as its text ('#NUM!')."""
    return value.value if isinstance(value, ExcelError) else value


# -- the buttons -------------------------------------------------------------------------------

def _press(book: Any, press: Callable[[Training], object]) -> None:
    """Perform a button on the active tab; a problem is shown in Excel as one line."""
    try:
        press(Training(XlwingsSheet(book.sheets.active)))
    except CellgradError as exc:
        book.app.alert(str(exc), title="cellgrad")


def _caller(book: Any | None) -> Any:
    if book is not None:
        return book
    import xlwings as xw
    return xw.Book.caller()


def reset_button(book: Any | None = None) -> None:
    """Reset: a = b = 1, the optimizer state and lr back to their start."""
    _press(_caller(book), lambda t: t.reset())


def run_button(book: Any | None = None) -> None:
    """Run: somesteps, five epochs under manual calculation (adam_ann's lr rule included)."""
    _press(_caller(book), lambda t: t.run(RUN_EPOCHS))


def step_button(book: Any | None = None) -> None:
    """Step: one onestep under automatic calculation."""
    _press(_caller(book), lambda t: t.step(1))


BUTTONS = {"Run": "run_button", "Step": "step_button", "Reset": "reset_button"}
