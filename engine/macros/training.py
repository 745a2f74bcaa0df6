"""An optimizer tab driven the way its buttons drive it: Reset, Run (somesteps), Step (onestep).

Run performs ``somesteps`` with its loop counting the requested epochs instead of five, under the
calculation mode the macro sets (manual, except on basic), with adam_ann's learning-rate rule
inside the loop. Step performs lone ``onestep`` macros under automatic calculation, as pressing
the Step button repeatedly does. After every epoch the tab's a, b, loss and lr are observed and
every cell the macros write is checked: an error value or a non-finite number stops the run.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Callable, Iterator

from ..core.errors import CellgradError, MacroError
from ..core.references import Range
from ..core.values import Scalar
from .adapter import Grid, SheetAdapter
from .observe import Epoch, Observer
from .runner import EpochLoop, MacroRunner
from .vba import (HISTORY_SUBS, Assign, Binary, Clear, Expr, ForLoop, IfBlock, Module, Neg,
                  PasteValues, RangeRef, RangeValue, Statement, tab_module, without_subs)

OnEpoch = Callable[[Epoch], None]


class Training:
    def __init__(self, sheet: SheetAdapter, module: Module | None = None) -> None:
        self.sheet = sheet
        self.module = _lesson_or_handout(module or tab_module(sheet.sheet), sheet)
        self.areas = self._resolve_names()
        self.runner = MacroRunner(self.module, sheet)
        self.observer = Observer(sheet)

    def _resolve_names(self) -> dict[str, Range]:
        """Every name the module's macros use, checked before anything runs."""
        areas = {}
        for name in sorted(used_names(self.module)):
            try:
                areas[name] = self.sheet.resolve(name)
            except CellgradError as exc:
                raise MacroError(f"the macros of {self.module.name} need the defined name {name!r}: "
                                 f"{exc.reason}", file=exc.file,
                                 sheet=self.sheet.sheet) from None
        return areas

    # -- the buttons -----------------------------------------------------------------------------
    def reset(self) -> Epoch:
        self.runner.call("reset")
        return self.observe(0)

    def run(self, epochs: int, on_epoch: OnEpoch | None = None) -> list[Epoch]:
        """Run (``somesteps``) for ``epochs`` epochs."""
        done: list[Epoch] = []
        loop = EpochLoop(epochs, lambda k: self._after(k, done, on_epoch))
        with _numbered(done):
            self.runner.call("somesteps", loop)
        return done

    def step(self, epochs: int, on_epoch: OnEpoch | None = None) -> list[Epoch]:
        """``epochs`` lone presses of Step (``onestep``) under automatic calculation."""
        done: list[Epoch] = []
        self.sheet.set_automatic(True)
        with _numbered(done):
            for k in range(1, epochs + 1):
                self.runner.call("onestep")
                self._after(k, done, on_epoch)
        return done

    # -- observation -----------------------------------------------------------------------------
    def observe(self, epoch: int) -> Epoch:
        return self.observer.observe(epoch)

    def state(self) -> dict[str, Grid]:
        """Every cell the macros write (a, b, the optimizer state, lr), by defined name."""
        written = self.written()
        return dict(zip(written, self.sheet.read_many(list(written.values()))))

    def written(self) -> dict[str, Range]:
        names = written_names(self.module)
        return {name: area for name, area in self.areas.items() if name in names}

    def _after(self, k: int, done: list[Epoch], on_epoch: OnEpoch | None) -> None:
        state = self.state()
        for name, rows in state.items():
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    if not _finite(value):
                        area = self.areas[name]
                        cell = Range(area.sheet, area.r1 + i, area.c1 + j, area.r1 + i, area.c1 + j)
                        raise MacroError(f"epoch {k}: {name} became {_shown(value)}; the run "
                                         "diverged (is the learning rate too large?)",
                                         sheet=self.sheet.sheet, cell=cell.a1(with_sheet=False))
        epoch = self.observer.observe(k, state)
        done.append(epoch)
        if on_epoch is not None:
            on_epoch(epoch)


def _lesson_or_handout(module: Module, sheet: SheetAdapter) -> Module:
    """The macros with the handout's loss history where the tab has one (its names rmse,
    rmsestart, rmses), else as the lesson wrote them: fast.ai's workbook has no history there."""
    history = Module(module.name, {k: s for k, s in module.subs.items() if k in HISTORY_SUBS})
    for name in used_names(history):
        try:
            sheet.resolve(name)
        except CellgradError:
            return without_subs(module, HISTORY_SUBS)
    return module


@contextmanager
def _numbered(done: list[Epoch]) -> Iterator[None]:
    """Prefixes an error raised inside an epoch with that epoch's number."""
    try:
        yield
    except MacroError as exc:
        if not exc.reason.startswith("epoch "):
            exc.reason = f"epoch {len(done) + 1}: {exc.reason}"
            exc.args = (exc.reason,)
        raise


def _finite(value: Scalar) -> bool:
    """Blank cells are fine (basic's cleared history); error values and NaN/inf are not."""
    if value is None or isinstance(value, (bool, str)):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _shown(value: Scalar) -> str:
    return str(getattr(value, "value", value))


# -- what the macros touch ------------------------------------------------------------------------

def _statements(statements: tuple[Statement, ...]) -> Iterator[Statement]:
    for s in statements:
        yield s
        if isinstance(s, (ForLoop, IfBlock)):
            yield from _statements(s.body)


def _refs_in(e: Expr) -> Iterator[RangeRef]:
    if isinstance(e, RangeValue):
        yield e.ref
    elif isinstance(e, Neg):
        yield from _refs_in(e.operand)
    elif isinstance(e, Binary):
        yield from _refs_in(e.left)
        yield from _refs_in(e.right)


def _all_statements(module: Module) -> Iterator[Statement]:
    for sub in module.subs.values():
        yield from _statements(sub.body)


def used_names(module: Module) -> set[str]:
    """Every name a macro of the module reads or writes."""
    names = set()
    for s in _all_statements(module):
        ref = getattr(s, "ref", None)
        if ref is not None:
            names.add(ref.name.lower())
        for e in (getattr(s, "value", None), getattr(s, "condition", None)):
            if e is not None:
                names.update(r.name.lower() for r in _refs_in(e))
    return names


def written_names(module: Module) -> set[str]:
    """The names whose cells a macro writes: a, b, optimizer state, lr, basic's rmse history.

    A target reached through ``End``/``Offset`` (basic's next history row) is inside ``rmses``.
    """
    return {s.ref.name.lower() for s in _all_statements(module)
            if isinstance(s, (PasteValues, Assign, Clear)) and not s.ref.steps}
