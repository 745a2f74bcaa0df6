"""``cellgrad check [PATH ...] [--json] [--device cpu|cuda] [--epochs N]``: the exact engine, the
torch backend and the hand-written torch models, cell by cell.

Per tab: how many cells were compared and the largest absolute and relative difference over all
pairs of the three (a cell is compared when at least two of them give it a number). Optimizer
tabs are first trained ``--epochs`` epochs (default 50) by their own ``somesteps`` macro in the
exact engine, while the torch model trains from the same starting state on its own.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..core.errors import WorkbookError
from .progress import Progress, verdict

if TYPE_CHECKING:
    import torch

    from ..workbook import Workbook

HANDOUTS = ("collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx")
DEFAULT_EPOCHS = 50
ACROSS_ENGINES = 1e-9  # relative, float64
Address = tuple[str, int, int]


@dataclass
class TabReport:
    workbook: str
    sheet: str
    cells: int
    max_abs: float
    max_rel: float
    epochs: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="workbooks, or folders holding the handouts (default: the current "
                             "folder, where cellgrad build writes them)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available, else cpu)")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS, metavar="N",
                        help=f"epochs of each optimizer tab's macro (default {DEFAULT_EPOCHS})")


def handouts_in(folder: Path) -> list[Path]:
    """The three handouts that ``cellgrad build`` writes into ``folder``."""
    missing = [name for name in HANDOUTS if not (folder / name).is_file()]
    if missing:
        raise WorkbookError(f"no handouts {', '.join(missing)} in {folder} "
                            "(run cellgrad build, or name the workbooks to check)")
    return [folder / name for name in HANDOUTS]


def workbook_paths(given: list[str]) -> list[Path]:
    """Files as given, a folder as its handouts; nothing given: the current folder's handouts."""
    paths = [Path(p) for p in given] or [Path(os.curdir)]
    return [p for path in paths for p in (handouts_in(path) if path.is_dir() else [path])]


def run(args: argparse.Namespace) -> int:
    # torch is imported here, not with the module: the CLI imports every command to build its parser
    from ..ml.torch_backend import pick_device
    from ..ml.torch_models.graddesc import TABS as OPTIMIZER_TABS

    device = pick_device(args.device)
    if args.epochs < 0:
        raise WorkbookError(f"--epochs must be 0 or more, not {args.epochs}")
    paths = workbook_paths(args.paths)
    reports: list[TabReport] = []
    with Progress(0, "steps", label="check") as bar:
        for path in paths:
            def on_step(done: int, total: int, what: str, name: str = path.name) -> None:
                bar.update(done, f"{name}: {what}", total=total)
            reports += check_workbook(path, device, args.epochs, on_step)
    agreed = all(r.max_rel <= ACROSS_ENGINES for r in reports)
    if args.json:
        print(json.dumps({"device": device.type, "tabs": [asdict(r) for r in reports]}))
    else:
        print_table(reports, str(device))
        unmacroed = sorted({r.sheet for r in reports if r.sheet in OPTIMIZER_TABS and not r.epochs})
        if unmacroed and args.epochs:
            print(f"cellgrad check: no macros for {', '.join(unmacroed)}: compared at the workbook's state",
                  file=sys.stderr)
    verdict(summary(reports), json_on_stdout=args.json)
    return 0 if agreed else 1


def summary(reports: list[TabReport]) -> str:
    """The verdict line: every tab within the tolerance, or which disagree."""
    if not reports:
        return "no tab to compare"
    worst = max(reports, key=lambda r: r.max_rel)
    wrong = [r for r in reports if r.max_rel > ACROSS_ENGINES]
    if not wrong:
        return f"{len(reports)} tabs agree within {worst.max_rel:.2g} (relative; the bound is {ACROSS_ENGINES:g})"
    return (f"{len(wrong)} of {len(reports)} tabs disagree beyond {ACROSS_ENGINES:g} (largest "
            f"{worst.max_rel:.2g}: {worst.workbook} {worst.sheet})")


def print_table(reports: list[TabReport], device: str) -> None:
    print(f"device: {device}")
    print(f"{'workbook':<22} {'sheet':<16} {'cells':>6} {'max_abs':>10} {'max_rel':>10}  {'epochs':>6}")
    for r in reports:
        flag = "  *" if r.max_rel > ACROSS_ENGINES else ""
        print(f"{r.workbook:<22} {r.sheet:<16} {r.cells:>6} {r.max_abs:>10.3g} {r.max_rel:>10.3g}  "
              f"{r.epochs:>6}{flag}")
    if any(r.max_rel > ACROSS_ENGINES for r in reports):
        print(f"* above {ACROSS_ENGINES:g} relative: the three computations disagree (exit code 1)")


def check_workbook(path: Path, device: torch.device, epochs: int,
                   on_step: Callable[[int, int, str], None] | None = None) -> list[TabReport]:
    """Train the optimizer tabs (macros in the exact engine, models in torch), then compare;
    ``on_step(done, total, what)`` before each step."""
    from ..macros import EngineSheet, Training, optimizer_tabs
    from ..ml.torch_backend import TorchWorkbook
    from ..ml.torch_models import has_model
    from ..ml.torch_models import inputs as tab_inputs
    from ..ml.torch_models.graddesc import TABS as OPTIMIZER_TABS
    from ..workbook import Workbook

    book = Workbook.load(path)
    book.check_supported()
    book.calculate()
    tabs = [s for s in book.sheets if has_model(s)]
    trained = {s: epochs if s in OPTIMIZER_TABS and s in optimizer_tabs() else 0 for s in tabs}
    steps = [f"torch model {s}" for s in tabs] + [f"macros {s}, {n} epochs" for s, n in trained.items() if n]
    steps.append("torch backend, every formula")
    progress = iter(range(len(steps)))

    def step() -> None:
        done = next(progress)
        if on_step is not None:
            on_step(done, len(steps), steps[done])

    models = {}
    for s in tabs:  # from the starting state
        step()
        models[s] = _model(book, s, device, trained[s])
    for sheet, n in trained.items():
        if n:
            step()
            Training(EngineSheet(book, sheet)).run(n)
    step()
    inputs = list(dict.fromkeys(ref for s in tabs for ref in tab_inputs(book, s)))
    values = TorchWorkbook(book, inputs, device).evaluate().computed_cells()
    reports = []
    for sheet in book.sheets:
        cells = compare(book, sheet, values, models.get(sheet, []))
        if cells:
            reports.append(TabReport(path.name, sheet, len(cells), max((d[0] for d in cells.values())),
                                     max((d[1] for d in cells.values())), trained.get(sheet, 0)))
    return reports


def _model(book: Workbook, sheet: str, device: torch.device, epochs: int) -> list[tuple[str, torch.Tensor]]:
    """A tab's model; a tab that only shares a lesson tab's name is bad input, not a crash."""
    from ..ml.torch_models import predict

    try:
        return predict(book, sheet, device, epochs)
    except (ArithmeticError, IndexError, KeyError, RuntimeError, TypeError, ValueError) as exc:
        raise WorkbookError(f"sheet {sheet!r} is not laid out as the lesson's {sheet} tab "
                            f"({type(exc).__name__}: {exc})", file=book.path) from None


def compare(book: Workbook, sheet: str, torch_values: dict[Address, float],
            models: list[tuple[str, torch.Tensor]]) -> dict[Address, tuple[float, float]]:
    """Per cell of the sheet given a number by at least two of exact engine, torch backend and
    model: the largest (absolute, relative) difference between any two of its values."""
    seen: dict[Address, list[float]] = {}
    for cell in book.sheets[sheet].cells.values():
        address = (sheet, cell.row, cell.col)
        if address in torch_values:
            seen.setdefault(address, []).append(torch_values[address])
    for ref, tensor in models:
        rng = book.resolve(ref)
        predicted = tensor.detach().cpu().numpy().reshape(rng.height, rng.width)
        for (r, c), v in zip(rng.cells(), predicted.ravel().tolist()):
            seen.setdefault((rng.sheet, r, c), []).append(v)
    out = {}
    for address, values in seen.items():
        exact = book.current(*address)
        if type(exact) is float:
            values = [exact] + values
        if len(values) >= 2:
            out[address] = largest_difference(values)
    return out


def largest_difference(values: list[float]) -> tuple[float, float]:
    """The largest |x - y| and |x - y| / max(|x|, |y|) over all pairs (0 when both are 0; a NaN
    on either side is an infinite difference)."""
    worst_abs = worst_rel = 0.0
    for x, y in combinations(values, 2):
        d = abs(x - y)
        if not math.isfinite(d):
            return math.inf, math.inf
        scale = max(abs(x), abs(y))
        worst_abs = max(worst_abs, d)
        worst_rel = max(worst_rel, d / scale if scale else 0.0)
    return worst_abs, worst_rel
