"""MOF Japan adapter: era dates, the Japanese (Shift_JIS) and English layouts, OHLCV mirrors, the
current-month merge, and every shared JGB file."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError
from generator.sources import find_files, mof_japan, read_file
from generator.sources.mof_japan import date_to_era, encode, era_to_date, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mof_japan"
SPEC = CATALOGUE["jgb10y"]


def _read(name: str, spec=SPEC) -> pd.Series:
    path = FIXTURES / name
    frame = read_file(path, spec)
    return pd.Series(frame["value"].to_numpy(), index=frame["date"])


# --- era dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S49.9.24", date(1974, 9, 24)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.9", date(1989, 1, 9)),
        ("H31.4.30", date(2019, 4, 30)),
        ("R1.5.7", date(2019, 5, 7)),
        ("R7.1.31", date(2025, 1, 31)),
        (" R8.2.27 ", date(2026, 2, 27)),
    ],
)
def test_era_to_date(text, expected):
    assert era_to_date(text) == expected


@pytest.mark.parametrize("text", ["2025/1/31", "基準日", "", "Date", "M45.7.29"])
def test_era_to_date_ignores_other_cells(text):
    assert era_to_date(text) is None


@pytest.mark.parametrize("text", ["R1.2.30", "H31.5.7", "S64.1.9", "R0.4.30", "R7.13.1"])
def test_era_to_date_rejects_impossible_dates(text):
    with pytest.raises(ValueError, match=r"month|day|era"):
        era_to_date(text)


def test_date_to_era_round_trips_across_era_changes():
    days = pd.date_range("1974-09-24", "2026-12-31", freq="11D").append(
        pd.DatetimeIndex(["1989-01-07", "1989-01-08", "2019-04-30", "2019-05-01"])
    )
    for day in days:
        assert era_to_date(date_to_era(day.date())) == day.date()
    assert date_to_era(date(2019, 5, 7)) == "R1.5.7"
    assert date_to_era(date(2019, 4, 30)) == "H31.4.30"
    assert date_to_era(date(1974, 9, 24)) == "S49.9.24"


# --- synthetic files in the publisher's layouts


def test_japanese_shift_jis_file_with_title_line():
    values = _read("jgbcm_all.csv")
    assert values.index[0] == pd.Timestamp("1986-07-05")  # the S61.7.4 row has "-" for 10Y
    assert values[pd.Timestamp("1989-01-06")] == 4.75
    assert values[pd.Timestamp("2019-04-26")] == -0.04
    assert values[pd.Timestamp("2019-05-07")] == -0.05
    assert values[pd.Timestamp("2025-01-31")] == 1.25
    assert len(values) == 8


def test_japanese_file_in_utf8_with_bom_and_without_title_line(tmp_path):
    text = (FIXTURES / "jgbcm_all.csv").read_bytes().decode("cp932")
    body = "\ufeff" + text.split("\r\n", 1)[1].replace("\r\n", "\n")
    path = tmp_path / "mof_jgbcm_all.csv"
    path.write_bytes(body.encode("utf-8"))
    assert read_file(path, SPEC)["value"].tolist() == _read("jgbcm_all.csv").tolist()


def test_current_month_file_skips_blank_row_and_footnote():
    values = _read("jgbcm.csv")
    assert values.to_dict() == {
        pd.Timestamp("2025-01-31"): 1.255,
        pd.Timestamp("2025-02-03"): 1.275,
        pd.Timestamp("2025-02-04"): 1.3,
    }


def test_english_file_maps_the_japanese_code_to_10y():
    values = _read("jgbcme.csv")
    assert values.to_dict() == {
        pd.Timestamp("2025-02-03"): 1.275,
        pd.Timestamp("2025-02-04"): 1.3,
        pd.Timestamp("2025-02-12"): 1.35,
    }
    assert _read("jgbcme.csv", replace(SPEC, code="2年")).iloc[0] == pytest.approx(0.34)


def test_ohlcv_mirror(tmp_path):
    path = tmp_path / "g8pipeline_JPY_BILL_10Y.csv"
    path.write_bytes(b"DATE,OPEN,HIGH,LOW,CLOSE,VOLUME\r\n20250131,1.2500,1.2500,1.2500,1.2500,0\r\n")
    frame = read_file(path, SPEC)
    assert frame["date"].tolist() == [pd.Timestamp("2025-01-31")]
    assert frame["value"].tolist() == [1.25]


def test_bad_number_names_file_line_and_series():
    with pytest.raises(DataError) as caught:
        read((FIXTURES / "jgbcm_bad_number.csv").read_bytes(), SPEC, "jgbcm_bad_number.csv")
    assert caught.value.file == "jgbcm_bad_number.csv"
    assert caught.value.series == "jgb10y"
    assert caught.value.line == 7
    assert "-0.0x5" in str(caught.value)


def test_impossible_era_date_is_an_error():
    with pytest.raises(DataError, match=r"R1\.2\.30") as caught:
        read((FIXTURES / "jgbcm_bad_era.csv").read_bytes(), SPEC, "jgbcm_bad_era.csv")
    assert caught.value.line == 7
    assert caught.value.series == "jgb10y"


def test_unknown_tenor_and_wrong_file_are_errors():
    raw = (FIXTURES / "jgbcm_all.csv").read_bytes()
    with pytest.raises(DataError, match="no column 11年"):
        read(raw, replace(SPEC, code="11年"), "jgbcm_all.csv")
    with pytest.raises(DataError, match="no header row") as caught:
        read(b"observation_date,DGS10\n2025-01-31,4.5\n", SPEC, "x.csv")
    assert caught.value.file == "x.csv"


def test_html_page_is_rejected():
    with pytest.raises(DataError, match="HTML"):
        read(b"<!DOCTYPE html><html><body>maintenance</body></html>", SPEC, "jgbcm_all.csv")


# --- encode and fetch


def test_encode_writes_the_live_layout_and_round_trips():
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2019-04-26", "2019-05-07", "2025-01-31"]), "value": [-0.04, -0.05, 1.25]}
    )
    body = encode({"jgb10y": frame}, [SPEC])
    assert body == encode({"jgb10y": frame}, [SPEC])
    text = body.decode("cp932")
    lines = text.split("\r\n")
    assert lines[0] == "国債金利情報,,,,,,,,,,,,,,,(単位 : %)"
    assert lines[1] == "基準日,1年,2年,3年,4年,5年,6年,7年,8年,9年,10年,15年,20年,25年,30年,40年"
    assert lines[2] == "H31.4.26,-,-,-,-,-,-,-,-,-,-0.04,-,-,-,-,-"
    assert lines[3].startswith("R1.5.7,")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    back = read(body, SPEC, "encoded")
    assert back["value"].tolist() == [-0.04, -0.05, 1.25]
    assert back["date"].tolist() == frame["date"].tolist()


def test_fetch_adds_the_current_month(local_http, httpserver):
    history = (FIXTURES / "jgbcm_all.csv").read_bytes()
    current = (FIXTURES / "jgbcm.csv").read_bytes()
    httpserver.expect_request("/jgbs/reference/interest_rate/data/jgbcm_all.csv").respond_with_data(history)
    httpserver.expect_request("/jgbs/reference/interest_rate/jgbcm.csv").respond_with_data(current)
    body = mof_japan.fetch([SPEC], local_http)
    assert body.decode("cp932").startswith("国債金利情報")
    values = read(body, SPEC, "merged").set_index("date")["value"]
    assert values[pd.Timestamp("2025-01-31")] == 1.255  # the current-month file wins
    assert values[pd.Timestamp("2025-02-04")] == 1.3
    assert values[pd.Timestamp("1986-07-05")] == 5.5
    assert "※" not in body.decode("cp932")
    assert mof_japan.fetch([SPEC], local_http) == body


def test_fetch_keeps_history_when_current_month_is_missing(local_http, httpserver, caplog):
    history = (FIXTURES / "jgbcm_all.csv").read_bytes()
    httpserver.expect_request("/jgbs/reference/interest_rate/data/jgbcm_all.csv").respond_with_data(history)
    httpserver.expect_request("/jgbs/reference/interest_rate/jgbcm.csv").respond_with_data("gone", status=404)
    with caplog.at_level(logging.WARNING):
        assert mof_japan.fetch([SPEC], local_http) == history
    assert "current month" in caplog.text


# --- the shared data folder


def test_shared_jgbcm_all(shared_data):
    path = shared_data / "international" / "mof_jgbcm_all.csv"
    values = read_file(path, SPEC).set_index("date")["value"]
    assert values.index[0] == pd.Timestamp("1986-07-05")  # 10Y is "-" before
    assert values[pd.Timestamp("2025-01-31")] == 1.25
    assert values[pd.Timestamp("2025-02-07")] == 1.307
    assert values[pd.Timestamp("2026-02-27")] == 2.132
    assert values.index.is_unique
    assert values.between(-0.5, 10).all()


def test_shared_jgbcm_all_in_the_live_encoding(shared_data):
    """The shared copy is UTF-8 without the title line; MOF serves Shift_JIS with it: same values."""
    path = shared_data / "international" / "mof_jgbcm_all.csv"
    live = (mof_japan.TITLE + "\r\n").encode("cp932") + path.read_bytes().decode("utf-8").encode("cp932")
    columns = ["date", "value"]  # the source lines differ by the title line
    assert read(live, SPEC, "live")[columns].equals(read(path.read_bytes(), SPEC, str(path))[columns])


def test_shared_english_current_month(shared_data):
    path = shared_data / "international" / "mof_jgbcme_current_month_2026-10.csv"
    values = read_file(path, SPEC).set_index("date")["value"]
    assert values.to_dict() == {
        pd.Timestamp("2026-10-01"): 3.092,
        pd.Timestamp("2026-10-02"): 3.097,
        pd.Timestamp("2026-10-05"): 3.085,
    }


def test_shared_ohlcv_mirror_equals_mof_on_common_dates(shared_data):
    mirror = read_file(shared_data / "international" / "g8pipeline_JPY_BILL_10Y.csv", SPEC).set_index("date")
    mof = read_file(shared_data / "international" / "mof_jgbcm_all.csv", SPEC).set_index("date")
    assert mirror.index[0] == pd.Timestamp("2021-08-10")
    assert mirror.index[-1] == pd.Timestamp("2026-08-06")
    common = mirror.index.intersection(mof.index)
    assert len(common) > 1000
    assert (mirror.loc[common, "value"] - mof.loc[common, "value"]).abs().max() < 1e-9


def test_shared_files_found_by_the_catalogue(shared_data):
    names = [path.name for path in find_files(shared_data, SPEC)]
    assert names == [
        "mof_jgbcm_all.csv",
        "mof_jgbcme_current_month_2026-10.csv",
        "g8pipeline_JPY_BILL_10Y.csv",
    ]
