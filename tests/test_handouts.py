"""The committed handouts against fast.ai's reference workbooks, tab by tab and cell by cell.

Structure: where a tab exists in the reference, every formula (normalized), label, constant and
defined name of the reference is in the handout at the same address, except the cells listed in
EXCEPTED (random initial weights, and the state macros and Solver change: the handout starts
from the reset state) and the broken (#REF!) Solver models of the tabs in NO_SOLVER. Where the
reference pastes a copy of other cells (BY_FORMULA), the handout holds the formula that reads
them, and the structure test checks that formula.
Values: with the reference's values of the EXCEPTED cells put into the handout, the engine
computes Excel's cached value in every non-volatile formula cell (1e-12 relative), and in every
BY_FORMULA cell the constant the reference pasted.
"""
from __future__ import annotations

import pytest
from cellgrad.conformance import random_dependents, same_value
from cellgrad.core.ir import to_a1
from cellgrad.core.parser import parse_formula
from cellgrad.core.references import Range, cell_name
from cellgrad.files.reader import read_cells
from cellgrad.macros import EngineSheet, Training, optimizer_tabs
from cellgrad.workbook import Workbook

from tests.conftest import ROOT, reference_path

pytestmark = pytest.mark.reference

WORKBOOKS = ROOT / "workbooks"
TABS = {
    "collab_filter.xlsx": ["dotprod", "movielens_1hot", "movielens_emb", "bias", "word_emb"],
    "graddesc.xlsm": ["readme", "data", "basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann",
                      "adagrad_ann"],
    "entropy_example.xlsx": ["softmax", "entropy", "log_entropy"],
}
# the reference's Sheet1 is rewritten as the readme tab (it now covers adagrad and adagrad_ann)
NOT_COMPARED = {"Sheet1": "rewritten as the readme tab, in the spirit of the original"}
WEIGHTS = "random initial weights (the reference holds them after Solver trained them)"
STATE = "macro state: the handout is at reset, the reference after some steps"
EXCEPTED = {
    "dotprod": {"H19:V23": WEIGHTS, "B25:F39": WEIGHTS},
    "bias": {"H19:V24": WEIGHTS, "A26:F40": WEIGHTS},
    "word_emb": {"C4:G17": WEIGHTS, "C26:G39": WEIGHTS},
    "basic": {"C1:C2": STATE, "C38:C106": "the pasted rmse history, which reset clears"},
    "momentum": {"C1:C2": STATE, "D2": STATE, "J33:K33": STATE},
    "rmsprop": {"C1:C2": STATE, "J33:K33": STATE},
    "adam": {"C1:C2": STATE, "D2": "lr, which reset sets to 1", "J33:M33": STATE},
    "adam_ann": {"C1:C2": STATE, "D2": "lr, which reset sets to 1 and somesteps anneals",
                 "J33:M33": STATE, "N3": STATE},
}


def _dotprod_movie_transposed(row: int, col: int) -> str:
    """Movie m = row - 22, factor k = col - 3 (C22:G36) is dotprod's column H+m, row 19+k."""
    return f"=dotprod!{cell_name(19 + col - 3, 8 + row - 22)}"


# The reference's movie weights on these tabs are constants, pasted from dotprod!H19:V23
# transposed (equal to it at the reference's saved state); the handout reads them by formula,
# as both workbooks read the user weights, so that a dotprod solve drives all three tabs.
BY_FORMULA = {tab: {"C22:G36": _dotprod_movie_transposed} for tab in ("movielens_1hot", "movielens_emb")}
# their Solver objective is #REF!: they are trained on dotprod and carry no Solver model
NO_SOLVER = {"movielens_1hot", "movielens_emb"}


def _load(path) -> dict:
    sheets, _, order = read_cells(str(path))
    return {s.name: s for s in sheets} | {"__order__": order}


@pytest.fixture(scope="module", params=list(TABS))
def pair(request):
    """(file name, reference sheets, handout sheets)."""
    name = request.param
    return name, _load(reference_path(name)), _load(WORKBOOKS / name)


def _excepted(sheet: str) -> list[Range]:
    return [Range.parse(ref, sheet) for ref in EXCEPTED.get(sheet, {})]


def _by_formula(sheet: str, row: int, col: int) -> str | None:
    """The formula the handout holds where the reference pasted a copy, or None."""
    for ref, formula in BY_FORMULA.get(sheet, {}).items():
        if Range.parse(ref, sheet).contains(sheet, row, col):
            return formula(row, col)
    return None


def _normalized(formula: str, row: int, col: int, sheet: str) -> str:
    return to_a1(parse_formula(formula, row, col, sheet=sheet), row, col)


def _cell_difference(ref, ours, sheet: str, excepted: list[Range]) -> str | None:
    """Why the handout's cell differs from the reference's, or None."""
    where = f"{sheet}!{cell_name(ref.row, ref.col)}"
    if ref.formula is not None:
        if ours is None or ours.formula is None:
            return f"{where}: formula {ref.formula} missing"
        if _normalized(ref.formula, ref.row, ref.col, sheet) != _normalized(ours.formula, ref.row, ref.col, sheet):
            return f"{where}: {ours.formula} instead of {ref.formula}"
        if (ref.array_range and ref.array_range.a1()) != (ours.array_range and ours.array_range.a1()):
            return f"{where}: array range {ours.array_range} instead of {ref.array_range}"
        return None
    if (formula := _by_formula(sheet, ref.row, ref.col)) is not None:
        if not isinstance(ref.value, float):
            return f"{where}: the reference holds {ref.value!r}, not the pasted number expected"
        if ours is None or ours.formula is None or \
                _normalized(ours.formula, ref.row, ref.col, sheet) != _normalized(formula, ref.row, ref.col, sheet):
            return f"{where}: {ours and (ours.formula or ours.value)!r} instead of {formula}"
        return None
    if any(r.contains(sheet, ref.row, ref.col) for r in excepted):
        if ours is not None and (ours.formula is not None or not isinstance(ours.value, (float, type(None)))):
            return f"{where}: an input number (or nothing) is expected, not {ours.formula or ours.value!r}"
        return None
    got = None if ours is None else (ours.formula or ours.value)
    if type(got) is not type(ref.value) or got != ref.value:
        return f"{where}: {got!r} instead of {ref.value!r}"
    return None


def test_tabs_in_order(pair):
    name, _, ours = pair
    assert ours["__order__"] == TABS[name]


def test_every_reference_cell_is_in_the_handout(pair):
    name, reference, ours = pair
    differences = []
    for sheet in reference["__order__"]:
        if sheet in NOT_COMPARED:
            continue
        excepted = _excepted(sheet)
        mine = ours[sheet].cells
        for (row, col), ref in sorted(reference[sheet].cells.items()):
            if ref.master is not None or (ref.formula is None and ref.value is None):
                continue
            why = _cell_difference(ref, mine.get((row, col)), sheet, excepted)
            if why:
                differences.append(why)
    assert differences == []


def test_every_reference_name_is_in_the_handout(pair):
    name, reference, ours = pair
    differences = []
    for sheet in reference["__order__"]:
        if sheet in NOT_COMPARED:
            continue
        mine = ours[sheet].names
        for key, ref in reference[sheet].names.items():
            if sheet in NO_SOLVER and key.startswith("SOLVER_"):
                continue
            got = mine.get(key)
            if ref.text.endswith("#REF!"):  # names of deleted cells are dropped, not carried
                if got is not None:
                    differences.append(f"{sheet}!{ref.name}: carried although it is {ref.text!r}")
                continue
            if got is None or (got.text, got.hidden) != (ref.text, ref.hidden):
                differences.append(f"{sheet}!{ref.name}: {got and got.text!r} instead of {ref.text!r}")
        if sheet in NO_SOLVER:
            differences += [f"{sheet}!{k}: unexpected Solver name" for k in mine if k.startswith("SOLVER_")]
    assert differences == []


def test_excepted_cells_are_named_for_tabs_that_exist():
    tabs = {tab for names in TABS.values() for tab in names}
    assert set(EXCEPTED) <= tabs
    assert set(BY_FORMULA) <= tabs


def _reference_inputs(reference: dict, sheet: str) -> dict[str, list[list]]:
    """The reference's values of the excepted cells of ``sheet``: its weights and state."""
    out = {}
    for rng in _excepted(sheet):
        cells = reference[sheet].cells
        out[rng.a1()] = [[cells[(r, c)].value if (r, c) in cells else None
                          for c in range(rng.c1, rng.c2 + 1)] for r in range(rng.r1, rng.r2 + 1)]
    return out


def test_engine_computes_excels_values_from_the_reference_inputs(pair):
    name, reference, _ = pair
    book = Workbook.load(WORKBOOKS / name)
    book.automatic = False
    for sheet in reference["__order__"]:
        for ref, values in _reference_inputs(reference, sheet).items():
            book.set(ref, values)
    book.calculate()
    volatile = random_dependents(book)
    wrong, compared = [], 0
    for sheet in reference["__order__"]:
        if sheet in NOT_COMPARED:
            continue
        for (row, col), ref in reference[sheet].cells.items():
            if ref.formula is None and ref.master is None and _by_formula(sheet, row, col) is None:
                continue
            cell = book.sheets[sheet].cells[(row, col)]
            if cell in volatile:
                continue
            compared += 1
            if not same_value(ref.cached, book.value(sheet, row, col)):
                wrong.append(f"{sheet}!{cell_name(row, col)}: Excel {ref.cached!r}, "
                             f"engine {book.value(sheet, row, col)!r}")
    assert wrong == []
    assert compared > 0


# what each tab's reset macro sets (read from the reference's VBA with olevba); the lr of the
# new adagrad tabs follows adam's
RESET = {
    "basic": {"C1": 1.0, "C2": 1.0, "C39": None},
    "momentum": {"C1": 1.0, "C2": 1.0, "D2": 0.0001},
    "rmsprop": {"C1": 1.0, "C2": 1.0},
    "adam": {"C1": 1.0, "C2": 1.0, "D2": 1.0},
    "adam_ann": {"C1": 1.0, "C2": 1.0, "D2": 1.0},
    "adagrad": {"C1": 1.0, "C2": 1.0, "D2": 1.0, "J33": 0.0, "K33": 0.0},
    "adagrad_ann": {"C1": 1.0, "C2": 1.0, "D2": 1.0, "J33": 0.0, "K33": 0.0},
}


@pytest.mark.parametrize("sheet", list(RESET))
def test_graddesc_starts_from_the_reset_state(sheet):
    book = Workbook.load(WORKBOOKS / "graddesc.xlsm")
    got = {ref: book[f"{sheet}!{ref}"] for ref in RESET[sheet]}
    assert got == RESET[sheet]


@pytest.mark.parametrize("sheet", optimizer_tabs())
def test_graddesc_history_starts_with_the_loss_before_training(sheet):
    """Reset clears the rmse history (C38 down) and enters epoch 0: the rmse cell's value."""
    book = Workbook.load(WORKBOOKS / "graddesc.xlsm")
    book.recalculate()
    history = [row[0] for row in book.values(f"{sheet}!rmses")]
    assert history[0] == book.values(f"{sheet}!rmse")[0][0]
    assert isinstance(history[0], float) and history[1:] == [None] * (len(history) - 1)


@pytest.mark.parametrize("sheet", optimizer_tabs())
def test_graddesc_holds_what_the_tabs_reset_macro_writes(sheet):
    """Every cell the tab's macros write equals a fresh run of its reset macro in the engine
    (engine/macros/vba/<tab>.bas, under the calculation modes it sets): pressing Reset on the handout
    changes nothing."""
    book = Workbook.load(WORKBOOKS / "graddesc.xlsm")
    book.recalculate()
    training = Training(EngineSheet(book, sheet))
    stored = training.state()
    training.reset()
    assert training.state() == stored


def test_momentum_state_after_reset_is_the_one_excel_computed():
    """The reference's momentum tab was saved right after its reset (a = b = 1), so its
    momentum state J33:K33 is what reset leaves; the handout's must be the same numbers."""
    reference = Workbook.load(reference_path("graddesc.xlsm"))
    assert (reference["momentum!C1"], reference["momentum!C2"]) == (1.0, 1.0)
    ours = Workbook.load(WORKBOOKS / "graddesc.xlsm")
    for ref in ("J33", "K33"):
        assert same_value(reference[f"momentum!{ref}"], ours[f"momentum!{ref}"])
