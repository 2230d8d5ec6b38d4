"""File-format readers that several publishers share: CSV through pandas with clear errors, HTML
error pages, and the OHLCV layout that some mirrored copies use (``DATE`` as ``YYYYMMDD``, O=H=L=C).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", re.IGNORECASE)


def reject_html(raw: bytes, spec: SeriesSpec, origin: str) -> None:
    """Raise if ``raw`` is an HTML page (an error or login page served instead of data)."""
    if _HTML_START.match(raw[:512]):
        raise DataError(
            "got an HTML page instead of data",
            file=origin,
            series=spec.key,
            hint="the publisher may have moved the file or be showing an error page",
        )


def require_complete_text(raw: bytes, spec: SeriesSpec, url: str) -> bytes:
    """Return ``raw`` if it ends with a line break; a text download cut short usually does not."""
    if raw and not raw.rstrip(b" \t").endswith((b"\n", b"\r")):
        raise SourceError(
            "the download looks truncated (no line break at the end)",
            file=url,
            series=spec.key,
            hint="try again; the cached copy is kept",
        )
    return raw


def decode_text(
    raw: bytes, spec: SeriesSpec, origin: str, encodings: tuple[str, ...] = ("utf-8-sig",)
) -> str:
    """Decode ``raw`` with the first encoding that works."""
    reject_html(raw, spec, origin)
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"not text in {' or '.join(encodings)}", file=origin, series=spec.key)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(r"^[^\S\n]*$", re.MULTILINE)  #: a line of white space only (str.strip's)
#: options that change which lines become rows; with any of them the source lines are not tracked
_ROW_OPTIONS = ("skiprows", "header", "comment", "nrows", "skipfooter", "skip_blank_lines")


_RECENT_TABLES = 4
#: the last tables parsed, by text and options: adapters get a copy, so one series' edits stay its own
_recent_tables: dict[tuple[str, str], pd.DataFrame] = {}


def read_csv_text(text: str, spec: SeriesSpec, origin: str, **options: object) -> pd.DataFrame:
    """Run ``pandas.read_csv`` on ``text``, turning its errors into a :class:`DataError` with the line.

    Where each row is one line of the text (no line breaks inside quoted cells), the table's index is
    the row's line number in the file, named ``line``: adapters that build their frame from the
    table's columns carry it through, and the validate stage names lines in its errors.
    """
    key = (text, repr(sorted(options.items())))
    if key in _recent_tables:  # several series of one file (MSPD, the par curve) parse it once
        return _recent_tables[key].copy()
    try:
        table = pd.read_csv(io.StringIO(text), **options)  # type: ignore[call-overload]
    except (pd.errors.ParserError, ValueError, IndexError) as exc:
        line_match = re.search(r"line (\d+)", str(exc))
        raise DataError(
            f"cannot parse as CSV: {exc}",
            file=origin,
            line=int(line_match.group(1)) if line_match else None,
            series=spec.key,
        ) from exc
    if not any(option in options for option in _ROW_OPTIONS):
        numbers = row_lines(text)
        if len(numbers) == len(table) + 1:  # the header, then one line per row
            table.index = pd.Index(np.asarray(numbers[1:], dtype="int64"), name="line")
    _recent_tables[key] = table.copy()
    while len(_recent_tables) > _RECENT_TABLES:
        del _recent_tables[next(iter(_recent_tables))]
    return table


def row_lines(text: str) -> list[int] | range:
    """Return the numbers (1 = the first) of the lines of ``text`` that are not blank."""
    body = text[:-1] if text.endswith("\n") else text
    if "\r" not in body and not _BLANK_LINE.search(body):  # most files: every line holds a row
        return range(1, body.count("\n") + 2) if body else range(0)
    return [number for number, line in enumerate(_LINE_BREAK.split(text), start=1) if line.strip()]


def source_lines(table: pd.DataFrame) -> dict[str, object]:
    """``{"line": …}`` for a frame built from ``table``'s rows, if :func:`read_csv_text` numbered them."""
    return {"line": table.index.to_numpy()} if table.index.name == "line" else {}


def to_numbers(values: pd.Series, spec: SeriesSpec, origin: str, missing: tuple[str, ...] = ()) -> pd.Series:
    """Convert text cells to floats; ``missing`` tokens and blanks become NaN, anything else is an error."""
    try:  # most columns hold plain numbers only: one C pass, and the checks below only when it fails
        plain = pd.to_numeric(values, errors="raise")
        if plain.dtype.kind in "iuf" and not plain.isna().any():
            return plain.astype("float64")
    except (ValueError, TypeError):
        pass
    if missing:  # the same pass once the exact missing tokens and blanks are set aside
        try:
            plain = pd.to_numeric(values.mask(values.isin(("", *missing))), errors="raise")
            if plain.dtype.kind in "iuf":
                return plain.astype("float64")
        except (ValueError, TypeError):
            pass
    text = values.astype("string").str.strip()
    text = text.mask(text.isin(("", *missing)))
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    bad = numbers.isna() & text.notna()
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"not a number: {text.iloc[position]!r} (row {position + 1} of the data)",
            file=origin,
            series=spec.key,
        )
    return numbers.astype("float64")


def pick_value_column(columns: list[str], spec: SeriesSpec, origin: str) -> str:
    """Return the column named by the spec's code, or the only column after the date column."""
    if spec.code in columns[1:]:
        return spec.code
    if len(columns) == 2:
        return columns[1]
    raise DataError(
        f"no column {spec.code} among {columns[:8]}",
        file=origin,
        series=spec.key,
        hint="is this the right file?",
    )


def cell_number(
    cell: str, spec: SeriesSpec, origin: str, line: int, missing: tuple[str, ...] = ()
) -> float | None:
    """Return one text cell as a float; None for a blank or a ``missing`` token; DataError with the line."""
    text = cell.strip()
    if not text or text in missing:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise DataError(f"not a number: {text!r}", file=origin, line=line, series=spec.key) from exc


def to_dates(values: pd.Series, spec: SeriesSpec, origin: str, fmt: str | None = None) -> pd.Series:
    """Parse dates; an unparseable one is an error naming the value."""
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"not a date: {values.iloc[position]!r} (row {position + 1} of the data)",
            file=origin,
            series=spec.key,
        )
    return parsed


def is_ohlcv(text: str) -> bool:
    """True for the mirrored OHLCV layout: header ``DATE,OPEN,HIGH,LOW,CLOSE,VOLUME``."""
    return text.lstrip().upper().startswith("DATE,OPEN,HIGH,LOW,CLOSE")


def read_ohlcv(text: str, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Read the OHLCV layout: ``DATE`` as integer ``YYYYMMDD``; the value is ``CLOSE``."""
    table = read_csv_text(text, spec, origin, dtype=str)
    return pd.DataFrame(
        {
            "date": to_dates(table["DATE"].str.strip(), spec, origin, fmt="%Y%m%d"),
            "value": to_numbers(table["CLOSE"], spec, origin),
        }
    ).dropna()


def write_csv(frame: pd.DataFrame, **options: object) -> bytes:
    """Serialise ``frame`` as CSV bytes: LF line endings, gaps as empty cells, up to 10 significant digits."""
    settings: dict[str, object] = {"index": False, "lineterminator": "\n", "na_rep": ""}
    settings["float_format"] = "%.10g"
    settings.update(options)
    return frame.to_csv(**settings).encode("utf-8")  # type: ignore[call-overload]
