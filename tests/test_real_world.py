"""Real-world check: figures as of 2025-02-07 from ../shared/data against the model note (Feb 2025).

Each group loads only the series it reads, so a group runs as soon as its adapters exist. Tolerances and
every known difference (vintage, definition, source) are explained in docs/real-world-check.md.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from generator import measures
from generator.build import essential_missing
from generator.catalogue import series_spec
from generator.figures import FIGURE_GROUPS, Figure, compute_figures
from generator.inputs import load_inputs
from generator.store import PointInTime, load_store

AS_OF = date(2025, 2, 7)


@cache
def _view(data_dir: Path, keys: tuple[str, ...]) -> PointInTime:
    specs = tuple(series_spec(key) for key in dict.fromkeys(keys))
    store = load_store(data_dir, specs)
    assert not store.problems, store.problems
    return store.as_of(AS_OF)


def group_figures(data_dir: Path, group: str) -> dict[str, Figure]:
    compute, keys = FIGURE_GROUPS[group]
    figures = compute(_view(data_dir, keys), load_inputs(data_dir / "macro"))
    assert all(figure.date is None or figure.date <= AS_OF.isoformat() for figure in figures)
    return {figure.key: figure for figure in figures}


def test_curve(shared_data):
    figures = group_figures(shared_data, "curve")
    assert figures["ust10y.high_3m"].value == pytest.approx(4.79)  # note: "冲高至4.8%"
    assert figures["ust10y.high_3m"].date == "2025-01-13"
    # the Treasury's par curve for Friday 2025-02-07, published that evening (note: "回落至4.5%下方")
    assert figures["ust10y.last"].value == pytest.approx(4.49)
    assert figures["ust10y.last"].date == "2025-02-07"
    assert figures["ust10y.last"].source == "US Treasury, daily par yield curve (10-year)"
    assert figures["ust2y.last"].date == "2025-02-07"
    # spreads and changes from the same curve: Friday to Friday
    assert figures["spread_10y2y.last_bp"].value == pytest.approx(
        (figures["ust10y.last"].value - figures["ust2y.last"].value) * 100
    )
    assert [item["date"] for item in figures["ust10y.change_1w_bp"].inputs] == ["2025-01-31", "2025-02-07"]


def test_term_premium(shared_data):
    figures = group_figures(shared_data, "term_premium")
    assert figures["tp10.avg_pre_gfc"].value == pytest.approx(1.4, abs=0.05)  # note: 1.4%
    # note: 0.29% over two years; the Aug-2026 ACM vintage gives about -0.2 (see the document)
    assert figures["tp10.avg_2y"].value == pytest.approx(-0.2, abs=0.1)
    assert 40 < figures["vol10y.realized_1m_bp"].value < 150


def test_supply(shared_data):
    figures = group_figures(shared_data, "supply")
    assert figures["bills.share_outstanding"].date == "2025-01-31"  # MSPD January: 4th business day of Feb
    assert 20 < figures["bills.share_outstanding"].value < 25
    assert 60 < figures["wam.months"].value < 80
    view = _view(shared_data, FIGURE_GROUPS["supply"][1])
    shares = measures.bill_share_of_net_issuance(view, 12)
    peak = shares[(shares.index >= "2022-01-01") & (shares.index <= "2024-12-31")].max()
    assert peak > 80  # note: bills above 80% of net issuance at some point in 2022-24


def test_refunding(shared_data):
    figures = group_figures(shared_data, "refunding")
    assert figures["refunding.net_borrowing_current_q_bn"].value == 815
    assert figures["refunding.net_borrowing_next_q_bn"].value == 123
    assert figures["refunding.tga_assumption_bn"].value == 850
    assert "sb0007" in figures["refunding.tga_assumption_bn"].source
    assert figures["tga.last_bn"].value == pytest.approx(820, abs=30)  # note: 819.6 / 817.9 on other days


def test_hedging(shared_data):
    figures = group_figures(shared_data, "hedging")
    assert figures["jgb10y.last"].value == pytest.approx(1.31, abs=0.03)  # note: 1.31
    assert figures["bund10y.last"].value == pytest.approx(2.38, abs=0.05)  # note: 2.38 (ours: zero-coupon)
    assert figures["hedge_cost.jpy_3m"].value == pytest.approx(4.06, abs=0.2)  # note: 4.06 (FX forwards)
    assert figures["hedge_cost.eur_3m"].value == pytest.approx(1.8, abs=0.25)  # note: 1.8
    assert figures["hedged10y.jpy"].value == pytest.approx(0.8, abs=0.35)  # note: 0.8
    assert figures["hedged10y.eur"].value == pytest.approx(2.55, abs=0.15)  # note: 2.55


def test_foreign(shared_data):
    figures = group_figures(shared_data, "foreign")
    assert figures["foreign_holdings.total_bn"].date == "2024-11-30"  # November, as in the note
    assert figures["foreign_holdings.total_bn"].value == pytest.approx(8630, rel=0.015)  # note: 8.63tn
    assert figures["foreign_holdings.record_bn"].date == "2024-09-30"  # note: record in Sep 2024
    assert figures["foreign_holdings.record_bn"].value == pytest.approx(8670, rel=0.015)  # note: 8.67tn
    assert 50 < figures["tic.net_inflow_6ma_bn"].value < 200  # note: 181.1 (total TIC flows, see document)


def test_macro(shared_data):
    figures = group_figures(shared_data, "macro")
    assert figures["gdp.qoq_saar_last"].value == 2.3  # advance estimate, 2025-01-30
    assert figures["gdp.qoq_saar_last"].vintage == "first release"
    assert figures["gdp.contrib_inventories_equipment_pp"].value == pytest.approx(-1.35)
    assert figures["core_pce.yoy"].vintage == "revised (file of 2026-05-28)"  # first print was 2.8%
    assert figures["gdp.contrib_inventories_pp"].value == -0.93
    assert figures["gdp.contrib_equipment_pp"].value == -0.42
    total = figures["gdp.contrib_inventories_pp"].value + figures["gdp.contrib_equipment_pp"].value
    assert total == pytest.approx(-1.35)  # note: "合计拖累达到-1.35%"
    assert figures["cpi.yoy"].date == "2024-12-01"  # January CPI came out on 2025-02-12
    assert figures["fed.target_upper"].value == 4.5


def test_tariffs_from_the_piie_prose_figures(shared_data):
    figures = group_figures(shared_data, "tariffs")
    assert figures["tariff.gdp_impact_min"].value == -2.0  # Mexico, the only % figure PIIE states in prose
    assert figures["tariff.inflation_impact_max"].value == pytest.approx(0.3)


def test_every_figure_as_of_the_note_date(shared_data):
    store = load_store(shared_data)
    assert not store.problems, store.problems
    figures = compute_figures(store.as_of(AS_OF), load_inputs(shared_data / "macro"))
    assert all(figure.date <= AS_OF.isoformat() for figure in figures.values())
    assert pd.Timestamp(figures["ust10y.last"].date) == pd.Timestamp("2025-02-07")
    assert figures["foreign_holdings.total_bn"].vintage == "revised (file of 2026-03-18)"


#: a spread of Fridays across the shared data: the par curve, its December 2024 gap, before and after it
SPREAD = (
    date(2021, 1, 8),
    date(2022, 6, 17),
    date(2023, 10, 6),
    date(2024, 12, 20),  # the par-curve file has no December 2024 after the 6th: H.15, Thursday
    date(2025, 5, 16),
    date(2025, 9, 19),  # after the par-curve file ends (2025-07-11): H.15
)


@cache
def _full_store(data_dir: Path):
    store = load_store(data_dir)
    assert not store.problems, store.problems
    return store


@pytest.mark.parametrize("as_of", SPREAD, ids=str)
def test_figures_at_a_spread_of_dates(shared_data, as_of):
    view = _full_store(shared_data).as_of(as_of)
    figures = compute_figures(view, load_inputs(shared_data / "macro"))
    assert not essential_missing(view)
    for key, figure in figures.items():
        if figure.value is None:
            assert figure.reason, key
            continue
        assert figure.date <= as_of.isoformat(), key
        assert all(item["published"] <= as_of.isoformat() for item in figure.inputs), key
        assert "published_months" not in figure.source
        assert "month_expense_amt" not in figure.source
    ten = figures["ust10y.last"]
    on_par_curve = date(2021, 1, 4) <= as_of <= date(2025, 7, 11) and not (
        date(2024, 12, 9) <= as_of <= date(2024, 12, 31)
    )
    # a Friday's note quotes that Friday from the par curve, else H.15 of the business day before
    assert ten.date == (as_of.isoformat() if on_par_curve else (as_of - pd.Timedelta(days=1)).isoformat())
    assert ("par yield curve" in ten.source) == on_par_curve
    # the daily inputs are no older than their publication lag forces
    assert figures["jgb10y.last"].date >= (as_of - pd.Timedelta(days=4)).isoformat()
    assert figures["tp10.last"].date >= (as_of - pd.Timedelta(days=4)).isoformat()
    # same period: the sum of contributions only where both are for the same quarter
    total = figures["gdp.contrib_inventories_equipment_pp"]
    if total.value is not None:
        assert figures["gdp.contrib_inventories_pp"].period == figures["gdp.contrib_equipment_pp"].period
    else:
        assert total.reason
