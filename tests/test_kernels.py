"""The function library is the one source of every backend.

A function states its scalar rule once (``excel_function``) and optionally an array kernel and an
unrolled form; the block evaluator (numpy), the torch backend and the compiled plans find them in
the registry. Here: no backend names a function, a function registered with a kernel is used by
every backend without touching them, and for every registered kernel the backends agree with
the interpreter on a table of inputs.
"""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
import torch
from cellgrad.calc import blocks, compiled
from cellgrad.cli.check import largest_difference
from cellgrad.core.references import parse_cell
from cellgrad.functions import REGISTRY, Arg, excel_function
from cellgrad.functions.array_kernels import ArrayContext
from cellgrad.ml import torch_backend
from cellgrad.ml.torch_backend import TorchWorkbook

from tests.builder import calculated
from tests.test_torch_blocks import _data as block_inputs

EXCEL_ORDER = 1e-12     # numpy adds in Excel's order: equal to the interpreter to 1e-12
ACROSS_ENGINES = 1e-9   # torch adds in its own order
ROWS = 20               # more than MIN_BLOCK: one formula filled down a column is one block
CHAIN = 4               # fewer than MIN_BLOCK: cells, which the compiled plans compute


def _string_constants(path: Path) -> set[str]:
    """Every string literal in a module except docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings}


@pytest.mark.parametrize("module", [blocks, compiled, torch_backend], ids=lambda m: m.__name__)
def test_no_backend_names_a_function(module) -> None:
    named = _string_constants(Path(module.__file__)) & set(REGISTRY)
    assert not named, f"{module.__name__} names functions {sorted(named)}: they belong in the registry"


def _cube_kernel(ctx: ArrayContext, x):
    _cube_kernel.backends.append(type(x).__module__.split(".")[0])
    return x * x * x


_cube_kernel.backends = []  # type: ignore[attr-defined]


@pytest.fixture
def cube():
    """A function the backends have never heard of, with a scalar rule and an array kernel."""
    _cube_kernel.backends.clear()  # type: ignore[attr-defined]
    excel_function("CUBE", Arg.NUMBER, kernel=_cube_kernel)(lambda x: x * x * x)
    try:
        yield _cube_kernel.backends  # type: ignore[attr-defined]
    finally:
        del REGISTRY["CUBE"]


def test_a_new_function_with_a_kernel_is_used_by_every_backend(cube) -> None:
    data = {f"A{r}": r * 0.25 for r in range(1, ROWS + 1)}
    block_formulas = {f"B{r}": f"=CUBE(A{r})" for r in range(1, ROWS + 1)}
    chain = {"D1": "=CUBE(A1)"} | {f"D{r}": f"=CUBE(D{r - 1})+A{r}" for r in range(2, CHAIN + 1)}
    book = calculated({"S": {**data, **block_formulas, **chain}})
    assert "numpy" in cube  # the block evaluator called the kernel
    assert type(book.calc.block_of.get(book.cell("S", 1, 2))).__name__ == "Block"
    for r in range(1, ROWS + 1):
        assert book[f"S!B{r}"] == (r * 0.25) ** 3
    # the compiled plan calls the scalar rule: a recalculation leaves nothing to the interpreter
    before = book.calc.evaluations
    book.calculate()
    assert book.calc.evaluations - before == ROWS  # the block's cells; the chain ran compiled
    expected = 0.25 ** 3
    for r in range(2, CHAIN + 1):
        expected = expected ** 3 + r * 0.25
        assert book[f"S!D{r}"] == expected
    tw = TorchWorkbook(book, ["S!A1:A20"], device="cpu")
    values = tw.evaluate()
    assert "torch" in cube
    values["S!B1:B20"].sum().backward()
    a = torch.tensor([r * 0.25 for r in range(1, ROWS + 1)], dtype=torch.float64)
    assert torch.allclose(tw.inputs[0].grad.reshape(-1), 3 * a * a, rtol=ACROSS_ENGINES, atol=0)


FRUITS = ["apple", "banana", "cherry", "date", "fig"]


def _data() -> dict[str, object]:
    """test_torch_blocks' inputs (blanks in columns A and D), with words to look up."""
    cells = block_inputs()
    for r in range(1, ROWS + 1):
        cells[f"K{r}"] = FRUITS[r % 5]
    for r in range(1, 6):
        cells[f"F{r}"] = FRUITS[r - 1]
    cells |= {"L1": 2.0, "L2": 0.0, "L3": 1.0}  # unsorted: MATCH's binary search still answers
    return cells


# Every registered kernel, with a formula at row {r} that uses it (inputs above), as a block of
# ROWS cells and as CHAIN single cells.
KERNEL_TABLE = {
    "ABS": "=ABS(C{r}-B{r})",
    "SQRT": "=SQRT(B{r})",
    "EXP": "=EXP(-C{r})",
    "LN": "=LN(B{r})",
    "LOG10": "=LOG10(B{r}*3)",
    "TANH": "=TANH(C{r}-B{r}/4)",
    "SINH": "=SINH(C{r}-B{r}/4)",
    "COSH": "=COSH(C{r}-B{r}/4)",
    "LOG": "=LOG(B{r})+LOG(B{r}*7,B{r})",
    "SUM": "=SUM(A{r}:D{r})",
    "SUMSQ": "=SUMSQ(B{r}:C{r})",
    "SUMXMY2": "=SUMXMY2(A{r}:B{r},C{r}:D{r})",
    "SUMPRODUCT": "=SUMPRODUCT(A{r}:B{r},C{r}:D{r})",
    "MMULT": "=MMULT(B{r}:C{r},$E$1:$E$2)",
    "COUNT": "=COUNT(A{r}:D{r})",
    "AVERAGE": "=AVERAGE(A{r}:D{r})",
    "IF": '=IF(A{r}="",0,IF(C{r}>1,B{r},D{r}))',
    "MATCH": "=MATCH(B{r},$E$1:$E$5)+MATCH(K{r},$F$1:$F$5,0)+10*MATCH(C{r},$L$1:$L$3)",
    "OFFSET": "=OFFSET($E$1,C{r},0)*2",
}


def test_the_table_covers_every_kernel() -> None:
    assert set(KERNEL_TABLE) == {name for name, spec in REGISTRY.items() if spec.kernel is not None}


@pytest.mark.parametrize("name", sorted(KERNEL_TABLE))
def test_every_backend_agrees_with_the_interpreter(name: str) -> None:
    formula = KERNEL_TABLE[name]
    sheet = {**_data(), **{f"G{r}": formula.format(r=r) for r in range(1, ROWS + 1)},
             **{f"H{r}": formula.format(r=r) for r in range(1, CHAIN + 1)}}
    book = calculated({"S": sheet})
    calc = book.calc
    interpreted = {(c.row, c.col): calc.interpreter.cell_result(c.node, "S", c.row, c.col, None)
                   for c in book.formula_cells()}
    # numpy: the block of column G (MATCH of text and OFFSET included: the positions are values)
    block = calc.block_of[book.cell("S", 1, 7)]
    numpy_values = calc.block_evaluator.evaluate(block).tolist()
    for cell, got in zip(block.cells, numpy_values, strict=True):
        expected = interpreted[(cell.row, cell.col)]
        assert type(got) is type(expected) is float
        assert largest_difference([got, expected])[1] <= EXCEL_ORDER, (cell.address, got, expected)
    # compiled: column H's cells, computed by the full plan (the scalar rule, or the interpreter)
    book.calculate()
    for r in range(1, CHAIN + 1):
        got, expected = book[f"S!H{r}"], interpreted[(r, 8)]
        assert type(got) is type(expected) and largest_difference([got, expected])[1] <= EXCEL_ORDER
    # torch: the block through TorchOps, the same kernel on tensors
    computed = TorchWorkbook(book, [], device="cpu").evaluate().computed_cells()
    for cell in block.cells:
        got = computed[("S", cell.row, cell.col)]
        assert largest_difference([got, interpreted[(cell.row, cell.col)]])[1] <= ACROSS_ENGINES


def test_a_logical_branch_stays_a_logical() -> None:
    """IF's branches are its result as they are: TRUE is not 1 (the block leaves it to the rule)."""
    book = calculated({"S": {**_data(), **{f"G{r}": f"=IF(B{r}>4,TRUE,FALSE)" for r in range(1, ROWS + 1)}}})
    assert [book[f"S!G{r}"] for r in range(1, ROWS + 1)] == [r * 0.5 + 1 > 4 for r in range(1, ROWS + 1)]
    assert all(type(book[f"S!G{r}"]) is bool for r in range(1, ROWS + 1))


def test_numpy_and_torch_ops_offer_the_same_names() -> None:
    """Kernels call ``ctx.ops.xp.<name>``: each backend's namespace has the functions they use."""
    used = {"abs", "sqrt", "exp", "log", "log10", "tanh", "sinh", "cosh"}
    for xp in (blocks.NumpyOps.xp, torch_backend.TorchOps.xp):
        assert all(callable(getattr(xp, name)) for name in used)
    assert blocks.NumpyOps.xp is np


def test_numpy_sums_in_excels_order() -> None:
    """numpy's own sum adds pairwise; the backend accumulates left to right as the scalar rule
    does, so the two agree to the last bit where the order shows."""
    rng = np.random.default_rng(0)
    written = (rng.standard_normal(300) * 10.0 ** rng.integers(-6, 6, 300)).tolist()
    sheet = {f"A{r}": v for r, v in enumerate(written, start=1)}
    book = calculated({"S": {**sheet, "B1": "=SUM(A1:A300)", "B2": "=SUMPRODUCT(A1:A300,A1:A300)"}})
    values = [book.cell("S", r, 1).value for r in range(1, 301)]  # as the file holds them
    total = squares = 0.0
    for v in values:
        total += v
        squares += v * v
    assert total != float(np.sum(values))  # a case where the order of the additions shows
    for address, expected in (("B1", total), ("B2", squares)):
        cell = book.cell("S", *parse_cell(address))
        alone = blocks.Block("S", cell.node, [cell])  # a formula this wide is computed so
        assert book.calc.block_evaluator.evaluate(alone).tolist() == [expected]
        assert book[f"S!{address}"] == expected
