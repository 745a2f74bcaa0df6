"""The intermediate representation of a formula, shared by every backend.

References are stored in R1C1 form: a relative row or column is an offset from the cell that holds
the formula (the *anchor*), an absolute one is a plain index. So the 3,090 one-hot cells of
movielens_1hot, ``=IF($K3=O$2,1,0)`` filled over a block, are one and the same node, and a
backend can evaluate such a block at once. Defined names are resolved by the parser: a node never
holds a name.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator, Sequence

from .references import Range, column_letters, quote_sheet
from .values import ExcelError, Scalar, format_number


class Node:
    """Base of all IR nodes (frozen dataclasses: hashable, compared by structure)."""

    __slots__ = ()

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True, slots=True, eq=False)
class Const(Node):
    value: Scalar

    # 1.0 == True in Python, but not in Excel: the type is part of a constant's identity.
    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Const) and type(other.value) is type(self.value)
                and other.value == self.value)

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@dataclass(frozen=True, slots=True, eq=False)
class ArrayConst(Node):
    rows: tuple[tuple[Scalar, ...], ...]

    def _key(self) -> tuple:
        return tuple(tuple((type(v), v) for v in row) for row in self.rows)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArrayConst) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True, slots=True)
class Missing(Node):
    """An omitted function argument, as in ``ROUND(A1,)``."""


@dataclass(frozen=True, slots=True)
class CellRef(Node):
    sheet: str | None  # None: the anchor's own sheet
    row: int
    col: int
    row_abs: bool
    col_abs: bool

    def at(self, row: int, col: int) -> tuple[int, int]:
        return (self.row if self.row_abs else row + self.row,
                self.col if self.col_abs else col + self.col)


@dataclass(frozen=True, slots=True)
class AreaRef(Node):
    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    r1_abs: bool
    c1_abs: bool
    r2_abs: bool
    c2_abs: bool

    def at(self, sheet: str, row: int, col: int) -> Range:
        r1 = self.r1 if self.r1_abs else row + self.r1
        c1 = self.c1 if self.c1_abs else col + self.c1
        r2 = self.r2 if self.r2_abs else row + self.r2
        c2 = self.c2 if self.c2_abs else col + self.c2
        return Range(self.sheet or sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


@dataclass(frozen=True, slots=True)
class Ref3D(Node):
    """A 3-D reference, ``S1:S3!A1:B2``: ``ref`` (written without a sheet) on every worksheet
    from ``first`` to ``last`` in tab order. Its sheets are known only with the workbook's tab
    order, so it has no children: a walk does not take ``ref`` for a reference on the formula's
    own sheet."""

    first: str
    last: str
    ref: CellRef | AreaRef

    def sheets(self, order: Sequence[str]) -> list[str]:
        """The sheets of ``order`` (worksheet names in tab order) it spans, either way round;
        none if ``first`` or ``last`` is not a worksheet (then it is #REF!)."""
        folded = [name.casefold() for name in order]
        try:
            a, b = folded.index(self.first.casefold()), folded.index(self.last.casefold())
        except ValueError:
            return []
        return list(order[min(a, b):max(a, b) + 1])

    def on(self, sheet: str) -> CellRef | AreaRef:
        """The reference on one of its sheets."""
        return replace(self.ref, sheet=sheet)


@dataclass(frozen=True, slots=True)
class Union(Node):
    """The union operator, ``(A1,B1:B3)``: one reference made of the parts' areas."""

    parts: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str  # "-", "+", "%"
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str  # "+ - * / ^ & = <> < > <= >=", and the reference operators ":" and " "
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str  # upper case, without _xlfn./_xlws. prefixes
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


# --- back to A1 text (for messages and for comparing formulas) -------------------------------
def _ref_text(row: int, col: int, row_abs: bool, col_abs: bool, at: tuple[int, int]) -> str:
    r = row if row_abs else at[0] + row
    c = col if col_abs else at[1] + col
    return f"{'$' if col_abs else ''}{column_letters(c)}{'$' if row_abs else ''}{r}"


def _sheet_prefix(sheet: str | None) -> str:
    return f"{quote_sheet(sheet)}!" if sheet else ""


_PRECEDENCE = {":": 9, " ": 9, ",": 8, "%": 6, "^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2,
               "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1}


def to_a1(node: Node, row: int, col: int) -> str:
    """The formula text of ``node`` anchored at (row, col), without the leading ``=``."""
    at = (row, col)

    def text(n: Node, parent: int = 0) -> str:
        if isinstance(n, Const):
            v = n.value
            if isinstance(v, str):
                return '"' + v.replace('"', '""') + '"'
            if isinstance(v, bool):
                return "TRUE" if v else "FALSE"
            if isinstance(v, ExcelError):
                return v.value
            return format_number(v) if v is not None else ""
        if isinstance(n, Missing):
            return ""
        if isinstance(n, ArrayConst):
            return "{" + ";".join(",".join(text(Const(v)) for v in r) for r in n.rows) + "}"
        if isinstance(n, CellRef):
            return _sheet_prefix(n.sheet) + _ref_text(n.row, n.col, n.row_abs, n.col_abs, at)
        if isinstance(n, AreaRef):
            return (_sheet_prefix(n.sheet) + _ref_text(n.r1, n.c1, n.r1_abs, n.c1_abs, at) + ":"
                    + _ref_text(n.r2, n.c2, n.r2_abs, n.c2_abs, at))
        if isinstance(n, Ref3D):
            sheets = f"{n.first}:{n.last}"
            if quote_sheet(n.first) != n.first or quote_sheet(n.last) != n.last:
                sheets = "'" + sheets.replace("'", "''") + "'"
            return sheets + "!" + text(n.ref)
        if isinstance(n, Union):
            return "(" + ",".join(text(p, _PRECEDENCE[","] + 1) for p in n.parts) + ")"
        if isinstance(n, Unary):
            if n.op == "%":
                return text(n.operand, 6) + "%"
            return n.op + text(n.operand, 7)
        if isinstance(n, Binary):
            p = _PRECEDENCE[n.op]
            s = text(n.left, p) + n.op + text(n.right, p + 1)
            return f"({s})" if p < parent else s
        if isinstance(n, Call):
            return n.name + "(" + ",".join(text(a) for a in n.args) + ")"
        raise TypeError(n)

    return text(node)
