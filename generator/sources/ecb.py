"""European Central Bank Data API: €STR, the AAA yield curve, long-term convergence yields, euro
reference exchange rates.

Formats read:
- SDMX ``csvdata`` (live): header ``KEY,FREQ,<dimensions…>,TIME_PERIOD,OBS_VALUE,OBS_STATUS,…`` (the
  dimensions and attributes differ by dataflow, so columns are found by name), CRLF, quoted titles.
  ``TIME_PERIOD`` is ``YYYY-MM-DD`` (daily, business), ``YYYY-MM`` (monthly: the first of the month, as
  FRED dates monthly series), ``YYYY-Qn`` or ``YYYY``. Rows of other series keys are ignored; empty
  ``OBS_VALUE`` and ``NaN`` are gaps.
- the euro reference rates file ``eurofxref-hist.csv``: ``Date,USD,JPY,…,`` (a trailing comma on every
  line), newest first, ``N/A`` for no rate; the currency of the spec's ``EXR`` code picks the column.
- mirrored OHLCV copies (``DATE,OPEN,HIGH,LOW,CLOSE,VOLUME``): the value is ``CLOSE``.

Live: ``https://data-api.ecb.europa.eu/service/data/<FLOW>/<KEY>?format=csvdata``; the spec's code is
``<FLOW>.<KEY>`` (``EST.B.EU000A2X2A25.WT`` → flow ``EST``, key ``B.EU000A2X2A25.WT``).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError
from generator.sources import fred
from generator.sources.formats import decode_text, is_ohlcv, read_ohlcv, require_complete_text
from generator.sources.http import HttpClient

DATA_URL = "https://data-api.ecb.europa.eu/service/data/{flow}/{key}"
MISSING = ("", "NaN", "N/A", "NA")

#: dimension columns of the csvdata layout, after KEY (the key's parts in order), by dataflow
DIMENSIONS = {
    "EST": ("FREQ", "BENCHMARK_ITEM", "DATA_TYPE_EST"),
    "YC": ("FREQ", "REF_AREA", "CURRENCY", "PROVIDER_FM", "INSTRUMENT_FM", "PROVIDER_FM_ID", "DATA_TYPE_FM"),
    "FM": ("FREQ", "REF_AREA", "CURRENCY", "PROVIDER_FM", "INSTRUMENT_FM", "PROVIDER_FM_ID", "DATA_TYPE_FM"),
    "IRS": (
        "FREQ",
        "REF_AREA",
        "IR_TYPE",
        "TR_TYPE",
        "MATURITY_CAT",
        "BS_COUNT_SECTOR",
        "CURRENCY_TRANS",
        "IR_BUS_COV",
        "IR_FV_TYPE",
    ),
    "EXR": ("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"),
}
_FM_ATTRIBUTES = (
    "OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,"
    "FM_CONTRACT_TIME,FM_COUPON_RATE,FM_IDENTIFIER,FM_LOT_SIZE,FM_MATURITY,FM_OUTS_AMOUNT,FM_PUT_CALL,"
    "FM_STRIKE_PRICE,PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,SOURCE_AGENCY,SOURCE_PUB,"
    "TITLE,TITLE_COMPL,UNIT,UNIT_MULT"
)
#: attribute columns after OBS_VALUE, by dataflow (as the API serves them)
ATTRIBUTES = {
    "EST": (
        "OBS_STATUS,CONF_STATUS,PRE_BREAK_VALUE,COMMENT_OBS,CALCUL_START_DATE,CALCUL_END_DATE,TIME_FORMAT,BREAKS,"
        "COMMENT_TS,COMPILING_ORG,COVERAGE,DATA_COMP,DECIMALS,DISS_ORG,PUBL_ECB,PUBL_MU,PUBL_PUBLIC,"
        "TIME_PER_COLLECT,TITLE,TITLE_COMPL,UNIT_INDEX_BASE,UNIT_MEASURE,UNIT_MULT"
    ).split(","),
    "YC": _FM_ATTRIBUTES.split(","),
    "FM": _FM_ATTRIBUTES.split(","),
    "IRS": (
        "OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,"
        "PUBL_ECB,PUBL_MU,PUBL_PUBLIC,COMPILATION,COVERAGE,DECIMALS,NAT_TITLE,SOURCE_AGENCY,TITLE,TITLE_COMPL,"
        "UNIT,UNIT_MULT"
    ).split(","),
    "EXR": (
        "OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,"
        "PUBL_ECB,PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,NAT_TITLE,SOURCE_AGENCY,"
        "SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT"
    ).split(","),
}
_GENERIC_ATTRIBUTES = ["OBS_STATUS", "OBS_CONF", "TIME_FORMAT", "TITLE", "UNIT", "UNIT_MULT"]
_TIME_FORMATS = {"M": "P1M", "Q": "P3M", "A": "P1Y"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^\d{4}$")


def split_code(code: str) -> tuple[str, str]:
    """Return (flow, key) of a spec code ``<FLOW>.<KEY>``."""
    flow, _, key = code.partition(".")
    return flow, key


def period_start(text: str) -> pd.Timestamp | None:
    """Return the first day of an SDMX period (``2025-01-31``, ``2025-01``, ``2025-Q1``, ``2025``) or None."""
    text = text.strip()
    if _DAY.match(text):
        return pd.Timestamp(text)
    if _MONTH.match(text):
        return pd.Timestamp(f"{text}-01")
    quarter = _QUARTER.match(text)
    if quarter:
        return pd.Timestamp(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 1)
    if _YEAR.match(text):
        return pd.Timestamp(int(text), 1, 1)
    return None


def _records(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]


def _number(cell: str, spec: SeriesSpec, origin: str, line: int) -> float | None:
    text = cell.strip()
    if text in MISSING:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise DataError(f"not a number: {text!r}", file=origin, line=line, series=spec.key) from exc


def _read_csvdata(records: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> pd.DataFrame:
    header = [cell.strip().lstrip("\ufeff") for cell in records[0][1]]
    period_at, value_at = header.index("TIME_PERIOD"), header.index("OBS_VALUE")
    key_at = header.index("KEY") if "KEY" in header else None
    dates: list[pd.Timestamp] = []
    values: list[float] = []
    lines: list[int] = []
    other_keys: set[str] = set()
    for line, row in records[1:]:
        if len(row) != len(header):
            raise DataError(
                f"row has {len(row)} cells, expected {len(header)}", file=origin, line=line, series=spec.key
            )
        day = period_start(row[period_at])
        if day is None:
            raise DataError(f"not a period: {row[period_at]!r}", file=origin, line=line, series=spec.key)
        value = _number(row[value_at], spec, origin, line)  # rows of other series must be sound too
        if key_at is not None and row[key_at].strip() != spec.code:
            other_keys.add(row[key_at].strip())
        elif value is not None:
            dates.append(day)
            values.append(value)
            lines.append(line)
    if not dates and other_keys:
        raise DataError(
            f"no rows of {spec.code} (the file holds {sorted(other_keys)[:3]})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    return pd.DataFrame({"date": pd.DatetimeIndex(dates), "value": values, "line": lines})


def _reference_date(cell: str) -> pd.Timestamp | None:
    """Return the date of a reference-rate row (``2025-05-09``, or ``09 May 2025`` in the daily file)."""
    text = cell.strip()
    if _DAY.match(text):
        return pd.Timestamp(text)
    try:
        return pd.Timestamp(datetime.strptime(text, "%d %B %Y"))
    except ValueError:
        return None


def _read_eurofxref(records: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> pd.DataFrame:
    header = [cell.strip().lstrip("\ufeff") for cell in records[0][1]]
    flow, key = split_code(spec.code)
    parts = key.split(".")
    if flow != "EXR" or len(parts) < 3 or parts[2] != "EUR":
        raise DataError(f"{spec.code} is not a euro reference rate", file=origin, series=spec.key)
    if parts[1] not in header:
        raise DataError(f"no column {parts[1]} among {header[:8]}", file=origin, line=1, series=spec.key)
    column = header.index(parts[1])
    dates: list[pd.Timestamp] = []
    values: list[float] = []
    lines: list[int] = []
    for line, row in records[1:]:
        if len(row) != len(header):
            raise DataError(
                f"row has {len(row)} cells, expected {len(header)}", file=origin, line=line, series=spec.key
            )
        day = _reference_date(row[0])
        if day is None:
            raise DataError(f"not a date: {row[0]!r}", file=origin, line=line, series=spec.key)
        value = _number(row[column], spec, origin, line)
        if value is not None:
            dates.append(day)
            values.append(value)
            lines.append(line)
    frame = pd.DataFrame({"date": pd.DatetimeIndex(dates), "value": values, "line": lines})
    return frame.sort_values("date")


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (the series' own unit: % p.a., or currency units per euro) of the spec's series."""
    text = decode_text(raw, spec, origin)
    if is_ohlcv(text):
        return read_ohlcv(text, spec, origin)
    try:
        records = _records(text)
    except csv.Error as exc:
        raise DataError(f"cannot parse as CSV: {exc}", file=origin, series=spec.key) from exc
    if not records:
        raise DataError(
            "empty file", file=origin, series=spec.key, hint="the ECB sends an empty body when no data"
        )
    header = {cell.strip().lstrip("\ufeff") for cell in records[0][1]}
    if {"TIME_PERIOD", "OBS_VALUE"} <= header:
        return _read_csvdata(records, spec, origin)
    if "Date" in header:
        return _read_eurofxref(records, spec, origin)
    if len(records[0][1]) == 2:
        # a FRED copy of the same ECB statistic (OECD long-term rate = ECB convergence rate)
        return fred.read(raw, spec, origin)
    raise DataError(
        "neither ECB csvdata (TIME_PERIOD, OBS_VALUE) nor a reference-rate table (Date, USD, …)",
        file=origin,
        line=1,
        series=spec.key,
    )


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download one series as SDMX csvdata from the ECB Data API."""
    (spec,) = specs  # one file per series key
    flow, key = split_code(spec.code)
    url = DATA_URL.format(flow=flow, key=key)
    raw = http.get(url, source=spec.key, params={"format": "csvdata"})
    return require_complete_text(raw, spec, url)


def _period(day: pd.Timestamp, freq: str) -> str:
    if freq == "M":
        return f"{day:%Y-%m}"
    if freq == "Q":
        return f"{day.year}-Q{day.quarter}"
    if freq == "A":
        return f"{day.year}"
    return f"{day:%Y-%m-%d}"


def _attribute(name: str, spec: SeriesSpec, freq: str) -> str:
    values = {
        "OBS_STATUS": "A",
        "OBS_CONF": "F",
        "CONF_STATUS": "F",
        "TIME_FORMAT": _TIME_FORMATS.get(freq, "P1D"),
        "TITLE": spec.label_en,
        "UNIT": "PC" if spec.unit == "%" else spec.code.split(".")[2],
        "UNIT_MEASURE": "PC",
        "UNIT_MULT": "0",
    }
    return values.get(name, "")


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write SDMX csvdata as the ECB Data API serves it (CRLF, the flow's dimensions and attributes)."""
    (spec,) = specs
    flow, key = split_code(spec.code)
    parts = key.split(".")
    dimensions = DIMENSIONS.get(flow, tuple(f"DIM_{n}" for n in range(len(parts))))
    attributes = ATTRIBUTES.get(flow, _GENERIC_ATTRIBUTES)
    freq = parts[0]
    frame = frames[spec.key].dropna(subset=["value"]).sort_values("date")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["KEY", *dimensions, "TIME_PERIOD", "OBS_VALUE", *attributes])
    extra = [_attribute(name, spec, freq) for name in attributes]
    for day, value in zip(pd.to_datetime(frame["date"]), frame["value"], strict=True):
        writer.writerow([spec.code, *parts, _period(day, freq), f"{value:.10g}", *extra])
    return out.getvalue().encode("utf-8")
