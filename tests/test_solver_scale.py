"""The MovieLens-scale benchmark's two trainers compute one model: checked at a small size
(the speed figures themselves live in benchmarks/movielens_scale.py, never in a test)."""
from __future__ import annotations

import torch

from benchmarks.movielens_scale import run, synthetic

CPU = torch.device("cpu")


def test_synthetic_ratings_are_distinct_pairs_from_one_to_five():
    data = synthetic(30, 50, 600, 4, seed=1, device=CPU)
    pairs = set(zip(data.users.tolist(), data.movies.tolist()))
    assert len(pairs) == 600
    assert set(data.values.tolist()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert data.users.max() < 30 and data.movies.max() < 50


def test_solver_search_and_nn_embedding_train_the_same_model():
    figures = run(epochs=4, device=CPU, size=(40, 60, 900, 5))
    assert figures["same_rmse"] is True
    for trainer in ("solver_search", "nn_embedding"):
        assert figures[trainer]["rmse_end"] < figures[trainer]["rmse_start"]
