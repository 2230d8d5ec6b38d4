"""Office of Financial Research, Money Market Fund Monitor (built from SEC Form N-MFP): money-market
funds' Treasury holdings, total investments and Treasury-backed repo, month-end.

Formats read:
- the OFR API's JSON (live): a list of ``[date, value]`` pairs, dates ``YYYY-MM-DD``, values in
  **dollars**, ``null`` for a month without a value.
- ``as_of,value`` copies (``OFR_MMF_*_bn_monthly.csv``), rounded to $0.1bn: converted here to
  dollars, the API's unit (the catalogue's ``scale`` of 1e-9 then gives $bn for every format).
- a CSV whose value column is headed with the mnemonic (``date,<MNEMONIC>``), in dollars.

Live: ``https://data.financialresearch.gov/v1/series/timeseries?mnemonic=<MNEMONIC>`` (no key).
"""

from __future__ import annotations

import json

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import decode_text, read_csv_text, to_dates, to_numbers
from generator.sources.http import HttpClient

TIMESERIES = "https://data.financialresearch.gov/v1/series/timeseries"
USD_PER_BN = 1e9
MISSING = ("null", "NA", "nan", "NaN")


def _pairs(text: str, spec: SeriesSpec, origin: str, error: type[Exception]) -> list[list]:
    """Return the API's ``[[date, value], …]`` list; ``error`` is raised for anything else."""
    try:
        pairs = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc}", file=origin, line=exc.lineno, series=spec.key) from exc
    if not isinstance(pairs, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        raise error(
            "not an OFR time series (expected a list of [date, value] pairs)", file=origin, series=spec.key
        )
    return pairs


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse the API's JSON or a CSV copy into date, value in dollars."""
    text = decode_text(raw, spec, origin)
    if text.lstrip().startswith(("[", "{")):
        table = pd.DataFrame(_pairs(text, spec, origin, DataError), columns=["date", "value"], dtype="string")
        dates, values, factor = table["date"], table["value"], 1.0
    else:
        table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
        table.columns = [str(column).strip() for column in table.columns]
        if list(table.columns[:2]) == ["as_of", "value"]:
            factor = USD_PER_BN
        elif len(table.columns) >= 2 and table.columns[1] == spec.code:
            factor = 1.0
        else:
            raise DataError(
                f"expected columns as_of,value or date,{spec.code}; got {', '.join(table.columns[:4])}",
                file=origin,
                series=spec.key,
            )
        dates, values = table[table.columns[0]], table[table.columns[1]]
    frame = pd.DataFrame(
        {
            "date": to_dates(dates.str.strip(), spec, origin, fmt="ISO8601"),
            "value": to_numbers(values, spec, origin, missing=MISSING) * factor,
        }
    )
    return frame.dropna()  # a month listed twice is judged by the validate stage


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download one series' JSON and check that it is a complete list of pairs."""
    (spec,) = specs  # one file per mnemonic
    raw = http.get(TIMESERIES, source=spec.key, params={"mnemonic": spec.code})
    _pairs(decode_text(raw, spec, TIMESERIES), spec, TIMESERIES, SourceError)
    return raw


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the API's JSON: ``[["YYYY-MM-DD", value], …]`` in date order, dollars, ``null`` for gaps."""
    (spec,) = specs
    frame = frames[spec.key].sort_values("date")
    pairs = [
        [pd.Timestamp(day).strftime("%Y-%m-%d"), None if pd.isna(value) else float(value)]
        for day, value in zip(frame["date"], frame["value"], strict=True)
    ]
    return json.dumps(pairs, separators=(",", ":")).encode("utf-8")
