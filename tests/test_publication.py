"""Publication-lag rules on known calendar cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from generator.catalogue import series_spec
from generator.publication import (
    BusinessDayOfMonth,
    BusinessDaysAfter,
    DayOfMonth,
    DaysAfterQuarter,
    data_as_of,
)


def _one(rule, day: str) -> str:
    return rule.published(pd.DatetimeIndex([day]))[0].date().isoformat()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-02-06", "2025-02-07"),  # Thursday → Friday
        ("2025-02-07", "2025-02-10"),  # Friday → Monday
        ("2025-01-17", "2025-01-21"),  # Friday before Martin Luther King Day → Tuesday
        ("2024-12-24", "2024-12-26"),  # Christmas is skipped
    ],
)
def test_next_business_day(day, expected):
    assert _one(BusinessDaysAfter(1), day) == expected


def test_same_day_is_unchanged():
    assert _one(BusinessDaysAfter(0), "2025-02-08") == "2025-02-08"


def test_mspd_fourth_business_day():
    # January 2025 month-end → 4th business day of February 2025 (Feb 3, 4, 5, 6)
    assert _one(BusinessDayOfMonth(4), "2025-01-31") == "2025-02-06"
    # December 2024 → January 2025: Jan 1 is a holiday, so Jan 2, 3, 6, 7
    assert _one(BusinessDayOfMonth(4), "2024-12-31") == "2025-01-07"


def test_day_of_month_clips_to_month_end():
    assert _one(DayOfMonth(15), "2024-12-01") == "2025-01-15"
    assert _one(DayOfMonth(31), "2025-01-01") == "2025-02-28"  # core PCE: end of the next month
    assert _one(DayOfMonth(18, 2), "2024-11-30") == "2025-01-18"  # TIC: mid month M+2


def test_quarter_lag_from_quarter_start_or_end():
    assert _one(DaysAfterQuarter(30), "2024-10-01") == "2025-01-30"
    assert _one(DaysAfterQuarter(30), "2024-12-31") == "2025-01-30"


# --- the rules the catalogue uses, at the early end of each publisher's schedule


def test_calendar_rules_are_not_later_than_actual_releases():
    cpi, pce, gdp, tic = (
        series_spec(key).lag for key in ("cpi", "core_pce", "gdp_growth", "tic_net_lt_purchases")
    )
    # BLS: January 2025 CPI on 2025-02-12, April 2024 on 2024-05-15, March 2024 on 2024-04-10
    assert _one(cpi, "2025-01-01") <= "2025-02-12"
    assert _one(cpi, "2024-03-01") == "2024-04-10"
    # BEA Personal Income: Dec 2024 on 2025-01-31, Jan 2023 on 2023-02-24, Nov 2024 on 2024-12-20
    assert _one(pce, "2024-12-01") <= "2025-01-31"
    assert _one(pce, "2023-01-01") == "2023-02-24"
    assert _one(pce, "2024-11-01") == "2024-12-20"
    # BEA advance GDP: 2024Q2 on 2024-07-25, 2024Q4 on 2025-01-30
    assert _one(gdp, "2024-04-01") == "2024-07-25"
    assert _one(gdp, "2024-10-01") <= "2025-01-30"
    # TIC: mid-month M+2 (15th-19th): the calendar's day (November 2024 data on 2025-01-17), else the 19th,
    # the late end, so that no month counts before it is out
    assert _one(tic, "2024-11-30") == "2025-01-17"
    assert _one(tic, "2024-12-31") == "2025-02-19"
    assert series_spec("acm_tp10").lag == BusinessDaysAfter(1)
    assert series_spec("par10y").lag == BusinessDaysAfter(0)


def test_fred_curve_spreads_are_same_day_since_they_take_treasurys_curve():
    """FRED's T10Y2Y and T10Y3M come from Treasury's par curve since 21 Jun 2019 (posted on day D), from
    H.15's next-day rates before."""
    for key in ("spread_10y2y", "spread_10y3m"):
        rule = series_spec(key).lag
        assert _one(rule, "2025-10-24") == "2025-10-24"
        assert _one(rule, "2019-06-21") == "2019-06-21"
        assert _one(rule, "2019-06-20") == "2019-06-21"  # H.15: the next business day
        assert _one(rule, "2019-06-14") == "2019-06-17"


def test_december_day_of_the_personal_income_release():
    rule = DayOfMonth(24, 1, december_day=20)
    assert _one(rule, "2024-11-01") == "2024-12-20"
    assert _one(rule, "2024-10-01") == "2024-11-24"
    assert "20 in December" in str(rule)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 2, 7), date(2025, 2, 7)),  # a Friday is its own close
        (date(2025, 2, 8), date(2025, 2, 7)),  # Saturday → Friday
        (date(2025, 2, 9), date(2025, 2, 7)),  # Sunday → Friday
        (date(2025, 1, 20), date(2025, 1, 17)),  # Martin Luther King Day → the Friday before
        (date(2024, 12, 25), date(2024, 12, 24)),  # Christmas
    ],
)
def test_data_as_of_is_the_last_business_days_close(day, expected):
    assert data_as_of(day) == expected


# --- the release calendar: actual release days where the publishers left their schedule


@pytest.mark.parametrize(
    ("key", "period", "released"),
    [
        ("core_pce", "2026-01-01", "2026-03-13"),  # delayed: the rule alone says 2026-02-24
        ("core_pce", "2025-10-01", "2026-01-22"),  # October and November 2025 in one report
        ("core_pce", "2025-12-01", "2026-02-20"),
        ("cpi", "2025-09-01", "2025-10-24"),
        ("core_cpi", "2025-11-01", "2025-12-18"),
        ("cpi", "2026-01-01", "2026-02-13"),
        ("cpi", "2026-02-01", "2026-03-11"),
        ("core_pce", "2026-04-01", "2026-05-28"),
        ("core_pce", "2026-06-01", "2026-07-30"),  # the day FRED posted it (the FRED cache's observed_at)
        ("cpi", "2026-07-01", "2026-08-12"),
        ("gdp_growth", "2025-07-01", "2025-12-23"),  # 2025Q3: advance cancelled, initial estimate
        ("gdp_growth", "2025-10-01", "2026-02-20"),
    ],
)
def test_calendar_gives_the_actual_release_day(key, period, released):
    assert _one(series_spec(key).lag, period) == released


def test_rule_outside_the_calendar_takes_the_late_end_of_the_schedule():
    # a period the calendar lacks is never dated before it can have been out: CPI the 15th of M+1
    # (BLS: 10th-15th), PCE the last day of M+1 (the last week; before Christmas in December)
    pce = series_spec("core_pce").lag
    assert _one(pce, "2019-11-01") == "2019-12-23"  # out on 20 December 2019
    assert _one(pce, "2026-05-01") == "2026-06-30"  # a listed gap
    assert _one(series_spec("gdp_growth").lag, "2019-04-01") == "2019-07-25"
    assert _one(series_spec("cpi").lag, "2019-05-01") == "2019-06-15"  # out on 12 June 2019
    assert _one(series_spec("cpi").lag, "2026-03-01") == "2026-04-15"  # a listed gap


def test_a_release_whose_day_is_unknown_is_dated_the_latest_it_can_have_been():
    # February 2026 PCE came out in April 2026: with March's report (30 April) at the latest
    assert _one(series_spec("core_pce").lag, "2026-02-01") == "2026-04-30"
    # April 2026 CPI was in the CSV copy committed on 12 May 2026
    assert _one(series_spec("cpi").lag, "2026-04-01") == "2026-05-12"


@pytest.mark.parametrize(
    ("key", "period", "released"),
    [
        ("cpi", "2023-01-01", "2023-02-14"),  # the usual rule said the 10th
        ("core_cpi", "2023-02-01", "2023-03-14"),
        ("cpi", "2024-04-01", "2024-05-15"),
        ("core_pce", "2023-02-01", "2023-03-31"),  # the rule said the 24th
        ("core_pce", "2022-10-01", "2022-12-01"),
        ("gdp_growth", "2024-07-01", "2024-10-30"),  # the rule said 25 days after the quarter
        ("foreign_holdings", "2023-10-31", "2023-12-19"),  # the rule said the 15th
        ("foreign_holdings", "2024-01-31", "2024-03-19"),  # not in the calendar: the late end
        ("tic_net_lt_purchases", "2022-04-30", "2022-06-16"),  # two sources, 15 and 16 June: the later
        # the shutdown held August 2025 back (the rule said 19 October) until Treasury published
        # August and September together on 18 November
        ("foreign_holdings", "2025-08-31", "2025-11-18"),
        ("tic_net_lt_purchases", "2025-09-30", "2025-11-18"),
    ],
)
def test_regular_releases_take_their_actual_day(key, period, released):
    assert _one(series_spec(key).lag, period) == released


def test_every_calendar_release_has_a_source_and_follows_its_period():
    from generator.release_calendar import RELEASES

    seen = set()
    for row in RELEASES:
        assert row.source_url.startswith(("https://", "http://")), row
        start = pd.Period(row.period, "Q" if "Q" in row.period else "M").end_time.date()
        assert row.released > start, row
        assert row.released.weekday() < 5, row  # statistical releases come out on working days
        assert (row.family, row.period) not in seen, row
        seen.add((row.family, row.period))
    periods = {family: {row.period for row in RELEASES if row.family == family} for family in ("cpi", "pce")}
    months = {str(month) for month in pd.period_range("2020-12", "2025-08", freq="M")}
    assert months <= periods["cpi"]
    assert months <= periods["pce"]


def _last_period(key: str, as_of: str, data_dir) -> str:
    from generator.catalogue import CATALOGUE
    from generator.store import load_store

    view = load_store(data_dir, (CATALOGUE[key],)).as_of(date.fromisoformat(as_of))
    return view.last(key)[0].strftime("%Y-%m")


@pytest.mark.parametrize(
    ("as_of", "period"),
    [("2026-03-12", "2025-12"), ("2026-03-13", "2026-01")],  # the day before and the day of the release
)
def test_core_pce_as_of_release_boundary(as_of, period, shared_data):
    assert _last_period("core_pce", as_of, shared_data) == period


@pytest.mark.parametrize(
    ("as_of", "period"),
    [
        ("2025-12-17", "2025-09"),
        ("2025-12-18", "2025-11"),
        ("2026-02-12", "2025-12"),
        ("2026-02-13", "2026-01"),
    ],
)
def test_cpi_as_of_release_boundary(as_of, period, shared_data):
    assert _last_period("cpi", as_of, shared_data) == period


# --- average maturity: published on the refunding day recorded by the refunding estimates


def test_at_next_release_takes_the_first_release_day_after_the_quarter():
    from generator.publication import AtNextRelease

    rule = AtNextRelease("qra", DaysAfterQuarter(35))
    refundings = pd.DatetimeIndex(["2025-04-30", "2025-07-30"])
    dated = rule.published_on(
        pd.DatetimeIndex(["2025-01-31", "2025-03-31", "2025-06-30", "2025-09-30"]), refundings
    )
    # Q1 and Q2 on their refunding days; Q3 has none within 60 days on file: 35 days after the quarter
    assert [day.date().isoformat() for day in dated] == [
        "2025-04-30",
        "2025-04-30",
        "2025-07-30",
        "2025-11-04",
    ]


@pytest.mark.parametrize(
    ("as_of", "period"),
    [("2025-07-29", "2025-03"), ("2025-07-30", "2025-06")],  # the day before and the day of the refunding
)
def test_wam_as_of_refunding_day(as_of, period, shared_data):
    from generator.catalogue import CATALOGUE
    from generator.store import load_store

    specs = (CATALOGUE["wam_months"], CATALOGUE["qra_financing_need_bn"])
    view = load_store(shared_data, specs).as_of(date.fromisoformat(as_of))
    assert view.last("wam_months")[0].strftime("%Y-%m") == period


def test_wam_alone_is_dated_as_with_the_refunding_series(shared_data):
    from generator.catalogue import CATALOGUE
    from generator.store import load_store

    alone = load_store(shared_data, (CATALOGUE["wam_months"],)).series["wam_months"].observations
    both = load_store(shared_data, (CATALOGUE["wam_months"], CATALOGUE["qra_financing_need_bn"]))
    assert alone.equals(both.series["wam_months"].observations)


def test_wam_without_a_refunding_file_keeps_its_rule(shared_data, tmp_path):
    from generator.catalogue import CATALOGUE
    from generator.store import load_store

    name = "debt/durationmonitor_wam_vs_treasury_published_months.csv"
    (tmp_path / "debt").mkdir()
    (tmp_path / name).symlink_to(shared_data / name)
    view = load_store(tmp_path, (CATALOGUE["wam_months"],)).as_of(date(2025, 8, 3))
    assert view.last("wam_months")[0].strftime("%Y-%m") == "2025-03"  # the rule: 2025-08-04
