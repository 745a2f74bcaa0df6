"""``solve --report``: Excel's "Answer Report 1" sheet in the written copy, opened in
LibreOffice (the real client): the sheet is there, laid out as Excel lays it out, and every value
in it is the engine's: the objective before and after, the variable cells before and after, and
per constraint cell its value, formula, status and slack."""
from __future__ import annotations

import json

import numpy as np
import pytest
from cellgrad.cli.main import main
from cellgrad.workbook import Workbook

from . import solver_models as models

REPORT = "Answer Report 1"


def _solve_with_report(capsys, source, out) -> dict:
    code = main(["solve", str(source), models.S, "--report", "--json", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def _rows(doc, height: int = 40, width: int = 7) -> list[list[object]]:
    return doc.get(REPORT, f"A1:{'ABCDEFG'[width - 1]}{height}")


def _table(rows: list[list[object]], title: str) -> list[list[object]]:
    """The lines under ``title`` in column B, after its header line, up to the next empty line."""
    start = next(i for i, row in enumerate(rows) if row[1] == title or str(row[1]).startswith(title))
    out = []
    for row in rows[start + 2:]:
        if row[1] in (None, ""):
            break
        out.append(row[1:])
    return out


def test_answer_report_of_a_production_plan_in_libreoffice(office, capsys, tmp_path):
    source = models.production(tmp_path)
    out = tmp_path / "solved.xlsx"
    report = _solve_with_report(capsys, source, out)
    engine = Workbook.load(str(out), calculate=True)
    doc = office.open(out, pivot_tables=False)
    try:
        doc.calculate_all()
        rows = _rows(doc)
        plan = doc.get(models.S, "B2:D2")[0]
        used = [r[0] for r in doc.get(models.S, "E5:E7")]
    finally:
        doc.close()
    assert rows[3][0] == f"Result: {report['message']}"
    assert rows[5][0] == "Engine: Simplex LP"
    objective = _table(rows, "Objective Cell (Max)")
    assert objective == [["$E$3", "Profit", report["objective_before"], report["objective_after"], None, None]]
    assert objective[0][3] == engine["Model!E3"]
    variables = _table(rows, "Variable Cells")
    assert [v[0] for v in variables] == ["$B$2", "$C$2", "$D$2"]
    assert [v[2] for v in variables] == [0.0, 0.0, 0.0]
    assert [v[3] for v in variables] == plan == engine.array("Model!B2:D2").ravel().tolist()
    assert [v[4] for v in variables] == ["Contin"] * 3
    constraints = _table(rows, "Constraints")
    assert [c[0] for c in constraints] == ["$E$5", "$E$6", "$E$7"]
    assert [c[2] for c in constraints] == used == engine.array("Model!E5:E7").ravel().tolist()
    assert [c[3] for c in constraints] == ["$E$5<=$F$5", "$E$6<=$F$6", "$E$7<=$F$7"]
    hours = models.PRODUCTION_HOURS
    for (cell, name, value, formula, status, slack), limit in zip(constraints, hours):
        assert slack == pytest.approx(0.0 if status == "Binding" else limit - value, abs=1e-12)
        assert status == ("Binding" if abs(limit - value) <= 1e-6 * (1 + limit) else "Not Binding")
    assert {c[4] for c in constraints} == {"Binding", "Not Binding"}  # this plan has both


def test_answer_report_of_integer_cells(office, capsys, tmp_path):
    out = tmp_path / "solved.xlsx"
    report = _solve_with_report(capsys, models.knapsack(tmp_path), out)
    doc = office.open(out, pivot_tables=False)
    try:
        rows = _rows(doc, height=60)
        taken = doc.get(models.S, "A2:H2")[0]
    finally:
        doc.close()
    variables = _table(rows, "Variable Cells")
    assert [v[4] for v in variables] == ["Binary"] * 8
    assert [v[3] for v in variables] == taken
    constraints = _table(rows, "Constraints")
    assert constraints[0][3] == "$J$4<=$K$4"
    assert [c[3] for c in constraints[1:]] == [f"${c}$2=binary" for c in "ABCDEFGH"]
    assert report["objective_after"] == float(np.dot(taken, models.KNAPSACK_VALUES))
