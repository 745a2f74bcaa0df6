"""Bad input through the real command line: one line on stderr naming the file (and the sheet and
cell where there is one), a non-zero exit code, no traceback, and the file left as it was.

Exit codes are the issue's: 2 for input the engine cannot take (missing, not a workbook,
encrypted, unsafe XML, a circular reference, a formula it cannot parse); 1 for a workbook it
reads but cannot fully compute (an unsupported function, reported with its cell).
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from .builder import with_part, write_workbook
from .conftest import reference_path, require

ROOT = Path(__file__).resolve().parents[1]

@dataclass(frozen=True)
class BadInput:
    make: Callable[[Path], Path]   # writes the input below a temporary directory, returns its path
    exit_code: int
    says: tuple[str, ...]          # fragments the one line must contain besides the file name


def run_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cellgrad", "eval", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


# --- inputs ---------------------------------------------------------------------------------------
def simple_workbook(directory: Path, name: str = "plain.xlsx") -> Path:
    return write_workbook(directory / name, {"S": {"A1": 1, "A2": "=A1+1"}})


def missing(d: Path) -> Path:
    return d / "no such workbook.xlsx"


def directory(d: Path) -> Path:
    (d / "folder.xlsx").mkdir()
    return d / "folder.xlsx"


def text_file(d: Path) -> Path:
    (d / "notes.xlsx").write_text("these are notes, not a workbook\n")
    return d / "notes.xlsx"


def empty_file(d: Path) -> Path:
    (d / "empty.xlsx").write_bytes(b"")
    return d / "empty.xlsx"


def truncated(d: Path) -> Path:
    data = simple_workbook(d).read_bytes()
    (d / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    return d / "truncated.xlsx"


def truncated_reference(d: Path) -> Path:
    source = reference_path("entropy_example.xlsx")
    data = source.read_bytes()
    (d / "entropy_example.xlsx").write_bytes(data[: len(data) - 200])  # the central directory cut
    return d / "entropy_example.xlsx"


def corrupt_member(d: Path) -> Path:
    """A complete zip whose sheet's compressed bytes were damaged: its CRC fails."""
    path = simple_workbook(d)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def other_zip(d: Path) -> Path:
    with zipfile.ZipFile(d / "archive.xlsx", "w") as z:
        z.writestr("readme.txt", "a zip, but no spreadsheet in it")
    return d / "archive.xlsx"


def malformed_xml(d: Path) -> Path:
    return with_part(simple_workbook(d), "xl/worksheets/sheet1.xml",
                     lambda body: body.replace(b"</sheetData>", b"</sheetDat>"), d / "malformed.xlsx")


def malformed_cell(d: Path) -> Path:
    """A cell whose <v> is not closed: the scan of sheetData declines it, expat says where."""
    return with_part(simple_workbook(d), "xl/worksheets/sheet1.xml",
                     lambda body: re.sub(rb"</v>", b"", body, count=1), d / "malformed.xlsx")


def number_that_is_not(d: Path) -> Path:
    """A number cell holding text: the error names the cell."""
    return with_part(write_workbook(d / "plain.xlsx", {"S": {"A1": 1, "B2": 2}}), "xl/worksheets/sheet1.xml",
                     lambda body: re.sub(rb'(<c r="B2"[^>]*><v>)2(</v>)', rb"\1two\2", body), d / "nan.xlsx")


def missing_sheet_part(d: Path) -> Path:
    """The workbook lists a sheet whose part is not in the package."""
    path = simple_workbook(d)
    out = d / "hollow.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
    return out


def warned_and_unparsable(d: Path) -> Path:
    """A sheet element without its relationship (openpyxl warns and drops it) and a formula the
    parser refuses: still one line on stderr, the error."""
    path = write_workbook(d / "formulas.xlsx", {"S": {"A1": 1, "C3": "=SUM(A1,A1"}})
    return with_part(path, "xl/workbook.xml", lambda body: body.replace(
        b"</sheets>", b'<sheet name="Ghost" sheetId="9"/></sheets>'), d / "warned.xlsx")


def encrypted(d: Path) -> Path:
    """A real password-protected .xlsx (ECMA-376 agile encryption) made by msoffcrypto-tool."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        require(False, "msoffcrypto-tool is not installed (pip install msoffcrypto-tool)")
    with simple_workbook(d).open("rb") as plain, (d / "secret.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    return d / "secret.xlsx"


def legacy_xls(d: Path) -> Path:
    """A crafted OLE compound-file header (the 8-byte signature and an empty header sector), as
    a legacy .xls starts; no EncryptedPackage stream in it."""
    (d / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return d / "old.xlsx"


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")


def bomb_in(part: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    """A billion-laughs DTD put in front of ``part``'s root element, with &lol9; used inside."""
    def make(d: Path) -> Path:
        def edit(body: bytes) -> bytes:
            text = body.decode("utf-8")
            text = re.sub(r"^<\?xml[^>]*\?>", "", text)
            head = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
            return (head + LAUGHS + text.replace("</", "&lol9;</", 1)).encode(encoding)
        return with_part(simple_workbook(d), part, edit, d / "laughs.xlsx")
    return make


def with_formulas(cells: dict, *, sheets: dict | None = None, names: dict | None = None,
                  cache_name_errors: bool = False) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        path = write_workbook(d / "formulas.xlsx", {"S": cells, **(sheets or {})}, names=names)
        if not cache_name_errors:
            return path
        # As Excel saves a call to an unknown function: the cell holds #NAME?. With that cached
        # value the only thing left to report is the unsupported function itself.
        return with_part(path, "xl/worksheets/sheet1.xml", lambda body: re.sub(
            rb'<c r="(\w+)"><f>(.*?)</f><v ?/>', rb'<c r="\1" t="e"><f>\2</f><v>#NAME?</v>', body),
            d / "unsupported.xlsx")
    return make


CASES = {
    "missing": BadInput(missing, 2, ("no such file",)),
    "directory": BadInput(directory, 2, ("directory",)),
    "not a zip": BadInput(text_file, 2, ("not a zip",)),
    "empty file": BadInput(empty_file, 2, ("not a zip",)),
    "truncated": BadInput(truncated, 2, ("truncated",)),
    "truncated reference workbook": BadInput(truncated_reference, 2, ("truncated",)),
    "corrupt member": BadInput(corrupt_member, 2, ("corrupt",)),
    "zip without a workbook": BadInput(other_zip, 2, ("no xl/workbook.xml",)),
    "malformed XML": BadInput(malformed_xml, 2, ("cannot be read as a workbook",)),
    "malformed cell XML": BadInput(malformed_cell, 2, ("cannot be read as a workbook", "sheet1.xml")),
    "text in a number cell": BadInput(number_that_is_not, 2, ("cannot be read as a workbook", "cell B2", "two")),
    "missing sheet part": BadInput(missing_sheet_part, 2, ("xl/worksheets/sheet1.xml", "corrupt")),
    "encrypted": BadInput(encrypted, 2, ("password-protected",)),
    "legacy xls": BadInput(legacy_xls, 2, ("legacy .xls",)),
    "entity bomb in workbook.xml": BadInput(bomb_in("xl/workbook.xml"), 2,
                                            ("unsafe XML", "xl/workbook.xml", "entity")),
    "entity bomb in a sheet": BadInput(bomb_in("xl/worksheets/sheet1.xml"), 2,
                                       ("unsafe XML", "xl/worksheets/sheet1.xml")),
    "entity bomb in [Content_Types].xml": BadInput(bomb_in("[Content_Types].xml"), 2,
                                                   ("unsafe XML", "[Content_Types].xml")),
    "entity bomb in UTF-16": BadInput(bomb_in("xl/worksheets/sheet1.xml", "utf-16"), 2,
                                      ("unsafe XML", "entity")),
    "unsupported function": BadInput(
        with_formulas({"A1": 1, "B2": "=FOOBAR(A1)+1"}, cache_name_errors=True), 1,
        ("unsupported function FOOBAR", "S!B2")),
    "circular reference": BadInput(with_formulas({"A1": "=B1+1", "B1": "=A1*2"}), 2,
                                   ("sheet 'S'", "cell A1", "circular reference", "S!B1")),
    "circular across sheets": BadInput(
        with_formulas({"A1": "=T!B2+1"}, sheets={"T": {"B2": "=S!A1*2"}}), 2,
        ("circular reference", "S!A1", "T!B2")),
    "circular through a name": BadInput(
        with_formulas({"A1": "=total+1", "B1": "=A1"}, names={"total": "S!$B$1"}), 2,
        ("circular reference", "S!A1", "S!B1")),
    "circular through OFFSET": BadInput(
        with_formulas({"A1": "=SUM(OFFSET(B1,0,0,1,1))", "B1": "=A1"}), 2,
        ("circular reference", "S!A1", "S!B1")),
    "openpyxl warning, then a bad formula": BadInput(warned_and_unparsable, 2,
                                                    ("sheet 'S'", "cell C3", "cannot parse")),
    "formula it cannot parse": BadInput(with_formulas({"A1": 1, "C3": "=SUM(A1,A1"}), 2,
                                        ("sheet 'S'", "cell C3", "cannot parse")),
    "self reference": BadInput(with_formulas({"A1": "=A1+1"}), 2,
                               ("sheet 'S'", "cell A1", "circular reference")),
    "range around its own cell": BadInput(with_formulas({"A1": 1, "A3": "=SUM(A1:A5)"}), 2,
                                          ("sheet 'S'", "cell A3", "circular reference")),
}
PARAMS = [pytest.param(case, id=name) for name, case in CASES.items()]


def snapshot(path: Path) -> tuple[bytes, int] | None:
    return (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else None


@pytest.mark.parametrize("case", PARAMS)
def test_bad_input(case: BadInput, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    before = snapshot(path)
    result = run_cli(path)
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == case.exit_code, result.stderr
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    for fragment in case.says:
        assert fragment in lines[0]
    assert snapshot(path) == before, "the input file was changed"


def test_the_real_encrypted_file_is_a_workbook_under_its_password(tmp_path: Path) -> None:
    """The encrypted case is genuine: with its password it decrypts to the workbook we wrote."""
    path = encrypted(tmp_path)
    from msoffcrypto import OfficeFile
    office = OfficeFile(path.open("rb"))
    office.load_key(password="secret")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert plain.getvalue() == (tmp_path / "plain.xlsx").read_bytes()


def test_console_script(tmp_path: Path) -> None:
    """The installed ``cellgrad`` command behaves as ``python -m cellgrad``."""
    script = shutil.which("cellgrad")
    require(script is not None, "the cellgrad console script is not installed (pip install -e .)")
    result = subprocess.run([script, "eval", str(missing(tmp_path))], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr


def test_in_process(tmp_path: Path, capsys) -> None:
    """cellgrad.cli.main.main returns the code and prints the same one line (no SystemExit, no trace)."""
    from cellgrad.cli.main import main
    path = text_file(tmp_path)
    before = snapshot(path)
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "not a zip" in err
    assert snapshot(path) == before

