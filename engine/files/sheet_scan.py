"""A fast scan of a worksheet's ``<sheetData>``, for the forms in which writers put cells there.

expat calls back into Python for every element, and a cell is three or four elements: that made
reading the sheet XML most of the time it takes to open a workbook. Excel, LibreOffice, openpyxl
and xlsxwriter all write cells in a few fixed forms (``<c r="B2" s="3" t="s"><v>7</v></c>``, a
formula ``<f ...>text</f>`` before the value, an inline string ``<is><t>text</t></is>``), so one
regular expression matches a whole cell, and the reader makes the cell from its groups.

Only what is understood is accepted: every character between ``<sheetData>`` and
``</sheetData>`` must belong to a recognised row or cell token. Anything else (a comment, CDATA,
a processing instruction, single-quoted attributes, an attribute twice, an attribute value with
a tab or line end, white space other than XML's four, a character XML does not allow, a cell
without ``r``, rich inline text, an entity other than XML's five and character references,
another encoding, a namespace prefix) is declined (``split`` returns None, a token of its own,
``text`` or ``attributes`` raise NotPlain), and the reader reads the sheet with expat, which
handles every form and reports what is malformed. The rest of the document (the root element,
table parts, filters) is left to expat as well.
"""
from __future__ import annotations

import re

# the sheet's only <sheetData> and what follows it: without a prefix, in UTF-8
_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_SHEET_DATA_END = b"</sheetData>"
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[ \t\r\n][^>]*>")
_ENCODING = re.compile(rb"encoding[ \t\r\n]*=[ \t\r\n]*[\"']([^\"']*)[\"']")
# before <sheetData>, a comment, CDATA, a DTD ("<!") or a processing instruction ("<?") may hold
# what looks like it; within it, any of them is a token the scan declines, and "]]>" may not
# stand in text (XML 1.0 2.4)
_UNSCANNED = (b"<!", b"<?")
_CDATA_END = b"]]>"

# XML's white space is these four (\s takes more, and control characters XML forbids); texts and
# attribute values hold only XML's characters (Char); an attribute value with a tab or line end
# is declined, as a parser makes it a space (attribute-value normalisation, XML 1.0 3.3.3)
_S = "[ \t\r\n]"
_NOT_CHAR = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_TEXT = f"[^<{_NOT_CHAR}]*"
_ATTRIBUTES = f'(?:{_S}+[A-Za-z_][A-Za-z0-9_:]*="[^"<&\t\n\r{_NOT_CHAR}]*")*'
# findall gives "" for a group that took no part: the groups (<f), (<v), (<is>), (<row) say
# whether the element is there. Any other character but white space is a token of its own (the
# last group), so every character is accounted for: such a token sends the sheet to expat.
_TOKEN = re.compile(
    f"{_S}*(?:"
    # a cell: column, row, its other attributes; then a formula, a value and/or an inline string
    f'<c(?:{_S}+r="([A-Z]{{1,3}})([0-9]{{1,7}})"({_ATTRIBUTES})|({_ATTRIBUTES})){_S}*(?:/>|>'
    f"(?:{_S}*(<f)({_ATTRIBUTES}){_S}*(?:/>|>({_TEXT})</f>))?"
    f"(?:{_S}*(<v)(?:>({_TEXT})</v>|{_S}*/>))?"
    f'(?:{_S}*(<is>){_S}*<t(?:{_S}+xml:space="preserve")?>({_TEXT})</t>{_S}*</is>)?'
    f"{_S}*</c>)"
    # a row's start (or a whole empty row), and a row's end
    f"|(<row)({_ATTRIBUTES}){_S}*(/?)>"
    f"|(</row>)"
    f"|([^ \t\r\n]))")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})").fullmatch
_ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class NotPlain(Exception):
    """A text the scan does not decode the way an XML parser would: expat reads the sheet."""


def _character(number: int) -> str:
    if number in (0x9, 0xA, 0xD) or 0x20 <= number <= 0xD7FF or 0xE000 <= number <= 0xFFFD \
            or 0x10000 <= number <= 0x10FFFF:
        return chr(number)
    raise NotPlain  # not an XML character: expat's error to report


def _entity(m: re.Match) -> str:
    named, decimal, hexadecimal = m.groups()
    if named is not None:
        return _NAMED[named]
    return _character(int(decimal) if decimal is not None else int(hexadecimal, 16))


def text(raw: str) -> str:
    """Character data as an XML parser delivers it: references replaced, line ends normalised."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        decoded = _REFERENCE.sub(_entity, raw)
        if raw.count("&") != len(_REFERENCE.findall(raw)):
            raise NotPlain  # a stray "&" or an entity no DTD may define here
        return decoded
    return raw


def split(data: bytes) -> tuple[bytes, str] | None:
    """The sheet part without its cells (for expat), and the cells' XML as text; None where
    the part is not one the scan reads (another encoding, a prefix, a comment, ...)."""
    declared = _DECLARATION.match(data)
    if declared is not None:
        encoding = _ENCODING.search(declared.group())
        if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
    found = _SHEET_DATA.search(data)
    if found is None:
        return None
    before = data[0 if declared is None else declared.end():found.start()]
    if any(mark in before for mark in _UNSCANNED):
        return None
    end = data.find(_SHEET_DATA_END, found.end())
    if end < 0 or data.find(b"<sheetData", found.end()) >= 0 \
            or data.find(_CDATA_END, found.end(), end) >= 0:
        return None
    try:
        cells = data[found.end():end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return data[:found.end()] + data[end:], cells


def tokens(cells: str) -> list[tuple[str, ...]]:
    """The tokens of a sheetData's content, each as the groups of ``_TOKEN``:
    (column letters, row digits, the other attributes | all attributes where r is not first,
    "<f", its attributes, its text, "<v", its text, "<is>", its text,
    "<row", its attributes, "/" if it closes itself, "</row>", any other character).
    A group that took no part is ""."""
    return _TOKEN.findall(cells)


def attributes(text: str) -> dict[str, str]:
    """Attributes as the token gives them (values without a reference); NotPlain where a name
    is there twice (expat's error to report)."""
    pairs = _ATTRIBUTE.findall(text)
    found = dict(pairs)
    if len(found) != len(pairs):
        raise NotPlain
    return found


def cell_reference(text: str) -> tuple[str, str] | None:
    """A cell's r as column letters and row digits; None for another form."""
    found = _CELL_REF(text)
    return None if found is None else (found[1], found[2])
