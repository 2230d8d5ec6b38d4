"""BEA adapter: the NIPA API's JSON (contributions, dollar tables with UNIT_MULT, API errors), the
interactive-table CSV download, release-vintage and tracker tables, the API key, encode and fetch, and
the shared BEA files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from werkzeug import Response

from generator.catalogue import CATALOGUE
from generator.errors import DataError, SourceError
from generator.sources import bea, fetch_file, read_file
from generator.store import load_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bea"
INVENTORIES = CATALOGUE["gdp_contrib_inventories"]
EQUIPMENT = CATALOGUE["gdp_contrib_equipment"]
INTEREST = CATALOGUE["federal_interest_payments"]


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["date"].dt.strftime("%Y-%m-%d"), frame["value"], strict=True))


def test_codes_and_tables():
    assert bea.parse_code(INVENTORIES) == ("A014RY", None)
    assert bea.parse_code(INTEREST) == ("A091RC", 33)
    assert bea.table_name(INVENTORIES) == "T10102"
    assert bea.table_name(INTEREST) == "T30200"
    with pytest.raises(DataError, match="not a BEA series code"):
        bea.parse_code(replace(INVENTORIES, code="line 14"))


# --- the API's JSON


def test_api_contributions_quarter_start_dates_and_missing_values():
    assert _values(read_file(FIXTURES / "T10102_small.json", INVENTORIES)) == {
        "2031-07-01": 1.05,
        "2031-10-01": -0.8,
    }  # (NA) dropped, the annual row ignored
    assert _values(read_file(FIXTURES / "T10102_small.json", EQUIPMENT)) == {
        "2031-07-01": 0.35,
        "2031-10-01": -0.12,
    }


def test_api_dollar_table_applies_unit_mult_and_the_line():
    frame = read_file(FIXTURES / "T30200_small.json", INTEREST)
    assert _values(frame) == {"2031-07-01": 1_300_400e6, "2031-10-01": 1_310_600e6}  # dollars
    assert (frame["value"] * INTEREST.scale).round(1).tolist() == [1300.4, 1310.6]  # $bn after scale


def test_api_series_on_two_lines_is_read_once():
    receipts = replace(INTEREST, key="federal_receipts", code="W005RC")
    assert _values(read_file(FIXTURES / "T30200_small.json", receipts)) == {"2031-10-01": 6_001_000e6}


def test_api_dollar_rows_without_unit_mult_are_an_error():
    raw = (FIXTURES / "T30200_small.json").read_bytes().replace(b'"UNIT_MULT": "6", ', b"")
    with pytest.raises(DataError, match="without UNIT_MULT"):
        bea.read(raw, INTEREST, "T30200.json")


def test_api_error_response_is_reported():
    with pytest.raises(DataError, match=r"requires parameter TableName.*BEA error 3") as caught:
        read_file(FIXTURES / "api_error.json", INVENTORIES)
    assert caught.value.series == "gdp_contrib_inventories"


def test_api_bad_value_names_file_and_series():
    raw = (FIXTURES / "T10102_small.json").read_bytes().replace(b'"1.05"', b'"1.O5"')
    with pytest.raises(DataError, match=r"1\.O5") as caught:
        bea.read(raw, INVENTORIES, "bea/T10102.json")
    assert caught.value.file == "bea/T10102.json"
    assert caught.value.series == "gdp_contrib_inventories"


def test_api_truncated_json_is_an_error():
    raw = (FIXTURES / "T10102_small.json").read_bytes()[:500]
    with pytest.raises(DataError, match="not valid JSON"):
        bea.read(raw, INVENTORIES, "T10102.json")


def test_series_absent_from_the_table():
    with pytest.raises(DataError, match="no quarterly rows of A999RY"):
        bea.read((FIXTURES / "T10102_small.json").read_bytes(), replace(INVENTORIES, code="A999RY"), "x.json")


# --- the interactive-table CSV download


def test_table_download_finds_the_line_and_converts_display_units():
    frame = read_file(FIXTURES / "table_3_2_download.csv", INTEREST)
    assert (frame["value"] * INTEREST.scale).round(1).tolist() == [1290.2, 1300.4, 1310.6, 1320.8]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2031-04-01",
        "2031-07-01",
        "2031-10-01",
        "2032-01-01",
    ]


def test_table_download_missing_marker_and_crlf():
    raw = (FIXTURES / "table_3_2_download.csv").read_bytes().replace(b"\n", b"\r\n")
    receipts = replace(INTEREST, key="federal_receipts", code="W005RC line 1")
    values = bea.read(raw, receipts, "t32.csv")["value"] * INTEREST.scale
    assert values.round(1).tolist() == [5900.5, 6000.0, 6001.0]  # "---" dropped


def test_table_download_needs_a_line_number():
    with pytest.raises(DataError, match="gives no line number"):
        read_file(FIXTURES / "table_3_2_download.csv", INVENTORIES)


def test_table_download_bad_value_names_the_line():
    raw = (FIXTURES / "table_3_2_download.csv").read_bytes().replace(b'"1,300.4"', b'"1,3OO.4"')
    with pytest.raises(DataError, match=r"1,3OO\.4") as caught:
        bea.read(raw, INTEREST, "t32.csv")
    assert caught.value.line == 8
    assert caught.value.series == "federal_interest_payments"


def test_table_download_unknown_line():
    with pytest.raises(DataError, match="no line 77"):
        read_file(FIXTURES / "table_3_2_download.csv", replace(INTEREST, code="A091RC line 77"))


# --- encode and fetch


def test_encode_round_trips_both_tables():
    quarters = pd.date_range("2030-01-01", periods=3, freq="QS")
    frames = {
        "gdp_contrib_inventories": pd.DataFrame({"date": quarters, "value": [0.5, -1.25, 0.0]}),
        "gdp_contrib_equipment": pd.DataFrame({"date": quarters, "value": [0.1, 0.2, 0.3]}),
    }
    body = bea.encode(frames, [INVENTORIES, EQUIPMENT])
    assert body == bea.encode(frames, [INVENTORIES, EQUIPMENT])
    for spec in (INVENTORIES, EQUIPMENT):
        assert bea.read(body, spec, "T10102.json")["value"].tolist() == frames[spec.key]["value"].tolist()
    dollars = {
        "federal_interest_payments": pd.DataFrame({"date": quarters, "value": [1.2345e12, 1.3e12, 1.25e12]})
    }
    body = bea.encode(dollars, [INTEREST])
    row = json.loads(body)["BEAAPI"]["Results"]["Data"][0]
    assert (row["DataValue"], row["UNIT_MULT"], row["LineNumber"]) == ("1,234,500", "6", "33")
    assert bea.read(body, INTEREST, "T30200.json")["value"].tolist() == [1.2345e12, 1.3e12, 1.25e12]


def test_fetch_without_a_key_says_how_to_get_one(local_http, httpserver, monkeypatch):
    monkeypatch.delenv("BEA_API_KEY")
    with pytest.raises(SourceError, match="BEA_API_KEY") as caught:
        bea.fetch([INVENTORIES], local_http)
    assert "apps.bea.gov/api/signup" in str(caught.value)
    assert not httpserver.log  # nothing was asked


def test_fetch_asks_for_the_table_and_blanks_the_echoed_key(local_http, httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("BEA_API_KEY", "SECRET-KEY-123")
    document = json.loads((FIXTURES / "T10102_small.json").read_bytes())
    document["BEAAPI"]["Request"]["RequestParam"][0]["ParameterValue"] = "SECRET-KEY-123"
    httpserver.expect_request(
        "/api/data",
        query_string={
            "method": "GetData",
            "datasetname": "NIPA",
            "TableName": "T10102",
            "Frequency": "Q",
            "Year": "ALL",
            "ResultFormat": "JSON",
            "UserID": "SECRET-KEY-123",
        },
    ).respond_with_json(document)
    result = fetch_file([INVENTORIES, EQUIPMENT], local_http, tmp_path)
    assert result.error is None
    assert result.last_date == "2031-10-01"
    cached = (tmp_path / "bea" / "T10102.json").read_bytes()
    assert b"SECRET-KEY-123" not in cached
    assert _values(bea.read(cached, EQUIPMENT, "cache")) == {"2031-07-01": 0.35, "2031-10-01": -0.12}


def test_fetch_api_error_is_not_retried(local_http, httpserver):
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        return Response(
            (FIXTURES / "api_error.json").read_bytes(), status=200, content_type="application/json"
        )

    httpserver.expect_request("/api/data").respond_with_handler(handler)
    with pytest.raises(SourceError, match=r"refused the request.*TableName"):
        bea.fetch([INVENTORIES], local_http)
    assert calls["n"] == 1


def test_fetch_rejects_a_body_that_is_not_json(local_http, httpserver):
    httpserver.expect_request("/api/data").respond_with_data(b'{"BEAAPI": {"Results": {"Data": [')
    with pytest.raises(SourceError, match="not JSON"):
        bea.fetch([INVENTORIES], local_http)


# --- the shared data


def test_shared_table_3_2_interest_payments(shared_data):
    path = shared_data / "debt" / "BEA_NIPA_table_3_2_federal_govt_receipts_expenditures_quarterly.csv"
    frame = read_file(path, INTEREST)
    values = dict(
        zip(frame["date"].dt.strftime("%Y-%m-%d"), (frame["value"] * INTEREST.scale).round(1), strict=True)
    )
    assert len(values) == 9
    assert values["2024-01-01"] == 1071.2
    assert values["2025-01-01"] == 1144.2  # = FRED A091RC1Q027SBEA 1,144.212
    assert values["2026-01-01"] == 1218.9


def test_shared_release_vintages(shared_data):
    path = shared_data / "macro" / "gdp_contrib_2024Q4_release_vintages.csv"
    inventories = read_file(path, INVENTORIES)
    assert inventories[["value", "published"]].values.tolist() == [[-0.93, pd.Timestamp("2025-01-30")]]
    equipment = read_file(path, EQUIPMENT)
    assert equipment["date"].unique().tolist() == [pd.Timestamp("2024-10-01")]
    assert equipment["value"].tolist() == [-0.42, -0.47]  # advance, third
    assert equipment["published"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-30", "2025-03-27"]


def test_shared_tracker_inventories(shared_data):
    values = _values(read_file(shared_data / "macro" / "gdp_contributions_ela113arm.csv", INVENTORIES))
    assert len(values) == 32
    assert values["2024-10-01"] == -0.91  # the later vintage; the advance estimate was -0.93
    assert values["2018-04-01"] == -0.74
    assert values["2026-01-01"] == 0.08


def test_shared_store_prefers_the_release_vintage(shared_data):
    store = load_store(shared_data, (INVENTORIES, EQUIPMENT, INTEREST))
    assert not store.problems
    view = store.as_of(pd.Timestamp("2025-02-15").date())
    assert view.series("gdp_contrib_inventories")[pd.Timestamp("2024-10-01")] == -0.93
    assert view.last("gdp_contrib_equipment") == (pd.Timestamp("2024-10-01"), -0.42)
    later = store.as_of(pd.Timestamp("2025-04-15").date())
    assert later.last("gdp_contrib_equipment") == (pd.Timestamp("2024-10-01"), -0.47)
    interest = store.as_of(pd.Timestamp("2026-07-01").date()).last("federal_interest_payments")
    assert interest[0] == pd.Timestamp("2026-01-01")
    assert round(interest[1], 1) == 1218.9
