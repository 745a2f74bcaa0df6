"""LibreOffice headless as the project's real spreadsheet client.

>>> with LibreOffice() as lo:
...     doc = lo.open("graddesc.xlsm")          # a private copy; the input is never written
...     seconds = doc.calculate_all()           # UNO calculateAll, timed inside the worker
...     doc.get("adam", "C1:D2")                # values, ExcelError for errors, None if empty
...     doc.set("adam", "C1:D2", [[1.0, 2.0], [3.0, 4.0]])
...     doc.batch([("set", "adam", "C1", [[1.0]]), ("calculate",), ("get", "adam", "D1")])

The project's python has no ``uno`` module, so the UNO calls run in
:mod:`cellgrad.hosts.uno_worker` under Debian's ``/usr/bin/python3``, a subprocess we talk to in JSON
lines. ``soffice`` runs with a private temporary profile in its own process group, which is
ended when the context exits, also on error: no soffice outlives a session.

Values: numbers are ``float``, text ``str``, an empty cell ``None``, an error an
:class:`ExcelError`. Calc has no boolean type; it keeps TRUE/FALSE as 1/0 with a boolean number
format, so a 1 or 0 is reported as ``bool`` exactly when its cell's format is boolean (the
format Calc gives a logical formula result and an imported boolean). Pasting ``True`` stores
the number 1.
"""
from __future__ import annotations

import json
import math
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
import weakref
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from ..core.errors import CellgradError
from ..core.values import ExcelError, Scalar
from ..files.atomic import atomic_path
from ..files.reader import package_without_pivot_tables as package_bytes  # what the engine reads

UNO_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("uno_worker.py")
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 600.0
STOP_TIMEOUT = 10.0
KILL_WAIT = 5.0  # seconds to wait for a killed process group to be gone
SINGLE_THREADED_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Calculation"><prop oor:name="UseThreadedCalculationForFormulaGroups" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
POLL_SECONDS = 0.25  # how often a waiting request checks that soffice is still alive

# LibreOffice's error numbers (XCell.getError) as Excel's error values. The seven with an Excel
# twin map to it; the others map as LibreOffice's own .xlsx export writes them (checked by
# storing each one: 502 invalid argument, 504, 508-511 syntax, 522 circular -> #VALUE!; 501
# invalid character -> #NAME?); any other code, e.g. 523 no convergence, it writes as #N/A.
ERROR_CODES = {
    521: ExcelError.NULL, 532: ExcelError.DIV0, 519: ExcelError.VALUE, 524: ExcelError.REF,
    525: ExcelError.NAME, 503: ExcelError.NUM, 32767: ExcelError.NA,
    501: ExcelError.NAME, 502: ExcelError.VALUE, 504: ExcelError.VALUE, 508: ExcelError.VALUE,
    509: ExcelError.VALUE, 510: ExcelError.VALUE, 511: ExcelError.VALUE, 522: ExcelError.VALUE,
}


class LibreOfficeError(CellgradError):
    """LibreOffice is missing, did not start, or refused a request."""


def excel_error(code: int) -> ExcelError:
    return ERROR_CODES.get(code, ExcelError.NA)


def _decode(value: Any) -> Scalar:
    if isinstance(value, dict):
        return excel_error(value["error"])
    return value


def _decode_rows(rows: list[list[Any]]) -> list[list[Scalar]]:
    return [[_decode(v) for v in row] for row in rows]


def _encode(value: Scalar) -> Any:
    if isinstance(value, ExcelError):
        raise LibreOfficeError(f"cannot paste the error {value.value}: Calc has no error constants")
    if isinstance(value, float) and not math.isfinite(value):
        raise LibreOfficeError(f"cannot paste {value}: a cell holds no NaN or infinity")
    return value


# -- requests that a document serves, alone or in a batch ----------------------------------------
class Op(NamedTuple):
    request: dict
    decode: Callable[[Any], Any]


def _keep(result: Any) -> Any:
    return result


def _nothing(result: Any) -> None:
    return None


def _get(sheet: str, ref: str) -> Op:
    return Op({"op": "get", "sheet": sheet, "range": ref}, _decode_rows)


def _set(sheet: str, ref: str, values: Sequence[Sequence[Scalar]]) -> Op:
    rows = [[_encode(v) for v in row] for row in values]
    return Op({"op": "set", "sheet": sheet, "range": ref, "values": rows}, _nothing)


def _calculate() -> Op:
    return Op({"op": "calculate"}, _keep)


def _calculate_all() -> Op:
    return Op({"op": "calculate_all"}, _keep)


def _set_automatic(on: bool) -> Op:
    return Op({"op": "set_automatic", "on": bool(on)}, _nothing)


BATCH_OPS: dict[str, Callable[..., Op]] = {
    "get": _get, "set": _set, "calculate": _calculate, "calculate_all": _calculate_all,
    "set_automatic": _set_automatic,
}


class Document:
    """A spreadsheet open in LibreOffice, loaded from a private copy of its file."""

    def __init__(self, office: "LibreOffice", doc_id: int, path: str) -> None:
        self._office = office
        self._id = doc_id
        self.path = path

    def _run(self, op: Op) -> Any:
        return op.decode(self._office.request({"doc": self._id, **op.request}, file=self.path))

    def calculate_all(self) -> float:
        """Recalculate every formula (UNO calculateAll); seconds measured inside the worker."""
        return self._run(_calculate_all())

    def calculate(self) -> float:
        """Recalculate the stale formulas only (UNO calculate); seconds inside the worker."""
        return self._run(_calculate())

    def set_automatic(self, on: bool) -> None:
        """Turn automatic recalculation after each change on or off."""
        self._run(_set_automatic(on))

    def get(self, sheet: str, ref: str) -> list[list[Scalar]]:
        """The values of a range ("C1:D2" or "C1") as rows."""
        return self._run(_get(sheet, ref))

    def set(self, sheet: str, ref: str, values: Sequence[Sequence[Scalar]]) -> None:
        """Paste constants (rows of numbers, text, booleans, None) over a range."""
        self._run(_set(sheet, ref, values))

    def batch(self, ops: Sequence[tuple]) -> list[Any]:
        """Run ("set", sheet, ref, rows), ("calculate",), ("get", sheet, ref)... in one round trip."""
        built = []
        for name, *args in ops:
            if name not in BATCH_OPS:
                raise LibreOfficeError(f"cannot batch {name!r}; use one of {sorted(BATCH_OPS)}")
            built.append(BATCH_OPS[name](*args))
        results = self._office.request({"op": "batch", "doc": self._id, "ops": [b.request for b in built]},
                                       file=self.path)
        return [b.decode(r) for b, r in zip(built, results)]

    def formula_values(self) -> dict[tuple[str, str], Scalar]:
        """{(sheet, "A1"): value} for every formula cell, members of array formulas included."""
        rows = self._office.request({"op": "formula_values", "doc": self._id}, file=self.path)
        return {(sheet, cell): _decode(value) for sheet, cell, value in rows}

    def save_as(self, path: str | os.PathLike) -> str:
        """Store a copy (.xlsx or .ods) atomically; the document keeps its own file."""
        target = os.fspath(path)
        with atomic_path(target) as tmp:
            self._office.request({"op": "store", "doc": self._id, "path": tmp}, file=target)
        return target

    def close(self) -> None:
        self._office.request({"op": "close", "doc": self._id}, file=self.path)


class LibreOffice:
    """A headless soffice with a private profile and the UNO worker that drives it."""

    def __init__(self, *, soffice: str | None = None, python: str = UNO_PYTHON,
                 start_timeout: float = START_TIMEOUT, request_timeout: float = REQUEST_TIMEOUT,
                 threaded: bool = True) -> None:
        """``threaded=False`` turns off Calc's multi-threaded calculation of formula groups
        (on by default), e.g. to compare it with the single-threaded engine."""
        self.soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
        self.python = python
        self.threaded = threaded
        self.start_timeout = start_timeout
        self.request_timeout = request_timeout
        self.session_dir = ""
        self._office: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        self._buffer = b""
        self._finalizer: weakref.finalize | None = None

    # -- life cycle -------------------------------------------------------------------------------
    def __enter__(self) -> "LibreOffice":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def process_group(self) -> int | None:
        """soffice's process group (and pid of its launcher); None when not running."""
        return self._office.pid if self._office else None

    def resident_bytes(self) -> int:
        """Resident memory of the soffice processes now (for benchmarks: the peer's footprint)."""
        if self.process_group is None:
            return 0
        return sum(_resident_bytes(pid) for pid in processes_in_group(self.process_group))

    def start(self) -> None:
        if self._worker is not None:
            raise LibreOfficeError("LibreOffice is already running")
        if self.soffice is None:
            raise LibreOfficeError("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        if not os.access(self.python, os.X_OK):
            raise LibreOfficeError(f"{self.python} is missing; it runs the UNO worker (apt-get install python3-uno)")
        self.session_dir = tempfile.mkdtemp(prefix="cellgrad-lo-")
        self._buffer = b""
        pipe = f"cellgrad-{uuid.uuid4().hex}"
        try:
            self._office = self._spawn("soffice.log", [
                self.soffice, *_soffice_flags(self._profile("profile")),
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"], office=True)
            self._finalizer = weakref.finalize(self, _end_session, self._office.pid, self.session_dir)
            self._worker = self._spawn("worker.log", [
                self.python, str(WORKER), "--pipe", pipe, "--timeout", str(self.start_timeout),
                "--group", str(self._office.pid), "--session-dir", self.session_dir], office=False)
            self._answer(time.monotonic() + self.start_timeout + 5.0, "start")
        except BaseException:  # also Ctrl+C while waiting: nothing may outlive a failed start
            self._kill()
            raise

    def _spawn(self, log: str, command: list[str], *, office: bool) -> subprocess.Popen:
        """soffice in its own session (its launcher and soffice.bin are one killable group), or
        the worker, speaking on its stdin/stdout; either's messages go to a log file."""
        with open(os.path.join(self.session_dir, log), "wb") as messages:
            if office:
                return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=messages,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=messages)

    def close(self) -> None:
        """End the worker and soffice (gracefully, then by force) and delete the profile."""
        if self._worker is None:
            return
        try:
            if self._worker.poll() is None:
                self._send({"op": "quit"})
                self._answer(time.monotonic() + STOP_TIMEOUT, "quit")
        except (LibreOfficeError, OSError):
            pass  # it is going away either way; the kill below makes sure
        self._kill(grace=STOP_TIMEOUT)

    def _kill(self, grace: float = 0.0) -> None:
        """End the worker and the soffice group, giving them ``grace`` seconds to exit alone."""
        if self._worker is not None:
            try:
                self._worker.stdin.close()  # end of input: a worker in its request loop shuts down
            except BrokenPipeError:
                pass  # it is gone already
            _wait_or_kill(self._worker, grace)
            self._worker.stdout.close()
        if self._office is not None:
            _wait_or_kill(self._office, grace)
        if self._finalizer is not None:
            self._finalizer()  # kills whatever is left of the group, removes the session dir
        self._worker = self._office = None

    def _profile(self, name: str) -> str:
        """The URL of a private profile; soffice fills it in on first start, around our settings."""
        settings = Path(self.session_dir, name, "user", "registrymodifications.xcu")
        if not self.threaded and not settings.exists():
            settings.parent.mkdir(parents=True)
            settings.write_text(SINGLE_THREADED_SETTINGS, encoding="utf-8")
        return Path(self.session_dir, name).as_uri()

    # -- requests ---------------------------------------------------------------------------------
    def request(self, request: dict, *, file: str | None = None) -> Any:
        """Send one request to the worker and return its result (one round trip)."""
        if self._worker is None:
            raise LibreOfficeError("LibreOffice is not running (use `with LibreOffice() as lo:`)", file=file)
        self._send(request)
        answer = self._answer(time.monotonic() + self.request_timeout, request.get("op", "?"))
        if not answer["ok"]:
            raise LibreOfficeError(answer["error"], file=file)
        return answer["result"]

    def ping(self) -> None:
        """A request that does nothing: its time is the round-trip overhead."""
        self.request({"op": "ping"})

    def _send(self, request: dict) -> None:
        assert self._worker is not None and self._worker.stdin is not None
        try:
            self._worker.stdin.write(json.dumps(request).encode() + b"\n")
            self._worker.stdin.flush()
        except BrokenPipeError:
            message = self._last_log_line()
            self._kill()
            raise LibreOfficeError(f"the UNO worker has died: {message}") from None

    def _answer(self, deadline: float, what: str) -> dict:
        line = self._read_line(deadline, what)
        answer = json.loads(line)
        if what == "start" and not answer["ok"]:
            raise LibreOfficeError(f"LibreOffice did not start: {answer['error']}")
        return answer

    def _read_line(self, deadline: float, what: str) -> bytes:
        assert self._worker is not None and self._worker.stdout is not None
        fd = self._worker.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._kill()
                    raise LibreOfficeError(f"LibreOffice did not answer {what!r} in time; it was stopped")
                if not selector.select(min(left, POLL_SECONDS)):
                    self._stop_if_office_died(what)
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    message = self._last_log_line()
                    self._kill()
                    raise LibreOfficeError(f"the UNO worker has died during {what!r}: {message}")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _stop_if_office_died(self, what: str) -> None:
        """A soffice that exits (cannot start, crashed) would leave the worker waiting: say so now."""
        assert self._office is not None
        code = self._office.poll()
        if code is not None:
            self._kill()
            raise LibreOfficeError(f"soffice exited with code {code} during {what!r} "
                                   f"(its output: {self._last_log_line('soffice.log')})")

    def _last_log_line(self, name: str = "worker.log") -> str:
        try:
            lines = Path(self.session_dir, name).read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no message"

    # -- documents and conversions ----------------------------------------------------------------
    def open(self, path: str | os.PathLike, *, pivot_tables: bool = True) -> Document:
        """Load a workbook hidden, macros disabled, from a private copy of ``path``.

        ``pivot_tables=False`` loads the package the engine reads, without its pivot tables:
        Calc re-renders a pivot table on load and overwrites the cells of its output range
        (collab_filter's movielens_1hot!C4:C18 lose their formulas), Excel does not.
        """
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise LibreOfficeError("no such file", file=path)
        source = os.path.abspath(path) if pivot_tables else self._without_pivot_tables(path)
        return Document(self, self.request({"op": "open", "path": source}, file=path), path)

    def _without_pivot_tables(self, path: str) -> str:
        copy = tempfile.mkdtemp(dir=self.session_dir, prefix="nopivot-")
        target = os.path.join(copy, os.path.basename(path))
        with open(target, "wb") as fh:
            fh.write(package_bytes(path))
        return target

    def convert(self, path: str | os.PathLike, fmt: str, outdir: str | os.PathLike) -> str:
        """``soffice --convert-to fmt`` into ``outdir`` (atomically); the converted file's path.

        Runs a separate soffice with its own profile, as a user's command line would: a file
        without cached values (openpyxl's) has every formula computed on load.
        """
        path, outdir = os.fspath(path), os.fspath(outdir)
        if not os.path.isfile(path):
            raise LibreOfficeError("no such file", file=path)
        if self.soffice is None or not self.session_dir:
            raise LibreOfficeError("LibreOffice is not running (use `with LibreOffice() as lo:`)", file=path)
        produced_dir = tempfile.mkdtemp(dir=self.session_dir, prefix="convert-")
        _run_group([self.soffice, *_soffice_flags(self._profile("convert-profile")),
                    "--convert-to", fmt, "--outdir", produced_dir, os.path.abspath(path)],
                   self.request_timeout, file=path)
        name = Path(path).stem + "." + fmt.split(":")[0]
        produced = os.path.join(produced_dir, name)
        if not os.path.isfile(produced):
            raise LibreOfficeError(f"LibreOffice could not convert it to {fmt}", file=path)
        target = os.path.join(outdir, name)
        with atomic_path(target) as tmp:
            shutil.copyfile(produced, tmp)
        shutil.rmtree(produced_dir, ignore_errors=True)
        return target


def _soffice_flags(profile_url: str) -> list[str]:
    return ["--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile_url}"]


def _run_group(command: list[str], timeout: float, *, file: str) -> None:
    """Run a soffice command line in its own process group, ended whatever happens."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        raise LibreOfficeError(f"soffice did not finish within {timeout:g} s; it was stopped", file=file) from None
    finally:
        _kill_group(process.pid)
        process.wait()


def _wait_or_kill(process: subprocess.Popen, timeout: float) -> None:
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return  # already gone
    # SIGKILL is delivered asynchronously: on a busy machine soffice.bin outlived the return
    deadline = time.monotonic() + KILL_WAIT
    while processes_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.01)


def processes_in_group(group: int) -> list[int]:
    """The pids of the live processes in a process group, read from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp ...
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _resident_bytes(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _end_session(group: int, session_dir: str) -> None:
    """Last resort, also at interpreter exit: kill the soffice group, delete the profile."""
    _kill_group(group)
    shutil.rmtree(session_dir, ignore_errors=True)
