"""``cellgrad functions [--json | --markdown]``: the Excel functions the engine computes, by family
(from the registry, the one list every backend uses)."""
from __future__ import annotations

import argparse
import json

from ..functions import families


def add_arguments(parser: argparse.ArgumentParser) -> None:
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true",
                       help='print {"families": {family: [names]}, "count": N}')
    shown.add_argument("--markdown", action="store_true",
                       help="print the README's coverage table")


def markdown_table() -> str:
    """The README's coverage table: one row per family."""
    lines = ["| family | functions |", "| --- | --- |"]
    for family, names in families().items():
        lines.append(f"| {family} ({len(names)}) | {', '.join(f'`{n}`' for n in names)} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    found = families()
    count = sum(len(names) for names in found.values())
    if args.json:
        print(json.dumps({"families": found, "count": count}))
    elif args.markdown:
        print(markdown_table())
    else:
        for family, names in found.items():
            print(f"{family} ({len(names)}): {' '.join(names)}")
        print(f"{count} functions")
    return 0
