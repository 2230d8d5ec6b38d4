"""The Excel data appendix (``appendix.xlsx``): the data behind every exhibit and every figure of the note.

Sheets, in order:

- **Contents**: title (zh/en), as-of date, data cut-off, a link to every sheet, and a
  "DEMO DATA — synthetic" mark when the note was built from demo data.
- **E01…E12**: one per exhibit: titles, unit and source in both languages, the table exactly as
  plotted (real Excel dates, numbers with number formats, a Chinese and an English header row), a
  native Excel chart that redraws the exhibit, frozen header, autofilter and a defined name
  (``Exhibit_E01``) over the English header row and the data.
- **Figures**: every figure of ``figures.json``, in the order of the note's key-figures table
  (:data:`generator.note.KEY_FIGURE_GROUPS`, then the others by key): labels in both languages, the
  value as each edition prints it ("29.9%", through :mod:`generator.formatting` with the note's
  decimals) beside the full-precision value (a number format per unit), unit, period, observation
  date, source (human, zh and en), vintage and, for a figure without a value, why.
- **Sources**: every input series: publisher, key, series id, endpoint, unit, frequency, last
  observation used, publication-lag rule, input file and its SHA-256.

Printing: every sheet is A4, one page wide; header rows repeat on every page; exhibit sheets print
their chart with the table's first rows, then only the latest :data:`PRINTED_ROWS` rows (the whole
table stays in the sheet); wrapped rows are given the height their lines need.

Safety and reproducibility: every text input is written as a text cell (never a formula, whatever
its first character) and text starting with ``= + - @`` also gets Excel's quote prefix, so that
editing the cell keeps it text. Workbook properties are dated from the as-of date and the zip is
repacked with fixed entry timestamps, so the same inputs give a byte-identical file; the file is
written atomically.
"""

from __future__ import annotations

import io
import logging
import math
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import AreaChart, BarChart, LineChart, Reference, Series
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generator.appendix_input import AppendixInput, ExhibitSheet
from generator.atomic import write_atomic
from generator.figure_periods import figure_period, printed_period
from generator.formatting import format_value, is_missing
from generator.note import KEY_FIGURE_GROUPS, decimals_for, is_signed
from generator.xlsx_cells import cells_written, put_column

log = logging.getLogger(__name__)

CHART_KINDS = ("line", "bar", "stacked_bar", "area", "stacked_area")
CONTENTS, FIGURES, SOURCES = "Contents", "Figures", "Sources"
DEMO_MARK = "DEMO DATA — synthetic · 演示数据（合成），不是真实市场数据"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: exhibit sheets: rows of the Chinese header, the English header and the first data row
EXHIBIT_HEADER_ZH, EXHIBIT_HEADER_EN, EXHIBIT_FIRST_ROW = 9, 10, 11
#: Figures and Sources sheets: the same three rows
LIST_HEADER_ZH, LIST_HEADER_EN, LIST_FIRST_ROW = 5, 6, 7

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
DEMO_FONT = Font(bold=True, color="C00000")
LINK_FONT = Font(color="0563C1", underline="single")
MONO_FONT = Font(name="DejaVu Sans Mono", size=8)
#: the latest data rows an exhibit sheet prints below its chart (the whole table stays in the sheet)
PRINTED_ROWS = 45
#: the native chart spans this many columns of CHART_COLUMN_WIDTH characters and this many rows
CHART_COLUMNS, CHART_COLUMN_WIDTH, CHART_ROWS = 12, 10, 26
#: widest a data column of an exhibit sheet gets (its two header rows wrap)
EXHIBIT_COLUMN_WIDTH = 18
#: points per line of 11-point text, and how much wider wrapped text runs than its character count
LINE_HEIGHT, WRAP_SLACK = 15, 1.0

#: (zh, en) headers of the Figures sheet, in column order
FIGURE_COLUMNS = (
    ("label_zh", ("指标", "Indicator (zh)")),
    ("label_en", ("英文名称", "Indicator")),
    ("printed_zh", ("正文数值", "As printed (zh)")),
    ("printed_en", ("英文版数值", "As printed (en)")),
    ("value", ("完整精度数值", "Full-precision value")),
    ("unit", ("单位", "Unit")),
    ("period_zh", ("期间", "Period (zh)")),
    ("period_en", ("英文版期间", "Period")),
    ("date", ("观测日", "Observation date")),
    ("source_zh", ("来源", "Source (zh)")),
    ("source", ("英文来源", "Source")),
    ("vintage", ("数据版本", "Vintage")),
    ("reason_zh", ("说明", "Note (zh)")),
    ("reason", ("英文说明", "Note")),
    ("key", ("键（figures.json）", "Key (figures.json)")),
)
#: Figures sheet column widths (characters; CJK characters count two), text wraps within them
FIGURE_WIDTHS = {
    "label_zh": 24,
    "label_en": 28,
    "printed_zh": 12,
    "printed_en": 11,
    "value": 13,
    "unit": 7,
    "period_zh": 15,
    "period_en": 11,
    "date": 12,
    "source_zh": 26,
    "source": 30,
    "vintage": 18,
    "reason_zh": 20,
    "reason": 20,
    "key": 24,
}
#: Excel number formats of the full-precision value, per unit (the cell keeps every digit); only "%"
#: is shown in the format, the Unit column beside it names the others
VALUE_FORMATS = {"%": '0.00"%"', "pp": "0.00", "bp": "0.0", "$bn": "#,##0.0", "months": "0.0"}
DEFAULT_VALUE_FORMAT = "0.00"

#: (zh, en) headers of the Sources sheet, in column order (attributes of :class:`SourceRow`)
SOURCE_COLUMNS = (
    ("publisher", ("发布机构", "Publisher")),
    ("key", ("序列键", "Series key")),
    ("series_id", ("发布机构代码", "Series id")),
    ("label_zh", ("中文名称", "Label (zh)")),
    ("label_en", ("英文名称", "Label (en)")),
    ("endpoint", ("数据接口", "Endpoint")),
    ("unit", ("单位", "Unit")),
    ("frequency", ("频率", "Frequency")),
    ("last_date", ("所用最新观测日", "Last observation used")),
    ("lag_rule", ("发布时滞规则", "Publication-lag rule")),
    ("file", ("输入文件", "Input file")),
    ("sha256", ("SHA-256", "SHA-256")),
)
#: Sources sheet column widths (characters), text wraps within them
SOURCE_WIDTHS = {
    "publisher": 18,
    "key": 16,
    "series_id": 18,
    "label_zh": 20,
    "label_en": 28,
    "endpoint": 46,
    "unit": 7,
    "frequency": 10,
    "last_date": 12,
    "lag_rule": 22,
    "file": 30,
    "sha256": 56,  # one line in MONO_FONT
}


# --------------------------------------------------------------------------- public entry points


def write_appendix(target: Path, book: AppendixInput) -> Path:
    """Write the appendix workbook to ``target`` atomically and return ``target``."""
    write_atomic(target, appendix_bytes(book))
    log.info("wrote %s (%d exhibits, %d figures)", target, len(book.exhibits), len(_figure_items(book)))
    return target


def appendix_bytes(book: AppendixInput) -> bytes:
    """Return the .xlsx file as bytes; the same ``book`` always gives the same bytes."""
    workbook = build_workbook(book)
    buffer = io.BytesIO()
    # stored, not compressed: deterministic_zip compresses each entry once when it rewrites the archive
    with cells_written(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        # not Workbook.save(): openpyxl's save_workbook stamps the current time into docProps/core.xml
        ExcelWriter(workbook, archive).save()
    return deterministic_zip(buffer.getvalue(), book.as_of)


def build_workbook(book: AppendixInput) -> Workbook:
    """Return the openpyxl workbook with every sheet of the appendix."""
    _check_exhibits(book.exhibits)
    workbook = Workbook()
    stamp = datetime(book.as_of.year, book.as_of.month, book.as_of.day)
    props = workbook.properties
    props.creator = props.lastModifiedBy = book.creator
    props.created = props.modified = stamp
    props.title = _clean(book.title_en)
    props.subject = f"Data appendix, as of {book.as_of.isoformat()}"
    contents = workbook.active
    contents.title = CONTENTS
    for exhibit in book.exhibits:
        _exhibit_sheet(workbook, exhibit, book.demo)
    _figures_sheet(workbook, book)
    _sources_sheet(workbook, book)
    _contents_sheet(contents, book)
    return workbook


def deterministic_zip(raw: bytes, as_of: date) -> bytes:
    """Return the zip ``raw`` rewritten with every entry dated ``as_of`` 00:00 and fixed attributes.

    ``[Content_Types].xml`` goes first, the other entries keep their order.
    """
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        names = source.namelist()
        ordered = sorted(names, key=lambda name: name != "[Content_Types].xml")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in ordered:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name))
    return out.getvalue()


# --------------------------------------------------------------------------- cells


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def excel_value(value: object) -> object:
    """Return ``value`` as openpyxl should store it: None, bool, int, float, date, datetime or str."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, pd.Period):
        value = value.to_timestamp()
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        value = pd.Timestamp(value)
        if value.tzinfo is not None:
            value = value.tz_localize(None)
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise ValueError("Excel cannot store an infinite number")
        return number
    return _clean(str(value))


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write one value into a cell and return the cell; text is always a text cell, never a formula."""
    cell = ws.cell(row=row, column=column)
    stored = excel_value(value)
    cell.value = stored
    if isinstance(stored, str):
        cell.data_type = "s"  # openpyxl would otherwise take a leading "=" for a formula
        if stored.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(stored, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(stored, date):
        cell.number_format = DATE_FORMAT
    if number_format is not None and isinstance(stored, int | float) and not isinstance(stored, bool):
        cell.number_format = number_format
    return cell


def _link(cell: Cell, sheet: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet)}!A1")
    cell.font = LINK_FONT


def _text_width(value: object) -> int:
    text = value if isinstance(value, str) else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit_columns(ws: Worksheet, widths: Mapping[int, int], minimum: int = 8, maximum: int = 60) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, minimum), maximum)


def _header_rows(ws: Worksheet, row_zh: int, headers: Sequence[tuple[str, str]]) -> None:
    for column, (zh, en) in enumerate(headers, start=1):
        for row, text in ((row_zh, zh), (row_zh + 1, en)):
            cell = put(ws, row, column, text)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fit_row_heights(ws: Worksheet, rows: Iterable[int]) -> None:
    """Give each of ``rows`` the height its wrapped text needs, in whole lines of LINE_HEIGHT points.

    Spreadsheet programs do not all re-measure wrapped rows when they open a file (LibreOffice keeps
    the stored default height, so wrapped lines would overlap), so the height is written explicitly,
    estimated from the text width (CJK characters count two) against the column width.
    """
    for row in rows:
        lines = 1
        for cell in ws[row]:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            needed = sum(
                max(1, math.ceil(_text_width(part) * WRAP_SLACK / max(width - 1, 1)))
                for part in text.split("\n")
            )
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _table_range(ws: Worksheet, header_row: int, columns: int, last_row: int) -> str:
    return f"$A${header_row}:${get_column_letter(columns)}${max(last_row, header_row)}"


def _name_table(ws: Worksheet, name: str, header_row: int, columns: int, last_row: int) -> None:
    """Give the table (English header row and data) an autofilter and a workbook-level defined name."""
    cells = _table_range(ws, header_row, columns, last_row)
    ws.auto_filter.ref = cells.replace("$", "")
    ws.parent.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(ws.title)}!{cells}")


def _set_widths(ws: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _page_setup(
    ws: Worksheet,
    orientation: str,
    title_first: int | None = None,
    title_last: int | None = None,
    print_area: Sequence[str] = (),
) -> None:
    """Set A4 printing: ``orientation``, one page wide and as many tall as needed, the header rows
    ``title_first``..``title_last`` repeated on every page, an optional print area, and a footer with
    the sheet name and page number."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_first is not None:
        ws.print_title_rows = f"{title_first}:{title_last or title_first}"
    if print_area:
        ws.print_area = list(print_area)
    ws.oddFooter.center.text = "&A · &P / &N"
    ws.oddFooter.center.size = 8


def _back_link(ws: Worksheet, row: int, demo: bool) -> None:
    """Write the link back to Contents on ``row`` and, for demo data, the demo mark on the row above."""
    _link(put(ws, row, 1, "← 目录 Contents"), CONTENTS)
    if demo:
        put(ws, row - 1, 1, DEMO_MARK).font = DEMO_FONT


# --------------------------------------------------------------------------- exhibit sheets


def _check_exhibits(exhibits: Sequence[ExhibitSheet]) -> None:
    seen: set[str] = set()
    for exhibit in exhibits:
        if not (len(exhibit.id) == 3 and exhibit.id[0] == "E" and exhibit.id[1:].isdigit()):
            raise ValueError(f"exhibit id {exhibit.id!r} is not E01…E99")
        if exhibit.id in seen:
            raise ValueError(f"exhibit {exhibit.id} is listed twice")
        seen.add(exhibit.id)
        if exhibit.kind not in CHART_KINDS:
            raise ValueError(f"exhibit {exhibit.id}: chart kind {exhibit.kind!r} is not one of {CHART_KINDS}")
        frame = table_frame(exhibit)
        if len(frame.columns) < 2:
            raise ValueError(f"exhibit {exhibit.id}: the frame needs an x column and a value column")
        unknown = set(exhibit.secondary) - set(frame.columns)
        if unknown:
            raise ValueError(f"exhibit {exhibit.id}: secondary columns {sorted(unknown)} not in the frame")


def is_date_column(values: pd.Series) -> bool:
    """True when a column holds dates (datetime64, or Python dates/Timestamps/Periods throughout)."""
    if pd.api.types.is_datetime64_any_dtype(values) or isinstance(values.dtype, pd.PeriodDtype):
        return True
    present = values.dropna()
    return not present.empty and all(isinstance(item, date | pd.Period) for item in present)


def default_number_format(values: pd.Series) -> str:
    """Return an Excel number format for a numeric column: #,##0 for whole numbers, else 2 or 1 decimals."""
    present = pd.to_numeric(values, errors="coerce").dropna()
    if present.empty:
        return "0.00"
    if bool((present == present.round()).all()):
        return "#,##0"
    return "#,##0.0" if float(present.abs().max()) >= 1000 else "0.00"


def _header(exhibit: ExhibitSheet, column: str) -> tuple[str, str]:
    zh, en = exhibit.headers.get(column, (column, column))
    return str(zh), str(en)


def table_frame(exhibit: ExhibitSheet) -> pd.DataFrame:
    """Return the exhibit's frame as the sheet shows it: a named or dated index becomes the first column."""
    frame = exhibit.frame
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    frame = frame.copy()
    frame.columns = [str(column) for column in frame.columns]
    return frame


def _charted(frame: pd.DataFrame) -> list[str]:
    return [
        column
        for column, dtype in zip(frame.columns[1:], frame.dtypes.iloc[1:], strict=True)
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    ]


def _exhibit_sheet(workbook: Workbook, exhibit: ExhibitSheet, demo: bool) -> Worksheet:
    ws = workbook.create_sheet(exhibit.id)
    frame = table_frame(exhibit)
    put(ws, 1, 1, f"{exhibit.id}  {exhibit.title_zh}").font = Font(bold=True, size=14)
    put(ws, 2, 1, exhibit.title_en).font = Font(bold=True, size=12)
    for row, (label, text) in enumerate(
        (
            ("单位", exhibit.unit_zh),
            ("Unit", exhibit.unit_en),
            ("来源", exhibit.source_zh),
            ("Source", exhibit.source_en),
        ),
        start=3,
    ):
        put(ws, row, 1, label).font = Font(bold=True)
        put(ws, row, 2, text)
    _back_link(ws, 8, demo)

    columns = list(frame.columns)
    _header_rows(ws, EXHIBIT_HEADER_ZH, [_header(exhibit, column) for column in columns])
    widths = {
        index: max(_text_width(text) for text in _header(exhibit, column))
        for index, column in enumerate(columns, start=1)
    }
    formats = {
        column: exhibit.number_formats.get(column) or default_number_format(frame[column])
        for column in _charted(frame)
    }
    for index, column in enumerate(columns, start=1):
        stored = [excel_value(value) for value in frame[column].tolist()]
        for cell in put_column(ws, index, EXHIBIT_FIRST_ROW, stored, put, formats.get(column)):
            if isinstance(cell.value, str):
                widths[index] = max(widths[index], _text_width(cell.value))
        widths[index] = max(widths[index], 11 if is_date_column(frame[column]) else 9)
    _fit_columns(ws, widths, maximum=EXHIBIT_COLUMN_WIDTH)
    _fit_row_heights(ws, (EXHIBIT_HEADER_ZH, EXHIBIT_HEADER_EN))

    last_row = EXHIBIT_FIRST_ROW + len(frame) - 1
    ws.freeze_panes = ws.cell(row=EXHIBIT_FIRST_ROW, column=2)
    _name_table(ws, f"Exhibit_{exhibit.id}", EXHIBIT_HEADER_EN, len(columns), last_row)
    areas = exhibit_print_areas(len(columns), last_row)
    if len(areas) > 1:
        note = f"打印：图表及最近{PRINTED_ROWS}行 · printed: the chart and the latest {PRINTED_ROWS} rows"
        put(ws, 8, 2, note).font = Font(italic=True, color="595959")
    _page_setup(ws, "landscape", EXHIBIT_HEADER_ZH, EXHIBIT_HEADER_EN, areas)
    if frame.empty or not formats:
        log.warning("appendix: exhibit %s has no numeric data to chart", exhibit.id)
        put(ws, EXHIBIT_FIRST_ROW, 1, "无数据 No data")
        return ws
    chart = exhibit_chart(ws, exhibit, frame, formats, last_row)
    first_column = len(columns) + 1  # zero-based: one empty column between the table and the chart
    for column in range(first_column + 1, first_column + CHART_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(column)].width = CHART_COLUMN_WIDTH
    # below the header rows, which repeat on every printed page: the chart must not repeat with them
    ws.add_chart(chart, _chart_anchor(first_column, EXHIBIT_FIRST_ROW - 1))
    return ws


def _chart_anchor(column: int, row: int) -> TwoCellAnchor:
    """Return an anchor over CHART_COLUMNS × CHART_ROWS cells from the zero-based ``column``, ``row``.

    A two-cell anchor (Excel's own default) says exactly which cells the chart covers, so the print
    area can be set to them.
    """
    anchor = TwoCellAnchor()
    anchor._from = AnchorMarker(col=column, row=row)
    anchor.to = AnchorMarker(col=column + CHART_COLUMNS, row=row + CHART_ROWS)
    return anchor


def exhibit_print_areas(table_columns: int, last_row: int) -> list[str]:
    """Return an exhibit sheet's print areas: titles, table head and chart, then the latest rows.

    The chart covers CHART_ROWS rows from EXHIBIT_FIRST_ROW beside the table; when the table runs
    more than PRINTED_ROWS rows past the chart, only its last PRINTED_ROWS rows are printed after it.
    """
    chart_last_column = get_column_letter(table_columns + 1 + CHART_COLUMNS)
    chart_last_row = EXHIBIT_FIRST_ROW + CHART_ROWS - 1
    if last_row <= chart_last_row + PRINTED_ROWS:
        return [f"A1:{chart_last_column}{max(last_row, chart_last_row)}"]
    first_printed = last_row - PRINTED_ROWS + 1
    return [
        f"A1:{chart_last_column}{chart_last_row}",
        # as wide as the first area, so both print at the same scale (fit to width is per area)
        f"A{first_printed}:{chart_last_column}{last_row}",
    ]


# --------------------------------------------------------------------------- charts


def _title(lines: Sequence[str], size: int = 1200) -> Title:
    paragraphs = [
        Paragraph(
            pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size, b=True)),
            r=[RegularTextRun(rPr=CharacterProperties(sz=size, b=True), t=_clean(line))],
        )
        for line in lines
        if line
    ]
    return Title(tx=Text(rich=RichText(p=paragraphs)), overlay=False)


def _plot(kind: str) -> ChartBase:
    if kind == "line":
        return LineChart()
    if kind in ("bar", "stacked_bar"):
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked" if kind == "stacked_bar" else "clustered"
        chart.overlap = 100 if kind == "stacked_bar" else None
        chart.gapWidth = 50
        return chart
    chart = AreaChart()
    chart.grouping = "stacked" if kind == "stacked_area" else "standard"
    return chart


def _add_series(
    chart: ChartBase,
    ws: Worksheet,
    exhibit: ExhibitSheet,
    names: list[str],
    columns: Sequence[str],
    last_row: int,
) -> None:
    """Add one chart series per column of ``columns`` (``names``: the sheet's columns in order)."""
    for column in columns:
        index = names.index(column) + 1
        values = Reference(ws, min_col=index, min_row=EXHIBIT_FIRST_ROW, max_row=last_row)
        zh, en = _header(exhibit, column)
        series = Series(values, title=_clean(en if zh == en else f"{zh} / {en}"))
        if isinstance(chart, LineChart):
            series.marker.symbol = "none"
            series.smooth = False
            series.graphicalProperties.line.width = 19050  # 1.5 pt, in EMU
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=1, min_row=EXHIBIT_FIRST_ROW, max_row=last_row))


def _date_axis(dates: pd.Series) -> DateAxis:
    """Return a date axis with year, quarter or month ticks depending on the span of ``dates``."""
    stamps = pd.to_datetime(pd.Series(dates).map(excel_value), errors="coerce").dropna()
    span_days = (stamps.max() - stamps.min()).days if not stamps.empty else 0
    axis = DateAxis(crossAx=100, axPos="b")
    axis.number_format = "yyyy" if span_days > 5 * 366 else "yyyy-mm"
    axis.majorTimeUnit = "years" if span_days > 5 * 366 else "months"
    axis.majorUnit = 1 if span_days > 5 * 366 else (3 if span_days > 400 else 1)
    axis.baseTimeUnit = "days"
    axis.lblOffset = 100
    return axis


def _unit_title(zh: str, en: str) -> str:
    return en if zh == en or not zh else f"{zh} / {en}" if en else zh


def exhibit_chart(
    ws: Worksheet, exhibit: ExhibitSheet, frame: pd.DataFrame, formats: Mapping[str, str], last_row: int
) -> ChartBase:
    """Return a native Excel chart of the exhibit's table: its kind, its secondary axis, its date axis."""
    charted = list(formats)
    secondary = [column for column in charted if column in exhibit.secondary]
    primary = [column for column in charted if column not in exhibit.secondary] or secondary
    if primary is secondary:
        secondary = []
    chart = _plot(exhibit.kind)
    _add_series(chart, ws, exhibit, list(frame.columns), primary, last_row)
    dated = is_date_column(frame.iloc[:, 0])
    if dated and isinstance(chart, LineChart):
        chart.x_axis = _date_axis(frame.iloc[:, 0])
        chart.y_axis.crossAx = chart.x_axis.axId
    else:
        chart.x_axis.number_format = "yyyy-mm" if dated else "General"
        skip = max(1, len(frame) // 12)
        chart.x_axis.tickLblSkip = skip
        chart.x_axis.tickMarkSkip = skip
    chart.x_axis.tickLblPos = "low"  # labels stay at the bottom when values go negative
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = formats[primary[0]]
    chart.y_axis.title = _unit_title(exhibit.unit_zh, exhibit.unit_en)
    if secondary:
        right = LineChart()
        _add_series(right, ws, exhibit, list(frame.columns), secondary, last_row)
        right.x_axis = chart.x_axis
        right.y_axis.axId = 200
        right.y_axis.crossAx = chart.x_axis.axId
        right.y_axis.crosses = "max"
        right.y_axis.axPos = "r"
        right.y_axis.majorGridlines = None
        right.y_axis.delete = False
        right.y_axis.number_format = formats[secondary[0]]
        unit = _unit_title(exhibit.secondary_unit_zh, exhibit.secondary_unit_en)
        if unit:
            right.y_axis.title = unit
        chart += right
    chart.title = _title([f"{exhibit.id}  {exhibit.title_zh}", exhibit.title_en])
    chart.legend.position = "b"
    chart.display_blanks = "gap"
    chart.width, chart.height = 24, 13  # cm
    return chart


# --------------------------------------------------------------------------- figures, sources, contents


def _figure_items(book: AppendixInput) -> list[tuple[str, Mapping[str, Any]]]:
    """Return the figures in the order of the note's key-figures table, then the others by key."""
    figures = book.figures.get("figures") or {}
    table_order = [key for _group, keys in KEY_FIGURE_GROUPS for key in keys if key in figures]
    others = sorted(key for key in figures if key not in set(table_order))
    return [(key, figures[key]) for key in (*table_order, *others)]


def _figure_date(value: object) -> object:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10]) if len(value) == 10 else value
        except ValueError:
            return value
    return value


def _period(key: str, figure: Mapping[str, Any], lang: str, as_of: date | None) -> str:
    """The figure's period as the note's key-figures table prints it, with the line below it."""
    if figure_period(figure) is None:
        return ""
    period, note = printed_period(key, figure, lang, as_of)
    return f"{period}{note}" if lang == "zh" or not note else f"{period} {note}"


def figure_row(key: str, figure: Mapping[str, Any], as_of: date | None = None) -> dict[str, object]:
    """Return one Figures-sheet row: the figure as the note prints it beside its full-precision value.

    Printed values come from :mod:`generator.formatting` with the note's decimals and signs
    (:func:`generator.note.decimals_for`, :func:`generator.note.is_signed`), periods from
    :mod:`generator.figure_periods` as of ``as_of``; a figure without a value prints "暂无" / "n/a".
    """
    value, unit = figure.get("value"), str(figure.get("unit") or "")
    places = decimals_for(key, unit, None if is_missing(value) else float(value))
    source = str(figure.get("source") or "")
    return {
        "key": key,
        "label_zh": figure.get("label_zh") or key,
        "label_en": figure.get("label_en") or key,
        "printed_zh": format_value(value, unit, "zh", places, signed=is_signed(key)),
        "printed_en": format_value(value, unit, "en", places, signed=is_signed(key)),
        "value": None if is_missing(value) else float(value),
        "unit": unit,
        "period_zh": _period(key, figure, "zh", as_of),
        "period_en": _period(key, figure, "en", as_of),
        "date": _figure_date(figure.get("date")),
        "source_zh": figure.get("source_zh") or source,
        "source": source,
        "vintage": figure.get("vintage") or "",
        "reason_zh": figure.get("reason_zh") or figure.get("reason") or "",
        "reason": figure.get("reason") or "",
    }


def _figures_sheet(workbook: Workbook, book: AppendixInput) -> Worksheet:
    ws = workbook.create_sheet(FIGURES)
    put(ws, 1, 1, "正文数字 Figures in the note").font = Font(bold=True, size=14)
    as_of = book.figures.get("as_of", book.as_of.isoformat())
    put(
        ws,
        2,
        1,
        f"顺序同正文“主要数据”表；数值与 figures.json 相同 · in the order of the note's key-figures table; "
        f"values identical to figures.json (as of {as_of})",
    )
    _back_link(ws, 4, book.demo)
    _header_rows(ws, LIST_HEADER_ZH, [headers for _, headers in FIGURE_COLUMNS])
    items = _figure_items(book)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (key, figure) in enumerate(items, start=LIST_FIRST_ROW):
        values = figure_row(key, figure, book.as_of)
        value_format = VALUE_FORMATS.get(str(values["unit"]), DEFAULT_VALUE_FORMAT)
        for index, (name, _) in enumerate(FIGURE_COLUMNS, start=1):
            cell = put(ws, row, index, values[name], value_format if name == "value" else None)
            cell.alignment = Alignment(vertical="top") if name in ("value", "date") else wrap
            if name.startswith("printed"):
                cell.alignment = Alignment(horizontal="right", vertical="top")
    _set_widths(ws, [FIGURE_WIDTHS[name] for name, _ in FIGURE_COLUMNS])
    last_row = LIST_FIRST_ROW + len(items) - 1
    _fit_row_heights(ws, range(LIST_HEADER_ZH, last_row + 1))
    ws.freeze_panes = ws.cell(row=LIST_FIRST_ROW, column=3)
    _name_table(ws, "Figures_table", LIST_HEADER_EN, len(FIGURE_COLUMNS), last_row)
    _page_setup(ws, "landscape", LIST_HEADER_ZH, LIST_HEADER_EN)
    return ws


def _sources_sheet(workbook: Workbook, book: AppendixInput) -> Worksheet:
    ws = workbook.create_sheet(SOURCES)
    put(ws, 1, 1, "数据来源 Data sources").font = Font(bold=True, size=14)
    put(ws, 2, 1, "每个输入序列及其文件 · every input series and the file it was read from")
    _back_link(ws, 4, book.demo)
    _header_rows(ws, LIST_HEADER_ZH, [headers for _, headers in SOURCE_COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, source in enumerate(book.sources, start=LIST_FIRST_ROW):
        for index, (name, _) in enumerate(SOURCE_COLUMNS, start=1):
            cell = put(ws, row, index, getattr(source, name))
            cell.alignment = Alignment(vertical="top") if name in ("last_date", "sha256") else wrap
            if name == "sha256":
                cell.font = MONO_FONT
    _set_widths(ws, [SOURCE_WIDTHS[name] for name, _ in SOURCE_COLUMNS])
    last_row = LIST_FIRST_ROW + len(book.sources) - 1
    _fit_row_heights(ws, range(LIST_HEADER_ZH, last_row + 1))
    ws.freeze_panes = ws.cell(row=LIST_FIRST_ROW, column=3)
    _name_table(ws, "Sources_table", LIST_HEADER_EN, len(SOURCE_COLUMNS), last_row)
    _page_setup(ws, "landscape", LIST_HEADER_ZH, LIST_HEADER_EN)
    return ws


def _contents_sheet(ws: Worksheet, book: AppendixInput) -> None:
    put(ws, 1, 1, book.title_zh).font = Font(bold=True, size=16)
    put(ws, 2, 1, book.title_en).font = Font(bold=True, size=13)
    put(ws, 3, 1, "数据附录 Data appendix").font = Font(italic=True)
    put(ws, 4, 1, "数据日期 As of").font = Font(bold=True)
    put(ws, 4, 2, book.as_of).alignment = Alignment(horizontal="left")
    put(ws, 5, 1, "数据截止 Data cut-off").font = Font(bold=True)
    put(ws, 5, 2, book.cutoff)
    if book.demo:
        put(ws, 6, 1, DEMO_MARK).font = Font(bold=True, size=14, color="C00000")
    _header_rows(ws, 8, [("工作表", "Sheet"), ("中文", "Chinese"), ("英文", "English")])
    entries = [(exhibit.id, exhibit.title_zh, exhibit.title_en) for exhibit in book.exhibits]
    entries += [
        (FIGURES, "正文中引用的全部数字", "Every figure quoted in the note"),
        (SOURCES, "输入序列、文件与校验和", "Input series, files and checksums"),
    ]
    widths = {1: 12, 2: 20, 3: 20}
    for row, (sheet, zh, en) in enumerate(entries, start=10):
        _link(put(ws, row, 1, sheet), sheet)
        put(ws, row, 2, zh)
        put(ws, row, 3, en)
        widths[2], widths[3] = max(widths[2], _text_width(zh)), max(widths[3], _text_width(en))
    ws.column_dimensions["A"].width = 24
    _fit_columns(ws, {2: widths[2], 3: widths[3]}, maximum=70)
    _page_setup(ws, "portrait")
