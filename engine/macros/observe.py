"""What one row of the epoch table shows for an optimizer tab: a, b, the tab's loss and lr.

a and b are the ``slope`` and ``const`` names every tab has. The learning rate is the ``lr`` name
where the tab defines one; basic and rmsprop only label it "learn", so the cell beside or below
that label is used. The loss is the tab's ``rmse`` name where it has one; otherwise it is computed
as basic's rmse is, the square root of the summed squared errors of the epoch's predictions
(columns "y" and "pred"), because adam and rmsprop show no loss cell at all.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..core.errors import CellgradError
from ..core.references import Range
from ..core.values import Scalar
from .adapter import Grid, SheetAdapter

_LABEL_AREA = (1, 1, 12, 26)       # rows 1-12, columns A-Z hold every tab's labels
_PREDICTION_LABELS = ("pred", "y_pred")


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
        self.errors = None if self.rmse else self._prediction_columns(labels)

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

    def _prediction_columns(self, labels: list[list[Scalar]]) -> Range | None:
        """The block from the "y" column to the "pred" column over the data rows."""
        for r, row in enumerate(labels, start=1):
            text = [v.strip().lower() if isinstance(v, str) else None for v in row]
            if "y" in text and any(p in text for p in _PREDICTION_LABELS):
                y = text.index("y") + 1
                pred = next(text.index(p) for p in _PREDICTION_LABELS if p in text) + 1
                last = self._last_data_row(r + 1, y)
                return Range(self.sheet.sheet, r + 1, min(y, pred), last, max(y, pred))
        return None

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
        total = 0.0
        for row in block:
            y, pred = row[0], row[-1]
            if not (isinstance(y, float) and isinstance(pred, float)):
                return pred if not isinstance(pred, float) else y
            total += (y - pred) * (y - pred)  # inf, never OverflowError, when it diverged
        return math.sqrt(total)
