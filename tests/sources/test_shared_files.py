"""Every file in ../shared/data is read by the project's code (issue 3: "Every file in ../shared/data
parses").

Each file other than the ``*.md`` notes must be accounted for in one of these ways:

(a) a catalogue entry's ``variants`` match it, and ``read_file`` gives a non-empty frame;
(b) :data:`EXPLICIT_READS` names a catalogue entry (or a variant of one with another ``code``) whose
    adapter reads a layout the catalogue does not list;
(c) it is a ``.parquet`` twin of a ``.csv`` that (a) or (b) reads, with the same content;
(d) it is an analyst input read by :mod:`generator.inputs` (:data:`ANALYST_INPUTS`).

A file that appears in the folder and is read by none of these fails
:func:`test_every_shared_file_is_read`, which names it: give it a reader, or list it here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE, SERIES, SeriesSpec
from generator.inputs import read_refunding, read_tariff_scenarios
from generator.sources import read_file
from tests.conftest import SHARED_DATA

#: (b) file → (catalogue key, fields replaced in its entry): layouts the adapters read outside the catalogue
EXPLICIT_READS: dict[str, tuple[tuple[str, dict[str, str]], ...]] = {
    # the computed WAM of MSPD Table III (years × 12), not Treasury's published figure
    "debt/durationmonitor_wam.csv": (("wam_months", {"code": "our_months"}),),
    # a hand-transcribed five-date cross-check of the WAM (years × 12)
    "debt/marketplumbing_duration_supply_WAM.csv": (("wam_months", {"code": "wam_total_years"}),),
    # one month of MSPD Table III, CUSIP by CUSIP, summed by class (= Table I)
    "debt/durationmonitor_securities_detail_latest.csv": (
        ("mspd_bills", {}),
        ("mspd_notes", {}),
        ("mspd_tips", {}),
        ("mspd_frn", {}),
    ),
    # a FRED client's cache of 33 series: the catalogue reads it after the plain CSVs for CPI, PCE, SOFR and
    # the Fed's rates (it extends them); these series of it it does not need (later CSVs cover them)
    "macro/fred_cache_jonsflow_20260821.json": (
        ("ust10y", {}),
        ("spread_10y2y", {}),
    ),
    # the refunding capture's second amount column
    "debt/qrawatch_official_qra_capture.csv": (
        ("qra_financing_need_bn", {"key": "qra_net_bill_issuance_bn", "code": "net_bill_issuance_bn"}),
    ),
}

#: (d) analyst inputs in the shared folder → the reader of generator.inputs
ANALYST_INPUTS: dict[str, Callable[[Path], tuple]] = {
    "macro/piie_tariff_scenarios_text_figures.csv": read_tariff_scenarios,
    "debt/durationmonitor_qra_log.csv": read_refunding,
}


def _shared_files() -> list[str]:
    """Return every file of the shared folder except the ``*.md`` notes, as relative POSIX paths."""
    if not SHARED_DATA.is_dir():
        return []
    return sorted(
        path.relative_to(SHARED_DATA).as_posix()
        for path in SHARED_DATA.rglob("*")
        if path.is_file() and path.suffix != ".md"
    )


@cache
def _catalogue_matches() -> dict[str, tuple[SeriesSpec, ...]]:
    """Return (a): shared file → the catalogue entries whose ``variants`` match it."""
    found: dict[str, list[SeriesSpec]] = {}
    for spec in SERIES:
        for pattern in spec.variants:
            for path in SHARED_DATA.glob(pattern):
                found.setdefault(path.relative_to(SHARED_DATA).as_posix(), []).append(spec)
    return {name: tuple(dict.fromkeys(specs)) for name, specs in found.items()}


def _explicit_specs(name: str) -> list[SeriesSpec]:
    return [replace(CATALOGUE[key], **changes) for key, changes in EXPLICIT_READS.get(name, ())]


def _twin(name: str) -> str | None:
    """Return the ``.csv`` twin of a ``.parquet`` file, if the folder has one."""
    if not name.endswith(".parquet"):
        return None
    csv = name.removesuffix(".parquet") + ".csv"
    return csv if (SHARED_DATA / csv).is_file() else None


def _readers(name: str) -> list[str]:
    """Return how the project reads the shared file ``name`` (empty: nothing reads it)."""
    ways = [f"catalogue {spec.key}" for spec in _catalogue_matches().get(name, ())]
    ways += [f"explicit {spec.key} ({spec.code})" for spec in _explicit_specs(name)]
    twin = _twin(name)
    if twin and _readers(twin):
        ways.append(f"parquet twin of {twin}")
    if name in ANALYST_INPUTS:
        ways.append(f"analyst input ({ANALYST_INPUTS[name].__name__})")
    return ways


FILES = _shared_files()


def test_every_shared_file_is_read(shared_data):
    unread = [name for name in FILES if not _readers(name)]
    assert not unread, (
        f"nothing in the project reads {', '.join(unread)}: give each a reader (a catalogue variant, "
        "an adapter layout) or list it in tests/sources/test_shared_files.py"
    )


def test_a_file_nothing_reads_is_reported(tmp_path, monkeypatch):
    """The check itself, on a synthetic folder: known names are read, a new one is not (no real data)."""
    for name in (
        "yields/fred_DGS10.csv",
        "debt/durationmonitor_wam.csv",
        "debt/durationmonitor_wam.parquet",
        "debt/orphan.parquet",
        "macro/new_source.csv",
        "macro/PROVENANCE.md",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("synthetic\n")
    monkeypatch.setattr(sys.modules[__name__], "SHARED_DATA", tmp_path)
    _catalogue_matches.cache_clear()
    try:
        assert _readers("yields/fred_DGS10.csv") == ["catalogue ust10y"]
        assert (
            _readers("debt/durationmonitor_wam.parquet")[-1] == "parquet twin of debt/durationmonitor_wam.csv"
        )
        assert _readers("debt/orphan.parquet") == []
        assert _readers("macro/new_source.csv") == []
    finally:
        monkeypatch.undo()
        _catalogue_matches.cache_clear()


def test_the_tables_name_existing_files(shared_data):
    listed = [*EXPLICIT_READS, *ANALYST_INPUTS]
    assert [name for name in listed if not (shared_data / name).is_file()] == []


# --- (a) and (b): the adapters


@pytest.mark.parametrize(
    "name", [name for name in FILES if name in _catalogue_matches()] if FILES else [None]
)
def test_catalogue_variants_parse(shared_data, name):
    path = shared_data / name
    raw = path.read_bytes()
    for spec in _catalogue_matches()[name]:
        frame = read_file(path, spec, raw=raw)
        assert not frame.empty, f"{name} gives no {spec.key}"
        assert frame["value"].notna().all()


@pytest.mark.parametrize("name", sorted(EXPLICIT_READS))
def test_explicit_layouts_parse(shared_data, name):
    path = shared_data / name
    raw = path.read_bytes()
    for spec in _explicit_specs(name):
        frame = read_file(path, spec, raw=raw)
        assert not frame.empty, f"{name} gives no {spec.key}"


def _value(name: str, entry: str, day: str, **changes: str) -> float:
    """Return the value on ``day`` of catalogue entry ``entry`` (``changes`` replaced) in ``name``."""
    spec = replace(CATALOGUE[entry], **changes)
    frame = read_file(SHARED_DATA / name, spec)
    return float(frame.set_index("date").loc[pd.Timestamp(day), "value"])


def test_explicit_layouts_spot_checks(shared_data):
    # PROVENANCE.md: computed WAM Jan 2025 5.865 years; cross-check wam_total_years 5.89 at 2023-12-31
    assert _value("debt/durationmonitor_wam.csv", "wam_months", "2025-01-31", code="our_months") == (
        pytest.approx(5.865 * 12, abs=0.01)
    )
    cross_check = "debt/marketplumbing_duration_supply_WAM.csv"
    assert _value(cross_check, "wam_months", "2023-12-31", code="wam_total_years") == pytest.approx(5.89 * 12)
    assert (
        len(read_file(shared_data / cross_check, replace(CATALOGUE["wam_months"], code="wam_total_years")))
        == 5
    )
    # the FRED cache agrees with the plain CSVs on common dates (PROVENANCE.md), and ends in Aug 2026
    cache_file = "macro/fred_cache_jonsflow_20260821.json"
    cpi_csv = read_file(shared_data / "macro/CPIAUCSL_jonsflow.csv", CATALOGUE["cpi"]).set_index("date")[
        "value"
    ]
    cpi_cache = read_file(shared_data / cache_file, CATALOGUE["cpi"]).set_index("date")["value"]
    common = cpi_csv.index.intersection(cpi_cache.index)
    assert len(common) > 50
    assert (cpi_csv[common] - cpi_cache[common]).abs().max() < 1e-9
    assert _value(cache_file, "ust10y", "2026-08-20") == 4.69
    # the capture's net bill issuance
    capture = "debt/qrawatch_official_qra_capture.csv"
    bills = {"key": "qra_net_bill_issuance_bn", "code": "net_bill_issuance_bn"}
    assert _value(capture, "qra_financing_need_bn", "2025-04-01", **bills) == pytest.approx(-371.653)


def test_boj_call_rate_is_read_through_its_catalogue_variant(shared_data):
    # BoJ's overnight call rate (FM01 STRDCLUCON) in the mirrored OHLCV layout: 2025-01-31 = 0.477
    name = "international/g8pipeline_TONA.csv"
    assert [spec.key for spec in _catalogue_matches()[name]] == ["tona"]
    assert _value(name, "tona", "2025-01-31") == 0.477


def test_fred_cache_names_a_series_it_lacks(shared_data):
    from generator.errors import DataError

    with pytest.raises(DataError, match=r"\[ust2y\].*fred_cache_jonsflow_20260821.json.*no series DGS2"):
        read_file(shared_data / "macro/fred_cache_jonsflow_20260821.json", CATALOGUE["ust2y"])


# --- the new catalogue entries on the shared files


def test_refunding_capture_spot_checks(shared_data):
    frame = read_file(
        shared_data / "debt/qrawatch_official_qra_capture.csv", CATALOGUE["qra_financing_need_bn"]
    )
    rows = frame.set_index("date")
    assert len(frame) == 68
    # PROVENANCE.md: 2025Q2 $123bn (3 Feb 2025 estimate, statement of 5 Feb); 2025Q1 $823bn (28 Oct 2024)
    assert rows.loc[pd.Timestamp("2025-04-01"), "value"] == 123.0
    assert rows.loc[pd.Timestamp("2025-04-01"), "published"] == pd.Timestamp("2025-02-05")
    assert rows.loc[pd.Timestamp("2025-01-01"), "value"] == 823.0
    assert rows.loc[pd.Timestamp("2009-01-01"), "value"] == 493.0


def test_z1_and_fomc_spot_checks(shared_data):
    z1 = read_file(
        shared_data / "debt/tsyparty_z1_treasury_holdings_by_sector.csv", CATALOGUE["z1_foreign_holdings"]
    )
    assert len(z1) == 303
    assert z1.set_index("date").loc[pd.Timestamp("2025-12-31"), "value"] == 9_224_367.0  # $mn
    assert CATALOGUE["z1_foreign_holdings"].scale == 0.001
    fomc = CATALOGUE["fomc_decisions"]
    full = read_file(shared_data / "macro/fomc_dates_2015_2026.csv", fomc)
    short = read_file(shared_data / "macro/fomc_dates_2021_2025.csv", fomc)
    assert len(full) == 97
    assert len(short) == 40
    assert set(short["date"]) <= set(full["date"])  # PROVENANCE.md: a subset
    assert {pd.Timestamp("2020-03-03"), pd.Timestamp("2020-03-15")} <= set(full["date"])
    assert (full["value"] == 1.0).all()


# --- (c) parquet twins


def _as_in_csv(parquet: pd.DataFrame, csv: pd.DataFrame) -> pd.DataFrame:
    """Return the CSV's columns with the parquet's types: dates parsed (UTC where the parquet has a zone)."""
    out = csv.copy()
    for column in parquet.columns:
        kind = parquet[column].dtype
        if isinstance(kind, pd.DatetimeTZDtype):
            out[column] = pd.to_datetime(out[column], utc=True).dt.tz_convert(kind.tz)
        elif pd.api.types.is_datetime64_dtype(kind):
            out[column] = pd.to_datetime(out[column])
    return out


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with categoricals as text and every date column at nanosecond resolution."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
        elif isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.as_unit("ns")
        elif pd.api.types.is_datetime64_dtype(out[column].dtype):
            out[column] = out[column].astype("datetime64[ns]")
    return out


TWINS = [name for name in FILES if _twin(name)] if FILES else [None]


@pytest.mark.parametrize("name", TWINS)
def test_parquet_twins_equal_their_csv(shared_data, name):
    parquet = pd.read_parquet(shared_data / name)
    csv = pd.read_csv(shared_data / _twin(name), float_precision="round_trip")
    assert list(parquet.columns) == list(csv.columns)
    pd.testing.assert_frame_equal(
        _normalised(parquet), _normalised(_as_in_csv(parquet, csv)), check_dtype=False, check_exact=True
    )


# --- (d) analyst inputs


def test_piie_transcription_reads_as_tariff_scenarios(shared_data):
    rows = read_tariff_scenarios(shared_data / "macro/piie_tariff_scenarios_text_figures.csv")
    assert len(rows) == 7
    losses = {(row.country, row.scenario): row.gdp_loss_bn for row in rows if row.gdp_loss_bn is not None}
    assert {200.0, 55.0} <= set(losses.values())
    assert not any(row.demo for row in rows)


def test_refunding_log_reads_as_refunding_statements(shared_data):
    (statement,) = read_refunding(shared_data / "debt/durationmonitor_qra_log.csv")
    assert (statement.quarter, statement.net_borrowing_current_q_bn, statement.net_borrowing_next_q_bn) == (
        "2023Q4",
        776.0,
        816.0,
    )
    assert statement.tga_end_current_q_bn == 750.0
    assert statement.tga_end_next_q_bn is None
    assert statement.citation.startswith("https://home.treasury.gov/")


def test_the_fred_cache_extends_cpi_pce_and_the_target_range_to_the_summer_of_2026(shared_data):
    from generator.store import load_store

    keys = ("cpi", "core_pce", "fed_target_upper", "fomc_decisions")
    loaded = load_store(shared_data, tuple(CATALOGUE[key] for key in keys))
    view = loaded.as_of(date(2026, 7, 17))
    # June CPI (out 14-15 July) and May PCE, not the April values the CSVs end with
    assert view.last("cpi")[0] == pd.Timestamp("2026-06-01")
    assert view.last("core_pce")[0] == pd.Timestamp("2026-05-01")
    cpi = view.observation("cpi", pd.Timestamp("2026-06-01"))
    assert cpi.file.endswith("fred_cache_jonsflow_20260821.json")
    assert view.vintage(cpi) == "revised (file of 2026-08-21)"  # the cache holds that day's vintage
    # the range reaches past the June decision, so it can be quoted
    assert view.last("fed_target_upper") == (pd.Timestamp("2026-07-17"), 3.75)
    # the CSV wins where both hold a month (PCE's cache has revised 2026-01 to 2026-04)
    assert view.observation("core_pce", pd.Timestamp("2026-04-01")).file.endswith("PCEPILFE_jonsflow.csv")
