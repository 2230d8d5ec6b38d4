"""Ministry of Finance Japan (財務省): JGB par yields by tenor (国債金利情報), % p.a., daily.

Formats read:
- the live Japanese files ``jgbcm_all.csv`` (history) and ``jgbcm.csv`` (current month): Shift_JIS
  (cp932), CRLF, a title line ``国債金利情報,…,(単位 : %)``, header ``基準日,1年,…,10年,…,40年``, dates in
  Japanese eras (``S49.9.24`` = 1974-09-24, ``H31.4.30``, ``R1.5.7``, ``R7.1.31``), ``-`` for no value.
  UTF-8 copies, and copies without the title line, are read too.
- the English files ``jgbcme_all.csv`` / ``jgbcme.csv``: title line ``Interest Rate (…),…,(Unit : %)``,
  header ``Date,1Y,…,40Y``, dates ``YYYY/M/D``, then a blank row and a footnote; the spec's code
  ``10年`` is read from the column ``10Y``.
- mirrored OHLCV copies (``DATE,OPEN,HIGH,LOW,CLOSE,VOLUME``): the value is ``CLOSE``.

Live: https://www.mof.go.jp/jgbs/reference/interest_rate/data/jgbcm_all.csv, which runs to the end of
the previous month, plus https://www.mof.go.jp/jgbs/reference/interest_rate/jgbcm.csv for the days of
the current month; ``fetch`` merges the two into one file in the history file's layout.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import date, datetime

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import cell_number, decode_text, is_ohlcv, read_ohlcv, require_complete_text
from generator.sources.http import HttpClient

log = logging.getLogger(__name__)

HISTORY_URL = "https://www.mof.go.jp/jgbs/reference/interest_rate/data/jgbcm_all.csv"
CURRENT_URL = "https://www.mof.go.jp/jgbs/reference/interest_rate/jgbcm.csv"
ENCODINGS = ("utf-8-sig", "cp932")
TENORS = (
    "1年",
    "2年",
    "3年",
    "4年",
    "5年",
    "6年",
    "7年",
    "8年",
    "9年",
    "10年",
    "15年",
    "20年",
    "25年",
    "30年",
    "40年",
)
#: Japanese column label → English column label (``10年`` → ``10Y``)
ENGLISH_COLUMNS = {tenor: tenor.replace("年", "Y") for tenor in TENORS}
DATE_HEADERS = ("基準日", "Date")
TITLE = "国債金利情報" + "," * len(TENORS) + "(単位 : %)"
MISSING = ("-", "")

#: era initial → (years to add, first day of the era); Meiji and Taishō are not needed (data start 1974)
ERAS = {
    "S": (1925, date(1926, 12, 25)),
    "H": (1988, date(1989, 1, 8)),
    "R": (2018, date(2019, 5, 1)),
}
_ERA_DATE = re.compile(r"^([SHR])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
_WESTERN_DATE = re.compile(r"^\d{4}[/-]\d{1,2}[/-]\d{1,2}$")


def era_to_date(text: str) -> date | None:
    """Return the Gregorian date of an era date such as ``R7.1.31``, or None if ``text`` is not one.

    Raises ValueError for an era date that does not exist (``R1.2.30``, or a day outside its era).
    """
    match = _ERA_DATE.match(text.strip())
    if match is None:
        return None
    era, year, month, day = match.group(1), *(int(part) for part in match.groups()[1:])
    offset, start = ERAS[era]
    result = date(year + offset, month, day)
    later = [begin for _, begin in ERAS.values() if begin > start]
    if result < start or (later and result >= min(later)):
        raise ValueError(f"{text} is outside its era")
    return result


def date_to_era(day: date) -> str:
    """Return ``day`` written as MOF writes it: ``R7.1.31``, ``H31.4.30``, ``S49.9.24``."""
    for era, (offset, start) in sorted(ERAS.items(), key=lambda item: item[1][1], reverse=True):
        if day >= start:
            return f"{era}{day.year - offset}.{day.month}.{day.day}"
    raise ValueError(f"{day} is before the Shōwa era")


def _parse_date(cell: str) -> date | None:
    """Return the date in a first cell (era or ``YYYY/M/D``), None for a cell that is not a date."""
    text = cell.strip()
    era_day = era_to_date(text)
    if era_day is not None:
        return era_day
    if _WESTERN_DATE.match(text):
        return datetime.strptime(text.replace("-", "/"), "%Y/%m/%d").date()
    return None


def _header_index(rows: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> int:
    for position, (_, row) in enumerate(rows):
        if row and row[0].strip().lstrip("\ufeff") in DATE_HEADERS:
            return position
    raise DataError(
        "no header row starting with 基準日 or Date",
        file=origin,
        series=spec.key,
        hint="is this the right file?",
    )


def _value_column(header: list[str], spec: SeriesSpec, origin: str, line: int) -> int:
    labels = [cell.strip() for cell in header]
    for label in (spec.code, ENGLISH_COLUMNS.get(spec.code, spec.code)):
        if label in labels[1:]:
            return labels.index(label)
    raise DataError(f"no column {spec.code} among {labels[:16]}", file=origin, line=line, series=spec.key)


def _rows(text: str, spec: SeriesSpec, origin: str) -> list[tuple[int, list[str]]]:
    """Return (line number, cells) for every CSV record of ``text``."""
    reader = csv.reader(io.StringIO(text))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DataError(
            f"cannot parse as CSV: {exc}", file=origin, line=reader.line_num, series=spec.key
        ) from exc


def _read_table(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (% p.a.) from the Japanese or English table layout."""
    rows = _rows(text, spec, origin)
    start = _header_index(rows, spec, origin)
    header_line, header = rows[start]
    column = _value_column(header, spec, origin, header_line)
    dates: list[date] = []
    values: list[float] = []
    lines: list[int] = []
    for line, row in rows[start + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        try:
            day = _parse_date(row[0])
        except ValueError as exc:
            raise DataError(
                f"not a date: {row[0]!r} ({exc})", file=origin, line=line, series=spec.key
            ) from exc
        if day is None:
            if any(cell.strip() for cell in row[1:]):
                raise DataError(f"not a date: {row[0]!r}", file=origin, line=line, series=spec.key)
            continue  # a footnote such as "※If you cannot download the latest csv data, …"
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
    return pd.DataFrame(
        {"date": pd.to_datetime(pd.Series(dates, dtype="object")), "value": values, "line": lines}
    )


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (% p.a.) of the spec's tenor from any MOF layout in the module docstring."""
    text = decode_text(raw, spec, origin, ENCODINGS)
    if is_ohlcv(text):
        return read_ohlcv(text, spec, origin)
    return _read_table(text, spec, origin)


def _data_lines(text: str, spec: SeriesSpec, origin: str) -> tuple[list[str], dict[date, str]]:
    """Split a Japanese MOF file into its lines up to the header and its data lines keyed by date."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    rows = _rows(text, spec, origin)
    start = _header_index(rows, spec, origin)
    head = lines[: rows[start][0]]
    data: dict[date, str] = {}
    for line, row in rows[start + 1 :]:
        try:
            day = era_to_date(row[0]) if row else None
        except ValueError as exc:
            raise DataError(
                f"not a date: {row[0]!r} ({exc})", file=origin, line=line, series=spec.key
            ) from exc
        if day is not None:
            data[day] = lines[line - 1]
    if not data:
        raise DataError("no dated rows", file=origin, series=spec.key)
    return head, data


def merge_current_month(history: bytes, current: bytes, spec: SeriesSpec) -> bytes:
    """Return the history file with the current month's rows added (the current file wins on a date)."""
    head, rows = _data_lines(decode_text(history, spec, HISTORY_URL, ENCODINGS), spec, HISTORY_URL)
    _, recent = _data_lines(decode_text(current, spec, CURRENT_URL, ENCODINGS), spec, CURRENT_URL)
    rows.update(recent)
    lines = [*head, *(rows[day] for day in sorted(rows))]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download the JGB history and add the current month's days; without them, keep the history alone."""
    spec = specs[0]
    history = require_complete_text(http.get(HISTORY_URL, source=spec.key), spec, HISTORY_URL)
    _data_lines(decode_text(history, spec, HISTORY_URL, ENCODINGS), spec, HISTORY_URL)
    try:
        current = require_complete_text(http.get(CURRENT_URL, source=spec.key), spec, CURRENT_URL)
        return merge_current_month(history, current, spec)
    except (SourceError, DataError) as exc:
        log.warning("%s: the current month's JGB file was not added: %s", spec.key, exc)
        return history


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write ``jgbcm_all.csv`` as MOF serves it: Shift_JIS, CRLF, title line, era dates, ``-`` for gaps."""
    columns: dict[str, dict[pd.Timestamp, float]] = {}
    for spec in specs:
        if spec.code not in TENORS:
            raise ValueError(f"{spec.key}: {spec.code!r} is not a MOF tenor column")
        frame = frames[spec.key]
        columns[spec.code] = dict(zip(pd.to_datetime(frame["date"]), frame["value"], strict=True))
    days = sorted({day for values in columns.values() for day in values})
    lines = [TITLE, ",".join(("基準日", *TENORS))]
    for day in days:
        cells = [_format_value(columns.get(tenor, {}).get(day)) for tenor in TENORS]
        lines.append(",".join((date_to_era(day.date()), *cells)))
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def _format_value(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "-"
    return f"{value:.10g}"
