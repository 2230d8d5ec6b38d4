"""US Bureau of Economic Analysis (BEA): NIPA tables through the BEA API.

The spec's code is a BEA series code (``A014RY``: contribution of inventories, Table 1.1.2), optionally
with the table line it sits on (``A091RC line 33``: federal interest payments, Table 3.2), which is
how the interactive-table CSV download identifies rows. The table comes from the canonical file's
name (``bea/T10102.json`` → ``T10102``).

Values returned are absolute: the API's ``DataValue`` × 10^``UNIT_MULT`` (contributions and percent
changes have ``UNIT_MULT`` 0 and stay as published; dollar tables come in millions, ``UNIT_MULT`` 6,
and are returned in dollars, so their catalogue ``scale`` is 1e-9 for $bn).

Formats read:
- the API's JSON (live, canonical): ``BEAAPI.Results.Data[]`` with ``SeriesCode``, ``LineNumber``,
  ``TimePeriod`` (``2024Q4``), ``UNIT_MULT`` and ``DataValue`` (text with thousands separators,
  ``(NA)``/``(D)``/``---`` missing); dated at the quarter's start, as FRED does. An API error
  (``BEAAPI.Results.Error`` or ``BEAAPI.Error``) is reported with BEA's description.
- the interactive-table CSV download: title lines, ``Last Revised on: …``, two header rows (``Line,,2024,…``
  and ``Line,,Q1,…``), rows ``line,description,values…``, ``Addenda:``, footnotes. Values are in the
  table's display unit, which is the catalogue's ``unit``, so they are divided by ``spec.scale``.
  Rows are found by the line number in the code.
- release-vintage tables (``quarter,estimate,release_date,…,fred_series_id,value``): the rows whose
  FRED id is the code plus FRED's suffix (``A014RY2Q224SBEA``), dated by quarter and ``published`` on
  ``release_date`` (realtime rows: the store prefers them to estimated publication dates).
- a tracker's wide table (``date,…,inventories,…,quarter``) whose columns are named after the
  components; :data:`TRACKER_COLUMNS` maps BEA series codes to those names.

Live: ``https://apps.bea.gov/api/data?method=GetData&datasetname=NIPA&TableName=<table>&Frequency=Q
&Year=ALL&ResultFormat=JSON&UserID=<key>``, the key (free, https://apps.bea.gov/api/signup/) from the
environment variable ``BEA_API_KEY``. The key BEA echoes in the response is blanked before caching.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import PurePosixPath

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import decode_text, read_csv_text, source_lines, to_dates, to_numbers
from generator.sources.http import HttpClient

API_URL = "https://apps.bea.gov/api/data"
KEY_VARIABLE = "BEA_API_KEY"
MISSING = ("(NA)", "(D)", "(NM)", "(S)", "---", "n.a.", "NA", "....")
#: column names of the component table kept by ela113arm-arch/macro-data-tracker, by BEA series code
TRACKER_COLUMNS = {
    "DGDSRY": "pce_goods",
    "DSERRY": "pce_services",
    "A008RY": "nonres_investment",
    "A011RY": "res_investment",
    "A014RY": "inventories",
    "A019RY": "net_exports",
    "A822RY": "government",
    "A191RL": "total_gdp",
}
_CODE = re.compile(r"^\s*(?P<series>[A-Z0-9]+)(?:\s+line\s+(?P<line>\d+))?\s*$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_code(spec: SeriesSpec) -> tuple[str, int | None]:
    """Return the BEA series code and the table line (None if the code gives none)."""
    match = _CODE.match(spec.code)
    if not match:
        raise DataError(
            f"not a BEA series code: {spec.code!r}", series=spec.key, hint="see generator/catalogue.py"
        )
    line = match.group("line")
    return match.group("series").upper(), int(line) if line else None


def table_name(spec: SeriesSpec) -> str:
    """Return the NIPA table id of ``spec``'s canonical file (``bea/T10102.json`` → ``T10102``)."""
    return PurePosixPath(spec.file).stem


# --------------------------------------------------------------------------- reading


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date (quarter start), value (absolute units; see the module docstring)[, published]."""
    text = decode_text(raw, spec, origin, encodings=("utf-8-sig", "cp1252"))
    if text.lstrip().startswith("{"):
        return _read_api_json(text, spec, origin)
    first = text.lstrip().split("\n", 1)[0]
    if "release_date" in first and "fred_series_id" in first:
        return _read_vintages(text, spec, origin)
    if first.startswith("date,") and "quarter" in first:
        return _read_tracker(text, spec, origin)
    return _read_table_csv(text, spec, origin)


def _quarter_start(period: str) -> pd.Timestamp | None:
    match = _QUARTER.match(period.strip())
    if not match:
        return None
    return pd.Period(year=int(match.group(1)), quarter=int(match.group(2)), freq="Q").to_timestamp(
        how="start"
    )


def _api_error(document: object) -> str | None:
    """Return BEA's error description if the response is an API error."""
    root = document.get("BEAAPI", {}) if isinstance(document, dict) else {}
    results = root.get("Results", {}) if isinstance(root, dict) else {}
    for holder in (results, root):
        error = holder.get("Error") if isinstance(holder, dict) else None
        if error:
            if isinstance(error, dict):
                code = error.get("APIErrorCode", "")
                description = error.get("APIErrorDescription", "") or json.dumps(error)
                return f"{description} (BEA error {code})" if code else description
            return str(error)
    return None


def _api_rows(text: str, spec: SeriesSpec, origin: str) -> list[dict[str, object]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc}", file=origin, line=exc.lineno, series=spec.key) from exc
    error = _api_error(document)
    if error:
        raise DataError(f"the BEA API answered with an error: {error}", file=origin, series=spec.key)
    try:
        data = document["BEAAPI"]["Results"]["Data"]
    except (KeyError, TypeError) as exc:
        raise DataError(f"not a BEA API data response (no {exc})", file=origin, series=spec.key) from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise DataError("BEAAPI.Results.Data is not a list of records", file=origin, series=spec.key)
    return data


def _read_api_json(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    series, line = parse_code(spec)
    rows = [
        row
        for row in _api_rows(text, spec, origin)
        if str(row.get("SeriesCode", "")).strip().upper() == series
        and (line is None or str(row.get("LineNumber", "")).strip() == str(line))
    ]
    quarterly = [(row, _quarter_start(str(row.get("TimePeriod", "")))) for row in rows]
    quarterly = [(row, date) for row, date in quarterly if date is not None]
    if not quarterly:
        raise DataError(
            f"no quarterly rows of {spec.code} in the response",
            file=origin,
            series=spec.key,
            hint="wrong table?",
        )
    values = to_numbers(
        pd.Series([str(row.get("DataValue", "")) for row, _ in quarterly]), spec, origin, missing=MISSING
    )
    multipliers = [_unit_multiplier(row, spec, origin) for row, _ in quarterly]
    frame = pd.DataFrame(
        {"date": [date for _, date in quarterly], "value": values.to_numpy() * multipliers}
    ).dropna()
    return frame.drop_duplicates("date", keep="first")


def _unit_multiplier(row: dict[str, object], spec: SeriesSpec, origin: str) -> float:
    raw = str(row.get("UNIT_MULT", "")).strip()
    if not raw:
        if spec.unit.startswith("$"):
            raise DataError("a dollar series without UNIT_MULT: unknown units", file=origin, series=spec.key)
        return 1.0
    if not raw.lstrip("-").isdigit():
        raise DataError(f"UNIT_MULT is not an integer: {raw!r}", file=origin, series=spec.key)
    return 10.0 ** int(raw)


def _read_table_csv(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    _, line = parse_code(spec)
    rows = list(csv.reader(io.StringIO(text)))
    headers = [i for i, row in enumerate(rows) if row and row[0].strip() == "Line"]
    if len(headers) < 2 or headers[1] != headers[0] + 1:
        raise DataError(
            "not a BEA table download (no two header rows starting with 'Line')",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    if line is None:
        raise DataError(
            f"a BEA table download has no series codes; the code {spec.code!r} gives no line number",
            file=origin,
            series=spec.key,
            hint="write the code as '<SERIES> line <N>' in generator/catalogue.py",
        )
    years, periods = rows[headers[0]], rows[headers[1]]
    dates = {}
    for index in range(2, min(len(years), len(periods))):
        date = _quarter_start(f"{years[index].strip()}{periods[index].strip()}")
        if date is None:
            raise DataError(
                f"column {index + 1} is not a quarter: {years[index]!r} {periods[index]!r}",
                file=origin,
                line=headers[1] + 1,
                series=spec.key,
            )
        dates[index] = date
    found = []
    for number, row in enumerate(rows[headers[1] + 1 :], start=headers[1] + 2):
        if row and row[0].strip() == str(line):
            cells = pd.Series([row[index] if index < len(row) else "" for index in dates])
            try:
                values = to_numbers(cells, spec, origin, missing=MISSING)
            except DataError as exc:
                raise DataError(exc.message, file=origin, line=number, series=spec.key) from exc
            found.append(
                pd.DataFrame(
                    {"date": list(dates.values()), "value": values.to_numpy() / spec.scale, "line": number}
                ).dropna()
            )
    if found:
        return pd.concat(found, ignore_index=True)  # a line listed twice: the validate stage judges it
    raise DataError(
        f"no line {line} in the table", file=origin, series=spec.key, hint="is this the right table?"
    )


def _read_vintages(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    series, _ = parse_code(spec)
    table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
    needed = ("fred_series_id", "quarter", "value", "release_date")
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise DataError(
            f"no column {', '.join(missing)} in the release-vintage table",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    ids = table["fred_series_id"].str.strip()
    rows = table[ids.str.match(rf"^{re.escape(series)}\d")]
    quarters = [_quarter_start(quarter) for quarter in rows["quarter"]]
    if any(date is None for date in quarters):
        raise DataError("a quarter is not written like 2024Q4", file=origin, series=spec.key)
    return pd.DataFrame(
        {
            "date": quarters,
            "value": to_numbers(rows["value"], spec, origin, missing=MISSING).to_numpy() / spec.scale,
            "published": to_dates(rows["release_date"].str.strip(), spec, origin, fmt="%Y-%m-%d").to_numpy(),
            **source_lines(rows),
        }
    ).dropna()


def _read_tracker(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    series, _ = parse_code(spec)
    table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
    column = TRACKER_COLUMNS.get(series)
    if column is None or column not in table.columns:
        raise DataError(
            f"no column for {spec.code} in {list(table.columns)}",
            file=origin,
            series=spec.key,
            hint="wrong file?",
        )
    return pd.DataFrame(
        {
            "date": to_dates(table["date"].str.strip(), spec, origin, fmt="%Y-%m-%d"),
            "value": to_numbers(table[column], spec, origin, missing=MISSING) / spec.scale,
        }
    ).dropna()


# --------------------------------------------------------------------------- fetching


def api_key(spec: SeriesSpec) -> str:
    """Return the BEA API key from the environment, or raise saying how to get one."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise SourceError(
            f"the BEA API needs a key and {KEY_VARIABLE} is not set",
            series=spec.key,
            hint=f"register for a free key at https://apps.bea.gov/api/signup/ and set {KEY_VARIABLE}=<key>",
        )
    return key


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download the whole quarterly NIPA table of ``specs``' file as JSON, with the echoed key blanked."""
    spec = specs[0]
    key = api_key(spec)
    raw = http.get(
        API_URL,
        source=spec.key,
        params={
            "method": "GetData",
            "datasetname": "NIPA",
            "TableName": table_name(spec),
            "Frequency": "Q",
            "Year": "ALL",
            "ResultFormat": "JSON",
            "UserID": key,
        },
    )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(
            f"the BEA API sent something that is not JSON ({exc})", file=API_URL, series=spec.key
        ) from exc
    error = _api_error(document)
    if error:
        raise SourceError(
            f"the BEA API refused the request: {error}",
            file=API_URL,
            series=spec.key,
            hint=f"check {KEY_VARIABLE} and the table name",
        )
    return _without_key(raw, document, key)


def _without_key(raw: bytes, document: dict[str, object], key: str) -> bytes:
    """Return the response with the API key BEA echoes in ``Request.RequestParam`` blanked."""
    if key.encode() not in raw:
        return raw
    params = document.get("BEAAPI", {}).get("Request", {}).get("RequestParam", [])  # type: ignore[union-attr]
    for param in params if isinstance(params, list) else []:
        if isinstance(param, dict) and str(param.get("ParameterName", "")).upper() == "USERID":
            param["ParameterValue"] = "[removed]"
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --------------------------------------------------------------------------- encoding


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write a BEA API ``GetData`` JSON response for the specs' table (quarterly rows, by line)."""
    table = table_name(specs[0])
    data = []
    for position, spec in enumerate(specs, start=1):
        series, line = parse_code(spec)
        multiplier = 6 if spec.unit.startswith("$") else 0
        frame = frames[spec.key].dropna(subset=["value"]).sort_values("date")
        for date, value in zip(pd.DatetimeIndex(frame["date"]), frame["value"], strict=True):
            data.append(
                {
                    "TableName": table,
                    "SeriesCode": series,
                    "LineNumber": str(line if line is not None else position),
                    "LineDescription": spec.label_en,
                    "TimePeriod": f"{date.year}Q{date.quarter}",
                    "METRIC_NAME": "Current Dollars" if multiplier else "Quantity Contributions",
                    "CL_UNIT": "Level",
                    "UNIT_MULT": str(multiplier),
                    "DataValue": _data_value(float(value) / 10**multiplier),
                    "NoteRef": table,
                }
            )
    document = {
        "BEAAPI": {
            "Request": {
                "RequestParam": [
                    {"ParameterName": "USERID", "ParameterValue": "[removed]"},
                    {"ParameterName": "METHOD", "ParameterValue": "GETDATA"},
                    {"ParameterName": "DATASETNAME", "ParameterValue": "NIPA"},
                    {"ParameterName": "TABLENAME", "ParameterValue": table},
                    {"ParameterName": "FREQUENCY", "ParameterValue": "Q"},
                    {"ParameterName": "YEAR", "ParameterValue": "ALL"},
                    {"ParameterName": "RESULTFORMAT", "ParameterValue": "JSON"},
                ]
            },
            "Results": {
                "Statistic": "NIPA Table",
                "Data": data,
                "Notes": [{"NoteRef": table, "NoteText": table}],
            },
        }
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _data_value(value: float) -> str:
    """Return ``value`` as BEA writes it: thousands separators, no ``.0`` on whole numbers, full precision."""
    text = format(value, ",")
    return text[:-2] if text.endswith(".0") else text
