"""entropy_example.xlsx: softmax, binary cross-entropy two ways, cross-entropy as a lookup.

``LOG`` in Excel is base 10, so these losses are in log10 units, as in the lecture.
"""
from __future__ import annotations

from . import lesson_data as data
from .grid import absolute
from .layout import Book, Chart, Series, Tab

ROWS = range(3, 3 + len(data.CLASSES))  # 3..7
SUM_ROW = ROWS[-1] + 1                  # 8


def _softmax_block(tab: Tab, image: str, label_col: str, out: str, exp: str, soft: str,
                   outputs: tuple[float, ...]) -> None:
    tab.put(f"{out}1", image, role="title")
    for col, header in ((out, "output"), (exp, "exp"), (soft, "softmax")):
        tab.put(f"{col}2", header, role="header")
    for r, name, value in zip(ROWS, data.CLASSES, outputs):
        tab.put(f"{label_col}{r}", name, role="header")
        tab.put(f"{out}{r}", value, role="parameter")
        tab.put(f"{exp}{r}", formula=f"=EXP({out}{r})")
        tab.put(f"{soft}{r}", formula=f"={exp}{r}/${exp}${SUM_ROW}")
    tab.put(f"{exp}{SUM_ROW}", formula=f"=SUM({exp}{ROWS[0]}:{exp}{ROWS[-1]})")
    tab.put(f"{soft}{SUM_ROW}", formula=f"=SUM({soft}{ROWS[0]}:{soft}{ROWS[-1]})")


def softmax() -> Tab:
    tab = Tab("softmax")
    _softmax_block(tab, "Image 1", "A", "B", "C", "D", data.IMAGE1_OUTPUTS)
    _softmax_block(tab, "Image 2", "F", "G", "H", "I", data.IMAGE2_OUTPUTS)
    tab.put("K1", "binary", role="title")
    tab.put("K2", "Image 1", role="header")
    tab.put("L2", "Image 2", role="header")
    for r in ROWS:
        tab.put(f"K{r}", formula=f"=C{r}/(1+C{r})")
        tab.put(f"L{r}", formula=f"=H{r}/(1+H{r})")
    tab.put(f"A{SUM_ROW + 2}", "Different outputs, the same softmax: only the differences between "
            "the outputs matter.", role="note")
    labels = absolute("softmax", f"A{ROWS[0]}", f"A{ROWS[-1]}")
    tab.charts.append(Chart("bar", "softmax probabilities", f"A{SUM_ROW + 4}",
                            [Series("Image 1", absolute("softmax", f"D{ROWS[0]}", f"D{ROWS[-1]}"), labels),
                             Series("Image 2", absolute("softmax", f"I{ROWS[0]}", f"I{ROWS[-1]}"), labels)],
                            y_title="probability"))
    tab.column_widths.update({c: 10 for c in "ABCDEFGHIJKL"})
    tab.freeze = "A3"
    return tab


def entropy() -> Tab:
    tab = Tab("entropy")
    tab.put("B1", "isCat", role="header")
    tab.put("C1", "Preds", role="header")
    tab.put("D1", "loss", role="header")
    tab.put("E1", "loss (IF)", role="header")
    for r, (is_cat, pred) in enumerate(zip(data.IS_CAT, data.PREDS), start=2):
        tab.put(f"B{r}", is_cat, role="target", number_format="0")
        tab.put(f"C{r}", pred, role="parameter")
        tab.put(f"D{r}", formula=f"=-B{r}*LOG(C{r})-(1-B{r})*LOG(1-C{r})")
        tab.put(f"E{r}", formula=f"=-IF(B{r}=1,LOG(C{r}),LOG(1-C{r}))")
    tab.put("B9", "bytes:", role="header")
    tab.put("C9", formula="=25000*128*4/1000", number_format="0")
    tab.column_widths.update({c: 10 for c in "ABCDE"})
    tab.freeze = "A2"
    return tab


def log_entropy() -> Tab:
    tab = Tab("log_entropy")
    for col, header in zip("BCDEFGHI", ("isCat", "isDog", "Preds", "logPredCat", "logPredDog",
                                        "NLL", "idx", "idxPred")):
        tab.put(f"{col}1", header, role="header")
    for r, (is_cat, pred) in enumerate(zip(data.IS_CAT, data.PREDS), start=2):
        tab.put(f"B{r}", is_cat, role="target", number_format="0")
        tab.put(f"C{r}", formula=f"=1-B{r}", role="target", number_format="0")
        tab.put(f"D{r}", pred, role="parameter")
        tab.put(f"E{r}", formula=f"=LOG(D{r})")
        tab.put(f"F{r}", formula=f"=LOG(1-D{r})")
        tab.put(f"G{r}", formula=f"=-B{r}*E{r}-C{r}*F{r}")
        tab.put(f"H{r}", formula=f"=MATCH(1,B{r}:C{r})", number_format="0")
        tab.put(f"I{r}", formula=f"=OFFSET(D{r},0,H{r})")
    tab.column_widths.update({c: 11 for c in "ABCDEFGHI"})
    tab.freeze = "A2"
    return tab


def book() -> Book:
    return Book("entropy_example.xlsx", [softmax(), entropy(), log_entropy()],
                title="Softmax and cross-entropy in a spreadsheet",
                subject="fast.ai lesson 5: softmax, binary and categorical cross-entropy")
