"""The synthetic demo data: deterministic, complete, plausible, consistent, and read by the live parsers."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.catalogue import CATALOGUE, SERIES, specs_by_file
from generator.demo import (
    DEMO_END,
    DEMO_START,
    README_FILE,
    STAMP_FILE,
    default_demo_dir,
    demo_version,
    generate_demo_frames,
    write_demo_data,
)
from generator.measures import bill_share_of_net_issuance, bill_share_outstanding, realized_vol_bp
from generator.sources import publisher_module
from generator.store import Store, load_store

FAR_FUTURE = date(2030, 1, 1)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    return write_demo_data(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture(scope="module")
def store(demo_dir) -> Store:
    return load_store(demo_dir, origin="demo")


@pytest.fixture(scope="module")
def everything(store):
    """The whole history, as a reader far in the future sees it."""
    return store.as_of(FAR_FUTURE)


def test_two_generations_write_identical_bytes(demo_dir, tmp_path):
    again = write_demo_data(tmp_path / "again")
    assert _digests(again) == _digests(demo_dir)
    assert set(specs_by_file()) <= set(_digests(demo_dir))


def test_frames_depend_on_the_seed_only():
    specs = (CATALOGUE["ust10y"], CATALOGUE["mspd_bills"])
    first, second = generate_demo_frames(specs), generate_demo_frames(specs)
    for key in first:
        pd.testing.assert_frame_equal(first[key], second[key])
    other = generate_demo_frames(specs, seed=7)
    assert not np.allclose(other["ust10y"]["value"], first["ust10y"]["value"])


def test_every_catalogue_series_loads_without_problems(store):
    assert store.problems == {}
    assert set(store.series) == set(CATALOGUE)
    for loaded in store.series.values():
        assert loaded.observations["date"].min() >= pd.Timestamp(DEMO_START)
        assert loaded.observations["date"].max() <= pd.Timestamp(DEMO_END)


def test_frames_are_in_canonical_units():
    frames = generate_demo_frames(
        tuple(CATALOGUE[key] for key in ("mspd_marketable", "tga", "mmf_total", "interest_expense", "ust10y"))
    )

    def at(key: str, day: str) -> float:
        frame = frames[key]
        return float(frame.loc[frame["date"] <= pd.Timestamp(day), "value"].iloc[-1])

    assert 20e6 < at("mspd_marketable", "2024-12-31") < 40e6  # $mn
    assert 30e3 < at("tga", "2024-12-31") < 1e6  # $mn
    assert 3e12 < at("mmf_total", "2024-12-31") < 9e12  # dollars
    assert 30e9 < at("interest_expense", "2024-12-31") < 250e9  # dollars
    assert 0 < at("ust10y", "2024-12-31") < 10  # %
    assert all(list(frame.columns) == ["date", "value"] for frame in frames.values())


def test_daily_treasury_series_skip_weekends_and_holidays():
    frame = generate_demo_frames((CATALOGUE["ust10y"],))["ust10y"]
    days = pd.DatetimeIndex(frame["date"])
    assert (days.dayofweek < 5).all()
    assert pd.Timestamp("2024-12-25") not in days
    assert pd.Timestamp("2024-07-04") not in days
    assert pd.Timestamp("2024-12-24") in days


def test_yields_have_plausible_levels_and_volatility(everything):
    ust10y = everything.series("ust10y")
    assert ust10y.between(-1, 10).all()
    assert everything.series("ust3m").between(0, 7).all()
    vol = realized_vol_bp(ust10y, 252).dropna()
    assert 50 < vol.median() < 130
    daily_change_bp = ust10y.diff().abs().dropna() * 100
    assert daily_change_bp.median() < 10
    assert everything.series("jgb10y").between(-1, 8).all()
    assert everything.series("jgb10y")["2016":"2021"].between(-0.5, 0.5).all()
    assert everything.series("bund10y").between(-1.5, 10).all()
    assert everything.series("sofr").index.min() >= pd.Timestamp("2018-04-02")


def test_term_premium_regimes(everything):
    premium = everything.series("acm_tp10")
    assert 0.8 < premium["1997":"2006"].mean() < 2.2
    assert premium["2012":"2022"].mean() < 0.4
    assert premium["2024":"2025"].mean() > premium["2012":"2022"].mean()


def test_policy_range_moves_in_quarter_points(everything):
    upper, lower = everything.series("fed_target_upper"), everything.series("fed_target_lower")
    assert np.allclose(upper - lower, 0.25)
    steps = upper.diff().dropna()
    steps = steps[steps != 0]
    assert np.allclose(np.round(steps / 0.25), steps / 0.25)
    assert upper.min() == pytest.approx(0.25)
    assert upper.max() <= 5.5
    sofr = everything.series("sofr")
    assert (sofr - lower.reindex(sofr.index)).abs().max() < 0.5


def test_spreads_are_exact_differences_of_the_yields(everything):
    ust10y = everything.series("ust10y")
    for key, short in (("spread_10y2y", "ust2y"), ("spread_10y3m", "ust3m")):
        spread = everything.series(key)
        difference = (ust10y - everything.series(short)).dropna()
        assert spread.index.equals(difference.index)
        assert np.abs(spread.to_numpy() - difference.to_numpy()).max() < 1e-9
    par = everything.series("par10y")
    assert np.abs(par - ust10y.reindex(par.index)).max() < 0.025


def test_marketable_debt_is_the_sum_of_its_classes(everything):
    total = everything.series("mspd_marketable")
    classes = sum(
        everything.series(key).reindex(total.index).fillna(0.0)
        for key in ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn")
    )
    assert np.abs(classes - total).max() < 1e-6
    assert 2_000 < total.iloc[0] < 4_000
    assert 25_000 < total["2025"].iloc[-1] < 40_000
    assert everything.series("mspd_frn").index.min() >= pd.Timestamp("2014-01-01")


def test_supply_figures_are_plausible(everything):
    share = bill_share_outstanding(everything)
    assert share.between(5, 60).all()
    assert share["2009"].mean() > share["2015"].mean() < share["2020"].mean()
    assert (bill_share_of_net_issuance(everything) > 80).any()
    assert everything.series("wam_months").between(45, 80).all()
    assert everything.series("tga").between(10, 1_100).all()
    assert everything.series("avg_rate_marketable").between(0.5, 8).all()
    interest = everything.series("interest_expense")
    assert interest["2024"].mean() > 2 * interest["2015"].mean()
    mmf = everything.series("mmf_treasury") / everything.series("mmf_total") * 100
    assert mmf.between(15, 50).all()
    assert everything.series("mmf_total").between(2_000, 8_000).all()


def test_foreign_demand_and_macro_are_plausible(everything):
    total = everything.series("foreign_holdings")
    assert total.between(800, 12_000).all()
    parts = everything.series("foreign_holdings_japan") + everything.series("foreign_holdings_china")
    assert (parts.reindex(total.index) < total).all()
    flows = everything.series("tic_net_lt_purchases")
    assert flows.mean() > 0
    assert flows.between(-200, 300).all()
    for key in ("cpi", "core_cpi", "core_pce"):
        index = everything.series(key)
        yoy = (index / index.shift(12) - 1) * 100
        assert yoy.dropna().between(-3, 10).all(), key
        assert yoy["2022"].max() > yoy["2019"].max(), key
    growth = everything.series("gdp_growth")
    assert growth.drop(growth["2020"].index).between(-8, 8).all()


def test_as_of_cuts_work_on_demo_data(store):
    view = store.as_of(date(2025, 2, 7))
    when, value = view.last("ust10y")
    assert when == pd.Timestamp("2025-02-06")  # public the next business day
    assert 0 < value < 10
    assert view.last("mspd_bills")[0] == pd.Timestamp("2025-01-31")
    assert view.last("cpi")[0] <= pd.Timestamp("2025-01-01")
    assert view.last("gdp_growth")[0] == pd.Timestamp("2024-10-01")


def test_the_stamp_skips_a_second_write(demo_dir):
    before = {path: path.stat().st_mtime_ns for path in demo_dir.rglob("*") if path.is_file()}
    started = time.perf_counter()
    write_demo_data(demo_dir)
    assert time.perf_counter() - started < 0.5
    assert before == {path: path.stat().st_mtime_ns for path in demo_dir.rglob("*") if path.is_file()}
    assert (demo_dir / STAMP_FILE).read_text().strip() == demo_version()
    assert "SYNTHETIC" in (demo_dir / README_FILE).read_text()


def test_a_new_seed_or_a_missing_file_rewrites(tmp_path):
    specs = (CATALOGUE["ust10y"], CATALOGUE["gdp_growth"])
    folder = write_demo_data(tmp_path / "demo", specs)
    first = _digests(folder)
    (folder / CATALOGUE["ust10y"].file).unlink()
    assert _digests(write_demo_data(folder, specs)) == first
    assert _digests(write_demo_data(folder, specs, seed=11)) != first


def test_default_demo_dir_is_versioned(tmp_path):
    folder = default_demo_dir(tmp_path)
    assert folder.parent == tmp_path
    assert folder.name == f"demo-{demo_version()[:12]}"


@pytest.mark.parametrize(
    ("publisher", "unit", "frequency"),
    [
        ("fred", "$bn", "weekly"),
        ("fred", "index", "monthly"),
        ("fred", "%", "quarterly"),
        ("ecb", "%", "daily"),
        ("fiscal_data", "months", "monthly"),
    ],
)
def test_unknown_entries_get_a_generic_model(publisher, unit, frequency, caplog):
    spec = replace(
        CATALOGUE["cpi" if publisher == "fred" else "tga"],
        key=f"zz_unknown_{frequency}",
        publisher=publisher,
        code="ZZ_NOT_A_MODEL_SERIES",
        unit=unit,
        frequency=frequency,
        scale=1.0,
    )
    with caplog.at_level(logging.INFO, logger="generator.demo"):
        frame = generate_demo_frames((spec,))[spec.key]
    assert spec.key in caplog.text
    assert len(frame) > 10
    assert frame["value"].notna().all()
    if unit != "%":
        assert (frame["value"] > 0).all()


def test_known_codes_reuse_the_model(everything):
    """A context entry with another tenor of a modelled curve gets values from that curve."""
    spec = replace(CATALOGUE["ust10y"], key="ust3y", code="DGS3", file="fred/DGS3.csv", used_by=("ctx",))
    frame = generate_demo_frames((spec,))["ust3y"].set_index("date")["value"]
    ust2y, ust5y = everything.series("ust2y"), everything.series("ust5y")
    low = np.minimum(ust2y, ust5y).reindex(frame.index) - 0.011
    high = np.maximum(ust2y, ust5y).reindex(frame.index) + 0.011
    inside = frame.between(low, high)
    assert inside.all()
    encoded = publisher_module(spec).encode({"ust3y": frame.reset_index()}, [spec])
    assert encoded.startswith(b"observation_date,DGS3")


def test_whole_catalogue_generates_quickly():
    started = time.perf_counter()
    frames = generate_demo_frames(SERIES)
    assert time.perf_counter() - started < 5
    assert set(frames) == set(CATALOGUE)


def test_older_demo_versions_are_removed(tmp_path):
    from generator.data import DEMO, DataRequest, data_folder

    stale = tmp_path / "demo-000000000000"
    stale.mkdir()
    (stale / "x.csv").write_text("old", encoding="utf-8")
    folder = data_folder(DataRequest(DEMO, cache_dir=tmp_path))
    assert folder.is_dir()
    assert not stale.exists()
