"""Figures on small hand-made stores with known answers: holidays, gaps, unpublished months, vintages."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import figures as fig
from generator.catalogue import series_spec
from generator.errors import DataError
from generator.figures import (
    FIGURE_GROUPS,
    FIGURE_LABELS,
    Figure,
    compute_figures,
    figures_document,
    write_figures_json,
)
from generator.inputs import AnalystInputs, RefundingStatement, TariffScenario
from generator.publication import quarter_after
from generator.store import LoadedSeries, Store

AS_OF = date(2025, 2, 7)  # a Friday


def loaded(key: str, values: pd.Series, published: pd.Series | None = None) -> LoadedSeries:
    """A series already in catalogue units; published from the catalogue lag unless given."""
    spec = series_spec(key)
    dates = pd.DatetimeIndex(values.index)
    frame = pd.DataFrame(
        {
            "date": dates,
            "published": pd.DatetimeIndex(published if published is not None else spec.lag.published(dates)),
            "value": values.to_numpy(dtype=float),
            "realtime": published is not None,
            "file": "synthetic",
        }
    )
    return LoadedSeries(spec, frame.sort_values(["date", "published"]).reset_index(drop=True), ())


def store(**series: pd.Series | LoadedSeries) -> Store:
    return Store(
        {key: item if isinstance(item, LoadedSeries) else loaded(key, item) for key, item in series.items()}
    )


def daily(start: str, end: str, value: float | np.ndarray = 1.0) -> pd.Series:
    index = pd.bdate_range(start, end)
    return pd.Series(np.broadcast_to(value, len(index)).astype(float), index=index)


def monthly(start: str, end: str, values, freq: str = "ME") -> pd.Series:
    index = pd.date_range(start, end, freq=freq)
    return pd.Series(np.broadcast_to(np.asarray(values, dtype=float), len(index)), index=index)


def inputs(**overrides) -> AnalystInputs:
    refunding = (
        RefundingStatement(
            release_date=date(2024, 10, 28),
            quarter="2024Q4",
            net_borrowing_current_q_bn=546,
            net_borrowing_next_q_bn=823,
            tga_end_current_q_bn=700,
            tga_end_next_q_bn=850,
            citation="https://example.org/oct",
        ),
        RefundingStatement(
            release_date=date(2025, 2, 3),
            quarter="2025Q1",
            net_borrowing_current_q_bn=815,
            net_borrowing_next_q_bn=123,
            tga_end_current_q_bn=850,
            tga_end_next_q_bn=850,
            citation="https://example.org/feb",
        ),
    )
    tariffs = (
        TariffScenario(
            country="A",
            scenario="s",
            gdp_impact_pct=-0.5,
            inflation_impact_pp=0.4,
            published=date(2025, 1, 1),
            citation="demo value",
            demo=True,
        ),
        TariffScenario(
            country="B",
            scenario="s",
            gdp_impact_pct=-3.0,
            inflation_impact_pp=0.9,
            published=date(2025, 1, 1),
            citation="demo value",
            demo=True,
        ),
        TariffScenario(
            country="C", scenario="s", gdp_loss_bn=100, published=date(2025, 1, 1), citation="demo"
        ),
    )
    values = {
        "refunding": refunding,
        "tariff_scenarios": tariffs,
        "refunding_file": "r.csv",
        "tariff_file": "t.csv",
    }
    values.update(overrides)
    return AnalystInputs(**values)


def by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {figure.key: figure for figure in figures}


# --- curve


def test_curve_last_is_the_previous_business_day_and_skips_holidays():
    ten = daily("2024-01-01", "2025-02-07", 4.0)
    ten = ten.drop(pd.Timestamp("2025-01-20"))  # MLK day: no H.15 value
    ten[pd.Timestamp("2025-02-06")] = 4.45
    ten[pd.Timestamp("2025-02-07")] = 9.99  # published on Monday 2025-02-10: not visible yet
    ten[pd.Timestamp("2025-01-13")] = 4.79
    ten[pd.Timestamp("2024-11-01")] = 5.50  # 98 days before the as-of date: outside the 3-month window
    ten[pd.Timestamp("2024-12-06")] = 3.90
    view = store(
        ust3m=daily("2024-01-01", "2025-02-07", 4.3),
        ust2y=daily("2024-01-01", "2025-02-07", 4.2),
        ust10y=ten,
        ust30y=daily("2024-01-01", "2025-02-07", 4.6),
        spread_10y2y=daily("2024-01-01", "2025-02-07", 0.24),
        spread_10y3m=daily("2024-01-01", "2025-02-07", 0.11),
    ).as_of(AS_OF)
    result = by_key(fig.compute_curve_figures(view, inputs()))
    assert result["ust10y.last"].value == 4.45
    assert result["ust10y.last"].date == "2025-02-06"
    assert result["ust10y.high_3m"].value == 4.79
    assert result["ust10y.high_3m"].date == "2025-01-13"
    assert result["ust10y.low_3m"].value == 3.90
    assert result["ust10y.change_1w_bp"].value == pytest.approx(45.0)  # 4.45 vs 4.00 on 2025-01-30
    assert result["spread_10y2y.last_bp"].value == pytest.approx(25.0)  # 4.45 - 4.20, the same day
    assert result["spread_10y3m.last_bp"].unit == "bp"
    assert "H.15" in result["ust3m.last"].source
    assert "DGS3MO" in result["ust3m.last"].source
    assert result["ust10y.last"].inputs == (
        {"series": "ust10y", "date": "2025-02-06", "published": "2025-02-07"},
    )


def test_the_par_curve_gives_the_day_itself_and_spreads_and_changes_come_from_one_curve():
    h15 = {key: daily("2024-01-01", "2025-02-07", level) for key, level in (("ust2y", 4.2), ("ust10y", 4.4))}
    par = {key: daily("2025-01-02", "2025-02-07", level) for key, level in (("par2y", 4.2), ("par10y", 4.4))}
    par["par10y"][pd.Timestamp("2025-02-07")] = 4.49  # Friday's close, published that evening
    par["par10y"][pd.Timestamp("2025-01-31")] = 4.54
    view = store(ust3m=daily("2024-01-01", "2025-02-07", 4.3), **h15, **par).as_of(AS_OF)
    result = by_key(fig.compute_curve_figures(view, inputs()))
    ten = result["ust10y.last"]
    assert (ten.value, ten.date, ten.period) == (4.49, "2025-02-07", "2025-02-07")
    assert ten.source == "US Treasury, daily par yield curve (10-year)"
    assert ten.inputs == ({"series": "par10y", "date": "2025-02-07", "published": "2025-02-07"},)
    assert result["spread_10y2y.last_bp"].value == pytest.approx(29.0)
    assert result["spread_10y2y.last_bp"].date == "2025-02-07"
    week = result["ust10y.change_1w_bp"]  # Friday to Friday on the par curve
    assert week.value == pytest.approx(-5.0)
    assert [item["date"] for item in week.inputs] == ["2025-01-31", "2025-02-07"]
    assert week.date == "2025-02-07"  # the base of the change does not date it
    # no par curve for the 3-month tenor: H.15, the previous business day
    assert result["ust3m.last"].date == "2025-02-06"
    assert "H.15" in result["ust3m.last"].source


def test_a_view_computes_a_curve_once_and_hands_out_copies():
    from generator.measures import treasury_curve

    h15 = {key: daily("2024-01-01", "2025-02-07", level) for key, level in (("ust2y", 4.2), ("ust10y", 4.4))}
    view = store(**h15).as_of(AS_OF)
    first = treasury_curve(view, ("ust2y", "ust10y"))
    first.loc[first.index[-1], "ust10y"] = 99.0  # a caller's edit stays its own
    first["extra"] = 1.0
    again = treasury_curve(view, ("ust2y", "ust10y"))
    assert again["ust10y"].iloc[-1] == pytest.approx(4.4)
    assert "extra" not in again
    assert again is not first


def test_outside_the_par_curve_the_h15_value_and_its_date_are_used():
    par = daily("2025-01-02", "2025-01-31", 4.5)  # the par file stops before the as-of week
    view = store(ust10y=daily("2024-01-01", "2025-02-07", 4.4), par10y=par).as_of(AS_OF)
    figure = by_key(fig.compute_curve_figures(view, inputs()))["ust10y.last"]
    assert (figure.value, figure.date) == (4.4, "2025-02-06")
    assert figure.source.startswith("FRED (St. Louis Fed), H.15")


def test_weekly_change_falls_back_over_a_missing_day():
    ten = pd.Series(
        [4.00, 4.10, 4.30],
        index=pd.DatetimeIndex(["2025-01-29", "2025-01-31", "2025-02-06"]),  # 2025-01-30 missing
    )
    when, change = fig._change_bp(ten, 7, "ust10y")
    assert when == pd.Timestamp("2025-02-06")
    assert change == pytest.approx(30.0)  # against 2025-01-29, the last value 7+ days before


def test_weekly_change_without_history_names_the_series():
    ten = pd.Series([4.0, 4.1], index=pd.DatetimeIndex(["2025-02-05", "2025-02-06"]))
    with pytest.raises(DataError, match=r"\[ust10y\]"):
        fig._change_bp(ten, 7, "ust10y")


# --- term premium and volatility


def test_term_premium_averages_and_realised_vol():
    tp = pd.concat([daily("1997-01-01", "2006-12-31", 1.5), daily("2007-01-01", "2023-02-06", 3.0)])
    tp = pd.concat([tp, daily("2023-02-08", "2025-02-07", 0.25)])
    steps = np.arange(60) * 0.01  # +1 bp a day: no dispersion in the changes
    ten = pd.Series(4.0 + steps, index=pd.bdate_range(end="2025-02-06", periods=60))
    view = store(acm_tp10=tp, ust10y=ten).as_of(AS_OF)
    result = by_key(fig.compute_term_premium_figures(view, inputs()))
    assert result["tp10.avg_pre_gfc"].value == pytest.approx(1.5)
    assert result["tp10.avg_pre_gfc"].date == "2006-12-29"
    assert result["tp10.avg_2y"].value == pytest.approx(0.25)  # 2023-02-07 onwards, within 730 days
    assert result["tp10.last"].date == "2025-02-06"  # ACM: at most one business day old
    assert result["vol10y.realized_1m_bp"].value == pytest.approx(0.0, abs=1e-9)


def test_realised_vol_known_answer():
    changes_bp = np.array([1.0, -1.0] * 11)[:21]
    ten = pd.Series(4.0 + np.concatenate([[0.0], np.cumsum(changes_bp) / 100]))
    expected = np.std(changes_bp, ddof=1) * math.sqrt(252)
    assert fig.measures.realized_vol_bp(ten).iloc[-1] == pytest.approx(expected)


# --- supply


def supply_store(interest: pd.Series | None = None) -> Store:
    months = "2023-01-31", "2024-12-31"
    total = monthly(*months, np.linspace(20000, 22300, 24))
    bills = monthly(*months, np.linspace(4000, 5840, 24))
    return store(
        mspd_marketable=total,
        mspd_bills=bills,
        mspd_notes=total * 0.5,
        mspd_bonds=total * 0.2,
        mspd_tips=total * 0.05,
        mspd_frn=total * 0.02,
        wam_months=monthly(
            "2023-03-31", "2024-12-31", [71.0, 72.0, 71.0, 70.0, 71.0, 72.0, 73.0, 74.0], "QE"
        ),
        mmf_treasury=monthly(*months, 2400.0),
        mmf_total=monthly(*months, 6000.0),
        interest_expense=interest if interest is not None else monthly(*months, np.arange(24) + 80.0),
    )


def test_supply_uses_only_published_months():
    # MSPD for January 2025 is due on the 4th business day of February (the 6th): on the 5th December is
    # the latest; December's WAM (quarterly, 35 days after the quarter) appeared on the 4th
    view = supply_store().as_of(date(2025, 2, 5))
    result = by_key(fig.compute_supply_figures(view, inputs()))
    assert result["bills.share_outstanding"].date == "2024-12-31"
    assert result["bills.share_outstanding"].value == pytest.approx(5840 / 22300 * 100)
    assert result["bills.share_net_issuance_12m"].value == pytest.approx(
        80.0
    )  # 80/100 of each month's growth
    assert result["mmf.treasury_share"].value == pytest.approx(40.0)
    # December's money-fund data (OFR, mid-January) is visible; December's WAM (quarterly, +35 days) too
    assert result["wam.months"].date == "2024-12-31"
    # interest expense: December due on the 8th business day of January; mean of Jan..Dec 2024 = 92..103
    assert result["interest.monthly_avg_bn"].value == pytest.approx(np.mean(np.arange(12, 24) + 80.0))


def test_supply_a_month_not_yet_published_is_ignored():
    view = supply_store().as_of(date(2025, 1, 3))  # December MSPD not out until 2025-01-07
    result = by_key(fig.compute_supply_figures(view, inputs()))
    assert result["bills.share_outstanding"].date == "2024-11-30"
    assert result["wam.months"].date == "2024-09-30"  # December WAM due 35 days after the quarter


def test_interest_average_needs_consecutive_months():
    interest = monthly("2023-01-31", "2024-12-31", 90.0).drop(pd.Timestamp("2024-06-30"))
    view = supply_store(interest).as_of(date(2025, 2, 3))
    figure = by_key(fig.compute_supply_figures(view, inputs()))["interest.monthly_avg_bn"]
    assert figure.value is None
    assert figure.date is None
    assert "consecutive" in figure.reason


# --- refunding


def test_refunding_takes_the_latest_statement_released_by_the_as_of_date():
    tga = daily("2025-01-01", "2025-02-07", 830.0)
    before = by_key(fig.compute_refunding_figures(store(tga=tga).as_of(date(2025, 2, 2)), inputs()))
    assert before["refunding.net_borrowing_current_q_bn"].value == 546
    assert before["refunding.tga_assumption_bn"].value == 700
    after = by_key(fig.compute_refunding_figures(store(tga=tga).as_of(date(2025, 2, 3)), inputs()))
    assert after["refunding.net_borrowing_current_q_bn"].value == 815
    assert after["refunding.net_borrowing_next_q_bn"].value == 123
    assert after["refunding.tga_assumption_bn"].date == "2025-02-03"
    assert "https://example.org/feb" in after["refunding.tga_assumption_bn"].source
    assert after["tga.last_bn"].date == "2025-01-31"  # DTS: next business day


def test_a_statements_next_quarter_figures_carry_the_next_quarter():
    tga = daily("2025-01-01", "2025-02-07", 830.0)
    after = by_key(fig.compute_refunding_figures(store(tga=tga).as_of(date(2025, 2, 3)), inputs()))
    current = after["refunding.net_borrowing_current_q_bn"].period
    assert after["refunding.tga_assumption_bn"].period == current
    assert after["refunding.net_borrowing_next_q_bn"].period == quarter_after(current)


@pytest.mark.parametrize(
    ("quarter", "following"), [("2025Q1", "2025Q2"), ("2025Q3", "2025Q4"), ("2024Q4", "2025Q1")]
)
def test_the_quarter_after(quarter, following):
    assert quarter_after(quarter) == following


def test_refunding_before_any_statement_is_unavailable_with_the_reason():
    result = by_key(
        fig.compute_refunding_figures(
            store(tga=daily("2024-01-01", "2024-06-28", 700.0)).as_of(date(2024, 6, 30)), inputs()
        )
    )
    assert result["tga.last_bn"].value == 700.0
    for key, _field in fig.REFUNDING_KEYS:
        assert result[key].value is None
        assert result[key].reason == "no refunding statement on file as of 2024-06-30"


# --- hedging


def test_hedge_costs_carry_the_last_published_monthly_rate():
    jpy = pd.Series([0.25, 0.35, 0.40], index=pd.DatetimeIndex(["2024-10-01", "2024-11-01", "2024-12-01"]))
    view = store(
        ust3m=daily("2024-09-02", "2025-02-07", 4.30),
        ust10y=daily("2024-09-02", "2025-02-07", 4.50),
        jpy3m_interbank=jpy,
        eur3m_aaa=daily("2024-09-02", "2025-02-07", 2.40),
        jgb10y=daily("2024-09-02", "2025-02-07", 1.30),
        bund10y=daily("2024-09-02", "2025-02-07", 2.38),
    )
    # December's OECD average is published on 2025-01-20: on 2025-01-15 November's still applies
    early = by_key(fig.compute_hedging_figures(view.as_of(date(2025, 1, 15)), inputs()))
    assert early["hedge_cost.jpy_3m"].value == pytest.approx(4.30 - 0.35)
    late = by_key(fig.compute_hedging_figures(view.as_of(AS_OF), inputs()))
    assert late["hedge_cost.jpy_3m"].value == pytest.approx(4.30 - 0.40)
    assert late["hedged10y.jpy"].value == pytest.approx(4.50 - (4.30 - 0.40))
    assert late["hedge_cost.eur_3m"].value == pytest.approx(1.90)
    assert late["hedged10y.eur"].value == pytest.approx(2.60)
    assert late["jgb10y.last"].date == "2025-02-07"  # MOF: same day
    assert "DGS3MO" in late["hedge_cost.jpy_3m"].source
    assert "Japan 3-month interbank rate (OECD)" in late["hedge_cost.jpy_3m"].source
    # the stale monthly input dates the figure: December's OECD average, not the day's bill yield
    assert (late["hedge_cost.jpy_3m"].date, late["hedge_cost.jpy_3m"].period) == ("2024-12-01", "2024-12")
    assert late["hedged10y.jpy"].date == "2024-12-01"
    assert {item["series"] for item in late["hedged10y.jpy"].inputs} == {"ust10y", "ust3m", "jpy3m_interbank"}
    assert late["hedge_cost.eur_3m"].date == "2025-02-06"  # the ECB's AAA curve: a business day later


# --- foreign


def test_foreign_holdings_record_and_tic_average():
    holdings = monthly(
        "2024-01-31", "2024-12-31", [8000, 8100, 8200, 8300, 8400, 8500, 8600, 8700, 8670, 8600, 8630, 9999]
    )
    flows = monthly("2024-01-31", "2024-12-31", [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 999])
    view = store(foreign_holdings=holdings, tic_net_lt_purchases=flows).as_of(AS_OF)
    result = by_key(fig.compute_foreign_figures(view, inputs()))
    assert result["foreign_holdings.total_bn"].value == 8630  # December (due 2025-02-18) not yet out
    assert result["foreign_holdings.total_bn"].date == "2024-11-30"
    assert result["foreign_holdings.record_bn"].value == 8700
    assert result["foreign_holdings.record_bn"].date == "2024-08-31"
    assert result["tic.net_inflow_6ma_bn"].value == pytest.approx(np.mean([60, 70, 80, 90, 100, 110]))


def test_tic_average_with_a_missing_month_is_a_data_error():
    flows = monthly("2024-01-31", "2024-11-30", 50.0).drop(pd.Timestamp("2024-08-31"))
    view = store(foreign_holdings=monthly("2024-01-31", "2024-11-30", 8000.0), tic_net_lt_purchases=flows)
    figure = by_key(fig.compute_foreign_figures(view.as_of(AS_OF), inputs()))["tic.net_inflow_6ma_bn"]
    assert figure.value is None
    assert "not consecutive" in figure.reason


# --- macro


def macro_store() -> Store:
    quarter = pd.DatetimeIndex(["2024-07-01", "2024-10-01", "2024-10-01"])
    gdp = loaded(
        "gdp_growth",
        pd.Series([3.1, 2.3, 2.4], index=quarter),
        published=pd.Series(pd.DatetimeIndex(["2024-10-30", "2025-01-30", "2025-03-27"])),
    )
    cpi = monthly("2023-01-01", "2024-12-01", np.linspace(300, 323, 24), freq="MS")
    cpi = cpi.drop(pd.Timestamp("2024-10-01"))  # a month missing from the file
    return store(
        gdp_growth=gdp,
        gdp_contrib_inventories=pd.Series([0.1, -0.93], index=pd.DatetimeIndex(["2024-07-01", "2024-10-01"])),
        gdp_contrib_equipment=pd.Series([0.2, -0.42], index=pd.DatetimeIndex(["2024-07-01", "2024-10-01"])),
        cpi=cpi,
        core_pce=monthly("2023-01-01", "2024-12-01", np.linspace(100, 106, 24), freq="MS"),
        fed_target_lower=pd.Series(4.25, index=pd.date_range("2024-12-19", "2025-02-07")),
        fed_target_upper=pd.Series(4.50, index=pd.date_range("2024-12-19", "2025-02-07")),
    )


def test_gdp_is_the_estimate_current_at_the_as_of_date():
    early = by_key(fig.compute_macro_figures(macro_store().as_of(date(2025, 1, 29)), inputs()))
    assert early["gdp.qoq_saar_last"].value == 3.1  # Q4 advance estimate due the next day
    advance = by_key(fig.compute_macro_figures(macro_store().as_of(AS_OF), inputs()))
    assert advance["gdp.qoq_saar_last"].value == 2.3
    assert advance["gdp.qoq_saar_last"].date == "2024-10-01"
    third = by_key(fig.compute_macro_figures(macro_store().as_of(date(2025, 4, 1)), inputs()))
    assert third["gdp.qoq_saar_last"].value == 2.4


def test_inflation_is_year_on_year_by_date_and_unpublished_months_are_ignored():
    result = by_key(fig.compute_macro_figures(macro_store().as_of(date(2025, 1, 9)), inputs()))
    cpi = np.linspace(300, 323, 24)
    # December CPI counts as public from the 10th: on 2025-01-09 November is the latest, against Nov 2023
    assert result["cpi.yoy"].date == "2024-11-01"
    assert result["cpi.yoy"].period == "2024-11"
    assert [item["date"] for item in result["cpi.yoy"].inputs] == ["2023-11-01", "2024-11-01"]
    assert result["cpi.yoy"].value == pytest.approx((cpi[22] / cpi[10] - 1) * 100)
    assert result["fed.target_upper"].value == 4.5
    assert result["fed.target_lower"].date == "2025-01-09"


# --- tariffs


def test_tariff_ranges_and_demo_source():
    result = by_key(fig.compute_tariff_figures(store().as_of(AS_OF), inputs()))
    assert result["tariff.gdp_impact_min"].value == -3.0
    assert result["tariff.gdp_impact_max"].value == -0.5
    assert result["tariff.inflation_impact_min"].value == 0.4
    assert result["tariff.inflation_impact_max"].value == 0.9
    assert "DEMO" in result["tariff.gdp_impact_min"].source


def test_tariff_scenarios_published_after_the_as_of_date_are_not_used():
    result = by_key(fig.compute_tariff_figures(store().as_of(date(2024, 12, 31)), inputs()))
    assert all(figure.value is None for figure in result.values())
    # said in the note's data notes: in words, both editions, with the edition's date format
    assert result["tariff.gdp_impact_min"].reason == "no tariff scenario on file as of 31 Dec 2024"
    assert result["tariff.gdp_impact_min"].reason_zh == "截至2024年12月31日，文件中没有关税情景"
    assert result["tariff.gdp_impact_min"].source_zh == "关税情景；分析师录入t.csv"


def test_tariff_scenarios_without_the_measure_say_which_measure_is_missing():
    only_losses = tuple(row for row in inputs().tariff_scenarios if row.gdp_impact_pct is None)
    result = by_key(fig.compute_tariff_figures(store().as_of(AS_OF), inputs(tariff_scenarios=only_losses)))
    assert (
        result["tariff.gdp_impact_max"].reason
        == f"no tariff scenario with a GDP impact on file as of {AS_OF:%-d %b %Y}"
    )
    assert result["tariff.inflation_impact_min"].reason_zh.endswith("文件中没有给出通胀影响的关税情景")


def test_analyst_figures_name_their_source_in_the_chinese_edition():
    result = by_key(fig.compute_tariff_figures(store().as_of(AS_OF), inputs()))
    assert result["tariff.gdp_impact_min"].source_zh == "关税情景（演示数值）：demo value；分析师录入t.csv"


# --- records and documents


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), "4.5"])
def test_a_figure_must_be_a_finite_number(value):
    with pytest.raises(DataError, match=r"\[ust10y.last\]"):
        Figure("ust10y.last", value, "%", "2025-02-06", "FRED DGS10", "x", "y")


def test_document_is_deterministic_and_full_precision(tmp_path: Path):
    figures = {
        "b.x": Figure("ust10y.last", 4.449999999999999, "%", "2025-02-06", "H.15", "x", "y"),
        "a.y": Figure("cpi.yoy", 2.870690967509981, "%", "2024-12-01", "BLS", "x", "y", period="2024-12"),
        "c.z": fig.unavailable(
            "cpi.yoy", "not yet published as of 2025-02-07", "截至2025年2月7日尚未发布", ("cpi",)
        ),
    }
    document = figures_document(AS_OF, figures)
    write_figures_json(tmp_path / "one.json", document)
    write_figures_json(tmp_path / "two.json", figures_document(AS_OF, dict(reversed(figures.items()))))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    parsed = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert parsed["as_of"] == "2025-02-07"
    assert parsed["data_as_of"] == "2025-02-07"
    assert list(parsed["figures"]) == ["a.y", "b.x", "c.z"]
    assert parsed["figures"]["b.x"]["value"] == 4.449999999999999
    common = {
        "value",
        "unit",
        "date",
        "period",
        "source",
        "source_zh",
        "label_zh",
        "label_en",
        "inputs",
        "vintage",
    }
    assert set(parsed["figures"]["a.y"]) == common
    assert set(parsed["figures"]["c.z"]) == common | {"reason", "reason_zh"}
    assert parsed["figures"]["c.z"]["reason_zh"] == "截至2025年2月7日尚未发布"
    assert parsed["figures"]["c.z"]["value"] is None
    assert parsed["figures"]["c.z"]["date"] is None
    assert parsed["unavailable"] == [{"figure": "c.z", "reason": "not yet published as of 2025-02-07"}]


def test_a_weekend_note_shows_the_fridays_close():
    document = figures_document(date(2025, 2, 9), {})
    assert (document["as_of"], document["data_as_of"]) == ("2025-02-09", "2025-02-07")
    assert figures_document(date(2025, 1, 20), {})["data_as_of"] == "2025-01-17"  # MLK day


# --- every figure, every group, no date after the as-of date


def full_store_series() -> dict[str, pd.Series]:
    rng = np.random.default_rng(7)
    days = pd.bdate_range("1995-01-02", "2025-12-31")
    walk = pd.Series(4 + np.cumsum(rng.normal(0, 0.03, len(days))), index=days)
    month_ends = pd.date_range("1995-01-31", "2025-12-31", freq="ME")
    month_starts = pd.date_range("1995-01-01", "2025-12-01", freq="MS")
    total = pd.Series(np.linspace(3000, 30000, len(month_ends)), index=month_ends)
    quarters = pd.date_range("1995-01-01", "2025-10-01", freq="QS")
    series = {
        **{
            key: walk + shift
            for key, shift in (("ust3m", 0.1), ("ust2y", 0.0), ("ust10y", 0.3), ("ust30y", 0.5))
        },
        "spread_10y2y": walk * 0 + 0.3,
        "spread_10y3m": walk * 0 + 0.2,
        "acm_tp10": walk - 4,
        "mspd_marketable": total,
        "mspd_bills": total * np.linspace(0.2, 0.3, len(total)),
        "mspd_notes": total * 0.5,
        "mspd_bonds": total * 0.15,
        "mspd_tips": total * 0.05,
        "mspd_frn": total * 0.02,
        "wam_months": pd.Series(70.0, index=pd.date_range("1995-03-31", "2025-12-31", freq="QE")),
        "mmf_treasury": total * 0.1,
        "mmf_total": total * 0.25,
        "interest_expense": total * 0.004,
        "tga": walk * 100,
        "jpy3m_interbank": pd.Series(0.2, index=month_starts),
        "eur3m_aaa": walk - 2,
        "jgb10y": walk - 3,
        "bund10y": walk - 2,
        "bund10y_monthly": pd.Series(2.0, index=month_starts),  # before the daily file (none here)
        "foreign_holdings": total * 0.3,
        "tic_net_lt_purchases": pd.Series(rng.normal(50, 30, len(month_ends)), index=month_ends),
        "gdp_growth": pd.Series(2.0, index=quarters),
        "qra_financing_need_bn": pd.Series(500.0, index=quarters),
        "gdp_contrib_inventories": pd.Series(-0.1, index=quarters),
        "gdp_contrib_equipment": pd.Series(0.1, index=quarters),
        "cpi": pd.Series(np.linspace(150, 330, len(month_starts)), index=month_starts),
        "core_pce": pd.Series(np.linspace(80, 125, len(month_starts)), index=month_starts),
        "fed_target_lower": fed_range(4.25),
        "fed_target_upper": fed_range(4.50),
        # the decision of 2024-12-18 that cut the range, then one that held it
        "fomc_decisions": pd.Series(1.0, index=pd.DatetimeIndex(["2024-12-18", "2025-01-29"])),
    }
    return series


def fed_range(limit: float) -> pd.Series:
    """A target-range limit that was 25 bp higher until the cut effective 2024-12-19."""
    days = pd.date_range("1995-01-01", "2025-12-31")
    return pd.Series(np.where(days < pd.Timestamp("2024-12-19"), limit + 0.25, limit), index=days)


FULL_STORE_SERIES = full_store_series()
FULL_STORE = store(**FULL_STORE_SERIES)


def test_the_pre_crisis_average_is_labelled_by_the_years_it_spans():
    figure = compute_figures(FULL_STORE.as_of(AS_OF), inputs())["tp10.avg_pre_gfc"]
    assert figure.period == "1997/2006"  # not its last day, 29 Dec 2006


def test_every_listed_key_is_computed_with_labels():
    figures = compute_figures(FULL_STORE.as_of(AS_OF), inputs())
    assert set(figures) == set(FIGURE_LABELS)
    for figure in figures.values():
        assert figure.label_zh
        assert figure.label_en
        assert figure.source
    needed = {key for _function, keys in FIGURE_GROUPS.values() for key in keys}
    assert {key for key in needed if not key.startswith("par")} <= set(FULL_STORE.series)
    assert all(figure.available for figure in figures.values()), [
        k for k, f in figures.items() if not f.available
    ]


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=date(2025, 2, 3), max_value=date(2025, 12, 31)))
def test_no_figure_is_dated_after_the_as_of_date(as_of: date):
    figures = compute_figures(FULL_STORE.as_of(as_of), inputs())
    dated = [figure for figure in figures.values() if figure.date is not None]
    assert all(figure.date <= as_of.isoformat() for figure in dated)
    assert all(date.fromisoformat(figure.date) > as_of - timedelta(days=40 * 365) for figure in dated)
    for figure in dated:
        assert all(item["published"] <= as_of.isoformat() for item in figure.inputs)


def test_contributions_of_one_quarter_from_different_releases_are_not_added():
    # an advance estimate of inventories and a third estimate of equipment: same quarter, other releases
    from generator.figures import Figure, same_period_sum

    def contribution(key: str, value: float, published: str) -> Figure:
        series = key.removeprefix("gdp.").removesuffix("_pp").replace(".", "_")
        inputs = ({"series": f"gdp_{series}", "date": "2024-10-01", "published": published},)
        return Figure(key, value, "pp", "2024-10-01", "BEA", "zh", key, inputs=inputs, period="2024Q4")

    inventories = contribution("gdp.contrib_inventories_pp", -0.93, "2025-01-30")
    equipment = contribution("gdp.contrib_equipment_pp", -0.47, "2025-03-27")
    total = same_period_sum("gdp.contrib_inventories_equipment_pp", inventories, equipment, view=None)
    assert total.value is None
    assert total.reason.startswith("different releases of 2024Q4")


# --- every reason in both languages


def test_refunding_reason_has_a_chinese_form():
    result = by_key(
        fig.compute_refunding_figures(
            store(tga=daily("2024-01-01", "2024-06-28", 700.0)).as_of(date(2024, 6, 30)), inputs()
        )
    )
    for key, _field in fig.REFUNDING_KEYS:
        assert result[key].reason_zh == "截至2024年6月30日，文件中没有再融资声明"


@pytest.mark.parametrize("as_of", [date(2021, 6, 4), date(2026, 3, 6)])
def test_every_unavailable_figure_on_real_data_has_a_chinese_reason(as_of, shared_data):
    from generator.store import load_store

    figures = fig.compute_figures(load_store(shared_data).as_of(as_of), inputs())
    missing = [figure for figure in figures.values() if not figure.available]
    assert missing  # both dates lack something (refunding statements, tariff scenarios, stale series)
    for figure in missing:
        assert figure.reason_zh, figure.key
        assert figure.reason_zh != figure.reason, figure.key
        assert any("\u4e00" <= char <= "\u9fff" for char in figure.reason_zh), figure.key
        assert "not yet" not in figure.reason_zh, figure.reason_zh
        assert "no " not in figure.reason_zh, figure.reason_zh


# --- "3-month high/low": the three calendar months to the as-of date


@pytest.mark.parametrize(
    ("as_of", "start"),
    [
        ("2025-02-07", "2024-11-08"),
        ("2025-05-31", "2025-03-01"),  # three months before is 28 Feb: the window is March to May
        ("2025-03-31", "2025-01-01"),
        ("2024-05-29", "2024-03-01"),  # 29 Feb 2024 + 1 day
    ],
)
def test_three_months_to(as_of, start):
    assert fig.three_months_to(pd.Timestamp(as_of)) == pd.Timestamp(start)


@pytest.mark.parametrize(
    ("day", "inside"),
    [("2024-11-08", True), ("2024-11-07", False)],  # the window's first day and the day before it
)
def test_three_month_high_counts_its_first_day_only(day, inside):
    ten = daily("2024-06-03", "2025-02-07", 4.0)
    ten[pd.Timestamp(day)] = 5.5
    flat = daily("2024-06-03", "2025-02-07", 4.0)
    view = store(
        ust3m=flat, ust2y=flat, ust10y=ten, ust30y=flat, spread_10y2y=flat * 0, spread_10y3m=flat * 0
    ).as_of(date(2025, 2, 7))
    high = by_key(fig.compute_curve_figures(view, inputs()))["ust10y.high_3m"]
    assert (high.value == 5.5) is inside
    assert (high.date == day) is inside


def test_a_value_the_statement_does_not_record_is_unavailable_in_both_languages():
    statement = RefundingStatement(
        release_date=date(2024, 10, 28),
        quarter="2024Q4",
        net_borrowing_current_q_bn=546,
        net_borrowing_next_q_bn=823,
        tga_end_current_q_bn=700,
        tga_end_next_q_bn=None,
        citation="https://example.org/oct",
    )
    view = store(tga=daily("2024-10-01", "2024-11-08", 700.0)).as_of(date(2024, 11, 8))
    result = by_key(fig.compute_refunding_figures(view, inputs(refunding=(statement,))))
    missing = result["refunding.tga_assumption_next_q_bn"]
    assert missing.value is None
    assert missing.reason == "not recorded for the 2024Q4 statement"
    assert missing.reason_zh == "2024年四季度再融资声明中没有记录"


def test_decisions_since_the_last_change_count_the_fomc_decisions_that_held_the_range():
    held = compute_figures(FULL_STORE.as_of(AS_OF), inputs())["fed.decisions_since_last_change"]
    assert (held.value, held.date) == (1.0, "2025-01-29")  # the cut took effect 2024-12-19
    before = compute_figures(FULL_STORE.as_of(date(2025, 1, 24)), inputs())["fed.decisions_since_last_change"]
    assert (before.value, before.date) == (0.0, "2024-12-19")  # the deciding meeting itself does not count


def test_a_target_range_that_ends_before_the_latest_fomc_decision_is_not_quoted():
    # the range on file stops on 2025-01-10; the decision of 2025-01-29 may have moved it, so neither the
    # range, nor its last move, nor "on hold since" can be stated as of 2025-02-07
    cut = {key: FULL_STORE_SERIES[key][:"2025-01-10"] for key in ("fed_target_lower", "fed_target_upper")}
    view = store(**{**FULL_STORE_SERIES, **cut}).as_of(AS_OF)
    figures = compute_figures(view, inputs())
    for key in (
        "fed.target_lower",
        "fed.target_upper",
        "fed.target_last_change_bp",
        "fed.decisions_since_last_change",
    ):
        assert figures[key].value is None, key
        assert figures[key].reason == (
            "the target range on file ends 10 Jan 2025, before the FOMC decision of 29 Jan 2025 took effect"
        )
        assert figures[key].reason_zh == (
            "文件中的目标区间止于2025年1月10日，未包含2025年1月29日FOMC议息决议的结果"
        )
    # with the day after the decision on file, the range is quoted
    assert compute_figures(FULL_STORE.as_of(AS_OF), inputs())["fed.target_upper"].value == 4.5
