"""ECB adapter: SDMX csvdata (daily and monthly), the euro reference-rate table, OHLCV mirrors, encode,
fetch, and the shared ECB files; plus the FRED H.10 FX context entries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError
from generator.sources import ecb, find_files, read_file
from generator.sources.ecb import encode, period_start, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ecb"
ESTR = CATALOGUE["estr"]
IRS = CATALOGUE["bund10y_convergence"]
EURUSD = CATALOGUE["eurusd_ecb"]
EURJPY = CATALOGUE["eurjpy_ecb"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-31", "2025-01-31"),
        ("2025-01", "2025-01-01"),
        ("2025-Q3", "2025-07-01"),
        ("2025", "2025-01-01"),
    ],
)
def test_period_start(text, expected):
    assert period_start(text) == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["", "31/01/2025", "2025-W05", "x"])
def test_period_start_rejects_other_text(text):
    assert period_start(text) is None


def test_daily_csvdata_with_quoted_titles_and_gaps():
    frame = read_file(FIXTURES / "EST_csvdata.csv", ESTR)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-02", "2025-01-03", "2025-01-07"]
    assert frame["value"].tolist() == [3.1, 3.105, 3.095]  # empty and NaN values dropped


def test_monthly_csvdata_picks_the_spec_key_and_dates_first_of_month():
    frame = read_file(FIXTURES / "IRS_two_countries.csv", IRS)
    assert frame["date"].tolist() == [pd.Timestamp(day) for day in ("2024-11-01", "2024-12-01", "2025-01-01")]
    assert frame["value"].tolist() == [2.25, 2.2, 2.45]
    france = replace(IRS, key="oat10y", code="IRS.M.FR.L.L40.CI.0000.EUR.N.Z")
    assert read_file(FIXTURES / "IRS_two_countries.csv", france)["value"].tolist() == [3.1, 3.25]


def test_csvdata_without_the_spec_key_is_an_error():
    italy = replace(IRS, key="btp10y", code="IRS.M.IT.L.L40.CI.0000.EUR.N.Z")
    with pytest.raises(DataError, match=r"no rows of IRS\.M\.IT") as caught:
        read((FIXTURES / "IRS_two_countries.csv").read_bytes(), italy, "IRS_two_countries.csv")
    assert caught.value.file == "IRS_two_countries.csv"
    assert caught.value.series == "btp10y"


def test_malformed_row_names_file_line_and_series():
    with pytest.raises(DataError, match="row has 30 cells") as caught:
        read((FIXTURES / "EST_bad_value.csv").read_bytes(), ESTR, "EST_bad_value.csv")
    assert (caught.value.file, caught.value.line, caught.value.series) == ("EST_bad_value.csv", 4, "estr")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body>Bad gateway</body></html>", "HTML"),
        (b"KEY,FREQ,TIME_PERIOD,OBS_VALUE\r\nEST.B.EU000A2X2A25.WT,B,2025-01-02,3.1x\r\n", "not a number"),
        (b"KEY,FREQ,TIME_PERIOD,OBS_VALUE\r\nEST.B.EU000A2X2A25.WT,B,02.01.2025,3.1\r\n", "not a period"),
        (b"observation_date,DGS10,DGS2\n2025-01-02,4.5,4.2\n", "neither ECB csvdata"),
    ],
)
def test_broken_files(body, message):
    with pytest.raises(DataError, match=message) as caught:
        read(body, ESTR, "broken.csv")
    assert caught.value.series == "estr"


def test_reference_rate_table_newest_first_with_trailing_comma():
    usd = read_file(FIXTURES / "eurofxref-hist.csv", EURUSD)
    assert usd["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-03",
        "2025-01-06",
        "2025-01-07",
        "2025-01-08",
    ]
    assert usd["value"].tolist() == [1.0444, 1.0333, 1.0222, 1.0111]
    jpy = read_file(FIXTURES / "eurofxref-hist.csv", EURJPY)
    assert jpy["value"].tolist() == [152.5, 151.5, 150.5]  # N/A on 2025-01-06 dropped


def test_reference_rate_table_errors():
    raw = (FIXTURES / "eurofxref-hist.csv").read_bytes()
    cyprus = replace(EURUSD, key="eurcyp", code="EXR.D.CYP.EUR.SP00.A")
    with pytest.raises(DataError, match="no observations"):
        read_file(FIXTURES / "eurofxref-hist.csv", cyprus)  # all N/A
    with pytest.raises(DataError, match="no column CHF"):
        read(raw, replace(EURUSD, code="EXR.D.CHF.EUR.SP00.A"), "eurofxref-hist.csv")
    with pytest.raises(DataError, match="not a euro reference rate"):
        read(raw, ESTR, "eurofxref-hist.csv")
    with pytest.raises(DataError, match="not a date") as caught:
        read(raw.replace(b"2025-01-07", b"07.01.2025"), EURUSD, "eurofxref-hist.csv")
    assert caught.value.line == 3


def test_ohlcv_mirror():
    raw = b"DATE,OPEN,HIGH,LOW,CLOSE,VOLUME\r\n20250131,2.9120,2.9120,2.9120,2.9120,0\r\n"
    frame = read(raw, ESTR, "g8pipeline_ESTR.csv")
    assert frame["date"].tolist() == [pd.Timestamp("2025-01-31")]
    assert frame["value"].tolist() == [2.912]


def test_encode_daily_uses_the_flow_columns_and_round_trips():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-03"]), "value": [3.1, -0.5675]})
    body = encode({"estr": frame}, [ESTR])
    assert body == encode({"estr": frame}, [ESTR])
    lines = body.decode().split("\r\n")
    assert lines[0].startswith("KEY,FREQ,BENCHMARK_ITEM,DATA_TYPE_EST,TIME_PERIOD,OBS_VALUE,OBS_STATUS,")
    assert lines[1].startswith("EST.B.EU000A2X2A25.WT,B,EU000A2X2A25,WT,2025-01-02,3.1,A,")
    assert lines[-1] == ""
    assert read(body, ESTR, "encoded")["value"].tolist() == [3.1, -0.5675]


def test_encode_monthly_writes_year_month():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-31", "2025-02-28"]), "value": [2.45, 2.5]})
    body = encode({IRS.key: frame}, [IRS])
    header, first = body.decode().split("\r\n")[:2]
    assert header.split(",")[:12] == [
        "KEY",
        "FREQ",
        "REF_AREA",
        "IR_TYPE",
        "TR_TYPE",
        "MATURITY_CAT",
        "BS_COUNT_SECTOR",
        "CURRENCY_TRANS",
        "IR_BUS_COV",
        "IR_FV_TYPE",
        "TIME_PERIOD",
        "OBS_VALUE",
    ]
    assert first.startswith("IRS.M.DE.L.L40.CI.0000.EUR.N.Z,M,DE,L,L40,CI,0000,EUR,N,Z,2025-01,2.45,A,F,")
    back = read(body, IRS, "encoded")
    assert back["date"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]


def test_fetch_splits_the_code_into_flow_and_key(local_http, httpserver):
    body = (FIXTURES / "EST_csvdata.csv").read_bytes()
    httpserver.expect_request(
        "/service/data/EST/B.EU000A2X2A25.WT", query_string={"format": "csvdata"}
    ).respond_with_data(body)
    assert ecb.fetch([ESTR], local_http) == body


# --- the shared data folder


def test_shared_convergence_yield(shared_data):
    path = shared_data / "international" / "ecb_IRS_M_DE_10y_convergence.csv"
    names = [item.name for item in find_files(shared_data, IRS)]
    assert names == [path.name, "fred_IRLTLT01DEM156N_from1990.csv"]  # ECB first, FRED's copy for history
    values = read_file(path, IRS).set_index("date")["value"]
    assert len(values) == 15
    assert values.index[0] == pd.Timestamp("2025-06-01")
    assert values.index[-1] == pd.Timestamp("2026-08-01")
    assert values[pd.Timestamp("2025-06-01")] == 2.52
    assert values[pd.Timestamp("2025-10-01")] == 2.617


def test_shared_ohlcv_mirrors(shared_data):
    estr = read_file(shared_data / "international" / "g8pipeline_ESTR.csv", ESTR).set_index("date")["value"]
    assert (len(estr), estr[pd.Timestamp("2025-01-31")]) == (1279, 2.912)
    assert estr.index[0] == pd.Timestamp("2021-08-09")
    assert estr.iloc[0] == -0.568
    aaa = CATALOGUE["eur3m_aaa"]
    bill_path = shared_data / "international" / "g8pipeline_EUR_BILL_3M.csv"
    bill = read_file(bill_path, aaa).set_index("date")["value"]
    assert (len(bill), bill[pd.Timestamp("2025-01-31")]) == (1278, 2.4511)


def test_shared_reference_rates(shared_data):
    path = shared_data / "international" / "ecb_eurofxref-hist.csv"
    usd = read_file(path, EURUSD).set_index("date")["value"]
    jpy = read_file(path, EURJPY).set_index("date")["value"]
    assert len(usd) == len(jpy) == 6747
    assert usd.index[0] == pd.Timestamp("1999-01-04")
    assert usd.index[-1] == pd.Timestamp("2025-05-09")
    assert usd.index.is_monotonic_increasing
    assert usd[pd.Timestamp("2025-01-31")] == 1.0393
    assert jpy[pd.Timestamp("2025-01-31")] == 160.99
    assert jpy[pd.Timestamp("2025-01-31")] / usd[pd.Timestamp("2025-01-31")] == pytest.approx(
        154.90, abs=0.01
    )


def test_shared_fred_fx_context(shared_data):
    """FRED H.10 rates (read by the FRED adapter): JPY per USD and USD per EUR, holidays empty."""
    usdjpy = CATALOGUE["usdjpy"]
    eurusd = CATALOGUE["eurusd"]
    jpy_files = find_files(shared_data, usdjpy)
    eur_files = find_files(shared_data, eurusd)
    assert [path.name for path in jpy_files] == ["fred_DEXJPUS_from2024-11-26.csv"]
    assert [path.name for path in eur_files] == ["fred_DEXUSEU_from2024-10-28.csv"]
    jpy = read_file(jpy_files[0], usdjpy).set_index("date")["value"]
    eur = read_file(eur_files[0], eurusd).set_index("date")["value"]
    assert (len(jpy), len(eur)) == (479 - 20, 500 - 21)
    assert jpy[pd.Timestamp("2025-01-31")] == 154.91
    assert eur[pd.Timestamp("2025-01-31")] == 1.04
    assert jpy.index[-1] == eur.index[-1] == pd.Timestamp("2026-09-25")
    ecb_usd = read_file(shared_data / "international" / "ecb_eurofxref-hist.csv", EURUSD).set_index("date")[
        "value"
    ]
    common = ecb_usd.index.intersection(eur.index)
    assert (ecb_usd[common] - eur[common]).abs().mean() < 0.01  # 14:15 CET fixing vs noon New York
