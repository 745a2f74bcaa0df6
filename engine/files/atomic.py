"""Atomic file writes: a reader sees the old file or the new one, never half of one."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import Iterator

from ..core.errors import WorkbookError


@contextmanager
def atomic_path(target: str) -> Iterator[str]:
    """A temporary path beside ``target``; it replaces ``target`` only if the block succeeds."""
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        raise WorkbookError("output directory does not exist", file=directory)
    try:  # the attempt itself, not os.access, which says yes to root (and to /proc)
        fd, tmp = tempfile.mkstemp(prefix=".cellgrad-", suffix=os.path.splitext(target)[1], dir=directory)
    except OSError as exc:
        raise WorkbookError(f"output directory is not writable ({exc.strerror})", file=directory) from None
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a saved workbook is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_directory(directory: str) -> None:
    """Before any work: ``directory`` exists and a file can be made in it (a probe file, since
    os.access says yes to root, and to /proc)."""
    if not os.path.isdir(directory):
        raise WorkbookError("output directory does not exist", file=directory)
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise WorkbookError(f"output directory is not writable ({exc.strerror})", file=directory) from None


def make_directory(directory: str) -> None:
    """An output folder, created if missing, checked before any work as :func:`check_directory`."""
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise WorkbookError("output path is not a directory", file=directory)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"cannot create the output directory ({exc.strerror})", file=directory) from None
    check_directory(directory)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target: str, data: bytes) -> None:
    """``data`` into ``target`` atomically; a failed write (disk full, a name that is a folder)
    is a WorkbookError naming ``target``."""
    try:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(data)
    except OSError as exc:
        raise WorkbookError(f"cannot write ({exc.strerror})", file=target) from None
