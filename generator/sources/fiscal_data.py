"""US Treasury Fiscal Data API: marketable debt by security class (MSPD Table I), the Treasury
General Account (Daily Treasury Statement, operating cash balance), interest expense on the public
debt, and the average interest rate on marketable debt.

Formats read (the dataset is chosen by the spec's canonical file):
- the API's JSON ``{"data": [...], "meta": {...}, "links": {...}}``: every value a string, gaps as
  the string ``"null"``. The cached file is all pages of one query merged into one such document.
- CSV with the API's field names (the API's ``format=csv``; ``FiscalData_*.csv``, newest first).
- the website's CSV download with display labels (``MSPD_SumSecty_*.csv``: UTF-8 BOM, no final
  line break, ``Record Date,Security Type Description,…``).
- normalised copies in USD, converted here to the API's $mn: ``durationmonitor_debt_outstanding.csv``
  (``observation_date,…,security_class,amount_outstanding``), ``durationmonitor_securities_detail_latest.csv``
  (one month of MSPD Table III, one row per CUSIP, summed by class; no Federal Financing Bank) and
  ``durationmonitor_cash_balance.csv`` (``date,…,balance``).

Series and units (canonical = the API's):
- MSPD (``v1/debt/mspd/mspd_table_1``, $mn): ``total_mil_amt`` (total public debt outstanding =
  held by the public + intragovernmental) of the ``Marketable`` row whose class matches the spec's
  code (``Bills``, ``Notes``, ``Bonds``, ``TIPS``, ``FRN``), or of the ``Total Marketable`` row.
  Class labels changed over time: ``TIPS`` is ``Treasury Inflation-Protected Securities`` from
  2004-06 and the sum of ``Inflation-Indexed Notes`` and ``Inflation-Indexed Bonds`` before;
  ``FRN`` is ``Floating Rate Notes`` (from 2014-01). TIPS are inflation-adjusted.
- TGA (``v1/accounting/dts/operating_cash_balance``, $mn): the account line was renamed twice:
  ``Federal Reserve Account`` (to 2021-09-30) and ``Treasury General Account (TGA)`` (to
  2022-04-15) carry the balance in ``close_today_bal``; from 2022-04-18 the line
  ``Treasury General Account (TGA) Closing Balance`` carries it in ``open_today_bal``
  (``close_today_bal`` is null there).
- interest expense (``v2/accounting/od/interest_expense``, dollars): ``month_expense_amt`` summed
  over every expense line of a record date (public issues and Government Account Series).
- average interest rate (``v2/accounting/od/avg_interest_rates``, %): ``avg_interest_rate_amt`` of
  the row whose ``security_desc`` matches the code ignoring case and spaces (2005-07-31 has
  ``TotalMarketable``).

Live: ``https://api.fiscaldata.treasury.gov/services/api/fiscal_service/<endpoint>`` with ``fields``,
``filter=record_date:gte:…``, ``sort`` and ``page[size]=10000``, following ``links.next``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import decode_text, read_csv_text, to_dates, to_numbers
from generator.sources.http import HttpClient
from generator.validate import drop_repeated_dates

log = logging.getLogger(__name__)

# the site's CSV export ends without a line break (the API's JSON is checked by its parser)
ENDS_WITH_LINE_BREAK = False

BASE = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/"
PAGE_SIZE = 10000
MAX_PAGES = 100
#: the fields that tell one interest-expense line from another within a month
EXPENSE_LINE = ("expense_catg_desc", "expense_group_desc", "expense_type_desc")
MISSING = ("null", "NULL", "None", "nan")
USD_PER_MN = 1e6

#: the website download's display labels → API field names
LABELS = {
    "Record Date": "record_date",
    "Security Type Description": "security_type_desc",
    "Security Class Description": "security_class_desc",
    "Debt Held by the Public (in Millions)": "debt_held_public_mil_amt",
    "Intragovernmental Holdings (in Millions)": "intragov_hold_mil_amt",
    "Total Public Debt Outstanding (in Millions)": "total_mil_amt",
    "Account Type": "account_type",
    "Closing Balance Today": "close_today_bal",
    "Opening Balance Today": "open_today_bal",
    "Security Description": "security_desc",
    "Average Interest Rate Amount": "avg_interest_rate_amt",
    "Current Month Expense Amount": "month_expense_amt",
}

#: MSPD class labels (lower case, letters and digits only) → catalogue code
MSPD_CLASSES = {
    "bills": "Bills",
    "notes": "Notes",
    "bonds": "Bonds",
    "treasuryinflationprotectedsecurities": "TIPS",
    "inflationprotectedsecurities": "TIPS",
    "inflationindexednotes": "TIPS",
    "inflationindexedbonds": "TIPS",
    "tips": "TIPS",
    "floatingratenotes": "FRN",
    "frn": "FRN",
    "totalmarketable": "Total Marketable",
}
#: catalogue code → (security_type_desc, security_class_desc) written by ``encode``
MSPD_LABELS = {
    "Bills": ("Marketable", "Bills"),
    "Notes": ("Marketable", "Notes"),
    "Bonds": ("Marketable", "Bonds"),
    "TIPS": ("Marketable", "Treasury Inflation-Protected Securities"),
    "FRN": ("Marketable", "Floating Rate Notes"),
    "Total Marketable": ("Total Marketable", "_"),
}

#: DTS account lines before the closing-balance line (newest first), balance in close_today_bal
FED_ACCOUNT = "Federal Reserve Account"
TGA_ACCOUNT = "Treasury General Account (TGA)"
TGA_RENAMED = pd.Timestamp("2021-10-01")
TGA_CLOSING_LINE_FROM = pd.Timestamp("2022-04-18")


# --- reading


def _norm(values: pd.Series) -> pd.Series:
    """Lower-case labels reduced to letters and digits, so that label variants compare equal."""
    return values.astype("string").str.lower().str.replace(r"[^a-z0-9]", "", regex=True)


def _norm_text(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def _parse_json(text: str, spec: SeriesSpec, origin: str, error: type[Exception]) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc}", file=origin, line=exc.lineno, series=spec.key) from exc


def _records(document: object, spec: SeriesSpec, origin: str) -> list[dict]:
    """Return the list of records of an API document (or of a bare list of records)."""
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise DataError(
            "not a Fiscal Data API response (no 'data' list of records)", file=origin, series=spec.key
        )
    return records


def _load_table(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the file as a table of text cells with API field names (JSON or CSV)."""
    text = decode_text(raw, spec, origin)
    if text.lstrip().startswith(("{", "[")):
        records = _records(_parse_json(text, spec, origin, DataError), spec, origin)
        table = pd.DataFrame.from_records(records).astype("string")
    else:
        table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
    table.columns = [LABELS.get(str(column).strip(), str(column).strip()) for column in table.columns]
    return table  # repeated rows are judged by each reader at its own grain (validate stage)


def _require(table: pd.DataFrame, columns: tuple[str, ...], spec: SeriesSpec, origin: str) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise DataError(
            f"no column {', '.join(missing)} (columns: {', '.join(map(str, table.columns[:8]))})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )


def _dates(values: pd.Series, spec: SeriesSpec, origin: str) -> pd.Series:
    return to_dates(values.astype("string").str.strip(), spec, origin, fmt="ISO8601").dt.normalize()


def _read_mspd(table: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return month-end amounts outstanding of the spec's class in $mn (classes summed where split)."""
    if {"observation_date", "security_class", "amount_outstanding"} <= set(table.columns):
        labels = table["security_class"]
        dates = _dates(table["observation_date"], spec, origin)
        values = to_numbers(table["amount_outstanding"], spec, origin, missing=MISSING) / USD_PER_MN
    else:
        _require(
            table, ("record_date", "security_type_desc", "security_class_desc", "total_mil_amt"), spec, origin
        )
        kind = _norm(table["security_type_desc"]).fillna("")
        labels = table["security_class_desc"].where(kind == "marketable", table["security_type_desc"])
        labels = labels.where(kind.isin(["marketable", "totalmarketable"]), "")
        dates = _dates(table["record_date"], spec, origin)
        values = to_numbers(table["total_mil_amt"], spec, origin, missing=MISSING)
    rows = (_norm(labels).map(MSPD_CLASSES) == spec.code).fillna(False).to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "date": dates[rows].to_numpy(),
            "value": values[rows].to_numpy(),
            # one row per month and class (per security in the CUSIP-level table III copy)
            "class": _joined(table, ("security_class_desc", "security_class", "cusip"))[rows].to_numpy(),
            **_lines(table, rows),
        }
    ).dropna(subset=["value"])
    # a class (or security) listed twice in a month is a repeat, not a part to add
    frame = drop_repeated_dates(spec, frame, origin, grain=("class",))
    return _sum_by_date(frame, "class")


def _joined(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Return the given columns' text joined with " / " (the ones the table has)."""
    present = [table[column].astype("string").fillna("") for column in columns if column in table.columns]
    if not present:
        return pd.Series("", index=table.index, dtype="string")
    joined = present[0]
    for part in present[1:]:
        joined = joined + " / " + part
    return joined


def _sum_by_date(frame: pd.DataFrame, part: str) -> pd.DataFrame:
    """Add up the rows of each date in the order of ``part`` (so the sum does not depend on the file's
    row order, to the last bit); the sum is dated by the first of its lines, where known."""
    sums = {"value": ("value", "sum"), **({"line": ("line", "min")} if "line" in frame.columns else {})}
    ordered = frame.sort_values(["date", part], kind="stable")
    return ordered.groupby("date", as_index=False).agg(**sums)


def _lines(table: pd.DataFrame, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The source line of each selected row, where the table was read from CSV (its index)."""
    return {"line": table.index[rows].to_numpy()} if table.index.name == "line" else {}


def _read_dts(table: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the TGA closing balance per business day in $mn, whatever the account line's name."""
    if {"date", "balance"} <= set(table.columns):
        return pd.DataFrame(
            {
                "date": _dates(table["date"], spec, origin),
                "value": to_numbers(table["balance"], spec, origin, missing=MISSING) / USD_PER_MN,
            }
        ).dropna()
    _require(table, ("record_date", "account_type"), spec, origin)
    if not {"open_today_bal", "close_today_bal"} & set(table.columns):
        _require(table, ("open_today_bal", "close_today_bal"), spec, origin)
    dates = _dates(table["record_date"], spec, origin)
    blank = pd.Series(float("nan"), index=table.index)
    balances = {
        field: to_numbers(table[field], spec, origin, missing=MISSING) if field in table.columns else blank
        for field in ("open_today_bal", "close_today_bal")
    }
    lines = {  # account line → balance fields (first non-null wins), in order of preference
        _norm_text(spec.code): ("open_today_bal", "close_today_bal"),
        _norm_text(TGA_ACCOUNT): ("close_today_bal",),
        _norm_text(FED_ACCOUNT): ("close_today_bal",),
    }
    accounts = _norm(table["account_type"])
    parts = []
    for rank, (account, fields) in enumerate(lines.items()):
        rows = (accounts == account).fillna(False).to_numpy(dtype=bool)
        value = balances[fields[0]]
        for field in fields[1:]:
            value = value.fillna(balances[field])
        parts.append(pd.DataFrame({"date": dates[rows], "value": value[rows], "rank": rank}))
    frame = pd.concat(parts).dropna(subset=["value"])
    if table.index.name == "line":
        frame = frame.rename_axis("line").reset_index()
    frame = drop_repeated_dates(spec, frame.reset_index(drop=True), origin, grain=("rank",))
    frame = frame.sort_values(["date", "rank"], kind="stable").drop_duplicates("date")
    return frame[["date", "value", *(["line"] if "line" in frame.columns else [])]]


def _read_interest_expense(table: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the month's interest expense in dollars: ``spec.code`` summed over all expense lines."""
    _require(table, ("record_date", spec.code), spec, origin)
    frame = pd.DataFrame(
        {
            "date": _dates(table["record_date"], spec, origin),
            "value": to_numbers(table[spec.code], spec, origin, missing=MISSING),
            "expense": _joined(table, EXPENSE_LINE),
        }
    ).dropna(subset=["value"])
    if frame.index.name == "line":
        frame = frame.reset_index()
    # one row per month and expense line: a line listed twice is a repeat, not a part to add
    frame = drop_repeated_dates(spec, frame.reset_index(drop=True), origin, grain=("expense",))
    return _sum_by_date(frame, "expense")


def _read_avg_rates(table: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the average interest rate (%) of the security whose description matches the code."""
    _require(table, ("record_date", "security_desc", "avg_interest_rate_amt"), spec, origin)
    rows = (_norm(table["security_desc"]) == _norm_text(spec.code)).fillna(False).to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "date": _dates(table["record_date"], spec, origin),
            "value": to_numbers(table["avg_interest_rate_amt"], spec, origin, missing=MISSING),
        }
    )[rows]
    return frame.dropna()  # repeats of a month are judged by the validate stage


# --- writing (the API's JSON)


def _amount(value: float) -> str:
    """Return a number as the API writes it: a string, ``"null"`` for a gap."""
    return "null" if pd.isna(value) else repr(float(value))


def _day(value: pd.Timestamp) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _encode_mspd(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> list[dict]:
    records = []
    for order, spec in enumerate(specs):
        security_type, security_class = MSPD_LABELS[spec.code]
        for day, value in zip(frames[spec.key]["date"], frames[spec.key]["value"], strict=True):
            amount = _amount(value)
            record = {
                "record_date": _day(day),
                "security_type_desc": security_type,
                "security_class_desc": security_class,
                "debt_held_public_mil_amt": amount,
                "intragov_hold_mil_amt": "0",
                "total_mil_amt": amount,
            }
            records.append((record["record_date"], order, record))
    return [record for *_, record in sorted(records, key=lambda item: item[:2])]


def _encode_dts(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> list[dict]:
    """One account line per day, named and filled as in the day's era."""
    (spec,) = specs
    records = []
    for day, value in sorted(zip(frames[spec.key]["date"], frames[spec.key]["value"], strict=True)):
        day = pd.Timestamp(day)
        if day >= TGA_CLOSING_LINE_FROM:
            account, opening, closing = spec.code, _amount(value), "null"
        else:
            account, opening, closing = (
                (TGA_ACCOUNT if day >= TGA_RENAMED else FED_ACCOUNT),
                "null",
                _amount(value),
            )
        records.append(
            {
                "record_date": _day(day),
                "account_type": account,
                "open_today_bal": opening,
                "close_today_bal": closing,
            }
        )
    return records


def _encode_interest_expense(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> list[dict]:
    """One expense line per month; ``fytd_expense_amt`` accumulates over the fiscal year (October on)."""
    (spec,) = specs
    frame = frames[spec.key].sort_values("date")
    fiscal_year = frame["date"].dt.year + (frame["date"].dt.month >= 10)
    fytd = frame["value"].groupby(fiscal_year.to_numpy()).cumsum()
    return [
        {
            "record_date": _day(day),
            "expense_catg_desc": "INTEREST EXPENSE ON PUBLIC ISSUES",
            "expense_group_desc": "ACCRUED INTEREST EXPENSE",
            "expense_type_desc": "Treasury Notes",
            spec.code: _amount(value),
            "fytd_expense_amt": _amount(total),
        }
        for day, value, total in zip(frame["date"], frame["value"], fytd, strict=True)
    ]


def _encode_avg_rates(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> list[dict]:
    (spec,) = specs
    frame = frames[spec.key].sort_values("date")
    return [
        {
            "record_date": _day(day),
            "security_type_desc": "Marketable",
            "security_desc": spec.code,
            "avg_interest_rate_amt": _amount(value),
        }
        for day, value in zip(frame["date"], frame["value"], strict=True)
    ]


def _links() -> dict[str, str | None]:
    page = f"&page%5Bnumber%5D=1&page%5Bsize%5D={PAGE_SIZE}"
    return {"self": page, "first": page, "prev": None, "next": None, "last": page}


def _document(records: list[dict], meta: dict | None = None) -> bytes:
    """Return one API document holding ``records`` (one page, no next link) as UTF-8 bytes."""
    meta = {**(meta or {}), "count": len(records), "total-count": len(records), "total-pages": 1}
    document = {"data": records, "meta": meta, "links": _links()}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- datasets


@dataclass(frozen=True)
class Dataset:
    """One Fiscal Data endpoint: what to ask for, and how to read and write its records."""

    endpoint: str
    fields: tuple[str, ...]
    start: str  #: first record_date requested
    sort: str
    reader: Callable[[pd.DataFrame, SeriesSpec, str], pd.DataFrame]
    encoder: Callable[[dict[str, pd.DataFrame], list[SeriesSpec]], list[dict]]
    queries: tuple[str, ...] = ("",)  #: extra filters, one query (and page sequence) each


DATASETS = {
    "mspd_table_1": Dataset(
        endpoint="v1/debt/mspd/mspd_table_1",
        fields=(
            "record_date",
            "security_type_desc",
            "security_class_desc",
            "debt_held_public_mil_amt",
            "intragov_hold_mil_amt",
            "total_mil_amt",
        ),
        start="2001-01-01",
        sort="record_date,security_type_desc,security_class_desc",
        reader=_read_mspd,
        encoder=_encode_mspd,
        queries=("security_type_desc:in:(Marketable,Total Marketable)",),
    ),
    "dts_operating_cash_balance": Dataset(
        endpoint="v1/accounting/dts/operating_cash_balance",
        fields=("record_date", "account_type", "open_today_bal", "close_today_bal"),
        start="2005-10-01",
        sort="record_date",
        reader=_read_dts,
        encoder=_encode_dts,
        queries=(
            "account_type:eq:Treasury General Account (TGA) Closing Balance",
            f"account_type:eq:{TGA_ACCOUNT}",
            f"account_type:eq:{FED_ACCOUNT}",
        ),
    ),
    "interest_expense": Dataset(
        endpoint="v2/accounting/od/interest_expense",
        fields=(
            "record_date",
            "expense_catg_desc",
            "expense_group_desc",
            "expense_type_desc",
            "month_expense_amt",
            "fytd_expense_amt",
        ),
        start="2010-01-01",
        sort="record_date,expense_catg_desc,expense_group_desc,expense_type_desc",
        reader=_read_interest_expense,
        encoder=_encode_interest_expense,
    ),
    "avg_interest_rates": Dataset(
        endpoint="v2/accounting/od/avg_interest_rates",
        fields=("record_date", "security_type_desc", "security_desc", "avg_interest_rate_amt"),
        start="2001-01-01",
        sort="record_date,security_type_desc,security_desc",
        reader=_read_avg_rates,
        encoder=_encode_avg_rates,
    ),
}


def dataset(spec: SeriesSpec) -> Dataset:
    """Return the endpoint description for ``spec`` (chosen by its canonical file's name)."""
    return DATASETS[Path(spec.file).stem]


# --- the three adapter functions


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse any layout listed in the module docstring into date, value (in the API's units)."""
    return dataset(spec).reader(_load_table(raw, spec, origin), spec, origin)


def _query_pages(
    url: str, params: dict[str, str], spec: SeriesSpec, http: HttpClient
) -> tuple[list[dict], dict]:
    """Return the records of every page of one query, and the first page's ``meta``."""
    records: list[dict] = []
    meta: dict = {}
    for number in range(1, MAX_PAGES + 1):
        raw = http.get(url, source=spec.key, params={**params, "page[number]": str(number)})
        document = _parse_json(decode_text(raw, spec, url), spec, url, SourceError)
        page = _records(document, spec, url)
        records.extend(page)
        links = {}
        if isinstance(document, dict):
            meta = meta or dict(document.get("meta") or {})
            links = document.get("links") or {}
        total_pages = meta.get("total-pages")
        if not page or not links.get("next") or (isinstance(total_pages, int) and number >= total_pages):
            return records, meta
    raise SourceError(f"more than {MAX_PAGES} pages", file=url, series=spec.key, hint="narrow the query")


def _unique(records: list[dict]) -> list[dict]:
    """Drop repeated records (a page served twice), keep the order, then sort by record_date."""
    seen: set[str] = set()
    unique = []
    for record in records:
        key = json.dumps(record, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(record)
    return sorted(unique, key=lambda record: str(record.get("record_date", "")))


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download every page of the dataset's queries and return them merged into one API document."""
    spec = specs[0]
    source = dataset(spec)
    url = BASE + source.endpoint
    records: list[dict] = []
    meta: dict = {}
    for extra in source.queries:
        params = {
            "fields": ",".join(source.fields),
            "filter": ",".join(part for part in (f"record_date:gte:{source.start}", extra) if part),
            "sort": source.sort,
            "page[size]": str(PAGE_SIZE),
        }
        page_records, page_meta = _query_pages(url, params, spec, http)
        records.extend(page_records)
        meta = meta or page_meta
    log.info("%s: %d records from %s", spec.key, len(records), url)
    return _document(
        _unique(records), {key: value for key, value in meta.items() if key in ("labels", "dataTypes")}
    )


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the API's JSON document for ``specs`` (the dataset's requested fields, values as strings)."""
    return _document(dataset(specs[0]).encoder(frames, specs))
