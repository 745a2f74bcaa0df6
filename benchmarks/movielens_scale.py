"""The lecture's model at MovieLens-100k scale, trained by the Solver's torch search, beside the
same model written as plain nn.Embedding PyTorch, in the same run.

    python -m benchmarks.movielens_scale [--epochs N] [--device cpu|cuda] [--json]

Each trainer runs three times, interleaved with the others, and its median run is reported.

The problem is synthetic, the size of MovieLens 100k: 943 users, 1,682 movies, 100,000 distinct
(user, movie) ratings from 1 to 5, drawn from a planted 40-factor model plus noise (seeded). The
model is the lecture's ``collab_learner(n_factors=40, y_range=[0, 5.5])``: a dot product of
user and movie factors plus a user and a movie bias, through ``sigmoid * 5.5``.

Ours is computed the way the bias tab computes it and trained by :func:`cellgrad.ml.solver.search.search`
(the path ``cellgrad solve --method adam`` takes): the whole 943 x 1,682 crosstab of predictions as
one matrix product (the tab's ``MMULT``), plus the bias row and column, and
``SQRT(SUMXMY2(ratings, predictions)/COUNT(ratings))`` over the ratings that exist. The peer is
fastai's EmbeddingDotBias as a PyTorch user writes it (``nn.Embedding`` lookups of the 100,000
rated pairs only) with a plain ``torch.optim.Adam`` loop. Both start from the same weights
(normal, std 0.01, as fastai initializes embeddings: the sheets' =RAND() would saturate the
sigmoid at 40 factors), take full-batch steps (one step = one epoch, as Solver evaluates every
rating each time) with the same learning rate, in float64; so they must end at the same RMSE,
which is checked. Not measured here: the workbook compiled by the torch backend at this size (see
README: 1.6 million formula cells).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from cellgrad.ml.solver.search import ADAM_LR, Settings, search
from cellgrad.ml.torch_backend import pick_device
from cellgrad.ml.torch_models.collab import EmbeddingDotBias, rmse

USERS, MOVIES, RATINGS, FACTORS = 943, 1682, 100_000, 40
Y_RANGE = (0.0, 5.5)
INIT_STD = 0.01
WARM_UP = 2
AGREEMENT = 1e-9
ROUNDS = 3


@dataclass(frozen=True)
class Ratings:
    users: torch.Tensor    # (n,) user positions
    movies: torch.Tensor   # (n,) movie positions
    values: torch.Tensor   # (n,) ratings
    shape: tuple[int, int]


def synthetic(users: int, movies: int, ratings: int, factors: int, seed: int, device: torch.device) -> Ratings:
    """Distinct (user, movie) pairs rated 1..5 by a planted low-rank taste plus noise."""
    rng = np.random.default_rng(seed)
    pairs = rng.choice(users * movies, size=ratings, replace=False)
    u, m = np.divmod(pairs, movies)
    taste = rng.normal(size=(users, factors)) @ rng.normal(size=(factors, movies)) / np.sqrt(factors)
    raw = 3.5 + taste[u, m] + rng.normal(0.0, 0.5, size=ratings)
    values = np.clip(np.rint(raw), 1, 5)
    as_tensor = lambda a, dtype: torch.tensor(a, dtype=dtype, device=device)  # noqa: E731
    return Ratings(as_tensor(u, torch.long), as_tensor(m, torch.long), as_tensor(values, torch.float64),
                   (users, movies))


def start_weights(shape: tuple[int, int], factors: int, seed: int, device: torch.device) -> list[torch.Tensor]:
    """As the bias tab lays them out: movies (1 + factors, n_movies) with the bias in row 0, users
    (n_users, 1 + factors) with the bias in column 0."""
    generator = torch.Generator().manual_seed(seed)
    draw = lambda *size: (torch.randn(*size, generator=generator, dtype=torch.float64) * INIT_STD).to(device)  # noqa: E731
    return [draw(1 + factors, shape[1]), draw(shape[0], 1 + factors)]


Objective = Callable[[Sequence[torch.Tensor]], torch.Tensor]


def _y_range(logits: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(logits) * (Y_RANGE[1] - Y_RANGE[0]) + Y_RANGE[0]


def sheet_objective(data: Ratings) -> Objective:
    """The RMSE as the bias tab computes it, over the whole crosstab, with the lecture's y_range."""
    grid = torch.zeros(data.shape, dtype=torch.float64, device=data.values.device)
    grid[data.users, data.movies] = data.values
    rated = torch.zeros(data.shape, dtype=torch.bool, device=data.values.device)
    rated[data.users, data.movies] = True
    count = float(rated.sum())

    def objective(values: Sequence[torch.Tensor]) -> torch.Tensor:
        movies, users = values
        logits = users[:, 1:] @ movies[1:] + movies[0:1] + users[:, 0:1]
        predictions = _y_range(logits)
        squared = torch.where(rated, (grid - predictions) ** 2, 0.0)   # SUMXMY2 skips the blanks
        return torch.sqrt(squared.sum() / count)
    return objective


@dataclass
class Figures:
    seconds_per_epoch: float
    rmse_start: float
    rmse_end: float


def train_search(objective: Objective, start: list[torch.Tensor], epochs: int) -> Figures:
    """Through the Solver's search: full-batch Adam steps, timed from the step callback."""
    stamps: list[float] = []
    with torch.no_grad():
        before = float(objective(start))
    outcome = search(objective, start, Settings(method="adam", restarts=0, max_steps=WARM_UP + epochs,
                                                max_seconds=3600.0),
                     on_step=lambda step, values: stamps.append(time.perf_counter()))
    return Figures((stamps[-1] - stamps[WARM_UP - 1]) / epochs, before, outcome.objective)


def train_embedding(data: Ratings, start: list[torch.Tensor], epochs: int) -> Figures:
    """The peer: nn.Embedding lookups of the rated pairs, a plain Adam loop."""
    movies, users = start
    model = EmbeddingDotBias(users[:, 1:].clone(), movies[1:].T.clone(), users[:, 0].clone(),
                             movies[0].clone())
    optimizer = torch.optim.Adam(model.parameters(), lr=ADAM_LR)

    def loss() -> torch.Tensor:
        raw = model(data.users, data.movies)
        return rmse(_y_range(raw), data.values)

    with torch.no_grad():
        before = float(loss())
    began = 0.0
    for epoch in range(WARM_UP + epochs):
        if epoch == WARM_UP:
            _sync(data.values.device)
            began = time.perf_counter()
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    _sync(data.values.device)
    seconds = (time.perf_counter() - began) / epochs
    with torch.no_grad():
        return Figures(seconds, before, float(loss()))


def _median(figures: list[Figures]) -> Figures:
    ordered = sorted(figures, key=lambda f: f.seconds_per_epoch)
    return ordered[len(ordered) // 2]


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run(epochs: int, device: torch.device, seed: int = 0, size: tuple[int, int, int, int] = (
        USERS, MOVIES, RATINGS, FACTORS)) -> dict[str, object]:
    users, movies, ratings, factors = size
    data = synthetic(users, movies, ratings, factors, seed, device)
    start = start_weights(data.shape, factors, seed, device)
    trainers = {"solver_search": lambda: train_search(sheet_objective(data), [t.clone() for t in start], epochs),
                "nn_embedding": lambda: train_embedding(data, [t.clone() for t in start], epochs)}
    # interleaved rounds, the median per trainer: the machine is shared, its load drifts
    rounds = [{name: train() for name, train in trainers.items()} for _ in range(ROUNDS)]
    ours, peer = (_median([r[name] for r in rounds]) for name in trainers)
    agree = abs(ours.rmse_end - peer.rmse_end) <= AGREEMENT * abs(peer.rmse_end)
    return {"device": str(device), "users": users, "movies": movies, "ratings": ratings,
            "factors": factors, "epochs": epochs, "solver_search": asdict(ours),
            "nn_embedding": asdict(peer), "ratio": ours.seconds_per_epoch / peer.seconds_per_epoch,
            "same_rmse": agree}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.movielens_scale",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20, help="epochs timed after 2 of warm-up (default 20)")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available, else cpu)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = run(args.epochs, pick_device(args.device))
    if args.json:
        print(json.dumps(figures))
    else:
        rows = (("Solver search, the sheet's MMULT", figures["solver_search"]),
                ("plain PyTorch, nn.Embedding", figures["nn_embedding"]))
        print(f"MovieLens-100k-sized synthetic problem ({USERS} users, {MOVIES} movies, {RATINGS:,} "
              f"ratings, {FACTORS} factors, y_range {list(Y_RANGE)}), full-batch Adam, float64, "
              f"on {figures['device']}, {args.epochs} epochs timed")
        print(f"{'':34}{'s / epoch':>10}{'RMSE start':>12}{'RMSE end':>12}")
        for label, f in rows:
            print(f"{label:34}{f['seconds_per_epoch']:>10.4f}{f['rmse_start']:>12.6f}{f['rmse_end']:>12.6f}")
        print(f"ratio (Solver search / nn.Embedding): {figures['ratio']:.2f}x; same RMSE at the end "
              f"(1e-9): {'yes' if figures['same_rmse'] else 'NO'}")
    return 0 if figures["same_rmse"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
