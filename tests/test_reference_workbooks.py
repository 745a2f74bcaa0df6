"""The reference workbooks on a fresh clone: pinned by commit and sha256, read from
../shared/reference when present (no download), else fetched and verified, else a skip that
says why (a failure under CI=true)."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from .conftest import REFERENCE_DIR, REFERENCE_FILES, require
from .reference_workbooks import PINS, Unavailable, reference_file, url


def test_every_reference_workbook_is_pinned():
    assert sorted(PINS) == sorted(REFERENCE_FILES)
    for name in PINS:
        assert url(name).startswith("https://raw.githubusercontent.com/fastai/course-v3/")
        assert url(name).endswith(f"/files/xl/{name}")


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_the_pins_are_the_shared_files_hashes(name):
    """The sha256 a download must have is the one of the files every developer reads."""
    path = REFERENCE_DIR / name
    require(path.is_file(), f"{path} is missing (../shared/reference)")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == PINS[name][1]
    assert reference_file(name) == path  # present: used as it is, nothing fetched


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_without_shared_a_verified_cached_copy_is_used(name, tmp_path, monkeypatch):
    """pooch checks the cached file's sha256 and uses it without a download."""
    path = REFERENCE_DIR / name
    require(path.is_file(), f"{path} is missing (../shared/reference)")
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copyfile(path, cache / name)
    monkeypatch.setenv("CELLGRAD_REFERENCE_CACHE", str(cache))
    assert reference_file(name, tmp_path / "no-shared") == cache / name


def test_without_shared_and_network_it_says_why(tmp_path, monkeypatch):
    """A cached copy with other bytes is fetched again; no network here means a reason to skip.
    Where the network is there, the download itself must match the pin."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "entropy_example.xlsx").write_bytes(b"not the workbook")
    monkeypatch.setenv("CELLGRAD_REFERENCE_CACHE", str(cache))
    try:
        fetched = reference_file("entropy_example.xlsx", tmp_path / "no-shared")
    except Unavailable as exc:
        assert "cannot be fetched" in str(exc) and url("entropy_example.xlsx") in str(exc)
    else:
        assert hashlib.sha256(fetched.read_bytes()).hexdigest() == PINS["entropy_example.xlsx"][1]
