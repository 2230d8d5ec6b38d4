"""OFR adapter: the API's [date, value] JSON in dollars, the $bn copies, fetching, the shared MMF files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError, SourceError
from generator.sources import read_file
from generator.sources.ofr import encode, fetch, read
from generator.store import load_series

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ofr"
SPEC = CATALOGUE["mmf_treasury"]


def _series(path: Path, key: str = "mmf_treasury") -> pd.Series:
    frame = read_file(path, CATALOGUE[key])
    return pd.Series(frame["value"].to_numpy(), index=frame["date"])


def test_api_json_in_dollars_with_null():
    values = _series(FIXTURES / "MMF-MMF_T_TOT-M.json")
    assert values.to_dict() == {
        pd.Timestamp("2024-11-30"): 2_900_000_000_000.5,
        pd.Timestamp("2025-01-31"): 3_084_700_000_000.0,
        pd.Timestamp("2025-02-28"): 3_100_250_000_000.25,
    }  # 2024-12-31 is null
    assert values[pd.Timestamp("2025-01-31")] * SPEC.scale == pytest.approx(3084.7)  # $bn


@pytest.mark.parametrize(
    ("body", "factor"),
    [
        (b"as_of,value\r\n2025-01-31,3084.7\r\n2025-02-28,3100.3\r\n", 1e9),  # the $bn copies, CRLF
        (
            b"\xef\xbb\xbfas_of,value\n2025-02-28,3100.3\n2025-01-31,3084.7",
            1e9,
        ),  # BOM, newest first, no newline
        (b"date,MMF-MMF_T_TOT-M\n2025-01-31,3084.7\n2025-02-28,3100.3\n", 1.0),  # OFR's CSV, dollars
    ],
)
def test_csv_copies_are_converted_to_dollars(body, factor):
    frame = read(body, SPEC, "copy.csv").sort_values("date")
    assert frame["value"].tolist() == pytest.approx([3084.7 * factor, 3100.3 * factor])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'[["2025-01-31", 3084.7], ["2025-02-28"', "not valid JSON"),
        (b'{"MMF-MMF_T_TOT-M": []}', "list of \\[date, value\\] pairs"),
        (b'[["2025-01-31", "12..3x"]]', "not a number"),
        (b'[["2025-31-01", 1.0]]', "not a date"),
        (b"when,how much\n2025-01-31,1\n", "expected columns"),
        (b"<html><body>Maintenance</body></html>", "HTML"),
    ],
)
def test_malformed_files_name_the_file_and_series(body, message, tmp_path):
    path = tmp_path / "MMF-MMF_T_TOT-M.json"
    path.write_bytes(body)
    with pytest.raises(DataError, match=message) as caught:
        read_file(path, SPEC)
    assert caught.value.file == str(path)
    assert caught.value.series == "mmf_treasury"


def test_encode_round_trips_and_is_deterministic():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-02-28", "2025-01-31"]), "value": [3.1e12, 3.0847e12]})
    body = encode({"mmf_treasury": frame}, [SPEC])
    assert body == b'[["2025-01-31",3084700000000.0],["2025-02-28",3100000000000.0]]'
    assert body == encode({"mmf_treasury": frame}, [SPEC])
    assert read(body, SPEC, "encoded")["value"].tolist() == [3.0847e12, 3.1e12]


def test_fetch_asks_for_the_mnemonic_and_checks_the_shape(local_http, httpserver):
    good = json.dumps([["2025-01-31", 3.0847e12]])
    httpserver.expect_request(
        "/v1/series/timeseries", query_string={"mnemonic": "MMF-MMF_T_TOT-M"}
    ).respond_with_data(good)
    assert fetch([SPEC], local_http) == good.encode()
    httpserver.clear()
    httpserver.expect_request("/v1/series/timeseries").respond_with_data('{"error": "unknown mnemonic"}')
    with pytest.raises(SourceError, match="not an OFR time series"):
        fetch([SPEC], local_http)
    assert len(httpserver.log) == 1  # not retried


# --- the shared data


@pytest.mark.parametrize(
    ("key", "name", "january_2025"),
    [
        ("mmf_treasury", "OFR_MMF_T_TOT_mmf_treasuries_bn_monthly.csv", 3084.7),
        ("mmf_total", "OFR_MMF_TOT_mmf_total_investments_bn_monthly.csv", 7332.7),
        ("mmf_treasury_repo", "OFR_MMF_RP_T_TOT_mmf_treasury_repo_bn_monthly.csv", 1719.8),
    ],
)
def test_shared_mmf_files_in_billions(shared_data, key, name, january_2025):
    loaded = load_series(shared_data, CATALOGUE[key], {})
    assert [Path(item.path).name for item in loaded.files] == [name]
    observations = loaded.observations.set_index("date")["value"]
    assert len(observations) == 189
    assert observations[pd.Timestamp("2025-01-31")] == pytest.approx(january_2025)
    assert observations.index.min() == pd.Timestamp("2010-11-30")
    assert observations.index.max() == pd.Timestamp("2026-07-31")


def test_shared_treasury_share_of_mmf_portfolios(shared_data):
    treasury = _series(shared_data / "debt" / "OFR_MMF_T_TOT_mmf_treasuries_bn_monthly.csv")
    total = _series(shared_data / "debt" / "OFR_MMF_TOT_mmf_total_investments_bn_monthly.csv", "mmf_total")
    assert treasury[pd.Timestamp("2025-01-31")] / total[pd.Timestamp("2025-01-31")] == pytest.approx(
        0.421, abs=5e-4
    )
