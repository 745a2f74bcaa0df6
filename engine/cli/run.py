"""``cellgrad run WORKBOOK SHEET``: press an optimizer tab's Reset, Run or Step buttons headless.

Run performs the tab's ``somesteps`` macro for ``--epochs`` epochs under the calculation mode it
sets (manual), adam_ann's learning-rate rule included; ``--step`` performs lone ``onestep``
macros under automatic calculation, as pressing Step does. The two differ, because under
automatic calculation each copy sees the values recalculated after the copies before it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from ..core.errors import MacroError, WorkbookError
from ..files.atomic import atomic_path
from ..macros import EngineSheet, Epoch, Training
from ..workbook import Workbook

RUN_EPOCHS = 5    # one press of Run: somesteps loops five times
STEP_EPOCHS = 1   # one press of Step
PROGRESS_FROM = 200  # epochs; shorter runs finish before a bar would help
BAR_WIDTH = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", help="graddesc.xlsm (the reference or the generated handout)")
    parser.add_argument("sheet", help="an optimizer tab: basic, momentum, adagrad, rmsprop, adam, "
                                      "adagrad_ann, adam_ann")
    parser.add_argument("--reset", action="store_true", help="press Reset first")
    parser.add_argument("--epochs", type=_positive, metavar="N",
                        help=f"epochs to train (default {RUN_EPOCHS}, one press of Run; "
                             f"with --step {STEP_EPOCHS})")
    parser.add_argument("--step", action="store_true",
                        help="lone onesteps under automatic calculation (the Step button) "
                             "instead of somesteps under manual calculation (Run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", metavar="OUT", help="write the workbook in its new state to OUT")
    parser.add_argument("--in-place", action="store_true",
                        help="write the new state over WORKBOOK itself")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    target = _output(args)
    book = Workbook.load(args.workbook)
    book.recalculate()  # formulas without a cached value (openpyxl's files), as Excel on open
    training = _training(book, args)
    epochs = args.epochs or (STEP_EPOCHS if args.step else RUN_EPOCHS)
    table = None if args.json else Table(sys.stdout)
    start = training.reset() if args.reset else training.observe(0)
    if table:
        table.row(start, "reset" if args.reset else "start")
    # The table rows already show progress on a terminal; the bar is for --json or a redirected table.
    progress = Progress(sys.stderr, epochs, watched=args.json or not sys.stdout.isatty())
    def on_epoch(epoch: Epoch) -> None:
        if table:
            table.row(epoch)
        progress.update(epoch.epoch)
    try:
        press = training.step if args.step else training.run
        done = press(epochs, on_epoch)
    except MacroError as exc:
        exc.located(file=args.workbook)
        raise
    finally:
        progress.close()
    if args.json:
        print(json.dumps({"sheet": args.sheet, "epochs": [e.as_json() for e in done]}))
    if target is not None:
        _save(book, target)
    return 0


def _training(book: Workbook, args: argparse.Namespace) -> Training:
    if args.sheet not in book.sheets:
        raise MacroError(f"no sheet named {args.sheet!r} (it has {', '.join(book.sheets)})",
                         file=args.workbook)
    try:
        return Training(EngineSheet(book, args.sheet))
    except MacroError as exc:
        raise exc.located(file=args.workbook) from None


def _output(args: argparse.Namespace) -> str | None:
    """Where the new state goes; checked before any work, so a bad path wastes no run."""
    if args.in_place and args.save:
        raise WorkbookError("--save and --in-place exclude each other", file=args.workbook)
    if args.in_place:
        return args.workbook
    if args.save and os.path.abspath(args.save) == os.path.abspath(args.workbook):
        raise WorkbookError("--save would overwrite the input; use --in-place for that",
                            file=args.save)
    return args.save


def _save(book: Workbook, target: str) -> None:
    # save_values refuses its own source: write a temporary file beside the target, then move it.
    with atomic_path(target) as tmp:
        os.unlink(tmp)
        book.save_values(tmp)


class Table:
    """The epoch table on stdout, one row as soon as its epoch is done."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        print(f"{'epoch':>6} {'a':>20} {'b':>20} {'loss':>20} {'lr':>12}", file=out)

    def row(self, epoch: Epoch, label: str | None = None) -> None:
        cells = " ".join(f"{_number(v):>20}" for v in (epoch.a, epoch.b, epoch.loss))
        print(f"{label or epoch.epoch:>6} {cells} {_number(epoch.lr, 6):>12}", file=self.out,
              flush=True)


def _number(value: object, digits: int = 15) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(getattr(value, "value", value))


class Progress:
    """A bar on stderr for long runs, only where a person watches (a terminal)."""

    def __init__(self, out: TextIO, total: int, *, watched: bool) -> None:
        self.out = out
        self.total = total
        self.shown = watched and total >= PROGRESS_FROM and out.isatty()

    def update(self, done: int) -> None:
        if self.shown and (done == self.total or done % max(1, self.total // 100) == 0):
            filled = BAR_WIDTH * done // self.total
            self.out.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total} epochs")
            self.out.flush()

    def close(self) -> None:
        if self.shown:
            self.out.write("\n")
