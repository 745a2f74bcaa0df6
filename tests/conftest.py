"""Shared fixtures. Under CI=true a missing requirement (LibreOffice, a reference workbook) is a
failure; elsewhere it is a skip that says what is missing and how to get it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT.parent / "shared" / "reference" / "fastai-course-v3"
REFERENCE_FILES = ("collab_filter.xlsx", "graddesc.xlsm", "entropy_example.xlsx")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` on a developer machine, fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def reference_path(name: str) -> Path:
    """A fast.ai reference workbook: from ../shared/reference, else fetched at a pinned commit
    and verified by sha256 (tests/reference_workbooks.py); without either, skip (fail in CI)."""
    from .reference_workbooks import Unavailable, reference_file
    try:
        return reference_file(name, REFERENCE_DIR)
    except Unavailable as exc:
        reason = str(exc)
    require(False, f"reference workbook {name}: {reason}")


@pytest.fixture(params=REFERENCE_FILES)
def reference_workbook(request) -> Path:
    """Each of the three fast.ai reference workbooks in turn."""
    return reference_path(request.param)


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice binary; needs Debian's libreoffice-calc-nogui and python3-uno."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    require(path is not None, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui python3-uno)")
    require(os.path.exists("/usr/bin/python3") and _has_uno(),
            "Debian's /usr/bin/python3 with the uno module is missing (apt-get install python3-uno)")
    return path  # type: ignore[return-value]


def _has_uno() -> bool:
    import subprocess
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def _offices():
    """The LibreOffice instances this test process started (pytest-xdist: one process per
    worker, each with its own office and private profile); all closed at the end."""
    started: list = []
    yield started
    for lo in started:
        lo.close()


@pytest.fixture(scope="module")
def office(_offices):
    """One LibreOffice headless shared by the test modules of a process (starting one costs a
    second or more); a module that finds it no longer answering gets a fresh one."""
    from cellgrad.hosts.libreoffice import LibreOffice, LibreOfficeError
    if _offices:
        try:
            _offices[-1].ping()
            return _offices[-1]
        except LibreOfficeError:
            _offices.pop().close()
    lo = LibreOffice()
    try:
        lo.start()
    except LibreOfficeError as exc:
        require(False, f"LibreOffice headless cannot start here: {exc}")
    _offices.append(lo)
    return lo
