"""The torch backend against the exact engine: the same values, and gradients that are the
sheets' own analytic gradients.

Every formula cell of every tab is compared at 1e-9 relative (float64, across engines). The cells
the backend does not compute itself are named below with the reason, and the test fails if
another cell is left out or a named one is computed after all.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cellgrad.cli.check import largest_difference
from cellgrad.core.errors import DeviceError, FormulaError, WorkbookError
from cellgrad.ml.torch_backend import TorchWorkbook, pick_device
from cellgrad.ml.torch_models import INPUTS, collab, inputs
from cellgrad.workbook import Workbook

from tests.builder import calculated
from tests.conftest import REFERENCE_FILES, ROOT, reference_path, require

ACROSS_ENGINES = 1e-9
EPS = float(np.finfo(np.float64).eps)
STEP = 0.01  # graddesc basic's finite-difference step

# (sheet, column) -> why the exact engine's value is used as a constant there
FROM_EXACT_ENGINE = {
    ("data", "B"): "RANDBETWEEN: a random draw, not a function of any cell",
}


def handout_path(name: str) -> Path:
    path = ROOT / "workbooks" / name
    require(path.is_file(), f"handout {path} is missing (cellgrad build)")
    return path


WORKBOOKS = [pytest.param(("reference", name), id=f"reference-{name}") for name in REFERENCE_FILES] \
    + [pytest.param(("handout", name), id=f"handout-{name}") for name in REFERENCE_FILES]


@pytest.fixture(params=WORKBOOKS)
def workbook_path(request) -> Path:
    kind, name = request.param
    return reference_path(name) if kind == "reference" else handout_path(name)


def torch_workbook(path: Path) -> TorchWorkbook:
    book = Workbook.load(path)
    refs = [ref for sheet in book.sheets if sheet in INPUTS for ref in inputs(book, sheet)]
    return TorchWorkbook(book, list(dict.fromkeys(refs)), device="cpu")


def test_every_formula_cell_equals_the_exact_engine(workbook_path: Path) -> None:
    tw = torch_workbook(workbook_path)
    computed = tw.evaluate().computed_cells()
    left_out, wrong = set(), []
    for cell in tw.book.formula_cells():
        address = (cell.sheet, cell.row, cell.col)
        column = cell.address.rstrip("0123456789")
        if address not in computed:
            left_out.add((cell.sheet, column))
            continue
        exact = tw.book.calc.value(*address)
        assert type(exact) is float, f"{cell.sheet}!{cell.address}: torch gave a number, Excel {exact!r}"
        if largest_difference([exact, computed[address]])[1] > ACROSS_ENGINES:
            wrong.append((cell.sheet, cell.address, exact, computed[address]))
    assert not wrong, wrong[:5]
    named = {key for key in FROM_EXACT_ENGINE if key[0] in tw.book.sheets}
    assert left_out == named


LOSSES = [  # (loss cell, the tab whose weights the hand-written model reads)
    ("dotprod!V41", "dotprod"),                     # MMULT of a row and a column
    ("movielens_1hot!BH210", "dotprod"),            # one-hot MMULT array formulas
    ("movielens_emb!Y210", "dotprod"),              # OFFSET/MATCH lookups
    ("bias!V42", "bias"),
]


@pytest.mark.parametrize("loss, sheet", LOSSES)
@pytest.mark.parametrize("kind", ["reference", "handout"])
def test_gradient_of_the_sheet_equals_the_embedding_model(loss: str, sheet: str, kind: str) -> None:
    """Autograd through the sheet's formulas = autograd through EmbeddingDotBias's RMSE, with
    respect to the loss tab's inputs (the handout's movielens tabs read all of dotprod's weights
    by formula, the reference's read a pasted copy of its movie factors)."""
    path = reference_path("collab_filter.xlsx") if kind == "reference" else handout_path("collab_filter.xlsx")
    book = Workbook.load(path)
    tw = TorchWorkbook(book, inputs(book, loss.split("!")[0]), device="cpu")
    sheet_grads = torch.autograd.grad(tw.evaluate()[loss], tw.inputs)
    for got, expected in zip(sheet_grads, _model_gradients(tw.book, sheet)):
        expected = expected if expected.shape == got.shape else expected.T  # movies by column
        assert float(abs(got - expected).max()) <= ACROSS_ENGINES * float(expected.abs().max())


def _model_gradients(book: Workbook, sheet: str) -> list[torch.Tensor]:
    """Gradients of the hand-written model's RMSE with respect to its weights, in the sheet's
    layout: (users with their bias column on bias, movies with their bias row on bias)."""
    ratings = book.array(f"{sheet}!H2:V16")
    biased = sheet == "bias"
    top, first = (20, 26) if biased else (19, 25)
    users = torch.tensor(book.array(f"{sheet}!B{first}:F{first + 14}"), requires_grad=True)
    movies = torch.tensor(book.array(f"{sheet}!H{top}:V{top + 4}"), requires_grad=True)
    u_bias = torch.tensor(book.array(f"{sheet}!A{first}:A{first + 14}")[:, 0], requires_grad=True)
    i_bias = torch.tensor(book.array(f"{sheet}!H19:V19")[0], requires_grad=True)
    model = collab.EmbeddingDotBias(users, movies.T, u_bias if biased else None, i_bias if biased else None)
    rated = torch.tensor(~np.isnan(ratings))
    u, i = torch.nonzero(rated, as_tuple=True)
    loss = collab.rmse(model(u, i), torch.tensor(ratings)[u, i])
    weights = [model.u_weight.weight, model.i_weight.weight]
    if biased:
        weights += [model.u_bias.weight, model.i_bias.weight]
    grads = torch.autograd.grad(loss, weights)
    if not biased:
        return [grads[0], grads[1].T]
    return [torch.cat([grads[2], grads[0]], dim=1), torch.cat([grads[3].T, grads[1].T], dim=0)]


GRADIENT_COLUMNS = {"basic": ("K", "L"), **{tab: ("F", "G") for tab in (
    "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann")}}


@pytest.mark.parametrize("kind, sheet", [(kind, sheet) for kind in ("reference", "handout")
                                         for sheet in GRADIENT_COLUMNS
                                         if kind == "handout" or not sheet.startswith("adagrad")])
def test_gradient_columns_are_autograd_through_the_sheet(kind: str, sheet: str) -> None:
    """de/db and de/da (basic: K = 2*(E-B), L = K*A; the others: F = 2*(D*A+C-B), G = F*A) equal
    d (E-B)^2 / d b and d (E-B)^2 / d a of each row, by autograd through the row's own formulas
    (E = C+D*A, with C and D that row's b and a)."""
    path = reference_path("graddesc.xlsm") if kind == "reference" else handout_path("graddesc.xlsm")
    book = Workbook.load(path)
    tw = TorchWorkbook(book, [f"{sheet}!C1:C2"], device="cpu")
    values = tw.evaluate()
    for row in range(4, 33):
        error = (values[f"{sheet}!E{row}"] - book[f"{sheet}!B{row}"]) ** 2
        for analytic, weight in zip(GRADIENT_COLUMNS[sheet], ("C", "D")):
            autograd = values.partial(error, f"{sheet}!{weight}{row}").item()
            assert largest_difference([book[f"{sheet}!{analytic}{row}"], autograd])[1] <= ACROSS_ENGINES, \
                (row, analytic)


@pytest.mark.parametrize("kind", ["reference", "handout"])
def test_finite_differences_differ_from_autograd_by_their_step(kind: str) -> None:
    """est de/db (H) and est de/da (J) are forward differences with step h = 0.01 of a loss that
    is quadratic in b and in a: (f(b+h) - f(b))/h - f'(b) = h exactly, and for a, h*x^2. The
    test checks that difference within the rounding of G - F (an analytic bound), not within
    a tolerance wide enough to hide it."""
    path = reference_path("graddesc.xlsm") if kind == "reference" else handout_path("graddesc.xlsm")
    tw = TorchWorkbook(Workbook.load(path), ["basic!C1:C2"], device="cpu")
    values = tw.evaluate()
    book = tw.book
    for row in range(4, 33):
        x, y, b, a = (book[f"basic!{c}{row}"] for c in "ABCD")
        residual = b + a * x - y
        scale = abs(b) + abs(a * x) + abs(y) + STEP * (1 + abs(x))   # what each residual sums
        for estimate, shifted, weight, expected in (("H", "G", "C", STEP), ("J", "I", "D", STEP * x * x)):
            autograd = values.partial(f"basic!F{row}", f"basic!{weight}{row}").item()
            f, g = book[f"basic!F{row}"], book[f"basic!{shifted}{row}"]
            bound = 4 * EPS * ((abs(residual) + STEP * (1 + abs(x))) * scale + max(f, g)) / STEP \
                + 4 * EPS * abs(autograd)
            assert abs((book[f"basic!{estimate}{row}"] - autograd) - expected) <= bound, (row, estimate)


def test_a_unit_it_cannot_compute_that_depends_on_an_input_is_an_error() -> None:
    book = calculated({"S": {"A1": 1.5, "B1": "=ROUND(A1,0)", "C1": "=B1*2"}})
    tw = TorchWorkbook(book, ["S!A1"], device="cpu")
    with pytest.raises(FormulaError, match="B1"):
        tw.evaluate()


def test_the_same_unit_is_a_constant_when_no_input_reaches_it() -> None:
    book = calculated({"S": {"A1": 1.5, "B1": "=ROUND(A1,0)", "C1": "=B1*D1", "D1": 3.0}})
    tw = TorchWorkbook(book, ["S!D1"], device="cpu")
    values = tw.evaluate()
    assert values["S!C1"].item() == 6.0
    assert values.partial("S!C1", "S!D1").item() == 2.0


@pytest.mark.parametrize("inputs, message", [
    (["S!B1"], "not a constant number"),    # a formula
    (["S!E1"], "not a constant number"),    # text
    (["S!Z9"], "not a constant number"),    # an empty cell
])
def test_inputs_must_be_constant_numbers(inputs: list[str], message: str) -> None:
    book = calculated({"S": {"A1": 1.5, "B1": "=A1*2", "E1": "text"}})
    with pytest.raises(WorkbookError, match=message):
        TorchWorkbook(book, inputs, device="cpu")


def test_device_is_cuda_when_available_else_cpu() -> None:
    assert pick_device().type == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize("name", ["tpu", "cuda:x", "mps"])
def test_unknown_devices_are_a_device_error(name: str) -> None:
    with pytest.raises(DeviceError):
        pick_device(name)


def test_cuda_without_cuda_is_a_device_error() -> None:
    require(not torch.cuda.is_available(), "this machine has CUDA")
    with pytest.raises(DeviceError, match="CUDA is not available"):
        pick_device("cuda")


def test_outputs_limit_the_work_to_what_they_need() -> None:
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    whole = TorchWorkbook(book, INPUTS["dotprod"], device="cpu")
    lean = TorchWorkbook(book, INPUTS["dotprod"], device="cpu", outputs=["dotprod!V41"])
    assert len(lean.needed) == 2  # the 225 predictions (one block) and the RMSE
    assert lean.evaluate()["dotprod!V41"].item() == whole.evaluate()["dotprod!V41"].item()
    with pytest.raises(WorkbookError, match="not among the outputs"):
        lean.evaluate()["bias!V42"]


def test_an_optimizer_step_through_the_sheet_lowers_its_objective() -> None:
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    tw = TorchWorkbook(book, INPUTS["dotprod"], device="cpu", outputs=["dotprod!V41"])
    before = tw.evaluate()["dotprod!V41"]
    before.backward()
    with torch.no_grad():
        for t in tw.inputs:
            t -= 0.01 * t.grad
    tw.write_inputs()
    assert book["dotprod!V41"] < before.item()
    assert book["dotprod!V41"] == pytest.approx(tw.evaluate()["dotprod!V41"].item(), rel=ACROSS_ENGINES)
