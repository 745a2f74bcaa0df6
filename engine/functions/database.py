"""Database functions: DSUM, DAVERAGE, DCOUNT(A), DMAX, DMIN, DGET, DPRODUCT, DSTDEV(P), DVAR(P).

Each takes a database (a range whose first row labels its columns and whose other rows are
records), a field (a column label or a 1-based column number) and a criteria range: its first
row holds labels, each following row a set of conditions AND'ed, the rows OR'ed ("DSUM
function", "Filter by using advanced criteria"). A condition is matched by COUNTIF's criterion
(conditional.py); the aggregate is the statistics function of the same name.
"""
from __future__ import annotations

from typing import Callable

from ..core.values import Array, ErrorResult, ExcelError, Scalar, number_from_text
from .conditional import Predicate, criterion
from .math import product, sum_
from .statistics import average, count, counta, max_, min_, stdev_p, stdev_s, var_p, var_s
from .registry import Arg, excel_function

FAMILY = "Database"  # the heading of `cellgrad functions` and the README's coverage table


def _label(v: Scalar) -> Scalar:
    """Labels match regardless of case, as the criteria do."""
    return v.casefold() if type(v) is str else v


def _column(header: list[Scalar], field: Scalar) -> int:
    """The field's column: a label (no case), or a position from 1; #VALUE! where none is."""
    if type(field) is float:
        at = int(field)
        if 1 <= at <= len(header):
            return at - 1
    elif type(field) is str:
        labels = [_label(v) for v in header]
        if _label(field) in labels:
            return labels.index(_label(field))
    elif type(field) is ExcelError:
        raise ErrorResult(field)  # type: ignore[arg-type]
    raise ErrorResult(ExcelError.VALUE)


def _condition(spec: Scalar) -> Predicate | None:
    """A criteria cell's test, or None for an empty cell (any value passes). Text without an
    operator finds the values that begin with it ("Filter by using advanced criteria": "Dav"
    finds Davolio and David; ="=Dav" only Dav)."""
    if spec is None or spec == "":
        return None
    if type(spec) is str and spec[0] not in "<>=" and number_from_text(spec) is None \
            and spec.upper() not in ("TRUE", "FALSE"):
        spec += "*"
    return criterion(spec)


def _selected(database: Array, field: Scalar, criteria: Array) -> list[Scalar]:
    """The field's values in the records that meet the criteria, in order."""
    header = database.rows[0]
    column = _column(header, field)
    if criteria.height < 2:  # a label and at least one cell below it ("DSUM function")
        raise ErrorResult(ExcelError.VALUE)
    labels = [_label(v) for v in header]
    where: list[tuple[int, int]] = []  # (criteria column, database column) of each label
    for j, label in enumerate(criteria.rows[0]):
        if label is None or label == "":
            continue
        if _label(label) not in labels:
            # a computed criterion (a formula under a label that is no column's) is evaluated
            # on the records' cells, which a value cannot do
            raise ErrorResult(ExcelError.VALUE)
        where.append((j, labels.index(_label(label))))
    alternatives = [[(at, test) for j, at in where if (test := _condition(row[j])) is not None]
                    for row in criteria.rows[1:]]
    return [record[column] for record in database.rows[1:]
            if any(all(test(record[at]) for at, test in tests) for tests in alternatives)]


def _database_function(name: str, aggregate: Callable[[Array], Scalar]) -> None:
    """Registers ``name`` as ``aggregate`` over the selected values, as a column of cells (so
    text, logicals and empty cells are what they are in a reference to the aggregate)."""
    def impl(database: Array, field: Scalar, criteria: Array) -> Scalar:
        return aggregate(Array([[v] for v in _selected(database, field, criteria)]))
    impl.__name__ = name.lower()
    excel_function(name, Arg.GRID, Arg.SCALAR, Arg.GRID, elementwise=False)(impl)


for _name, _aggregate in (("DSUM", sum_), ("DAVERAGE", average), ("DCOUNT", count),
                          ("DCOUNTA", counta), ("DMAX", max_), ("DMIN", min_),
                          ("DPRODUCT", product), ("DSTDEV", stdev_s), ("DSTDEVP", stdev_p),
                          ("DVAR", var_s), ("DVARP", var_p)):
    _database_function(_name, _aggregate)


@excel_function("DGET", Arg.GRID, Arg.SCALAR, Arg.GRID, elementwise=False)
def dget(database: Array, field: Scalar, criteria: Array) -> Scalar:
    """"DGET function": the one matching record's value; #VALUE! when none matches, #NUM! when
    more than one does."""
    found = _selected(database, field, criteria)
    if len(found) != 1:
        raise ErrorResult(ExcelError.VALUE if not found else ExcelError.NUM)
    return 0.0 if found[0] is None else found[0]
