"""Bank of Japan adapter: the Time-Series Data Search API's JSON, OHLCV mirrors, paging, BoJ errors
inside HTTP 200, and the shared TONA file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE, PUBLISHER_NAMES
from generator.errors import DataError, SourceError
from generator.sources import PUBLISHERS, boj, find_files, read_file
from generator.sources.boj import encode, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "boj"
SPEC = CATALOGUE["tona"]
API_PATH = "/api/v1/getDataCode"


def _values(raw: bytes, origin: str = "test.json") -> pd.Series:
    frame = read_file(Path(origin), SPEC, raw=raw)
    return pd.Series(frame["value"].to_numpy(), index=frame["date"])


def _response(days: list, values: list, next_position: int | None = None, code: str = "STRDCLUCON") -> bytes:
    """A synthetic getDataCode response for one series."""
    document = {
        "STATUS": 200,
        "MESSAGEID": "M181000I",
        "MESSAGE": "",
        "DATE": "2030-03-09T08:50:00.000+09:00",
        "PARAMETER": {"DB": "FM01"},
        "NEXTPOSITION": next_position,
        "RESULTSET": [{"SERIES_CODE": code, "VALUES": {"SURVEY_DATES": days, "VALUES": values}}],
    }
    return json.dumps(document).encode("utf-8")


def test_registration():
    assert PUBLISHERS["boj"] is boj
    assert PUBLISHER_NAMES["boj"] == {"en": "Bank of Japan", "zh": "日本银行"}
    assert SPEC.publisher == "boj"
    assert SPEC.file == "boj/FM01_STRDCLUCON.json"
    assert (SPEC.unit, SPEC.frequency, SPEC.scale, SPEC.used_by) == ("%", "daily", 1.0, ("ctx",))


# --- the API's JSON


def test_api_json_drops_nulls():
    values = _values((FIXTURES / "FM01_STRDCLUCON.json").read_bytes())
    assert values.index.tolist() == [
        pd.Timestamp(day) for day in ("2030-03-01", "2030-03-04", "2030-03-05", "2030-03-07", "2030-03-08")
    ]
    assert values.tolist() == [0.111, 0.112, 0.113, -0.005, 0.25]


def test_api_json_with_bom_and_newest_first():
    body = _response([20300305, 20300304, 20300301], [0.3, None, 0.1])
    values = _values(b"\xef\xbb\xbf" + body)
    assert values.index.tolist() == [pd.Timestamp("2030-03-01"), pd.Timestamp("2030-03-05")]
    assert values.tolist() == [0.1, 0.3]


def test_api_json_string_dates_and_numbers():
    values = _values(_response(["20300301", "20300302"], ["0.5", 0.6]))
    assert values.tolist() == [0.5, 0.6]


def test_api_json_monthly_dates_are_month_starts():
    values = _values(_response([203001, 203002], [0.2, 0.3]))
    assert values.index.tolist() == [pd.Timestamp("2030-01-01"), pd.Timestamp("2030-02-01")]


def test_series_is_picked_by_code():
    document = json.loads(_response([20300301], [0.1]))
    other = {"SERIES_CODE": "STRDCLUCONH", "VALUES": {"SURVEY_DATES": [20300301], "VALUES": [9.9]}}
    document["RESULTSET"].insert(0, other)
    assert _values(json.dumps(document).encode()).tolist() == [0.1]


def test_missing_series_names_what_is_held():
    with pytest.raises(DataError, match=r"\[tona\] other\.json: .*no series STRDCLUCON .*holds STRDCLUCONH"):
        read(_response([20300301], [0.1], code="STRDCLUCONH"), SPEC, "other.json")


def test_boj_error_in_http_200_is_a_data_error():
    with pytest.raises(DataError, match=r"\[tona\] error_response\.json: .*STATUS 400 M181013E"):
        read((FIXTURES / "error_response.json").read_bytes(), SPEC, "error_response.json")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_response([20300301, 20300302], [0.1, "12..3x"]), r"not a number: '12\.\.3x'"),
        (_response([20300301, 20300302], [0.1, True]), r"not a number: 'True'"),
        (_response([20300301, 20300399], [0.1, 0.2]), r"not a date: '20300399'"),
        (_response([20300301, 20300302], [0.1]), "not lists of the same length"),
        (_response([20300301], [0.1])[:60], "not valid JSON"),
        (b'{"RESULTSET": []}', "no STATUS"),
        (b'{"STATUS": 200, "RESULTSET": {}}', "no RESULTSET list"),
        (b"<!DOCTYPE html><html><body>Page cannot be displayed</body></html>", "HTML page"),
        (b"date,value\n2030-03-01,0.1\n", "neither a BoJ API JSON response nor an OHLCV table"),
    ],
    ids=["value", "boolean", "date", "lengths", "truncated", "status", "resultset", "html", "csv"],
)
def test_malformed_files_name_file_and_series(body, message):
    with pytest.raises(DataError, match=message) as caught:
        read(body, SPEC, "bad/FM01_STRDCLUCON.json")
    assert caught.value.file == "bad/FM01_STRDCLUCON.json"
    assert caught.value.series == "tona"


def test_no_data_message_gives_no_observations():
    with pytest.raises(DataError, match="no observations of STRDCLUCON"):
        read_file(Path("empty.json"), SPEC, raw=_response([20300301], [None]))


# --- OHLCV mirrors


def test_ohlcv_copy_with_crlf():
    values = _values((FIXTURES / "tona_ohlcv.csv").read_bytes(), "tona_ohlcv.csv")
    assert values.tolist() == [0.111, 0.112, -0.005]
    assert values.index[-1] == pd.Timestamp("2030-03-05")


def test_malformed_ohlcv_names_file_and_series():
    body = b"DATE,OPEN,HIGH,LOW,CLOSE,VOLUME\r\n20300301,0.1,0.1,0.1,0.1x,0\r\n"
    with pytest.raises(DataError, match=r"\[tona\] mirror\.csv: not a number: '0\.1x'"):
        read(body, SPEC, "mirror.csv")


# --- encode


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.to_datetime(["2030-03-01", "2030-03-04", "2030-03-05"]), "value": [0.111, -0.005, 0.25]}
    )


def test_encode_writes_calendar_days_with_nulls_and_round_trips():
    body = encode({"tona": _frame()}, [SPEC])
    assert body == encode({"tona": _frame()}, [SPEC])
    document = json.loads(body)
    assert document["STATUS"] == 200
    assert document["NEXTPOSITION"] is None
    (result,) = document["RESULTSET"]
    assert result["SERIES_CODE"] == "STRDCLUCON"
    assert result["VALUES"]["SURVEY_DATES"] == [20300301, 20300302, 20300303, 20300304, 20300305]
    assert result["VALUES"]["VALUES"] == [0.111, None, None, -0.005, 0.25]
    back = read(body, SPEC, "encoded")
    assert back["date"].tolist() == _frame()["date"].tolist()
    assert back["value"].tolist() == _frame()["value"].tolist()


def test_encode_refuses_other_frequencies():
    with pytest.raises(ValueError, match="only daily"):
        encode({"tona": _frame()}, [replace(SPEC, frequency="monthly")])


# --- fetch


def test_fetch_asks_for_2021_to_this_month(local_http, httpserver):
    body = (FIXTURES / "FM01_STRDCLUCON.json").read_bytes()
    httpserver.expect_request(
        API_PATH,
        query_string={
            "db": "FM01",
            "code": "STRDCLUCON",
            "format": "json",
            "lang": "en",
            "startDate": "202101",
            "endDate": "203003",
        },
    ).respond_with_data(body)
    assert boj.fetch([SPEC], local_http, today=date(2030, 3, 9)) == body
    assert len(httpserver.log) == 1


def test_fetch_follows_next_position_and_drops_repeated_dates(local_http, httpserver):
    first = _response([20300301, 20300302], [0.1, 0.2], next_position=2)
    second = _response([20300302, 20300303], [0.2, 0.3])
    httpserver.expect_ordered_request(API_PATH).respond_with_data(first)
    httpserver.expect_ordered_request(API_PATH).respond_with_data(second)
    body = boj.fetch([SPEC], local_http)
    values = _values(body)
    assert values.tolist() == [0.1, 0.2, 0.3]
    assert json.loads(body)["NEXTPOSITION"] is None
    assert [request.args.get("startPosition") for request, _ in httpserver.log] == [None, "2"]


def test_fetch_stops_when_the_same_page_comes_back(local_http, httpserver):
    page = _response([20300301, 20300302], [0.1, 0.2], next_position=2)
    httpserver.expect_request(API_PATH).respond_with_data(page)
    body = boj.fetch([SPEC], local_http)
    assert len(httpserver.log) == 2
    assert _values(body).tolist() == [0.1, 0.2]


def test_fetch_reports_a_boj_error_without_retrying(local_http, httpserver):
    httpserver.expect_request(API_PATH).respond_with_data((FIXTURES / "error_response.json").read_bytes())
    with pytest.raises(SourceError, match=r"\[tona\] .*STATUS 400 M181013E"):
        boj.fetch([SPEC], local_http)
    assert len(httpserver.log) == 1


def test_fetch_rejects_a_response_without_the_series(local_http, httpserver):
    httpserver.expect_request(API_PATH).respond_with_data(_response([20300301], [0.1], code="OTHER"))
    with pytest.raises(SourceError, match="no series STRDCLUCON"):
        boj.fetch([SPEC], local_http)


# --- the shared data folder


def test_shared_tona(shared_data):
    path = shared_data / "international" / "g8pipeline_TONA.csv"
    assert find_files(shared_data, SPEC) == [path]
    values = read_file(path, SPEC).set_index("date")["value"]
    # PROVENANCE.md: 2021-08-02 → 2026-08-05, 1,226 rows, 2025-01-31 = 0.477 (% p.a.)
    assert len(values) == 1226
    assert values.index[0] == pd.Timestamp("2021-08-02")
    assert values.index[-1] == pd.Timestamp("2026-08-05")
    assert values[pd.Timestamp("2025-01-31")] == 0.477
    assert values[pd.Timestamp("2021-08-02")] == -0.043
    assert values.between(-0.1, 1.5).all()
