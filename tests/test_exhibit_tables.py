"""Exhibit frames as appendix tables: headers, pivoted tariff tables, windows shared with the charts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from charts.exhibits import EXHIBITS, parse_window
from generator.data import DEMO, DataRequest, open_store
from generator.exhibit_tables import CHART_LAYOUT, COLUMN_HEADERS, exhibit_sheets, spreadsheet_frame

TARIFFS = pd.DataFrame(
    {
        "country": ["United States", "Mexico", "United States"],
        "scenario": ["A", "A", "B"],
        "gdp_impact_pct": [-0.3, -2.0, -0.1],
        "inflation_impact_pp": [0.5, 0.6, 0.2],
    }
)


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return open_store(DataRequest(DEMO, cache_dir=tmp_path_factory.mktemp("cache"))).as_of(date(2025, 2, 7))


def test_every_exhibit_has_a_layout():
    assert set(CHART_LAYOUT) == set(EXHIBITS)


def test_tariff_frames_are_pivoted_by_scenario():
    frame = EXHIBITS["E11"].frame(None, TARIFFS)
    wide, headers = spreadsheet_frame(frame)
    assert list(wide.columns) == ["country", "country_zh", "A", "B"]
    assert wide.set_index("country").loc["Mexico", "A"] == -2.0
    assert headers["country"] == COLUMN_HEADERS["country"]


def test_tariff_tables_name_countries_and_scenarios_in_chinese():
    tariffs = TARIFFS.assign(scenario_zh=["情景甲", "情景甲", ""], country_zh=["", "墨西哥合众国", ""])
    wide, headers = spreadsheet_frame(EXHIBITS["E12"].frame(None, tariffs))
    chinese = dict(zip(wide["country"], wide["country_zh"], strict=True))
    assert chinese == {"United States": "美国", "Mexico": "墨西哥合众国"}  # the analyst's name wins
    assert headers["A"] == ("情景甲", "A")
    assert headers["B"] == ("B", "B")  # no Chinese name given: the English one in both header rows
    assert headers["country_zh"] == ("国家/地区", "Country (zh)")


def test_sheets_carry_every_plotted_column_with_bilingual_headers(view):
    for sheet in exhibit_sheets(view, TARIFFS):
        assert not sheet.frame.empty, sheet.id
        for column in sheet.frame.columns:
            zh, en = sheet.headers[column]
            assert zh
            assert en


def test_windows_apply_to_the_tables_as_to_the_charts(view):
    default = {sheet.id: sheet for sheet in exhibit_sheets(view, TARIFFS)}
    narrow = {sheet.id: sheet for sheet in exhibit_sheets(view, TARIFFS, {"E01": parse_window("6m")})}
    assert len(narrow["E01"].frame) < len(default["E01"].frame) / 3
    assert narrow["E01"].frame["date"].min() >= pd.Timestamp("2024-08-07")
    assert len(narrow["E02"].frame) == len(default["E02"].frame)


def test_every_column_of_the_real_data_has_a_written_header(shared_data):
    """E07's sheet headed its pre-2024 Bund column with the raw key bund10y_monthly_pct."""
    from generator.store import load_store

    view = load_store(shared_data).as_of(date(2023, 3, 17))
    for exhibit in EXHIBITS.values():
        if exhibit.uses_tariffs:
            continue
        for column in exhibit.frame(view).columns:
            assert column in COLUMN_HEADERS, (exhibit.id, column)
