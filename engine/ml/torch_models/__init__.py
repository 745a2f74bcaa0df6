"""Independent torch models of the lesson's tabs, written the way a PyTorch user writes them.

They share nothing with the formula engine but the numbers they read from the workbook (weights,
data, hyperparameters, what an optimizer tab carries between epochs): whatever they compute is
computed again, with nn.Embedding, F.softmax, F.cross_entropy, torch.optim..., and compared
with the sheet by ``cellgrad check``.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import torch

from ...core.references import Range
from ...workbook import Workbook
from . import collab, entropy, graddesc
from .predictions import Predictions

TabModel = Callable[[Workbook, str, torch.device], Predictions]

MODELS: dict[str, TabModel] = {
    "dotprod": partial(collab.crosstab, biased=False),
    "bias": partial(collab.crosstab, biased=True),
    "movielens_1hot": collab.one_hot,
    "movielens_emb": collab.embedding,
    "word_emb": collab.word_embedding,
    "softmax": entropy.softmax,
    "entropy": entropy.entropy,
    "log_entropy": entropy.log_entropy,
}

# What the torch backend differentiates with respect to, per tab: what a user would train.
INPUTS: dict[str, tuple[str, ...]] = {
    "dotprod": ("dotprod!B25:F39", "dotprod!H19:V23"),
    "bias": ("bias!A26:F40", "bias!H19:V24"),
    # all their factors are formulas reading dotprod's (users =dotprod!B25..., movies transposed)
    "movielens_1hot": ("dotprod!B25:F39", "dotprod!H19:V23"),
    "movielens_emb": ("dotprod!B25:F39", "dotprod!H19:V23"),
    "word_emb": ("word_emb!C4:G17",),
    "softmax": ("softmax!B3:B7", "softmax!G3:G7"),
    "entropy": ("entropy!C2:C6",),
    "log_entropy": ("log_entropy!D2:D6",),
    **{tab: (f"{tab}!C1:C2",) for tab in graddesc.TABS},        # b and a where training starts
}

# Where fast.ai's reference workbook pastes a copy of an input instead of reading it by formula:
# its movielens tabs hold dotprod's movie factors as numbers, so their formulas read the copy.
PASTED_COPIES: dict[tuple[str, str], str] = {
    (tab, "dotprod!H19:V23"): f"{tab}!C22:G36" for tab in ("movielens_1hot", "movielens_emb")}


def inputs(book: Workbook, sheet: str) -> tuple[str, ...]:
    """INPUTS[sheet] as ``book`` lays them out: where the book holds a pasted copy of an input
    (numbers, not formulas), the copy, which is what the tab's formulas depend on."""
    out = []
    for ref in INPUTS[sheet]:
        copy = PASTED_COPIES.get((sheet, ref))
        out.append(copy if copy is not None and _holds_numbers(book, copy) else ref)
    return tuple(out)


def _holds_numbers(book: Workbook, ref: str) -> bool:
    area = Range.parse(ref)
    return all(cell is not None and cell.node is None and cell.master is None and type(cell.value) is float
               for cell in (book.cell(area.sheet, r, c) for r, c in area.cells()))


def has_model(sheet: str) -> bool:
    return sheet in MODELS or sheet in graddesc.TABS


def predict(book: Workbook, sheet: str, device: torch.device, epochs: int = 0) -> Predictions:
    """The model's values for a tab; an optimizer tab is first trained ``epochs`` epochs from the
    state the workbook holds."""
    if sheet in graddesc.TABS:
        return graddesc.predict(book, sheet, device, epochs)
    if epochs:
        raise ValueError(f"{sheet} has no epochs to train")
    return MODELS[sheet](book, sheet, device)


__all__ = ["MODELS", "INPUTS", "Predictions", "has_model", "inputs", "predict"]
