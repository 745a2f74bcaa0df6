"""The writer-neutral definition of a workbook: what every generated handout is made of.

A :class:`Book` is a file name and a list of :class:`Tab`. A tab holds everything one worksheet
is, once, so that every writer (openpyxl in :mod:`cellgrad.sheets.writer`, XlsxWriter for the macro
workbook) and the formula engine (:func:`sheets.engine_book.to_engine`) read the same thing:

- ``cells``: A1 address -> :class:`Cell`. A cell holds a constant (``value``: float, str, bool)
  or a formula (``formula``: Excel text starting with ``=``, English function names, A1
  references). An array formula (Ctrl+Shift+Enter) is stored once, on its top-left cell, with
  ``array`` set to the A1 range it fills ("AE3:AI208"); the other cells of that range are absent.
- ``role`` of a cell is semantic, never a colour: ``"parameter"`` (what training changes: the
  weights, a, b; orange), ``"target"`` (what the model should predict: ratings, y; blue),
  ``"header"`` (bold column and row headers), ``"title"`` (bold, larger), ``"note"`` (italic
  explanations), ``"state"`` (optimizer state the macros copy: grey), or ``None`` (plain).
  ``number_format`` is the Excel format code, ``"0.00"`` for computed numbers by default.
- ``names``: sheet-scoped defined names, name -> Excel reference text without "=" (for example
  ``"basic!$C$1"`` or ``"dotprod!$H$19:$V$23,dotprod!$B$25:$F$39"``); ``hidden_names`` is the
  subset Excel hides (the Solver model).
- ``column_widths`` (column letter -> width in Excel character units), ``freeze`` (the top-left
  cell of the unfrozen pane, e.g. ``"A4"`` freezes rows 1-3), ``charts`` (:class:`Chart`).
- ``solver``: the Excel Solver model (:class:`SolverModel`); writers store it as the hidden
  ``solver_*`` names Excel itself writes, see :meth:`SolverModel.names`.

A gradient-descent tab's macros are not part of its definition: their VBA text
(``engine/macros/vba/<tab>.bas``) is, and :mod:`sheets.reset` runs it to put the tab in its reset state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["parameter", "target", "header", "title", "note", "state"]
Scalar = float | str | bool

NUMBER_FORMAT = "0.00"


@dataclass
class Cell:
    value: Scalar | None = None
    formula: str | None = None
    array: str | None = None          # the range an array formula fills; only on its master
    role: Role | None = None
    number_format: str | None = None  # None: "0.00" for numbers and formulas, General for text

    @property
    def is_formula(self) -> bool:
        return self.formula is not None


@dataclass
class Series:
    title: str
    values: str                    # "basic!$C$38:$C$106"
    categories: str | None = None  # x values (scatter) or category labels (bar, line)
    trendline: bool = False        # Excel's linear least-squares trendline, equation shown
    markers_only: bool = False     # scatter points without connecting lines


@dataclass
class Chart:
    kind: Literal["line", "bar", "scatter"]
    title: str
    anchor: str                    # top-left cell of the chart
    series: list[Series]
    x_title: str | None = None
    y_title: str | None = None
    width_cm: float = 15.0
    height_cm: float = 7.5


# Solver settings as Excel 2010+ writes them for "Min, GRG Nonlinear, unconstrained variables
# may go negative"; the values are those of the lesson's dotprod and bias tabs.
SOLVER_DEFAULTS: dict[str, str] = {
    "cvg": "0.0001", "drv": "2", "eng": "1", "est": "1", "itr": "2147483647",
    "mip": "2147483647", "mni": "30", "mrt": "0.075", "msl": "2", "neg": "2",
    "nod": "2147483647", "num": "0", "nwt": "1", "pre": "0.000001", "rbv": "2", "rlx": "2",
    "rsd": "0", "scl": "2", "sho": "2", "ssz": "100", "tim": "2147483647", "tol": "0.01",
    "typ": "2", "val": "0", "ver": "3",
}


@dataclass
class SolverModel:
    objective: str          # "dotprod!$V$41"
    variables: list[str]    # ["dotprod!$H$19:$V$23", "dotprod!$B$25:$F$39"]
    goal: Literal["min", "max"] = "min"

    def names(self) -> dict[str, str]:
        """The hidden sheet-scoped names Excel's Solver reads its dialog from."""
        out = dict(SOLVER_DEFAULTS)
        out["typ"] = "2" if self.goal == "min" else "1"
        out["opt"] = self.objective
        out["adj"] = ",".join(self.variables)
        return {f"solver_{key}": out[key] for key in sorted(out)}


@dataclass
class Tab:
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    hidden_names: set[str] = field(default_factory=set)
    column_widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    charts: list[Chart] = field(default_factory=list)
    solver: SolverModel | None = None

    def put(self, address: str, value: Scalar | None = None, *, formula: str | None = None,
            role: Role | None = None, number_format: str | None = None,
            array: str | None = None) -> Cell:
        cell = Cell(value, formula, array, role, number_format)
        self.cells[address] = cell
        return cell

    def all_names(self) -> dict[str, str]:
        """The defined names including the Solver model's."""
        names = dict(self.names)
        if self.solver is not None:
            names.update(self.solver.names())
        return names

    def hidden(self, name: str) -> bool:
        return name in self.hidden_names or (self.solver is not None and name.startswith("solver_"))


@dataclass
class Book:
    filename: str             # "graddesc.xlsm"
    tabs: list[Tab]
    title: str = ""
    subject: str = ""

    @property
    def macro_enabled(self) -> bool:
        return self.filename.endswith(".xlsm")

    def tab(self, name: str) -> Tab:
        for tab in self.tabs:
            if tab.name == name:
                return tab
        raise KeyError(name)
