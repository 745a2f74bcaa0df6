"""The dependency graph, built per distinct formula with numpy, against its definition per cell.

The graph works out what the cells sharing one IR node read for all of them at once. What each
cell reads is defined cell by cell by ``static_references``: these tests compute the precedents
and readers from that definition, one cell at a time, and compare.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from cellgrad.calc.blocks import Block
from cellgrad.calc.calculation import Calculation
from cellgrad.calc.graph import LARGE_RANGE, DependencyGraph, static_references
from cellgrad.core.references import Range
from cellgrad.workbook import Workbook

from tests.builder import write_workbook
from .conftest import reference_path

FILLED = {
    **{f"A{r}": float(r) for r in range(1, 21)},
    **{f"B{r}": f"=A{r}*$A$1" for r in range(1, 21)},          # relative and absolute
    **{f"C{r}": f"=SUM($B$1:B{r})" for r in range(1, 21)},     # ranges growing down the fill
    **{f"D{r}": f"=C{r + 1}-C{r}" for r in range(1, 20)},      # reads the row below
    "E1": "=SUM(A:A)",                                         # a whole column: kept as a range
    "E2": "=SUM(B:D)*ROW(D5)+ROWS(OFFSET(E1,0,0,A2))",         # position-only arguments
    "F1:F3": "=A1:A3*2",                                       # an array formula's members
}
WORKBOOKS = {
    "filled columns": {"S": FILLED},
    "array members read from another sheet": {
        "S": FILLED, "T": {"A1": "=SUM(S!F1:F3)+S!F2", "A2": "=S!E1+A1", "B1": "=S!B20"}},
}


def _by_definition(book: Workbook) -> tuple[dict, dict]:
    """Each formula's precedents and each address's readers, from static_references per cell."""
    formulas = [c for s in book.sheets.values() for c in s.cells.values() if c.node is not None]
    precedents: dict = {}
    readers: dict = {}
    for cell in formulas:
        found = set()
        for ref in static_references(cell.node, cell.sheet, cell.row, cell.col):
            if isinstance(ref, Range) and ref.size > LARGE_RANGE:
                found |= {c for c in formulas if ref.contains(c.sheet, c.row, c.col)}
                continue
            addresses = [(ref.sheet, r, c) for r, c in ref.cells()] if isinstance(ref, Range) \
                else [ref]
            for sheet, r, c in addresses:
                readers.setdefault((sheet, r, c), set()).add(cell)
                other = book.sheets[sheet].cells.get((r, c)) if sheet in book.sheets else None
                if other is not None and (other.master or (other if other.node else None)):
                    found.add(other.master or other)
        precedents[cell] = found
    return precedents, readers


@pytest.mark.parametrize("sheets", WORKBOOKS.values(), ids=WORKBOOKS.keys())
def test_precedents_and_readers_are_those_of_each_cell(sheets, tmp_path: Path) -> None:
    book = Workbook.load(write_workbook(tmp_path / "g.xlsx", sheets))
    _check(book)


def test_collab_filter_precedents_and_readers_are_those_of_each_cell() -> None:
    _check(Workbook.load(reference_path("collab_filter.xlsx")))


def _check(book: Workbook) -> None:
    graph = DependencyGraph(book.sheets)
    precedents, readers = _by_definition(book)
    assert {c: set(graph.precedents(c)) for c in precedents} == precedents
    large = {}
    for rng, cell in graph.large:
        large.setdefault(rng.sheet, []).append((rng, cell))
    for (sheet, r, c), expected in readers.items():
        whole = {cell for rng, cell in large.get(sheet, ()) if rng.contains(sheet, r, c)}
        assert set(graph.readers(sheet, r, c)) == expected | whole, (sheet, r, c)
    order = {cell: i for i, cell in enumerate(graph.order)}
    assert order.keys() == precedents.keys()
    assert all(order[p] < order[c] for c, ps in precedents.items() for p in ps)
    # blocks ordered among themselves: each unit after every unit it reads
    units = Calculation(book.sheets).units
    assert any(type(u) is Block for u in units)
    unit_of = {c: i for i, u in enumerate(units) for c in (u.cells if type(u) is Block else [u])}
    assert all(unit_of[p] < unit_of[c] for c, ps in precedents.items() for p in ps)


def test_groups_and_units_come_in_the_cells_order_at_every_load() -> None:
    """Groups are found by sorting the cells' nodes, whose ids are memory addresses: they are put
    back in the order of their first cells, so the units (and the random draws made in their
    order) are the same however the nodes lie in memory."""
    orders = []
    for _ in range(3):
        book = Workbook.load(reference_path("collab_filter.xlsx"))
        graph = book.calc.graph
        firsts = [int(g[0]) for g in graph.groups]
        assert firsts == sorted(firsts)
        orders.append([(u.sheet, u.cells[0].address) if isinstance(u, Block) else (u.sheet, u.address)
                       for u in book.units()])
        del book
    assert orders[0] == orders[1] == orders[2]
