"""The macro-enabled graddesc.xlsm (sheets.macro_workbook) without Excel: its VBA project read
back with oletools, its buttons read from the workbook XML, its RunPython targets imported, and
its cells computed by the engine as the openpyxl handout's are."""
from __future__ import annotations

import importlib
import io
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


def test_every_optimizer_tab_has_run_step_reset_buttons_assigned_to_existing_macros(book, xlsm, vba):
    buttons = _buttons(xlsm)
    subs = _subs(vba)
    standard = set().union(*(subs[m] for m in subs if vba[m].count("VB_Base") == 0))
    tabs = [t.name for t in book.tabs if t.name in optimizer_tabs()]
    assert tabs == ["basic", "momentum", "adagrad", "rmsprop", "adam", "adam_ann", "adagrad_ann"]
    for tab in tabs:
        assert sorted(c for c, _ in buttons[tab]) == ["Reset", "Run", "Step"], tab
        assert all(macro in standard for _, macro in buttons[tab]), (tab, buttons[tab], standard)
    assert all(not buttons[t.name] for t in book.tabs if t.name not in tabs)


def test_every_run_python_target_imports_and_is_callable(vba):
    targets = [m.groups() for code in vba.values() for m in RUN_PYTHON.finditer(code)]
    assert len(targets) == 3
    for module, _, function in targets:
        assert callable(getattr(importlib.import_module(module), function))
    called = [line for code in vba.values() for line in code.splitlines() if "RunPython" in line]
    assert len(called) == len(targets)  # no RunPython the pattern above did not check


def test_each_tab_module_holds_the_macros_cellgrad_runs(book, vba):
    """The sheet modules carry engine/macros/vba/<tab>.bas; the interpreter parses them as they are."""
    from cellgrad.macros.vba import VBA_DIR
    for tab in book.tabs:
        code = "\n".join(line for line in vba[tab.name].splitlines() if not line.startswith("Attribute "))
        if tab.name in optimizer_tabs():
            assert code.strip() == (VBA_DIR / f"{tab.name}.bas").read_text().strip()
            assert parse_module(code, tab.name).names() == ["onestep", "somesteps", "reset"]
        else:
            assert code.strip() == ""


def test_code_names_match_the_document_modules(xlsm, vba):
    package = zipfile.ZipFile(xlsm)
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    assert workbook.find("m:workbookPr", NS).get("codeName") == "ThisWorkbook"
    documents = {name for name, code in vba.items() if "VB_Base" in code}
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
                                  ("Sub x()\r\n    Range(\"a\").Copy\r\nEnd Sub\r\n" * 200).encode()])
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


def test_the_project_references_the_xlwings_add_in_that_defines_run_python(xlsm):
    """Without the reference Excel cannot compile RunPython; it comes from xlwings' quickstart."""
    import olefile
    from oletools.olevba import decompress_stream
    with zipfile.ZipFile(xlsm) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    directory = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    ole.close()
    name = b"xlwings"
    assert b"\x16\x00" + len(name).to_bytes(4, "little") + name in directory  # REFERENCENAME
    assert b"xlwings.xlam" in directory
