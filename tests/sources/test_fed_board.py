"""Federal Reserve Board adapter: FOMC decision dates (two layouts) and the Z.1 sector panel; no live feed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE, PUBLISHER_NAMES
from generator.errors import DataError, SourceError
from generator.sources import PUBLISHERS, fed_board, read_bytes, read_file
from generator.validate import validate_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fed_board"
FOMC = CATALOGUE["fomc_decisions"]
Z1 = CATALOGUE["z1_foreign_holdings"]


def _days(frame: pd.DataFrame) -> list[str]:
    return frame["date"].dt.strftime("%Y-%m-%d").tolist()


def test_registered_as_a_publisher():
    assert PUBLISHERS["fed_board"] is fed_board
    assert PUBLISHER_NAMES["fed_board"]["en"] == "Federal Reserve Board"
    assert not FOMC.live
    assert not Z1.live


def test_fomc_calendar_with_bom_crlf_and_an_unscheduled_meeting():
    frame = read_file(FIXTURES / "fomc_calendar.csv", FOMC)
    assert _days(frame) == ["2030-01-30", "2030-03-04", "2030-03-20"]
    assert frame["value"].tolist() == [1.0, 1.0, 1.0]


def test_fomc_dates_by_year_layout_is_sorted():
    frame = read_file(FIXTURES / "fomc_dates_by_year.csv", FOMC)
    assert _days(frame) == ["2030-01-30", "2030-03-20"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("decision_date,type\n2030-13-01,scheduled\n", "not a date: '2030-13-01'"),
        ("meeting,type\n2030-01-30,scheduled\n", "no column decision_date"),
        ("<!DOCTYPE html><html><body>FOMC</body></html>", "HTML page"),
    ],
)
def test_malformed_fomc_files_name_file_and_series(text, message):
    with pytest.raises(DataError, match=message) as caught:
        fed_board.read(text.encode(), FOMC, "fomc.csv")
    assert "[fomc_decisions] fomc.csv" in str(caught.value)


def test_z1_sector_in_millions_with_gaps_dropped():
    frame = read_file(FIXTURES / "z1_treasury_holdings.csv", Z1)
    assert _days(frame) == ["1950-12-31", "2030-03-31", "2030-09-30"]
    assert frame["value"].tolist() == [250.5, 9_000_000.0, 9_100_000.0]
    banks = read_file(FIXTURES / "z1_treasury_holdings.csv", replace(Z1, key="z1_banks", code="banks"))
    assert banks["value"].tolist() == [1000.0, 4_000_000.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,sector,instrument,holdings\n2030-03-31,banks,all_treasuries,1\n", "no rows of sector"),
        (
            "date,sector,instrument,holdings\n2030-03-31,foreigners_official,all_treasuries,1x\n",
            "not a number",
        ),
        ("date,sector,holdings\n2030-03-31,foreigners_official,1\n", "no column instrument"),
    ],
)
def test_malformed_z1_files_name_file_and_series(text, message):
    with pytest.raises(DataError, match=message) as caught:
        fed_board.read(text.encode(), Z1, "z1.csv")
    assert "[z1_foreign_holdings] z1.csv" in str(caught.value)


def test_a_sector_listed_twice_with_two_values_names_both_lines():
    text = (
        "date,sector,instrument,holdings\n2030-03-31,foreigners_official,all_treasuries,1\n"
        "2030-03-31,foreigners_official,all_treasuries,2\n"
    )
    with pytest.raises(DataError, match="2030-03-31 appears twice") as caught:
        validate_file(Z1, read_bytes(text.encode(), Z1, "z1.csv"), "z1.csv")
    assert "on line 2 (2030-03-31) and 2 on line 3" in caught.value.message


@pytest.mark.parametrize("spec", [FOMC, Z1], ids=lambda spec: spec.key)
def test_fetch_refuses_without_touching_the_network(spec, local_http, httpserver):
    with pytest.raises(SourceError, match=r"HTML page|not a feed") as caught:
        fed_board.fetch([spec], local_http)
    assert spec.key in str(caught.value)
    assert len(httpserver.log) == 0


def test_encode_round_trips_deterministically():
    dates = pd.to_datetime(["2030-03-31", "2030-06-30"])
    frames = {
        Z1.key: pd.DataFrame({"date": dates, "value": [9_000_000.0, 9_050_000.5]}),
        "z1_banks": pd.DataFrame({"date": dates, "value": [1.0, 2.0]}),
    }
    banks = replace(Z1, key="z1_banks", code="banks")
    body = fed_board.encode(frames, [Z1, banks])
    assert body == fed_board.encode(frames, [Z1, banks])
    assert body.decode().splitlines()[:3] == [
        "date,sector,instrument,holdings,source",
        "2030-03-31,banks,all_treasuries,1,z1",
        "2030-03-31,foreigners_official,all_treasuries,9000000,z1",
    ]
    assert fed_board.read(body, Z1, "z1.csv")["value"].tolist() == [9_000_000.0, 9_050_000.5]
    assert fed_board.read(body, banks, "z1.csv")["value"].tolist() == [1.0, 2.0]
    decisions = pd.DataFrame({"date": pd.to_datetime(["2030-03-20", "2030-01-30"]), "value": [1.0, 1.0]})
    calendar = fed_board.encode({FOMC.key: decisions}, [FOMC])
    assert calendar.decode() == "decision_date,meeting_start,type,source\n2030-01-30,,,\n2030-03-20,,,\n"
    assert _days(fed_board.read(calendar, FOMC, "fomc.csv")) == ["2030-01-30", "2030-03-20"]
