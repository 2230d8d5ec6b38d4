"""FRED layouts: fredgraph CSV, two-column copies, wide downloads, API JSON with vintages, release tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE, SERIES
from generator.errors import DataError
from generator.sources import find_files, fred, read_file

DGS10 = CATALOGUE["ust10y"]
CPI = CATALOGUE["cpi"]


def _read(text: str, spec=DGS10) -> pd.DataFrame:
    return fred.read(text.encode(), spec, "test.csv")


def test_fredgraph_csv_with_gaps():
    frame = _read("observation_date,DGS10\n2025-01-01,\n2025-01-02,4.57\n2025-01-03,.\n2025-01-06,4.62\n")
    assert frame["value"].tolist() == [4.57, 4.62]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-02", "2025-01-06"]


@pytest.mark.parametrize("header", ["date,value", "Date,Value", ",DGS10"])
def test_two_column_variants(header):
    frame = _read(f"{header}\n2025-01-02,4.57\n")
    assert frame["value"].tolist() == [4.57]


def test_wide_download_picks_the_code_column():
    text = "observation_date,DFEDTARL,DFEDTARU,DFF\n2025-01-02,4.25,4.50,4.33\n"
    frame = fred.read(text.encode(), CATALOGUE["fed_target_upper"], "wide.csv")
    assert frame["value"].tolist() == [4.5]


def test_wide_download_without_the_code_is_an_error():
    with pytest.raises(DataError, match="no column DGS10"):
        _read("observation_date,AAA,BBB\n2025-01-02,1,2\n")


def test_api_json_with_vintages_keeps_release_dates():
    document = {
        "observations": [
            {
                "realtime_start": "2025-01-15",
                "realtime_end": "2025-02-11",
                "date": "2024-12-01",
                "value": "315.6",
            },
            {
                "realtime_start": "2025-02-12",
                "realtime_end": "9999-12-31",
                "date": "2024-12-01",
                "value": "315.7",
            },
            {
                "realtime_start": "2025-02-12",
                "realtime_end": "9999-12-31",
                "date": "2025-01-01",
                "value": ".",
            },
        ]
    }
    frame = fred.read(json.dumps(document).encode(), CPI, "api.json")
    assert frame["published"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-15", "2025-02-12"]
    assert frame["value"].tolist() == [315.6, 315.7]


def test_html_instead_of_csv_is_named():
    with pytest.raises(DataError, match="HTML page instead of data"):
        _read("<!DOCTYPE html><html><body>Error</body></html>")


def test_bad_number_names_file_and_series():
    with pytest.raises(DataError, match=r"\[ust10y\] test.csv: not a number: '4,5x'"):
        _read('observation_date,DGS10\n2025-01-02,"4,5x"\n')


def test_live_fetch_uses_api_vintages_with_a_key(monkeypatch, local_http, httpserver):
    monkeypatch.setenv("FRED_API_KEY", "abc")
    body = json.dumps(
        {"observations": [{"realtime_start": "2025-01-15", "date": "2024-12-01", "value": "1"}]}
    )
    httpserver.expect_request(
        "/fred/series/observations",
        query_string={
            "series_id": "CPIAUCSL",
            "api_key": "abc",
            "file_type": "json",
            "realtime_start": "1776-07-04",
            "realtime_end": "9999-12-31",
        },
    ).respond_with_data(body)
    assert fred.fetch([CPI], local_http) == body.encode()


def test_every_fred_series_reads_from_shared_data(shared_data):
    for spec in SERIES:
        if spec.publisher != "fred":
            continue
        files = find_files(shared_data, spec)
        assert files, spec.key
        for path in files:
            frame = read_file(path, spec)
            assert len(frame) > 10 or spec.key == "gdp_growth", (spec.key, path)


def test_shared_data_spot_values(shared_data):
    dgs10 = read_file(shared_data / "yields/fred_DGS10_thru_2026-08-20.csv", DGS10).set_index("date")["value"]
    assert dgs10[pd.Timestamp("2025-01-31")] == 4.58
    assert dgs10.index.max() == pd.Timestamp("2026-08-20")
    vintages = read_file(
        shared_data / "macro/gdp_contrib_2024Q4_release_vintages.csv", CATALOGUE["gdp_growth"]
    )
    assert vintages["value"].tolist() == [2.3, 2.4]


def test_api_key_never_appears_in_errors(monkeypatch, local_http, httpserver):
    monkeypatch.setenv("FRED_API_KEY", "secret123")
    httpserver.expect_request("/fred/series/observations").respond_with_data("no", status=400)
    with pytest.raises(Exception, match="api_key=\\*\\*\\*") as caught:
        fred.fetch([CPI], local_http)
    assert "secret123" not in str(caught.value)


# --- a client's cache of several series (fred_cache_*.json)

CACHE = {
    "fetched_at": "2025-02-07T21:00:00Z",
    "observed_at": {"DGS10": "2025-02-07", "CPIAUCSL": None},
    "series": {
        "DGS10": [["2025-02-05", 4.43], ["2025-02-06", None], ["2025-02-07", 4.49]],
        "CPIAUCSL": [["2024-12-01", 315.6]],
    },
}


def test_cache_json_picks_the_spec_code():
    frame = _read(json.dumps(CACHE))
    assert frame["value"].tolist() == [4.43, 4.49]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-02-05", "2025-02-07"]
    assert "published" not in frame.columns  # observed_at dates only the newest value
    assert _read(json.dumps(CACHE), CPI)["value"].tolist() == [315.6]


def test_cache_json_without_the_series_names_file_series_and_holdings():
    with pytest.raises(
        DataError, match=r"\[ust2y\] test.csv: the FRED cache holds no series DGS2 \(it holds CPIAUCSL"
    ):
        _read(json.dumps(CACHE), CATALOGUE["ust2y"])


def test_cache_json_malformed_pairs_and_values():
    broken = {"series": {"DGS10": [["2025-02-05", 4.43, "extra"]]}}
    with pytest.raises(DataError, match="not a list of \\[date, value\\] pairs"):
        _read(json.dumps(broken))
    with pytest.raises(DataError, match="not a number: 'n/a'"):
        _read(json.dumps({"series": {"DGS10": [["2025-02-05", "n/a"]]}}))
    with pytest.raises(DataError, match="not valid JSON"):
        _read('{"series": {"DGS10": [["2025-02-05", 4.4')
