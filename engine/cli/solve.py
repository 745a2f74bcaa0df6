"""``cellgrad solve WORKBOOK SHEET [--method adam|lbfgs] [--multistart N] [--max-seconds S]
[--seed N] [--report] [--json]``: Excel's Solver without Excel.

Reads the Solver model stored on SHEET (objective, changing cells, goal, constraints, engine,
options), optimizes the changing cells through the differentiable workbook, and writes the
result into a copy of the workbook (``--out``, default ``WORKBOOK`` with ``.SHEET-solved`` before
its extension; ``--report`` adds Excel's "Answer Report 1" sheet to it); the input is never
written. A progress bar goes to stderr when it is a terminal; the report goes to stdout, and one
verdict line ends the output (on stderr with ``--json``).
Ctrl-C stops the search and keeps (and writes) the best solution found so far, as Excel does;
the exit status is then 130.
"""
from __future__ import annotations

import argparse
import json
import time

from .arguments import count
from .progress import Progress, verdict

EXIT_INTERRUPTED = 130

# Defaults live in cellgrad.ml.solver.search.Settings (shown in the help as of this writing); the
# options default to None so that Settings and the model decide, and this module does not import torch.

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", help="an .xlsx or .xlsm workbook (never modified)")
    parser.add_argument("sheet", help="the sheet whose Solver model to solve")
    parser.add_argument("--method", choices=("lbfgs", "adam"),
                        help="for GRG Nonlinear without constraints: torch.optim.LBFGS (default) "
                        "or torch.optim.Adam")
    parser.add_argument("--multistart", type=count, metavar="N",
                        help="random restarts after the run from the workbook's values; the best "
                        "result wins (default: the model's Multistart population, else 10 without "
                        "constraints, else 0)")
    parser.add_argument("--max-seconds", type=_positive_float, metavar="S",
                        help="time for all runs together (default 20; the model's solver_tim if smaller)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="seed of the restarts' random starting points (default 0)")
    parser.add_argument("--out", metavar="PATH", help="where to write the solved copy")
    parser.add_argument("--report", action="store_true",
                        help="add Excel's \"Answer Report 1\" sheet to the written copy")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available, else cpu)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    # imported here: torch takes a second to load and other commands do not need it
    from ..ml.solver import Settings, Step, solve

    given = {"method": args.method, "restarts": args.multistart,
             "max_seconds": args.max_seconds, "seed": args.seed}
    settings = Settings(**{k: v for k, v in given.items() if v is not None})
    with Progress(0, "runs", label=f"solve {args.sheet}") as bar:
        def on_step(step: Step, values: object) -> None:
            bar.total = step.runs
            bar.update(step.run, f"run {step.run + 1}, step {step.step}, objective {step.objective:.10g}")
        report = solve(args.workbook, args.sheet, settings, out=args.out, device=args.device,
                       on_step=on_step, report=args.report)
    seconds = time.perf_counter() - began
    if args.json:
        print(json.dumps({**report.as_json(), "command_seconds": seconds}))
    else:
        print(f"{args.workbook}, sheet {report.sheet!r}: objective {report.objective_before:.10g} -> "
              f"{report.objective_after:.10g} in {report.steps} {report.method} steps, "
              f"{report.runs} runs (best: {_run_name(report.best_run)}), {report.seconds:.2f} s "
              f"on {report.device}; written to {report.output}")
    interrupted = report.status == "interrupted"
    kept = " (Ctrl-C: the best solution found so far is kept and written)" if interrupted else ""
    verdict(f"solve {report.sheet}: {report.status.replace('_', ' ')}{kept}: {report.message} "
            f"Objective {report.objective_after:.10g}; search {report.seconds:.2f} s of "
            f"{seconds:.2f} s", json_on_stdout=args.json)
    return EXIT_INTERRUPTED if interrupted else 0


def _run_name(index: int) -> str:
    return "from the workbook's values" if index == 0 else f"random restart {index}"


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value
