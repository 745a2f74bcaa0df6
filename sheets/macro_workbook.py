"""graddesc.xlsm with its VBA project and Run / Step / Reset buttons, written with XlsxWriter.

Why a second writer: openpyxl (the writer of every other handout, :mod:`cellgrad.sheets.writer`) keeps a
VBA project and the form buttons of a file it loads, but cannot create buttons. XlsxWriter can
write all this handout needs: formulas with their cached values, sheet-scoped names, charts,
``add_vba_project`` and ``insert_button``. Both writers read the same writer-neutral
:class:`cellgrad.sheets.layout.Book`; this one adds only what a macro-enabled workbook has besides.

The VBA project (:mod:`cellgrad.files.vba_project`) holds, in each optimizer tab's sheet module,
the tab's macros exactly as cellgrad runs them (``engine/macros/vba/<tab>.bas``): the tab's Run,
Step and Reset buttons call them, as the lesson's buttons do, in any Excel. A second group, "Run
in Python", "Step in Python" and "Reset in Python", calls the module ``cellgrad``, whose subs run
the same macros through cellgrad with xlwings' ``RunPython``; xlwings' standalone VBA module is
embedded (read from the installed xlwings at build time), so the project references no add-in.
The sheets' code names are set to the document modules' names, or Excel would add duplicate
modules when it opens the file.
"""
from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..core.errors import WorkbookError
from ..core.references import parse_cell
from ..core.values import ExcelError
from ..files.atomic import write_bytes
from ..files.vba_project import VbaModule, vba_project, xlwings_standalone_modules
from ..macros.vba import HISTORY_MODULE, VBA_DIR, optimizer_tabs
from .engine_book import to_engine
from .layout import NUMBER_FORMAT, Book, Cell, Chart, Tab
from .writer import BLUE, EPOCH, GREY, MARKER, ORANGE, PIXELS_PER_CM, page_setup

BUTTON_MODULE = VBA_DIR / "buttons" / "cellgrad.bas"
# (caption, the tab's own macro): the lesson's buttons, in the sheet module
VBA_BUTTONS = (("Run", "somesteps"), ("Step", "onestep"), ("Reset", "reset"))
# (caption, the sub of BUTTON_MODULE that runs the same macro in Python)
PYTHON_BUTTONS = (("Run in Python", "CellgradRun"), ("Step in Python", "CellgradStep"),
                  ("Reset in Python", "CellgradReset"))
BUTTON_HEIGHT = 24
BUTTON_WIDTHS = (72, 112)  # pixels: the VBA group, the Python group (longer captions)
_FILLS = {"parameter": ORANGE, "target": BLUE, "state": GREY}
_CHART_TYPES = {"line": "line", "bar": "column", "scatter": "scatter"}


def button_groups(tab: Tab) -> list[list[tuple[str, str]]]:
    """The (caption, macro) of each group of buttons a tab gets, as the workbook names the
    macros: every tab with macros gets Run, Step and Reset, and the same in Python."""
    if tab.name not in optimizer_tabs():
        return []
    return [[(caption, f"{tab.name}.{sub}") for caption, sub in VBA_BUTTONS], list(PYTHON_BUTTONS)]


def vba_modules(book: Book) -> list[VbaModule]:
    """ThisWorkbook, a document module per sheet (an optimizer tab's holds its macros), the
    module the Python buttons call, and xlwings' standalone modules that define RunPython."""
    modules = [VbaModule("ThisWorkbook", "", "workbook")]
    for tab in book.tabs:
        path = VBA_DIR / f"{tab.name}.bas"
        code = path.read_text(encoding="utf-8") if tab.name in optimizer_tabs() else ""
        modules.append(VbaModule(tab.name, code, "worksheet"))
    modules.append(VbaModule(BUTTON_MODULE.stem, BUTTON_MODULE.read_text(encoding="utf-8")))
    modules.append(VbaModule(HISTORY_MODULE.stem, HISTORY_MODULE.read_text(encoding="utf-8")))
    return modules + xlwings_standalone_modules()


class _ExactWorksheet(Worksheet):
    """XlsxWriter writes a number cell as "%.16G", which loses the 17th digit some doubles need
    (the reset state among them); ``repr`` is the shortest text that reads back as the same
    double, as openpyxl writes through :func:`engine.exact_numbers.exact_numbers`. Formulas'
    cached values are written with ``str`` already."""

    def _xml_number_element(self, number, attributes=()) -> None:
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")


class _Formats:
    """One XlsxWriter Format per (role, number format), as XlsxWriter wants them shared."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.made: dict[tuple[str | None, str, bool], object] = {}

    def of(self, cell: Cell) -> object:
        number = cell.number_format
        if number is None:
            numeric = cell.is_formula or (isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool))
            number = NUMBER_FORMAT if numeric else "General"
        centered = cell.role == "header" and isinstance(cell.value, str)
        key = (cell.role, number, centered)
        if key not in self.made:
            spec: dict[str, object] = {"num_format": number}
            if cell.role in ("header", "title"):
                spec["bold"] = True
            if cell.role == "title":
                spec["font_size"] = 12
            if cell.role == "note":
                spec.update(italic=True, font_color="#595959")
            if cell.role in _FILLS:
                spec.update(pattern=1, bg_color="#" + _FILLS[cell.role])
            if centered:
                spec["align"] = "center"
            self.made[key] = self.workbook.add_format(spec)
        return self.made[key]


def _cached(value: object) -> object:
    """The engine's value as XlsxWriter stores a formula's cached result."""
    if isinstance(value, ExcelError):
        return value.value
    return 0 if value is None else value


def _write_cells(sheet, tab: Tab, formats: _Formats, values) -> None:
    for address, cell in tab.cells.items():
        row, col = (n - 1 for n in parse_cell(address))
        fmt = formats.of(cell)
        if cell.array:
            first, _, last = cell.array.partition(":")
            (r1, c1), (r2, c2) = parse_cell(first), parse_cell(last or first)
            sheet.write_array_formula(r1 - 1, c1 - 1, r2 - 1, c2 - 1, cell.formula, fmt,
                                      _cached(values(tab.name, r1, c1)))
        elif cell.is_formula:
            sheet.write_formula(row, col, cell.formula, fmt, _cached(values(tab.name, row + 1, col + 1)))
        elif isinstance(cell.value, bool):
            sheet.write_boolean(row, col, cell.value, fmt)
        elif isinstance(cell.value, (int, float)):
            sheet.write_number(row, col, float(cell.value), fmt)
        elif isinstance(cell.value, str):
            sheet.write_string(row, col, cell.value, fmt)
        else:
            sheet.write_blank(row, col, None, fmt)


def _chart(workbook: xlsxwriter.Workbook, spec: Chart):
    chart = workbook.add_chart({"type": _CHART_TYPES[spec.kind]})
    for s in spec.series:
        series: dict[str, object] = {"name": s.title, "values": "=" + s.values}
        if s.categories:
            series["categories"] = "=" + s.categories
        if s.markers_only:
            series["marker"] = {"type": "circle", "size": 6, "fill": {"color": "#" + MARKER},
                                "border": {"color": "#" + MARKER}}
            series["line"] = {"none": True}
        if s.trendline:
            series["trendline"] = {"type": "linear", "display_equation": True}
        chart.add_series(series)
    chart.set_title({"name": spec.title})
    if spec.x_title:
        chart.set_x_axis({"name": spec.x_title})
    if spec.y_title:
        chart.set_y_axis({"name": spec.y_title})
    chart.set_size({"width": round(spec.width_cm * PIXELS_PER_CM),
                    "height": round(spec.height_cm * PIXELS_PER_CM)})
    return chart


def _free_column(tab: Tab) -> int:
    """The first column right of everything on the tab: where the buttons go (0-based)."""
    return max(parse_cell(a)[1] for a in tab.cells) + 1


def _write_tab(workbook: xlsxwriter.Workbook, tab: Tab, formats: _Formats, values) -> None:
    sheet = workbook.add_worksheet(tab.name, worksheet_class=_ExactWorksheet)
    sheet.set_vba_name(tab.name)
    _write_cells(sheet, tab, formats, values)
    for name, text in sorted(tab.all_names().items()):
        if tab.hidden(name):
            raise WorkbookError(f"XlsxWriter cannot write the hidden name {name!r}",
                                sheet=tab.name)
        workbook.define_name(f"{tab.name}!{name}", "=" + text)
    for column, width in tab.column_widths.items():
        sheet.set_column(f"{column}:{column}", width)
    if tab.freeze:
        sheet.freeze_panes(tab.freeze)
    setup = page_setup(tab)
    sheet.print_area(setup.area)
    if setup.landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, setup.pages_tall)
    for spec in tab.charts:
        sheet.insert_chart(spec.anchor, _chart(workbook, spec))
    column = _free_column(tab)
    for group, (buttons, width) in enumerate(zip(button_groups(tab), BUTTON_WIDTHS)):
        for i, (caption, macro) in enumerate(buttons):
            sheet.insert_button(2 * i, column + 2 * group, {"macro": macro, "caption": caption,
                                                            "width": width, "height": BUTTON_HEIGHT})


def package(book: Book) -> bytes:
    """graddesc.xlsm's bytes: the definition's cells with the engine's values, names, charts,
    the VBA project and the buttons."""
    if not book.macro_enabled:
        raise WorkbookError("only a macro-enabled (.xlsm) book gets buttons", file=book.filename)
    engine = to_engine(book)
    engine.calculate()
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties({"title": book.title, "subject": book.subject, "author": "cellgrad",
                             "created": EPOCH})
    workbook.set_vba_name("ThisWorkbook")
    formats = _Formats(workbook)
    for tab in book.tabs:
        _write_tab(workbook, tab, formats, engine.value)
    workbook.add_vba_project(io.BytesIO(vba_project(vba_modules(book))), is_stream=True)
    workbook.close()
    return out.getvalue()


def write(book: Book, path: str | Path) -> None:
    """Write ``book`` to ``path`` atomically."""
    write_bytes(str(path), package(book))

