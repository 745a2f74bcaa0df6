"""Excel's Answer Report: the solve's result as the "Answer Report 1" sheet Excel adds.

Laid out as Excel lays it out: a title block (worksheet, result, engine, time, iterations,
options), then three tables from column B: the objective cell (original and final value), the
variable cells (original, final, integer or continuous) and the constraints, one line per cell
(its value, the constraint as a formula such as ``$F$4<=$B$4``, Binding or Not Binding, slack).
Every value is the formula engine's, read after the solution was written back. A name is the
nearest text to the left of the cell and the nearest text above it, as Excel builds it.
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

from ...core.references import Range, cell_name, quote_sheet
from ...core.values import Scalar
from ...workbook import Workbook
from .outcome import Outcome
from .stored_model import Constraint, SolverModel

ANSWER_REPORT = "Answer Report 1"


@dataclass(frozen=True)
class ConstraintLine:
    cell: str
    name: str
    value: float
    formula: str
    status: str       # Binding / Not Binding
    slack: float
    satisfied: bool


@dataclass
class Answer:
    worksheet: str
    message: str
    engine: str
    seconds: float
    iterations: int
    goal: str
    precision: float
    objective: tuple[str, str, float, float]                       # cell, name, original, final
    variables: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    constraints: list[ConstraintLine] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return all(line.satisfied for line in self.constraints)

    def violated(self) -> str:
        bad = [line.formula for line in self.constraints if not line.satisfied]
        return ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")

    def rows(self) -> list[list[Scalar]]:
        """The sheet, row by row from A1."""
        title = [
            ["cellgrad Answer Report"],
            [f"Worksheet: {self.worksheet}"],
            [f"Report Created: {datetime.datetime.now():%d/%m/%Y %H:%M:%S}"],
            [f"Result: {self.message}"],
            ["Solver Engine"],
            [f"Engine: {self.engine}"],
            [f"Solution Time: {self.seconds:.3f} Seconds."],
            [f"Iterations: {self.iterations}"],
            ["Solver Options"],
            [f"Precision {self.precision:g}"],
            [],
        ]
        cell, name, original, final = self.objective
        rows: list[list[Scalar]] = title + [
            [None, f"Objective Cell ({self.goal})"],
            [None, "Cell", "Name", "Original Value", "Final Value"],
            [None, cell, name, original, final],
            [],
            [None, "Variable Cells"],
            [None, "Cell", "Name", "Original Value", "Final Value", "Integer"],
            *[[None, *line] for line in self.variables],
            [],
            [None, "Constraints"],
            [None, "Cell", "Name", "Cell Value", "Formula", "Status", "Slack"],
        ]
        rows.extend([None, c.cell, c.name, c.value, c.formula, c.status, c.slack]
                    for c in self.constraints)
        return rows


def answer(book: Workbook, model: SolverModel, original: dict[Range, list[list[Scalar]]],
           before: float, outcome: Outcome) -> Answer:
    """The report of a solve whose solution ``book`` now holds."""
    goal = {"max": "Max", "min": "Min", "value": f"Value Of {model.target:g}"}[model.goal]
    obj = model.objective
    result = Answer(worksheet=f"[{os.path.basename(book.path or '')}]{model.sheet}",
                    message=outcome.message, engine=model.engine, seconds=outcome.seconds,
                    iterations=outcome.steps, goal=goal, precision=model.options.precision,
                    objective=(_address(obj.sheet, obj.r1, obj.c1, model.sheet),
                               _name(book, obj.sheet, obj.r1, obj.c1), before,
                               _number(book, obj.sheet, obj.r1, obj.c1)))
    kinds = {(c.cells.sheet, r, col): ("Integer" if c.relation == "int" else "Binary")
             for c in model.integers for r, col in c.cells.cells()}
    for rng in model.changing:
        for (r, c), old in zip(rng.cells(), (v for row in original[rng] for v in row)):
            result.variables.append((_address(rng.sheet, r, c, model.sheet), _name(book, rng.sheet, r, c),
                                     float(old or 0.0), _number(book, rng.sheet, r, c),
                                     kinds.get((rng.sheet, r, c), "Contin")))
    for constraint in model.constraints:
        result.constraints.extend(_lines(book, model, constraint))
    return result


def _lines(book: Workbook, model: SolverModel, c: Constraint) -> list[ConstraintLine]:
    out = []
    cells = list(c.cells.cells())
    bound = c.bound
    bounds = list(bound.cells()) if isinstance(bound, Range) else []
    for k, (r, col) in enumerate(cells):
        address = _address(c.cells.sheet, r, col, model.sheet)
        value = _number(book, c.cells.sheet, r, col)
        if c.relation in ("int", "bin"):
            target = round(value) if c.relation == "int" else min((0.0, 1.0), key=lambda t: abs(t - value))
            ok = abs(value - target) <= model.options.precision
            out.append(ConstraintLine(address, _name(book, c.cells.sheet, r, col), value,
                                      f"{address}={'integer' if c.relation == 'int' else 'binary'}",
                                      "Binding", 0.0, ok))
            continue
        if isinstance(bound, Range):
            br, bc = bounds[k] if len(bounds) > 1 else bounds[0]
            rhs = _number(book, bound.sheet, br, bc)
            rhs_text = _address(bound.sheet, br, bc, model.sheet)
        else:
            rhs, rhs_text = float(bound), f"{bound:g}"  # type: ignore[arg-type]
        slack = abs(rhs - value)
        tolerance = model.options.precision * (1 + abs(rhs))
        ok = {"<=": value <= rhs + tolerance, ">=": value >= rhs - tolerance,
              "=": slack <= tolerance}[c.relation]
        status = "Binding" if slack <= tolerance else "Not Binding"
        out.append(ConstraintLine(address, _name(book, c.cells.sheet, r, col), value,
                                  f"{address}{c.relation}{rhs_text}", status,
                                  0.0 if status == "Binding" else slack, ok))
    return out


def _number(book: Workbook, sheet: str, row: int, col: int) -> float:
    value = book.current(sheet, row, col)
    return 0.0 if value is None else float(value)  # type: ignore[arg-type]


def _address(sheet: str, row: int, col: int, home: str) -> str:
    text = "$" + cell_name(row, col).rstrip("0123456789") + "$" + str(row)
    return text if sheet == home else f"{quote_sheet(sheet)}!{text}"


def _name(book: Workbook, sheet: str, row: int, col: int) -> str:
    """The nearest text to the left in the row, then the nearest text above in the column."""
    left = next((v for c in range(col - 1, 0, -1)
                 if isinstance(v := book.current(sheet, row, c), str) and v), "")
    above = next((v for r in range(row - 1, 0, -1)
                  if isinstance(v := book.current(sheet, r, col), str) and v), "")
    return " ".join(part for part in (left, above) if part)
