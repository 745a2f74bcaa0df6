"""cellgrad installed as a user installs it: a non-editable ``pip install .`` from a clone into
a fresh virtual environment, used from an empty folder.

The venv sees the machine's packages (``--system-site-packages``: torch, numpy, openpyxl... are
already installed and nothing is downloaded), and is made ``--without-pip`` so that the machine's
setuptools builds the wheel. ``--no-build-isolation --no-index`` keep pip off the network: the
build uses the installed setuptools, and every requirement is already satisfied.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, require

HANDOUTS = ["collab_filter.xlsx", "entropy_example.xlsx", "graddesc.xlsm"]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the venv's python, an empty folder), cellgrad installed from a clone of this repository."""
    require(shutil.which("git") is not None and (ROOT / ".git").exists(),
            "installing from a clone needs git and this repository's .git")
    base = tmp_path_factory.mktemp("install")
    clone = _run(["git", "clone", "--quiet", str(ROOT), str(base / "clone")], base)
    assert clone.returncode == 0, clone.stderr
    venv = _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                 str(base / "venv")], base)
    assert venv.returncode == 0, venv.stderr
    python = base / "venv" / "bin" / "python"
    pip = _run([str(python), "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-index",
                str(base / "clone")], base)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    empty = base / "empty"
    empty.mkdir()
    return python, empty


def test_a_non_editable_install_builds_the_handouts_in_the_current_folder(installed):
    python, empty = installed
    cellgrad = python.parent / "cellgrad"
    result = _run([str(cellgrad), "build"], empty)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in empty.iterdir()) == HANDOUTS
    verdict = result.stdout.splitlines()[-1]
    assert verdict.startswith("3 handouts written to .:") and verdict.endswith(", 0 error values")
    version = _run([str(cellgrad), "--version"], empty)
    assert version.stdout.strip() == f"cellgrad {_metadata(python)['version']}"


def test_a_non_editable_install_checks_a_folder_of_handouts(installed):
    """cellgrad check on the folder build wrote (one epoch per optimizer tab: the point here is
    that the installed package finds everything it needs, not the training)."""
    python, empty = installed
    cellgrad = python.parent / "cellgrad"
    if not (empty / "graddesc.xlsm").exists():
        assert _run([str(cellgrad), "build"], empty).returncode == 0
    result = _run([str(cellgrad), "check", "--device", "cpu", "--epochs", "1", str(empty)], empty)
    assert result.returncode == 0, result.stderr
    assert re.match(r"\d+ tabs agree within", result.stdout.splitlines()[-1])


def test_the_installed_package_is_the_clones_not_the_repositorys(installed):
    python, empty = installed
    where = _run([str(python), "-c", "import cellgrad; print(cellgrad.__file__)"], empty)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(python.parents[1])  # inside the venv
    engine = _run([str(python), "-c", "import engine"], empty)
    assert engine.returncode == 1 and "No module named 'engine'" in engine.stderr


def test_installed_requirements_are_ranges_never_an_exact_pin(installed):
    python, _ = installed
    from packaging.requirements import Requirement
    requires = [Requirement(r) for r in _metadata(python)["requires"]]
    assert [str(r.specifier) for r in requires if r.name == "torch"] == [">=2.2"]
    pinned = [str(r) for r in requires for spec in r.specifier if spec.operator in ("==", "===")]
    assert pinned == []


def _metadata(python: Path) -> dict:
    """The installed distribution's metadata, read by importlib.metadata inside the venv."""
    code = ("import importlib.metadata as m, json; d = m.distribution('cellgrad'); "
            "print(json.dumps({'version': d.version, 'requires': d.requires or []}))")
    result = _run([str(python), "-c", code], python.parents[2])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
