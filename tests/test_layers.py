"""The package's architecture, checked from its imports.

The layers contract lives in setup.cfg ([importlinter]) and is run with import-linter on a copy
of the package laid out as pip installs it (engine/ as cellgrad, sheets/ as cellgrad.sheets):
the source folders keep their names, so the contract cannot run on them directly. Cycles between
modules (TYPE_CHECKING imports included) are found with grimp, import-linter's graph builder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = {"engine": "cellgrad", "sheets": "cellgrad/sheets"}  # setup.cfg's package_dir


def stage(tmp: Path) -> Path:
    """The package as installed: tmp/cellgrad, tmp/cellgrad/sheets."""
    for source, target in LAYOUT.items():
        shutil.copytree(ROOT / source, tmp / target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp


def lint_imports(staged: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(staged))
    exe = shutil.which("lint-imports")
    assert exe is not None, "import-linter is not installed (pip install -e '.[test]')"
    return subprocess.run([exe, str(ROOT / "setup.cfg")], capture_output=True, text=True, env=env,
                          cwd=staged, timeout=120)


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    return stage(tmp_path_factory.mktemp("installed"))


def test_each_layer_imports_only_from_the_layers_below(staged):
    result = lint_imports(staged)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, culprit", [
    # the core reaching up to the facade, even only for a type
    ("core/values.py", "if False:\n    from ..workbook import Workbook\n", "cellgrad.core.values -> cellgrad.workbook"),
    # the calculation reaching into the torch layer
    ("calc/graph.py", "from ..ml import torch_backend\n", "cellgrad.calc.graph -> cellgrad.ml.torch_backend"),
    # a layer other than cli/ and the UDFs importing the sheet definitions
    ("macros/training.py", "from ..sheets import books\n", "cellgrad.macros.training -> cellgrad.sheets.books"),
])
def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path, module, line, culprit):
    staged = stage(tmp_path)
    target = staged / "cellgrad" / module
    target.write_text(target.read_text() + "\n" + line)
    result = lint_imports(staged)
    assert result.returncode == 1
    assert "0 kept, 1 broken" in result.stdout
    assert culprit in result.stdout


CYCLES = """
import grimp
graph = grimp.build_graph("cellgrad", cache_dir=None)
assert "cellgrad.sheets.books" in graph.modules and len(graph.modules) > 60, sorted(graph.modules)
for module in sorted(graph.modules):
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        if imported != module and graph.chain_exists(importer=imported, imported=module):
            print(module, "<->", imported)
"""


def test_no_import_cycles(staged):
    # in a fresh interpreter: this one has already imported the editable cellgrad
    env = dict(os.environ, PYTHONPATH=str(staged))
    result = subprocess.run([sys.executable, "-c", CYCLES], capture_output=True, text=True, env=env,
                            cwd=staged, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_import_cellgrad_stays_light():
    code = ("import sys, cellgrad; heavy = [m for m in ('torch', 'xlsxwriter', 'cellgrad.sheets', "
            "'xlwings', 'matplotlib', 'scipy') if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_names_say_what_they_are():
    """One interpreter (the formula interpreter; the macros have a runner), no vague ``model.py``,
    no name bent around a keyword such as ``eval_``."""
    names = [p for folder in LAYOUT for p in (ROOT / folder).rglob("*.py")]
    assert [str(p) for p in names if p.name == "interpreter.py"] == [str(ROOT / "engine/calc/interpreter.py")]
    assert [p for p in names if p.name == "model.py" or (p.stem.endswith("_") and not p.stem.startswith("__"))] == []


def test_a_command_imports_only_its_own_module():
    """`cellgrad eval` pays for neither torch nor the handout definitions of `build` and `check`."""
    code = ("import sys\nfrom cellgrad.cli.main import main\nmain(['eval', '/no such workbook.xlsx'])\n"
            "print([m for m in ('torch', 'xlsxwriter', 'cellgrad.sheets', 'cellgrad.cli.build', "
            "'cellgrad.cli.check', 'matplotlib', 'scipy') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
    assert result.stderr.strip() == "cellgrad eval: /no such workbook.xlsx: no such file"
