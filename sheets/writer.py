"""Write a :class:`cellgrad.sheets.layout.Book` as an .xlsx/.xlsm package with openpyxl, byte for byte
the same on every run.

openpyxl stamps the package with the time of writing twice: in docProps/core.xml (created,
modified) and in every zip entry's timestamp. Both are replaced by :data:`EPOCH`, so the same
definition gives the same bytes and a committed handout can be checked for staleness.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart
from openpyxl.chart import Series as ChartSeries
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.trendline import Trendline
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.utils import get_column_letter

from ..core.references import parse_cell
from ..files.exact_numbers import exact_numbers
from .layout import NUMBER_FORMAT, Book, Cell, Chart, Tab

EPOCH = dt.datetime(2019, 3, 26)  # lesson 5 of course-v3 was taught in 2019
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest timestamp a zip entry can hold
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

ORANGE = "F8CBAD"  # the lecture's parameters
BLUE = "BDD7EE"    # the lecture's targets
GREY = "E7E6E6"    # optimizer state
MARKER = "2F5597"  # data points on charts

FONTS = {"header": Font(bold=True), "title": Font(bold=True, size=12),
         "note": Font(italic=True, color="595959")}
FILLS = {"parameter": PatternFill("solid", fgColor=ORANGE), "target": PatternFill("solid", fgColor=BLUE),
         "state": PatternFill("solid", fgColor=GREY)}


# Excel's defaults, to place a chart's far corner on the grid: a column of 8.43 characters is
# 64 pixels (7 per character and 5 of padding), a row 20 pixels; 37.8 pixels make a centimetre.
PIXELS_PER_CM = 37.8
PIXELS_PER_CHARACTER, COLUMN_PADDING, DEFAULT_COLUMN, ROW_PIXELS = 7, 5, 8.43, 20
ROWS_PER_PAGE = 60  # more rows than a page holds legibly: the tab prints on two pages


@dataclass(frozen=True)
class PageSetup:
    """How a tab prints: its used area, fitted to one page wide and ``pages_tall`` pages."""
    area: str
    landscape: bool
    pages_tall: int


def _column_pixels(tab: Tab, column: int) -> float:
    width = tab.column_widths.get(get_column_letter(column), DEFAULT_COLUMN)
    return width * PIXELS_PER_CHARACTER + COLUMN_PADDING


def page_setup(tab: Tab) -> PageSetup:
    """The print area (every cell and chart of the tab) and the page it fits on."""
    last_row = max(parse_cell(a)[0] for a in tab.cells)
    last_col = max(parse_cell(a)[1] for a in tab.cells)
    for chart in tab.charts:
        row, col = parse_cell(chart.anchor)
        last_row = max(last_row, row + math.ceil(chart.height_cm * PIXELS_PER_CM / ROW_PIXELS))
        width = chart.width_cm * PIXELS_PER_CM
        while width > 0:
            width -= _column_pixels(tab, col)
            col += 1
        last_col = max(last_col, col - 1)
    wide = sum(_column_pixels(tab, c) for c in range(1, last_col + 1)) > last_row * ROW_PIXELS
    return PageSetup(f"A1:{get_column_letter(last_col)}{last_row}", wide,
                     1 if last_row <= ROWS_PER_PAGE else 2)


def _number_format(cell: Cell) -> str:
    if cell.number_format is not None:
        return cell.number_format
    if cell.is_formula or isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return NUMBER_FORMAT
    return "General"


def _write_cell(ws, address: str, cell: Cell) -> None:
    if cell.array:
        ws[address] = ArrayFormula(cell.array, cell.formula)
    else:
        ws[address] = cell.formula if cell.is_formula else cell.value
    target = ws[address]
    target.number_format = _number_format(cell)
    if cell.role in FONTS:
        target.font = FONTS[cell.role]
    if cell.role in FILLS:
        target.fill = FILLS[cell.role]
    if cell.role == "header" and isinstance(cell.value, str):
        target.alignment = Alignment(horizontal="center")


def _reference(ws_by_name: dict, text: str) -> Reference:
    sheet, cells = text.split("!")
    return Reference(ws_by_name[sheet], range_string=f"{sheet}!{cells.replace('$', '')}")


def _chart(spec: Chart, ws_by_name: dict):
    if spec.kind == "scatter":
        chart = ScatterChart()
        chart.style = 13
        for s in spec.series:
            series = ChartSeries(_reference(ws_by_name, s.values), _reference(ws_by_name, s.categories),
                                 title=s.title)
            if s.markers_only:
                series.marker.symbol = "circle"
                series.marker.size = 6
                series.marker.graphicalProperties = GraphicalProperties(solidFill=MARKER)
                series.marker.graphicalProperties.line.solidFill = MARKER
                series.graphicalProperties.line.noFill = True
            if s.trendline:
                series.trendline = Trendline(trendlineType="linear", dispEq=True, dispRSqr=False)
            chart.series.append(series)
    else:
        chart = BarChart() if spec.kind == "bar" else LineChart()
        for s in spec.series:
            chart.add_data(_reference(ws_by_name, s.values), titles_from_data=False)
            chart.series[-1].tx = SeriesLabel(v=s.title)
        if spec.series[0].categories:
            chart.set_categories(_reference(ws_by_name, spec.series[0].categories))
    chart.title = spec.title
    chart.x_axis.title = spec.x_title
    chart.y_axis.title = spec.y_title
    chart.width = spec.width_cm
    chart.height = spec.height_cm
    return chart


def _write_tab(wb, tab: Tab) -> None:
    ws = wb.create_sheet(tab.name)
    for address, cell in tab.cells.items():
        _write_cell(ws, address, cell)
    for name, text in sorted(tab.all_names().items()):
        ws.defined_names[name] = DefinedName(name, attr_text=text, hidden=tab.hidden(name) or None)
    for column, width in tab.column_widths.items():
        ws.column_dimensions[column].width = width
    if tab.freeze:
        ws.freeze_panes = tab.freeze
    setup = page_setup(tab)
    ws.print_area = setup.area
    ws.page_setup.orientation = "landscape" if setup.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = setup.pages_tall


def to_openpyxl(book: Book) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for tab in book.tabs:
        _write_tab(wb, tab)
    by_name = {ws.title: ws for ws in wb.worksheets}
    for tab in book.tabs:
        for spec in tab.charts:
            by_name[tab.name].add_chart(_chart(spec, by_name), spec.anchor)
    wb.properties.creator = "cellgrad"
    wb.properties.title = book.title
    wb.properties.subject = book.subject
    wb.calculation.fullCalcOnLoad = True  # no cached values: the client computes on opening
    return wb


def _fix_part(name: str, body: bytes, macro_enabled: bool) -> bytes:
    if name == "docProps/core.xml":
        stamp = EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
    elif name == "[Content_Types].xml" and macro_enabled:
        # openpyxl writes the .xlsm main part type only when it copies a VBA project
        body = body.replace(XLSX_MAIN.encode(), XLSM_MAIN.encode())
    return body


def package(book: Book) -> bytes:
    """The workbook file's bytes, the same for the same definition."""
    raw = io.BytesIO()
    with exact_numbers():
        to_openpyxl(book).save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, _fix_part(info.filename, source.read(info), book.macro_enabled))
    return out.getvalue()
