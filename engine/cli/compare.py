"""``cellgrad compare WORKBOOK [--epochs N] [--torch] [--target T] [--out DIR] [--json] [--csv FILE]``:
the lesson's experiment, every optimizer side by side.

Each optimizer tab of a graddesc workbook is put back to its start by its own Reset and trained
``--epochs`` epochs by its own Run (``somesteps``) in the engine; its loss is read after every
epoch where the tab shows it (the ``rmse`` cell; on fast.ai's workbook the formula the engine
evaluates, see :mod:`cellgrad.macros.observe`). With ``--torch`` the tab's PyTorch model
(:mod:`cellgrad.ml.torch_models.graddesc`) trains from the same reset state on its own.

Outputs: a table (final loss, the first epoch below ``--target``, seconds), ``--json``, ``--csv``
(the history, one row per tab and epoch) and, with ``--out DIR``, all of them plus a PNG and an
SVG of loss per epoch (log scale, one line per optimizer, torch's points overlaid), drawn by
matplotlib from the JSON's numbers. In Python, :func:`history` returns the history as a pandas
DataFrame when pandas is installed (``pip install cellgrad[pandas]``), else as a list of dicts.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..core.errors import MacroError, WorkbookError
from ..files.atomic import make_directory, write_bytes
from .arguments import count
from .progress import Progress, verdict

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_EPOCHS = 50
DEFAULT_TARGET = 1.0
ACROSS_ENGINES = 1e-9   # relative, float64: the engine and torch must agree per epoch
STEM = "compare"        # DIR/compare.txt, .json, .csv, .png, .svg
OUT_FILES = ("txt", "json", "csv", "png", "svg")


@dataclass
class Curve:
    """One optimizer tab: its loss before training (epoch 0) and after each epoch."""

    sheet: str
    loss_source: str
    losses: list[float]
    seconds: float
    torch_losses: list[float] | None = None
    torch_seconds: float | None = None
    target: float = DEFAULT_TARGET

    @property
    def final(self) -> float:
        return self.losses[-1]

    @property
    def first_below_target(self) -> int | None:
        return next((k for k, loss in enumerate(self.losses) if loss < self.target), None)

    @property
    def max_rel_diff(self) -> float | None:
        """The largest relative difference between engine and torch over the epochs."""
        if self.torch_losses is None:
            return None
        return max(_relative(x, y) for x, y in zip(self.losses, self.torch_losses, strict=True))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sheet": self.sheet, "loss_source": self.loss_source,
                               "final_loss": self.final, "first_below_target": self.first_below_target,
                               "seconds": self.seconds, "losses": self.losses}
        if self.torch_losses is not None:
            out.update(torch_losses=self.torch_losses, torch_seconds=self.torch_seconds,
                       max_rel_diff=self.max_rel_diff)
        return out


@dataclass
class Comparison:
    workbook: str
    epochs: int
    target: float
    device: str | None
    curves: list[Curve] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"workbook": self.workbook, "epochs": self.epochs, "target": self.target,
                "device": self.device, "tabs": [c.as_json() for c in self.curves]}

    def rows(self) -> list[dict[str, Any]]:
        """The history, one dict per tab and epoch."""
        return [{"optimizer": c.sheet, "epoch": k, "engine_loss": loss,
                 "torch_loss": None if c.torch_losses is None else c.torch_losses[k]}
                for c in self.curves for k, loss in enumerate(c.losses)]


def _relative(x: float, y: float) -> float:
    scale = max(abs(x), abs(y))
    return abs(x - y) / scale if scale else 0.0


def compare(path: str | os.PathLike, epochs: int = DEFAULT_EPOCHS, *, use_torch: bool = False,
            target: float = DEFAULT_TARGET, device: str | None = None,
            on_tab: Callable[[int, int, str], None] | None = None) -> Comparison:
    """Every optimizer tab of the workbook from Reset for ``epochs`` epochs (Run), in the engine
    and with ``use_torch`` in the tab's torch model. ``on_tab(done, total, sheet)`` reports progress."""
    from ..macros import EngineSheet, Training, optimizer_tabs
    from ..workbook import Workbook

    book = Workbook.load(path)
    book.recalculate()  # formulas without a cached value (openpyxl's files), as Excel on open
    tabs = [s for s in book.sheets if s in optimizer_tabs()]
    if not tabs:
        raise WorkbookError(f"no optimizer tab (cellgrad has macros for {', '.join(optimizer_tabs())})",
                            file=os.fspath(path))
    torch_device = _device(device) if use_torch else None
    result = Comparison(Path(path).name, epochs, target, None if torch_device is None else torch_device.type)
    if torch_device is not None:  # torch's first optimizer steps pay for its lazy set-up: untimed
        _torch_losses(book, tabs[0], torch_device, 1)
    for i, sheet in enumerate(tabs):
        if on_tab is not None:
            on_tab(i, len(tabs), sheet)
        try:
            training = Training(EngineSheet(book, sheet))
            start = time.perf_counter()
            losses = [training.reset().loss]
            losses += [e.loss for e in training.run(epochs)] if epochs else []
            seconds = time.perf_counter() - start
        except MacroError as exc:
            raise exc.located(file=os.fspath(path)) from None
        curve = Curve(sheet, training.observer.loss_source, [_number(v, sheet) for v in losses],
                      seconds, target=target)
        if torch_device is not None:
            training.reset()  # the torch model starts from the state Reset leaves
            curve.torch_losses, curve.torch_seconds = _torch_losses(book, sheet, torch_device, epochs)
        result.curves.append(curve)
    if on_tab is not None:
        on_tab(len(tabs), len(tabs), "")
    return result


def _number(value: object, sheet: str) -> float:
    if not isinstance(value, float):
        raise MacroError(f"the loss is {getattr(value, 'value', value)!r}, not a number", sheet=sheet)
    return value


def _device(name: str | None):
    from ..ml.torch_backend import pick_device
    return pick_device(name)


def _torch_losses(book, sheet: str, device, epochs: int) -> tuple[list[float], float]:
    from ..ml.torch_models.graddesc import TABS, loss_history
    if sheet not in TABS:
        raise WorkbookError(f"no torch model for the tab {sheet!r}", file=book.path, sheet=sheet)
    start = time.perf_counter()
    losses = loss_history(book, sheet, device, epochs)
    return losses, time.perf_counter() - start


def history(path: str | os.PathLike, epochs: int = DEFAULT_EPOCHS, *, use_torch: bool = False,
            device: str | None = None):
    """The loss history of every optimizer tab (columns optimizer, epoch, engine_loss,
    torch_loss): a pandas DataFrame where pandas is installed, else a list of dicts."""
    rows = compare(path, epochs, use_torch=use_torch, device=device).rows()
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows)


# -- outputs -----------------------------------------------------------------------------------------

def table(result: Comparison) -> str:
    torch = any(c.torch_losses is not None for c in result.curves)
    head = (f"{result.workbook}: each optimizer tab from Reset, {result.epochs} epochs of Run; "
            f"loss = the tab's rmse")
    lines = [head, f"{'optimizer':<12} {'final loss':>12} {f'< {result.target:g} at':>12} {'seconds':>9}"
             + (f" {'torch s':>9} {'max rel diff':>13}" if torch else "")]
    for c in result.curves:
        below = "-" if c.first_below_target is None else str(c.first_below_target)
        line = f"{c.sheet:<12} {c.final:>12.6g} {below:>12} {c.seconds:>9.3f}"
        if c.torch_losses is not None:
            line += f" {c.torch_seconds:>9.3f} {c.max_rel_diff:>13.2g}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def summary(result: Comparison) -> str:
    """The verdict line."""
    best = min(result.curves, key=lambda c: c.final)
    text = (f"{len(result.curves)} optimizers, {result.epochs} epochs: lowest loss {best.final:.6g} "
            f"({best.sheet})")
    diffs = [c.max_rel_diff for c in result.curves if c.max_rel_diff is not None]
    if diffs:
        worst = max(diffs)
        agree = "agree" if worst <= ACROSS_ENGINES else f"DISAGREE (above {ACROSS_ENGINES:g})"
        text += f"; engine and torch {agree} within {worst:.2g} at every epoch"
    return text


def csv_text(result: Comparison) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["optimizer", "epoch", "engine_loss", "torch_loss"], lineterminator="\n")
    writer.writeheader()
    for row in result.rows():
        writer.writerow({k: ("" if v is None else repr(v) if isinstance(v, float) else v)
                         for k, v in row.items()})
    return out.getvalue()


def figure(report: dict[str, Any]) -> Figure:
    """Loss per epoch on a log scale from the JSON report: one line per optimizer (the _ann tabs
    dashed, so a curve equal to its plain tab's stays visible), torch's points (where the report
    has them) as circles over the line of the same colour."""
    from matplotlib.figure import Figure  # lazy: matplotlib only for the pictures
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(10, 5.5), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    handles = []
    for i, tab in enumerate(report["tabs"]):
        colour = _COLOURS[i % len(_COLOURS)]
        epochs = list(range(len(tab["losses"])))
        style = "--" if tab["sheet"].endswith("_ann") else "-"
        handles += ax.plot(epochs, tab["losses"], color=colour, linewidth=1.8, linestyle=style,
                           label=tab["sheet"])
        if tab.get("torch_losses") is not None:
            ax.plot(epochs, tab["torch_losses"], linestyle="none", marker="o", markersize=3.5,
                    markerfacecolor="none", color=colour, label=f"{tab['sheet']} (torch)")
    if report.get("device"):  # one legend entry for every torch curve
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none",
                              color="black", label=f"PyTorch ({report['device']})"))
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss: the tab's rmse (log scale)")
    ax.set_title(f"{report['workbook']}: every optimizer from Reset, {report['epochs']} epochs of Run")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"]


def _picture(report: dict[str, Any], kind: str) -> bytes:
    out = io.BytesIO()
    # a fixed date and no software version: the same data give the same file
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}[kind]
    figure(report).savefig(out, format=kind, metadata=metadata)
    return out.getvalue()


# -- the command ----------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", help="graddesc.xlsm (the handout or fast.ai's)")
    parser.add_argument("--epochs", type=count, default=DEFAULT_EPOCHS, metavar="N",
                        help=f"epochs of Run per tab (default {DEFAULT_EPOCHS})")
    parser.add_argument("--torch", action="store_true",
                        help="also train each tab's PyTorch model from the same reset state")
    parser.add_argument("--device", help="for --torch: cpu or cuda (default: cuda when available)")
    parser.add_argument("--target", type=float, default=DEFAULT_TARGET, metavar="T",
                        help=f"report the first epoch whose loss is below T (default {DEFAULT_TARGET:g})")
    parser.add_argument("--out", metavar="DIR",
                        help=f"write {STEM}.txt, .json, .csv, .png and .svg into DIR (created if missing)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--csv", metavar="FILE", help="write the history (optimizer, epoch, losses) as CSV")


def run(args: argparse.Namespace) -> int:
    _check_outputs(args)
    with Progress(0, "tabs", label="compare") as bar:
        def on_tab(done: int, total: int, sheet: str) -> None:
            bar.update(done, sheet, total=total)
        result = compare(args.workbook, args.epochs, use_torch=args.torch, target=args.target,
                         device=args.device, on_tab=on_tab)
    report = result.as_json()
    text = table(result)
    if args.json:
        print(json.dumps(report))
    else:
        sys.stdout.write(text)
    if args.csv:
        write_bytes(args.csv, csv_text(result).encode())
    if args.out:  # made only now: a workbook that cannot be read leaves no empty folder behind
        make_directory(args.out)
        files = {"txt": text.encode(), "json": json.dumps(report, indent=1).encode(),
                 "csv": csv_text(result).encode(), "png": _picture(report, "png"),
                 "svg": _picture(report, "svg")}
        for ext in OUT_FILES:
            write_bytes(_out_file(args.out, ext), files[ext])
    verdict(summary(result), json_on_stdout=args.json)
    diffs = [c.max_rel_diff for c in result.curves if c.max_rel_diff is not None]
    return 1 if diffs and max(diffs) > ACROSS_ENGINES else 0


def _check_outputs(args: argparse.Namespace) -> None:
    """Before any work: where the files go must be usable."""
    if args.out and os.path.exists(args.out) and not os.path.isdir(args.out):
        raise WorkbookError("--out must be a directory", file=args.out)
    if args.csv:
        folder = os.path.dirname(os.path.abspath(args.csv))
        if not os.path.isdir(folder):
            raise WorkbookError("--csv: the folder does not exist", file=args.csv)
        if os.path.isdir(args.csv):
            raise WorkbookError("--csv must name a file, not a directory", file=args.csv)
    targets = [args.csv] if args.csv else []
    targets += [_out_file(args.out, ext) for ext in OUT_FILES] if args.out else []
    for target in targets:
        if _same_file(target, args.workbook):
            raise WorkbookError("would overwrite the workbook; choose another output", file=target)
    if not math.isfinite(args.target):
        raise WorkbookError(f"--target must be a finite number, not {args.target}")


def _out_file(directory: str, ext: str) -> str:
    return os.path.join(directory, f"{STEM}.{ext}")


def _same_file(a: str, b: str) -> bool:
    return os.path.abspath(a) == os.path.abspath(b) or (
        os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b))
