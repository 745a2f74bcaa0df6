"""vbaProject.bin from VBA source text (MS-OVBA), for the macro-enabled graddesc handout.

The modules are stored as source only: ``_VBA_PROJECT`` carries version 0xFFFF, which tells
Excel that there is no compiled code to trust, so it compiles the source when it opens the file.
The project information, its references (the standard libraries only: no add-in) and the
protection records of the PROJECT stream are read from the ``quickstart_standalone.xlsm`` that
the installed xlwings package ships, made by Excel itself and copied by ``xlwings quickstart
--standalone``. From the same file come xlwings' standalone VBA module, which defines
``RunPython`` inside the workbook, and the class module it needs (Dictionary), so the project
compiles in an Excel without the xlwings add-in and calls the xlwings version installed where
the handout was built. The module records, the module streams and the compression are written
here. (The PyPI package ms-ovba corrupts modules longer than 656 bytes, hence this writer.)
"""
from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .compound_file import compound_file

CODEPAGE = "cp1252"
CHUNK = 4096
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_DOCUMENT_ATTRIBUTES = ("VB_GlobalNameSpace = False", "VB_Creatable = False",
                        "VB_PredeclaredId = True", "VB_Exposed = True",
                        "VB_TemplateDerived = False", "VB_Customizable = True")
_PROJECT_MODULES = 0x000F
_PROJECT_VERSION = 0x0009  # its size field says 4 but 6 bytes follow (MS-OVBA 2.3.4.2.1.11)


STANDALONE_TEMPLATE = "quickstart_standalone.xlsm"  # in the xlwings package
STANDALONE_MODULE = "xlwings"                        # the module that defines RunPython
Kind = Literal["module", "class", "workbook", "worksheet"]


@dataclass(frozen=True)
class VbaModule:
    name: str                     # the module's (code)name: "cellgrad", "ThisWorkbook", "adam"
    code: str                     # the source, without the module's Attribute header
    kind: Kind = "module"         # a standard module, a class module or a document module
    attributes: tuple[str, ...] = ()  # a class module's header lines after VB_Name

    @property
    def is_document(self) -> bool:
        return self.kind in ("workbook", "worksheet")

    def source(self) -> bytes:
        lines = [f'Attribute VB_Name = "{self.name}"']
        if self.is_document:
            base = WORKBOOK_BASE if self.kind == "workbook" else WORKSHEET_BASE
            lines.append(f'Attribute VB_Base = "{base}"')
            lines += [f"Attribute {a}" for a in _DOCUMENT_ATTRIBUTES]
        lines += self.attributes
        text = "\r\n".join(lines + self.code.splitlines()) + "\r\n"
        return text.encode(CODEPAGE)

    def project_line(self) -> str:
        """The module's line in the PROJECT stream (MS-OVBA 2.3.1.4)."""
        if self.is_document:
            return f"Document={self.name}/&H00000000"
        return f"{'Class' if self.kind == 'class' else 'Module'}={self.name}"


# -- compression (MS-OVBA 2.4.1) ------------------------------------------------------------------

def compress(data: bytes) -> bytes:
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _chunk(data[start:start + CHUNK])
    return bytes(out)


def _chunk(chunk: bytes) -> bytes:
    body = bytearray()
    pos = 0
    while pos < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if pos >= len(chunk):
                break
            offset, length = _longest_match(chunk, pos)
            if length >= 3:
                bits = _offset_bits(pos)
                tokens += struct.pack("<H", ((offset - 1) << (16 - bits)) | (length - 3))
                flags |= 1 << bit
                pos += length
            else:
                tokens.append(chunk[pos])
                pos += 1
        body += bytes([flags]) + tokens
    if len(body) > CHUNK:  # incompressible: a raw chunk, which must hold 4096 bytes
        return struct.pack("<H", 0x3FFF) + chunk.ljust(CHUNK, b"\0")
    return struct.pack("<H", 0xB000 | (len(body) - 1)) + bytes(body)


def _offset_bits(pos: int) -> int:
    """Bits of a copy token's offset: enough for the distance to the chunk's start, at least 4."""
    return max((pos - 1).bit_length(), 4)


def _longest_match(chunk: bytes, pos: int) -> tuple[int, int]:
    """The nearest earlier position with the longest match of the bytes at ``pos`` (a match may
    run on past ``pos``), as (offset, length); a length under 3 is not worth a copy token. Only
    positions that start with the same three bytes are tried, nearest first (``rfind``), and
    each match is measured by comparing slices, halving: byte by byte over every earlier
    position, compressing the handouts' VBA took seconds."""
    limit = min((0xFFFF >> _offset_bits(pos)) + 3, len(chunk) - pos) if pos else 0
    if limit < 3:
        return 0, 0
    head = chunk[pos:pos + 3]
    best_offset, best = 0, 0
    end = pos + 2  # a candidate c < pos whose three bytes chunk[c:c + 3] may reach past pos
    while (candidate := chunk.rfind(head, 0, end)) >= 0:
        end = candidate + 2
        if chunk[candidate + best] == chunk[pos + best] if best < limit else False:
            low, high = 3, limit  # chunk[candidate:candidate + low] matches; find the longest
            while low < high:
                middle = (low + high + 1) // 2
                if chunk[candidate:candidate + middle] == chunk[pos:pos + middle]:
                    low = middle
                else:
                    high = middle - 1
            if low > best:
                best_offset, best = pos - candidate, low
                if best == limit:
                    break
    return best_offset, best


# -- the streams ----------------------------------------------------------------------------------

def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HI", kind, len(data)) + data


def _standalone_template() -> Path:
    import xlwings
    return Path(xlwings.__file__).with_name(STANDALONE_TEMPLATE)


def _template() -> tuple[bytes, list[str]]:
    """From xlwings' standalone quickstart: the dir stream's project information and references,
    and the PROJECT stream's lines before the module list is needed (ID, protection, host)."""
    import olefile
    from oletools.olevba import decompress_stream

    with zipfile.ZipFile(_standalone_template()) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    directory = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    project = ole.openstream("PROJECT").read().decode(CODEPAGE).splitlines()
    ole.close()
    pos = 0
    while True:
        kind, size = struct.unpack_from("<HI", directory, pos)
        if kind == _PROJECT_MODULES:
            break
        pos += 6 + (6 if kind == _PROJECT_VERSION else size)
    return directory[:pos], project


def xlwings_standalone_modules() -> list[VbaModule]:
    """xlwings' standalone VBA module and the class modules its project lists (Dictionary), as
    ``xlwings quickstart --standalone`` puts them into a workbook, read from the installed
    xlwings package (the module's DLL calls name that xlwings version)."""
    from oletools.olevba import VBA_Parser

    _, project = _template()
    classes = {line.split("=", 1)[1] for line in project if line.startswith("Class=")}
    parser = VBA_Parser(str(_standalone_template()))
    try:
        sources = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    modules = []
    for name in [STANDALONE_MODULE, *sorted(classes)]:
        lines = sources[name].splitlines()
        header = 1
        while header < len(lines) and lines[header].startswith("Attribute VB_"):
            header += 1
        modules.append(VbaModule(name, "\n".join(lines[header:]),
                                 "class" if name in classes else "module",
                                 tuple(lines[1:header])))
    return modules


def _module_records(module: VbaModule) -> bytes:
    name = module.name.encode(CODEPAGE)
    wide = module.name.encode("utf-16-le")
    return b"".join([
        _record(0x0019, name), _record(0x0047, wide),        # MODULENAME, unicode
        _record(0x001A, name), _record(0x0032, wide),        # MODULESTREAMNAME, unicode
        _record(0x001C, b""), _record(0x0048, b""),          # MODULEDOCSTRING, unicode
        _record(0x0031, struct.pack("<I", 0)),               # MODULEOFFSET: source at 0
        _record(0x001E, struct.pack("<I", 0)),               # MODULEHELPCONTEXT
        _record(0x002C, struct.pack("<H", 0xFFFF)),          # MODULECOOKIE
        _record(0x0021 if module.kind == "module" else 0x0022, b""),  # procedural or not
        struct.pack("<HI", 0x002B, 0),                       # module terminator
    ])


def _project_stream(template: list[str], modules: list[VbaModule]) -> bytes:
    keep = [line for line in template if line.split("=")[0] in
            ("ID", "Name", "HelpContextID", "VersionCompatible32", "CMG", "DPB", "GC")]
    lines = [keep[0], *(m.project_line() for m in modules), *keep[1:]]
    host = template.index("[Host Extender Info]")
    lines += ["", *template[host:host + 2], "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(CODEPAGE)


def vba_project(modules: list[VbaModule]) -> bytes:
    """The bytes of a vbaProject.bin holding ``modules`` as source."""
    information, project = _template()
    directory = information + _record(_PROJECT_MODULES, struct.pack("<H", len(modules)))
    directory += _record(0x0013, struct.pack("<H", 0xFFFF))
    directory += b"".join(_module_records(m) for m in modules) + struct.pack("<HI", 0x0010, 0)
    names = b"".join(m.name.encode(CODEPAGE) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
                     for m in modules) + b"\0\0"
    vba = {"dir": compress(directory), "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00"}
    vba.update({m.name: compress(m.source()) for m in modules})
    return compound_file({"VBA": vba}, {"PROJECT": _project_stream(project, modules),
                                        "PROJECTwm": names})

