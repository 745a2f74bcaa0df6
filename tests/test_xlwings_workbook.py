"""The macro-enabled graddesc.xlsm (sheets.macro_workbook) without Excel: its VBA project read
back with oletools, its buttons read from the workbook XML, its RunPython targets imported, and
its cells computed by the engine as the openpyxl handout's are."""
from __future__ import annotations

import importlib
import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from cellgrad.files.vba_project import compress
from cellgrad.macros import EngineSheet, Training, optimizer_tabs
from cellgrad.macros.vba import parse_module
from cellgrad.workbook import Workbook
from defusedxml import ElementTree

from .conftest import require

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "x": "urn:schemas-microsoft-com:office:excel",
      "v": "urn:schemas-microsoft-com:vml"}
RUN_PYTHON = re.compile(r'RunPython\s+"import\s+([\w.]+)\s+as\s+(\w+);\s*\2\.(\w+)\(\)"')


@pytest.fixture(scope="module")
def book():
    from cellgrad.sheets.books import handout
    return handout("graddesc")


@pytest.fixture(scope="module")
def xlsm(book, tmp_path_factory) -> Path:
    from cellgrad.sheets.macro_workbook import write
    path = tmp_path_factory.mktemp("xlsm") / "graddesc.xlsm"
    write(book, path)
    return path


@pytest.fixture(scope="module")
def vba(xlsm) -> dict[str, str]:
    """Module name -> source, as oletools reads them from the file."""
    try:
        from oletools.olevba import VBA_Parser
    except ImportError:
        require(False, "oletools is not installed (pip install oletools)")
    parser = VBA_Parser(str(xlsm))
    modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    return modules


def _subs(vba: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the names of the Subs it defines."""
    out = {}
    for name, code in vba.items():
        body = "\n".join(line for line in code.splitlines() if not line.startswith("Attribute "))
        out[name] = set(re.findall(r"^Sub (\w+)\(\)", body, flags=re.M))
    return out


def _sheet_parts(xlsm: Path) -> dict[str, tuple[bytes, zipfile.ZipFile]]:
    package = zipfile.ZipFile(xlsm)
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    return {s.get("name"): "xl/" + targets[s.get(f"{{{NS['r']}}}id")]
            for s in workbook.findall("m:sheets/m:sheet", NS)}


def _buttons(xlsm: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet -> (caption, macro) of each form button of its legacy (VML) drawing."""
    package = zipfile.ZipFile(xlsm)
    out = {}
    for sheet, part in _sheet_parts(xlsm).items():
        xml = ElementTree.fromstring(package.read(part))
        drawing = xml.find("m:legacyDrawing", NS)
        out[sheet] = []
        if drawing is None:
            continue
        rels_part = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        rels = ElementTree.fromstring(package.read(rels_part))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}[
            drawing.get(f"{{{NS['r']}}}id")]
        vml = ElementTree.fromstring(package.read("xl/" + target.replace("../", "")))
        for shape in vml.iter(f"{{{NS['v']}}}shape"):
            data = shape.find("x:ClientData", NS)
            if data is None or data.get("ObjectType") != "Button":
                continue
            caption = "".join(shape.find("v:textbox", NS).itertext()).strip()
            macro = data.find("x:FmlaMacro", NS).text.split("!")[-1]
            out[sheet].append((caption, macro))
    return out


def test_every_optimizer_tab_has_both_groups_of_buttons_assigned_to_existing_macros(book, xlsm, vba):
    """Run, Step and Reset call the sheet module's own subs (as "adam.somesteps", the lesson's
    form); the Python group calls the standard module cellgrad."""
    buttons = _buttons(xlsm)
    subs = _subs(vba)
    standard = set().union(*(subs[m] for m in subs if vba[m].count("VB_Base") == 0))
    tabs = [t.name for t in book.tabs if t.name in optimizer_tabs()]
    assert tabs == ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]
    for tab in tabs:
        own = {caption: macro for caption, macro in buttons[tab]}
        assert sorted(own) == ["Reset", "Reset in Python", "Run", "Run in Python", "Step",
                               "Step in Python"], tab
        assert (own["Run"], own["Step"], own["Reset"]) == \
            (f"{tab}.somesteps", f"{tab}.onestep", f"{tab}.reset")
        for caption in ("Run", "Step", "Reset"):
            module, sub = own[caption].split(".")
            assert sub in subs[module], (tab, caption)
            assert own[f"{caption} in Python"] in standard
    assert all(not buttons[t.name] for t in book.tabs if t.name not in tabs)


def test_python_buttons_say_what_to_install_when_python_is_missing(vba):
    """Each Python button asks first whether Python can import cellgrad; if not, one message box."""
    code = vba["cellgrad"]
    boxes = re.findall(r'MsgBox "([^"]*)"', code)
    assert boxes == ["The Python buttons need Python with cellgrad: pip install cellgrad"]
    calls = [line.strip() for line in code.splitlines() if "RunPython" in line and
             not line.lstrip().startswith("'")]
    assert len(calls) == 3 and all(c.startswith("If CellgradInstalled() Then RunPython ") for c in calls)


def test_the_project_embeds_xlwings_standalone_module_and_references_no_add_in(xlsm, vba):
    """RunPython is defined inside the workbook (xlwings' standalone module and its Dictionary
    class, as `xlwings quickstart --standalone` copies them), so the project compiles without
    the add-in; the references are the standard libraries only (no REFERENCEPROJECT)."""
    import olefile
    import xlwings
    from oletools.olevba import decompress_stream
    assert re.search(r"^Public Function RunPython\(", vba["xlwings"], flags=re.M)
    assert f"'Version: {xlwings.__version__}" in vba["xlwings"]
    assert 'Attribute VB_Name = "Dictionary"' in vba["Dictionary"]
    with zipfile.ZipFile(xlsm) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    directory = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    project = ole.openstream("PROJECT").read().decode("cp1252").splitlines()
    ole.close()
    kinds = _records(directory)
    assert 0x000E not in kinds  # REFERENCEPROJECT: a reference to another VBA project (add-in)
    assert b"xlwings.xlam" not in directory
    assert {line for line in project if line.startswith(("Module=", "Class="))} == \
        {"Module=cellgrad", "Module=history", "Module=xlwings", "Class=Dictionary"}


def _records(directory: bytes) -> list[int]:
    """The record ids of a decompressed dir stream (MS-OVBA 2.3.4.2), in order."""
    import struct
    kinds, pos = [], 0
    while pos < len(directory):
        kind, size = struct.unpack_from("<HI", directory, pos)
        kinds.append(kind)
        pos += 6 + (6 if kind == 0x0009 else size)  # PROJECTVERSION's size field says 4
    return kinds


def _unused_directory_entries(data: bytes) -> list[bytes]:
    """The unallocated 128-byte entries of a compound file's directory sectors."""
    import struct
    first = struct.unpack_from("<I", data, 48)[0]  # the header's first directory sector
    fat_sectors = struct.unpack_from("<109I", data, 76)
    fat = b"".join(data[512 * (s + 1): 512 * (s + 2)] for s in fat_sectors if s != 0xFFFFFFFF)
    chain, current = [], first
    while current != 0xFFFFFFFE:
        chain.append(current)
        current = struct.unpack_from("<I", fat, 4 * current)[0]
    entries = [data[512 * (s + 1) + 128 * i: 512 * (s + 1) + 128 * (i + 1)] for s in chain for i in range(4)]
    return [e for e in entries if e[66] == 0]  # object type 0: unallocated


def test_unused_directory_entries_are_nostream(book, xlsm):
    """MS-CFB 2.6.3: an unused directory entry has NOSTREAM (0xFFFFFFFF) sibling and child ids.
    A sector holds 4 entries: the handout's project and the same with one more module cannot both
    fill their sectors exactly, so unused entries are checked whatever the module count."""
    import struct

    from cellgrad.files.vba_project import VbaModule, vba_project
    from cellgrad.sheets.macro_workbook import vba_modules
    with zipfile.ZipFile(xlsm) as package:
        handout = package.read("xl/vbaProject.bin")
    unused = [e for data in (handout, vba_project(vba_modules(book) + [VbaModule("spare", "")]))
              for e in _unused_directory_entries(data)]
    assert unused
    for entry in unused:
        assert struct.unpack_from("<III", entry, 68) == (0xFFFFFFFF,) * 3
        assert entry[:66] == b"\0" * 66 and entry[80:] == b"\0" * 48


@pytest.mark.libreoffice
def test_libreoffice_binds_the_vba_buttons_to_the_tab_macros(book, xlsm, soffice, tmp_path):
    """Opened in LibreOffice (which imports the VBA project and resolves each button's macro to a
    module and sub) and saved again, every button names the macro the workbook assigned it."""
    from cellgrad.hosts.libreoffice import LibreOffice
    with LibreOffice(soffice=soffice) as lo:
        saved = lo.convert(xlsm, "xlsm:Calc MS Excel 2007 VBA XML", tmp_path)
    package = zipfile.ZipFile(saved)
    for sheet, part in _sheet_parts(Path(saved)).items():
        bound = re.findall(r'macro="([^"]*)"', package.read(part).decode("utf-8"))
        if sheet not in optimizer_tabs():
            assert bound == [], sheet
            continue
        assert sorted(bound) == sorted([f"{sheet}.somesteps", f"{sheet}.onestep", f"{sheet}.reset",
                                        "cellgrad.CellgradRun", "cellgrad.CellgradStep",
                                        "cellgrad.CellgradReset"]), sheet


def test_each_tab_module_holds_the_macros_cellgrad_runs(book, vba):
    """The sheet modules carry engine/macros/vba/<tab>.bas; the interpreter parses them as they are."""
    from cellgrad.macros.vba import VBA_DIR
    for tab in book.tabs:
        code = "\n".join(line for line in vba[tab.name].splitlines() if not line.startswith("Attribute "))
        if tab.name in optimizer_tabs():
            assert code.strip() == (VBA_DIR / f"{tab.name}.bas").read_text().strip()
            assert {"onestep", "somesteps", "reset"} <= set(parse_module(code, tab.name).names())
        else:
            assert code.strip() == ""


def test_code_names_match_the_document_modules(xlsm, vba):
    package = zipfile.ZipFile(xlsm)
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    assert workbook.find("m:workbookPr", NS).get("codeName") == "ThisWorkbook"
    from cellgrad.files.vba_project import WORKBOOK_BASE, WORKSHEET_BASE
    documents = {name for name, code in vba.items() if WORKBOOK_BASE in code or WORKSHEET_BASE in code}
    code_names = {"ThisWorkbook"}
    for sheet, part in _sheet_parts(xlsm).items():
        code_names.add(ElementTree.fromstring(package.read(part)).find("m:sheetPr", NS).get("codeName"))
    assert code_names == documents
    assert len(documents) == len(_sheet_parts(xlsm)) + 1


@pytest.mark.parametrize("tab", ["basic", "adagrad", "adam_ann", "adagrad_ann"])
def test_the_engine_runs_the_xlsm_as_it_runs_the_openpyxl_handout(book, xlsm, tmp_path, tab):
    from cellgrad.sheets.writer import package
    handout = tmp_path / "graddesc.xlsm"
    handout.write_bytes(package(book))
    runs = []
    for path in (xlsm, handout):
        engine = Workbook.load(path)
        engine.recalculate()
        training = Training(EngineSheet(engine, tab))
        training.reset()
        runs.append([(e.a, e.b, e.loss, e.lr, e.state) for e in training.run(10)])
    assert runs[0] == runs[1]


@pytest.mark.parametrize("data", [b"", b"a", b"abcabcabcabcabcabc" * 300, bytes(range(256)) * 40,
                                  ("Sub x()\r\n    Range(\"a\").Copy\r\nEnd Sub\r\n" * 200).encode(),
                                  b"a" * 9000,  # copies that overlap the bytes they copy, across chunks
                                  bytes(random.Random(3).choice(b"ab \r\n") for _ in range(12000))])
def test_vba_compression_reads_back_with_oletools(data):
    try:
        from oletools.olevba import decompress_stream
    except ImportError:
        require(False, "oletools is not installed (pip install oletools)")
    assert bytes(decompress_stream(bytearray(compress(data)))) == data


def test_the_xlsm_opens_in_openpyxl_with_its_vba_kept(xlsm):
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(xlsm.read_bytes()), keep_vba=True)
    assert book.vba_archive is not None and "adam" in book.sheetnames


def test_the_readme_tab_explains_both_groups_in_the_buttons_words(book):
    from cellgrad.sheets.macro_workbook import PYTHON_BUTTONS, VBA_BUTTONS
    text = " ".join(str(c.value) for c in book.tab("readme").cells.values() if c.value)
    for caption, macro in (*VBA_BUTTONS, *PYTHON_BUTTONS):
        assert caption in text, caption
    for _, sub in VBA_BUTTONS:
        assert sub in text, sub  # the tab's own macros, by name
    assert "pip install cellgrad" in text
