"""LibreOffice as the peer: one document opened and recalculated, in wall time and in soffice's
CPU time (on a shared machine the CPU time is the steadier figure), and soffice's memory."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable

from cellgrad.hosts.libreoffice import Document, LibreOffice, processes_in_group

_TICKS = os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, field: str) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0  # it ended while we looked
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith(field + ":")), 0)


def office_peak_mb(lo: LibreOffice) -> float:
    """The soffice processes' peak resident memory (VmHWM) so far."""
    return sum(_status_kb(pid, "VmHWM") for pid in processes_in_group(lo.process_group or 0)) / 1024


def office_cpu_seconds(lo: LibreOffice) -> float:
    """User and system CPU the soffice processes have used so far (/proc/PID/stat)."""
    total = 0
    for pid in processes_in_group(lo.process_group or 0):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime: stat's 14th and 15th fields
    return total / _TICKS


def open_and_calculate(lo: LibreOffice, path: Path, read: Callable[[Document], Any] | None = None) -> dict:
    """Open ``path`` (timed around the request), ``calculateAll`` (timed inside the worker),
    then ``read(doc)`` if given, and close it: seconds, soffice CPU seconds for both, and what
    was read."""
    cpu = office_cpu_seconds(lo)
    start = time.perf_counter()
    doc = lo.open(path)
    load = time.perf_counter() - start
    try:
        recalc = doc.calculate_all()
        cpu = office_cpu_seconds(lo) - cpu
        return {"load_s": load, "recalc_s": recalc, "cpu_s": cpu,
                "read": None if read is None else read(doc)}
    finally:
        doc.close()
