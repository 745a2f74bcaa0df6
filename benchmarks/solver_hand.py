"""The peer of ``cellgrad solve HANDOUT dotprod``: the same search, its objective written by hand.

    python -m benchmarks.solver_hand WORKBOOK

dotprod's RMSE as one torch expression (``users @ movies`` against the ratings, pairs with an
empty rating skipped, as SUMXMY2 skips them), searched by the same function with the same
settings as the command (:func:`cellgrad.ml.solver.search.search`: L-BFGS, the workbook's start
and 10 seeded restarts). The data and the start are read from the workbook by cellgrad's reader;
nothing is written. Prints one JSON object: the objective reached, the search's seconds and
the process's.
"""
from __future__ import annotations

import json
import sys
import time

BEGAN = time.perf_counter()

import torch  # noqa: E402  (the process's time includes importing torch, as the command's does)
from cellgrad.ml.solver.search import Settings, search  # noqa: E402
from cellgrad.workbook import Workbook  # noqa: E402

RATINGS = "dotprod!H2:V16"
MOVIES = "dotprod!H19:V23"   # solver_adj's first area
USERS = "dotprod!B25:F39"


def dotprod_objective(book: Workbook):
    """(objective, start): the RMSE as a function of [movies, users], and the workbook's values."""
    ratings = book.values(RATINGS)
    rated = torch.tensor([[type(v) is float for v in row] for row in ratings])
    target = torch.tensor([[v if type(v) is float else 0.0 for v in row] for row in ratings],
                          dtype=torch.float64)
    count = rated.sum()
    start = [torch.tensor(book.values(MOVIES), dtype=torch.float64),
             torch.tensor(book.values(USERS), dtype=torch.float64)]

    def objective(values):
        movies, users = values
        error = torch.where(rated, target - users @ movies, 0.0)
        return torch.sqrt((error * error).sum() / count)
    return objective, start


def main(argv: list[str]) -> int:
    book = Workbook.load(argv[0])
    objective, start = dotprod_objective(book)
    outcome = search(objective, start, Settings(restarts=10))
    print(json.dumps({"objective": outcome.objective, "steps": outcome.steps, "runs": outcome.runs,
                      "seconds": outcome.seconds, "command_seconds": time.perf_counter() - BEGAN}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
