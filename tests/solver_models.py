"""Workbooks with a stored Solver model, written here with openpyxl as Excel writes the model.

Excel's Solver keeps its dialog in hidden sheet-scoped names (``solver_opt``, ``solver_adj``,
``solver_lhs1``...; yes/no options as 1/2, "no limit" as 2147483647); :func:`excel_names` gives
the full set Excel 2010 and later write, with the dialog's defaults, so each test states only what
its model changes. Every model here has a known optimum that the test computes independently.
"""
from __future__ import annotations

from pathlib import Path
import numpy as np

from .builder import write_workbook

NO_LIMIT = "2147483647"
S = "Model"


def excel_names(objective: str, changing: str, constraints: list[tuple[str, int, str]] = (),
                **options: str) -> dict[tuple[str, str], str]:
    """The names Excel writes for a model on sheet ``S``: constraints as (lhs, rel, rhs)."""
    names = {"solver_adj": changing, "solver_cvg": "0.0001", "solver_drv": "1", "solver_eng": "1",
             "solver_est": "1", "solver_itr": NO_LIMIT, "solver_mip": NO_LIMIT, "solver_mni": "30",
             "solver_mrt": "0.075", "solver_msl": "2", "solver_neg": "2", "solver_nod": NO_LIMIT,
             "solver_num": str(len(constraints)), "solver_nwt": "1", "solver_opt": objective,
             "solver_pre": "0.000001", "solver_rbv": "1", "solver_rlx": "2", "solver_rsd": "0",
             "solver_scl": "1", "solver_sho": "2", "solver_ssz": "100", "solver_tim": NO_LIMIT,
             "solver_tol": "0.01", "solver_typ": "2", "solver_val": "0", "solver_ver": "3"}
    for i, (lhs, rel, rhs) in enumerate(constraints, start=1):
        names[f"solver_lhs{i}"] = lhs
        names[f"solver_rel{i}"] = str(rel)
        names[f"solver_rhs{i}"] = rhs
    names.update(options)
    return {(S, k): v for k, v in names.items()}


def _column(letter: str, first: int, values: np.ndarray) -> dict[str, float]:
    return {f"{letter}{first + i}": float(v) for i, v in enumerate(values)}


def regression(tmp: Path, **options: str) -> tuple[Path, np.ndarray, np.ndarray]:
    """Least squares: y = b0 + b1 x1 + b2 x2 + noise over 20 rows; the SSE in H1 by changing
    F1:F3 (GRG, no constraints; ``options``: more solver_* names). Returns the path, the design
    matrix and y."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (20, 2))
    y = 0.5 + 1.5 * x[:, 0] - 2.0 * x[:, 1] + rng.normal(0, 0.1, 20)
    cells: dict[str, object] = {**_column("A", 2, x[:, 0]), **_column("B", 2, x[:, 1]), **_column("C", 2, y),
                                "F1": 0.0, "F2": 0.0, "F3": 0.0, "G1": "SSE"}
    for i in range(20):
        cells[f"D{i + 2}"] = f"=$F$1+$F$2*A{i + 2}+$F$3*B{i + 2}"
    cells["H1"] = "=SUMXMY2(C2:C21,D2:D21)"
    design = np.column_stack([np.ones(20), x])
    path = write_workbook(tmp / "regression.xlsx", {S: cells},
                          sheet_names=excel_names(f"{S}!$H$1", f"{S}!$F$1:$F$3", **options))
    return path, design, y


def logistic(tmp: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    """Logistic regression on 30 rows by changing F1 (weight) and F2 (bias), with the weight held
    to at most 1.5 and the bias to [-1, 1]: the negative log-likelihood in H1, minimized."""
    rng = np.random.default_rng(2)
    x = rng.uniform(-3, 3, 30)
    labels = (rng.uniform(size=30) < 1 / (1 + np.exp(-(3.0 * x + 0.4)))).astype(float)
    cells: dict[str, object] = {**_column("A", 2, x), **_column("B", 2, labels), "F1": 0.0, "F2": 0.0}
    for i in range(30):
        r = i + 2
        cells[f"C{r}"] = f"=1/(1+EXP(-($F$1*A{r}+$F$2)))"
        cells[f"D{r}"] = f"=-(B{r}*LN(C{r})+(1-B{r})*LN(1-C{r}))"
    cells["H1"] = "=SUM(D2:D31)"
    path = write_workbook(tmp / "logistic.xlsx", {S: cells}, sheet_names=excel_names(
        f"{S}!$H$1", f"{S}!$F$1:$F$2",
        [(f"{S}!$F$1", 1, "1.5"), (f"{S}!$F$2", 1, "1"), (f"{S}!$F$2", 3, "-1")]))
    return path, x, labels


def relu_net(tmp: Path, multistart: bool = True) -> Path:
    """A 2-layer ReLU net, 1 input, 2 hidden units, 1 output, fitting y = |x| on 9 points: exact
    with relu(x) + relu(-x), so the optimum SSE is 0. Weights in F1:F7 bounded to [-3, 3];
    Multistart with a population of 20."""
    xs = np.linspace(-2, 2, 9)
    cells: dict[str, object] = {**_column("A", 2, xs), **_column("B", 2, np.abs(xs)),
                                # a start where one hidden unit is dead on every point
                                "F1": 0.5, "F2": -3.0, "F3": 0.3, "F4": 0.1, "F5": 0.2, "F6": 0.1, "F7": 0.0}
    for i in range(9):
        r = i + 2
        cells[f"C{r}"] = f"=IF($F$1*A{r}+$F$2>0,$F$1*A{r}+$F$2,0)"
        cells[f"D{r}"] = f"=IF($F$3*A{r}+$F$4>0,$F$3*A{r}+$F$4,0)"
        cells[f"E{r}"] = f"=$F$5*C{r}+$F$6*D{r}+$F$7"
    cells["H1"] = "=SUMXMY2(B2:B10,E2:E10)"
    return write_workbook(tmp / "relu.xlsx", {S: cells}, sheet_names=excel_names(
        f"{S}!$H$1", f"{S}!$F$1:$F$7", [(f"{S}!$F$1:$F$7", 1, "3"), (f"{S}!$F$1:$F$7", 3, "-3")],
        solver_msl="1" if multistart else "2", solver_ssz="20"))


PRODUCTION_PROFIT = np.array([20.0, 30.0, 25.0])
PRODUCTION_USE = np.array([[1.0, 2.0, 1.5], [3.0, 1.0, 2.0], [1.0, 1.0, 1.0]])  # hours per unit
PRODUCTION_HOURS = np.array([100.0, 150.0, 80.0])


def production(tmp: Path) -> Path:
    """Production planning: units of 3 products in B2:D2, profit per unit in row 3, hours of 3
    resources per unit in B5:D7, hours used in E5:E7 (SUMPRODUCT) at most the hours in F5:F7,
    total profit in E3, maximized with Simplex LP; units non-negative (solver_neg)."""
    cells: dict[str, object] = {"A2": "Units", "B2": 0.0, "C2": 0.0, "D2": 0.0, "A3": "Profit",
                                "E3": "=SUMPRODUCT(B2:D2,B3:D3)"}
    for j, col in enumerate("BCD"):
        cells[f"{col}3"] = PRODUCTION_PROFIT[j]
        for i in range(3):
            cells[f"{col}{5 + i}"] = PRODUCTION_USE[i, j]
    for i in range(3):
        cells[f"E{5 + i}"] = f"=SUMPRODUCT($B$2:$D$2,B{5 + i}:D{5 + i})"
        cells[f"F{5 + i}"] = PRODUCTION_HOURS[i]
    return write_workbook(tmp / "production.xlsx", {S: cells}, sheet_names=excel_names(
        f"{S}!$E$3", f"{S}!$B$2:$D$2", [(f"{S}!$E$5:$E$7", 1, f"{S}!$F$5:$F$7")],
        solver_typ="1", solver_eng="2", solver_neg="1"))


KNAPSACK_VALUES = np.array([10.0, 13.0, 7.0, 8.0, 15.0, 4.0, 9.0, 11.0])
KNAPSACK_WEIGHTS = np.array([5.0, 7.0, 3.0, 4.0, 8.0, 2.0, 5.0, 6.0])
KNAPSACK_CAPACITY = 20.0


def knapsack(tmp: Path, engine: str = "2") -> Path:
    """Take items (A2:H2 binary) worth row 3 and weighing row 4, at most 20 in all: the total
    value in J3 maximized."""
    cells: dict[str, object] = {"J3": "=SUMPRODUCT(A2:H2,A3:H3)", "J4": "=SUMPRODUCT(A2:H2,A4:H4)",
                                "K4": KNAPSACK_CAPACITY}
    for j, col in enumerate("ABCDEFGH"):
        cells[f"{col}2"] = 0.0
        cells[f"{col}3"] = KNAPSACK_VALUES[j]
        cells[f"{col}4"] = KNAPSACK_WEIGHTS[j]
    return write_workbook(tmp / f"knapsack{engine}.xlsx", {S: cells}, sheet_names=excel_names(
        f"{S}!$J$3", f"{S}!$A$2:$H$2", [(f"{S}!$J$4", 1, f"{S}!$K$4"), (f"{S}!$A$2:$H$2", 5, "binary")],
        solver_typ="1", solver_eng=engine, solver_ssz="40"))


ASSIGNMENT_COST = np.array([[9.0, 2.0, 7.0, 8.0], [6.0, 4.0, 3.0, 7.0], [5.0, 8.0, 1.0, 8.0],
                            [7.0, 6.0, 9.0, 4.0]])


def assignment(tmp: Path) -> Path:
    """4 workers to 4 jobs: integer cells B2:E5 >= 0, each row and column summing to 1, the total
    cost (SUMPRODUCT with the costs in B8:E11) in G1 minimized with Simplex LP."""
    cells: dict[str, object] = {"G1": "=SUMPRODUCT(B2:E5,B8:E11)"}
    for i in range(4):
        for j, col in enumerate("BCDE"):
            cells[f"{col}{2 + i}"] = 0.0
            cells[f"{col}{8 + i}"] = ASSIGNMENT_COST[i, j]
        cells[f"F{2 + i}"] = f"=SUM(B{2 + i}:E{2 + i})"
    for col in "BCDE":
        cells[f"{col}6"] = f"=SUM({col}2:{col}5)"
    return write_workbook(tmp / "assignment.xlsx", {S: cells}, sheet_names=excel_names(
        f"{S}!$G$1", f"{S}!$B$2:$E$5",
        [(f"{S}!$B$2:$E$5", 4, "integer"), (f"{S}!$B$2:$E$5", 3, "0"),
         (f"{S}!$F$2:$F$5", 2, "1"), (f"{S}!$B$6:$E$6", 2, "1")],
        solver_eng="2"))


def fence(tmp: Path) -> Path:
    """The largest rectangle a fence of 10 encloses against a wall: width A1 and depth A2 with
    A1 + 2 A2 (B1, a formula) at most 10, the area A1 A2 (C1) maximized with GRG Nonlinear: by
    hand, A1 = 5, A2 = 2.5, area 12.5, the constraint binding."""
    return write_workbook(tmp / "fence.xlsx", {S: {"A1": 1.0, "A2": 1.0, "B1": "=A1+2*A2", "C1": "=A1*A2"}},
                          sheet_names=excel_names(f"{S}!$C$1", f"{S}!$A$1:$A$2",
                                                  [(f"{S}!$B$1", 1, "10")], solver_typ="1"))
