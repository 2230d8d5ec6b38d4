"""Treasury adapter: the par yield curve (yearly CSVs merged), the refunding workbook's average-maturity
sheet (read from rows and from its CSV reduction), the workbook URL, and the shared files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from werkzeug import Response

from generator.catalogue import CATALOGUE
from generator.errors import DataError, SourceError
from generator.sources import read_file, treasury
from generator.sources.treasury import (
    OLE2_MAGIC,
    average_maturity_from_rows,
    encode,
    fetch,
    merge_par_curves,
    read,
    workbook_url,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "treasury"
PAR = CATALOGUE["par10y"]
WAM = CATALOGUE["wam_months"]
CURVE_PATH = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all"

#: the sheet as xlrd returns it: title block, header, a year grid (years as floats), notes, a second grid
SHEET_ROWS = [
    ["Average Maturity of Treasury Marketable Securities--Total Outstanding (in months)", "", "", ""],
    ["", "", "", ""],
    ["Year", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    [2000.0, 68.0, 69.0, 70.0, 70.0, 70.0, 70.0, 70.0, 70.0, 70.0, 70.0, 70.0, 70.0],
    ["", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["2025", 71.0, "71", 70.0, 71.0, 71.0, 71.0, 71.0, 71.0, 71.0, 71.0, 71.0, 71.0],
    [2026.0, 71.0, 71.0, 71.0, 71.0, 70.0, "71*", "", "n/a", "-", "", "", ""],
    ["* preliminary", "", "", ""],
    ["Source: Office of Debt Management", "", "", ""],
    [
        "Year",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [2026.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0],
]


def _series(path: Path, spec=PAR) -> pd.Series:
    frame = read_file(path, spec)
    return pd.Series(frame["value"].to_numpy(), index=frame["date"])


# --- par yield curve


def test_live_layout_newest_first_with_na_and_new_tenor():
    values = _series(FIXTURES / "daily-treasury-rates_2025.csv")
    assert values.to_dict() == {
        pd.Timestamp("2025-01-02"): 4.57,
        pd.Timestamp("2025-02-14"): 4.5,
        pd.Timestamp("2025-02-19"): 4.6,
    }  # 02/18/2025 is N/A
    short = _series(FIXTURES / "daily-treasury-rates_2025.csv", replace(PAR, code="1.5 Month"))
    assert list(short.index) == [pd.Timestamp("2025-02-18"), pd.Timestamp("2025-02-19")]  # empty before


@pytest.mark.parametrize(
    ("body", "day"),
    [
        (
            b"Date,1 Mo,10 Yr\r\n2025-07-11,4.37,4.43\r\n2025-07-10,4.36,4.35\r\n",
            "2025-07-11",
        ),  # ISO copy, CRLF
        (b'Date,"10 Yr","30 Yr"\n07/11/25,4.43,4.96\n07/10/25,4.35,4.86\n', "2025-07-11"),  # archive MM/DD/YY
        (b'\xef\xbb\xbfDate,"10 Yr"\n7/11/2025,4.43\n7/10/2025,4.35', "2025-07-11"),  # BOM, no final newline
        (b'Date,"10 Yr",\n07/11/2025,4.43,\n07/10/2025,4.35,\n', "2025-07-11"),  # trailing commas
    ],
)
def test_other_date_layouts(body, day):
    frame = read(body, PAR, "curve.csv")
    assert frame.set_index("date")["value"][pd.Timestamp(day)] == 4.43
    assert len(frame) == 2


def test_merge_keeps_every_tenor_in_the_publishers_order():
    tables = [
        treasury._curve_table((FIXTURES / f"daily-treasury-rates_{year}.csv").read_bytes(), PAR, str(year))
        for year in (2025, 2024, 2025)  # the repeated year adds nothing
    ]
    body = merge_par_curves(tables)
    lines = body.decode().split("\n")
    assert lines[0].startswith('Date,"1 Mo","1.5 Month","2 Mo"')
    assert lines[0].endswith('"30 Yr"')
    assert lines[1].startswith("02/19/2025,4.31,4.32,")
    assert lines[-2].startswith("01/02/2024,5.55,,5.54,")  # no 1.5 Month in 2024: empty cell
    assert body.endswith(b"\n")
    assert len(lines) == 1 + 6 + 1
    assert len(read(body, PAR, "merged")) == 5  # 6 dates, one N/A
    assert merge_par_curves(tables) == body


def test_fetch_asks_for_each_year_and_merges(local_http, httpserver, monkeypatch):
    monkeypatch.setattr(treasury, "_today", lambda: date(2025, 3, 3))
    for year in range(2021, 2026):
        name = FIXTURES / f"daily-treasury-rates_{year}.csv"
        body = name.read_bytes() if name.exists() else b'Date,"1 Mo","10 Yr"\n'
        httpserver.expect_request(CURVE_PATH.format(year=year)).respond_with_data(body)
    body = fetch([PAR], local_http)
    assert len(httpserver.log) == 5
    query = httpserver.log[0][0].args
    assert query["type"] == "daily_treasury_yield_curve"
    assert query["field_tdr_date_value"] == "2025"
    assert query["_format"] == "csv"
    values = read(body, PAR, "cache").set_index("date")["value"]
    assert values[pd.Timestamp("2024-12-31")] == 4.58
    assert values[pd.Timestamp("2025-02-19")] == 4.6


def test_fetch_rejects_a_truncated_year(local_http, httpserver, monkeypatch):
    monkeypatch.setattr(treasury, "_today", lambda: date(2021, 6, 1))
    cut = b'Date,"1 Mo","10 Yr"\n06/02/2021,0.02,1.61\n06/01/2021,0.0'  # the last row lost its 10 Yr
    httpserver.expect_request(CURVE_PATH.format(year=2021)).respond_with_data(cut)
    with pytest.raises(SourceError, match="truncated"):
        fetch([PAR], local_http)


def test_fetch_accepts_a_year_without_a_final_line_break(local_http, httpserver, monkeypatch):
    """The real CSV ends without one (live sample treasury_par_yield_2025.csv)."""
    monkeypatch.setattr(treasury, "_today", lambda: date(2021, 6, 1))
    whole = b'Date,"1 Mo","10 Yr"\n06/02/2021,0.02,1.61\n06/01/2021,0.02,1.60'
    httpserver.expect_request(CURVE_PATH.format(year=2021)).respond_with_data(whole)
    merged = fetch([PAR], local_http)
    assert read_file(Path("curve.csv"), PAR, raw=merged)["value"].tolist() == [1.60, 1.61]


def test_encode_writes_the_publishers_layout():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-03"]), "value": [4.5, 4.123456]})
    body = encode({"par10y": frame}, [PAR])
    assert body == b'Date,"10 Yr"\n01/03/2025,4.123456\n01/02/2025,4.50\n'
    assert read(body, PAR, "encoded").sort_values("date")["value"].tolist() == [4.5, 4.123456]


def test_malformed_curve_names_file_and_series(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text('Date,"10 Yr"\n01/03/2025,4.5x\n')
    with pytest.raises(DataError, match="not a number") as caught:
        read_file(path, PAR)
    assert caught.value.file == str(path)
    assert caught.value.series == "par10y"
    path.write_text("When,10 Yr\n01/03/2025,4.5\n")
    with pytest.raises(DataError, match="not a par yield curve"):
        read_file(path, PAR)
    path.write_text('Date,"5 Yr"\n01/03/2025,4.5\n')
    with pytest.raises(DataError, match="no column '10 Yr'"):
        read_file(path, PAR)


# --- average maturity of marketable debt


def test_sheet_rows_give_month_end_months():
    frame = average_maturity_from_rows(SHEET_ROWS, WAM, "sheet")
    values = pd.Series(frame["value"].to_numpy(), index=frame["date"])
    assert values[pd.Timestamp("2000-01-31")] == 68.0
    assert values[pd.Timestamp("2025-02-28")] == 71.0  # text cell
    assert values[pd.Timestamp("2026-06-30")] == 71.0  # footnote marker
    assert values.index.max() == pd.Timestamp("2026-06-30")  # blanks, n/a and - are gaps; second grid ignored
    assert len(values) == 12 + 12 + 6


def test_sheet_without_a_grid_or_with_text_values_is_an_error():
    with pytest.raises(DataError, match="header row"):
        average_maturity_from_rows([["Average maturity"], ["Year", 2025]], WAM, "sheet")
    broken = [row[:] for row in SHEET_ROWS[:4]]
    broken[3][5] = "seventy"
    with pytest.raises(DataError, match="seventy") as caught:
        average_maturity_from_rows(broken, WAM, "sheet")
    assert caught.value.line == 4


def test_cached_reduction_round_trips():
    frame = average_maturity_from_rows(SHEET_ROWS, WAM, "sheet")
    body = encode({"wam_months": frame}, [WAM])
    assert body.startswith(b"period,published_months\n2000-01,68\n")
    again = read(body, WAM, "cache")
    assert again["value"].tolist() == frame["value"].tolist()
    assert again["date"].tolist() == frame["date"].tolist()


def test_damaged_workbook_is_a_data_error(tmp_path):
    path = tmp_path / "2026-4th-Quarter.xls"
    path.write_bytes(OLE2_MAGIC + b"\x00" * 600)
    with pytest.raises(DataError, match="workbook") as caught:
        read_file(path, WAM)
    assert caught.value.series == "wam_months"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 24), "2026-4th-Quarter.xls"),
        (date(2026, 2, 5), "2026-1st-Quarter.xls"),  # 35 days into the quarter
        (date(2026, 2, 4), "2025-4th-Quarter.xls"),
        (date(2027, 1, 10), "2026-4th-Quarter.xls"),
        (date(2026, 8, 22), "2026-3rd-Quarter.xls"),
        (date(2026, 5, 1), "2026-1st-Quarter.xls"),
    ],
)
def test_workbook_url(today, expected):
    assert workbook_url(today) == "https://home.treasury.gov/system/files/221/" + expected


def test_fetch_reduces_the_workbook_to_its_sheet(local_http, httpserver, monkeypatch):
    monkeypatch.setattr(treasury, "_today", lambda: date(2026, 8, 22))
    monkeypatch.setattr(treasury, "workbook_rows", lambda raw, spec, origin: SHEET_ROWS)
    httpserver.expect_request("/system/files/221/2026-3rd-Quarter.xls").respond_with_data(
        OLE2_MAGIC + b"\x00" * 64
    )
    body = fetch([WAM], local_http)
    assert body.startswith(b"period,published_months\n")
    assert b"\n2026-06,71\n" in body


def test_fetch_reports_a_changed_sheet_layout_and_a_404_without_stepping_back(
    local_http, httpserver, monkeypatch
):
    monkeypatch.setattr(treasury, "_today", lambda: date(2026, 8, 22))
    monkeypatch.setattr(treasury, "workbook_rows", lambda raw, spec, origin: [["nothing here"]])
    httpserver.expect_request("/system/files/221/2026-3rd-Quarter.xls").respond_with_data(OLE2_MAGIC)
    with pytest.raises(SourceError, match="layout"):
        fetch([WAM], local_http)
    httpserver.clear()
    httpserver.expect_request("/system/files/221/2026-3rd-Quarter.xls").respond_with_response(
        Response("no", 404)
    )
    with pytest.raises(SourceError, match="404"):
        fetch([WAM], local_http)
    assert len(httpserver.log) == 1


def test_computed_wam_is_not_read_as_the_published_figure(tmp_path):
    path = tmp_path / "durationmonitor_wam.csv"
    path.write_text("observation_date,wam_years,amount_outstanding\n2025-01-31,5.5,1.0\n")
    with pytest.raises(DataError, match="our_months"):
        read_file(path, WAM)
    assert read_file(path, replace(WAM, code="our_months"))["value"].tolist() == [66.0]


# --- the shared data


def test_shared_par_curve(shared_data):
    values = _series(shared_data / "yields" / "treasury_daily_par_yield_curve_2021_2025.csv")
    assert len(values) == 1115
    assert values[pd.Timestamp("2025-07-11")] == 4.43
    assert values.index.min() == pd.Timestamp("2021-01-04")
    assert not ((values.index > "2024-12-08") & (values.index < "2025-01-01")).any()  # the known gap


def test_shared_published_wam(shared_data):
    values = _series(shared_data / "debt" / "durationmonitor_wam_vs_treasury_published_months.csv", WAM)
    assert len(values) == 306
    assert values[pd.Timestamp("2025-01-31")] == 71.0
    assert values[pd.Timestamp("2001-01-31")] == 69.0


def test_shared_computed_wam_matches_its_months_column(shared_data):
    computed = replace(WAM, code="our_months")
    years = _series(shared_data / "debt" / "durationmonitor_wam.csv", computed)
    months = _series(shared_data / "debt" / "durationmonitor_wam_vs_treasury_published_months.csv", computed)
    assert years[pd.Timestamp("2025-01-31")] == pytest.approx(5.865 * 12, abs=0.01)
    common = years.index.intersection(months.index)
    assert len(common) == 306
    assert (years[common] - months[common]).abs().max() < 1e-9


# --- refunding borrowing estimates and the WAM cross-check layout

QRA = CATALOGUE["qra_financing_need_bn"]


def test_borrowing_estimates_are_dated_by_quarter_and_published_on_release():
    frame = read_file(FIXTURES / "qrawatch_capture_synthetic.csv", QRA)  # CRLF, a blank row, extra columns
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2030-01-01", "2030-04-01", "2030-07-01"]
    assert frame["value"].tolist() == [500.0, 250.0, 610.0]
    assert frame["published"].dt.strftime("%Y-%m-%d").tolist() == ["2030-02-04", "2030-02-04", "2030-05-06"]
    bills = read_file(FIXTURES / "qrawatch_capture_synthetic.csv", replace(QRA, code="net_bill_issuance_bn"))
    assert bills["value"].tolist() == [120.5, -40.25]  # the empty 2030Q3 cell is dropped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("quarter,qra_release_date,total_financing_need_bn\n2030Q5,2030-02-04,1\n", "not a quarter"),
        ("quarter,qra_release_date,total_financing_need_bn\n2030Q1,2030-02-30,1\n", "not a date"),
        ("quarter,qra_release_date,total_financing_need_bn\n2030Q1,2030-02-04,1x\n", "not a number: '1x'"),
        (
            "quarter,qra_release_date,total_financing_need_bn\n2030Q1,2030-02-04,1\n2030Q1,2030-05-04,2\n",
            "twice",
        ),
        ("quarter,release,total_financing_need_bn\n2030Q1,2030-02-04,1\n", "no column qra_release_date"),
    ],
)
def test_malformed_borrowing_estimates_name_file_and_series(text, message):
    with pytest.raises(DataError, match=message) as caught:
        read(text.encode(), QRA, "qra.csv")
    assert "[qra_financing_need_bn] qra.csv" in str(caught.value)


def test_borrowing_estimates_round_trip_and_refuse_to_fetch(local_http, httpserver):
    frame = pd.DataFrame({"date": pd.to_datetime(["2030-01-01", "2030-04-01"]), "value": [500.0, -12.5]})
    body = encode({QRA.key: frame}, [QRA])
    assert body == encode({QRA.key: frame}, [QRA])
    assert body.decode().splitlines()[0] == "quarter,qra_release_date,total_financing_need_bn"
    again = read(body, QRA, "cache.csv")
    assert again["value"].tolist() == [500.0, -12.5]
    assert (again["published"] == again["date"]).all()  # AsAnnounced: the demo releases on the date
    with pytest.raises(SourceError, match="only in press releases"):
        fetch([QRA], local_http)
    assert len(httpserver.log) == 0
    assert not QRA.live


def test_wam_cross_check_in_years_is_read_in_months():
    path = FIXTURES / "duration_supply_synthetic.csv"
    frame = read_file(path, replace(WAM, code="wam_total_years"))
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2030-06-30", "2030-12-31"]
    assert frame["value"].tolist() == [66.0, 72.0]
    assert read_file(path, replace(WAM, code="wam_public_years"))["value"].tolist() == [60.0]
    with pytest.raises(DataError, match="no column 'published_months'"):
        read_file(path, WAM)
