"""Deutsche Bundesbank time series (BBK-CSV download), e.g. the daily Svensson zero-coupon Bund yields
(BBSIS), % p.a.

Formats read:
- the Bundesbank's CSV download (``format=csv&lang=en``): UTF-8 (with or without BOM), a header
  ``"",<SERIES KEY>,<SERIES KEY>_FLAGS``, metadata lines (title, ``Decimals``, ``Time format code``,
  ``unit``, ``unit multiplier``, ``last update``, …), then one row per period ``date,value,flag``. Daily
  series list every calendar day; days without a value read ``.`` with the flag ``No value
  available`` and are dropped. Monthly series are dated ``YYYY-MM`` (read as the first of the month).
  Files holding several series pick the spec's column.

Live: ``https://api.statistiken.bundesbank.de/rest/download/<FLOW>/<KEY>?format=csv&lang=en``; the
spec's code is ``<FLOW>.<KEY>`` (``BBSIS.D.I.ZST.ZI.EUR.S1311.B.A604.R10XX.R.A.A._Z._Z.A``).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError
from generator.sources.formats import cell_number, decode_text, require_complete_text
from generator.sources.http import HttpClient

DOWNLOAD_URL = "https://api.statistiken.bundesbank.de/rest/download/{flow}/{key}"
MISSING = (".", "")
NO_VALUE_FLAG = "No value available"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _period_start(cell: str) -> pd.Timestamp | None:
    """Return the date of a period cell (``YYYY-MM-DD`` or ``YYYY-MM``), None if it is not a period."""
    text = cell.strip()
    if _DAY.match(text):
        return pd.Timestamp(text)
    if _MONTH.match(text):
        return pd.Timestamp(f"{text}-01")
    return None


def _value_column(header: list[str], spec: SeriesSpec, origin: str) -> int:
    """Return the header position of the spec's series (its code with or without the flow prefix)."""
    labels = [cell.strip() for cell in header]
    short = spec.code.split(".", 1)[-1]
    for position, label in enumerate(labels[1:], start=1):
        if label in (spec.code, short):
            return position
    raise DataError(
        f"no column {spec.code} among {labels[1:6]}",
        file=origin,
        line=1,
        series=spec.key,
        hint="is this the right file?",
    )


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (in the file's unit, % p.a. for yields) of the spec's series."""
    text = decode_text(raw, spec, origin, ("utf-8-sig", "cp1252"))
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DataError(
            f"cannot parse as CSV: {exc}", file=origin, line=reader.line_num, series=spec.key
        ) from exc
    if not rows:
        raise DataError("empty file", file=origin, series=spec.key)
    header = rows[0][1]
    column = _value_column(header, spec, origin)
    dates: list[pd.Timestamp] = []
    values: list[float] = []
    lines: list[int] = []
    in_data = False
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        day = _period_start(row[0])
        if day is None:
            if in_data:
                raise DataError(f"not a date: {row[0]!r}", file=origin, line=line, series=spec.key)
            continue  # a metadata line before the data
        in_data = True
        if len(row) != len(header):
            raise DataError(
                f"row has {len(row)} cells, expected {len(header)}", file=origin, line=line, series=spec.key
            )
        value = cell_number(row[column], spec, origin, line, MISSING)
        if value is None:
            continue
        values.append(value)
        dates.append(day)
        lines.append(line)
    if not in_data:
        raise DataError("no data rows after the metadata lines", file=origin, series=spec.key)
    return pd.DataFrame({"date": pd.DatetimeIndex(dates), "value": values, "line": lines})


def _url(spec: SeriesSpec) -> str:
    flow, key = spec.code.split(".", 1)
    return DOWNLOAD_URL.format(flow=flow, key=key)


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download one series as BBK-CSV (English: comma separator, decimal point)."""
    (spec,) = specs  # one file per series key
    url = _url(spec)
    raw = http.get(url, source=spec.key, params={"format": "csv", "lang": "en"})
    return require_complete_text(raw, spec, url)


def _decimals(values: pd.Series) -> int:
    """Return the fewest decimals (up to 10) that write every value exactly."""
    for decimals in range(11):
        if ((values.round(decimals) - values).abs() < 1e-12).all():
            return decimals
    return 10


def _quote(cell: str) -> str:
    return f'"{cell}"' if any(char in cell for char in ',"') else cell


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write a BBK-CSV download: BOM, CRLF, metadata lines, every calendar day (``.`` when no value)."""
    (spec,) = specs
    frame = frames[spec.key].dropna(subset=["value"])
    values = pd.Series(frame["value"].to_numpy(), index=pd.DatetimeIndex(frame["date"])).sort_index()
    decimals = _decimals(values)
    monthly = spec.frequency == "monthly"
    if monthly:
        periods = values.index.strftime("%Y-%m")
        rows = [f"{period},{value:.{decimals}f}," for period, value in zip(periods, values, strict=True)]
    else:
        calendar = values.reindex(pd.date_range(values.index.min(), values.index.max(), freq="D"))
        rows = [
            f"{day:%Y-%m-%d},.,{NO_VALUE_FLAG}" if pd.isna(value) else f"{day:%Y-%m-%d},{value:.{decimals}f},"
            for day, value in calendar.items()
        ]
    lines = [
        f'"",{spec.code},{spec.code}_FLAGS',
        f'"",{_quote(spec.label_en)},',
        "Comment (in english),,",
        f"Decimals,{decimals},",
        f"Time format code,{'P1M' if monthly else 'P1D'},",
        f"unit,{'Prozent' if spec.unit == '%' else spec.unit},",
        "unit multiplier,One,",
        f"last update,{values.index.max():%Y-%m-%d} 12:00:00,",
        *rows,
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
