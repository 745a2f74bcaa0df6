"""The LibreOffice side of :mod:`cellgrad.hosts.libreoffice`: a JSON-lines server speaking UNO.

Run by Debian's ``/usr/bin/python3`` (the only interpreter with the ``uno`` module), never
imported by the project's python: it uses the standard library and ``uno`` only.

    /usr/bin/python3 engine/uno_worker.py --pipe NAME --timeout SECONDS --group PGID --session-dir DIR

It connects to an ``soffice`` already started by the parent with ``--accept=pipe,name=NAME``,
prints one ``{"ok": true, "result": {"ready": ...}}`` line when connected, then answers one
JSON line per request line: ``{"op": "get", "doc": 1, "sheet": "adam", "range": "C1:D2"}`` ->
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "one line"}``. A ``batch`` request
carries a list of requests and answers with the list of their results (one round trip).

Cell values travel as JSON: numbers, strings, ``true``/``false``, ``null`` for an empty cell,
and ``{"error": CODE}`` for an error, CODE being LibreOffice's own error number; the parent
maps the codes to Excel's error values.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# com.sun.star.sheet.CellFlags.FORMULA and com.sun.star.sheet.FormulaResult.ERROR
CELL_FLAGS_FORMULA = 16
FORMULA_RESULT_ERROR = 4
# com.sun.star.util.NumberFormat.LOGICAL: the format type LibreOffice gives TRUE/FALSE
NUMBER_FORMAT_LOGICAL = 1024
LOGICAL_VALUES = (0.0, 1.0)  # what a logical result holds; another number shown TRUE stays a number
# com.sun.star.document.MacroExecMode.NEVER_EXECUTE: the lesson's VBA must never run here
NEVER_EXECUTE = 0

MAX_CACHED_RANGES = 256
SHUTDOWN_SECONDS = 5.0
STORE_FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".ods": "calc8"}


class RequestError(Exception):
    """A request that cannot be served; its message goes back to the parent as one line."""


def _props(**values) -> tuple:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def connect(pipe: str, timeout: float):
    """The soffice Desktop, retrying until soffice has opened its pipe or ``timeout`` passes."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise RequestError(f"soffice did not accept a connection within {timeout:g} s") from None
            time.sleep(0.05)


class Documents:
    """Open spreadsheet documents, each loaded from a private copy of its file."""

    def __init__(self, desktop, session_dir: str) -> None:
        self.desktop = desktop
        self.docs: dict[int, object] = {}
        self.logical_formats: dict[tuple[int, int], bool] = {}
        # Each new UNO object costs about a millisecond over the bridge, more than a read: a
        # replayed macro asks for the same sheets and ranges thousands of times.
        self.sheets: dict[tuple[int, str], object] = {}
        self.ranges: dict[tuple[int, str, str], tuple[object, object]] = {}
        self.scratch = tempfile.mkdtemp(prefix="opened-", dir=session_dir)
        self.next_id = 1

    # -- documents --------------------------------------------------------------------------
    def open(self, path: str) -> int:
        # A private copy: soffice never writes to, nor leaves a lock file beside, the input.
        copy = os.path.join(self.scratch, f"{self.next_id}-{os.path.basename(path)}")
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            raise RequestError(exc.strerror or str(exc)) from None
        try:
            doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0, _props(
                Hidden=True, MacroExecutionMode=NEVER_EXECUTE, ReadOnly=False))
        except Exception as exc:  # UNO raises IllegalArgumentException, IOException...
            raise RequestError(f"LibreOffice cannot load it ({_uno_message(exc)})") from None
        if doc is None or not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
            if doc is not None:
                doc.close(True)
            raise RequestError("not a spreadsheet LibreOffice can load")
        doc_id, self.next_id = self.next_id, self.next_id + 1
        self.docs[doc_id] = doc
        return doc_id

    def doc(self, doc_id: int):
        if doc_id not in self.docs:
            raise RequestError(f"no open document {doc_id}")
        return self.docs[doc_id]

    def close(self, doc_id: int) -> None:
        self.doc(doc_id).close(True)
        del self.docs[doc_id]
        self.sheets = {k: v for k, v in self.sheets.items() if k[0] != doc_id}
        self.ranges = {k: v for k, v in self.ranges.items() if k[0] != doc_id}

    def close_all(self) -> None:
        for doc_id in list(self.docs):
            try:
                self.close(doc_id)
            except Exception:  # soffice may be gone already; we are shutting down anyway
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)

    def store(self, doc_id: int, path: str) -> None:
        extension = os.path.splitext(path)[1].lower()
        if extension not in STORE_FILTERS:
            raise RequestError(f"cannot store as {extension!r}; use one of {sorted(STORE_FILTERS)}")
        # storeToURL writes a copy and leaves the document bound to its own (private) file
        self.doc(doc_id).storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)),
                                    _props(FilterName=STORE_FILTERS[extension], Overwrite=True))

    def sheet(self, doc_id: int, name: str):
        if (doc_id, name) not in self.sheets:
            sheets = self.doc(doc_id).Sheets
            if not sheets.hasByName(name):
                raise RequestError(f"sheet {name!r}: no such sheet")
            self.sheets[(doc_id, name)] = sheets.getByName(name)
        return self.sheets[(doc_id, name)]

    def cell_range(self, doc_id: int, sheet_name: str, ref: str):
        """(range, its CellRangeAddress) for "C1:D2" on a sheet."""
        key = (doc_id, sheet_name, ref)
        if key not in self.ranges:
            sheet = self.sheet(doc_id, sheet_name)
            try:
                cells = sheet.getCellRangeByName(ref)
            except Exception:
                raise RequestError(f"sheet {sheet_name!r}: bad range {ref!r}") from None
            if len(self.ranges) >= MAX_CACHED_RANGES:
                self.ranges.clear()  # every live range object listens to the document's changes
            self.ranges[key] = (cells, cells.getRangeAddress())
        return self.ranges[key]

    def is_logical(self, doc_id: int, key: int) -> bool:
        """Whether number format ``key`` shows 1/0 as TRUE/FALSE (cached: formats are few)."""
        if (doc_id, key) not in self.logical_formats:
            kind = self.doc(doc_id).NumberFormats.getByKey(key).Type
            self.logical_formats[(doc_id, key)] = bool(kind & NUMBER_FORMAT_LOGICAL)
        return self.logical_formats[(doc_id, key)]


def _uno_message(exc: Exception) -> str:
    text = getattr(exc, "Message", "") or str(exc)
    return " ".join(text.split()) or type(exc).__name__


# -- reading and writing cells ------------------------------------------------------------------
def _positions(addresses) -> list[tuple[int, int]]:
    """The (row, column) of every cell of some CellRangeAddresses, 0-based."""
    return [(r, c) for a in addresses
            for r in range(a.StartRow, a.EndRow + 1) for c in range(a.StartColumn, a.EndColumn + 1)]


def _error_codes(sheet, cells) -> dict[tuple[int, int], int]:
    """LibreOffice's error number for every error cell of ``cells`` (a range or the sheet)."""
    found = cells.queryFormulaCells(FORMULA_RESULT_ERROR).getRangeAddresses()
    return {(r, c): sheet.getCellByPosition(c, r).getError() for r, c in _positions(found)}


def _logical_cells(store: Documents, doc_id: int, cells) -> set[tuple[int, int]]:
    """Cells whose number format is boolean: LibreOffice keeps TRUE/FALSE as 1/0 with it."""
    out: set[tuple[int, int]] = set()
    groups = cells.getUniqueCellFormatRanges()
    for i in range(groups.getCount()):
        group = groups.getByIndex(i)
        if store.is_logical(doc_id, group.NumberFormat):
            out.update(_positions(group.getRangeAddresses()))
    return out


def _decode(value, position, errors, logical):
    """One getDataArray item as JSON: None there means an error cell."""
    if position in errors:
        return {"error": errors[position]}
    if position in logical and value in LOGICAL_VALUES:
        return value == 1.0
    return value


def read(store: Documents, doc_id: int, sheet_name: str, ref: str) -> list[list]:
    cells, origin = store.cell_range(doc_id, sheet_name, ref)
    data = cells.getDataArray()
    flat = [v for row in data for v in row]
    # each extra query costs a UNO round trip: ask only when the data can hold what it finds
    errors = _error_codes(store.sheet(doc_id, sheet_name), cells) if None in flat else {}
    maybe_logical = any(v in LOGICAL_VALUES for v in flat if isinstance(v, float))
    logical = _logical_cells(store, doc_id, cells) if maybe_logical else set()
    formulas = cells.getFormulaArray() if "" in flat else None
    out = []
    for i, row in enumerate(data):
        values = []
        for j, value in enumerate(row):
            # getDataArray gives "" for an empty cell and for a formula returning ""
            if value == "" and formulas is not None and formulas[i][j] == "":
                values.append(None)
                continue
            values.append(_decode(value, (origin.StartRow + i, origin.StartColumn + j), errors, logical))
        out.append(values)
    return out


def _constant(value):
    if isinstance(value, bool):
        return 1.0 if value else 0.0  # Calc has no boolean constant: TRUE is the number 1
    if value is None:
        return ""  # setDataArray leaves a cell empty for ""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return value
    raise RequestError(f"cannot paste {value!r}: only numbers, text, booleans and empty cells")


def write(store: Documents, doc_id: int, sheet_name: str, ref: str, rows: list[list]) -> None:
    cells, address = store.cell_range(doc_id, sheet_name, ref)
    height, width = address.EndRow - address.StartRow + 1, address.EndColumn - address.StartColumn + 1
    if len(rows) != height or any(len(row) != width for row in rows):
        raise RequestError(f"sheet {sheet_name!r}: {ref} is {height}x{width}, the values are not")
    cells.setDataArray(tuple(tuple(_constant(v) for v in row) for row in rows))


def _a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def formula_values(store: Documents, doc_id: int) -> list[list]:
    """[sheet, "A1", value] for every formula cell, array formula members included."""
    out = []
    sheets = store.doc(doc_id).Sheets
    for index in range(sheets.getCount()):
        sheet = sheets.getByIndex(index)
        name = sheet.Name  # a UNO call: once per sheet, not per cell
        ranges = sheet.queryContentCells(CELL_FLAGS_FORMULA).getRangeAddresses()
        if not ranges:
            continue
        errors = _error_codes(sheet, sheet)
        logical = _logical_cells(store, doc_id, sheet)
        for a in ranges:
            top, left = a.StartRow, a.StartColumn
            data = sheet.getCellRangeByPosition(left, top, a.EndColumn, a.EndRow).getDataArray()
            for i, row in enumerate(data):
                for j, value in enumerate(row):
                    position = (top + i, left + j)
                    out.append([name, _a1(*position), _decode(value, position, errors, logical)])
    return out


# -- the request loop -------------------------------------------------------------------------
def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def serve_one(store: Documents, request: dict):
    op = request.get("op")
    doc = request.get("doc")
    if op == "ping":
        return "pong"
    if op == "open":
        return store.open(request["path"])
    if op == "calculate_all":
        return _timed(store.doc(doc).calculateAll)
    if op == "calculate":
        return _timed(store.doc(doc).calculate)
    if op == "set_automatic":
        store.doc(doc).enableAutomaticCalculation(bool(request["on"]))
        return None
    if op == "get":
        return read(store, doc, request["sheet"], request["range"])
    if op == "set":
        return write(store, doc, request["sheet"], request["range"], request["values"])
    if op == "formula_values":
        return formula_values(store, doc)
    if op == "store":
        return store.store(doc, request["path"])
    if op == "close":
        return store.close(doc)
    if op == "batch":
        return [serve_one(store, {"doc": doc, **item}) for item in request["ops"]]
    raise RequestError(f"unknown request {op!r}")


def answer(store: Documents, request: dict) -> dict:
    try:
        return {"ok": True, "result": serve_one(store, request)}
    except RequestError as exc:
        return {"ok": False, "error": str(exc)}
    except KeyError as exc:
        return {"ok": False, "error": f"request lacks {exc}"}
    except Exception as exc:  # a UNO failure must come back as an answer, not end the server
        return {"ok": False, "error": f"{type(exc).__name__}: {_uno_message(exc)}"}


def protocol_stream():
    """The real stdout, kept for answers; fd 1 becomes stderr so stray prints cannot corrupt it."""
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--group", type=int, required=True, help="soffice's process group")
    parser.add_argument("--session-dir", required=True, help="the parent's temporary directory")
    args = parser.parse_args()
    out = protocol_stream()
    try:
        store = Documents(connect(args.pipe, args.timeout), args.session_dir)
    except RequestError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}), file=out, flush=True)
        return 1
    print(json.dumps({"ok": True, "result": {"ready": True, "pid": os.getpid()}}), file=out, flush=True)
    if serve(store, out):
        shutdown(store)
        print(json.dumps({"ok": True, "result": "bye"}), file=out, flush=True)
    else:
        # our parent vanished without a word: nobody else will end soffice or delete the profile
        shutdown(store)
        for signal_number in (signal.SIGTERM, signal.SIGKILL):
            if _group_ended(args.group, signal_number):
                break
        shutil.rmtree(args.session_dir, ignore_errors=True)
    return 0


def serve(store: Documents, out) -> bool:
    """Answer requests until "quit" (True) or the end of our input (False)."""
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            print(json.dumps({"ok": False, "error": "a request is one JSON object per line"}), file=out, flush=True)
            continue
        if request.get("op") == "quit":
            return True
        print(json.dumps(answer(store, request)), file=out, flush=True)
    return False


def shutdown(store: Documents) -> None:
    """Close the documents and ask soffice to exit (the parent makes sure it did)."""
    store.close_all()
    try:
        store.desktop.terminate()
    except Exception:  # terminate() drops the bridge under our feet; that is success
        pass


def _group_ended(group: int, signal_number: int) -> bool:
    """Send a signal to the group and wait a little for it to be gone."""
    deadline = time.monotonic() + SHUTDOWN_SECONDS
    try:
        os.killpg(group, signal_number)
        while time.monotonic() < deadline:
            time.sleep(0.05)
            os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


if __name__ == "__main__":
    sys.exit(main())
