"""A parser for the VBA the graddesc macros are written in, and nothing more.

The macros' text (``engine/macros/vba/<tab>.bas``) is their only definition: headless runs, the replay
in LibreOffice and live runs in Excel all execute the statements parsed here. The subset is what
the lesson's recorded macros use: ``Sub``, ``For``/``Next``, block ``If``, calls of other subs,
``Range("name")`` with ``.End(xlDown)`` and ``.Offset(r, c)``, ``.Copy``, ``.PasteSpecial
Paste:=xlPasteValues``, ``.Clear``, assignment to a range or its ``.Value``,
``Application.Calculation = xlCalculationManual|Automatic``, ``ActiveSheet.Calculate`` and
``Application.Calculate``. Anything else is a MacroError naming the module and the line, so a
statement is never silently skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.errors import MacroError

# -- syntax tree -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Offset:
    rows: "Expr"
    cols: "Expr"


@dataclass(frozen=True)
class EndDown:
    """``.End(xlDown)``: Ctrl+Down from the range's top-left cell."""


@dataclass(frozen=True)
class RangeRef:
    name: str                                     # the text inside Range("...")
    steps: tuple[EndDown | Offset, ...] = ()


@dataclass(frozen=True)
class RangeValue:
    ref: RangeRef


@dataclass(frozen=True)
class Neg:
    operand: "Expr"


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Expr"
    right: "Expr"


Expr = Num | Var | RangeValue | Neg | Binary


@dataclass(frozen=True)
class Statement:
    line: int


@dataclass(frozen=True)
class Copy(Statement):
    ref: RangeRef


@dataclass(frozen=True)
class PasteValues(Statement):
    ref: RangeRef


@dataclass(frozen=True)
class Clear(Statement):
    ref: RangeRef


@dataclass(frozen=True)
class Assign(Statement):
    ref: RangeRef
    value: Expr


@dataclass(frozen=True)
class SetCalculation(Statement):
    automatic: bool


@dataclass(frozen=True)
class Calculate(Statement):
    scope: str                                    # "sheet" (ActiveSheet) or "application"


@dataclass(frozen=True)
class CallSub(Statement):
    name: str


@dataclass(frozen=True)
class ForLoop(Statement):
    var: str
    start: Expr
    stop: Expr
    body: tuple[Statement, ...]


@dataclass(frozen=True)
class IfBlock(Statement):
    condition: Expr
    body: tuple[Statement, ...]


@dataclass(frozen=True)
class Sub:
    name: str
    line: int
    body: tuple[Statement, ...]
    file: str = ""                                # the module's file, where it is not the tab's


@dataclass
class Module:
    name: str                                     # where the text came from, for messages
    subs: dict[str, Sub] = field(default_factory=dict)   # keys lower case: VBA ignores case

    def sub(self, name: str) -> Sub:
        try:
            return self.subs[name.lower()]
        except KeyError:
            raise MacroError(f"no macro {name!r} (it has {', '.join(self.names())})",
                             file=self.name) from None

    def names(self) -> list[str]:
        return [s.name for s in self.subs.values()]


# -- tokens --------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>:=|<=|>=|<>|[-+*/^=<>(),.:])
)""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str                                     # num, str, ident, op
    text: str

    def is_(self, text: str) -> bool:
        """Keywords and identifiers compare case-insensitively, as in VBA."""
        return self.kind in ("ident", "op") and self.text.lower() == text.lower()


def _strip_comment(line: str) -> str:
    """Drop a ``'`` comment, minding apostrophes inside string literals."""
    in_string = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_string = not in_string
        elif ch == "'" and not in_string:
            return line[:i]
    return line


def _tokens(text: str, where: str) -> list[Token]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise MacroError(f"{where}: cannot read {text[pos:].strip()!r}")
        kind = m.lastgroup
        assert kind is not None
        tokens.append(Token(kind, m.group(kind)))
        pos = m.end()
    return tokens


def _statements_of(line: str, where: str) -> list[list[Token]]:
    """One physical line as its ``:``-separated statements (``For i = 1 To 5: onestep: Next``)."""
    parts: list[list[Token]] = [[]]
    for token in _tokens(_strip_comment(line), where):
        if token.kind == "op" and token.text == ":":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


# -- parser ----------------------------------------------------------------------------------------


class _Cursor:
    """Tokens of one statement, consumed left to right."""

    def __init__(self, tokens: list[Token], where: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.where = where

    def peek(self, text: str, ahead: int = 0) -> bool:
        i = self.pos + ahead
        return i < len(self.tokens) and self.tokens[i].is_(text)

    def accept(self, text: str) -> bool:
        if self.peek(text):
            self.pos += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            self.fail(f"expected {text!r}")

    def next(self, kind: str) -> Token:
        if self.pos >= len(self.tokens) or self.tokens[self.pos].kind != kind:
            self.fail(f"expected a {'number' if kind == 'num' else kind}")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def done(self) -> bool:
        return self.pos == len(self.tokens)

    def end(self) -> None:
        if not self.done():
            self.fail("unexpected text")

    def fail(self, why: str) -> None:
        text = " ".join(t.text for t in self.tokens)
        raise MacroError(f"{self.where}: unsupported statement {text!r} ({why})")


_COMPARISONS = ("=", "<>", "<", ">", "<=", ">=")


def _expression(c: _Cursor) -> Expr:
    left = _additive(c)
    for op in _COMPARISONS:
        if c.accept(op):
            return Binary(op, left, _additive(c))
    return left


def _additive(c: _Cursor) -> Expr:
    left = _multiplicative(c)
    while c.peek("+") or c.peek("-"):
        op = c.tokens[c.pos].text
        c.pos += 1
        left = Binary(op, left, _multiplicative(c))
    return left


def _multiplicative(c: _Cursor) -> Expr:
    left = _negation(c)
    while c.peek("*") or c.peek("/"):
        op = c.tokens[c.pos].text
        c.pos += 1
        left = Binary(op, left, _negation(c))
    return left


def _negation(c: _Cursor) -> Expr:
    # VBA binds ^ tighter than unary minus: -2 ^ 2 is -4.
    if c.accept("-"):
        return Neg(_negation(c))
    return _power(c)


def _power(c: _Cursor) -> Expr:
    left = _primary(c)
    while c.accept("^"):
        left = Binary("^", left, _primary(c))
    return left


def _primary(c: _Cursor) -> Expr:
    if c.accept("("):
        inner = _expression(c)
        c.expect(")")
        return inner
    if c.pos < len(c.tokens) and c.tokens[c.pos].kind == "num":
        return Num(float(c.next("num").text))
    if c.peek("Range"):
        ref = _range(c)
        if c.accept("."):
            c.expect("Value")
        return RangeValue(ref)
    return Var(c.next("ident").text.lower())


def _range(c: _Cursor) -> RangeRef:
    c.expect("Range")
    c.expect("(")
    name = c.next("str").text[1:-1].replace('""', '"')
    c.expect(")")
    steps: list[EndDown | Offset] = []
    while True:
        if c.peek(".") and c.peek("End", 1):
            c.pos += 2
            c.expect("(")
            c.expect("xlDown")
            c.expect(")")
            steps.append(EndDown())
        elif c.peek(".") and c.peek("Offset", 1):
            c.pos += 2
            c.expect("(")
            rows = _expression(c)
            c.expect(",")
            cols = _expression(c)
            c.expect(")")
            steps.append(Offset(rows, cols))
        else:
            return RangeRef(name, tuple(steps))


def _range_statement(c: _Cursor, line: int) -> Statement:
    ref = _range(c)
    if c.accept("="):
        statement: Statement = Assign(line, ref, _expression(c))
    else:
        c.expect(".")
        if c.accept("Copy"):
            statement = Copy(line, ref)
        elif c.accept("Clear"):
            statement = Clear(line, ref)
        elif c.accept("PasteSpecial"):
            c.expect("Paste")
            c.expect(":=")
            c.expect("xlPasteValues")
            statement = PasteValues(line, ref)
        elif c.accept("Value"):
            c.expect("=")
            statement = Assign(line, ref, _expression(c))
        else:
            c.fail("unknown range method")
    c.end()
    return statement


def _application(c: _Cursor, line: int) -> Statement:
    c.expect(".")
    if c.accept("Calculate"):
        c.end()
        return Calculate(line, "application")
    c.expect("Calculation")
    c.expect("=")
    if c.accept("xlCalculationManual"):
        automatic = False
    else:
        c.expect("xlCalculationAutomatic")
        automatic = True
    c.end()
    return SetCalculation(line, automatic)


class _Parser:
    def __init__(self, text: str, module: str) -> None:
        self.module = module
        self.lines: list[tuple[int, list[Token]]] = []
        for number, physical in enumerate(text.splitlines(), start=1):
            where = f"{module} line {number}"
            self.lines.extend((number, tokens) for tokens in _statements_of(physical, where))
        self.pos = 0

    def where(self, line: int) -> str:
        return f"{self.module} line {line}"

    def parse(self) -> Module:
        module = Module(self.module)
        while self.pos < len(self.lines):
            line, tokens = self.lines[self.pos]
            c = _Cursor(tokens, self.where(line))
            c.expect("Sub")
            name = c.next("ident").text
            c.expect("(")
            c.expect(")")
            c.end()
            self.pos += 1
            body = self.block(("End", "Sub"), line)
            if name.lower() in module.subs:
                raise MacroError(f"{self.where(line)}: Sub {name} is defined twice")
            module.subs[name.lower()] = Sub(name, line, body)
        return module

    def block(self, closer: tuple[str, ...], opened: int) -> tuple[Statement, ...]:
        """Statements up to the line that starts with ``closer`` (``Next`` may name its variable)."""
        body: list[Statement] = []
        while self.pos < len(self.lines):
            line, tokens = self.lines[self.pos]
            c = _Cursor(tokens, self.where(line))
            if closer != ("End", "Sub") and c.peek("End") and c.peek("Sub", 1):
                break  # the Sub ends inside this block: report the block's first line
            if all(c.peek(word, i) for i, word in enumerate(closer)):
                c.pos = len(closer)
                if closer == ("Next",) and not c.done():
                    c.next("ident")
                c.end()
                self.pos += 1
                return tuple(body)
            self.pos += 1
            body.append(self.statement(c, line))
        raise MacroError(f"{self.where(opened)}: no {' '.join(closer)} for this block")

    def statement(self, c: _Cursor, line: int) -> Statement:
        if c.peek("Range"):
            return _range_statement(c, line)
        if c.accept("Application"):
            return _application(c, line)
        if c.accept("ActiveSheet"):
            c.expect(".")
            c.expect("Calculate")
            c.end()
            return Calculate(line, "sheet")
        if c.accept("For"):
            var = c.next("ident").text.lower()
            c.expect("=")
            start = _expression(c)
            c.expect("To")
            stop = _expression(c)
            c.end()
            return ForLoop(line, var, start, stop, self.block(("Next",), line))
        if c.accept("If"):
            condition = _expression(c)
            c.expect("Then")
            c.end()  # a one-line If is not in the subset
            return IfBlock(line, condition, self.block(("End", "If"), line))
        if len(c.tokens) == 1 and c.tokens[0].kind == "ident":
            return CallSub(line, c.tokens[0].text)
        c.fail("not in the VBA subset cellgrad runs")
        raise AssertionError  # fail() raised


def parse_module(text: str, name: str) -> Module:
    """Parse a module's text; ``name`` (a file name) appears in every error message."""
    return _Parser(text, name).parse()


VBA_DIR = Path(__file__).resolve().with_name("vba")


HISTORY_MODULE = VBA_DIR / "modules" / "history.bas"


def tab_module(tab: str) -> Module:
    """The macros of a graddesc optimizer tab (``engine/macros/vba/<tab>.bas``), with the Subs of
    the standard module they call (``modules/history.bas``), as VBA finds a public Sub."""
    path = VBA_DIR / f"{tab}.bas"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in VBA_DIR.glob("*.bas")))
        raise MacroError(f"no macros for a sheet named {tab!r} (cellgrad has macros for {known})",
                         sheet=tab)
    module = parse_module(path.read_text(encoding="utf-8"), f"engine/macros/vba/{path.name}")
    where = f"engine/macros/vba/modules/{HISTORY_MODULE.name}"
    history = parse_module(HISTORY_MODULE.read_text(encoding="utf-8"), where)
    for key, sub in history.subs.items():
        if key in module.subs:
            raise MacroError(f"{module.name} line {module.subs[key].line}: Sub {sub.name} is also "
                             f"defined in {where}")
        module.subs[key] = replace(sub, file=where)
    return module


# cellgrad's additions to the lesson's macros: the handout's loss history (modules/history.bas)
HISTORY_SUBS = ("newhistory", "recordloss", "replaceloss")


def without_subs(module: Module, names: tuple[str, ...]) -> Module:
    """``module`` without the Subs ``names`` and without the lines that call them."""
    dropped = {n.lower() for n in names}

    def keep(body: tuple[Statement, ...]) -> tuple[Statement, ...]:
        out: list[Statement] = []
        for s in body:
            if isinstance(s, CallSub) and s.name.lower() in dropped:
                continue
            if isinstance(s, (ForLoop, IfBlock)):
                s = replace(s, body=keep(s.body))
            out.append(s)
        return tuple(out)

    subs = {key: replace(sub, body=keep(sub.body)) for key, sub in module.subs.items()
            if key not in dropped}
    return Module(module.name, subs)


def optimizer_tabs() -> list[str]:
    """Every tab cellgrad has macros for."""
    return sorted(p.stem for p in VBA_DIR.glob("*.bas"))
