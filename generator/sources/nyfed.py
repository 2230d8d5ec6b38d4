"""Federal Reserve Bank of New York: the Adrian–Crump–Moench (ACM) Treasury term premia.

Formats read (values in percent):
- the cached sheet (canonical ``nyfed/ACMTermPremium_daily.csv`` and ``…_monthly.csv``): one sheet of
  the NY Fed workbook as CSV with the workbook's own column names, ``DATE,ACMY01,…,ACMY10,ACMTP01,…,
  ACMTP10,ACMRNY01,…,ACMRNY10``, ``DATE`` as ISO ``YYYY-MM-DD``; the spec's code picks the column.
- the NY Fed's CSV export of a sheet: the same columns, quoted, ``DATE`` like ``30-Jun-1961``.
- two-column copies ``date,value`` of one column (the code names the column that was copied).
Empty cells, ``NA``, ``NaN`` and ``#N/A`` are gaps.

Live: ``https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls``,
an Excel 97 workbook with the sheets ``ACM Daily`` and ``ACM Monthly`` (header row ``DATE, ACMY01,
…``; dates as Excel date cells or as ``dd-Mon-yyyy`` text). ``fetch`` downloads it once per cached
file and keeps the one sheet that file holds (daily series: ``ACM Daily``; monthly: ``ACM Monthly``)
as CSV. A mirror that serves the cached CSV itself (as the tests' local server does) is accepted as is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import (
    decode_text,
    pick_value_column,
    read_csv_text,
    require_complete_text,
    to_dates,
    to_numbers,
)
from generator.sources.http import HttpClient

WORKBOOK_URL = "https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls"
SHEETS = {"daily": "ACM Daily", "monthly": "ACM Monthly"}
MISSING = ("NA", "NaN", "nan", "#N/A", "N/A", ".")
DATE_COLUMN = "DATE"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLSX_MAGIC = b"PK\x03\x04"
_BIFF8_BOF = b"\x09\x08"  #: a bare BIFF8 workbook stream (no OLE2 container), which xlrd also reads
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------- reading


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date, value (percent) of the ACM column named by ``spec.code``."""
    text = decode_text(raw, spec, origin)
    table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
    columns = [str(column).strip() for column in table.columns]
    table.columns = columns
    value_column = pick_value_column(columns, spec, origin)
    date_column = DATE_COLUMN if DATE_COLUMN in columns else columns[0]
    iso = table[date_column].map(lambda cell: _iso_date(cell, spec, origin))
    return pd.DataFrame(
        {
            "date": to_dates(iso, spec, origin, fmt="%Y-%m-%d"),
            "value": to_numbers(table[value_column], spec, origin, missing=MISSING),
        }
    ).dropna()


def _iso_date(cell: object, spec: SeriesSpec, origin: str) -> str:
    """Return ``cell`` as ``YYYY-MM-DD``; ``dd-Mon-yyyy`` is read with English month names (no locale)."""
    text = str(cell).strip()
    match = _DAY_MON_YEAR.match(text)
    if match:
        month = _MONTH_NUMBER.get(match.group(2).casefold())
        if month is None:
            raise DataError(f"not a date: {text!r}", file=origin, series=spec.key)
        return f"{int(match.group(3)):04d}-{month:02d}-{int(match.group(1)):02d}"
    if _ISO_DATE.match(text):
        return text[:10]
    return text  # to_dates names it in its error


# --------------------------------------------------------------------------- fetching


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download the ACM workbook and return the sheet of ``specs``' file as CSV."""
    spec = specs[0]
    raw = http.get(WORKBOOK_URL, source=spec.key)
    if raw.startswith((_OLE2_MAGIC, _XLSX_MAGIC, _BIFF8_BOF)):
        sheet = sheet_name(spec)
        return sheet_to_csv(workbook_sheet_rows(raw, sheet, spec), spec, f"{WORKBOOK_URL} [{sheet}]")
    return require_complete_text(raw, spec, WORKBOOK_URL)


def sheet_name(spec: SeriesSpec) -> str:
    """Return the workbook sheet that holds ``spec``'s frequency."""
    try:
        return SHEETS[spec.frequency]
    except KeyError:
        raise SourceError(f"no ACM sheet for {spec.frequency} data", series=spec.key) from None


def workbook_sheet_rows(raw: bytes, sheet: str, spec: SeriesSpec) -> list[list[object]]:
    """Return the cells of one sheet, row by row: dates as ``datetime``, numbers as float, text as str."""
    if raw.startswith(_XLSX_MAGIC):
        return _xlsx_rows(raw, sheet, spec)
    import xlrd  # imported here: only live fetches need it

    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
    except Exception as exc:  # xlrd raises several unrelated types for a damaged file
        raise SourceError(
            f"not a readable Excel workbook: {exc}",
            file=WORKBOOK_URL,
            series=spec.key,
            hint="try again later",
        ) from exc
    if sheet not in book.sheet_names():
        raise SourceError(
            f"the workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheet_names())})",
            file=WORKBOOK_URL,
            series=spec.key,
            hint="the NY Fed may have renamed the sheets",
        )
    table = book.sheet_by_name(sheet)
    return [[_xlrd_cell(cell, book.datemode) for cell in table.row(index)] for index in range(table.nrows)]


def _xlrd_cell(cell: object, datemode: int) -> object:
    import xlrd

    kind = cell.ctype  # type: ignore[attr-defined]
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, datemode)  # type: ignore[attr-defined]
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return cell.value  # type: ignore[attr-defined]


def _xlsx_rows(raw: bytes, sheet: str, spec: SeriesSpec) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML and KeyError types for a damaged file
        raise SourceError(
            f"not a readable Excel workbook: {exc}", file=WORKBOOK_URL, series=spec.key
        ) from exc
    if sheet not in book.sheetnames:
        raise SourceError(
            f"the workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})",
            file=WORKBOOK_URL,
            series=spec.key,
        )
    return [["" if cell is None else cell for cell in row] for row in book[sheet].iter_rows(values_only=True)]


def sheet_to_csv(rows: Sequence[Sequence[object]], spec: SeriesSpec, origin: str) -> bytes:
    """Return the sheet's table as CSV: the header row from ``DATE`` on, ISO dates, numbers at full precision.

    Rows above the header (titles) and empty rows are dropped; a row whose date cannot be read is an error.
    """
    header_at = next(
        (i for i, row in enumerate(rows) if row and str(row[0]).strip().upper() == DATE_COLUMN), None
    )
    if header_at is None:
        raise DataError("no header row starting with DATE in the sheet", file=origin, series=spec.key)
    names = [str(cell).strip() for cell in rows[header_at]]
    while names and not names[-1]:
        names.pop()
    if spec.code not in names:
        raise DataError(
            f"the sheet has no column {spec.code} (columns: {names[:8]}…)", file=origin, series=spec.key
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([DATE_COLUMN, *names[1:]])
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = [*row[: len(names)], *[""] * (len(names) - len(row))]
        if all(_is_blank(cell) for cell in cells):
            continue
        date = _cell_date(cells[0], spec, origin, offset)
        writer.writerow([date, *(_cell_number(cell, spec, origin, offset) for cell in cells[1:])])
    return out.getvalue().encode("utf-8")


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell_date(cell: object, spec: SeriesSpec, origin: str, row: int) -> str:
    if isinstance(cell, dt.datetime | dt.date):
        return cell.strftime("%Y-%m-%d")
    text = _iso_date(cell, spec, origin)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise DataError(f"row {row} of the sheet: not a date: {cell!r}", file=origin, series=spec.key)
    return text


def _cell_number(cell: object, spec: SeriesSpec, origin: str, row: int) -> str:
    if _is_blank(cell):
        return ""
    if isinstance(cell, bool):
        raise DataError(f"row {row} of the sheet: not a number: {cell!r}", file=origin, series=spec.key)
    if isinstance(cell, int | float):
        return repr(float(cell))
    text = str(cell).strip()
    if text in MISSING:
        return ""
    try:
        return repr(float(text))
    except ValueError:
        raise DataError(
            f"row {row} of the sheet: not a number: {text!r}", file=origin, series=spec.key
        ) from None


# --------------------------------------------------------------------------- encoding


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the cached sheet CSV: ``DATE`` and one column per spec code (the NY Fed's names)."""
    columns: dict[str, pd.Series] = {}
    for spec in specs:
        frame = frames[spec.key]
        columns[spec.code] = pd.Series(frame["value"].to_numpy(), index=pd.DatetimeIndex(frame["date"]))
    table = pd.DataFrame(columns).sort_index()
    rows = [[DATE_COLUMN, *table.columns]]
    for date, values in table.iterrows():
        rows.append([date.strftime("%Y-%m-%d"), *("" if pd.isna(v) else repr(float(v)) for v in values)])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")
