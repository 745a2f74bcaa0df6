"""What one row of the epoch table shows for an optimizer tab: a, b, the tab's loss and lr.

a and b are the ``slope`` and ``const`` names every tab has. The learning rate is the ``lr`` name
where the tab defines one; basic and rmsprop of fast.ai's workbook only label it "learn", so the
cell beside or below that label is used. The loss is the tab's ``rmse`` cell (every optimizer tab
of the handout has one, a formula in the lesson's style). fast.ai's workbook has it on basic only:
elsewhere the loss is :data:`LOSS_FORMULA` over the tab's "y" and "pred" columns, as basic's rmse
(the root of the summed squared errors), evaluated by the engine's interpreter on the values the
sheet shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..calc.interpreter import Interpreter
from ..core.errors import CellgradError
from ..core.parser import parse_formula
from ..core.references import Range
from ..core.values import Array, Scalar
from .adapter import Grid, SheetAdapter

_LABEL_AREA = (1, 1, 12, 26)       # rows 1-12, columns A-Z hold every tab's labels
_PREDICTION_LABELS = ("pred", "y_pred")
LOSS_FORMULA = "=SQRT(SUMXMY2({y},{pred}))"  # basic's rmse, SQRT(SUM(F4:F32)), in one cell


@dataclass(frozen=True)
class Epoch:
    epoch: int
    a: Scalar
    b: Scalar
    loss: Scalar
    lr: Scalar
    state: dict[str, Grid] = field(default_factory=dict, compare=False, repr=False)

    def as_json(self) -> dict[str, object]:
        return {"epoch": self.epoch, "a": _plain(self.a), "b": _plain(self.b),
                "loss": _plain(self.loss), "lr": _plain(self.lr)}


def _plain(value: Scalar) -> object:
    """JSON has no NaN or error values: those become their text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (float, bool, str)):
        return value
    return str(getattr(value, "value", value))


class Observer:
    """Finds a tab's a, b, lr and loss cells once, then reads them after every epoch."""

    def __init__(self, sheet: SheetAdapter) -> None:
        self.sheet = sheet
        self.slope = sheet.resolve("slope")
        self.const = sheet.resolve("const")
        labels = sheet.read(Range(sheet.sheet, *_LABEL_AREA))
        self.lr = self._named("lr") or self._learn_cell(labels)
        self.rmse = self._named("rmse")
        self.errors: Range | None = None     # the y..pred block the loss formula reads
        self.loss_formula: str | None = None
        if self.rmse is None:
            self._loss_from_formula(labels)

    @property
    def loss_source(self) -> str:
        """Where the loss comes from, in words: a cell of the tab, or the formula evaluated."""
        if self.rmse is not None:
            return f"the rmse cell {self.rmse.a1(with_sheet=True)}"
        if self.loss_formula is not None:
            return (f"{self.loss_formula}, evaluated by the engine "
                    f"(sheet {self.sheet.sheet!r} has no rmse cell)")
        return f"none (sheet {self.sheet.sheet!r} has no rmse cell and no y and pred columns)"

    def _named(self, name: str) -> Range | None:
        try:
            return self.sheet.resolve(name)
        except CellgradError:
            return None

    def _learn_cell(self, labels: list[list[Scalar]]) -> Range | None:
        for r, row in enumerate(labels, start=1):
            for c, text in enumerate(row, start=1):
                if isinstance(text, str) and text.strip().lower() == "learn":
                    beside = row[c] if c < len(row) else None
                    if isinstance(beside, float):
                        return Range(self.sheet.sheet, r, c + 1, r, c + 1)
                    return Range(self.sheet.sheet, r + 1, c, r + 1, c)
        return None

    def _loss_from_formula(self, labels: list[list[Scalar]]) -> None:
        """The loss formula over the "y" and "pred" columns' data rows."""
        for r, row in enumerate(labels, start=1):
            text = [v.strip().lower() if isinstance(v, str) else None for v in row]
            if "y" in text and any(p in text for p in _PREDICTION_LABELS):
                y = text.index("y") + 1
                pred = next(text.index(p) for p in _PREDICTION_LABELS if p in text) + 1
                last = self._last_data_row(r + 1, y)
                sheet = self.sheet.sheet
                self.errors = Range(sheet, r + 1, min(y, pred), last, max(y, pred))
                columns = (Range(sheet, r + 1, c, last, c).a1(with_sheet=False) for c in (y, pred))
                self.loss_formula = LOSS_FORMULA.format(y=next(columns), pred=next(columns))
                self._loss_node = parse_formula(self.loss_formula, 1, 1, sheet=sheet)
                return

    def _last_data_row(self, first: int, col: int) -> int:
        column = self.sheet.read(Range(self.sheet.sheet, first, col, first + 999, col))
        rows = 0
        while rows < len(column) and isinstance(column[rows][0], float):
            rows += 1
        return first + max(rows, 1) - 1

    def observe(self, epoch: int, state: dict[str, Grid] | None = None) -> Epoch:
        """The row of epoch ``epoch``, read in one request; ``state`` rides along unread."""
        areas = [self.slope, self.const] + [a for a in (self.lr, self.rmse or self.errors) if a]
        grids = self.sheet.read_many(areas)
        a, b = grids[0][0][0], grids[1][0][0]
        lr = grids[2][0][0] if self.lr else None
        loss = self._loss(grids[-1]) if (self.rmse or self.errors) else None
        return Epoch(epoch, a, b, loss, lr, state or {})

    def _loss(self, block: Grid) -> Scalar:
        if self.rmse is not None:
            return block[0][0]
        assert self.errors is not None
        source = _BlockSource(self.errors, block)
        value = Interpreter(source).cell_result(self._loss_node, self.sheet.sheet, 1, 1, None)
        return value if not isinstance(value, Array) else value.rows[0][0]


class _BlockSource:
    """The interpreter's cells: the block the loss formula reads, as the sheet showed it."""

    rng = None  # the loss formula draws no random numbers

    def __init__(self, area: Range, block: Grid) -> None:
        self.area = area
        self.block = block

    def value(self, sheet: str, row: int, col: int) -> Scalar:
        if not self.area.contains(sheet, row, col):
            raise KeyError(f"{sheet}!{row},{col} is outside the loss formula's block")
        return self.block[row - self.area.r1][col - self.area.c1]

    def grid(self, rng: Range) -> Array:
        return Array([[self.value(rng.sheet, r, c) for c in range(rng.c1, rng.c2 + 1)]
                      for r in range(rng.r1, rng.r2 + 1)])

    def note_dynamic(self, rng: Range) -> None:
        pass
