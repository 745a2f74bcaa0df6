"""The benchmarks' command line: a report printed as a table or as one JSON object."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from cellgrad.core.errors import CellgradError

Report = dict


def emit(produce: Callable[[], Report], render: Callable[[Report], str], as_json: bool) -> int:
    """Print the report (exit code 0), or the one-line error a CellgradError gives (exit code 2)."""
    try:
        report = produce()
    except CellgradError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report) if as_json else render(report))
    return 0


def repeat_main(prog: str, doc: str, default_repeat: int, run: Callable[[int], Report],
                render: Callable[[Report], str], argv: list[str] | None) -> int:
    """``prog [--json] [--repeat N]``: ``run(N)``'s report."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=default_repeat,
                        help=f"timed runs per measurement (default {default_repeat})")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return emit(lambda: run(args.repeat), render, args.json)
