"""The xlwings side without Excel: the button entry points through the xlwings adapter, and the
UDFs called with Excel-shaped arguments, compared with the engine.

Excel is not available here, so the entry points run against a test double shaped like
xlwings' Book/Sheet/Range/Name/App API and backed by an engine workbook. It keeps Excel's
calculation semantics (a read under manual calculation shows the stale value) and goes through
the real adapter (cellgrad.xlwings_bridge.XlwingsSheet) and the real entry points.
"""
from __future__ import annotations

import inspect
import math

import pytest
from cellgrad.core.references import Range
from cellgrad.hosts.udfs import CROSS_ENTROPY, EMBEDDING, FUNCTIONS, SOFTMAX, TRAJECTORY
from cellgrad.hosts.xlwings_bridge import excel_value, reset_button, run_button, step_button
from cellgrad.macros import EngineSheet, Training
from cellgrad.workbook import Workbook

from .conftest import reference_path

TABS = ["basic", "momentum", "rmsprop", "adam", "adam_ann"]


# -- an xlwings-shaped test double over the engine --------------------------------------------

class FakeApp:
    def __init__(self, book: Workbook) -> None:
        self.engine = book
        self.alerts: list[str] = []

    @property
    def calculation(self) -> str:
        return "automatic" if self.engine.automatic else "manual"

    @calculation.setter
    def calculation(self, mode: str) -> None:
        self.engine.automatic = mode == "automatic"

    def calculate(self) -> None:
        self.engine.recalculate()

    def alert(self, prompt: str, title: str = "") -> None:
        self.alerts.append(prompt)


class FakeName:
    def __init__(self, name: str, refers_to: str) -> None:
        self.name = name
        self.refers_to = refers_to


class FakeRange:
    def __init__(self, sheet: "FakeSheet", a1: str) -> None:
        self.sheet = sheet
        self.area = Range.parse(a1, sheet.name)

    def options(self, **options: object) -> "FakeRange":
        assert options == {"ndim": 2, "err_to_str": True}
        return self

    @property
    def value(self) -> list[list[object]]:
        book = self.sheet.book.app.engine
        rows = []
        for r in range(self.area.r1, self.area.r2 + 1):
            cells = [book.cell(self.area.sheet, r, c) for c in range(self.area.c1, self.area.c2 + 1)]
            rows.append([excel_value(None if cell is None else cell.value) for cell in cells])
        return rows

    @value.setter
    def value(self, rows: list[list[object]]) -> None:
        self.sheet.book.app.engine.set(self.area.a1(), rows)

    def clear(self) -> None:
        self.value = [[None] * self.area.width for _ in range(self.area.height)]


class FakeSheet:
    def __init__(self, book: "FakeBook", name: str) -> None:
        self.book = book
        self.name = name
        sheet = book.app.engine.sheets[name]
        self.names = [FakeName(f"{name}!{d.name}", "=" + d.text) for d in sheet.names.values()]

    def range(self, a1: str) -> FakeRange:
        return FakeRange(self, a1)


class FakeSheets:
    def __init__(self, book: "FakeBook", active: str) -> None:
        self.book = book
        self.active = FakeSheet(book, active)

    def __getitem__(self, name: str) -> FakeSheet:
        return FakeSheet(self.book, name)


class FakeBook:
    def __init__(self, engine: Workbook, active: str) -> None:
        self.app = FakeApp(engine)
        self.sheets = FakeSheets(self, active)
        # as xlwings' Book.names: the workbook's names and every sheet's
        self.names = [n for s in engine.sheets for n in FakeSheet(self, s).names]


def engine_book() -> Workbook:
    return Workbook.load(reference_path("graddesc.xlsm"))


BUTTONS = [
    (run_button, lambda t: t.run(5)),
    (step_button, lambda t: t.step(1)),
    (reset_button, lambda t: t.reset()),
]


@pytest.mark.parametrize("button, headless", BUTTONS)
@pytest.mark.parametrize("tab", TABS)
def test_buttons_do_in_excel_what_cellgrad_run_does(tab, button, headless):
    live = FakeBook(engine_book(), tab)
    button(live)
    assert live.app.alerts == []
    expected = Training(EngineSheet(engine_book(), tab))
    headless(expected)
    got = Training(EngineSheet(live.app.engine, tab))
    assert got.state() == expected.state()
    assert got.observe(0) == expected.observe(0)


def test_names_of_other_sheets_do_not_apply():
    """rmsprop has no name lr (only a "learn" label); adam's adam!lr must not stand in for it."""
    from cellgrad.hosts.xlwings_bridge import XlwingsSheet
    live = FakeBook(engine_book(), "rmsprop")
    assert any(n.name.lower() == "adam!lr" for n in live.names)
    assert Training(XlwingsSheet(live.sheets.active)).observe(0).lr == 0.02


def test_a_button_on_a_tab_without_macros_says_why_in_one_line():
    live = FakeBook(engine_book(), "data")
    run_button(live)
    assert live.app.alerts == ["sheet 'data': no macros for a sheet named 'data' (cellgrad has "
                               "macros for adagrad, adagrad_ann, adam, adam_ann, basic, momentum, "
                               "rmsprop)"]


def test_a_missing_name_is_reported_and_nothing_is_changed():
    book = engine_book()
    live = FakeBook(book, "adam")
    live.sheets.active.names = [n for n in live.sheets.active.names if not n.name.lower().endswith("!ms_last")]
    before = [c.value for c in book.cells()]
    run_button(live)
    assert len(live.app.alerts) == 1 and "'ms_last': no defined name 'ms_last'" in live.app.alerts[0]
    assert [c.value for c in book.cells()] == before


# -- UDFs ----------------------------------------------------------------------------------------

def _close(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=0.0)
    return x == y


def _calculated(name: str) -> Workbook:
    book = Workbook.load(reference_path(name))
    book.calculate()
    return book


def test_softmax_is_the_softmax_tab():
    book = _calculated("entropy_example.xlsx")
    got = SOFTMAX(book.values("softmax!B3:B7"))
    assert len(got) == 5 and all(len(row) == 1 for row in got)
    assert all(_close(g[0], e[0]) for g, e in zip(got, book.values("softmax!D3:D7"), strict=True))


def test_softmax_leaves_blank_cells_out():
    book = _calculated("entropy_example.xlsx")
    outputs = book.values("softmax!B3:B7")
    with_blank = SOFTMAX([outputs[0], [None], *outputs[1:]])
    assert with_blank[1] == [None]
    assert [r for i, r in enumerate(with_blank) if i != 1] == SOFTMAX(outputs)


def test_cross_entropy_is_the_mean_of_the_entropy_tab():
    book = _calculated("entropy_example.xlsx")
    rows = book.values("entropy!D2:D6")
    expected = sum(r[0] for r in rows) / len(rows)
    assert _close(CROSS_ENTROPY(book.values("entropy!B2:B6"), book.values("entropy!C2:C6")), expected)


def test_cross_entropy_one_hot_rows_is_the_log_entropy_tab():
    book = _calculated("entropy_example.xlsx")
    actuals = book.values("log_entropy!B2:C6")
    preds = [[p[0], 1 - p[0]] for p in book.values("log_entropy!D2:D6")]
    nll = book.values("log_entropy!G2:G6")
    assert _close(CROSS_ENTROPY(actuals, preds), sum(r[0] for r in nll) / len(nll))


def test_cross_entropy_in_another_base_and_with_blanks():
    ln = CROSS_ENTROPY([[1.0], [None], [0.0]], [[0.5], [0.7], [0.25]], math.e)
    assert _close(ln, (-math.log(0.5) - math.log(0.75)) / 2)


def test_embedding_is_the_movielens_emb_lookup():
    book = _calculated("collab_filter.xlsx")
    index = book["movielens_emb!L3"]
    assert isinstance(index, float)  # as Excel passes it
    got = EMBEDDING(book.values("movielens_emb!C4:G18"), index)
    assert got == [book.values("movielens_emb!M3:Q3")[0]]


@pytest.mark.parametrize("optimizer, lr", [("adam", 0.5), ("adagrad_ann", 1.0), ("basic", 0.0001)])
def test_trajectory_is_run_on_the_handout_tab(optimizer, lr):
    from cellgrad.sheets.books import handout
    from cellgrad.sheets.engine_book import to_engine
    book = to_engine(handout("graddesc"))
    book.calculate()
    training = Training(EngineSheet(book, optimizer))
    training.reset()
    training.sheet.write(training.observer.lr, [[lr]])
    expected = [[e.a, e.b, e.loss] for e in training.run(8)]
    assert TRAJECTORY(optimizer, lr, 8.0) == expected  # Excel passes every number as a float


def test_trajectory_shows_where_a_run_diverges():
    rows = TRAJECTORY("momentum", 1e200, 5)
    assert rows[-1][0].startswith("sheet 'momentum', cell C1: epoch 1: const became #NUM!")


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_udf_signatures_are_what_xlwings_accepts(function):
    """Positional parameters only, defaults only at the end, nothing after *args."""
    params = list(inspect.signature(function).parameters.values())
    kinds = {p.kind for p in params}
    assert inspect.Parameter.KEYWORD_ONLY not in kinds
    assert inspect.Parameter.VAR_KEYWORD not in kinds
    defaults = [p.default is not inspect.Parameter.empty for p in params
                if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    assert defaults == sorted(defaults)  # no parameter without a default after one with
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        assert params[-1].kind is inspect.Parameter.VAR_POSITIONAL
    assert function.__name__.isupper()  # the name Excel shows
