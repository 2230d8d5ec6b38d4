"""FRED (Federal Reserve Bank of St. Louis): H.15 yields, OECD monthly rates, CPI/PCE, the Fed's
target range, GDP growth.

Formats read:
- fredgraph CSV (live, no key): ``observation_date,<ID>``; empty cells (older files: ``.``) are gaps.
- two-column copies with other headers (``date,value``, ``Date,Value``, ``,<ID>``) and wide FRED
  downloads with several IDs as columns (the spec's code picks the column).
- the FRED API's JSON (``observations[].{date,value,realtime_start}``); when it carries several
  vintages (ALFRED, ``realtime_start`` differs per date) each row's release date becomes ``published``.
- release-vintage tables (``quarter,estimate,release_date,…,fred_series_id,value``): rows of the
  spec's code, dated by quarter, published on ``release_date``.
- a client's cache of several series (``fred_cache_*.json``): ``{"fetched_at": …, "observed_at": {ID:
  date}, "series": {ID: [["YYYY-MM-DD", value], …]}}``; the spec's code picks the series. ``observed_at``
  dates only the newest value of each series, so no ``published`` column is made.

Live: fredgraph CSV; with ``FRED_API_KEY`` in the environment, revisable series (monthly, quarterly)
come from the API with every vintage (ALFRED), so point-in-time builds see first releases.
"""

from __future__ import annotations

import json
import os

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError
from generator.sources.formats import (
    decode_text,
    pick_value_column,
    read_csv_text,
    require_complete_text,
    source_lines,
    to_dates,
    to_numbers,
    write_csv,
)
from generator.sources.http import HttpClient

FREDGRAPH_CSV = "https://fred.stlouisfed.org/graph/fredgraph.csv"
FRED_API = "https://api.stlouisfed.org/fred/series/observations"
MISSING = (".", "#N/A", "NA")
REVISABLE = ("monthly", "quarterly")


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse any FRED layout listed in the module docstring into date, value[, published]."""
    text = decode_text(raw, spec, origin)
    if text.lstrip().startswith("{"):
        document = _parse_json(text, spec, origin)
        if isinstance(document, dict) and "series" in document and "observations" not in document:
            return _read_cache_json(document, spec, origin)
        return _read_api_json(document, spec, origin)
    table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
    columns = [str(column).strip() for column in table.columns]
    table.columns = columns
    if {"release_date", "fred_series_id", "value", "quarter"} <= set(columns):
        return _read_vintage_table(table, spec, origin)
    value_column = pick_value_column(columns, spec, origin)
    return pd.DataFrame(
        {
            "date": to_dates(table[columns[0]].str.strip(), spec, origin),
            "value": to_numbers(table[value_column], spec, origin, missing=MISSING),
        }
    ).dropna()


def _parse_json(text: str, spec: SeriesSpec, origin: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc}", file=origin, line=exc.lineno, series=spec.key) from exc


def _read_api_json(document: object, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    try:
        observations = document["observations"]  # type: ignore[index]
        table = pd.DataFrame(observations, columns=["date", "value", "realtime_start"], dtype=str)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"not a FRED API response: {exc}", file=origin, series=spec.key) from exc
    frame = pd.DataFrame(
        {
            "date": to_dates(table["date"], spec, origin),
            "value": to_numbers(table["value"], spec, origin, missing=MISSING),
        }
    )
    starts = table["realtime_start"].dropna()
    if not starts.empty and starts.nunique() > 1:
        frame["published"] = to_dates(table["realtime_start"], spec, origin)
    return frame.dropna(subset=["value"])


def _read_cache_json(document: dict, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the series ``spec.code`` of a cache ``{"series": {ID: [[date, value], …]}}``."""
    series = document["series"]
    if not isinstance(series, dict) or spec.code not in series:
        held = ", ".join(sorted(series)[:12]) if isinstance(series, dict) else "none"
        raise DataError(
            f"the FRED cache holds no series {spec.code} (it holds {held})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    pairs = series[spec.code]
    if not isinstance(pairs, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        raise DataError(
            f"series {spec.code} of the FRED cache is not a list of [date, value] pairs",
            file=origin,
            series=spec.key,
        )
    table = pd.DataFrame(
        {
            "date": pd.Series([pair[0] for pair in pairs], dtype="string"),
            "value": pd.Series(["" if pair[1] is None else str(pair[1]) for pair in pairs], dtype="string"),
        }
    )
    return pd.DataFrame(
        {
            "date": to_dates(table["date"].str.strip(), spec, origin, fmt="%Y-%m-%d"),
            "value": to_numbers(table["value"], spec, origin, missing=MISSING),
        }
    ).dropna()


def _read_vintage_table(table: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    rows = table[table["fred_series_id"].str.strip() == spec.code]
    quarters = pd.PeriodIndex(rows["quarter"].str.strip(), freq="Q")
    return pd.DataFrame(
        {
            "date": quarters.to_timestamp(how="start"),
            "value": to_numbers(rows["value"], spec, origin).to_numpy(),
            "published": to_dates(rows["release_date"].str.strip(), spec, origin).to_numpy(),
            **source_lines(rows),
        }
    )


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download one FRED series: API with all vintages when a key is set and the series is revisable."""
    (spec,) = specs  # one file per FRED code
    api_key = os.environ.get("FRED_API_KEY", "").strip()
    if api_key and spec.frequency in REVISABLE:
        return http.get(
            FRED_API,
            source=spec.key,
            params={
                "series_id": spec.code,
                "api_key": api_key,
                "file_type": "json",
                "realtime_start": "1776-07-04",
                "realtime_end": "9999-12-31",
            },
        )
    raw = http.get(FREDGRAPH_CSV, source=spec.key, params={"id": spec.code})
    return require_complete_text(raw, spec, FREDGRAPH_CSV)


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write a fredgraph CSV (``observation_date,<ID>``, empty cells for gaps)."""
    (spec,) = specs
    frame = frames[spec.key]
    out = pd.DataFrame({"observation_date": frame["date"].dt.strftime("%Y-%m-%d"), spec.code: frame["value"]})
    return write_csv(out)
