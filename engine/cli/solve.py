"""``cellgrad solve WORKBOOK SHEET [--method adam|lbfgs] [--multistart N] [--max-seconds S]
[--seed N] [--json]``: Excel's Solver without Excel.

Reads the Solver model stored on SHEET (objective, changing cells, min/max/value of), optimizes
the changing cells with torch through the differentiable workbook, and writes the result into a
copy of the workbook (``--out``, default ``WORKBOOK`` with ``.SHEET-solved`` before its
extension); the input is never written. Progress goes to stderr, the report to stdout.
"""
from __future__ import annotations

import argparse
import json

# Defaults live in cellgrad.ml.solver.search.Settings (shown in the help as of this writing); the
# options default to None so that Settings decides, and this module does not import torch.

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", help="an .xlsx or .xlsm workbook (never modified)")
    parser.add_argument("sheet", help="the sheet whose Solver model to solve")
    parser.add_argument("--method", choices=("lbfgs", "adam"),
                        help="torch.optim.LBFGS (default) or torch.optim.Adam")
    parser.add_argument("--multistart", type=_non_negative_int, metavar="N",
                        help="random restarts after the run from the workbook's values; the best "
                        "result wins (default 10)")
    parser.add_argument("--max-seconds", type=_positive_float, metavar="S",
                        help="time for all runs together (default 20; the model's solver_tim if smaller)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="seed of the restarts' random starting points (default 0)")
    parser.add_argument("--out", metavar="PATH", help="where to write the solved copy")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available, else cpu)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    # imported here: torch takes a second to load and other commands do not need it
    from ..ml.solver import Settings, solve
    from ..ml.solver.progress import ProgressBar

    given = {"method": args.method, "restarts": args.multistart,
             "max_seconds": args.max_seconds, "seed": args.seed}
    settings = Settings(**{k: v for k, v in given.items() if v is not None})
    bar = ProgressBar(args.sheet)
    try:
        report = solve(args.workbook, args.sheet, settings, out=args.out, device=args.device,
                       on_step=bar)
    finally:
        bar.close()
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        print(f"{args.workbook}, sheet {report.sheet!r}: objective {report.objective_before:.10g} -> "
              f"{report.objective_after:.10g} in {report.steps} {report.method} steps, "
              f"{report.runs} runs (best: {_run_name(report.best_run)}), {report.seconds:.2f} s "
              f"on {report.device}; written to {report.output}")
    return 0


def _run_name(index: int) -> str:
    return "from the workbook's values" if index == 0 else f"random restart {index}"


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value
