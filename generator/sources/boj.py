"""Bank of Japan (日本銀行), Time-Series Data Search: the uncollateralized overnight call rate (TONA),
% p.a., daily.

Formats read:
- the BoJ API's JSON (live, ``getDataCode``, no key): an envelope ``{"STATUS": 200, "MESSAGEID", "MESSAGE",
  "DATE", "PARAMETER", "NEXTPOSITION", "RESULTSET": [...]}``; each result holds ``SERIES_CODE`` and
  ``VALUES: {"SURVEY_DATES": [20250131, …], "VALUES": [0.477, null, …]}`` (daily and weekly dates as
  integers ``YYYYMMDD``, monthly ``YYYYMM``, and for a result with ``"FREQUENCY": "QUARTERLY"`` (the Tankan)
  ``YYYYQQ``: ``202504`` is 2025Q4, not April; ``null`` on days without a market, such as weekends). Errors
  come with HTTP 200 and ``STATUS`` 400/500/503 in the body. The spec's code picks the result.
- mirrored OHLCV copies (``DATE,OPEN,HIGH,LOW,CLOSE,VOLUME``, e.g. ``g8pipeline_TONA.csv``): the value is
  ``CLOSE``.

Live: ``https://www.stat-search.boj.or.jp/api/v1/getDataCode?db=FM01&code=<CODE>&format=json&lang=en
&startDate=YYYYMM&endDate=YYYYMM`` (daily series take month bounds). One request covers 2021-01 to the
current month (the API pages only beyond 250 codes or 60,000 values); a ``NEXTPOSITION`` is still
followed, and dates repeated across pages are dropped.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import decode_text, is_ohlcv, read_ohlcv, to_dates, to_numbers
from generator.sources.http import HttpClient

log = logging.getLogger(__name__)

API_URL = "https://www.stat-search.boj.or.jp/api/v1/getDataCode"
DATABASE = "FM01"
FIRST_MONTH = "202101"
MAX_PAGES = 20
OK_STATUS = 200
#: series code → the API's English name (for ``encode``; others fall back to the catalogue label)
SERIES_NAMES = {"STRDCLUCON": "Call Rate, Uncollateralized Overnight, Average"}
UNIT_NAMES = {"%": "percent per annum"}


# --- read


def _parse_json(text: str, spec: SeriesSpec, origin: str, error: type[Exception]) -> dict:
    """Return the API's envelope; ``error`` (DataError or SourceError) for anything else or a BoJ error."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc}", file=origin, line=exc.lineno, series=spec.key) from exc
    if not isinstance(document, dict) or "STATUS" not in document:
        raise error("not a BoJ API response (no STATUS)", file=origin, series=spec.key)
    if str(document["STATUS"]).strip() != str(OK_STATUS):
        raise error(
            f"the BoJ API answered STATUS {document['STATUS']} {document.get('MESSAGEID', '')}: "
            f"{document.get('MESSAGE', '')}",
            file=origin,
            series=spec.key,
            hint="check the database and series code in generator/catalogue.py",
        )
    return document


def _series(document: dict, spec: SeriesSpec, origin: str, error: type[Exception]) -> dict:
    """Return the result of ``document`` whose ``SERIES_CODE`` is the spec's code."""
    results = document.get("RESULTSET")
    if not isinstance(results, list) or not all(isinstance(result, dict) for result in results):
        raise error("the BoJ API response has no RESULTSET list", file=origin, series=spec.key)
    for result in results:
        if str(result.get("SERIES_CODE", "")).strip().upper() == spec.code.upper():
            return result
    held = ", ".join(str(result.get("SERIES_CODE")) for result in results[:12]) or "none"
    raise error(
        f"the BoJ API response holds no series {spec.code} (it holds {held})",
        file=origin,
        series=spec.key,
        hint="is this the right file?",
    )


def _pairs(result: dict, spec: SeriesSpec, origin: str, error: type[Exception]) -> tuple[list, list]:
    """Return the ``SURVEY_DATES`` and ``VALUES`` lists of one result, checked to be equally long."""
    values = result.get("VALUES")
    if not isinstance(values, dict):
        raise error(f"series {spec.code} has no VALUES object", file=origin, series=spec.key)
    days, numbers = values.get("SURVEY_DATES"), values.get("VALUES")
    if not isinstance(days, list) or not isinstance(numbers, list) or len(days) != len(numbers):
        raise error(
            f"series {spec.code}: SURVEY_DATES and VALUES are not lists of the same length",
            file=origin,
            series=spec.key,
        )
    return days, numbers


def _cell(value: object) -> str:
    """Return a JSON value as text for :func:`to_numbers` (``null`` → blank; a boolean is not a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return repr(value)
    return str(value)


def _dates(days: list, spec: SeriesSpec, origin: str, frequency: str = "") -> pd.Series:
    """Return ``SURVEY_DATES`` as timestamps: ``YYYYMMDD`` as the day, ``YYYYMM`` as the month's first day,
    and for a quarterly result ``YYYYQQ`` as the quarter's first day."""
    text = pd.Series([_cell(day).strip() for day in days], dtype="string")
    if frequency.strip().upper() == "QUARTERLY" and len(text):
        quarter = text.str.fullmatch(r"\d{4}0[1-4]").fillna(False)
        if not quarter.all():
            position = int((~quarter).to_numpy().nonzero()[0][0])
            raise DataError(f"not a quarter (YYYYQQ): {text.iloc[position]!r}", file=origin, series=spec.key)
        months = (text.str[4:].astype(int) - 1) * 3 + 1
        return pd.to_datetime(text.str[:4] + "-" + months.astype(str).str.zfill(2) + "-01")
    if text.str.len().eq(6).all() and len(text):
        return to_dates(text, spec, origin, fmt="%Y%m")
    return to_dates(text, spec, origin, fmt="%Y%m%d")


def _read_json(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (% p.a.) of the spec's series in an API response."""
    document = _parse_json(text, spec, origin, DataError)
    result = _series(document, spec, origin, DataError)
    days, numbers = _pairs(result, spec, origin, DataError)
    frame = pd.DataFrame(
        {
            "date": _dates(days, spec, origin, str(result.get("FREQUENCY", ""))),
            "value": to_numbers(pd.Series([_cell(v) for v in numbers], dtype="string"), spec, origin),
        }
    )
    return frame.dropna().reset_index(drop=True)  # days repeated across pages: the validate stage


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (% p.a.) from the BoJ API's JSON or a mirrored OHLCV copy."""
    text = decode_text(raw, spec, origin)
    if is_ohlcv(text):
        return read_ohlcv(text, spec, origin)
    if text.lstrip().startswith("{"):
        return _read_json(text, spec, origin)
    raise DataError(
        "neither a BoJ API JSON response nor an OHLCV table",
        file=origin,
        line=1,
        series=spec.key,
        hint="is this the right file?",
    )


# --- fetch


def _month(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}"


def _merge(pages: list[dict], spec: SeriesSpec) -> bytes:
    """Return one response holding the spec's series from every page (the first page wins on a date)."""
    merged: dict[int | str, object] = {}
    for page in pages:
        days, numbers = _pairs(_series(page, spec, API_URL, SourceError), spec, API_URL, SourceError)
        for day, value in zip(days, numbers, strict=True):
            merged.setdefault(day, value)
    ordered = sorted(merged, key=lambda day: str(day))
    result = dict(_series(pages[0], spec, API_URL, SourceError))
    result["VALUES"] = {"SURVEY_DATES": ordered, "VALUES": [merged[day] for day in ordered]}
    document = {**pages[0], "NEXTPOSITION": None, "RESULTSET": [result]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fetch(specs: list[SeriesSpec], http: HttpClient, today: date | None = None) -> bytes:
    """Download the spec's series from 2021-01 to the current month; follow ``NEXTPOSITION`` if given."""
    (spec,) = specs  # one file per series code
    params = {
        "db": DATABASE,
        "code": spec.code,
        "format": "json",
        "lang": "en",
        "startDate": FIRST_MONTH,
        "endDate": _month(today or date.today()),
    }
    raws: list[bytes] = []
    pages: list[dict] = []
    position: int | None = None
    while len(pages) < MAX_PAGES:
        page_params = params if position is None else {**params, "startPosition": str(position)}
        raw = http.get(API_URL, source=spec.key, params=page_params)
        page = _parse_json(decode_text(raw, spec, API_URL), spec, API_URL, SourceError)
        _pairs(_series(page, spec, API_URL, SourceError), spec, API_URL, SourceError)
        raws.append(raw)
        pages.append(page)
        following = page.get("NEXTPOSITION")
        if following is None or not str(following).strip().isdigit():
            break
        if position is not None and int(following) <= position:
            log.warning("%s: the BoJ API repeated NEXTPOSITION %s; stopping", spec.key, following)
            break
        position = int(following)
    return raws[0] if len(raws) == 1 else _merge(pages, spec)


# --- encode


def _stamp(day: pd.Timestamp) -> str:
    return day.strftime("%Y%m%d")


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the API's JSON: every calendar day from the first to the last date, ``null`` where no value."""
    (spec,) = specs
    if spec.frequency != "daily":
        raise ValueError(f"{spec.key}: only daily BoJ series are written, not {spec.frequency}")
    frame = frames[spec.key].dropna(subset=["value"]).sort_values("date")
    values = dict(zip(pd.to_datetime(frame["date"]), frame["value"].astype(float), strict=True))
    first, last = min(values), max(values)
    days = pd.date_range(first, last, freq="D")
    updated = last + pd.Timedelta(days=1)
    document = {
        "STATUS": OK_STATUS,
        "MESSAGEID": "M181000I",
        "MESSAGE": "正常に終了しました。",
        "DATE": f"{updated.strftime('%Y-%m-%d')}T08:50:00.000+09:00",
        "PARAMETER": {
            "FORMAT": "JSON",
            "LANG": "EN",
            "DB": DATABASE,
            "STARTDATE": _month(first),
            "ENDDATE": _month(last),
            "STARTPOSITION": "",
        },
        "NEXTPOSITION": None,
        "RESULTSET": [
            {
                "SERIES_CODE": spec.code,
                "NAME_OF_TIME_SERIES": SERIES_NAMES.get(spec.code, spec.label_en),
                "UNIT": UNIT_NAMES.get(spec.unit, spec.unit),
                "FREQUENCY": spec.frequency.upper(),
                "CATEGORY": "Call Rate",
                "LAST_UPDATE": int(_stamp(updated)),
                "VALUES": {
                    "SURVEY_DATES": [int(_stamp(day)) for day in days],
                    "VALUES": [values.get(day) for day in days],
                },
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
