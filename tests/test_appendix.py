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

from generator.appendix import (
    CONTENTS,
    DEMO_MARK,
    EXHIBIT_FIRST_ROW,
    EXHIBIT_HEADER_EN,
    EXHIBIT_HEADER_ZH,
    FIGURE_COLUMNS,
    FIGURES,
    LIST_FIRST_ROW,
    LIST_HEADER_EN,
    SOURCE_COLUMNS,
    SOURCES,
    AppendixInput,
    ExhibitSheet,
    SourceRow,
    appendix_bytes,
    source_rows,
    write_appendix,
)
from generator.catalogue import CATALOGUE
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
    return {
        "as_of": AS_OF.isoformat(),
        "figures": {
            "ust10y_last": {
                "value": 4.491234567890123,
                "unit": "%",
                "date": "2025-02-06",
                "source": "ust10y",
                "label_zh": "10年期美债收益率",
                "label_en": "10-year Treasury yield",
            },
            "curve_change_bp": {
                "value": -12.0,
                "unit": "bp",
                "date": "2025-02-06",
                "source": "spread_10y2y",
                "label_zh": INJECTIONS[0],
                "label_en": INJECTIONS[3],
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
    figures = f"$A${LIST_HEADER_EN}:$G${LIST_FIRST_ROW + 2}"
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


def test_figures_sheet_identical_to_document(workbook, xlsx: Path, book: AppendixInput) -> None:
    items = list(book.figures["figures"].items())
    ws = workbook[FIGURES]
    for row, (key, figure) in enumerate(items, start=LIST_FIRST_ROW):
        got = {name: ws.cell(row, index).value for index, (name, _) in enumerate(FIGURE_COLUMNS, start=1)}
        assert got["key"] == key
        assert got["value"] == figure["value"]  # full precision
        assert got["date"] == datetime.fromisoformat(figure["date"])
        for name in ("label_zh", "label_en", "unit", "source"):
            assert got[name] == figure[name]
    read = pd.read_excel(xlsx, sheet_name=FIGURES, engine="calamine", header=LIST_HEADER_EN - 1, dtype=object)
    assert list(read.columns) == [en for _, (_, en) in FIGURE_COLUMNS]
    assert read["Key"].tolist() == [key for key, _ in items]
    assert read["Value"].tolist() == [figure["value"] for _, figure in items]
    assert [pd.Timestamp(value).date().isoformat() for value in read["Date"]] == [
        figure["date"] for _, figure in items
    ]
    assert read["Label (zh)"].tolist() == [figure["label_zh"] for _, figure in items]
    assert read["Source series"].tolist() == [figure["source"] for _, figure in items]


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
    assert wb[FIGURES].cell(LIST_FIRST_ROW, 2).value == "ab"


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
    assert wb[FIGURES].cell(LIST_FIRST_ROW, 4).value is None
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
