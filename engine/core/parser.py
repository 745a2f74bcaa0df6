"""Formula text -> IR, with openpyxl's formula Tokenizer and a precedence-climbing parser.

Excel's precedence, highest first: reference operators (``:`` and the space of intersection,
then the comma of union, which only parentheses that are not an argument list hold), prefix
``-``/``+`` (so ``=-2^2`` is 4), ``%``, ``^``, ``*`` ``/``, ``+`` ``-``, ``&``, comparisons.
All binary operators are left-associative (``=2^3^2`` is 64).
"""
from __future__ import annotations

import itertools
from typing import Callable, NamedTuple

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from .ir import (AreaRef, ArrayConst, Binary, Call, CellRef, Const, Missing, Node, Ref3D, Unary,
                 Union)
from .references import parse_cell_endpoint, parse_endpoint, split_sheet
from .structured import THIS_ROW, Tables, parse_specifier, protect_escapes, resolve
from .values import ExcelError, Scalar, typed_number



class Parsed(NamedTuple):
    """A formula's node, and whether a [#This Row] decided it (in the formula, in a defined name
    it uses or in a LAMBDA's body): then the node holds on the formula's row, not on every cell
    whose formula has the same R1C1 form (the row may be outside the table's data)."""

    node: Node
    this_row: bool


# (name, formula's sheet, the row a [#This Row] there means) -> what the defined name stands
# for in that formula, or None if unknown.
NameResolver = Callable[[str, str, int], "Parsed | None"]

_INFIX = {"^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2,
          "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, ":": 9, " ": 9, ",": 8}
_PREFIX_POWER = 7  # binds tighter than ^ and %
_POSTFIX_POWER = 6
_FUNCTION_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")


class _Tokenizer(Tokenizer):
    """openpyxl's Tokenizer, knowing Excel 365's error values too (#SPILL!, #CALC!)."""

    ERROR_CODES = Tokenizer.ERROR_CODES + tuple(e.value for e in ExcelError
                                                 if e.value not in Tokenizer.ERROR_CODES)


class ParseError(ValueError):
    """Raised for text that is not a formula; the caller adds sheet and cell."""


# A LAMBDA call is inlined while parsing; a formula whose inlined calls pass this many (names
# calling names, each several times) is #NUM! rather than a parse that grows without end.
_MAX_LAMBDA_CALLS = 1024


class Lambda(Node):
    """A LAMBDA's parameters and the tokens of its body. LET and LAMBDA are resolved while
    parsing: a call parses the body again with each parameter bound to the argument's node, so
    no backend ever sees them. One left uncalled is #CALC!, as in Excel.

    A LAMBDA name that calls itself (directly or through other names) cannot be inlined, since
    only the values decide how deep it goes: it is called at run time (``_RECURSIVE``, see
    :meth:`_Parser.apply`), and ``recursive`` remembers that for its later calls."""

    __slots__ = ("params", "body", "scope", "recursive")

    def __init__(self, params: tuple[str, ...], body: tuple[Token, ...], scope: dict) -> None:
        self.params = params
        self.body = body
        self.scope = scope
        self.recursive = False


class _Active:
    """A LAMBDA call whose body is being parsed; a call of the same LAMBDA inside is recursion.
    ``key`` names the call at run time (the _RECURSE calls inside find it by the key)."""

    __slots__ = ("function", "key")

    def __init__(self, function: Lambda, key: float) -> None:
        self.function = function
        self.key = key


def _frame(function: Lambda) -> int:
    """What one call of ``function`` takes of Excel's operand stack (cellgrad.functions.lambdas)."""
    return len(function.params) + 1


# The functions that call a LAMBDA given to them once per element, at run time
# (cellgrad.functions.lambdas): their LAMBDA arguments become LAMBDA(slot..., body) calls.
_LAMBDA_HELPERS = frozenset({"MAP", "REDUCE", "SCAN", "BYROW", "BYCOL", "MAKEARRAY"})
# A fresh slot for each parameter of such a LAMBDA, and a fresh key for each call of a LAMBDA
# that calls itself (_Parser.apply).
_SLOTS = itertools.count(1)


def _local(name: str) -> str:
    """A LET or LAMBDA name as the scope keys it: Excel writes them ``_xlpm.x`` in a file."""
    upper = name.upper()
    return upper[6:] if upper.startswith("_XLPM.") else upper


def canonical_function(name: str) -> str:
    upper = name.upper()
    for prefix in _FUNCTION_PREFIXES:
        if upper.startswith(prefix):
            return upper[len(prefix):]
    return upper


def _text_literal(value: str) -> str:
    return value[1:-1].replace('""', '"')


def _scalar_literal(token: Token) -> Scalar:
    if token.subtype == Token.NUMBER:
        return typed_number(token.value)
    if token.subtype == Token.TEXT:
        return _text_literal(token.value)
    if token.subtype == Token.LOGICAL:
        return token.value.upper() == "TRUE"
    if token.subtype == Token.ERROR:
        if not ExcelError.is_error_text(token.value):  # #GETTING_DATA: known to the Tokenizer only
            raise ParseError(f"unsupported error value {token.value}")
        return ExcelError.from_text(token.value)
    raise ParseError(f"unexpected {token.value!r} in an array constant")


class _Parser:
    def __init__(self, tokens: list[Token], row: int, col: int, sheet: str,
                 names: NameResolver | None, tables: Tables | None = None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.row = row
        self.this_row = row  # the row [#This Row] means: a defined name's is its user's
        self.row_bound = [False]  # a [#This Row] was resolved for this formula (shared)
        self.col = col
        self.sheet = sheet
        self.names = names
        self.tables = tables
        self.scope: dict[str, Node] = {}  # LET names and LAMBDA parameters in force
        self.active: list[_Active] = []   # LAMBDA calls being parsed, outermost first (shared)
        self.calls = [0]                  # LAMBDA calls parsed for this formula (shared)
        self.unions = True  # a comma is the union operator (not between a LAMBDA call's arguments)

    # -- token stream -----------------------------------------------------------------------
    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ParseError("formula ends too early")
        self.pos += 1
        return token

    # -- grammar ----------------------------------------------------------------------------
    def expression(self, min_power: int = 0) -> Node:
        left = self.prefix()
        while True:
            token = self.peek()
            if token is None:
                return left
            if isinstance(left, Lambda) and token.type == Token.PAREN and token.subtype == Token.OPEN:
                left = self.apply(left, self.parenthesized_arguments())  # LAMBDA(x,x+1)(2)
                continue
            if token.type == Token.OP_POST:
                if _POSTFIX_POWER < min_power:
                    return left
                self.take()
                left = Unary("%", self.value(left))
                continue
            if token.type == Token.WSPACE:
                nxt = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
                if nxt is not None and (nxt.type == Token.OPERAND or nxt.subtype == Token.OPEN) \
                        and _INFIX[" "] >= min_power:
                    self.take()
                    left = Binary(" ", self.value(left), self.value(self.expression(_INFIX[" "] + 1)))
                    continue
                self.take()
                continue
            if token.type == Token.OPERAND and token.value.startswith(":"):
                # openpyxl's Tokenizer splits OFFSET(A1,0,0):A3 into the call and ":A3"
                self.take()
                left = Binary(":", left, self.reference(token.value[1:]))
                continue
            if token.type != Token.OP_IN:
                return left
            op = token.value
            if op == "," and not self.unions:  # between a LAMBDA call's arguments
                return left
            power = _INFIX.get(op)
            if power is None:
                raise ParseError(f"unknown operator {op!r}")
            if power < min_power:
                return left
            self.take()
            right = self.value(self.expression(power + 1))
            if op == ",":  # (A1,B1,C1) is one union of three parts
                parts = left.parts if type(left) is Union else (self.value(left),)
                left = Union(parts + (right,))  # type: ignore[operator]
            else:
                left = Binary(op, self.value(left), right)

    def prefix(self) -> Node:
        token = self.take()
        while token.type == Token.WSPACE:
            token = self.take()
        if token.type == Token.OP_PRE:
            operand = self.expression(_PREFIX_POWER)
            return Unary(token.value, self.value(operand))
        if token.type == Token.OPERAND:
            if token.subtype == Token.RANGE:
                return self.reference(token.value)
            return Const(_scalar_literal(token))
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            # ... and A1:OFFSET(A1,2,0) into "A1:OFFSET(" and the arguments
            start, colon, name = token.value[:-1].rpartition(":")
            if colon and "'" not in name:
                return Binary(":", self.reference(start), self.call(name))
            return self.call(token.value[:-1])
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            unions, self.unions = self.unions, True
            try:
                inner = self.expression()
            finally:
                self.unions = unions
            close = self.take()
            if not (close.type == Token.PAREN and close.subtype == Token.CLOSE):
                raise ParseError("unbalanced parentheses")
            return inner
        if token.type == Token.ARRAY and token.subtype == Token.OPEN:
            return self.array()
        raise ParseError(f"unexpected {token.value!r}")

    @staticmethod
    def value(node: Node) -> Node:
        """A node where a value is wanted: a LAMBDA that is not called is #CALC!."""
        return Const(ExcelError.CALC) if isinstance(node, Lambda) else node

    def call(self, name: str) -> Node:
        function = canonical_function(name)
        if function == "LET":
            return self.let()
        if function == "LAMBDA":
            return self.lambda_()
        bound = self.scope.get(_local(name))
        if bound is None and self.names is not None and function == name.upper():
            bound = self.defined(name, self.sheet)  # a defined name holding a LAMBDA
        args = self.arguments(name)
        if isinstance(bound, Lambda):
            return self.apply(bound, args)
        if function == "ISOMITTED" and len(args) == 1:  # a LAMBDA parameter left out is
            return Const(type(args[0]) is Missing)       # bound to Missing while parsing
        if function in _LAMBDA_HELPERS:
            args = [self.closure(a) if isinstance(a, Lambda) else a for a in args]
        return Call(function, tuple(self.value(a) for a in args))

    def arguments(self, name: str) -> list[Node]:
        args: list[Node] = []
        expect_arg = True
        while True:
            token = self.peek()
            if token is None:
                raise ParseError(f"{name}( is not closed")
            if token.type == Token.WSPACE:
                self.take()
                continue
            if token.type == Token.FUNC and token.subtype == Token.CLOSE:
                self.take()
                if expect_arg and args:
                    args.append(Missing())
                break
            if token.type == Token.SEP and token.subtype == Token.ARG:
                self.take()
                if expect_arg:
                    args.append(Missing())
                expect_arg = True
                continue
            if not expect_arg:
                raise ParseError(f"missing ',' between arguments of {name}")
            args.append(self.expression())
            expect_arg = False
        return args

    def parenthesized_arguments(self) -> list[Node]:
        """``(a, b)`` after a LAMBDA: the Tokenizer sees a parenthesis and the union operator."""
        self.take()
        args: list[Node] = []
        expect_arg = True  # an argument left out, (1,), is Missing: ISOMITTED sees it
        while True:
            token = self.take()
            while token.type == Token.WSPACE:
                token = self.take()
            separator = token.type == Token.OP_IN and token.value == ","
            closing = token.type == Token.PAREN and token.subtype == Token.CLOSE
            if expect_arg and (separator or closing and args):
                args.append(Missing())
            if closing:
                return args
            expect_arg = separator
            if not separator:
                self.pos -= 1
                unions, self.unions = self.unions, False
                try:
                    args.append(self.expression())
                finally:
                    self.unions = unions

    def skip_space(self) -> None:
        while (token := self.peek()) is not None and token.type == Token.WSPACE:
            self.take()

    def let(self) -> Node:
        """LET(name1, value1, [name2, value2, ...], calculation): each name bound, in order, to
        its value's node (a LAMBDA stays a LAMBDA), then the calculation parsed with them."""
        outer = self.scope
        self.scope = dict(outer)
        try:
            while True:
                self.skip_space()
                start = self.pos
                token = self.take()
                self.skip_space()
                after = self.peek()
                if token.type == Token.OPERAND and token.subtype == Token.RANGE and after is not None \
                        and after.type == Token.SEP and after.subtype == Token.ARG:
                    self.take()
                    self.scope[_local(token.value)] = self.expression()
                    self.skip_space()
                    separator = self.take()
                    if separator.type != Token.SEP:
                        raise ParseError("LET takes name, value pairs and a calculation")
                    continue
                self.pos = start
                calculation = self.expression()
                self.skip_space()
                close = self.take()
                if not (close.type == Token.FUNC and close.subtype == Token.CLOSE):
                    raise ParseError("LET takes name, value pairs and a calculation")
                return calculation
        finally:
            self.scope = outer

    def lambda_(self) -> Lambda:
        """LAMBDA([parameter1, ...], calculation): the body's tokens are kept, unparsed."""
        parts: list[list[Token]] = [[]]
        depth = 0
        while True:
            token = self.take()
            if token.subtype == Token.OPEN:
                depth += 1
            elif token.subtype == Token.CLOSE:
                if depth == 0 and token.type == Token.FUNC:
                    break
                depth -= 1
            elif depth == 0 and token.type == Token.SEP and token.subtype == Token.ARG:
                parts.append([])
                continue
            parts[-1].append(token)
        *params, body = [[t for t in part if t.type != Token.WSPACE] for part in parts]
        if not body or any(len(p) != 1 or p[0].subtype != Token.RANGE for p in params):
            raise ParseError("LAMBDA takes parameter names and a calculation")
        return Lambda(tuple(_local(p[0].value) for p in params), tuple(body), dict(self.scope))

    def closure(self, function: Lambda) -> Node:
        """A LAMBDA given to a helper: ``LAMBDA(slot..., body)``, each parameter in the body a
        ``_PARAMETER(slot)`` call that the helper binds at run time."""
        slots = tuple(Const(float(next(_SLOTS))) for _ in function.params)
        bound = [Call("_PARAMETER", (slot,)) for slot in slots]
        return Call("LAMBDA", slots + (self.value(self.apply(function, bound)),))

    def apply(self, function: Lambda, args: list[Node]) -> Node:
        """A LAMBDA called: its body parsed with the parameters bound to the arguments. A call
        of a LAMBDA whose body is being parsed is recursion: that LAMBDA is called at run time,
        ``_RECURSIVE(key, stack, LAMBDA(slot..., body), argument...)``, and the calls inside it
        are ``_RECURSE(key, stack, argument...)``; ``stack`` is what one call takes of Excel's
        operand stack (its own frame and those of the LAMBDAs inlined on the way)."""
        if len(args) != len(function.params):
            return Const(ExcelError.VALUE)
        values = tuple(self.value(a) for a in args)  # at run time: a LAMBDA argument is #CALC!
        for depth, active in enumerate(self.active):
            if active.function is function:
                function.recursive = True
                stack = _frame(function) + sum(_frame(a.function) for a in self.active[depth + 1:]
                                               if not a.function.recursive)
                return Call("_RECURSE", (Const(active.key), Const(float(stack))) + values)
        self.calls[0] += 1
        if self.calls[0] > _MAX_LAMBDA_CALLS:
            return Const(ExcelError.NUM)
        self.active.append(_Active(function, float(next(_SLOTS))))
        try:
            if not function.recursive:
                node = self.body(function, args)
                if not function.recursive:  # no call of itself was found inside
                    return node
            slots = tuple(Const(float(next(_SLOTS))) for _ in function.params)
            body = self.body(function, [Call("_PARAMETER", (slot,)) for slot in slots])
            return Call("_RECURSIVE", (Const(self.active[-1].key), Const(float(_frame(function))),
                                       Call("LAMBDA", slots + (self.value(body),))) + values)
        finally:
            self.active.pop()

    def body(self, function: Lambda, args: list[Node]) -> Node:
        """The body of ``function`` parsed with its parameters bound to ``args``."""
        body = _Parser(list(function.body), self.row, self.col, self.sheet, self.names, self.tables)
        body.this_row, body.row_bound = self.this_row, self.row_bound
        body.scope = {**function.scope, **dict(zip(function.params, args))}
        body.active = self.active
        body.calls = self.calls
        node = body.expression()
        if body.peek() is not None:
            raise ParseError(f"unexpected {body.peek().value!r} in a LAMBDA")
        return node

    def array(self) -> Node:
        rows: list[list[Scalar]] = [[]]
        while True:
            token = self.take()
            if token.type == Token.ARRAY and token.subtype == Token.CLOSE:
                break
            if token.type == Token.SEP:
                if token.subtype == Token.ROW:
                    rows.append([])
                continue
            if token.type == Token.OP_PRE and token.value == "-":
                number = self.take()
                if number.subtype != Token.NUMBER:
                    raise ParseError(f"unexpected -{number.value} in an array constant")
                rows[-1].append(-typed_number(number.value))
                continue
            rows[-1].append(_scalar_literal(token))
        if len({len(r) for r in rows}) != 1:
            raise ParseError("array constant rows differ in length")
        return ArrayConst(tuple(tuple(r) for r in rows))

    def reference(self, text: str) -> Node:
        sheet, ref = split_sheet(text)
        if ref.upper() == "#REF!":
            return Const(ExcelError.REF)
        if sheet is not None and ":" in sheet:  # no sheet name holds a colon: S1:S3!A1 is 3-D
            return self.three_d(sheet, ref)
        if "[" in ref:
            return self.structured(text[:len(text) - len(ref)], ref)
        if ref.count(":") > 1:  # A1:B2:C3 is the range that covers them all
            head, _, tail = ref.rpartition(":")
            prefix = text[:len(text) - len(ref)]
            return Binary(":", self.reference(prefix + head), self.reference(prefix + tail))
        first, colon, last = ref.partition(":")
        try:
            a = parse_endpoint(first, first=True) if colon else parse_cell_endpoint(first)
            b = parse_endpoint(last, first=False) if colon else None
        except ValueError:
            if colon:
                raise ParseError(f"unsupported reference {text!r}") from None
            return self.name(ref, sheet)
        if b is None:
            return CellRef(sheet, a.row if a.row_abs else a.row - self.row,
                           a.col if a.col_abs else a.col - self.col, a.row_abs, a.col_abs)
        return AreaRef(sheet,
                       a.row if a.row_abs else a.row - self.row, a.col if a.col_abs else a.col - self.col,
                       b.row if b.row_abs else b.row - self.row, b.col if b.col_abs else b.col - self.col,
                       a.row_abs, a.col_abs, b.row_abs, b.col_abs)

    def three_d(self, sheets: str, ref: str) -> Node:
        """``first:last!ref``: ``ref`` on each worksheet from ``first`` to ``last``."""
        first, _, last = sheets.partition(":")
        node = self.reference(ref)
        if type(node) is not CellRef and type(node) is not AreaRef:
            raise ParseError(f"unsupported 3-D reference {sheets}!{ref}")
        return Ref3D(first, last, node)  # type: ignore[arg-type]

    def name(self, name: str, sheet: str | None) -> Node:
        bound = self.scope.get(_local(name)) if sheet is None else None
        if bound is not None:
            return bound
        resolved = self.defined(name, sheet or self.sheet)
        if resolved is None and self.tables is not None:
            table = self.tables.named(name)  # a table's name alone is its data
            resolved = None if table is None else resolve(table, parse_specifier(""), self.row)
        return resolved if resolved is not None else Const(ExcelError.NAME)

    def defined(self, name: str, sheet: str) -> Node | None:
        """What the defined name stands for here, or None if there is no such name."""
        found = self.names(name, sheet, self.this_row) if self.names else None
        if found is None:
            return None
        self.row_bound[0] = self.row_bound[0] or found.this_row
        return found.node

    def structured(self, prefix: str, ref: str) -> Node:
        """``Table1[[#This Row],[Fare]]``, ``[@Col]``, ``T[A]:T[B]`` (``prefix``: a sheet, ignored:
        table names are the workbook's)."""
        depth = 0
        for i, ch in enumerate(ref):
            depth += (ch == "[") - (ch == "]")
            if ch == ":" and depth == 0:  # a range between two references
                return Binary(":", self.reference(prefix + ref[:i]), self.reference(prefix + ref[i + 1:]))
        name, _, inner = ref.partition("[")
        if not inner.endswith("]"):
            raise ParseError(f"unsupported structured reference {ref!r}")
        table = None
        if self.tables is not None:  # no table name: the table the formula stands in
            table = self.tables.named(name) if name else self.tables.at(self.sheet, self.row, self.col)
        try:
            specifier = parse_specifier(inner[:-1])
            if table is None:
                return Const(ExcelError.REF)
            self.row_bound[0] = self.row_bound[0] or THIS_ROW in specifier.items
            return resolve(table, specifier, self.this_row)
        except ValueError as exc:
            raise ParseError(f"structured reference {ref!r}: {exc}") from None


def parse_formula(text: str, row: int, col: int, *, sheet: str,
                  names: NameResolver | None = None, tables: Tables | None = None) -> Node:
    """Parse ``=...`` anchored at (row, col) on ``sheet``; structured references are resolved
    against ``tables``."""
    return parse(text, row, col, sheet=sheet, names=names, tables=tables).node


def parse(text: str, row: int, col: int, *, sheet: str, names: NameResolver | None = None,
          tables: Tables | None = None, lambdas: bool = False,
          this_row: int | None = None) -> Parsed:
    """Parse ``=...`` (or a name's definition without ``=``) anchored at (row, col) on ``sheet``;
    structured references are resolved against ``tables``, a [#This Row] on ``this_row`` (by
    default the anchor's). With ``lambdas`` (a defined name's definition) a LAMBDA is returned as
    such, for the formulas that call the name."""
    source = protect_escapes(text if text.startswith("=") else "=" + text)
    try:
        tokens = [t for t in _Tokenizer(source).items]
    except TokenizerError as exc:
        raise ParseError(str(exc)) from None
    except IndexError:  # the Tokenizer pops its stack without a check: "=)" or "=}"
        raise ParseError("a closing bracket without an opening one") from None
    while tokens and tokens[-1].type == Token.WSPACE:
        tokens.pop()
    if not tokens:
        raise ParseError("empty formula")
    parser = _Parser(tokens, row, col, sheet, names, tables)
    if this_row is not None:
        parser.this_row = this_row
    node = parser.expression()
    if parser.peek() is not None:
        raise ParseError(f"unexpected {parser.peek().value!r}")
    return Parsed(node if lambdas else parser.value(node), parser.row_bound[0])
