"""US Treasury (home.treasury.gov): the daily par yield curve, the average maturity of marketable
debt that the Office of Debt Management publishes with each quarterly refunding, and the refunding's
marketable borrowing estimates.

Formats read (the series is chosen by the spec's canonical file):
- par yield curve CSV as served per year: ``Date,"1 Mo","1.5 Month","2 Mo",…,"30 Yr"`` (header cells
  with spaces quoted, as PHP's ``fputcsv`` writes them), dates ``MM/DD/YYYY``, newest first, empty or
  ``N/A`` cells where a tenor was not published; copies re-saved with ISO dates
  (``treasury_daily_par_yield_curve_*.csv``) and the archive's ``MM/DD/YY``. The spec's code is the
  column (``10 Yr``). The cached file is the years from 2021 merged in the same layout.
- average maturity: the refunding workbook's sheet ``Avg. mat. of debt outstanding`` (a title block,
  then a ``Year | Jan | … | Dec`` grid in whole months), read from the ``.xls`` itself or from its
  reduction to ``period,published_months`` (``period`` = ``YYYY-MM``; dated at month end), which is
  the cached file and also the layout of ``durationmonitor_wam_vs_treasury_published_months.csv``.
  The code ``our_months`` reads that file's computed column, or the computed WAM of
  ``durationmonitor_wam.csv`` (``wam_years`` × 12); neither is Treasury's figure. A code ending in
  ``_years`` reads that column of a table dated by ``record_date`` (the five-date cross-check
  ``marketplumbing_duration_supply_WAM.csv``, code ``wam_total_years``), converted to months (× 12).
- borrowing estimates (``qra_borrowing_estimates.csv``): one row per quarter,
  ``quarter,qra_release_date,<code>…`` (``quarter`` as ``2025Q2``, the release date ISO, amounts in
  $bn; the layout of ``qrawatch_official_qra_capture.csv``, whose further columns are ignored). The
  spec's code is the amount column (``total_financing_need_bn``: privately-held net marketable
  borrowing for the quarter; ``net_bill_issuance_bn``). Rows are dated at the quarter's start and
  published on ``qra_release_date`` (release vintages).

Live: ``https://home.treasury.gov/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/
{YEAR}/all?type=daily_treasury_yield_curve&field_tdr_date_value={YEAR}&page&_format=csv`` for each year
since 2021; the Quarterly Release Data workbook
``https://home.treasury.gov/system/files/221/{YEAR}-{1st|2nd|3rd|4th}-Quarter.xls``. The borrowing
estimates appear only in press releases ("Treasury Announces Marketable Borrowing Estimates"), so
``fetch`` refuses for them.
"""

from __future__ import annotations

import logging
import re
import struct
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import xlrd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import (
    decode_text,
    read_csv_text,
    reject_html,
    require_complete_text,
    source_lines,
    to_dates,
    to_numbers,
    write_csv,
)
from generator.sources.http import HttpClient
from generator.validate import check_download_ending

log = logging.getLogger(__name__)

# the par-curve CSV ends without a line break after its oldest row
ENDS_WITH_LINE_BREAK = False

PAR_CURVE_CSV = (
    "https://home.treasury.gov/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/"
    "{year}/all?type=daily_treasury_yield_curve&field_tdr_date_value={year}&page&_format=csv"
)
FIRST_YEAR = 2021
#: the publisher's column order; columns not listed here follow in the order they appear
TENORS = (
    "1 Mo",
    "1.5 Month",
    "1.5 Mo",
    "2 Mo",
    "3 Mo",
    "4 Mo",
    "6 Mo",
    "1 Yr",
    "2 Yr",
    "3 Yr",
    "5 Yr",
    "7 Yr",
    "10 Yr",
    "20 Yr",
    "30 Yr",
)
RATE_MISSING = ("N/A", "NA", "n/a")

WORKBOOK = "https://home.treasury.gov/system/files/221/{year}-{nth}-Quarter.xls"
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}
#: the quarter-Q workbook (data to the end of Q-1) appears mid-way through Q's first month; asking for
#: it from this many days into the quarter avoids a 404 without stepping back (the catalogue's lag)
WORKBOOK_RELEASE_DAYS = 35
SHEET = "Avg. mat. of debt outstanding"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
PUBLISHED = "published_months"
COMPUTED = "our_months"
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:[*†]+|[a-z]|\(\w\))?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0+)?\b")
_BLANK = re.compile(r"^\s*(|-+|–|—|n/?a|\.+)\s*$", re.IGNORECASE)


def _today() -> date:
    """Today's date; the only clock this module reads (tests replace it)."""
    return date.today()


# --- daily par yield curve


def _date_format(values: pd.Series) -> str | None:
    """Return the date format of the first non-empty cell: ``MM/DD/YYYY``, ``MM/DD/YY`` or ISO."""
    sample = next((value for value in values if value), "")
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", sample):
        return "%m/%d/%Y"
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", sample):
        return "%m/%d/%y"
    return None


def _curve_table(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return a par-curve CSV as text cells with a parsed ``date`` column (rows without a date dropped)."""
    table = read_csv_text(decode_text(raw, spec, origin), spec, origin, dtype=str, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    if not len(table.columns) or table.columns[0].lower() != "date":
        raise DataError(
            f"not a par yield curve CSV (first column {table.columns[0] if len(table.columns) else None!r})",
            file=origin,
            series=spec.key,
        )
    blank = [
        column
        for column in table.columns
        if column.startswith("Unnamed:") and not table[column].str.strip().any()
    ]
    table = table.drop(columns=blank)  # a trailing comma makes an empty, unnamed column
    dates = table[table.columns[0]].str.strip()
    table = table[dates != ""].copy()
    table.insert(0, "date", to_dates(dates[dates != ""], spec, origin, fmt=_date_format(dates)))
    return table.drop(columns=[table.columns[1]])


def _read_par_curve(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the tenor ``spec.code`` in percent; a date listed twice keeps its first row."""
    table = _curve_table(raw, spec, origin)
    columns = {"".join(str(column).lower().split()): column for column in table.columns}
    column = spec.code if spec.code in table.columns else columns.get("".join(spec.code.lower().split()))
    if column is None:
        raise DataError(
            f"no column {spec.code!r} (columns: {', '.join(table.columns[1:])})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    frame = pd.DataFrame(
        {"date": table["date"], "value": to_numbers(table[column], spec, origin, missing=RATE_MISSING)}
    )
    return frame.dropna()  # a day listed twice is judged by the validate stage


def _write_curve(dates: pd.Series, cells: pd.DataFrame) -> bytes:
    """Write the publisher's layout: newest first, ``MM/DD/YYYY``, tenor headers quoted, LF endings."""
    order = dates.sort_values(ascending=False, kind="stable").index
    header = ",".join(["Date", *(f'"{column}"' if " " in column else column for column in cells.columns)])
    lines = [header]
    for row in order:
        values = ["" if pd.isna(value) else str(value) for value in cells.loc[row]]
        lines.append(",".join([dates[row].strftime("%m/%d/%Y"), *values]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def merge_par_curves(tables: Sequence[pd.DataFrame]) -> bytes:
    """Return yearly par-curve tables (from :func:`_curve_table`) as one CSV; the first table wins a date."""
    known = [column for column in TENORS if any(column in table.columns for table in tables)]
    extra = [column for table in tables for column in table.columns[1:] if column not in TENORS]
    columns = known + list(dict.fromkeys(extra))
    merged = pd.concat([table.reindex(columns=["date", *columns]) for table in tables], ignore_index=True)
    merged = merged.drop_duplicates("date").reset_index(drop=True)
    return _write_curve(merged["date"], merged[columns])


def _fetch_par_curve(spec: SeriesSpec, http: HttpClient) -> bytes:
    tables = []
    for year in range(_today().year, FIRST_YEAR - 1, -1):
        url = PAR_CURVE_CSV.format(year=year)
        # the real CSV ends without a line break: a cut one ends with a short or unfinished row
        raw = check_download_ending(
            http.get(url, source=spec.key), spec, url, always_terminated=ENDS_WITH_LINE_BREAK
        )
        tables.append(_curve_table(raw, spec, url))
    return merge_par_curves(tables)


def _rate(value: float) -> str:
    """Two decimals as published, more only where the value needs them (synthetic data)."""
    if pd.isna(value):
        return ""
    return f"{value:.2f}" if round(value, 2) == value else f"{value:.10g}"


def _encode_par_curve(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    wide = pd.concat(
        [frames[spec.key].set_index("date")["value"].rename(spec.code).map(_rate) for spec in specs], axis=1
    ).fillna("")
    wide = wide.reset_index()
    return _write_curve(wide["date"], wide[[spec.code for spec in specs]])


# --- average maturity of marketable debt


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _month_columns(row: Sequence[object]) -> dict[int, int]:
    """Return {column: month number} if ``row`` names the twelve months, else an empty dict."""
    found = {}
    for column, value in enumerate(row):
        text = _cell_text(value).lower().rstrip(".")
        if len(text) >= 3 and text[:3] in MONTHS and text.isalpha():
            found[column] = MONTHS.index(text[:3]) + 1
    return found if sorted(found.values()) == list(range(1, 13)) else {}


def average_maturity_from_rows(
    rows: Sequence[Sequence[object]], spec: SeriesSpec, origin: str
) -> pd.DataFrame:
    """Return the months of the sheet's ``Year | Jan … Dec`` grid as date (month end), value (months).

    The header row is the first that names all twelve months; the year column is the one headed
    ``Year`` (else the first). Rows without a year (notes, blank lines) are skipped; blank, ``-`` and
    ``n/a`` cells are gaps; the grid ends at the next header row.
    """
    start = next((index for index, row in enumerate(rows) if _month_columns(row)), None)
    if start is None:
        raise DataError("no 'Year | Jan … Dec' header row in the sheet", file=origin, series=spec.key)
    months = _month_columns(rows[start])
    year_column = next(
        (column for column, value in enumerate(rows[start]) if _cell_text(value).lower() == "year"), 0
    )
    records = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if _month_columns(row):
            break
        year = _YEAR.match(_cell_text(row[year_column])) if year_column < len(row) else None
        if not year:
            continue
        for column, month in months.items():
            text = _cell_text(row[column]) if column < len(row) else ""
            if _BLANK.match(text):
                continue
            value = _NUMBER.match(text)
            if not value:
                raise DataError(
                    f"not a number of months: {text!r}", file=origin, line=number, series=spec.key
                )
            records.append(
                (pd.Timestamp(int(year.group(1)), month, 1) + pd.offsets.MonthEnd(0), float(value.group(1)))
            )
    if not records:
        raise DataError("the average-maturity grid has no values", file=origin, series=spec.key)
    return pd.DataFrame(records, columns=["date", "value"]).drop_duplicates("date")


def _pick_sheet(book: xlrd.book.Book) -> xlrd.sheet.Sheet:
    """Return the sheet named like ``Avg. mat. of debt outstanding`` (case, dots and spaces ignored)."""
    wanted = "".join(char for char in SHEET.lower() if char.isalnum())
    for name in book.sheet_names():
        if "".join(char for char in name.lower() if char.isalnum()) == wanted:
            return book.sheet_by_name(name)
    raise KeyError(f"no sheet {SHEET!r} among {book.sheet_names()}")


def workbook_rows(raw: bytes, spec: SeriesSpec, origin: str) -> list[list[object]]:
    """Return the cell values of the workbook's average-maturity sheet, row by row."""
    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
        sheet = _pick_sheet(book)
        return [sheet.row_values(index) for index in range(sheet.nrows)]
    except (
        xlrd.XLRDError,
        xlrd.compdoc.CompDocError,
        KeyError,
        IndexError,
        ValueError,
        AssertionError,
    ) as exc:
        raise DataError(f"cannot read the refunding workbook: {exc}", file=origin, series=spec.key) from exc
    except (struct.error, EOFError) as exc:
        raise DataError(f"the refunding workbook is damaged: {exc}", file=origin, series=spec.key) from exc


def _read_average_maturity(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return average maturity in months from the workbook, its CSV reduction, or the computed copies."""
    if raw.startswith(OLE2_MAGIC):
        if spec.code != PUBLISHED:
            raise DataError(f"the workbook holds {PUBLISHED}, not {spec.code}", file=origin, series=spec.key)
        return average_maturity_from_rows(workbook_rows(raw, spec, origin), spec, origin)
    table = read_csv_text(decode_text(raw, spec, origin), spec, origin, dtype=str, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    if "period" in table.columns and spec.code in table.columns:
        dates = to_dates(table["period"].str.strip(), spec, origin, fmt="%Y-%m") + pd.offsets.MonthEnd(0)
        values = to_numbers(table[spec.code], spec, origin, missing=("NA", "nan"))
    elif {"record_date", spec.code} <= set(table.columns) and spec.code.endswith("_years"):
        dates = to_dates(table["record_date"].str.strip(), spec, origin, fmt="%Y-%m-%d")
        values = to_numbers(table[spec.code], spec, origin, missing=("NA", "nan")) * 12
    elif {"observation_date", "wam_years"} <= set(table.columns) and spec.code == COMPUTED:
        dates = to_dates(
            table["observation_date"].str.strip(), spec, origin, fmt="ISO8601"
        ) + pd.offsets.MonthEnd(0)
        values = to_numbers(table["wam_years"], spec, origin) * 12
    else:
        raise DataError(
            f"no column {spec.code!r} (columns: {', '.join(table.columns[:8])})",
            file=origin,
            series=spec.key,
            hint="durationmonitor_wam.csv is a computed WAM (code our_months), not Treasury's figure",
        )
    return pd.DataFrame({"date": dates, "value": values}).dropna()  # repeats: the validate stage


def _write_average_maturity(frame: pd.DataFrame, code: str = PUBLISHED) -> bytes:
    frame = frame.sort_values("date")
    return write_csv(pd.DataFrame({"period": frame["date"].dt.strftime("%Y-%m"), code: frame["value"]}))


def workbook_url(today: date) -> str:
    """Return the newest refunding workbook that should exist on ``today``."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if (today - date(year, 3 * quarter - 2, 1)).days < WORKBOOK_RELEASE_DAYS:
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return WORKBOOK.format(year=year, nth=ORDINALS[quarter])


def _fetch_average_maturity(spec: SeriesSpec, http: HttpClient) -> bytes:
    """Download the workbook and reduce its sheet to ``period,published_months``.

    A mirror (``HttpClient.redirects``) may serve that reduction instead of the workbook.
    """
    url = workbook_url(_today())
    raw = http.get(url, source=spec.key)
    if raw.startswith(OLE2_MAGIC):
        try:
            return _write_average_maturity(
                average_maturity_from_rows(workbook_rows(raw, spec, url), spec, url)
            )
        except DataError as exc:
            raise SourceError(
                exc.message, file=url, series=spec.key, hint="has the workbook's layout changed?"
            ) from exc
    reject_html(raw, spec, url)
    return require_complete_text(raw, spec, url)


# --- refunding borrowing estimates

QRA_QUARTER = "quarter"
QRA_RELEASED = "qra_release_date"


def _read_borrowing_estimates(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the estimate ``spec.code`` in $bn by quarter (dated at its start), published on release."""
    table = read_csv_text(decode_text(raw, spec, origin), spec, origin, dtype=str, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    missing = [column for column in (QRA_QUARTER, QRA_RELEASED, spec.code) if column not in table.columns]
    if missing:
        raise DataError(
            f"no column {', '.join(missing)} (columns: {', '.join(table.columns[:8])})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    quarters = table[QRA_QUARTER].str.strip()
    table = table[quarters != ""]
    quarters = quarters[quarters != ""]
    bad = ~quarters.str.fullmatch(r"\d{4}Q[1-4]")
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 1
        raise DataError(
            f"not a quarter (YYYYQn): {quarters[bad].iloc[0]!r} (row {row} of the data)",
            file=origin,
            series=spec.key,
        )
    frame = pd.DataFrame(
        {
            "date": pd.PeriodIndex(quarters, freq="Q").to_timestamp(how="start"),
            "value": to_numbers(table[spec.code], spec, origin, missing=("NA", "nan")).to_numpy(),
            "published": to_dates(table[QRA_RELEASED].str.strip(), spec, origin, fmt="%Y-%m-%d").to_numpy(),
            **source_lines(table),
        }
    ).dropna()
    if frame["date"].duplicated().any():
        day = frame.loc[frame["date"].duplicated(), "date"].iloc[0]
        raise DataError(f"quarter {day.to_period('Q')} is listed twice", file=origin, series=spec.key)
    return frame


def _encode_borrowing_estimates(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write ``quarter,qra_release_date,<code>…``; the release date follows the spec's lag rule."""
    wide = pd.concat(
        [frames[spec.key].set_index("date")["value"].rename(spec.code) for spec in specs], axis=1
    ).sort_index()
    dates = pd.DatetimeIndex(wide.index)
    out = pd.DataFrame(
        {
            QRA_QUARTER: dates.to_period("Q").astype(str),
            QRA_RELEASED: specs[0].lag.published(dates).strftime("%Y-%m-%d"),
        }
    )
    for spec in specs:
        out[spec.code] = wide[spec.code].to_numpy()
    return write_csv(out)


# --- the three adapter functions

READERS = {
    "daily_treasury_yield_curve": _read_par_curve,
    "avg_maturity_marketable_debt": _read_average_maturity,
    "qra_borrowing_estimates": _read_borrowing_estimates,
}


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse the spec's file (par curve in %, average maturity in months, estimates in $bn)."""
    return READERS[Path(spec.file).stem](raw, spec, origin)


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download the par curve (one CSV per year, merged) or the latest refunding workbook's sheet."""
    spec = specs[0]
    stem = Path(spec.file).stem
    if stem == "qra_borrowing_estimates":
        raise SourceError(
            "Treasury publishes its marketable borrowing estimates only in press releases",
            series=spec.key,
            hint="add each release to qra_borrowing_estimates.csv (quarter,qra_release_date,"
            f"{spec.code}) in a --data-dir folder",
        )
    if stem == "avg_maturity_marketable_debt":
        return _fetch_average_maturity(spec, http)
    return _fetch_par_curve(spec, http)


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the canonical file: the par-curve CSV, ``period,published_months`` or the estimates."""
    stem = Path(specs[0].file).stem
    if stem == "avg_maturity_marketable_debt":
        (spec,) = specs
        return _write_average_maturity(frames[spec.key], spec.code)
    if stem == "qra_borrowing_estimates":
        return _encode_borrowing_estimates(frames, specs)
    return _encode_par_curve(frames, specs)
