"""The hand-written torch models against the exact engine, tab by tab, and the graddesc
optimizers through 50 epochs of each tab's own macro: every cell within 1e-9.

torch.optim.Adam is not used on adam_ann: it rounds its averages differently from the sheet
(exp_avg.lerp_(g, 1-b1) is m + (1-b1)*(g-m), the sheet's m*b1 + (1-b1)*g; addcmul_ takes
(1-b2)*g*g, the sheet (1-b2)*g^2), and near convergence Adam's step lr*m/sqrt(v) does not shrink
with the gradient, so after 50 annealed epochs last-bit differences of the weights become
relative differences up to ~3e-2 in the gradient columns (differences of nearly equal numbers).
The model there is SheetOrderAdam; a test shows what torch.optim.Adam gives instead.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from cellgrad.cli.check import compare
from cellgrad.core.references import cell_name
from cellgrad.macros import EngineSheet, Training, optimizer_tabs
from cellgrad.ml.torch_models import MODELS, graddesc, predict
from cellgrad.workbook import Workbook

from tests.conftest import REFERENCE_FILES, reference_path, require
from tests.test_torch_backend import ACROSS_ENGINES, handout_path

CPU = torch.device("cpu")
EPOCHS = 50
TABS = {"collab_filter.xlsx": ["dotprod", "movielens_1hot", "movielens_emb", "bias", "word_emb"],
        "graddesc.xlsm": list(graddesc.TABS),
        "entropy_example.xlsx": ["softmax", "entropy", "log_entropy"]}
WEIGHT_COLUMNS = {"C", "D", "E", "H", "I"}  # b, a, prediction, new b, new a (rows 4-32) and C1:C2


def _book(kind: str, name: str) -> Workbook:
    book = Workbook.load(reference_path(name) if kind == "reference" else handout_path(name))
    book.calculate()
    return book


def _differences(book: Workbook, sheet: str, predictions) -> dict[str, float]:
    """Cell address -> largest relative difference between the model and the exact engine."""
    cells = compare(book, sheet, {}, predictions)
    return {cell_name(r, c): d[1] for (_, r, c), d in cells.items()}


CASES = [pytest.param(kind, name, sheet, id=f"{kind}-{sheet}")
         for kind in ("reference", "handout") for name in REFERENCE_FILES for sheet in TABS[name]
         if not (kind == "reference" and sheet.startswith("adagrad"))]  # adagrad: handouts only


@pytest.mark.parametrize("kind, name, sheet", CASES)
def test_model_equals_the_sheet(kind: str, name: str, sheet: str) -> None:
    book = _book(kind, name)
    predictions = predict(book, sheet, CPU)
    differences = _differences(book, sheet, predictions)
    predicted = {cell_name(r, c) for ref, _ in predictions for r, c in book.resolve(ref).cells()}
    assert set(differences) == predicted  # every predicted cell holds a number in the sheet
    worst = max(differences.items(), key=lambda kv: kv[1])
    assert worst[1] <= ACROSS_ENGINES, worst


def _trained(sheet: str) -> tuple[Workbook, dict[str, float]]:
    """The handout's tab after EPOCHS epochs of its somesteps macro, and the model's differences."""
    require(sheet in optimizer_tabs(), f"no macros for {sheet} yet (engine/macros/vba/{sheet}.bas)")
    book = _book("handout", "graddesc.xlsm")
    predictions = predict(book, sheet, CPU, EPOCHS)   # from the starting state
    Training(EngineSheet(book, sheet)).run(EPOCHS)
    book.calculate()
    return book, _differences(book, sheet, predictions)


@pytest.mark.parametrize("sheet", list(graddesc.TABS))
def test_fifty_epochs_of_the_macro_equal_the_torch_optimizer(sheet: str) -> None:
    _, differences = _trained(sheet)
    worst = max(differences.items(), key=lambda kv: kv[1])
    assert worst[1] <= ACROSS_ENGINES, worst


def test_torch_optim_adam_on_adam_ann_agrees_on_weights_and_differs_by_rounding(monkeypatch) -> None:
    """Why adam_ann's model is SheetOrderAdam: torch.optim.Adam rounds its averages in another
    order; after 50 annealed epochs the weights still agree, the gradient columns do not."""
    monkeypatch.setattr(graddesc.TABS["adam_ann"], "rule", graddesc.ADAM)
    _, differences = _trained("adam_ann")
    weights = {a: d for a, d in differences.items()
               if a in ("C1", "C2", "D2") or a.rstrip("0123456789") in WEIGHT_COLUMNS and a[1:].isdigit()
               and 4 <= int(a[1:]) <= 32}
    assert len(weights) == 3 + 5 * 29
    assert max(weights.values()) <= ACROSS_ENGINES
    assert max(differences.values()) > ACROSS_ENGINES  # the named difference is real


def _unseeded_momentum(model, h, carry) -> torch.optim.Optimizer:
    return torch.optim.SGD([model.b, model.a], lr=h["lr"], momentum=h["beta1"], dampening=h["beta1"])


def _rmsprop_own_average(model, h, carry) -> torch.optim.Optimizer:
    opt = torch.optim.RMSprop([model.b, model.a], lr=h["lr"], alpha=h["beta1"], eps=0.0)
    for p, v in zip((model.b, model.a), carry.state["square_avg"]):
        opt.state[p].update(step=torch.tensor(0.0), square_avg=v.clone())
    return opt


def _bias_corrected_adam(model, h, carry) -> torch.optim.Optimizer:
    opt = torch.optim.Adam([model.b, model.a], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=0.0)
    for p, m, v in zip((model.b, model.a), carry.state["exp_avg"], carry.state["exp_avg_sq"]):
        opt.state[p].update(step=torch.tensor(0.0), exp_avg=m.clone(), exp_avg_sq=v.clone())
    return opt


DEVIATIONS = [  # (tab, its rule without one documented adjustment, a column that then differs)
    pytest.param("momentum", replace(graddesc.MOMENTUM, optimizer=_unseeded_momentum), "H",
                 id="momentum-unseeded: torch's first step takes buf = g"),
    pytest.param("rmsprop", replace(graddesc.RMSPROP, optimizer=_rmsprop_own_average,
                                    state_columns={"square_avg": "J"}, before_step=None,
                                    after_step=None), "H",
                 id="rmsprop-alpha-beta: torch divides by the updated average"),
    pytest.param("adam", replace(graddesc.ADAM, optimizer=_bias_corrected_adam), "H",
                 id="adam-step-0: torch divides by 1-beta^t"),
]


@pytest.mark.parametrize("sheet, rule, column", DEVIATIONS)
def test_each_documented_adjustment_is_needed(sheet: str, rule, column: str, monkeypatch) -> None:
    monkeypatch.setattr(graddesc.TABS[sheet], "rule", rule)
    book = _book("reference", "graddesc.xlsm")
    differences = _differences(book, sheet, predict(book, sheet, CPU))
    assert max(d for a, d in differences.items() if a.startswith(column)) > 1e-6


def test_every_collab_and_entropy_tab_has_a_model() -> None:
    assert set(MODELS) == set(TABS["collab_filter.xlsx"]) | set(TABS["entropy_example.xlsx"])


def test_handouts_hold_every_modelled_tab() -> None:
    for name, sheets in TABS.items():
        assert set(sheets) <= set(Workbook.load(handout_path(name)).sheets), name
