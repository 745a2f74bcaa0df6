"""``cellgrad eval PATH [--json] [--fresh-random SEED]``: the engine against the values Excel cached.

By default each random draw (RAND, RANDBETWEEN, RANDARRAY) takes the value Excel cached, so every
cell that depends on the draws is compared too; only the draw cells themselves are left out.
``--fresh-random SEED`` draws new numbers instead, and leaves out everything they feed."""
from __future__ import annotations

import argparse
import json

from ..conformance import check
from ..workbook import Workbook


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="an .xlsx or .xlsm workbook (never modified)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", type=int, default=20, metavar="N",
                        help="list at most N mismatched cells (default 20)")
    parser.add_argument("--fresh-random", type=int, metavar="SEED",
                        help="draw new random numbers with this seed instead of replaying the "
                             "draws Excel cached (their dependents are then left out)")


def run(args: argparse.Namespace) -> int:
    fresh = args.fresh_random is not None
    book = Workbook.load(args.path, seed=args.fresh_random if fresh else 0, replay_random=not fresh)
    report = check(book)
    if args.json:
        print(json.dumps(report.as_json(), default=str))
    else:
        compared = report.formula_cells - len(report.volatile)
        print(f"{args.path}: {report.formula_cells} formula cells, {report.matched} matched "
              f"Excel's cached values, {len(report.mismatched)} cells mismatched, "
              f"{len(report.volatile)} random cells left out ({report.replayed} draws replayed "
              f"from Excel's cached values); {compared} compared in {report.seconds * 1000:.1f} ms")
        for m in report.mismatched[:args.show]:
            print(f"  mismatch {m.sheet}!{m.cell} ={m.formula.lstrip('=')}: Excel {m.expected!r}, "
                  f"engine {m.got!r}")
        if len(report.mismatched) > args.show:
            print(f"  ... and {len(report.mismatched) - args.show} more")
    # an unsupported function was a one-line warning from calculate() (cellgrad.cli.main)
    return 0 if report.ok else 1
