"""A writer of Compound File Binary files (MS-CFB, version 3), the container of vbaProject.bin.

Only what a VBA project needs: one level of storages below the root, streams written once.
Streams under 4096 bytes live in the mini stream (64-byte sectors), as the format requires.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NO_STREAM = 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
HEADER_DIFAT = 109
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1
DIRECTORY_ENTRY = 128
ENTRIES_PER_SECTOR = SECTOR // DIRECTORY_ENTRY
# MS-CFB 2.6.3: an unused entry is zero except its sibling and child ids, which are NOSTREAM
_UNUSED_ENTRY = struct.pack("<64sHBBIII16sIQQIII", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM,
                            b"\0" * 16, 0, 0, 0, 0, 0, 0)


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    sid: int = 0
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    start: int = END_OF_CHAIN
    size: int = 0


def _order(name: str) -> tuple[int, str]:
    """CFB compares sibling names by length first, then case-insensitively."""
    return len(name), name.upper()


def _tree(siblings: list[_Entry]) -> int:
    """Link siblings as a balanced binary search tree (all black); returns the root's id."""
    if not siblings:
        return NO_STREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.left = _tree(siblings[:middle])
    node.right = _tree(siblings[middle + 1:])
    return node.sid


class _Sectors:
    """Regular sectors and the FAT chains that link them."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.fat: list[int] = []

    def add(self, payload: bytes, size: int = SECTOR) -> int:
        count = max(1, -(-len(payload) // size))
        first = len(self.fat)
        self.fat.extend(range(first + 1, first + count))
        self.fat.append(END_OF_CHAIN)
        self.data += payload.ljust(count * size, b"\0")
        return first


def compound_file(storages: dict[str, dict[str, bytes]], streams: dict[str, bytes]) -> bytes:
    """A compound file with ``streams`` at the root and ``storages`` (name -> its streams)."""
    root = _Entry("Root Entry", ROOT)
    root.children = [_Entry(n, STREAM, d) for n, d in streams.items()]
    for name, content in storages.items():
        root.children.append(_Entry(name, STORAGE, children=[_Entry(n, STREAM, d) for n, d in content.items()]))
    entries = [root]
    for entry in entries:  # breadth first: ids in the order the directory lists them
        entry.children.sort(key=lambda e: _order(e.name))
        for child in entry.children:
            child.sid = len(entries)
            entries.append(child)
    for entry in entries:
        entry.child = _tree(entry.children)
        if entry.kind == STORAGE:
            entry.start = 0  # a storage has no data of its own

    mini = _Sectors()
    big = _Sectors()
    for entry in entries:
        if entry.kind != STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size == 0:
            continue
        target = mini if entry.size < MINI_CUTOFF else big
        entry.start = target.add(entry.data, MINI_SECTOR if target is mini else SECTOR)
    return _layout(entries, root, mini, big)


def _layout(entries: list[_Entry], root: _Entry, mini: _Sectors, big: _Sectors) -> bytes:
    sectors = _Sectors()
    # the big streams first, so that their chains keep the sector numbers assigned above
    sectors.data, sectors.fat = big.data, big.fat
    if mini.data:
        root.start = sectors.add(bytes(mini.data))
        root.size = len(mini.data)
    minifat_start = END_OF_CHAIN
    minifat_count = 0
    if mini.fat:
        minifat = struct.pack(f"<{len(mini.fat)}I", *mini.fat)
        minifat_start = sectors.add(minifat)
        minifat_count = -(-len(minifat) // SECTOR)
    directory = b"".join(_directory_entry(e) for e in entries)
    unused = -len(entries) % ENTRIES_PER_SECTOR
    directory += _UNUSED_ENTRY * unused
    directory_start = sectors.add(directory)
    fat_count = 1
    while (len(sectors.fat) + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    if fat_count > HEADER_DIFAT:
        raise ValueError("a VBA project this large needs DIFAT sectors, which are not written")
    fat_first = len(sectors.fat)
    fat = sectors.fat + [FAT_SECTOR] * fat_count
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    body = bytes(sectors.data) + struct.pack(f"<{len(fat)}I", *fat)
    difat = list(range(fat_first, fat_first + fat_count)) + [FREE] * (HEADER_DIFAT - fat_count)
    header = SIGNATURE + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_count,
        directory_start, 0, MINI_CUTOFF, minifat_start, minifat_count, END_OF_CHAIN, 0, 0)[:-4]
    header = header[:76] + struct.pack(f"<{HEADER_DIFAT}I", *difat)
    return header.ljust(SECTOR, b"\0") + body


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"compound file names have at most 31 characters: {entry.name!r}")
    return struct.pack("<64sHBBIII16sIQQIII", name.ljust(64, b"\0"), len(name) + 2, entry.kind, BLACK,
                       entry.left, entry.right, entry.child, b"\0" * 16, 0, 0, 0, entry.start,
                       entry.size, 0)
