"""The compiled backend: a recalculation plan as one straight-line Python function.

A macro epoch recalculates the same few hundred chained cells again and again (each row of an
optimizer tab reads the row above, so nothing can be batched). For such a plan the formulas are
translated once into plain float arithmetic, cell after cell. Each cell's code first checks that
every value it reads is a number; then it computes, and keeps the result only if it is a finite
number. Every other case — text, empty or logical inputs, an Excel error, a division by zero, a
square root of a negative number, an overflow, a function this backend does not translate — hands
the cell to the exact interpreter. The fast path thus only ever stores what the interpreter would.

A function is translated from its registry entry, never from a table of names here: where it
offers a compiled form, that is its source (SUM over a range: ``0.0 + a + b``; IF: a conditional
expression); otherwise a function whose arguments are all numbers, conditions or lazy branches
calls its scalar rule directly (lazy branches as lambdas, so only one is evaluated), and the
rule's result is checked to be a number before anything uses it.

Values that could hide an overflow (``x / inf`` is 0, ``EXP(-inf)`` is 0, a comparison with
infinity is just False) are passed through ``_fin`` first, so an intermediate infinity always
reaches the check instead of vanishing.
"""
from __future__ import annotations

from typing import Callable

from ..core.cells import Cell, Sheet
from ..core.ir import AreaRef, Binary, Call, CellRef, Const, Node, Unary
from ..core.values import ErrorResult
from ..functions import REGISTRY, Arg, FunctionSpec
from ..functions.math import power
from .blocks import Block

MAX_UNROLLED_RANGE = 256
CHUNK = 200  # units per generated function


class NotCompiled(Exception):
    """This formula is left to the interpreter."""


class _Expr:
    """Python source of an expression, whether it may be non-finite, whether it is a logical."""

    __slots__ = ("src", "may_overflow", "logical")

    def __init__(self, src: str, may_overflow: bool = False, logical: bool = False) -> None:
        self.src = src
        self.may_overflow = may_overflow
        self.logical = logical

    def finite(self) -> str:
        return f"_fin({self.src})" if self.may_overflow else self.src


def _fin(x: float) -> float:
    if x - x != 0:
        raise OverflowError
    return x


def _num(x: object) -> float:
    """A scalar rule's result where a number is expected; anything else goes the slow way."""
    if type(x) is not float:
        raise TypeError
    return x  # type: ignore[return-value]


_COMPARISONS = {"=": "==", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}
_PLAIN_KINDS = {Arg.NUMBER, Arg.BOOL, Arg.LAZY}
_RANGE_KINDS = (Arg.VALUES, Arg.GRID)


def _plain(spec: FunctionSpec, n: int) -> bool:
    """Whether a call with ``n`` arguments can call the scalar rule on compiled values."""
    if spec.repeat is not None or spec.volatile or spec.takes_context or spec.array_result \
            or spec.reference_result:
        return False
    if not set(spec.params) <= _PLAIN_KINDS or not spec.min_args <= n <= len(spec.params):
        return False
    # an omitted lazy branch has the rule's default, whose type the plan cannot know
    return Arg.LAZY not in spec.params or n == len(spec.params)


class _CellCompiler:
    """Translates one cell's formula; collects the cells it reads."""

    def __init__(self, sheets: dict[str, Sheet], names: dict[int, str], functions: dict[str, str],
                 cell: Cell) -> None:
        self.sheets = sheets
        self.names = names
        self.functions = functions  # function name -> its variable in the plan
        self.cell = cell
        self.reads: dict[str, Cell] = {}

    def var(self, sheet: str, row: int, col: int) -> str:
        target = self.sheets[sheet].cells.get((row, col)) if sheet in self.sheets else None
        if target is None:
            raise NotCompiled  # an empty cell: its meaning depends on the context
        name = f"v{self.names.setdefault(id(target), len(self.names))}"
        self.reads[name] = target
        return name

    def range_vars(self, node: AreaRef) -> list[str]:
        rng = node.at(self.cell.sheet, self.cell.row, self.cell.col)
        if rng.size > MAX_UNROLLED_RANGE or rng.sheet not in self.sheets:
            raise NotCompiled
        cells = self.sheets[rng.sheet].cells
        # empty cells are skipped by the SUM family; a cell created later invalidates the plans
        return [self.var(rng.sheet, r, c) for r, c in rng.cells() if (r, c) in cells]

    def expr(self, node: Node) -> _Expr:
        t = type(node)
        if t is Const:
            if type(node.value) is float:  # type: ignore[attr-defined]
                return _Expr(repr(node.value))  # type: ignore[attr-defined]
            raise NotCompiled
        if t is CellRef:
            r, c = node.at(self.cell.row, self.cell.col)  # type: ignore[attr-defined]
            return _Expr(self.var(node.sheet or self.cell.sheet, r, c))  # type: ignore[attr-defined]
        if t is Unary:
            a = self.number(node.operand)  # type: ignore[attr-defined]
            op = node.op  # type: ignore[attr-defined]
            if op == "-":
                return _Expr(f"(-{a.src})", a.may_overflow)
            if op == "%":
                return _Expr(f"({a.src}/100.0)", a.may_overflow)
            return a
        if t is Binary:
            return self.binary(node)  # type: ignore[arg-type]
        if t is Call:
            return self.call(node)  # type: ignore[arg-type]
        raise NotCompiled

    def number(self, node: Node) -> _Expr:
        e = self.expr(node)
        if e.logical:
            raise NotCompiled
        return e

    def binary(self, node: Binary) -> _Expr:
        op = node.op
        if op in _COMPARISONS:
            a, b = self.number(node.left), self.number(node.right)
            return _Expr(f"({a.finite()} {_COMPARISONS[op]} {b.finite()})", logical=True)
        a, b = self.number(node.left), self.number(node.right)
        if op in "+-*":
            return _Expr(f"({a.src} {op} {b.src})", True)
        if op == "/":
            return _Expr(f"({a.src} / {b.finite()})", True)
        if op == "^":
            if type(node.right) is Const and node.right.value == 2.0 and a.src.isidentifier():
                return _Expr(f"({a.src} * {a.src})", True)
            return _Expr(f"_pow({a.finite()}, {b.finite()})")
        raise NotCompiled

    def call(self, node: Call) -> _Expr:
        spec = REGISTRY.get(node.name)
        if spec is None:
            raise NotCompiled
        args = node.args
        if spec.compiled is not None and len(args) == 1 and type(args[0]) is AreaRef \
                and spec.kind(0) in _RANGE_KINDS:
            source = spec.compiled(self.range_vars(args[0]))  # type: ignore[arg-type]
            if source is None:
                raise NotCompiled
            return _Expr(source, True)
        if not _plain(spec, len(args)):
            raise NotCompiled
        sources, branches = [], []
        for i, arg in enumerate(args):
            kind = spec.params[i]
            if kind is Arg.NUMBER:
                sources.append(self.number(arg).finite())
            elif kind is Arg.BOOL:
                e = self.expr(arg)
                sources.append(e.src if e.logical else f"({e.finite()} != 0)")
            else:
                e = self.expr(arg)
                branches.append(e)
                sources.append(e.src)
        if spec.compiled is not None:
            call = spec.compiled(sources)
            if call is None:
                raise NotCompiled
        else:  # the scalar rule itself, lazy arguments as lambdas
            function = self.functions.setdefault(spec.name, f"_f{len(self.functions)}")
            arguments = [f"lambda: {s}" if spec.params[i] is Arg.LAZY else s
                         for i, s in enumerate(sources)]
            call = f"{function}({', '.join(arguments)})"
        if not branches:
            return _Expr(call if spec.compiled is not None else f"_num({call})", True)
        # the result is one of the branches: typed as they are
        if any(e.logical != branches[0].logical for e in branches):
            raise NotCompiled
        return _Expr(call, any(e.may_overflow for e in branches), branches[0].logical)


def _cell_code(cell: Cell, own: str, compiler: _CellCompiler) -> list[str]:
    if cell.array_range is not None:
        return [f"_slow({own})"]  # an array formula fills its whole range
    try:
        result = compiler.expr(cell.node)  # type: ignore[arg-type]
    except NotCompiled:
        return [f"_slow({own})"]
    checks = " and ".join(f"type({v}) is float" for v in compiler.reads) or "True"
    reads = "; ".join(f"{v} = {v}_cell.value" for v in compiler.reads)
    lines = ["try:"]
    if reads:
        lines.append(f"    {reads}")
    # + 0.0 turns -0.0 into 0, as the interpreter stores numbers
    value = result.src if result.logical else f"{result.src} + 0.0"
    lines += [f"    if {checks}:",
              f"        r = {value}",
              "        if r - r == 0:",
              f"            {own}.value = r; {own}.dirty = False",
              "        else:",
              f"            _slow({own})",
              "    else:",
              f"        _slow({own})",
              "except _FAST_PATH_FAILURES:",
              f"    _slow({own})"]
    return lines


def compile_plan(sheets: dict[str, Sheet], units: list[Cell | Block], *,
                 evaluate_cell: Callable[[Cell], None],
                 evaluate_block: Callable[[Block], None]) -> Callable[[], None]:
    """One function computing ``units`` in order; a cell whose fast path fails is handed to
    ``evaluate_cell`` (the interpreter), a block to ``evaluate_block`` (the numpy backend)."""
    names: dict[int, str] = {}
    functions: dict[str, str] = {}
    env: dict[str, object] = {
        "_slow": evaluate_cell, "_block": evaluate_block, "_fin": _fin, "_pow": power, "_num": _num,
        "_FAST_PATH_FAILURES": (ArithmeticError, ValueError, TypeError, ErrorResult),
    }
    chunks: list[list[str]] = []
    for start in range(0, len(units), CHUNK):
        body: list[str] = []
        for i, unit in enumerate(units[start:start + CHUNK], start):
            if type(unit) is Block:
                env[f"b{i}"] = unit
                body.append(f"_block(b{i})")
                continue
            own = f"u{i}"
            env[own] = unit
            compiler = _CellCompiler(sheets, names, functions, unit)  # type: ignore[arg-type]
            body.extend(_cell_code(unit, own, compiler))  # type: ignore[arg-type]
            for v, target in compiler.reads.items():
                env[f"{v}_cell"] = target
        chunks.append(body)
    env.update({variable: REGISTRY[name].impl for name, variable in functions.items()})
    # Python's compiler needs memory in proportion to the source it compiles: one part at a time.
    for k, body in enumerate(chunks):
        source = f"def part{k}():\n" + "".join(f"    {line}\n" for line in body)
        exec(compile(source, f"<cellgrad plan part {k}>", "exec"), env)
    parts = [env[f"part{k}"] for k in range(len(chunks))]

    def plan() -> None:
        for part in parts:
            part()  # type: ignore[operator]

    return plan
