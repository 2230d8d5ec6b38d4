"""The Excel data appendix: read back with openpyxl and calamine; charts, names, injection, determinism."""

from __future__ import annotations

import hashlib
import math
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.appendix import (
    CHART_COLUMNS,
    CHART_ROWS,
    CONTENTS,
    DEMO_MARK,
    EXHIBIT_FIRST_ROW,
    EXHIBIT_HEADER_EN,
    EXHIBIT_HEADER_ZH,
    FIGURE_COLUMNS,
    FIGURES,
    LIST_FIRST_ROW,
    LIST_HEADER_EN,
    LIST_HEADER_ZH,
    PRINTED_ROWS,
    SOURCE_COLUMNS,
    SOURCES,
    appendix_bytes,
    exhibit_print_areas,
    figure_row,
    write_appendix,
)
from generator.appendix_input import AppendixInput, ExhibitSheet, SourceRow, source_rows
from generator.catalogue import CATALOGUE
from generator.formatting import format_period
from generator.store import load_store

AS_OF = date(2025, 2, 7)
INJECTIONS = ('=HYPERLINK("http://example.com","x")', "+1", "-2", "@SUM(A1)")
KINDS = {"E03": "bar", "E04": "stacked_bar", "E05": "stacked_area", "E06": "area", "E09": "bar", "E12": "bar"}
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHART_TAGS = {"line": "lineChart", "bar": "barChart", "stacked_bar": "barChart", "area": "areaChart"}
CHART_TAGS["stacked_area"] = "areaChart"


def _dated_frame(number: int) -> pd.DataFrame:
    rng = np.random.default_rng(number)
    dates = pd.bdate_range("2024-10-01", periods=30 + number)
    frame = pd.DataFrame(
        {
            "date": dates,
            "first": 4 + rng.normal(0, 0.05, len(dates)).cumsum(),
            "second": rng.normal(0, 30, len(dates)),  # negative values: numbers, not text
        }
    )
    frame.loc[3, "first"] = np.nan  # a gap in the line
    return frame


def _category_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "holder": ["Japan", "China", *INJECTIONS],
            "holdings": [1100.5, 760.25, 700.0, 3.0, -2.5, 1.0],
            "share": [0.31, 0.22, 0.2, 0.001, -0.0007, 0.0003],
        }
    )


def _exhibit(number: int) -> ExhibitSheet:
    exhibit_id = f"E{number:02d}"
    frame = _category_frame() if number in (9, 12) else _dated_frame(number)
    x = frame.columns[0]
    x_header = ("日期", "Date") if x == "date" else ("持有者", "Holder")
    headers = {x: x_header, frame.columns[1]: ("第一", "First")}
    return ExhibitSheet(
        id=exhibit_id,
        title_zh=f"图表{number}",
        title_en=f"Exhibit {number}",
        unit_zh="%",
        unit_en="%",
        source_zh="美联储",
        source_en=INJECTIONS[number % 4],  # text from a source label that looks like a formula
        frame=frame,
        headers=headers,
        kind=KINDS.get(exhibit_id, "line"),
        secondary=(frame.columns[2],) if number in (1, 3, 12) else (),
        secondary_unit_zh="个基点",
        secondary_unit_en="bp",
    )


def _figures() -> dict:
    """A figures document: three figures of the note's key-figures table (listed out of order), one of
    them without a value, and two the table does not show."""
    return {
        "as_of": AS_OF.isoformat(),
        "figures": {
            "curve_change_bp": {
                "value": -12.0,
                "unit": "bp",
                "date": "2025-02-06",
                "source": "spread_10y2y",
                "label_zh": INJECTIONS[0],
                "label_en": INJECTIONS[3],
            },
            "gdp.contrib_equipment_pp": {
                "value": None,
                "reason": "no equipment contribution in the data for 2024Q4",
                "unit": "pp",
                "date": None,
                "period": "2024Q4",
                "source": "Bureau of Economic Analysis, NIPA table 1.1.2",
                "label_zh": "设备投资对GDP增长的拉动",
                "label_en": "Contribution of equipment to GDP growth",
            },
            "tga.last_bn": {
                "value": 830.2999999999999,
                "unit": "$bn",
                "date": "2025-02-05",
                "period": "2025-02-05",
                "source": "US Treasury, Daily Treasury Statement (operating cash balance)",
                "source_zh": "美国财政部，每日国库报告（经营现金余额）",
                "vintage": "as published (no vintages)",
                "label_zh": "财政部一般账户（TGA）余额",
                "label_en": "Treasury General Account balance",
            },
            "bills.share_net_issuance_12m": {
                "value": 29.85693492761829,
                "unit": "%",
                "date": "2025-01-31",
                "period": "2025-01",
                "source": "US Treasury, Monthly Statement of the Public Debt",
                "source_zh": "美国财政部，公共债务月报",
                "vintage": "as published (no vintages)",
                "label_zh": "短期国库券占过去12个月净发行比重",
                "label_en": "Bills' share of net issuance, 12 months",
            },
            "ust10y.last": {
                "value": 4.491234567890123,
                "unit": "%",
                "date": "2025-02-06",
                "source": "ust10y",
                "label_zh": "10年期美债收益率",
                "label_en": "10-year Treasury yield",
            },
            "tiny": {
                "value": 1.2345678901234567e-05,
                "unit": "pp",
                "date": "2025-01-31",
                "source": "=cmd|' /C calc'!A0",
                "label_zh": "小数",
                "label_en": "+1",
            },
        },
    }


#: the order of the Figures sheet: the key-figures table's order, then the other figures by key
FIGURE_ORDER = (
    "ust10y.last",
    "bills.share_net_issuance_12m",
    "tga.last_bn",
    "gdp.contrib_equipment_pp",
    "curve_change_bp",
    "tiny",
)


def _sources() -> tuple[SourceRow, ...]:
    return (
        SourceRow(
            publisher="FRED (St. Louis Fed)",
            key="ust10y",
            series_id="DGS10",
            endpoint="https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10",
            unit="%",
            frequency="daily",
            last_date=date(2025, 2, 6),
            lag_rule="1 US business day after the observation",
            file="fred/DGS10.csv",
            sha256="ab" * 32,
            label_zh="10年期美债收益率",
            label_en="10-year Treasury yield",
        ),
        SourceRow(
            publisher="-TIC",
            key="tic_major",
            series_id="@holders",
            endpoint="=1+1",
            unit="$bn",
            frequency="monthly",
            last_date=None,
            lag_rule="day 18 of month M+2",
            file="tic/mfhhis01.txt",
            sha256="cd" * 32,
        ),
    )


def _book(demo: bool = True) -> AppendixInput:
    return AppendixInput(
        as_of=AS_OF,
        cutoff="values published by 2025-02-07 18:00 ET",
        demo=demo,
        title_zh="美债周报",
        title_en="UST Weekly",
        figures=_figures(),
        exhibits=tuple(_exhibit(number) for number in range(1, 13)),
        sources=_sources(),
    )


@pytest.fixture(scope="module")
def book() -> AppendixInput:
    return _book()


@pytest.fixture(scope="module")
def xlsx(book: AppendixInput, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_appendix(tmp_path_factory.mktemp("appendix") / "appendix.xlsx", book)


@pytest.fixture(scope="module")
def workbook(xlsx: Path):
    return load_workbook(xlsx)


def _cell_value(value: object) -> object:
    """A frame value as the appendix should hold it (dates as datetime, NaN as None)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.floating | np.integer):
        return value.item()
    return value


# --------------------------------------------------------------------------- structure


def test_sheets_in_order(workbook) -> None:
    expected = [CONTENTS, *(f"E{number:02d}" for number in range(1, 13)), FIGURES, SOURCES]
    assert workbook.sheetnames == expected


def test_contents_sheet(workbook, book: AppendixInput) -> None:
    ws = workbook[CONTENTS]
    texts = [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert book.title_zh in texts
    assert book.title_en in texts
    assert book.cutoff in texts
    assert DEMO_MARK in texts
    assert ws["B4"].value == datetime(2025, 2, 7)
    assert ws["B4"].is_date
    links = {cell.value: cell.hyperlink.location for row in ws.iter_rows() for cell in row if cell.hyperlink}
    for sheet in workbook.sheetnames[1:]:
        assert links[sheet] == f"'{sheet}'!A1"


def test_no_demo_mark_on_real_data(tmp_path: Path) -> None:
    path = write_appendix(tmp_path / "appendix.xlsx", _book(demo=False))
    wb = load_workbook(path)
    values = [cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    assert DEMO_MARK not in values


def test_workbook_properties_from_as_of(workbook) -> None:
    props = workbook.properties
    assert props.created == datetime(2025, 2, 7)
    assert props.modified == datetime(2025, 2, 7)
    assert props.creator == "UST Weekly"


def test_defined_names_cover_each_table(workbook, book: AppendixInput) -> None:
    names = workbook.defined_names
    for exhibit in book.exhibits:
        destinations = list(names[f"Exhibit_{exhibit.id}"].destinations)
        last = EXHIBIT_FIRST_ROW + len(exhibit.frame) - 1
        column = chr(ord("A") + len(exhibit.frame.columns) - 1)
        assert destinations == [(exhibit.id, f"$A${EXHIBIT_HEADER_EN}:${column}${last}")]
        ws = workbook[exhibit.id]
        assert ws.auto_filter.ref == f"A{EXHIBIT_HEADER_EN}:{column}{last}"
        assert ws.freeze_panes == f"B{EXHIBIT_FIRST_ROW}"
    figures = f"$A${LIST_HEADER_EN}:$O${LIST_FIRST_ROW + len(FIGURE_ORDER) - 1}"
    assert list(names["Figures_table"].destinations) == [(FIGURES, figures)]
    sources = f"$A${LIST_HEADER_EN}:$L${LIST_FIRST_ROW + 1}"
    assert list(names["Sources_table"].destinations) == [(SOURCES, sources)]


# --------------------------------------------------------------------------- exhibit tables


def test_exhibit_tables_match_frames_openpyxl(workbook, book: AppendixInput) -> None:
    for exhibit in book.exhibits:
        ws = workbook[exhibit.id]
        assert ws["A1"].value == f"{exhibit.id}  {exhibit.title_zh}"
        assert ws["A2"].value == exhibit.title_en
        for index, column in enumerate(exhibit.frame.columns, start=1):
            zh, en = exhibit.headers.get(column, (column, column))
            assert ws.cell(EXHIBIT_HEADER_ZH, index).value == zh
            assert ws.cell(EXHIBIT_HEADER_EN, index).value == en
            for row, expected in enumerate(exhibit.frame[column], start=EXHIBIT_FIRST_ROW):
                cell = ws.cell(row, index)
                assert cell.value == _cell_value(expected), (exhibit.id, cell.coordinate)
                if isinstance(expected, pd.Timestamp):
                    assert cell.is_date
                    assert cell.number_format == "yyyy-mm-dd"
                elif isinstance(cell.value, float):
                    assert cell.data_type == "n"
                    assert cell.number_format != "General"
        assert ws.cell(EXHIBIT_FIRST_ROW + len(exhibit.frame), 1).value is None


def test_exhibit_tables_match_frames_calamine(xlsx: Path, book: AppendixInput) -> None:
    for exhibit in book.exhibits:
        read = pd.read_excel(xlsx, sheet_name=exhibit.id, engine="calamine", header=EXHIBIT_HEADER_EN - 1)
        expected = exhibit.frame.rename(columns={key: en for key, (_, en) in exhibit.headers.items()})
        if "Date" in read.columns:
            read["Date"] = read["Date"].astype("datetime64[ns]")
        pd.testing.assert_frame_equal(read, expected, check_exact=True, check_dtype=False)


def test_negative_numbers_are_numbers(workbook) -> None:
    ws = workbook["E09"]
    values = [ws.cell(row, 2) for row in range(EXHIBIT_FIRST_ROW, EXHIBIT_FIRST_ROW + 6)]
    assert [cell.value for cell in values] == [1100.5, 760.25, 700.0, 3.0, -2.5, 1.0]
    assert all(cell.data_type == "n" for cell in values)


# --------------------------------------------------------------------------- charts


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    resolved = PurePosixPath(base).parent / target
    parts: list[str] = []
    for part in resolved.parts:
        if part == "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _rels(parts: dict[str, bytes], part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    rels = parts.get(f"{folder}/_rels/{name}.rels")
    if rels is None:
        return {}
    tree = ElementTree.fromstring(rels)
    return {rel.get("Id"): _target(part, rel.get("Target")) for rel in tree.findall("r:Relationship", NS)}


def _sheet_charts(path: Path) -> dict[str, list[ElementTree.Element]]:
    """Return, for each sheet name, the chart XML trees drawn on that sheet."""
    parts = _parts(path)
    workbook_rels = _rels(parts, "xl/workbook.xml")
    tree = ElementTree.fromstring(parts["xl/workbook.xml"])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    charts: dict[str, list[ElementTree.Element]] = {}
    for sheet in tree.findall("m:sheets/m:sheet", NS):
        sheet_part = workbook_rels[sheet.get(rid)]
        found = []
        for target in _rels(parts, sheet_part).values():
            if "/drawings/" in target:
                found += [
                    ElementTree.fromstring(parts[chart])
                    for chart in _rels(parts, target).values()
                    if "/charts/" in chart
                ]
        charts[sheet.get("name")] = found
    return charts


def test_native_chart_on_every_exhibit_sheet(xlsx: Path, book: AppendixInput) -> None:
    charts = _sheet_charts(xlsx)
    assert charts[CONTENTS] == charts[FIGURES] == charts[SOURCES] == []
    for exhibit in book.exhibits:
        (chart,) = charts[exhibit.id]
        plots = chart.find("c:chart/c:plotArea", NS)
        tag = CHART_TAGS[exhibit.kind]
        assert plots.find(f"c:{tag}", NS) is not None, exhibit.id
        refs = [f.text for f in plots.iter(f"{{{NS['c']}}}f")]
        last = EXHIBIT_FIRST_ROW + len(exhibit.frame) - 1
        for letter in "BC":
            assert f"'{exhibit.id}'!${letter}${EXHIBIT_FIRST_ROW}:${letter}${last}" in refs
        assert f"'{exhibit.id}'!$A${EXHIBIT_FIRST_ROW}:$A${last}" in refs
        value_axes = plots.findall("c:valAx", NS)
        assert len(value_axes) == (2 if exhibit.secondary else 1), exhibit.id
        if exhibit.secondary:
            assert value_axes[1].find("c:crosses", NS).get("val") == "max"
        if exhibit.kind == "line" and "date" in exhibit.frame.columns:
            assert plots.find("c:dateAx", NS) is not None, exhibit.id


def test_chart_kinds_and_stacking(xlsx: Path) -> None:
    charts = _sheet_charts(xlsx)
    grouping = charts["E04"][0].find("c:chart/c:plotArea/c:barChart/c:grouping", NS)
    assert grouping.get("val") == "stacked"
    grouping = charts["E05"][0].find("c:chart/c:plotArea/c:areaChart/c:grouping", NS)
    assert grouping.get("val") == "stacked"
    # E12: bars of holdings with the share as a line on the right-hand axis
    plots = charts["E12"][0].find("c:chart/c:plotArea", NS)
    assert plots.find("c:barChart", NS) is not None
    assert plots.find("c:lineChart", NS) is not None


# --------------------------------------------------------------------------- figures and sources


def _figure_rows(workbook) -> dict[str, dict[str, object]]:
    ws = workbook[FIGURES]
    rows = {}
    for row in range(LIST_FIRST_ROW, ws.max_row + 1):
        got = {name: ws.cell(row, index).value for index, (name, _) in enumerate(FIGURE_COLUMNS, start=1)}
        rows[got["key"]] = got
    return rows


def test_figures_sheet_in_the_notes_order_with_full_precision(
    workbook, xlsx: Path, book: AppendixInput
) -> None:
    figures = book.figures["figures"]
    rows = _figure_rows(workbook)
    assert tuple(rows) == FIGURE_ORDER
    for key, got in rows.items():
        figure = figures[key]
        assert got["value"] == figure["value"]  # full precision, None when there is no value
        expected_date = datetime.fromisoformat(figure["date"]) if figure["date"] else None
        assert got["date"] == expected_date
        for name in ("label_zh", "label_en", "unit", "source"):
            assert got[name] == figure[name]
    read = pd.read_excel(xlsx, sheet_name=FIGURES, engine="calamine", header=LIST_HEADER_EN - 1, dtype=object)
    assert list(read.columns) == [en for _, (_, en) in FIGURE_COLUMNS]
    assert tuple(read["Key (figures.json)"]) == FIGURE_ORDER
    values = [None if pd.isna(value) else value for value in read["Full-precision value"]]
    assert values == [figures[key]["value"] for key in FIGURE_ORDER]
    assert read["Indicator (zh)"].tolist() == [figures[key]["label_zh"] for key in FIGURE_ORDER]


def test_figures_sheet_prints_values_and_periods_as_the_note(workbook) -> None:
    rows = _figure_rows(workbook)
    bills, tga, equipment = (
        rows["bills.share_net_issuance_12m"],
        rows["tga.last_bn"],
        rows["gdp.contrib_equipment_pp"],
    )
    assert (bills["printed_zh"], bills["printed_en"]) == ("29.9%", "29.9%")  # the note's 1 decimal
    assert (tga["printed_zh"], tga["printed_en"]) == ("8303亿美元", "$830bn")
    assert (rows["ust10y.last"]["printed_en"], rows["curve_change_bp"]["printed_zh"]) == (
        "4.49%",
        "-12个基点",
    )
    assert (equipment["printed_zh"], equipment["printed_en"]) == ("暂无", "n/a")
    assert equipment["reason"] == "no equipment contribution in the data for 2024Q4"
    assert (bills["period_zh"], bills["period_en"]) == ("2025年1月", "Jan 2025")
    # a quarter prints as a quarter (however generator.formatting words it), never as its first day
    assert (equipment["period_zh"], equipment["period_en"]) == (
        format_period("2024Q4", "zh"),
        format_period("2024Q4", "en"),
    )
    assert "10月" not in str(equipment["period_zh"])
    assert "Oct" not in str(equipment["period_en"])
    assert tga["period_en"] == "5 Feb 2025"
    assert rows["ust10y.last"]["period_en"] == "6 Feb 2025"  # no period given: the note's, from its date
    # human sources in both languages, the English one where no Chinese one is given
    assert (tga["source_zh"], tga["vintage"]) == (
        "美国财政部，每日国库报告（经营现金余额）",
        "as published (no vintages)",
    )
    assert equipment["source_zh"] == equipment["source"]


def test_figures_sheet_number_formats_per_unit(workbook) -> None:
    ws = workbook[FIGURES]
    column = [name for name, _ in FIGURE_COLUMNS].index("value") + 1
    formats = {
        ws.cell(row, len(FIGURE_COLUMNS)).value: ws.cell(row, column).number_format
        for row in range(LIST_FIRST_ROW, ws.max_row + 1)
        if ws.cell(row, column).value is not None
    }
    assert formats["bills.share_net_issuance_12m"] == '0.00"%"'
    assert formats["tga.last_bn"] == "#,##0.0"
    assert formats["curve_change_bp"] == "0.0"
    assert "General" not in formats.values()


def test_sources_sheet(workbook, xlsx: Path, book: AppendixInput) -> None:
    ws = workbook[SOURCES]
    for row, source in enumerate(book.sources, start=LIST_FIRST_ROW):
        for index, (name, _) in enumerate(SOURCE_COLUMNS, start=1):
            expected = getattr(source, name)
            if isinstance(expected, date):
                expected = datetime(expected.year, expected.month, expected.day)
            assert ws.cell(row, index).value == (expected if expected != "" else None), (row, name)
    read = pd.read_excel(xlsx, sheet_name=SOURCES, engine="calamine", header=LIST_HEADER_EN - 1, dtype=object)
    assert read["SHA-256"].tolist() == [source.sha256 for source in book.sources]
    assert read["Endpoint"].tolist() == [source.endpoint for source in book.sources]


def test_source_rows_from_store(tmp_path: Path) -> None:
    days = pd.bdate_range("2025-01-02", "2025-02-14")
    lines = ["observation_date,DGS10", *(f"{day.date()},4.{i:02d}" for i, day in enumerate(days))]
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    view = load_store(tmp_path, (CATALOGUE["ust10y"],)).as_of(AS_OF)
    (row,) = source_rows(view, ["ust10y", "not_loaded"])
    assert row.key == "ust10y"
    assert row.series_id == "DGS10"
    assert row.publisher == "FRED (St. Louis Fed)"
    assert row.file == "fred/DGS10.csv"
    assert row.sha256 == hashlib.sha256((tmp_path / "fred" / "DGS10.csv").read_bytes()).hexdigest()
    assert row.last_date == date(2025, 2, 6)  # the 7 Feb value is published on 10 Feb
    assert row.lag_rule == str(CATALOGUE["ust10y"].lag)


# --------------------------------------------------------------------------- safety


def test_injection_strings_stay_text(workbook, xlsx: Path) -> None:
    texts = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.setdefault(cell.value, []).append(cell)
    for injection in (*INJECTIONS, "=cmd|' /C calc'!A0", "=1+1", "-TIC", "@holders"):
        assert injection in texts, injection
        for cell in texts[injection]:
            assert cell.data_type == "s"
            assert cell.quotePrefix
    parts = _parts(xlsx)
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            assert b"<f>" not in data, name
            assert b"<f " not in data, name
    read = pd.read_excel(xlsx, sheet_name="E09", engine="calamine", header=EXHIBIT_HEADER_EN - 1)
    assert read["Holder"].tolist()[2:] == list(INJECTIONS)


def test_illegal_control_characters_are_dropped(tmp_path: Path) -> None:
    figures = {"as_of": "2025-02-07", "figures": {"x": {"value": 1.0, "label_zh": "a\x01b", "label_en": "c"}}}
    book = AppendixInput(AS_OF, "cut", False, "t", "t", figures)
    wb = load_workbook(write_appendix(tmp_path / "a.xlsx", book))
    assert wb[FIGURES].cell(LIST_FIRST_ROW, 1).value == "ab"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "X1"}, "not E01"),
        ({"kind": "pie"}, "chart kind"),
        ({"secondary": ("nope",)}, "secondary columns"),
        ({"frame": pd.DataFrame({"date": [AS_OF]})}, "value column"),
    ],
)
def test_bad_exhibits_are_refused(change: dict, message: str) -> None:
    exhibit = _exhibit(1)
    fields = {**exhibit.__dict__, **change}
    book = AppendixInput(AS_OF, "cut", False, "t", "t", _figures(), (ExhibitSheet(**fields),))
    with pytest.raises(ValueError, match=message):
        appendix_bytes(book)


def test_indexed_frame_and_empty_exhibit(tmp_path: Path) -> None:
    dated = pd.DataFrame(
        {"yield": [4.1, -0.25]}, index=pd.DatetimeIndex(["2025-01-31", "2025-02-07"], name="date")
    )
    monthly = pd.DataFrame({"month": pd.period_range("2024-11", periods=3, freq="M"), "debt": [1.5, 2, 3]})
    exhibits = (
        ExhibitSheet("E01", "甲", "A", "%", "%", "s", "s", dated, {"date": ("日期", "Date")}),
        ExhibitSheet("E02", "乙", "B", "%", "%", "s", "s", pd.DataFrame({"date": [], "x": []})),
        ExhibitSheet("E03", "丙", "C", "%", "%", "s", "s", monthly, kind="bar"),
    )
    figures = {"figures": {"gap": {"value": None, "unit": "%", "date": None, "source": "x"}}}
    book = AppendixInput(AS_OF, "cut", False, "t", "t", figures, exhibits)
    path = write_appendix(tmp_path / "a.xlsx", book)
    wb = load_workbook(path)
    ws = wb["E01"]
    assert ws.cell(EXHIBIT_HEADER_EN, 1).value == "Date"
    assert ws.cell(EXHIBIT_FIRST_ROW, 1).value == datetime(2025, 1, 31)
    assert ws.cell(EXHIBIT_FIRST_ROW + 1, 2).value == -0.25
    assert wb["E03"].cell(EXHIBIT_FIRST_ROW, 1).value == datetime(2024, 11, 1)
    assert wb["E03"].cell(EXHIBIT_FIRST_ROW, 1).is_date
    value_column = [name for name, _ in FIGURE_COLUMNS].index("value") + 1
    assert wb[FIGURES].cell(LIST_FIRST_ROW, value_column).value is None
    assert wb[FIGURES].cell(LIST_FIRST_ROW, value_column - 1).value == "n/a"
    charts = _sheet_charts(path)
    assert (len(charts["E01"]), len(charts["E02"]), len(charts["E03"])) == (1, 0, 1)


def test_number_patch_is_undone_after_saving() -> None:
    from openpyxl.cell import _writer as cell_writer

    before = cell_writer.safe_string
    appendix_bytes(AppendixInput(AS_OF, "cut", False, "t", "t", _figures()))
    assert cell_writer.safe_string is before
    assert before(0.1 + 0.2) == "0.3"  # openpyxl's own %.16g, still in place for other writers


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_identical_bytes(tmp_path: Path, xlsx: Path) -> None:
    again = write_appendix(tmp_path / "again.xlsx", _book())
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(xlsx.read_bytes()).hexdigest()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2025, 2, 7, 0, 0, 0)}
    assert [path.name for path in tmp_path.iterdir()] == ["again.xlsx"]  # no temporary file left


def test_different_as_of_changes_the_stamp() -> None:
    book = _book()
    later = AppendixInput(**{**book.__dict__, "as_of": date(2025, 2, 14)})
    assert appendix_bytes(later) != appendix_bytes(book)


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_prints_it(xlsx: Path, tmp_path: Path, book: AppendixInput) -> None:
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "appendix.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file(), result.stdout + result.stderr
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for exhibit in book.exhibits:
        assert re.search(rf"{exhibit.id}\s+{exhibit.title_zh}", text), exhibit.id
    assert DEMO_MARK.split(" · ")[0] in text


# --------------------------------------------------------------------------- printing


def test_print_setup_per_sheet(workbook, book: AppendixInput) -> None:
    for ws in workbook.worksheets:
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert workbook[CONTENTS].page_setup.orientation == "portrait"
    for exhibit in book.exhibits:
        ws = workbook[exhibit.id]
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == f"${EXHIBIT_HEADER_ZH}:${EXHIBIT_HEADER_EN}"
    for name in (FIGURES, SOURCES):
        assert workbook[name].print_title_rows == f"${LIST_HEADER_ZH}:${LIST_HEADER_EN}"


def test_print_area_is_the_chart_and_the_latest_rows() -> None:
    chart_end = get_column_letter(3 + 1 + CHART_COLUMNS)  # 3 table columns, a gap, the chart
    chart_rows_end = EXHIBIT_FIRST_ROW + CHART_ROWS - 1
    assert exhibit_print_areas(3, chart_rows_end + PRINTED_ROWS) == [
        f"A1:{chart_end}{chart_rows_end + PRINTED_ROWS}"
    ]
    assert exhibit_print_areas(3, 20) == [f"A1:{chart_end}{chart_rows_end}"]
    last = EXHIBIT_FIRST_ROW + 799
    assert exhibit_print_areas(3, last) == [
        f"A1:{chart_end}{chart_rows_end}",
        f"A{last - PRINTED_ROWS + 1}:{chart_end}{last}",
    ]


def test_wrapped_rows_get_the_height_of_their_lines(workbook) -> None:
    ws = workbook[FIGURES]
    row = LIST_FIRST_ROW + FIGURE_ORDER.index("tga.last_bn")
    assert (ws.row_dimensions[row].height or 0) >= 30  # a source of two lines
    assert ws.cell(row, 1).alignment.wrap_text


def _print_pdf(xlsx: Path, folder: Path) -> Path:
    """Print ``xlsx`` to PDF through LibreOffice and return the PDF."""
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = folder / f"{xlsx.stem}.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file(), result.stdout + result.stderr
    return pdf


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice or pdfinfo missing",
)
def test_a_long_daily_table_prints_as_its_chart_and_latest_rows(tmp_path: Path) -> None:
    dates = pd.bdate_range("2022-01-03", periods=800)
    frame = pd.DataFrame({"date": dates, "level": np.linspace(1, 5, len(dates))})
    headers = {"date": ("日期", "Date"), "level": ("水平", "Level")}
    exhibit = ExhibitSheet("E02", "长表", "Long table", "%", "%", "来源", "source", frame, headers)
    book = AppendixInput(AS_OF, "cut", False, "t", "t", _figures(), (exhibit,), _sources())
    pdf = _print_pdf(write_appendix(tmp_path / "long.xlsx", book), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # contents 1, the exhibit 2 (chart + first rows, the latest rows), figures 1, sources 1; 800 rows
    # printed in full would take some 15 pages more
    assert pages <= 6, info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert dates[-1].strftime("%Y-%m-%d") in text
    assert dates[-PRINTED_ROWS].strftime("%Y-%m-%d") in text
    assert dates[-PRINTED_ROWS - 1].strftime("%Y-%m-%d") not in text  # older rows stay in the sheet only
    assert text.count("Date") >= 2  # the header rows repeat on the page of the latest rows


def test_printed_values_are_those_of_the_notes_key_figures_table(tmp_path: Path) -> None:
    """The workbook's "as printed" and period columns and the note's key-figures table come from the
    same rules, down to the period of a hedged yield that rests partly on last month's yen rate."""
    from note_support import figures_doc, placeholder_exhibits

    from generator.note import NoteInputs
    from generator.render import NBSP, make_environment, template_context
    from generator.views import load_views

    document = figures_doc(ust10y__change_1w_bp=12.4, spread_10y2y__last_bp=-3.0)
    document["figures"]["hedged10y.jpy"].update(
        date="2031-01-01",
        period="2031-01",
        inputs=[
            {"date": "2031-01-01", "series": "jpy3m_interbank"},
            {"date": "2031-03-14", "series": "par10y"},
        ],
    )
    inputs = NoteInputs.from_document(document, placeholder_exhibits(tmp_path), load_views(), demo=False)
    for lang in ("zh", "en"):
        context = template_context(inputs, lang, make_environment(None, lang))
        rows = {row["key"]: row for group in context["key_figures"] for row in group["rows"]}
        assert rows
        for key, shown in rows.items():
            row = figure_row(key, document["figures"][key], inputs.as_of)
            assert row[f"printed_{lang}"] == shown["value"].replace(NBSP, " "), (lang, key)
            period = shown["period"].replace(NBSP, " ")
            if shown["period_note"]:
                period += shown["period_note"] if lang == "zh" else " " + shown["period_note"]
            assert row[f"period_{lang}"] == period, (lang, key)
        assert rows["hedged10y.jpy"]["period_note"]  # the case above is exercised
