"""``cellgrad eval PATH [--json]``: the engine against the values Excel cached."""
from __future__ import annotations

import argparse
import json
import sys

from ..conformance import check
from ..workbook import Workbook


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="an .xlsx or .xlsm workbook (never modified)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", type=int, default=20, metavar="N",
                        help="list at most N mismatched cells (default 20)")


def run(args: argparse.Namespace) -> int:
    book = Workbook.load(args.path)
    report = check(book)
    if args.json:
        print(json.dumps(report.as_json(), default=str))
    else:
        compared = report.formula_cells - len(report.volatile)
        print(f"{args.path}: {report.formula_cells} formula cells, {report.matched} matched "
              f"Excel's cached values, {len(report.mismatched)} cells mismatched, "
              f"{len(report.volatile)} volatile (random) cells left out; "
              f"{compared} compared in {report.seconds * 1000:.1f} ms")
        for m in report.mismatched[:args.show]:
            print(f"  mismatch {m.sheet}!{m.cell} ={m.formula.lstrip('=')}: Excel {m.expected!r}, "
                  f"engine {m.got!r}")
        if len(report.mismatched) > args.show:
            print(f"  ... and {len(report.mismatched) - args.show} more")
    for function, cells in sorted(report.unsupported.items()):
        shown = ", ".join(cells[:5]) + (" ..." if len(cells) > 5 else "")
        print(f"cellgrad eval: {args.path}: unsupported function {function} in {shown}", file=sys.stderr)
    return 0 if report.ok else 1
