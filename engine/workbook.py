"""The public Python API: load a workbook, read and set cells, recalculate, save a copy.

    wb = Workbook.load("collab_filter.xlsx")
    wb["dotprod!V41"]                      # a value
    wb["dotprod!H25:V39"]                  # a 2-D numpy array (a list of lists if it holds text)
    wb["dotprod", "V41"]; wb["dotprod"]["V41"]   # the same cell; wb["dotprod"] is the sheet
    wb["dotprod!B25"] = 0.5                # recalculates what depends on it (automatic mode)
    wb.save_values("trained.xlsx")         # a copy carrying the engine's values

Sheet and defined names ignore case, as Excel's do; a miss suggests the closest name.
"""
from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import os
import warnings
from typing import Callable, Iterator, Mapping, TypeVar

import numpy as np

from .calc.blocks import Block
from .calc.calculation import Calculation
from .core.cells import Cell, DefinedName, Sheet
from .core.display import RangeArray, RangeValues, grid_html, range_result
from .core.errors import (CellgradError, DefinedNameError, FormulaError, UnsupportedFunctionError,
                          UnsupportedFunctionWarning, WorkbookError)
from .core.ir import ArrayConst, Call, Const, Node
from .core.parser import ParseError, Parsed, parse
from .core.r1c1 import ColumnFills, r1c1_key
from .core.references import Range, parse_cell, split_sheet
from .core.structured import Tables
from .core.values import ExcelError, Scalar
from .files.reader import read_workbook
from .functions import REGISTRY

F = TypeVar("F", bound=Callable)


def _names_file(method: F) -> F:
    """Errors found while calculating (a cycle through OFFSET) name the workbook's file."""
    @functools.wraps(method)
    def wrapper(self: "Workbook", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except CellgradError as exc:
            raise exc.located(file=self.path)
    return wrapper  # type: ignore[return-value]


class Workbook:
    """A workbook whose formulas the engine computes."""

    def __init__(self, sheets: list[Sheet], names: dict[str, DefinedName], *,
                 path: str | None = None, seed: int | None = 0, replay_random: bool = False,
                 same_formula: Mapping[Cell, Cell] | None = None,
                 tabs: list[tuple[str, str]] | None = None, date1904: bool = False) -> None:
        """``same_formula`` maps a shared formula's member cells to its master (as read);
        ``tabs`` are all the sheets in tab order as (name, kind), chart sheets too, which hold
        no cells (None: ``sheets`` are all); ``date1904``: the workbook counts dates from 1904."""
        self.path = path
        self.sheets: dict[str, Sheet] = {s.name: s for s in sheets}
        self.tabs = tabs if tabs is not None else [(s.name, "worksheet") for s in sheets]
        self.names = names
        self.unsupported: dict[str, list[tuple[str, str]]] = {}
        # (scope, NAME) -> its definition parsed; for a name holding a [#This Row] (listed in
        # _row_names), (scope, NAME, the tables its user's row crosses) -> the definition there
        self._name_nodes: dict[tuple, Parsed] = {}
        self._row_names: set[tuple[str | None, str]] = set()
        self._resolving: set[tuple] = set()
        self.tables = Tables(t for s in sheets for t in s.tables)  # Excel Tables, by name
        random_cells = self._parse_all(same_formula or {})
        self.replayed: list[Cell] = []  # random cells holding the draws Excel cached
        if replay_random:
            random_cells = self._replay_draws(random_cells)
        try:
            self.calc = Calculation(self.sheets, seed=seed, random_cells=random_cells, path=path)
        except FormulaError as exc:
            raise exc.located(file=path) from None
        self.calc.book.tabs = [name for name, _ in self.tabs]  # SHEET and SHEETS count them all
        self.calc.book.date1904 = date1904  # the date functions and TEXT read serials by it

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike, *, seed: int | None = 0, calculate: bool = False,
             replay_random: bool = False) -> "Workbook":
        """Read a workbook; values are Excel's cached ones until ``calculate()``. With
        ``replay_random`` each RAND/RANDBETWEEN/RANDARRAY cell keeps the draw Excel cached instead
        of drawing anew (``seed``), so what depends on the draws can be compared with Excel."""
        path = os.fspath(path)
        with _without_cyclic_gc():
            read = read_workbook(path)
            book = cls(read.sheets, read.names, path=path, seed=seed, replay_random=replay_random,
                       same_formula=read.same_formula, tabs=read.tabs, date1904=read.date1904)
        if calculate:
            book.calculate()
        return book

    def _parse_all(self, same_formula: Mapping[Cell, Cell]) -> list[Cell]:
        """Give every formula cell its IR, parsing each distinct formula once: a shared formula's
        members take their master's IR, and cells whose formulas have the same R1C1 form on a
        sheet share one IR. Returns the cells that draw random numbers."""
        parsed: dict[tuple[str, str], Node] = {}
        interned: dict[Node, Node] = {}
        calls: dict[int, tuple[tuple[str, ...], bool]] = {}  # id(IR) -> (unknown functions, random)
        random_cells: list[Cell] = []
        row_bound: set[Cell] = set()  # cells whose IR holds on their own row only ([#This Row])
        for sheet in self.sheets.values():
            fills = ColumnFills()
            for cell in sheet.cells.values():
                master = same_formula.get(cell)  # first: a member's text is made when asked for
                node = master.node if master is not None and master not in row_bound else None
                if node is None:
                    if cell.formula is None:
                        continue
                    node = fills.find(cell.row, cell.col, cell.formula)  # type: ignore[assignment]
                if node is None:
                    key = r1c1_key(cell.formula, cell.row, cell.col)  # type: ignore[arg-type]
                    node = parsed.get((sheet.name, key)) if key is not None else None
                    if node is None:
                        found = self._parse(cell)
                        node = interned.setdefault(found.node, found.node)
                        if found.this_row:  # its R1C1 form is not its whole meaning
                            row_bound.add(cell)
                            key = None
                        elif key is not None:
                            parsed[(sheet.name, key)] = node
                    if key is not None:
                        fills.start(cell.row, cell.col, cell.formula, node)  # type: ignore[arg-type]
                found = calls.get(id(node))
                if found is None:
                    found = calls[id(node)] = self._check_calls(node, cell)
                unknown, draws = found
                for name in unknown:
                    self.unsupported.setdefault(name, []).append((sheet.name, cell.address))
                if draws:
                    random_cells.append(cell)
                cell.node = node
                if cell.value is None and cell.array_range is None:
                    cell.dirty = True
        return random_cells

    def _parse(self, cell: Cell) -> Parsed:
        assert cell.formula is not None
        try:
            return parse(cell.formula, cell.row, cell.col, sheet=cell.sheet,
                         names=self._resolve_name, tables=self.tables)
        except ParseError as exc:
            raise FormulaError(cell.sheet, cell.address, f"cannot parse {cell.formula!r}: {exc}",
                               file=self.path) from None

    def _check_calls(self, node: Node, cell: Cell) -> tuple[tuple[str, ...], bool]:
        """The unknown functions ``node`` calls and whether it draws random numbers; a known
        function given too few or too many arguments is an error at ``cell``."""
        unknown: list[str] = []
        draws = False
        for n in node.walk():
            if isinstance(n, Call):
                spec = REGISTRY.get(n.name)
                if spec is None:
                    unknown.append(n.name)
                    continue
                draws = draws or spec.random
                if len(n.args) < spec.min_args or (spec.max_args is not None and len(n.args) > spec.max_args):
                    expected = (f"at least {spec.min_args}" if spec.max_args is None else
                                f"{spec.min_args} to {spec.max_args}")
                    raise FormulaError(cell.sheet, cell.address,
                                       f"{n.name} takes {expected} arguments, got {len(n.args)}",
                                       file=self.path)
        return tuple(unknown), draws

    def _resolve_name(self, name: str, sheet: str, row: int) -> Parsed | None:
        """What a defined name stands for in a formula on ``row`` of ``sheet``. Its definition
        is anchored at A1 (the file stores its relative references so); a [#This Row] in it is
        the row of the formula using the name, as in a cell's formula ("Using structured
        references with Excel tables"): such a name is parsed once per set of tables whose data
        that row crosses."""
        key_name = name.upper()
        scoped = self.sheets[sheet].names.get(key_name) if sheet in self.sheets else None
        definition = scoped or self.names.get(key_name)
        if definition is None:
            return None
        key: tuple = (definition.sheet, key_name)
        if key in self._row_names:
            key = (*key, self.tables.crossing(row))
        found = self._name_nodes.get(key)
        if found is None:
            if key in self._resolving:
                return Parsed(Const(ExcelError.REF), False)
            self._resolving.add(key)
            try:
                found = parse(definition.text, 1, 1, sheet=definition.sheet or sheet,
                              names=self._resolve_name, tables=self.tables, lambdas=True,
                              this_row=row)
            except ParseError:
                found = Parsed(Const(ExcelError.REF), False)
            finally:
                self._resolving.discard(key)
            if found.this_row and len(key) == 2:  # first met: from now on per set of tables
                self._row_names.add(key)
                key = (*key, self.tables.crossing(row))
            self._name_nodes[key] = found
        return found

    def _replay_draws(self, random_cells: list[Cell]) -> list[Cell]:
        """Make each random cell a constant holding Excel's cached draw; the cells without a
        complete cached value are returned: they go on drawing."""
        drawing = []
        for cell in random_cells:
            node = _cached_draw(cell, self.sheets[cell.sheet])
            if node is None:
                drawing.append(cell)
                continue
            cell.node = node
            self.replayed.append(cell)
        return drawing

    def check_supported(self) -> None:
        """Raise UnsupportedFunctionError for the first cell that calls an unknown function."""
        for function, cells in sorted(self.unsupported.items()):
            sheet, address = cells[0]
            raise UnsupportedFunctionError(sheet, address, function, file=self.path)

    # -- addressing -------------------------------------------------------------------------------
    def sheet_name(self, name: str) -> str:
        """The sheet's name as the workbook spells it; Excel's sheet names ignore case."""
        if name in self.sheets:
            return name
        for known in self.sheets:
            if known.upper() == name.upper():
                return known
        raise WorkbookError(f"no sheet named {name!r}{_suggestion(name, self.sheets)}", file=self.path)

    def _split(self, ref: str, sheet: str | None = None) -> tuple[str, str]:
        name, local = split_sheet(ref)
        name = name or sheet
        if name is None:
            if len(self.sheets) == 1:
                name = next(iter(self.sheets))
            else:
                raise WorkbookError(f"reference {ref!r} needs a sheet name", file=self.path)
        return self.sheet_name(name), local

    def resolve(self, ref: str, sheet: str | None = None) -> Range:
        """A1 text (``"dotprod!B25:F39"``) or a defined name (``"slope"`` with ``sheet``) as a Range."""
        sheet_name, local = self._split(ref, sheet)
        # "lr" is a defined name, not column LR: a lone column or row is only a range as "LR:LR"
        if ":" in local or _is_cell(local):
            try:
                return Range.parse(local, sheet_name)
            except ValueError:
                pass
        definition = self.sheets[sheet_name].names.get(local.upper()) or self.names.get(local.upper())
        if definition is None:
            known = [d.name for d in (*self.sheets[sheet_name].names.values(), *self.names.values())]
            raise DefinedNameError(f"no cell, range or defined name {local!r}{_suggestion(local, known)}",
                                   file=self.path, sheet=sheet_name)
        rng = definition.range()
        if rng is None:
            raise DefinedNameError(f"defined name {definition.name!r} refers to {definition.text!r}, "
                                   "not to a range", file=self.path, sheet=sheet_name)
        return rng

    def cell(self, sheet: str, row: int, col: int, *, create: bool = False) -> Cell | None:
        cells = self.sheets[sheet].cells
        cell = cells.get((row, col))
        if cell is None and create:
            cell = cells[(row, col)] = Cell(sheet, row, col)
            self.calc.cell_created(cell)
        return cell

    def cells(self) -> Iterator[Cell]:
        for sheet in self.sheets.values():
            yield from sheet.cells.values()

    def formula_cells(self) -> Iterator[Cell]:
        return (c for c in self.cells() if c.node is not None or c.master is not None)

    # -- reading ------------------------------------------------------------------------------------
    # Reads never compute a cell on their own: in manual mode they show stale values, as Excel does.
    @_names_file
    def value(self, sheet: str, row: int, col: int) -> Scalar:
        return self.calc.read(Range(sheet, row, col, row, col))[0][0]

    @_names_file
    def __getitem__(self, key: str | tuple[str, str]) -> "Scalar | RangeArray | RangeValues | SheetView":
        """``"dotprod"``: the sheet; ``"dotprod!V41"`` or ``("dotprod", "V41")``: the value;
        a range or a name of one: a 2-D numpy array, or a list of row lists if it holds text."""
        if isinstance(key, tuple):
            sheet, ref = key
            rng = self.resolve(ref, self.sheet_name(sheet))
        elif "!" not in key and any(key.upper() == s.upper() for s in self.sheets):
            return SheetView(self, self.sheet_name(key))
        else:
            rng = self.resolve(key)
        if rng.height == rng.width == 1:
            return self.value(rng.sheet, rng.r1, rng.c1)
        return range_result(rng, self.calc.read(rng))

    def __repr__(self) -> str:
        name = os.path.basename(self.path) if self.path else "(not from a file)"
        sheets = ", ".join(self.sheets)
        formulas = sum(1 for c in self.cells() if c.formula is not None)  # an array formula once
        mode = "automatic" if self.automatic else "manual"
        return f"<Workbook {name}: sheets {sheets}; {formulas:,} formula cells; {mode} calculation>"

    @_names_file
    def values(self, ref: str, sheet: str | None = None) -> list[list[Scalar]]:
        return self.calc.read(self.resolve(ref, sheet))

    @_names_file
    def current(self, sheet: str, row: int, col: int) -> Scalar:
        """The cell's value, computing it first if it is stale: what a formula reading it sees
        (``value`` shows what Excel's grid shows, stale in manual mode)."""
        return self.calc.value(sheet, row, col)

    @_names_file
    def read(self, area: Range) -> list[list[Scalar]]:
        """A range's values as the grid shows them (brought up to date in automatic mode)."""
        return self.calc.read(area)

    def dependents(self, sheet: str, row: int, col: int) -> Iterator[Cell]:
        """The formula cells that read this cell directly (from the dependency graph)."""
        return iter(self.calc.graph.readers(sheet, row, col))

    @property
    def random_cells(self) -> list[Cell]:
        """Cells whose formulas call RAND, RANDBETWEEN or another random draw."""
        return self.calc.random_cells

    def units(self) -> list[Cell | Block]:
        """What one full recalculation computes, in order: blocks of cells sharing one formula,
        and single cells (the torch backend replays the same order on tensors)."""
        return self.calc.units

    def array(self, ref: str, sheet: str | None = None) -> np.ndarray:
        """A range as a float array; cells that hold no number are NaN."""
        rows = self.values(ref, sheet)
        return np.array([[v if type(v) is float else np.nan for v in row] for row in rows],
                         dtype=np.float64)

    # -- writing -------------------------------------------------------------------------------------
    def __setitem__(self, key: str | tuple[str, str], value: object) -> None:
        if isinstance(key, tuple):
            self.set(key[1], value, sheet=self.sheet_name(key[0]))
        else:
            self.set(key, value)

    @_names_file
    def set(self, ref: str, value: object, sheet: str | None = None) -> None:
        """Put a constant (or an array of constants) into an input range."""
        rng = self.resolve(ref, sheet)
        grid = np.asarray(value, dtype=object)
        if grid.ndim == 0:
            grid = np.full((rng.height, rng.width), value, dtype=object)
        grid = grid.reshape(rng.height, rng.width)
        automatic, self.calc.automatic = self.calc.automatic, False
        try:
            for i, (r, c) in enumerate(rng.cells()):
                self.set_cell(rng.sheet, r, c, grid.flat[i])
        finally:
            self.calc.automatic = automatic
        if automatic:
            self.calc.recalculate()

    def set_cell(self, sheet: str, row: int, col: int, value: object) -> None:
        cell = self.cell(sheet, row, col, create=True)
        assert cell is not None
        if cell.node is not None or cell.master is not None:
            raise WorkbookError(f"{cell.address} holds a formula; only constants can be set",
                                file=self.path, sheet=sheet, cell=cell.address)
        self.calc.set_value(cell, _as_scalar(value))

    # -- calculation ---------------------------------------------------------------------------------
    @property
    def automatic(self) -> bool:
        return self.calc.automatic

    @automatic.setter
    @_names_file
    def automatic(self, on: bool) -> None:
        self.calc.automatic = on
        if on:
            self.calc.recalculate()

    @_names_file
    def calculate(self) -> int:
        """Full recalculation of every formula; returns how many were computed. A function the
        engine does not implement is an UnsupportedFunctionWarning naming it and its cells."""
        for function, cells in sorted(self.unsupported.items()):
            warnings.warn(UnsupportedFunctionWarning(function, [f"{s}!{a}" for s, a in cells],
                                                     file=self.path), stacklevel=3)
        return self.calc.calculate_all()

    @_names_file
    def recalculate(self, sheet: str | None = None) -> int:
        """Recompute what is stale (Excel's ``Calculate`` in manual mode); with ``sheet``, only
        that sheet's cells (``Worksheet.Calculate``: the macros' ``ActiveSheet.Calculate``)."""
        return self.calc.recalculate(None if sheet is None else self.sheet_name(sheet))

    def save_values(self, out: str | os.PathLike) -> str:
        """Write a copy of the source workbook in which every cell whose value changed carries
        the engine's value (a formula keeps its formula; its cached result is updated); every
        other part of the file is copied as it is. ``out``'s extension must match the file's."""
        from .files.writer import save_values
        if self.path is None:
            raise WorkbookError("this workbook was not loaded from a file; nothing to copy")
        return save_values(self.path, self.changed_cells(), os.fspath(out))

    def changed_cells(self) -> list[tuple[str, int, int, Scalar]]:
        """Cells whose value differs from the one the file holds (a constant set since loading,
        a formula's result other than its cached one): (sheet, row, col, value)."""
        return [(c.sheet, c.row, c.col, c.value) for c in self.cells()
                if type(c.value) is not type(c.cached) or c.value != c.cached]


class SheetView:
    """One sheet of a :class:`Workbook`: ``wb["dotprod"]["V41"]`` is ``wb["dotprod!V41"]``."""

    def __init__(self, book: Workbook, name: str) -> None:
        self.book = book
        self.name = name

    def __getitem__(self, ref: str) -> "Scalar | RangeArray | RangeValues":
        return self.book[self.name, ref]

    def __setitem__(self, ref: str, value: object) -> None:
        self.book[self.name, ref] = value

    def used_range(self) -> Range:
        """From A1 to the last row and column that hold a cell."""
        cells = self.book.sheets[self.name].cells
        return Range(self.name, 1, 1, max((r for r, _ in cells), default=1),
                     max((c for _, c in cells), default=1))

    def __repr__(self) -> str:
        used = self.used_range()
        formulas = sum(1 for c in self.book.sheets[self.name].cells.values() if c.formula is not None)
        return f"<Sheet {self.name!r}: A1:{used.a1(with_sheet=False).split(':')[-1]}, {formulas:,} formula cells>"

    def _repr_html_(self) -> str:
        used = self.used_range()
        return grid_html(used, self.book.read(used))


def _suggestion(name: str, known) -> str:
    """' (did you mean 'dotprod'?)' for the known name closest to a misspelt one, else ''."""
    by_upper = {k.upper(): k for k in known}
    close = difflib.get_close_matches(name.upper(), list(by_upper), n=1, cutoff=0.6)
    return f" (did you mean {by_upper[close[0]]!r}?)" if close else ""


def _is_cell(text: str) -> bool:
    try:
        parse_cell(text)
        return True
    except ValueError:
        return False


def _cached_draw(cell: Cell, sheet: Sheet) -> Node | None:
    """The value Excel cached for a random cell (the whole target of an array formula) as a
    constant node, or None where the file holds none."""
    if cell.array_range is None:
        return None if cell.cached is None else Const(cell.cached)
    target = cell.array_range
    rows = tuple(tuple(sheet.cells[(r, c)].cached for c in range(target.c1, target.c2 + 1))
                 for r in range(target.r1, target.r2 + 1))
    if any(v is None for row in rows for v in row):
        return None
    return ArrayConst(rows)


def _as_scalar(value: object) -> Scalar:
    if value is None or isinstance(value, (str, bool, ExcelError)):
        return value  # type: ignore[return-value]
    if isinstance(value, (np.bool_,)):
        return bool(value)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise WorkbookError(f"cannot store {value!r} in a cell") from None


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Loading makes a million long-lived objects and no garbage cycles; the cyclic collector
    would only scan them again and again (a fifth of the load time of 100,000 cells). (Moving
    them to the oldest generation at the end, with gc.freeze() and gc.unfreeze(), would save
    the young collection that follows, but then no full collection comes: a loop that loads
    workbooks grew by 12 MB a load.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: str | os.PathLike, **kwargs) -> Workbook:
    return Workbook.load(path, **kwargs)
