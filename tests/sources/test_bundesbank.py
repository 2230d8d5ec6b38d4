"""Bundesbank adapter: the BBK-CSV download (metadata lines, calendar days with ``.``), encode, fetch,
and the shared Svensson 10-year file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError
from generator.sources import bundesbank, find_files, read_file
from generator.sources.bundesbank import encode, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bundesbank"
SPEC = CATALOGUE["bund10y"]


def test_daily_file_with_bom_crlf_and_no_value_days():
    frame = read_file(FIXTURES / "BBSIS_10y_daily.csv", SPEC)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-02",
        "2025-01-03",
        "2025-01-06",
        "2025-01-07",
        "2025-01-08",
    ]
    assert frame["value"].tolist() == [2.31, 2.35, -0.05, 2.4, 2.42]


def test_series_key_without_the_flow_prefix_is_accepted():
    text = (FIXTURES / "BBSIS_10y_daily.csv").read_text(encoding="utf-8-sig")
    short = text.replace("BBSIS.D.I.ZST", "D.I.ZST")
    assert read(short.encode(), SPEC, "short")["value"].tolist() == [2.31, 2.35, -0.05, 2.4, 2.42]


def test_monthly_periods_are_first_of_month():
    spec = replace(SPEC, key="bund_monthly", code="BBK01.WT1010", frequency="monthly")
    frame = read_file(FIXTURES / "BBK01_monthly.csv", spec)
    assert frame["date"].tolist() == [pd.Timestamp("2024-11-01"), pd.Timestamp("2025-01-01")]
    assert frame["value"].tolist() == [2.25, 2.45]


def test_bad_value_names_file_line_and_series():
    with pytest.raises(DataError, match=r"2\.4O") as caught:
        read((FIXTURES / "BBSIS_10y_bad_value.csv").read_bytes(), SPEC, "BBSIS_10y_bad_value.csv")
    assert caught.value.file == "BBSIS_10y_bad_value.csv"
    assert caught.value.line == 13
    assert caught.value.series == "bund10y"


def test_file_of_another_series_is_an_error():
    with pytest.raises(DataError, match="no column BBSIS") as caught:
        read((FIXTURES / "BBEX3_other_series.csv").read_bytes(), SPEC, "BBEX3_other_series.csv")
    assert caught.value.file == "BBEX3_other_series.csv"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<html><body>Wartungsarbeiten</body></html>", "HTML"),
        ('"",{code},{code}_FLAGS\r\nDecimals,2,\r\n', "no data rows"),
        ('"",{code},{code}_FLAGS\r\n2025-01-02,2.31,\r\nfooter,1,\r\n', "not a date"),
        ('"",{code},{code}_FLAGS\r\n2025-01-02,2.31\r\n', "row has 2 cells"),
    ],
)
def test_broken_files(body, message):
    raw = body if isinstance(body, bytes) else body.format(code=SPEC.code).encode()
    with pytest.raises(DataError, match=message) as caught:
        read(raw, SPEC, "broken.csv")
    assert caught.value.series == "bund10y"


def test_encode_writes_calendar_days_and_round_trips():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-03", "2025-01-06"]), "value": [2.35, 2.4]})
    body = encode({"bund10y": frame}, [SPEC])
    assert body == encode({"bund10y": frame}, [SPEC])
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == f'"",{SPEC.code},{SPEC.code}_FLAGS'
    assert "Decimals,2," in lines
    assert lines[-5:] == [
        "2025-01-03,2.35,",
        "2025-01-04,.,No value available",
        "2025-01-05,.,No value available",
        "2025-01-06,2.40,",
        "",
    ]
    back = read(body, SPEC, "encoded")
    assert back["value"].tolist() == [2.35, 2.4]
    assert back["date"].tolist() == frame["date"].tolist()


def test_encode_keeps_more_decimals_when_needed():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-03"]), "value": [2.3456]})
    body = encode({"bund10y": frame}, [SPEC])
    assert b"Decimals,4," in body
    assert read(body, SPEC, "encoded")["value"].tolist() == [2.3456]


def test_fetch_asks_for_english_csv(local_http, httpserver):
    body = (FIXTURES / "BBSIS_10y_daily.csv").read_bytes()
    httpserver.expect_request(
        "/rest/download/BBSIS/D.I.ZST.ZI.EUR.S1311.B.A604.R10XX.R.A.A._Z._Z.A",
        query_string={"format": "csv", "lang": "en"},
    ).respond_with_data(body)
    assert bundesbank.fetch([SPEC], local_http) == body


def test_shared_svensson_daily(shared_data):
    path = shared_data / "international" / "bundesbank_BBSIS_10y_svensson_daily.csv"
    assert [item.name for item in find_files(shared_data, SPEC)] == [path.name]
    values = read_file(path, SPEC).set_index("date")["value"]
    assert len(values) == 702  # 1,010 calendar days, 308 without a value
    assert values.index[0] == pd.Timestamp("2024-01-02")
    assert values.index[-1] == pd.Timestamp("2026-10-06")
    assert values[pd.Timestamp("2025-01-31")] == 2.51
    assert values[pd.Timestamp("2025-02-05")] == 2.38
    assert values[pd.Timestamp("2025-02-07")] == 2.40
    assert values.between(1.5, 5).all()  # % p.a.
