"""A set of cells described as few rectangles, for messages that name many cells on one line."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ...core.references import Range

Address = tuple[str, int, int]


def cover(cells: Iterable[Address]) -> list[Range]:
    """Rectangles covering exactly ``cells``: runs along each row, stacked when rows repeat them.

    Greedy, not minimal: enough to turn 75 cells of a 15x5 block into ``C4:G18``.
    """
    by_sheet: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for sheet, row, col in cells:
        by_sheet[sheet].add((row, col))
    out: list[Range] = []
    for sheet in sorted(by_sheet):
        out.extend(_sheet_cover(sheet, by_sheet[sheet]))
    return out


def _row_runs(points: set[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    """row -> [(first column, last column)] of each horizontal run of cells."""
    runs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row, col in sorted(points):
        row_runs = runs[row]
        if row_runs and row_runs[-1][1] == col - 1:
            row_runs[-1] = (row_runs[-1][0], col)
        else:
            row_runs.append((col, col))
    return runs


def _sheet_cover(sheet: str, points: set[tuple[int, int]]) -> list[Range]:
    open_: dict[tuple[int, int], Range] = {}  # column span -> rectangle still growing downwards
    done: list[Range] = []
    for row, spans in sorted(_row_runs(points).items()):
        grown: dict[tuple[int, int], Range] = {}
        for span in spans:
            rect = open_.pop(span, None)
            if rect is not None and rect.r2 == row - 1:
                grown[span] = Range(sheet, rect.r1, rect.c1, row, rect.c2)
            else:
                if rect is not None:
                    done.append(rect)
                grown[span] = Range(sheet, row, span[0], row, span[1])
        done.extend(open_.values())
        open_ = grown
    done.extend(open_.values())
    return sorted(done, key=lambda r: (r.r1, r.c1))
