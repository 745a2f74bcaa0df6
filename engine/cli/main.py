"""The ``cellgrad`` command line (also ``python -m cellgrad``).

Each subcommand lives in its own module under :mod:`cellgrad.cli` and is imported only when
used, so ``cellgrad eval`` does not pay for importing torch. Errors the user can act on are
printed as one line, with exit code 2, never as a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from ..core.errors import CellgradError, CellgradWarning

# subcommand -> module in cellgrad.cli with add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "eval": ("evaluate", "recompute every formula and compare with the values Excel cached"),
    "run": ("run", "press an optimizer tab's Reset, Run or Step buttons (graddesc macros)"),
    "build": ("build", "write the lesson's handout workbooks from their definitions in sheets/"),
    "check": ("check", "exact engine, torch backend and hand-written torch models, cell by cell"),
    "compare": ("compare", "every optimizer tab of graddesc from Reset, side by side: table, JSON, CSV, pictures"),
    "functions": ("functions", "list the Excel functions the engine computes, by family"),
    "solve": ("solve", "Excel's Solver without Excel: optimize a sheet's stored Solver model with torch"),
}
EXIT_BAD_INPUT = 2


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the module of the command named in ``argv`` is imported (all of them
    when ``argv`` is None), so ``cellgrad eval`` loads neither torch nor the handout definitions."""
    parser = argparse.ArgumentParser(prog="cellgrad", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"cellgrad {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name, (module, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        if wanted is None or name == wanted:
            command = importlib.import_module(f"cellgrad.cli.{module}")
            command.add_arguments(sub_parser)
            sub_parser.set_defaults(run=command.run)
    return parser


def _version() -> str:
    """The installed distribution's version (its metadata, not a copy kept in the code)."""
    from importlib.metadata import version
    return version("cellgrad")


def _one_line_warnings(command: str) -> None:
    """cellgrad's own warnings (an unsupported function) as one stderr line, no source line."""
    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if issubclass(category, CellgradWarning):
            print(f"cellgrad {command}: warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)
    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    args = build_parser(argv).parse_args(argv)
    _one_line_warnings(args.command)
    try:
        return int(args.run(args) or 0)
    except CellgradError as exc:
        print(f"cellgrad {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"cellgrad {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def entry() -> None:
    sys.exit(main())
