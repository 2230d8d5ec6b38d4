"""US Treasury, Treasury International Capital (TIC): foreign holdings of Treasuries and net foreign
purchases of US long-term securities.

Formats read:
- ``mfhhis01.txt`` (live, canonical ``tic/mfhhis01.txt``): "Major foreign holders of Treasury
  securities", $bn at the end of each month, tab-separated text in yearly blocks, newest first. Each
  block has a row of month names (``Dec`` … ``Jan``), a ``Country`` row with the years, a dashed row,
  then one row per holder (``Japan``, ``"China, Mainland"``, ``All Other``, ``Grand Total``, …); a title
  above and footnotes below. Labels may be quoted, padded or carry footnote marks (``United Kingdom
  2/``). Series breaks show one month twice (June 2002–2011, March 2000): the left-hand column, the
  newer series, is kept; the right-hand one is the old series "shown for comparison only". ``n.a.``
  is missing and ``*`` (less than $50 million) is read as 0. The spec's code is the holder's label;
  ``Grand Total`` also matches a row labelled ``Total``. Dates are month ends.
- SLT Table 4 (live, canonical ``tic/slt_table4.txt``): title lines, two label rows and a header of
  field names (``country, country_code, date, for_lt_total_sale, …``), rows newest first, $mn,
  ``n.a.`` missing, a trailer of definitions. The table is labelled from the US side ("sales are
  sales by the U.S. to a foreign entity"), so net foreign purchases are ``for_lt_total_sale −
  for_lt_total_pur`` (code ``net_us_lt``) and ``for_lt_treas_sale − for_lt_treas_pur`` (code
  ``net_us_treasury``), from the Grand Total rows (country code 99996).
- the historical ``s1_globl`` layout (to January 2023): tab-separated despite its ``.csv`` name, 19
  header lines ending in ``name, code, month, [1] … [12]``, quoted numbers with thousands separators,
  newest first, $mn, labelled from the foreigners' side: net foreign purchases of US long-term
  securities = ([1]+[2]+[3]+[4]) − ([7]+[8]+[9]+[10]); of Treasury bonds and notes = [1] − [7]. Both
  definitions give foreigners' net purchases of US securities, so the two layouts join into one
  series (the s1 history ends 2023-01 and the SLT table starts 2023-02: there is no overlapping month
  to compare; the tests check the published figures of both sides).

Live: ``https://ticdata.treasury.gov/Publish/mfhhis01.txt`` and
``https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table4.txt``,
one GET each, no key.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError
from generator.sources.formats import decode_text
from generator.sources.http import HttpClient
from generator.validate import check_download_ending

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MISSING = ("", "n.a.", "n.a", "na", "-", "--")
BELOW_HALF_UNIT = "*"  #: "less than $50 million": rounds to 0.0 $bn
GRAND_TOTAL_LABELS = ("grand total", "total")
GRAND_TOTAL_CODE = "99996"

# mfhhis01.txt ends with its last footnote and no line break
ENDS_WITH_LINE_BREAK = False

#: SLT Table 4 (US-side labels): net foreign purchases = sales column − purchases column
SLT_NET = {
    "net_us_lt": ("for_lt_total_sale", "for_lt_total_pur"),
    "net_us_treasury": ("for_lt_treas_sale", "for_lt_treas_pur"),
}
#: s1_globl history (foreigners' side): net = sum of purchase columns − sum of sale columns
S1_NET = {
    "net_us_lt": (("[1]", "[2]", "[3]", "[4]"), ("[7]", "[8]", "[9]", "[10]")),
    "net_us_treasury": (("[1]",), ("[7]",)),
}
SLT_COLUMNS = (
    "for_lt_total_sale",
    "for_lt_treas_sale",
    "for_lt_agcy_sale",
    "for_lt_corp_sale",
    "for_lt_eqty_sale",
    "us_lt_total_sale",
    "us_lt_govt_bond_sale",
    "us_lt_corp_bond_sale",
    "us_lt_eqty_sale",
    "for_lt_total_pur",
    "for_lt_treas_pur",
    "for_lt_agcy_pur",
    "for_lt_corp_pur",
    "for_lt_eqty_pur",
    "us_lt_total_pur",
    "us_lt_govt_bond_pur",
    "us_lt_corp_bond_pur",
    "us_lt_eqty_pur",
)

_FOOTNOTE_MARK = re.compile(r"\s*\d+(,\d+)*/$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --------------------------------------------------------------------------- reading


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return date (month end), value: $bn for holdings (mfhhis01), $mn for net purchases (SLT, s1)."""
    text = decode_text(raw, spec, origin, encodings=("utf-8-sig", "cp1252"))
    rows = list(_rows(text))
    if any(_is_slt_header(cells) for _, cells in rows):
        return _read_slt(rows, spec, origin)
    if any(_is_s1_header(cells) for _, cells in rows):
        return _read_s1(rows, spec, origin)
    if any(_is_year_row(cells) for _, cells in rows):
        return _read_holdings(rows, spec, origin)
    raise DataError(
        "not a TIC file: no yearly blocks (mfhhis01), no SLT field-name header, no s1_globl header",
        file=origin,
        series=spec.key,
        hint="is this the right file?",
    )


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) of tab-separated text; quoted cells lose their quotes."""
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            cells = next(csv.reader([line], delimiter="\t"))
        except (csv.Error, StopIteration):
            cells = line.split("\t")
        yield number, cells


def _label(cell: str) -> str:
    """Normalise a row label: no quotes, footnote marks or extra blanks, lower case."""
    text = " ".join(cell.replace('"', " ").split())
    return _FOOTNOTE_MARK.sub("", text).strip().casefold()


def _number(cell: str, spec: SeriesSpec, origin: str, line: int) -> float | None:
    """Return the cell as a float, None when missing; raise naming the line for anything else."""
    text = cell.strip()
    if text.casefold() in MISSING:
        return None
    if text == BELOW_HALF_UNIT:
        return 0.0
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise DataError(f"not a number: {text!r}", file=origin, line=line, series=spec.key) from None


@functools.cache  # the same few hundred months recur across a file's blocks and columns
def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Period(year=year, month=month, freq="M").to_timestamp(how="end").normalize()


def _frame(points: list[tuple[pd.Timestamp, float, int]]) -> pd.DataFrame:
    """Return date, value, line; a date read twice stays twice (the validate stage judges repeats)."""
    frame = pd.DataFrame(points, columns=["date", "value", "line"])
    frame["date"] = pd.DatetimeIndex(frame["date"])
    return frame.sort_values(["date", "line"], kind="stable").reset_index(drop=True)


# --- mfhhis01: yearly blocks


def _is_month_row(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells[1:] if cell.strip()]
    return not cells[0].strip() and bool(filled) and all(cell in MONTHS for cell in filled)


def _is_year_row(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells[1:] if cell.strip()]
    return cells[0].strip() == "Country" and bool(filled) and all(_YEAR.match(cell) for cell in filled)


def _holder_labels(spec: SeriesSpec) -> tuple[str, ...]:
    label = _label(spec.code)
    return GRAND_TOTAL_LABELS if label in GRAND_TOTAL_LABELS else (label,)


def _read_holdings(rows: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> pd.DataFrame:
    if spec.code in SLT_NET:
        raise DataError(
            f"{spec.code} is a transactions series; this is the holdings table (mfhhis01)",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    labels = _holder_labels(spec)
    points: list[tuple[pd.Timestamp, float, int]] = []
    months: list[str] = []
    columns: dict[int, pd.Timestamp] = {}
    countries: dict[int, float] | None = None  # the block's country rows added up, until its Grand Total
    for line, cells in rows:
        if _is_month_row(cells):
            months, columns, countries = cells, {}, None
        elif _is_year_row(cells):
            columns = _block_columns(months, cells, spec, origin, line)
            countries = dict.fromkeys(columns, 0.0)
        elif months and not columns and _label(cells[0]) in labels:
            raise DataError(
                "a yearly block has no 'Country' row of years", file=origin, line=line, series=spec.key
            )
        elif columns and _label(cells[0]):
            label = _label(cells[0])
            values = {
                index: _number(cells[index] if index < len(cells) else "", spec, origin, line)
                for index in columns
            }
            if label in labels:
                points.extend(
                    (columns[index], value, line) for index, value in values.items() if value is not None
                )
            if countries is not None and label in GRAND_TOTAL_LABELS:
                _check_total(countries, values, columns, spec, origin, line)
                countries = None  # the "Of which" rows below the total are parts of it, not countries
            elif countries is not None:
                for index, value in values.items():
                    # a month with an "n.a." country row cannot be added up: it is left unchecked
                    countries[index] = countries[index] + value if value is not None else float("nan")
    if not points:
        raise DataError(
            f"no row {spec.code!r} in any yearly block",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    return _frame(points)


#: the country rows of a block add up to its Grand Total within rounding ($bn; at most 0.5 since 2000)
TOTAL_TOLERANCE = 2.0


def _check_total(
    countries: dict[int, float],
    totals: dict[int, float | None],
    columns: dict[int, pd.Timestamp],
    spec: SeriesSpec,
    origin: str,
    line: int,
) -> None:
    """Raise if a block's country rows do not add up to its Grand Total (a row changed or lost)."""
    for index, total in totals.items():
        if total is not None and abs(countries[index] - total) > TOTAL_TOLERANCE:  # NaN: unchecked
            raise DataError(
                f"the country rows of {columns[index]:%b %Y} add up to {countries[index]:.1f}, "
                f"the Grand Total says {total:g}",
                file=origin,
                line=line,
                series=spec.key,
                hint="a row was changed or lost: restore the file",
            )


def _block_columns(
    months: list[str], years: list[str], spec: SeriesSpec, origin: str, line: int
) -> dict[int, pd.Timestamp]:
    """Map column index → month end for one block; a month shown twice keeps its left-hand (newer) column."""
    columns: dict[int, pd.Timestamp] = {}
    for index, year in enumerate(years):
        if index == 0 or not year.strip():
            continue
        month = months[index].strip() if index < len(months) else ""
        if month not in MONTHS:
            raise DataError(
                f"column {index + 1} has the year {year.strip()} but no month above it",
                file=origin,
                line=line,
                series=spec.key,
            )
        date = _month_end(int(year), MONTHS.index(month) + 1)
        if date not in columns.values():
            columns[index] = date
    return columns


# --- SLT Table 4


def _is_slt_header(cells: list[str]) -> bool:
    return "for_lt_total_sale" in (cell.strip() for cell in cells)


def _read_slt(rows: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> pd.DataFrame:
    if spec.code not in SLT_NET:
        raise DataError(
            f"no series {spec.code!r} in SLT Table 4 (codes: {', '.join(SLT_NET)})",
            file=origin,
            series=spec.key,
        )
    sale, purchase = SLT_NET[spec.code]
    header_at = next(i for i, (_, cells) in enumerate(rows) if _is_slt_header(cells))
    names = [cell.strip() for cell in rows[header_at][1]]
    missing = {"country", "country_code", "date", sale, purchase} - set(names)
    if missing:
        raise DataError(
            f"SLT header lacks {sorted(missing)}", file=origin, line=rows[header_at][0], series=spec.key
        )
    points: list[tuple[pd.Timestamp, float, int]] = []
    for line, cells in _table_body(rows[header_at + 1 :]):
        record = dict(zip(names, (cell.strip() for cell in cells), strict=False))
        date = _parse_year_month(record.get("date", ""), spec, origin, line)
        if not _is_grand_total(record.get("country", ""), record.get("country_code", ""), spec, origin, line):
            continue
        sold = _number(record.get(sale, ""), spec, origin, line)
        bought = _number(record.get(purchase, ""), spec, origin, line)
        if sold is not None and bought is not None:
            points.append((date, sold - bought, line))
    if not points:
        raise DataError("no Grand Total rows (country code 99996)", file=origin, series=spec.key)
    return _frame(points)


def _is_grand_total(name: str, code: str, spec: SeriesSpec, origin: str, line: int) -> bool:
    """True for the grand-total row; its name and its code must agree (a changed code loses a month)."""
    named, coded = _label(name) in GRAND_TOTAL_LABELS, code.strip() == GRAND_TOTAL_CODE
    if named != coded:
        raise DataError(
            f"row {name.strip()!r} has the code {code.strip()!r}: "
            f"the grand total is coded {GRAND_TOTAL_CODE}",
            file=origin,
            line=line,
            series=spec.key,
        )
    return coded


def _table_body(rows: list[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Yield the data rows under a header: up to the first blank row (the trailer follows it)."""
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            return
        yield line, cells


def _parse_year_month(cell: str, spec: SeriesSpec, origin: str, line: int) -> pd.Timestamp:
    match = _YEAR_MONTH.match(cell.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DataError(f"not a month (YYYY-MM): {cell.strip()!r}", file=origin, line=line, series=spec.key)
    return _month_end(int(match.group(1)), int(match.group(2)))


# --- s1_globl history


def _is_s1_header(cells: list[str]) -> bool:
    stripped = [cell.strip() for cell in cells]
    return stripped[:4] == ["name", "code", "month", "[1]"]


def _read_s1(rows: list[tuple[int, list[str]]], spec: SeriesSpec, origin: str) -> pd.DataFrame:
    if spec.code not in S1_NET:
        raise DataError(
            f"no series {spec.code!r} in the s1_globl history (codes: {', '.join(S1_NET)})",
            file=origin,
            series=spec.key,
        )
    plus, minus = S1_NET[spec.code]
    header_at = next(i for i, (_, cells) in enumerate(rows) if _is_s1_header(cells))
    names = [cell.strip() for cell in rows[header_at][1]]
    points: list[tuple[pd.Timestamp, float, int]] = []
    for line, cells in _table_body(rows[header_at + 1 :]):
        if set("".join(cells).strip()) <= {"-", " "}:
            continue  # the dashed rule under the header
        record = dict(zip(names, (cell.strip() for cell in cells), strict=False))
        date = _parse_year_month(record.get("month", ""), spec, origin, line)
        if not _is_grand_total(record.get("name", ""), record.get("code", ""), spec, origin, line):
            continue
        added = [_number(record.get(name, ""), spec, origin, line) for name in plus]
        taken = [_number(record.get(name, ""), spec, origin, line) for name in minus]
        if None in added or None in taken:
            continue
        points.append((date, sum(added) - sum(taken), line))  # type: ignore[arg-type]
    if not points:
        raise DataError("no Grand Total rows (country code 99996)", file=origin, series=spec.key)
    return _frame(points)


# --------------------------------------------------------------------------- fetching


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Download the TIC text file the specs share (holdings history or SLT Table 4)."""
    spec = specs[0]
    raw = http.get(spec.endpoint, source=spec.key)
    # mfhhis01.txt ends without a line break: a cut download ends inside a row or a quote
    return check_download_ending(raw, spec, spec.endpoint, always_terminated=ENDS_WITH_LINE_BREAK)


# --------------------------------------------------------------------------- encoding


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the TIC format of the specs' file: mfhhis01 yearly blocks, or SLT Table 4."""
    if all(spec.code in SLT_NET for spec in specs):
        return _encode_slt(frames, specs)
    return _encode_holdings(frames, specs)


def _fmt(value: float) -> str:
    return format(float(value), ".12g")


def _tab_line(cells: list[str], width: int) -> str:
    padded = cells + [""] * (width - len(cells))
    return "\t".join(padded)


def _quoted(label: str) -> str:
    return f'"{label}"' if "," in label else label


def _encode_holdings(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Yearly blocks, newest first, Dec … Jan; holders in spec order with the Grand Total last."""
    ordered = sorted(specs, key=lambda spec: _label(spec.code) in GRAND_TOTAL_LABELS)
    series = {spec.key: _month_values(frames[spec.key]) for spec in ordered}
    periods = sorted({period for values in series.values() for period in values}, reverse=True)
    width = 14
    lines = [
        _tab_line(["", "", "", "MAJOR FOREIGN HOLDERS OF TREASURY SECURITIES"], width),
        _tab_line(["", "", "", "", "    (in billions of dollars)"], width),
        _tab_line(["", "", "", "", "HOLDINGS 1/ AT END OF PERIOD"], width),
        _tab_line([], width),
    ]
    for year in sorted({period.year for period in periods}, reverse=True):
        months = [period for period in periods if period.year == year]
        lines.append(_tab_line([""], width))
        lines.append(_tab_line(["", *(MONTHS[period.month - 1] for period in months)], width))
        lines.append(_tab_line(["Country", *(str(year) for _ in months)], width))
        lines.append(_tab_line(["", *("------" for _ in months)], width))
        for spec in ordered:
            if _label(spec.code) in GRAND_TOTAL_LABELS:  # the rest of the world, so the rows add up
                lines.append(
                    _tab_line(["All Other", *(_rest(series, ordered, period) for period in months)], width)
                )
            values = series[spec.key]
            cells = [_fmt(values[period]) if period in values else "n.a." for period in months]
            lines.append(_tab_line([_quoted(spec.code), *cells], width))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rest(series: dict[str, dict[pd.Period, float]], specs: list[SeriesSpec], period: pd.Period) -> str:
    """The Grand Total less the holders written above it ("n.a." if one of them is missing)."""
    total, *holders = [
        series[spec.key].get(period)
        for spec in sorted(specs, key=lambda spec: _label(spec.code) not in GRAND_TOTAL_LABELS)
    ]
    if total is None or any(value is None for value in holders):
        return "n.a."
    return _fmt(round(total - sum(holders), 6))  # type: ignore[arg-type]


def _month_values(frame: pd.DataFrame) -> dict[pd.Period, float]:
    clean = frame.dropna(subset=["value"])
    return dict(
        zip(pd.DatetimeIndex(clean["date"]).to_period("M"), clean["value"].astype(float), strict=True)
    )


def _encode_slt(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """SLT Table 4 with Grand Total rows only, newest first, CRLF; gross flows chosen to give the nets."""
    by_code = {spec.code: _month_values(frames[spec.key]) for spec in specs}
    total = by_code.get("net_us_lt", {})
    treasury = by_code.get("net_us_treasury", {})
    width = 3 + len(SLT_COLUMNS)
    lines = [
        _tab_line(
            ["Table 4: U.S. Purchases and Sales of Long-Term Domestic and Foreign Securities by Type"], width
        ),
        _tab_line(["All Countries and International and Regional Organizations"], width),
        _tab_line(["Millions of dollars"], width),
        _tab_line(
            [
                "Link: https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table4.txt"
            ],
            width,
        ),
        _tab_line([], width),
        _tab_line(["", "", "", *(["Sales of"] * 9), *(["Purchases of"] * 9)], width),
        _tab_line(["Country", "Country Code", "Date"], width),
        "\t".join(["country", "country_code", "date", *SLT_COLUMNS]),
    ]
    for period in sorted(set(total) | set(treasury), reverse=True):
        gross = _slt_gross(total.get(period), treasury.get(period))
        cells = [gross[name] for name in SLT_COLUMNS]
        lines.append(
            "\t".join(["Grand Total", GRAND_TOTAL_CODE, f"{period.year:04d}-{period.month:02d}", *cells])
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _slt_gross(net_total: float | None, net_treasury: float | None) -> dict[str, str]:
    """Return gross flows ($mn) whose sales minus purchases are the nets; ``n.a.`` where a net is missing."""
    base = 1_000_000.0
    split = net_treasury if net_treasury is not None else 0.0
    values = {
        "for_lt_treas_pur": base,
        "for_lt_treas_sale": base + split,
        "for_lt_agcy_pur": base / 10,
        "for_lt_agcy_sale": base / 10,
        "for_lt_corp_pur": base / 5,
        "for_lt_corp_sale": base / 5,
        "for_lt_eqty_pur": base * 2,
        "for_lt_eqty_sale": base * 2 + ((net_total or 0.0) - split),
        "us_lt_govt_bond_pur": base / 4,
        "us_lt_govt_bond_sale": base / 4,
        "us_lt_corp_bond_pur": base / 4,
        "us_lt_corp_bond_sale": base / 4,
        "us_lt_eqty_pur": base,
        "us_lt_eqty_sale": base,
    }
    for side in ("sale", "pur"):
        parts = ("treas", "agcy", "corp", "eqty")
        values[f"for_lt_total_{side}"] = sum(values[f"for_lt_{part}_{side}"] for part in parts)
        us_parts = ("govt_bond", "corp_bond", "eqty")
        values[f"us_lt_total_{side}"] = sum(values[f"us_lt_{part}_{side}"] for part in us_parts)
    text = {name: _fmt(value) for name, value in values.items()}
    if net_treasury is None:
        text.update({"for_lt_treas_sale": "n.a.", "for_lt_treas_pur": "n.a."})
    if net_total is None:
        text.update({"for_lt_total_sale": "n.a.", "for_lt_total_pur": "n.a."})
    return text
