"""The Solver model Excel stores: read from the reference workbook, and every bad model refused
with one line that names the sheet and the solver_* name at fault (API and command line)."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cellgrad.cli.main import main
from cellgrad.core.cells import DefinedName
from cellgrad.core.errors import SolverError
from cellgrad.core.references import Range
from cellgrad.ml.solver import Settings, read_model, solve, solve_book
from cellgrad.ml.solver.solve import DEFAULT_RESTARTS
from cellgrad.workbook import Workbook

from .builder import write_workbook
from .conftest import ROOT, reference_path, require

QUICK = Settings(restarts=0, max_seconds=10)


def _model_names(objective: str, changing: str, **extra: str) -> dict[tuple[str, str], str]:
    names = {"solver_opt": objective, "solver_adj": changing, "solver_typ": "2", "solver_val": "0",
             "solver_neg": "2", "solver_num": "0", **extra}
    return {("S", k): v for k, v in names.items()}


def test_reference_models_are_read_as_excel_stored_them():
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    dotprod = read_model(book, "dotprod")
    assert dotprod.objective == Range.parse("dotprod!V41")
    assert dotprod.changing == (Range.parse("dotprod!H19:V23"), Range.parse("dotprod!B25:F39"))
    assert (dotprod.goal, dotprod.target, dotprod.non_negative) == ("min", 0.0, False)
    assert (dotprod.max_iterations, dotprod.max_seconds) == (None, None)  # 2147483647: no limit
    bias = read_model(book, "bias")
    assert bias.changing == (Range.parse("bias!H19:V24"), Range.parse("bias!A26:F40"))
    assert bias.size == 90 + 90


def test_a_union_of_areas_on_a_quoted_sheet_name_with_a_comma(tmp_path):
    title = "it's, quoted"
    quoted = "'it''s, quoted'"
    names = {"solver_opt": f"{quoted}!$C$1", "solver_adj": f"{quoted}!$A$1:$A$2,{quoted}!$B$1",
             "solver_typ": "2"}
    source = write_workbook(tmp_path / "quoted.xlsx", {title: {"A1": 1.0, "A2": 2.0, "B1": 3.0,
                                                               "C1": "=A1*A2+B1^2"}},
                            sheet_names={(title, k): v for k, v in names.items()})
    model = read_model(Workbook.load(source), title)
    assert model.objective == Range(title, 1, 3, 1, 3)
    assert model.changing == (Range(title, 1, 1, 2, 1), Range(title, 1, 2, 1, 2))


# -- bad input: (id, workbook maker, sheet, words the one-line message must contain) -----------
def _reference(tmp_path: Path) -> Path:
    return reference_path("collab_filter.xlsx")


def _formula_changing(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "formula.xlsx", {"S": {"A1": 1.0, "B1": "=A1*2", "C1": "=(B1-3)^2"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1,S!$B$1"))


def _text_objective(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "text.xlsx", {"S": {"A1": 1.0, "C1": '=IF(A1>0,"high","low")'}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1"))


def _error_objective(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "error.xlsx", {"S": {"A1": 0.0, "C1": "=1/A1"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1"))


def _text_changing(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "textin.xlsx", {"S": {"A1": "abc", "C1": "=LEN(A1)"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1"))


def _constrained(tmp_path: Path, name: str, cells: dict[str, object], *constraints: tuple[str, str, str],
                 **extra: str) -> Path:
    """A model on S changing A1 with objective C1 and constraints (lhs, rel, rhs)."""
    names = {f"solver_{part}{i}": text for i, c in enumerate(constraints, start=1)
             for part, text in zip(("lhs", "rel", "rhs"), c)}
    return write_workbook(tmp_path / f"{name}.xlsx", {"S": {"A1": 1.0, **cells}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1", **{
                              "solver_num": str(len(constraints)), **names, **extra}))


def _infeasible(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "infeasible", {"B1": "=2*A1", "C1": "=A1^2"},
                        ("S!$B$1", "3", "10"), ("S!$B$1", "1", "4"))


def _infeasible_lp(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "infeasible_lp", {"B1": "=2*A1", "C1": "=A1"},
                        ("S!$B$1", "3", "10"), ("S!$B$1", "1", "4"), solver_eng="2")


def _contradicting_bounds(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "bounds", {"C1": "=A1"}, ("S!$A$1", "3", "5"), ("S!$A$1", "1", "3"),
                        solver_eng="2")


def _nonlinear_lp(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "nonlinear", {"C1": "=(A1-2)^2"}, ("S!$A$1", "1", "10"), solver_eng="2")


def _unbounded_lp(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "unbounded_lp", {"B1": "=A1", "C1": "=3*A1"}, ("S!$B$1", "3", "0"),
                        solver_eng="2", solver_typ="1")


def _text_constraint(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "textcon", {"B1": '=IF(A1>0,"yes","no")', "C1": "=A1^2"},
                        ("S!$B$1", "1", "4"))


def _integer_grg(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "integer", {"C1": "=A1^2"}, ("S!$A$1", "4", "integer"))


def _all_different(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "dif", {"C1": "=A1^2"}, ("S!$A$1", "6", "AllDifferent"), solver_eng="3")


def _missing_constraint(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "missing", {"C1": "=A1^2"}, ("S!$A$1", "1", "4"), solver_num="2")


def _multistart_unbounded(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "multistart", {"C1": "=A1^2"}, ("S!$A$1", "1", "4"), solver_msl="1",
                        solver_rbv="1", solver_ssz="5")


def _evolutionary_unbounded(tmp_path: Path) -> Path:
    return _constrained(tmp_path, "evolution", {"C1": "=A1^2"}, ("S!$A$1", "1", "4"), solver_eng="3")


def _bad_goal(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "goal.xlsx", {"S": {"A1": 1.0, "C1": "=A1^2"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1", solver_typ="7"))


def _independent(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "independent.xlsx", {"S": {"A1": 1.0, "B1": 2.0, "C1": "=B1^2"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1"))


def _unbounded(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "unbounded.xlsx", {"S": {"A1": 1.0, "C1": "=EXP(A1)"}},
                          sheet_names=_model_names("S!$C$1", "S!$A$1", solver_typ="1"))


BAD = [
    ("objective #REF! (movielens_1hot)", _reference, "movielens_1hot", ["solver_opt", "#REF!"]),
    ("objective #REF! (movielens_emb)", _reference, "movielens_emb", ["solver_opt", "#REF!"]),
    ("no Solver model", _reference, "word_emb", ["solver_opt", "no Solver model", "dotprod"]),
    ("unknown sheet", _reference, "dotprd", ["no sheet named 'dotprd'"]),
    ("changing cells hold formulas", _formula_changing, "S", ["solver_adj", "S!B1", "hold formulas", "read S!A1"]),
    ("text objective", _text_objective, "S", ["solver_opt", "S!C1", "'high'", "not a number"]),
    ("error objective", _error_objective, "S", ["solver_opt", "S!C1", "#DIV/0!", "not a number"]),
    ("text changing cell", _text_changing, "S", ["solver_adj", "S!A1", "'abc'", "not a number"]),
    ("infeasible constraints (GRG)", _infeasible, "S", ["solver_num", "Solver could not find a feasible solution", "$B$1>=10"]),
    ("infeasible constraints (Simplex LP)", _infeasible_lp, "S", ["Solver could not find a feasible solution"]),
    ("contradicting bounds", _contradicting_bounds, "S", ["solver_lhs2", "Solver could not find a feasible solution", "S!A1"]),
    ("non-linear model to Simplex LP", _nonlinear_lp, "S", ["solver_opt", "not linear", "S!C1", "GRG Nonlinear"]),
    ("unbounded LP", _unbounded_lp, "S", ["solver_opt", "The Objective Cell values do not converge"]),
    ("constraint cell not a number", _text_constraint, "S", ["solver_lhs1", "S!B1", "'yes'", "not a number"]),
    ("integer constraint to GRG", _integer_grg, "S", ["solver_rel1", "S!A1", "integer", "GRG Nonlinear"]),
    ("AllDifferent", _all_different, "S", ["solver_rel1", "AllDifferent"]),
    ("constraint missing", _missing_constraint, "S", ["solver_lhs2", "missing"]),
    ("Evolutionary without bounds", _evolutionary_unbounded, "S", ["solver_eng", "Evolutionary", "S!A1"]),
    ("unknown goal", _bad_goal, "S", ["solver_typ", "'7'"]),
    ("objective independent of changing cells", _independent, "S", ["solver_opt", "does not depend"]),
    ("unbounded objective", _unbounded, "S", ["solver_opt", "every run diverged", "S!C1"]),
]


@pytest.mark.parametrize("make, sheet, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_model_is_a_one_line_solver_error(tmp_path, make, sheet, words):
    book = Workbook.load(make(tmp_path))
    with pytest.raises(SolverError) as caught:
        solve_book(book, sheet, QUICK)
    message = str(caught.value)
    assert "\n" not in message
    assert f"sheet {sheet!r}" in message or "no sheet named" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("make, sheet, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_model_on_the_command_line(tmp_path, capsys, make, sheet, words):
    source = make(tmp_path)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "out" / "solved.xlsx"
    out.parent.mkdir()
    code = main(["solve", str(source), sheet, "--out", str(out), "--multistart", "0"])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cellgrad solve: ")
    assert all(word in lines[0] for word in words)
    assert captured.out == ""
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert list(out.parent.iterdir()) == []


def test_multistart_that_requires_bounds_without_them(tmp_path):
    """solver_msl 1 with solver_rbv 1 ("Require Bounds on Variables") and a cell without a lower
    bound: refused, unless the command line turns multistart off (--multistart 0)."""
    source = _multistart_unbounded(tmp_path)
    with pytest.raises(SolverError) as caught:
        solve_book(Workbook.load(source), "S", Settings(max_seconds=10))
    assert "solver_rbv" in str(caught.value) and "Require Bounds" in str(caught.value)
    assert solve_book(Workbook.load(source), "S", QUICK).runs == 1


def test_changing_cells_that_hold_formulas_name_what_they_read():
    """movielens_1hot with its objective repaired: its user weights are formulas reading dotprod."""
    book = Workbook.load(reference_path("collab_filter.xlsx"))
    book.sheets["movielens_1hot"].names["SOLVER_OPT"] = DefinedName(
        "solver_opt", "movielens_1hot!$BH$210", "movielens_1hot", True)
    with pytest.raises(SolverError) as caught:
        read_model(book, "movielens_1hot")
    message = str(caught.value)
    assert "changing cells movielens_1hot!C4:G18 hold formulas, which read dotprod!B25:F39" in message
    assert "movielens_1hot!C22" not in message  # the pasted movie weights are constants


def test_the_input_is_never_the_output(tmp_path, capsys):
    source = write_workbook(tmp_path / "in.xlsx", {"S": {"A1": 1.0, "C1": "=A1^2"}},
                            sheet_names=_model_names("S!$C$1", "S!$A$1"))
    before = source.read_bytes()
    code = main(["solve", str(source), "S", "--out", str(tmp_path / "." / "in.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "refusing to overwrite the source" in err
    assert source.read_bytes() == before


def test_a_folder_where_no_file_can_be_made_is_refused_before_the_search(tmp_path, capsys):
    """/proc exists and os.access calls it writable for root, yet no file can be created there:
    one line, exit 2, before any search (it used to be a traceback after the search)."""
    require(Path("/proc").is_dir(), "no /proc on this system")
    source = write_workbook(tmp_path / "in.xlsx", {"S": {"A1": 1.0, "C1": "=A1^2"}},
                            sheet_names=_model_names("S!$C$1", "S!$A$1"))
    before = source.read_bytes()
    code = main(["solve", str(source), "S", "--out", "/proc/solved.xlsx"])
    captured = capsys.readouterr()
    assert code == 2 and captured.err.count("\n") == 1 and "/proc" in captured.err
    assert "not writable" in captured.err and "Traceback" not in captured.err
    assert captured.out == "" and source.read_bytes() == before


@pytest.mark.parametrize("option, value, says", [
    ("--multistart", "x", "not a whole number: 'x'"), ("--multistart", "-1", "must be 0 or more"),
    ("--max-seconds", "x", "not a number: 'x'"), ("--max-seconds", "0", "0 is not a positive number"),
])
def test_bad_option_values_are_usage_errors(capsys, option, value, says):
    with pytest.raises(SystemExit) as caught:
        main(["solve", "in.xlsx", "S", option, value])
    assert caught.value.code == 2
    assert f"argument {option}: {says}" in capsys.readouterr().err


def test_a_real_process_prints_no_traceback(tmp_path):
    source = reference_path("collab_filter.xlsx")
    result = subprocess.run([sys.executable, "-m", "cellgrad", "solve", str(source), "movielens_emb"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "solver_opt" in result.stderr


# -- goals and bounds the stored model chooses ---------------------------------------------------
GOALS = [
    # (id, objective formula, extra names, expected A1, expected objective): each known by hand
    ("max", "=7-(A1-3)^2", {"solver_typ": "1"}, 3.0, 7.0),
    ("min", "=(A1+1.5)^2+2", {}, -1.5, 2.0),
    ("value of", "=2*A1", {"solver_typ": "3", "solver_val": "5"}, 2.5, 5.0),
    ("min, non-negative", "=(A1+2)^2", {"solver_neg": "1"}, 0.0, 4.0),
]


ARGMIN_REACHED = 1e-6
OPTIMUM_REACHED = 1e-9


@pytest.mark.parametrize("formula, extra, expected_a1, expected_objective",
                         [g[1:] for g in GOALS], ids=[g[0] for g in GOALS])
def test_goal_and_bounds_follow_the_stored_model(tmp_path, formula, extra, expected_a1, expected_objective):
    source = write_workbook(tmp_path / "goal.xlsx", {"S": {"A1": 0.5, "C1": formula}},
                            sheet_names=_model_names("S!$C$1", "S!$A$1", **extra))
    report = solve(str(source), "S", QUICK, out=str(tmp_path / "solved.xlsx"))
    solved = Workbook.load(report.output, calculate=True)
    # Not arithmetic tolerances but where an optimizer stops: near a quadratic minimum the
    # objective is flat, so an argmin 1e-6 away changes the objective by only ~1e-12.
    assert solved["S!A1"] == pytest.approx(expected_a1, abs=ARGMIN_REACHED)
    assert solved["S!C1"] == pytest.approx(expected_objective, abs=OPTIMUM_REACHED)
    assert report.objective_after == pytest.approx(solved["S!C1"], rel=1e-12)


def test_help_states_the_defaults_the_solver_uses(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    defaults = Settings()
    assert defaults.method == "lbfgs" and "torch.optim.LBFGS (default)" in text
    assert defaults.restarts is None and f"else {DEFAULT_RESTARTS} without constraints" in text
    assert f"(default {defaults.max_seconds:g};" in text
    assert f"(default {defaults.seed})" in text


def test_device_cuda_runs_there_or_is_refused_in_one_line(tmp_path, capsys):
    import torch
    source = write_workbook(tmp_path / "in.xlsx", {"S": {"A1": 1.0, "C1": "=A1^2"}},
                            sheet_names=_model_names("S!$C$1", "S!$A$1"))
    code = main(["solve", str(source), "S", "--device", "cuda", "--multistart", "0", "--json",
                 "--out", str(tmp_path / "o.xlsx")])
    captured = capsys.readouterr()
    if torch.cuda.is_available():
        assert code == 0 and '"device": "cuda' in captured.out
        return
    assert code == 2 and captured.err.count("\n") == 1 and "CUDA is not available" in captured.err
    assert not (tmp_path / "o.xlsx").exists()
