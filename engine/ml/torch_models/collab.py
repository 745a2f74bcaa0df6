"""collab_filter's tabs as a PyTorch user writes them: fastai's EmbeddingDotBias and an RMSE.

The sheet shows one model three ways, and so does this module: the matrix product of user and
movie factors (dotprod's ``MMULT``: ``users @ movies``), a one-hot row times the weight matrix
(movielens_1hot: ``F.one_hot(idx) @ weight``) and an embedding lookup (movielens_emb and word_emb:
``nn.Embedding``). Indices are found the way a PyTorch user finds them, with a dictionary from id
to position, not with the sheet's MATCH. The weights are read from the workbook; the objective is
the RMSE over the ratings that exist (the sheets' ``SQRT(SUMXMY2(...)/COUNT(...))`` and
``SQRT(AVERAGE(...))``).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ...workbook import Workbook
from .predictions import Predictions

Tensor = torch.Tensor


class EmbeddingDotBias(nn.Module):
    """fastai's EmbeddingDotBias: a dot product of user and item embeddings, plus biases."""

    def __init__(self, users: Tensor, items: Tensor, user_bias: Tensor | None = None,
                 item_bias: Tensor | None = None) -> None:
        super().__init__()
        self.u_weight = nn.Embedding.from_pretrained(users, freeze=False)
        self.i_weight = nn.Embedding.from_pretrained(items, freeze=False)
        self.biased = user_bias is not None
        if user_bias is not None and item_bias is not None:
            self.u_bias = nn.Embedding.from_pretrained(user_bias[:, None], freeze=False)
            self.i_bias = nn.Embedding.from_pretrained(item_bias[:, None], freeze=False)

    def dot(self, users: Tensor, items: Tensor) -> Tensor:
        return (self.u_weight(users) * self.i_weight(items)).sum(dim=1)

    def bias(self, users: Tensor, items: Tensor) -> Tensor:
        if not self.biased:
            return torch.zeros(len(users), dtype=torch.float64, device=users.device)
        return self.u_bias(users)[:, 0] + self.i_bias(items)[:, 0]

    def forward(self, users: Tensor, items: Tensor) -> Tensor:
        return self.dot(users, items) + self.bias(users, items)


def rmse(predictions: Tensor, targets: Tensor) -> Tensor:
    return torch.sqrt(F.mse_loss(predictions, targets))


def _tensor(book: Workbook, ref: str, device: torch.device) -> Tensor:
    return torch.tensor(book.array(ref), dtype=torch.float64, device=device)


def crosstab(book: Workbook, sheet: str, device: torch.device, biased: bool) -> Predictions:
    """dotprod and bias: ratings H2:V16, user factors, movie factors (rows), biases; the
    predictions of every user for every movie (0, plus the biases on bias, where no rating
    exists, as the sheet's IF shows) and the RMSE over the ratings."""
    ratings = book.array(f"{sheet}!H2:V16")
    top = 20 if biased else 19       # bias has a movie-bias row (19) above the factors
    first = top + 6                  # the first user row
    users = _tensor(book, f"{sheet}!B{first}:F{first + 14}", device)
    movies = _tensor(book, f"{sheet}!H{top}:V{top + 4}", device)
    model = EmbeddingDotBias(users, movies.T.contiguous(),
                             _tensor(book, f"{sheet}!A{first}:A{first + 14}", device)[:, 0] if biased else None,
                             _tensor(book, f"{sheet}!H19:V19", device)[0] if biased else None)
    rated = torch.tensor(~np.isnan(ratings), device=device)
    u, i = torch.nonzero(torch.ones_like(rated), as_tuple=True)   # every (user, movie)
    biases = model.bias(u, i).reshape(rated.shape)
    dots = {"the sheet's MMULT": users @ movies,
            "one-hot @ weight": ((F.one_hot(u, len(users)).to(torch.float64) @ users)
                                 * (F.one_hot(i, len(movies.T)).to(torch.float64) @ movies.T)).sum(dim=1),
            "nn.Embedding": model.dot(u, i)}
    grid = f"{sheet}!H{first}:V{first + 14}"
    ru, ri = torch.nonzero(rated, as_tuple=True)
    targets = torch.tensor(ratings, device=device)[ru, ri]
    loss = f"{sheet}!{'V42' if biased else 'V41'}"
    return [(grid, torch.where(rated, d.reshape(rated.shape), 0.0) + biases) for d in dots.values()] \
        + [(loss, rmse(model(ru, ri), targets))]


def _index(ids: np.ndarray, keys: np.ndarray) -> Tensor:
    """Positions of ``keys`` among ``ids``, as a PyTorch user categorifies (a dictionary)."""
    position = {v: k for k, v in enumerate(ids.tolist())}
    return torch.tensor([position[k] for k in keys.tolist()])


def _ratings_table(book: Workbook, sheet: str, rating_col: str,
                   device: torch.device) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """The rating rows (user index, movie index, rating) and the two weight matrices."""
    user_ids = book.array(f"{sheet}!B4:B18")[:, 0]
    movie_ids = book.array(f"{sheet}!B22:B36")[:, 0]
    data = book.array(f"{sheet}!I3:J208")
    u = _index(user_ids, data[:, 0]).to(device)
    i = _index(movie_ids, data[:, 1]).to(device)
    targets = _tensor(book, f"{sheet}!{rating_col}3:{rating_col}208", device)[:, 0]
    return u, i, targets, _tensor(book, f"{sheet}!C4:G18", device), _tensor(book, f"{sheet}!C22:G36", device)


def one_hot(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """movielens_1hot: each rating's user and movie as one-hot rows, times the weight matrices."""
    u, i, targets, users, movies = _ratings_table(book, sheet, "M", device)
    u_hot = F.one_hot(u, len(users)).to(torch.float64)
    i_hot = F.one_hot(i, len(movies)).to(torch.float64)
    u_act, i_act = u_hot @ users, i_hot @ movies
    preds = (u_act * i_act).sum(dim=1)
    return [(f"{sheet}!K3:L208", torch.stack([u, i], dim=1).to(torch.float64) + 1),
            (f"{sheet}!O3:AC208", u_hot), (f"{sheet}!AE3:AI208", u_act),
            (f"{sheet}!AK3:AY208", i_hot), (f"{sheet}!BA3:BE208", i_act),
            (f"{sheet}!BG3:BG208", preds[:, None]), (f"{sheet}!BH3:BH208", ((preds - targets) ** 2)[:, None]),
            (f"{sheet}!BH210", rmse(preds, targets))]


def embedding(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """movielens_emb: the same model with nn.Embedding lookups."""
    u, i, targets, users, movies = _ratings_table(book, sheet, "K", device)
    model = EmbeddingDotBias(users, movies)
    preds = model(u, i)
    return [(f"{sheet}!L3:L208", (u.to(torch.float64) + 1)[:, None]),
            (f"{sheet}!R3:R208", (i.to(torch.float64) + 1)[:, None]),
            (f"{sheet}!M3:Q208", model.u_weight(u)), (f"{sheet}!S3:W208", model.i_weight(i)),
            (f"{sheet}!X3:X208", preds[:, None]), (f"{sheet}!Y3:Y208", ((targets - preds) ** 2)[:, None]),
            (f"{sheet}!Y210", rmse(preds, targets))]


def word_embedding(book: Workbook, sheet: str, device: torch.device) -> Predictions:
    """word_emb: each word of a text looked up in an embedding matrix."""
    # MATCH compares text without regard to case
    vocab = [str(v).lower() for row in book.values(f"{sheet}!B4:B17") for v in row]
    words = [str(v).lower() for row in book.values(f"{sheet}!I3:I50") for v in row]
    idx = torch.tensor([vocab.index(w) for w in words], device=device)
    table = nn.Embedding.from_pretrained(_tensor(book, f"{sheet}!C4:G17", device))
    return [(f"{sheet}!J3:J50", (idx.to(torch.float64) + 1)[:, None]), (f"{sheet}!K3:O50", table(idx))]
