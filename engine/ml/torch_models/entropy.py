"""entropy_example's tabs with torch.nn.functional: softmax, binary and categorical cross-entropy.

The sheets take logarithms with Excel's ``LOG``, which is base 10; torch's losses use the natural
logarithm. Every loss here is therefore divided by ln 10 to land in the sheet's units
(log10(p) = ln(p) / ln 10).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ...workbook import Workbook
from .predictions import Predictions

Tensor = torch.Tensor
LN10 = math.log(10.0)


def _column(book: Workbook, ref: str, device: torch.device) -> Tensor:
    return torch.tensor(book.array(ref)[:, 0], dtype=torch.float64, device=device)


def softmax(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """Two images' activations (B, G): exp, softmax, and the binary (sigmoid) view of each class."""
    out: dict[str, Tensor] = {}
    for act, exp_col, soft_col, sig_col in (("B", "C", "D", "K"), ("G", "H", "I", "L")):
        logits = _column(book, f"{sheet}!{act}3:{act}7", device)
        probs = F.softmax(logits, dim=0)
        out[f"{sheet}!{exp_col}3:{exp_col}7"] = torch.exp(logits)[:, None]
        out[f"{sheet}!{exp_col}8"] = torch.exp(logits).sum()
        out[f"{sheet}!{soft_col}3:{soft_col}7"] = probs[:, None]
        out[f"{sheet}!{soft_col}8"] = probs.sum()
        out[f"{sheet}!{sig_col}3:{sig_col}7"] = torch.sigmoid(logits)[:, None]
    return list(out.items())


def entropy(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """Binary cross-entropy of predictions C against labels B, written out (D) and as an IF (E)."""
    labels = _column(book, f"{sheet}!B2:B6", device)
    preds = _column(book, f"{sheet}!C2:C6", device)
    bce = (F.binary_cross_entropy(preds, labels, reduction="none") / LN10)[:, None]
    return [(f"{sheet}!D2:D6", bce), (f"{sheet}!E2:E6", bce)]


def log_entropy(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """Cross-entropy as an index lookup: the log-probability at the true class (isCat, isDog)."""
    is_cat = _column(book, f"{sheet}!B2:B6", device)
    p_cat = _column(book, f"{sheet}!D2:D6", device)
    log_probs = torch.log(torch.stack([p_cat, 1 - p_cat], dim=1))   # classes: cat, dog
    target = (is_cat == 0).long()                                   # the index of the true class
    nll = F.nll_loss(log_probs, target, reduction="none") / LN10
    # the same loss from logits: log-probabilities are logits whose softmax is the probabilities
    cross_entropy = F.cross_entropy(log_probs, target, reduction="none") / LN10
    labels = torch.stack([is_cat, 1 - is_cat], dim=1)
    return [(f"{sheet}!C2:C6", (1 - is_cat)[:, None]),
            (f"{sheet}!E2:F6", log_probs / LN10),
            (f"{sheet}!G2:G6", (F.binary_cross_entropy(p_cat, is_cat, reduction="none") / LN10)[:, None]),
            (f"{sheet}!G2:G6", -(labels * log_probs).sum(dim=1, keepdim=True) / LN10),
            (f"{sheet}!H2:H6", (target + 1).to(torch.float64)[:, None]),
            (f"{sheet}!I2:I6", -nll[:, None]),
            (f"{sheet}!I2:I6", -cross_entropy[:, None])]
