"""``cellgrad run WORKBOOK SHEET``: press an optimizer tab's Reset, Run or Step buttons headless.

The table (and ``--json``) starts with epoch 0, the state before training (after Reset with
``--reset``), and shows the tab's loss cell (``rmse``) where it has one; on a tab without it
(fast.ai's workbook) the loss is a formula the engine evaluates, and the first line says which.
``--set NAME=VALUE`` types a number into a cell of the tab before Reset and Run.

Run performs the tab's ``somesteps`` macro for ``--epochs`` epochs under the calculation mode it
sets (manual), adam_ann's learning-rate rule included; ``--step`` performs lone ``onestep``
macros under automatic calculation, as pressing Step does. The two differ, because under
automatic calculation each copy sees the values recalculated after the copies before it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from ..core.errors import CellgradError, MacroError, WorkbookError
from ..core.references import Range
from ..core.values import number_from_text
from ..files.atomic import atomic_path
from ..files.writer import check_output
from ..macros import EngineSheet, Epoch, Training
from ..workbook import Workbook
from .arguments import count
from .progress import Progress

RUN_EPOCHS = 5    # one press of Run: somesteps loops five times
STEP_EPOCHS = 1   # one press of Step
PROGRESS_FROM = 200  # epochs; shorter runs finish before a bar would help
DIGITS = 6           # significant digits in the table; --json keeps every digit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", help="graddesc.xlsm (the reference or the generated handout)")
    parser.add_argument("sheet", help="an optimizer tab: basic, momentum, adagrad, rmsprop, adam, "
                                      "adagrad_ann, adam_ann")
    parser.add_argument("--reset", action="store_true",
                        help="press Reset first (alone, without --epochs: Reset and nothing else)")
    parser.add_argument("--epochs", type=count, metavar="N",
                        help=f"epochs to train (default {RUN_EPOCHS}, one press of Run; "
                             f"with --step {STEP_EPOCHS}; with --reset alone 0)")
    parser.add_argument("--step", action="store_true",
                        help="lone onesteps under automatic calculation (the Step button) "
                             "instead of somesteps under manual calculation (Run)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="type VALUE into the tab's cell NAME (a defined name such as lr or "
                             "beta1, or an address such as D2) before Reset and Run; repeatable")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", metavar="OUT", help="write the workbook in its new state to OUT")
    parser.add_argument("--in-place", action="store_true",
                        help="write the new state over WORKBOOK itself")


def epochs_to_run(args: argparse.Namespace) -> int:
    if args.epochs is not None:
        return args.epochs
    if args.step:
        return STEP_EPOCHS
    return 0 if args.reset else RUN_EPOCHS


def run(args: argparse.Namespace) -> int:
    target = _output(args)
    book = Workbook.load(args.workbook)
    book.recalculate()  # formulas without a cached value (openpyxl's files), as Excel on open
    training = _training(book, args)
    settings = parse_settings(book, args.sheet, args.set)
    for setting in settings:  # typed into the cells, under automatic calculation, as a student does
        book.set(setting.area.a1(), setting.value)
    epochs = epochs_to_run(args)
    start = training.reset() if args.reset else training.observe(0)
    for setting in settings:
        _warn_if_overwritten(book, setting)
    table = None if args.json else Table(sys.stdout)
    if table:
        pressed = "from Reset" if args.reset else "from its saved state"
        print(f"{args.sheet} {pressed}; loss: {training.observer.loss_source}")
        table.header()
        table.row(start)
    # The table rows already show progress on a terminal; the bar is for --json or a redirected table.
    watched = epochs >= PROGRESS_FROM and (args.json or not sys.stdout.isatty())
    with Progress(epochs, "epochs", label=f"run {args.sheet}", shown=watched) as bar:
        def on_epoch(epoch: Epoch) -> None:
            if table:
                table.row(epoch)
            bar.update(epoch.epoch, f"loss {_number(epoch.loss)}")
        try:
            press = training.step if args.step else training.run
            done = press(epochs, on_epoch) if epochs else []
        except MacroError as exc:
            raise exc.located(file=args.workbook) from None
    if args.json:
        print(json.dumps({"sheet": args.sheet, "loss": training.observer.loss_source,
                          "epochs": [e.as_json() for e in [start, *done]]}))
    if target is not None:
        _save(book, target)
    return 0


@dataclass(frozen=True)
class Setting:
    name: str
    area: Range
    value: float


_ADDRESS = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]+$")


def parse_settings(book: Workbook, sheet: str, texts: list[str]) -> list[Setting]:
    """``NAME=VALUE`` texts as cells of ``sheet`` and numbers, all checked before any is set."""
    return [_setting(book, sheet, text) for text in texts]


def _setting(book: Workbook, sheet: str, text: str) -> Setting:
    name, equals, typed = text.partition("=")
    name, typed = name.strip(), typed.strip()
    if not equals or not name:
        raise WorkbookError(f"--set {text!r}: expected NAME=VALUE, such as lr=0.01",
                            file=book.path, sheet=sheet)
    names = _tab_names(book, sheet)
    if _ADDRESS.match(name):
        area = book.resolve(name.replace("$", ""), sheet)
    elif name.upper() in names:
        area = book.resolve(names[name.upper()], sheet)
    else:
        raise WorkbookError(f"--set {name}: the tab has no name {name!r} (its names: "
                            f"{', '.join(sorted(names.values(), key=str.lower))}; or give a cell "
                            "such as D2)", file=book.path, sheet=sheet)
    where = area.a1(with_sheet=False)
    if area.size != 1 or area.sheet != sheet:
        raise WorkbookError(f"--set {name}: {name} is {area.a1()}, not one cell of the tab",
                            file=book.path, sheet=sheet)
    cell = book.cell(sheet, area.r1, area.c1)
    if cell is not None and (cell.formula is not None or cell.master is not None):
        raise WorkbookError(f"--set {name}: the cell holds the formula {cell.formula or '(array)'}; "
                            "only a constant can be typed over", file=book.path, sheet=sheet,
                            cell=where)
    value = number_from_text(typed)
    if value is None:
        raise WorkbookError(f"--set {name}: {typed!r} is not a number", file=book.path,
                            sheet=sheet, cell=where)
    return Setting(name, area, value)


def _tab_names(book: Workbook, sheet: str) -> dict[str, str]:
    """The tab's defined names that refer to cells (upper case -> as written)."""
    out = {}
    for key, defined in book.sheets[sheet].names.items():
        if defined.hidden:
            continue
        try:
            book.resolve(defined.name, sheet)
        except CellgradError:
            continue  # #REF!: no cell to type into
        out[key] = defined.name
    return out


def _warn_if_overwritten(book: Workbook, setting: Setting) -> None:
    now = book.read(setting.area)[0][0]
    if now != setting.value:
        print(f"cellgrad run: note: Reset set {setting.name} back to {_number(now)} "
              f"(you set {_number(setting.value)}); --set changes a cell before Reset, as typing does",
              file=sys.stderr)


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
    if args.save:
        check_output(args.workbook, args.save)
    return args.save


def _save(book: Workbook, target: str) -> None:
    # save_values refuses its own source: write a temporary file beside the target, then move it.
    with atomic_path(target) as tmp:
        os.unlink(tmp)
        book.save_values(tmp)


class Table:
    """The epoch table on stdout, one row as soon as its epoch is done; epoch 0 is the start."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def header(self) -> None:
        print(f"{'epoch':>6} {'a':>12} {'b':>12} {'loss':>12} {'lr':>12}", file=self.out)

    def row(self, epoch: Epoch) -> None:
        cells = " ".join(f"{_number(v):>12}" for v in (epoch.a, epoch.b, epoch.loss, epoch.lr))
        print(f"{epoch.epoch:>6} {cells}", file=self.out, flush=True)


def _number(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{DIGITS}g}"
    return str(getattr(value, "value", value))
