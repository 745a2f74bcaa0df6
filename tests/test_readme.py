"""Every Python example in README.md runs, and prints what the README shows.

Each fenced ```python block is one test: a block of ``>>>`` lines runs as a doctest (the values
shown must be the values printed), any other block as a script. They run in a folder holding
the handouts as ``cellgrad build`` writes them, the folder a reader works in.
"""
from __future__ import annotations

import doctest
import re

import pytest
from cellgrad.cli.main import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
BLOCKS = [(README.count("\n", 0, m.start()) + 1, m.group(1)) for m in BLOCK.finditer(README)]
NEEDS_LIBREOFFICE = "cellgrad.hosts.libreoffice"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reader")
    assert main(["build", "--out", str(folder)]) == 0
    return folder


def test_the_readme_has_python_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("line, code", BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_example(request, handouts, monkeypatch, capsys, line, code):
    if NEEDS_LIBREOFFICE in code:
        request.getfixturevalue("soffice")  # skips (fails under CI) without LibreOffice
    monkeypatch.chdir(handouts)
    capsys.readouterr()
    if ">>>" not in code:
        exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "readme"})
        return
    test = doctest.DocTestParser().get_doctest(code, {"__name__": "readme"}, "README.md",
                                               "README.md", line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.tries == len(test.examples) > 0
    assert runner.failures == 0, "".join(report)
