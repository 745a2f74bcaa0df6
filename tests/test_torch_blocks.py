"""The block evaluator, written once, run by numpy (exact engine) and by torch, against the
interpreter cell by cell: what numpy computes equals the interpreter, what it cannot vouch for it
leaves to the interpreter (Fallback), and torch computes the same numbers."""
from __future__ import annotations

import pytest
from cellgrad.calc.blocks import BlockEvaluator, Fallback
from cellgrad.cli.check import largest_difference
from cellgrad.core.errors import FormulaError
from cellgrad.ml.torch_backend import TorchWorkbook

from tests.builder import calculated

ROWS = 20  # more than MIN_BLOCK: one formula filled down column G is one block
EXCEL_ORDER = 1e-12  # numpy adds in Excel's order: it must agree with the interpreter to 1e-12
ACROSS_ENGINES = 1e-9


def _data() -> dict[str, object]:
    cells: dict[str, object] = {}
    for r in range(1, ROWS + 1):
        if r % 5:
            cells[f"A{r}"] = float(r)          # blank every fifth row
        cells[f"B{r}"] = r * 0.5 + 1
        cells[f"C{r}"] = float(r % 3)
        if r % 4:
            cells[f"D{r}"] = r * 1.25           # blank every fourth row
    for r in range(1, 6):
        cells[f"E{r}"] = float(r)
    return cells


SAME, ERROR, CONSTANT = "same numbers", "FormulaError", "exact engine's values"
FORMULAS = [  # (formula at row {r}, numpy computes it as a block, what torch does with B1:C20 as inputs)
    ("=SUMXMY2(A{r}:B{r},C{r}:D{r})", True, SAME),     # pairs with a blank cell are skipped
    ("=COUNT(A{r}:D{r})", True, SAME),
    ("=AVERAGE(A{r}:D{r})", True, SAME),
    ("=SUMPRODUCT(A{r}:B{r},C{r}:D{r})", True, SAME),
    ("=SUM(A{r}:D{r})+SUMSQ(B{r}:C{r})", True, SAME),
    ('=IF(A{r}="",0,MMULT(B{r}:C{r},$E$1:$E$2))', True, SAME),
    ("=MATCH(B{r},$E$1:$E$5)", True, SAME),
    ("=OFFSET($E$1,C{r},0)*2", True, SAME),
    ("=LOG(B{r})+SQRT(B{r})-EXP(-C{r})", True, SAME),
    ("=A{r}>B{r}", True, ERROR),                       # logical results have no tensor
    ("=B{r}/A{r}", False, ERROR),                      # #DIV/0! on the blank rows
    ("=A{r}^C{r}", False, ERROR),                      # 0^0 is #NUM!
    ("=MMULT(A{r}:B{r},$E$1:$E$2)", False, ERROR),     # a blank cell in MMULT is #VALUE!
    ('=A{r}&"x"', False, CONSTANT),                    # text, and no input reaches it
]


@pytest.mark.parametrize("formula, handled, in_torch", FORMULAS)
def test_numpy_block_equals_the_interpreter_and_torch_equals_both(formula: str, handled: bool,
                                                                  in_torch: str) -> None:
    book = calculated({"S": {**_data(), **{f"G{r}": formula.format(r=r) for r in range(1, ROWS + 1)}}})
    block = book.calc.block_of[book.cell("S", 1, 7)]
    cells = block.cells
    assert {c.row for c in cells} == set(range(1, ROWS + 1))
    interpreted = [book.calc.interpreter.cell_result(c.node, "S", c.row, c.col, None) for c in cells]
    try:
        numpy_values = BlockEvaluator(book.calc).evaluate(block).tolist()
    except Fallback:
        numpy_values = None
    assert (numpy_values is not None) == handled
    if numpy_values is not None:
        for got, expected in zip(numpy_values, interpreted, strict=True):
            assert type(got) is type(expected)
            if type(expected) is float:
                assert largest_difference([got, expected])[1] <= EXCEL_ORDER
            else:
                assert got == expected
    tw = TorchWorkbook(book, ["S!B1:C20"], device="cpu")
    if in_torch == ERROR:
        with pytest.raises(FormulaError, match="G"):
            tw.evaluate()
        return
    computed = tw.evaluate().computed_cells()
    for cell, expected in zip(cells, interpreted):
        address = ("S", cell.row, cell.col)
        assert (address in computed) == (in_torch == SAME)
        if in_torch == SAME:
            assert largest_difference([computed[address], expected])[1] <= ACROSS_ENGINES


@pytest.mark.parametrize("target, formula, in_torch", [
    ("D1:E2", "=MMULT(A1:B2,A1:B2)", SAME),
    ("D1:D2", "=MMULT(A1:B2,A1:A2)", SAME),
    ("D1:F3", "=MMULT(A1:B2,A1:B2)", CONSTANT),   # padded with #N/A by Excel
    ("D1:E1", "=A1:B1", SAME),                    # a reference of the target's shape
    ("D1:F1", "=A1:B1", CONSTANT),                # padded with #N/A by Excel
])
def test_array_formulas(target: str, formula: str, in_torch: str) -> None:
    book = calculated({"S": {"A1": 1.0, "B1": 2.0, "A2": 3.0, "B2": 4.0, target: formula}})
    tw = TorchWorkbook(book, [], device="cpu")
    computed = tw.evaluate().computed_cells()
    rng = book.resolve(f"S!{target}")
    for r, c in rng.cells():
        exact = book.calc.value("S", r, c)
        assert (("S", r, c) in computed) == (in_torch == SAME)
        if in_torch == SAME:
            assert largest_difference([computed[("S", r, c)], exact])[1] <= ACROSS_ENGINES
