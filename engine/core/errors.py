"""The errors cellgrad reports to its users.

Each error knows where it happened (file, sheet, cell) so that the command line can print it on
one line. They are distinct from Excel's error *values* (``#DIV/0!``...), which are ordinary cell
values and live in :mod:`cellgrad.core.values`.
"""
from __future__ import annotations


class CellgradError(Exception):
    """Base of every error cellgrad reports; ``str()`` is a one-line message."""

    def __init__(self, reason: str, *, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.sheet = sheet
        self.cell = cell
        super().__init__(reason)

    def located(self, *, file: str | None = None) -> "CellgradError":
        """Fill in the file name when the error was raised below the level that knows it."""
        if file is not None and self.file is None:
            self.file = file
        return self

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.cell:
            where.append(f"cell {self.cell}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class WorkbookError(CellgradError):
    """A workbook cannot be read or written (missing, corrupt, encrypted, unsafe XML...)."""


class FormulaError(CellgradError):
    """A formula cannot be parsed or evaluated by the engine."""

    def __init__(self, sheet: str | None, cell: str | None, reason: str, *,
                 file: str | None = None) -> None:
        super().__init__(reason, file=file, sheet=sheet, cell=cell)


class UnsupportedFunctionError(FormulaError):
    """A formula calls a function the engine does not implement."""

    def __init__(self, sheet: str | None, cell: str | None, function: str, *,
                 file: str | None = None) -> None:
        self.function = function
        super().__init__(sheet, cell, f"unsupported function {function}", file=file)


class CircularReferenceError(FormulaError):
    """Formula cells depend on each other in a cycle (Excel's iterative calculation is off)."""

    def __init__(self, sheet: str | None, cell: str | None, cycle: list[str], *,
                 file: str | None = None) -> None:
        self.cycle = cycle
        shown = " -> ".join(cycle[:6]) + (" -> ..." if len(cycle) > 6 else "")
        super().__init__(sheet, cell, f"circular reference: {shown}", file=file)


class DefinedNameError(CellgradError):
    """A defined name is missing, or refers to ``#REF!``, where a value is required."""


class MacroError(CellgradError):
    """A macro cannot run: unknown sheet or macro, missing names, NaN or infinity in training."""


class SolverError(CellgradError):
    """The Solver model stored in a workbook is missing or cannot be optimized."""


class DeviceError(CellgradError):
    """A torch device was requested that this machine does not have."""


class CellgradWarning(UserWarning):
    """Something the engine computed differently from Excel, said once, in one line."""


class UnsupportedFunctionWarning(CellgradWarning):
    """Formulas call a function the engine does not implement: those cells are #NAME?."""

    def __init__(self, function: str, cells: list[str], *, file: str | None = None) -> None:
        self.function = function
        self.cells = cells
        shown = ", ".join(cells[:5]) + (f" and {len(cells) - 5} more" if len(cells) > 5 else "")
        prefix = f"{file}: " if file else ""
        super().__init__(f"{prefix}unsupported function {function} in {shown} (computed as #NAME?)")
