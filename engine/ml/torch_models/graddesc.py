"""graddesc's optimizer tabs as a PyTorch user writes them: online SGD of y = a*x + b.

Each tab trains ``y = a*x + b`` on its 29 rows (x in A4:A32, y in B4:B32) with batch size one:
per row, the loss ``(a*x + b - y)^2``, its gradient by autograd, and one ``torch.optim`` step.
One epoch is one pass over the rows; the tab's ``onestep`` macro starts the next epoch. What the
sheet carries from one epoch to the next (row 33: momentum, averages, sums) seeds the optimizer's
state, and ``torch.optim`` is configured to compute exactly what the sheet's formulas compute:

=========== ===================================================== ===================================
tab         torch.optim                                           why it is the sheet's rule
=========== ===================================================== ===================================
basic       SGD(lr=F1)                                            w - lr*g, as M/N
momentum    SGD(lr=D2, momentum=J1, dampening=J1)                 buf = J1*buf + (1-J1)*g (torch
            state momentum_buffer = J3:K3                         weighs g by 1-dampening); seeding
                                                                  the buffer replaces torch's first
                                                                  step (buf = g) by the sheet's
adagrad     Adagrad(lr=D2, eps=0), state sum = J3:K3              G += g^2; w -= lr*g/sqrt(G)
rmsprop     RMSprop(lr=D2, alpha=1, eps=0), its square_avg set    the sheet divides by the *previous*
            to the sheet's average before each step; the average  row's average (SQRT(J3) in row 4),
            J1*v + (1-J1)*g^2 kept beside it                      torch by the updated one; alpha=1
                                                                  freezes torch's own average
adam        Adam(lr=D2, betas=(J1, L1), eps=0),                   no bias correction in the sheet:
            state exp_avg = J3:K3, exp_avg_sq = L3:M3,            with step >= 10^6, beta^step
            step = 10^6                                           underflows to 0 and torch's
                                                                  correction 1 - beta^step is 1
=========== ===================================================== ===================================

The ``_ann`` tabs add the ``somesteps`` annealing: after each epoch, lr is divided by 4 when the
gradient size (adam_ann: sqrt of the carried averages, N33; adagrad_ann: F33 + G33) exceeds twice
the best so far (N3), and the best is kept. Deviations from a plain training loop, all the
sheet's own:

* the macro copies row 32's *inputs* (``lastslope`` is D32) to the top, so each epoch applies 28
  updates: row 32's update is computed and dropped, while its momentum/average/sum is carried;
* after lr changes, ``somesteps`` recalculates the sheet, so the epoch is recomputed from its
  starting state with the new lr (hence each epoch is a pure function of state and lr here).

And one of floating point, which decides adam_ann's optimizer: torch.optim.Adam rounds its
averages differently from the sheet (``exp_avg.lerp_``: m + (1-b1)*(g-m) for m*b1 + (1-b1)*g;
``addcmul_``: (1-b2)*g*g for (1-b2)*g^2). The mathematics is the same, but near convergence
Adam's step lr*m/sqrt(v) does not shrink with the gradient: after 50 epochs of adam_ann from its
reset state the last-bit differences reach ~3e-2 relative in the gradient columns (differences
of nearly equal numbers), while the weights agree to 1e-9. So torch.optim.Adam is an exact
mapping for adam but not for adam_ann, which uses :class:`SheetOrderAdam`, a torch Optimizer
whose update is written in the sheet's order; tests/test_torch_models.py shows both results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from ...workbook import Workbook
from .predictions import Predictions

FIRST, LAST = 4, 32        # the data rows
STATE_ROW = 33             # what an epoch carries to the next
NO_BIAS_CORRECTION_STEP = 10.0 ** 6
Tensor = torch.Tensor


class Line(nn.Module):
    """y = a*x + b, written in the sheet's order (C4 + D4*A4)."""

    def __init__(self, b: Tensor, a: Tensor) -> None:
        super().__init__()
        self.b = nn.Parameter(b.clone())
        self.a = nn.Parameter(a.clone())

    def forward(self, x: Tensor) -> Tensor:
        return self.b + self.a * x


@dataclass
class Carry:
    """What one epoch hands to the next: b, a and the optimizer state, per parameter (b, a)."""

    b: Tensor
    a: Tensor
    state: dict[str, tuple[Tensor, Tensor]] = field(default_factory=dict)


@dataclass
class Rule:
    """One tab's optimizer: how to build it and its state columns."""

    optimizer: Callable[[Line, dict[str, float], Carry], torch.optim.Optimizer]
    state_columns: dict[str, str]                    # state name -> the column of b (a is next)
    # around each step: what torch.optim cannot be configured to do
    before_step: Callable[[torch.optim.Optimizer, Line, dict[str, float]], None] | None = None
    after_step: Callable[[torch.optim.Optimizer, Line, dict[str, float]], None] | None = None


def _seed(optimizer: torch.optim.Optimizer, model: Line, name: str, values: tuple[Tensor, Tensor]) -> None:
    for p, v in zip((model.b, model.a), values):
        optimizer.state[p][name] = v.clone()


def _sgd(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    return torch.optim.SGD([model.b, model.a], lr=h["lr"])


def _momentum(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    opt = torch.optim.SGD([model.b, model.a], lr=h["lr"], momentum=h["beta1"], dampening=h["beta1"])
    _seed(opt, model, "momentum_buffer", carry.state["momentum_buffer"])
    return opt


def _adagrad(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    opt = torch.optim.Adagrad([model.b, model.a], lr=h["lr"], eps=0.0)
    _seed(opt, model, "sum", carry.state["sum"])
    return opt


def _rmsprop(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    opt = torch.optim.RMSprop([model.b, model.a], lr=h["lr"], alpha=1.0, eps=0.0)
    for p, v in zip((model.b, model.a), carry.state["average"]):
        opt.state[p].update(step=torch.tensor(0.0), average=v.clone())
    return opt


def _rmsprop_divide_by_previous(opt: torch.optim.Optimizer, model: Line, h: dict[str, float]) -> None:
    for p in (model.b, model.a):
        opt.state[p]["square_avg"] = opt.state[p]["average"].clone()


def _rmsprop_average(opt: torch.optim.Optimizer, model: Line, h: dict[str, float]) -> None:
    for p in (model.b, model.a):
        # J4 = J3*$J$1 + $K$1*F4^2
        opt.state[p]["average"] = opt.state[p]["average"] * h["beta1"] + (1 - h["beta1"]) * p.grad ** 2


def _adam(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    opt = torch.optim.Adam([model.b, model.a], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=0.0)
    for p, m, v in zip((model.b, model.a), carry.state["exp_avg"], carry.state["exp_avg_sq"]):
        opt.state[p].update(step=torch.tensor(NO_BIAS_CORRECTION_STEP), exp_avg=m.clone(),
                            exp_avg_sq=v.clone())
    return opt


class SheetOrderAdam(torch.optim.Optimizer):
    """Adam as the sheet writes it, without bias correction and eps:
    J4 = J3*$J$1+$K$1*F4, L4 = L3*$L$1+$M$1*F4^2, H4 = C4-J4*$D$2/SQRT(L4)."""

    def __init__(self, params, lr: float, betas: tuple[float, float]) -> None:
        super().__init__(params, {"lr": lr, "betas": betas})

    @torch.no_grad()
    def step(self) -> None:  # type: ignore[override]
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                state = self.state[p]
                state["exp_avg"] = state["exp_avg"] * beta1 + (1 - beta1) * p.grad
                state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * p.grad ** 2
                p.copy_(p - state["exp_avg"] * group["lr"] / torch.sqrt(state["exp_avg_sq"]))


def _sheet_order_adam(model: Line, h: dict[str, float], carry: Carry) -> torch.optim.Optimizer:
    opt = SheetOrderAdam([model.b, model.a], h["lr"], (h["beta1"], h["beta2"]))
    for p, m, v in zip((model.b, model.a), carry.state["exp_avg"], carry.state["exp_avg_sq"]):
        opt.state[p].update(exp_avg=m.clone(), exp_avg_sq=v.clone())
    return opt


SGD = Rule(_sgd, {})
MOMENTUM = Rule(_momentum, {"momentum_buffer": "J"})
ADAGRAD = Rule(_adagrad, {"sum": "J"})
RMSPROP = Rule(_rmsprop, {"average": "J"}, _rmsprop_divide_by_previous, _rmsprop_average)
ADAM = Rule(_adam, {"exp_avg": "J", "exp_avg_sq": "L"})
SHEET_ORDER_ADAM = Rule(_sheet_order_adam, {"exp_avg": "J", "exp_avg_sq": "L"})

# per tab: the rule, the cells of lr and betas, the columns of the per-row quantities
BASIC_COLUMNS = {"b": "C", "a": "D", "pred": "E", "err2": "F", "grad_b": "K", "grad_a": "L",
                 "new_a": "M", "new_b": "N"}
COLUMNS = {"b": "C", "a": "D", "pred": "E", "grad_b": "F", "grad_a": "G", "new_b": "H", "new_a": "I"}


@dataclass
class Tab:
    rule: Rule
    cells: dict[str, str]          # hyperparameter -> cell
    columns: dict[str, str]
    annealed: Callable[[dict[str, Tensor], Carry], Tensor] | None = None  # gradient size (N33)


def _root_averages(rows: dict[str, Tensor], carry: Carry) -> Tensor:
    """adam_ann's N33 = SQRT(L33) + SQRT(M33): the carried squared-gradient averages."""
    v_b, v_a = carry.state["exp_avg_sq"]
    return torch.sqrt(v_b) + torch.sqrt(v_a)


def _gradient_sizes(rows: dict[str, Tensor], carry: Carry) -> Tensor:
    """adagrad_ann's N33 = F33 + G33: each gradient column's root sum of squares over the rows."""
    n = len(rows["grad_b"])
    return torch.linalg.vector_norm(rows["grad_b"]) / n + torch.linalg.vector_norm(rows["grad_a"]) / n


LR_BETAS = {"lr": "D2", "beta1": "J1", "beta2": "L1"}
TABS: dict[str, Tab] = {
    "basic": Tab(SGD, {"lr": "F1"}, BASIC_COLUMNS),
    "momentum": Tab(MOMENTUM, {"lr": "D2", "beta1": "J1"}, {**COLUMNS, "err2": "L"}),
    "adagrad": Tab(ADAGRAD, {"lr": "D2"}, {**COLUMNS, "err2": "L"}),
    "rmsprop": Tab(RMSPROP, {"lr": "D2", "beta1": "J1"}, COLUMNS),
    "adam": Tab(ADAM, LR_BETAS, COLUMNS),
    "adam_ann": Tab(SHEET_ORDER_ADAM, LR_BETAS, COLUMNS, _root_averages),
    "adagrad_ann": Tab(ADAGRAD, {"lr": "D2"}, {**COLUMNS, "err2": "L"}, _gradient_sizes),
}


def epoch(tab: Tab, xs: Tensor, ys: Tensor, carry: Carry, h: dict[str, float]) -> tuple[dict[str, Tensor], Carry]:
    """One pass over the rows from ``carry``: every row's quantities, and what is carried on."""
    model = Line(carry.b, carry.a)
    opt = tab.rule.optimizer(model, h, carry)
    rows: dict[str, list[Tensor]] = {}
    for i, (x, y) in enumerate(zip(xs, ys)):
        before = (model.b.detach().clone(), model.a.detach().clone())
        opt.zero_grad()
        pred = model(x)
        loss = (pred - y) ** 2
        loss.backward()
        if tab.rule.before_step is not None:
            tab.rule.before_step(opt, model, h)
        opt.step()
        if tab.rule.after_step is not None:
            tab.rule.after_step(opt, model, h)
        quantities = {"b": before[0], "a": before[1], "pred": pred.detach(), "err2": loss.detach(),
                      "grad_b": model.b.grad.clone(), "grad_a": model.a.grad.clone(),  # type: ignore[union-attr]
                      "new_b": model.b.detach().clone(), "new_a": model.a.detach().clone()}
        for name in tab.rule.state_columns:
            for p, label in ((model.b, "b"), (model.a, "a")):
                quantities[f"{name}_{label}"] = opt.state[p][name].clone()
        for k, v in quantities.items():
            rows.setdefault(k, []).append(v)
        if i == len(xs) - 1:
            # the macro carries row 32's inputs (lastslope = D32): its update is dropped
            with torch.no_grad():
                model.b.copy_(before[0])
                model.a.copy_(before[1])
    stacked = {k: torch.stack(v) for k, v in rows.items()}
    state = {name: (stacked[f"{name}_b"][-1], stacked[f"{name}_a"][-1]) for name in tab.rule.state_columns}
    return stacked, Carry(model.b.detach().clone(), model.a.detach().clone(), state)


def train(tab: Tab, xs: Tensor, ys: Tensor, carry: Carry, h: dict[str, float], best: float | None,
          epochs: int, on_epoch: Callable[[dict[str, Tensor]], None] | None = None,
          ) -> tuple[dict[str, Tensor], Carry, dict[str, float], float | None]:
    """``epochs`` runs of the ``onestep`` of ``somesteps`` (with its annealing on the _ann tabs),
    then the rows the sheet shows: the epoch computed from the final state. ``on_epoch`` sees
    the rows the sheet shows before training and after each epoch."""
    rows, end = epoch(tab, xs, ys, carry, h)
    if on_epoch is not None:
        on_epoch(rows)
    for _ in range(epochs):
        carry = end
        rows, end = epoch(tab, xs, ys, carry, h)
        if tab.annealed is not None:
            size = float(tab.annealed(rows, carry))
            if size / best > 2:  # type: ignore[operator]
                h = {**h, "lr": h["lr"] / 4}
                rows, end = epoch(tab, xs, ys, carry, h)
            if size < best:  # type: ignore[operator]
                best = size
        if on_epoch is not None:
            on_epoch(rows)
    return rows, carry, h, best


def predict(book: Workbook, sheet: str, device: torch.device, epochs: int = 0) -> Predictions:
    """The cells of an optimizer tab after ``epochs`` epochs from its current state."""
    tab, xs, ys, carry, h, best = _start(book, sheet, device)
    rows, carry, h, best = train(tab, xs, ys, carry, h, best, epochs)
    return list(_cells(sheet, tab, rows, carry, h, best).items())


def loss_history(book: Workbook, sheet: str, device: torch.device, epochs: int) -> list[float]:
    """The tab's loss, the root of the summed squared errors as its rmse cell, before training
    and after each of ``epochs`` epochs trained in torch from the tab's current state."""
    tab, xs, ys, carry, h, best = _start(book, sheet, device)
    losses: list[float] = []
    train(tab, xs, ys, carry, h, best, epochs,
          lambda rows: losses.append(float(torch.sqrt(rows["err2"].sum()))))
    return losses


def _start(book: Workbook, sheet: str, device: torch.device
           ) -> tuple[Tab, Tensor, Tensor, Carry, dict[str, float], float | None]:
    """The tab's model, data, state, hyperparameters and best gradient size, read from ``book``."""
    tab = TABS[sheet]

    def value(ref: str) -> Tensor:
        return torch.tensor(book.array(ref, sheet)[0, 0], dtype=torch.float64, device=device)

    xs = torch.tensor(book.array(f"A{FIRST}:A{LAST}", sheet)[:, 0], dtype=torch.float64, device=device)
    ys = torch.tensor(book.array(f"B{FIRST}:B{LAST}", sheet)[:, 0], dtype=torch.float64, device=device)
    h = {name: float(value(cell)) for name, cell in tab.cells.items()}
    state = {}
    for name, col in tab.rule.state_columns.items():
        a_col = chr(ord(col) + 1)
        state[name] = (value(f"{col}{STATE_ROW}"), value(f"{a_col}{STATE_ROW}"))
    carry = Carry(value("C1"), value("C2"), state)
    best = float(value("N3")) if tab.annealed is not None else None
    return tab, xs, ys, carry, h, best


def _cells(sheet: str, tab: Tab, rows: dict[str, Tensor], carry: Carry, h: dict[str, float],
           best: float | None) -> dict[str, Tensor]:
    """The model's numbers at the sheet's addresses."""
    out = {f"{sheet}!{col}{FIRST}:{col}{LAST}": rows[name][:, None] for name, col in tab.columns.items()}
    out[f"{sheet}!C1"], out[f"{sheet}!C2"] = carry.b, carry.a
    for name, col in tab.rule.state_columns.items():
        a_col = chr(ord(col) + 1)
        out[f"{sheet}!{col}{FIRST}:{a_col}{LAST}"] = torch.stack(
            [rows[f"{name}_b"], rows[f"{name}_a"]], dim=1)
        out[f"{sheet}!{col}3:{a_col}3"] = torch.stack(carry.state[name])[None]  # =J33 ...
    out[f"{sheet}!{tab.cells['lr']}"] = torch.tensor(h["lr"], dtype=torch.float64)
    for beta, col in (("beta1", "K1"), ("beta2", "M1")):
        if beta in h:
            out[f"{sheet}!{col}"] = torch.tensor(1 - h[beta], dtype=torch.float64)
    if "err2" in tab.columns:
        col = tab.columns["err2"]
        out[f"{sheet}!{col}{STATE_ROW}"] = torch.sqrt(rows["err2"].sum())
    if tab.rule is SGD:  # basic's K33, L33: the size of each gradient column
        out[f"{sheet}!K{STATE_ROW}"] = torch.linalg.vector_norm(rows["grad_b"])
        out[f"{sheet}!L{STATE_ROW}"] = torch.linalg.vector_norm(rows["grad_a"])
    if tab.annealed is not None:
        n = len(rows["grad_b"])
        out[f"{sheet}!F{STATE_ROW}"] = torch.linalg.vector_norm(rows["grad_b"]) / n
        out[f"{sheet}!G{STATE_ROW}"] = torch.linalg.vector_norm(rows["grad_a"]) / n
        size = tab.annealed(rows, carry)
        out[f"{sheet}!N{STATE_ROW}"] = size
        out[f"{sheet}!N3"] = torch.tensor(best, dtype=torch.float64)
        out[f"{sheet}!N34"] = size / best
    return out
