"""graddesc.xlsm: online gradient descent of y = a*x + b, one optimizer per tab.

Every optimizer tab has the same frame: b and a in C1:C2 (names ``const``, ``slope``), the
learning rate in D2 (``lr``), one epoch of pasted (x, y) data in A4:B32, one row per step with
the prediction, the gradients and the new b and a, and the last row's new b and a in C32:D32
(``lastconst``, ``lastslope``) for the macros to copy back to the top. Optimizer state that
carries from one epoch to the next (momentum, mean squares, sums of squares) sits in row 33
(``momtarget``, ``gradtarget``) and is fed by row 32 (``momlast``, ``ms_last``); row 2 labels
those state columns.

Every optimizer tab shows its loss in a cell named ``rmse`` (basic's F33 as in the lesson; E2,
under "rmse", on the others), the root of the summed squared errors of the epoch's predictions.
Below the table, as on the lesson's basic tab, Run and Step append that loss to a history
(``rmsestart``, ``rmses``: C38 down, one row per epoch, epoch 0 after Reset) drawn by a line chart.
"""
from __future__ import annotations

from . import lesson_data as data
from .grid import absolute, span
from .layout import Book, Chart, Series, Tab

FIRST, LAST = 4, 3 + len(data.X_TRAIN)   # the step rows, 4..32
STATE_ROW = LAST + 1                     # 33
HISTORY = (38, 106)                      # the rmse per epoch, as basic's pasted history
HISTORY_LABEL = HISTORY[0] - 2           # rmsestart: Ctrl+Down from here finds the last entry
CHART_ROWS = 15                          # the history chart's height, in rows
LOSS_FORMULA = "=SQRT(SUMXMY2(B{first}:B{last},E{first}:E{last}))".format(first=FIRST, last=LAST)
STEP_HEADERS = {"A": "x", "B": "y", "C": "b", "D": "a", "E": "pred", "F": "de/db", "G": "de/da",
                "H": "new b", "I": "new a"}


def _rows(tab: Tab, templates: dict[str, str], first: int = FIRST) -> None:
    """One formula per column on every step row; {r} is the row, {p} the row above."""
    for r in range(first, LAST + 1):
        for col, template in templates.items():
            tab.put(f"{col}{r}", formula=template.format(r=r, p=r - 1))


def _xy(tab: Tab) -> None:
    for r, x in enumerate(data.X_TRAIN, start=FIRST):
        tab.put(f"A{r}", x, number_format="0")
        tab.put(f"B{r}", data.TRUE_SLOPE * x + data.TRUE_CONST, role="target", number_format="0")


def _names(tab: Tab, **extra: tuple[str, str | None]) -> None:
    """The names every optimizer tab has, plus ``extra`` (name=(top_left, bottom_right))."""
    base = {"const": ("C1", None), "slope": ("C2", None), "lastconst": (f"C{LAST}", None),
            "lastslope": (f"D{LAST}", None), "histgrad": (f"F{STATE_ROW}", f"G{STATE_ROW}")}
    for name, (first, last) in {**base, **extra}.items():
        tab.names[name] = absolute(tab.name, first, last)


def _frame(name: str, lr: float | None, lr_cell: str = "D2") -> Tab:
    """b, a, the learning rate, headers and the x/y data, common to every optimizer tab."""
    tab = Tab(name)
    tab.put("B1", "b", role="header")
    tab.put("C1", 1, role="parameter")
    tab.put("D1", "learn", role="header")
    tab.put("B2", "a", role="header")
    tab.put("C2", 1, role="parameter")
    if lr is not None:
        tab.put(lr_cell, lr, role="parameter", number_format="General")
        tab.names["lr"] = absolute(name, lr_cell)
    tab.put("E1", "rmse", role="header")
    tab.put("E2", formula=LOSS_FORMULA, number_format="General")
    for col, label in STEP_HEADERS.items():
        tab.put(f"{col}3", label, role="header")
    _xy(tab)
    _history(tab, "rmse after each epoch (Run and Step add a row):", absolute(name, "E2"))
    tab.put("C4", formula="=C1")
    tab.put("D4", formula="=C2")
    _rows(tab, {"C": "=H{p}", "D": "=I{p}"}, first=FIRST + 1)
    _rows(tab, {"E": "=C{r}+D{r}*A{r}", "F": "=2*(D{r}*A{r}+C{r}-B{r})", "G": "=F{r}*A{r}"})
    tab.column_widths.update({c: 10 for c in span("A", "I")})
    tab.column_widths.update({c: 13 for c in span("J", "O")})  # state grows to millions
    tab.column_widths["A"] = 6
    tab.column_widths["B"] = 6
    tab.freeze = "A4"
    return tab


def _history(tab: Tab, label: str, loss: str) -> None:
    """The rmse history (C38 down, epoch numbers beside it in B) under ``label`` (rmsestart), and
    its line chart; ``loss`` is the cell named rmse."""
    first, last = HISTORY
    tab.put(f"C{HISTORY_LABEL}", label, role="note")
    tab.put(f"B{first - 1}", "epoch", role="header")
    tab.put(f"C{first - 1}", "rmse", role="header")
    for epoch, row in enumerate(range(first, last + 1)):
        tab.put(f"B{row}", epoch, number_format="0")
    tab.names.update({"rmse": loss, "rmsestart": absolute(tab.name, f"C{HISTORY_LABEL}"),
                      "rmses": absolute(tab.name, f"C{first}", f"C{last}")})
    tab.charts.append(Chart("line", f"{tab.name}: rmse after each epoch", f"E{HISTORY_LABEL}",
                            [Series("rmse", absolute(tab.name, f"C{first}", f"C{last}"),
                                    absolute(tab.name, f"B{first}", f"B{last}"))],
                            x_title="epoch", y_title="rmse"))


def _state_labels(tab: Tab, **labels: str) -> None:
    """Row 2 names the state columns (row 3 reads the state carried in row 33)."""
    for col, label in labels.items():
        tab.put(f"{col}2", label, role="header")
    tab.put(f"I{STATE_ROW}", "carried:", role="header")


def _carry(tab: Tab, cols: str) -> None:
    """Row 3 reads the state carried over from the previous epoch (row 33): =J33 ..."""
    for col in cols:
        tab.put(f"{col}3", formula=f"={col}{STATE_ROW}", role="header")


def _state(tab: Tab, cols: str) -> None:
    """Row 33: state constants the macros overwrite; reset fills them in."""
    for col in cols:
        tab.put(f"{col}{STATE_ROW}", 0, role="state")


def _beta(tab: Tab, col: str, value: float, label: str | None = "beta", name: str = "beta1") -> None:
    if label:
        tab.put(f"{chr(ord(col) - 1)}1", label, role="header")
    tab.put(f"{col}1", value, role="parameter", number_format="General")
    tab.names[name] = absolute(tab.name, f"{col}1")
    tab.put(f"{chr(ord(col) + 1)}1", formula=f"=1-{col}1", number_format="General")


def _rule(tab: Tab, *lines: str) -> None:
    """The update rule, written under the history's chart."""
    for i, line in enumerate(lines):
        tab.put(f"E{HISTORY_LABEL + CHART_ROWS + 1 + i}", line, role="note" if i else "title")


def _err2(tab: Tab, col: str = "L") -> None:
    tab.put(f"{col}3", "err^2", role="header")
    _rows(tab, {col: "=(B{r}-E{r})^2"})
    tab.put(f"{col}{STATE_ROW}", formula=f"=SQRT(SUM({col}{FIRST}:{col}{LAST}))")


def basic() -> Tab:
    tab = Tab("basic")
    tab.put("B1", "intercept", role="header")
    tab.put("C1", 1, role="parameter")
    tab.put("E1", "learn", role="header")
    tab.put("F1", 0.0001, role="parameter", number_format="General")
    tab.put("I1", "de/db=2(ax+b-y)", role="note")
    tab.put("B2", "slope", role="header")
    tab.put("C2", 1, role="parameter")
    tab.put("H2", "e=(ax+b-y)^2", role="note")
    tab.put("I2", "de/da=x*2(ax+b-y)", role="note")
    headers = ["x", "y", "intercept", "slope", "y_pred", "err^2", "errb1", "est de/db", "erra1",
               "est de/da", "de/db", "de/da", "new a", "new b"]
    for col, label in zip(span("A", "N"), headers):
        tab.put(f"{col}3", label, role="header")
    _xy(tab)
    tab.put("C4", formula="=C1")
    tab.put("D4", formula="=C2")
    _rows(tab, {"C": "=N{p}", "D": "=M{p}"}, first=FIRST + 1)
    _rows(tab, {"E": "=C{r}+D{r}*A{r}", "F": "=(B{r}-E{r})^2",
                "G": "=(((C{r}+0.01)+A{r}*D{r})-B{r})^2", "H": "=(G{r}-F{r})/0.01",
                "I": "=(((D{r}+0.01)*A{r}+C{r})-B{r})^2", "J": "=(I{r}-F{r})/0.01",
                "K": "=2*(E{r}-B{r})", "L": "=K{r}*A{r}", "M": "=D{r}-L{r}*$F$1",
                "N": "=C{r}-K{r}*$F$1"})
    tab.put(f"E{STATE_ROW}", "rmse", role="header")
    tab.put(f"F{STATE_ROW}", formula=f"=SQRT(SUM(F{FIRST}:F{LAST}))")
    for col in "KL":
        tab.put(f"{col}{STATE_ROW}", formula=f"=SQRT(SUMSQ({col}{FIRST}:{col}{LAST}))")
    _history(tab, "Paste error here:", absolute("basic", "F33"))
    tab.names.update({
        "const": absolute("basic", "C1"), "slope": absolute("basic", "C2"),
        "gradtarget": absolute("basic", "K1", "L1"), "histgrad": absolute("basic", "K33", "L33"),
        "lastconst": absolute("basic", "C32"), "lastslope": absolute("basic", "D32"),
        "lr": absolute("basic", "F1"),
    })
    tab.column_widths.update({c: 10 for c in span("A", "N")})
    tab.freeze = "A4"
    return tab


def momentum() -> Tab:
    tab = _frame("momentum", 0.0001)
    _beta(tab, "J", 0.9)
    _state_labels(tab, J="momentum b", K="momentum a")
    _carry(tab, "JK")
    _state(tab, "JK")
    _rows(tab, {"H": "=C{r}-J{r}*$D$2", "I": "=D{r}-K{r}*$D$2",
                "J": "=J{p}*$J$1+$K$1*F{r}", "K": "=K{p}*$J$1+$K$1*G{r}"})
    _err2(tab)
    _names(tab, lr=("D2", None), momlast=(f"J{LAST}", f"K{LAST}"),
           momtarget=(f"J{STATE_ROW}", f"K{STATE_ROW}"), pct_clipped=("M33", None),
           max_clipped=("M34", None))
    return tab


def rmsprop() -> Tab:
    tab = _frame("rmsprop", 0.02)
    _beta(tab, "J", 0.9)
    _state_labels(tab, J="mean sq b", K="mean sq a")
    _carry(tab, "JK")
    _state(tab, "JK")
    _rows(tab, {"H": "=C{r}-F{r}*$D$2/SQRT(J{p})", "I": "=D{r}-G{r}*$D$2/SQRT(K{p})",
                "J": "=J{p}*$J$1+$K$1*F{r}^2", "K": "=K{p}*$J$1+$K$1*G{r}^2"})
    _names(tab, gradtarget=(f"J{STATE_ROW}", f"K{STATE_ROW}"), ms_last=(f"J{LAST}", f"K{LAST}"),
           max_clipped=("K34", None))
    return tab


def _adam_steps(tab: Tab) -> None:
    _state_labels(tab, J="momentum b", K="momentum a", L="mean sq b", M="mean sq a")
    _carry(tab, "JKLM")
    _state(tab, "JKLM")
    _rows(tab, {"H": "=C{r}-J{r}*$D$2/SQRT(L{r})", "I": "=D{r}-K{r}*$D$2/SQRT(M{r})",
                "J": "=J{p}*$J$1+$K$1*F{r}", "K": "=K{p}*$J$1+$K$1*G{r}",
                "L": "=L{p}*$L$1+$M$1*F{r}^2", "M": "=M{p}*$L$1+$M$1*G{r}^2"})
    _names(tab, lr=("D2", None), momlast=(f"J{LAST}", f"K{LAST}"),
           momtarget=(f"J{STATE_ROW}", f"K{STATE_ROW}"), ms_last=(f"L{LAST}", f"M{LAST}"),
           gradtarget=(f"L{STATE_ROW}", f"M{STATE_ROW}"), pct_clipped=("O33", None),
           max_clipped=("O34", None))


def adam() -> Tab:
    tab = _frame("adam", 1)
    _beta(tab, "J", 0.9)
    _beta(tab, "L", 0.9, label=None, name="beta2")
    _adam_steps(tab)
    return tab


def _annealing(tab: Tab, grad_size: str) -> None:
    """adam_ann's schedule: somesteps quarters lr when the gradients grow to twice their best."""
    tab.put("N2", "best", role="header")
    tab.put(f"N{FIRST - 1}", 0, role="state")
    tab.put(f"M{STATE_ROW + 1}", "ratio", role="header")
    tab.put(f"N{STATE_ROW}", formula=grad_size)
    tab.put(f"N{STATE_ROW + 1}", formula="=avg_grad2/prev_grad2")
    tab.names.update({"avg_grad2": absolute(tab.name, f"N{STATE_ROW}"),
                      "gradrat": absolute(tab.name, f"N{STATE_ROW + 1}"),
                      "prev_grad2": absolute(tab.name, f"N{FIRST - 1}")})


def _gradient_size(tab: Tab) -> None:
    """F33:G33: the root-mean-square size of this epoch's gradients."""
    for col in "FG":
        tab.put(f"{col}{STATE_ROW}", formula=f"=SQRT(SUMSQ({col}{FIRST}:{col}{LAST}))/COUNT({col}{FIRST}:{col}{LAST})")


def adam_ann() -> Tab:
    tab = _frame("adam_ann", 1)
    _beta(tab, "J", 0.9)
    _beta(tab, "L", 0.95, label=None, name="beta2")
    _adam_steps(tab)
    _gradient_size(tab)
    for col in "KL":
        tab.put(f"{col}{STATE_ROW + 1}", formula=f"=1/{col}3")
    _annealing(tab, f"=SQRT(L{STATE_ROW})+SQRT(M{STATE_ROW})")
    return tab


def _adagrad_steps(tab: Tab) -> None:
    _carry(tab, "JK")
    _state(tab, "JK")
    _state_labels(tab, J="sum sq b", K="sum sq a")
    # divide by the sum including this step's gradient, so the first step is finite
    _rows(tab, {"H": "=C{r}-F{r}*$D$2/SQRT(J{r})", "I": "=D{r}-G{r}*$D$2/SQRT(K{r})",
                "J": "=J{p}+F{r}^2", "K": "=K{p}+G{r}^2"})
    _err2(tab)
    _names(tab, lr=("D2", None), gradtarget=(f"J{STATE_ROW}", f"K{STATE_ROW}"),
           ms_last=(f"J{LAST}", f"K{LAST}"))


ADAGRAD_RULE = ("Adagrad: each weight w has its own running sum G of squared gradients g.",
                "G(t) = G(t-1) + g(t)^2     (columns J, K; row 33 carries G from epoch to epoch)",
                "w(t) = w(t-1) - lr * g(t) / sqrt(G(t))     (columns H, I)",
                "The step shrinks as G grows: large early steps, ever smaller later ones.")


def adagrad() -> Tab:
    tab = _frame("adagrad", 1)
    _adagrad_steps(tab)
    _rule(tab, *ADAGRAD_RULE)
    return tab


def adagrad_ann() -> Tab:
    tab = _frame("adagrad_ann", 1)
    _adagrad_steps(tab)
    _gradient_size(tab)
    _annealing(tab, f"=F{STATE_ROW}+G{STATE_ROW}")
    _rule(tab, *ADAGRAD_RULE,
          "Annealing as on adam_ann: N33 is this epoch's gradient size (F33 + G33), N3 the best so far;",
          "somesteps divides lr by 4 whenever N33 / N3 (N34) exceeds 2, and keeps the smaller size in N3.")
    return tab


def data_tab() -> Tab:
    tab = Tab("data")
    tab.put("A1", "b", role="header")
    tab.put("B1", "const", role="header")
    tab.put("C1", data.TRUE_CONST, role="parameter", number_format="0")
    tab.put("A2", "a", role="header")
    tab.put("B2", "slope", role="header")
    tab.put("C2", data.TRUE_SLOPE, role="parameter", number_format="0")
    tab.put("E1", "New random x on every recalculation (F9); the other tabs hold a pasted copy of one draw.",
            role="note")
    tab.put("B4", "x", role="header")
    tab.put("C4", "y", role="header")
    for r in range(5, 5 + len(data.X_TRAIN)):
        tab.put(f"B{r}", formula="=RANDBETWEEN(1,100)", number_format="0")
        tab.put(f"C{r}", formula=f"=$C$1+B{r}*$C$2", role="target", number_format="0")
    last = 4 + len(data.X_TRAIN)
    tab.charts.append(Chart("scatter", "the data and the fitted line", "E4",
                            [Series("data", absolute("data", "C5", f"C{last}"),
                                    absolute("data", "B5", f"B{last}"), trendline=True,
                                    markers_only=True)], x_title="x", y_title="y"))
    tab.column_widths.update({"A": 6, "B": 8, "C": 8})
    tab.freeze = "A5"
    return tab


README = (
    ("What is this workbook about?", None),
    ("Stochastic gradient descent (SGD) and its variations, the optimizers that train deep "
     "learning models, on the smallest model there is: a line, y = a*x + b.", None),
    ("Each optimizer tab fits a and b to the data, one (x, y) point per row; a neural network "
     "is trained the same way, with millions of weights instead of two.", None),
    (None, None),
    ("The idea of SGD:", None),
    ("1. Start from some weights (here a = b = 1).", None),
    ("2. Predict, measure the error, and move each weight a little against its gradient.", None),
    ("3. Repeat for every data point, epoch after epoch, until the weights stop improving.", None),
    (None, None),
    ("The tabs:", None),
    ("data:", "Draws x at random and computes y = 2x + 30: the true a and b we pretend not to know."),
    ("basic:", "Plain SGD. Gradients estimated by finite differences and computed exactly."),
    ("momentum:", "Steps along a decaying average of past gradients, which damps oscillations."),
    ("adagrad:", "Divides each step by the root of the running sum of squared gradients."),
    ("rmsprop:", "Divides each step by the root of a decaying average of squared gradients."),
    ("adam:", "Momentum and RMSProp together."),
    ("adam_ann:", "Adam with learning-rate annealing: lr is divided by 4 when the gradients grow."),
    ("adagrad_ann:", "Adagrad with the same annealing."),
    (None, None),
    ("The buttons on each optimizer tab:", None),
    ("Reset", "Puts a and b back to 1, and the optimizer state (and lr) back to its start."),
    ("Step", "One epoch: copies the last row's a, b and state to the top row, and recalculates."),
    ("Run", "Five epochs, as five Steps under manual calculation (the lesson's somesteps)."),
    ("Orange cells are the weights, blue cells the targets.", None),
    (None, None),
    ("Run, Step and Reset", "Run the tab's own VBA macros (somesteps, onestep, reset): any Excel "
     "with macros enabled."),
    ("Run in Python, Step in Python,", "Do the same through cellgrad, which runs those macros in "
     "Python with xlwings."),
    ("Reset in Python", "They need Python with cellgrad (pip install cellgrad); without it they "
     "say so in one line."),
)


def readme() -> Tab:
    tab = Tab("readme")
    for r, (a, b) in enumerate(README, start=1):
        if a is not None:
            tab.put(f"A{r}", a, role="title" if r == 1 or a.endswith(":") and b is None else None)
        if b is not None:
            tab.put(f"B{r}", b)
    tab.column_widths.update({"A": 30, "B": 100})
    return tab


def book() -> Book:
    return Book("graddesc.xlsm",
                [readme(), data_tab(), basic(), momentum(), adagrad(), rmsprop(), adam(), adam_ann(),
                 adagrad_ann()],
                title="Gradient descent in a spreadsheet",
                subject="fast.ai lesson 5: SGD, momentum, Adagrad, RMSProp, Adam, annealing")
