"""What the engine computes is said in one place: the registry. `cellgrad functions` lists it,
the README's coverage table shows it, and a formula calling anything else is a warning naming
the function and its cells, never a silent #NAME?."""
from __future__ import annotations

import json
import re
import warnings

import pytest
from cellgrad.cli.functions import markdown_table
from cellgrad.cli.main import main
from cellgrad.core.errors import CellgradWarning, UnsupportedFunctionWarning
from cellgrad.core.values import ExcelError
from cellgrad.functions import REGISTRY, families
from cellgrad.workbook import Workbook

from .builder import write_workbook
from .conftest import ROOT


def readme_coverage_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Function coverage", 1)[1].split("\n#", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_readme_table_is_the_registry() -> None:
    assert readme_coverage_table() == markdown_table(), \
        "README's coverage table differs from the registry: paste `cellgrad functions --markdown`"


def test_readme_states_the_count() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Function coverage", 1)[1]
    count = sum(len(names) for names in families().values())
    assert re.search(rf"\b{count} functions\b", section.split("\n#", 1)[0])


def test_cli_lists_every_function_once(capsys) -> None:
    assert main(["functions", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    names = [n for group in listed["families"].values() for n in group]
    excel = sorted(n for n in REGISTRY if not n.startswith("_"))  # _PARAMETER is the engine's
    assert sorted(names) == excel and listed["count"] == len(excel)
    assert main(["functions"]) == 0
    text = capsys.readouterr().out
    assert text.rstrip().endswith(f"{len(excel)} functions")
    assert all(f"{family} ({len(group)}):" in text for family, group in families().items())


# The list, by family: each must be in the registry.
ASKED = """AND FALSE IF IFERROR IFNA IFS NOT OR SWITCH TRUE XOR
ISBLANK ISERR ISERROR ISEVEN ISLOGICAL ISNA ISNONTEXT ISNUMBER ISODD ISREF ISTEXT N NA TYPE ERROR.TYPE
TANH SINH COSH SIN COS TAN ASIN ACOS ATAN ATAN2 FLOOR.MATH MROUND TRUNC QUOTIENT FACT COMBIN SUMIF
SUMIFS SUMX2MY2 SUMX2PY2 MINVERSE MDETERM MUNIT TRANSPOSE SEQUENCE RANDARRAY
VLOOKUP HLOOKUP XLOOKUP XMATCH CHOOSE INDIRECT ADDRESS FILTER SORT UNIQUE
COUNTIF COUNTIFS AVERAGEIF AVERAGEIFS MAXIFS MINIFS MEDIAN MODE.SNGL LARGE SMALL RANK.EQ
PERCENTILE.INC PERCENTILE.EXC QUARTILE.INC CORREL PEARSON COVARIANCE.P COVARIANCE.S SLOPE INTERCEPT
RSQ FORECAST.LINEAR STANDARDIZE NORM.DIST NORM.INV NORM.S.DIST NORM.S.INV EXPON.DIST LOGEST LINEST
LEFT RIGHT MID TEXT TEXTJOIN VALUE TRIM SUBSTITUTE FIND SEARCH REPT
LET LAMBDA MAP REDUCE SCAN BYROW BYCOL MAKEARRAY""".split()


@pytest.mark.parametrize("name", ASKED)
def test_asked_for(name: str) -> None:
    assert name in REGISTRY


def unsupported_book(tmp_path) -> Workbook:
    path = write_workbook(tmp_path / "u.xlsx", {"S": {"A1": 1, "B2": "=FOOBAR(A1)+1",
                                                      "C3": "=SUM(FOOBAR(2),A1)", "D4": "=A1*2"}})
    return Workbook.load(path)


def test_calculate_warns_naming_function_and_cells(tmp_path) -> None:
    book = unsupported_book(tmp_path)
    with pytest.warns(UnsupportedFunctionWarning) as caught:
        book.calculate()
    [warning] = caught.list
    assert isinstance(warning.message, CellgradWarning)
    assert warning.message.function == "FOOBAR" and warning.message.cells == ["S!B2", "S!C3"]
    assert "unsupported function FOOBAR in S!B2, S!C3" in str(warning.message)
    # the cells themselves are #NAME?, as Excel shows them; the rest is computed
    assert book["S!B2"] is ExcelError.NAME and book["S!D4"] == 2.0


def test_supported_workbook_does_not_warn(tmp_path) -> None:
    book = Workbook.load(write_workbook(tmp_path / "ok.xlsx", {"S": {"A1": 1, "B1": "=TANH(A1)"}}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        book.calculate()


def test_cli_prints_the_warning_as_one_line(tmp_path, capsys) -> None:
    unsupported_book(tmp_path)
    assert main(["eval", str(tmp_path / "u.xlsx")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("cellgrad eval: warning: ") and "FOOBAR in S!B2, S!C3" in err[0]
