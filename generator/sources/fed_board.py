"""Federal Reserve Board: FOMC decision dates and Treasury holdings by sector from the Financial
Accounts of the United States (Z.1). Both are read from ``--data-dir`` folders only.

Formats read (the dataset is chosen by the spec's canonical file):
- FOMC calendar (``fomc_calendar.csv``): one row per policy decision, the decision date in a column
  ``decision_date`` (ISO), either ``decision_date,meeting_start,type,source`` (``type`` scheduled or
  unscheduled; the canonical layout, also written for the demo data) or
  ``year,meeting_start,decision_date``. Every decision is an event of value 1.0 on its date; the
  spec's code is the date column (``decision_date``). Scheduled future meetings are listed too.
- Z.1 Treasury holdings by sector (``z1_treasury_holdings.csv``): the long panel
  ``date,sector,instrument,holdings,source`` (dates at period end, annual to 1951 and quarterly
  after, holdings in $mn, as harmonised by the tsyparty project from the Z.1 tables). The spec's code
  is the sector (``foreigners_official``, ``money_market_funds``, …); the instrument is
  ``all_treasuries``.

Live: none. The FOMC calendar is only an HTML page
(``https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm`` and ``fomchistorical<YYYY>.htm``),
and the Z.1 is served by the Data Download Program
(``https://www.federalreserve.gov/datadownload/``) as zipped CSVs of the Fed's own series codes
(e.g. ``FL263061105.Q``, rest of the world; Treasury securities) whose sector mapping to this panel is
the tsyparty project's; ``fetch`` refuses with an explanation rather than guess either.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.sources.formats import (
    decode_text,
    read_csv_text,
    source_lines,
    to_dates,
    to_numbers,
    write_csv,
)
from generator.sources.http import HttpClient

FOMC_FILE = "fomc_calendar"
Z1_FILE = "z1_treasury_holdings"
DECISION = "decision_date"
INSTRUMENT = "all_treasuries"
EVENT_VALUE = 1.0
MISSING = ("NA", "nan", "NaN", "")


def _table(raw: bytes, spec: SeriesSpec, origin: str, required: tuple[str, ...]) -> pd.DataFrame:
    """Return the CSV as stripped text cells; DataError if a ``required`` column is missing."""
    table = read_csv_text(decode_text(raw, spec, origin), spec, origin, dtype=str, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    missing = [column for column in required if column not in table.columns]
    if missing:
        raise DataError(
            f"no column {', '.join(missing)} (columns: {', '.join(table.columns[:8])})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    return table.apply(lambda column: column.str.strip())


def _read_fomc(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return one row per FOMC decision: date (the decision day), value 1.0 (a count of decisions)."""
    table = _table(raw, spec, origin, (spec.code,))
    cells = table[spec.code]
    dates = to_dates(cells[cells != ""], spec, origin, fmt="%Y-%m-%d")
    frame = pd.DataFrame({"date": dates.to_numpy(), "value": EVENT_VALUE, **source_lines(dates)})
    return frame.sort_values("date").reset_index(drop=True)  # a day listed twice: the validate stage


def _read_z1(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Return the holdings of Treasury securities of the sector ``spec.code`` in $mn."""
    table = _table(raw, spec, origin, ("date", "sector", "instrument", "holdings"))
    rows = table[(table["sector"] == spec.code) & (table["instrument"] == INSTRUMENT)]
    if rows.empty:
        sectors = ", ".join(sorted(set(table["sector"]))[:12])
        raise DataError(
            f"no rows of sector {spec.code!r}, instrument {INSTRUMENT!r} (sectors: {sectors})",
            file=origin,
            series=spec.key,
            hint="is this the right file?",
        )
    frame = pd.DataFrame(
        {
            "date": to_dates(rows["date"], spec, origin, fmt="%Y-%m-%d"),
            "value": to_numbers(rows["holdings"], spec, origin, missing=MISSING),
        }
    ).dropna()
    return frame.sort_values("date")  # a sector listed twice on a day: the validate stage


READERS = {FOMC_FILE: _read_fomc, Z1_FILE: _read_z1}


def _dataset(spec: SeriesSpec) -> str:
    stem = Path(spec.file).stem
    if stem not in READERS:
        raise KeyError(f"fed_board reads {', '.join(READERS)}, not {spec.file}")
    return stem


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse the spec's file: FOMC decisions (value 1.0 per decision) or Z.1 holdings in $mn."""
    return READERS[_dataset(spec)](raw, spec, origin)


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Refuse: neither dataset has a machine-readable feed that this module can reproduce faithfully."""
    spec = specs[0]
    if _dataset(spec) == FOMC_FILE:
        raise SourceError(
            "the FOMC calendar is published only as an HTML page",
            series=spec.key,
            hint="update fomc_calendar.csv (decision_date,meeting_start,type,source) in a --data-dir folder "
            "from https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm",
        )
    raise SourceError(
        "the Z.1 sector panel is a harmonisation of the Fed's Data Download Program series, not a feed",
        series=spec.key,
        hint="put an updated z1_treasury_holdings.csv (date,sector,instrument,holdings,source) in a "
        "--data-dir folder",
    )


def _days(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d")


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the canonical layout: the FOMC calendar, or the long Z.1 panel (one sector per spec)."""
    if _dataset(specs[0]) == FOMC_FILE:
        (spec,) = specs
        frame = frames[spec.key].dropna(subset=["value"]).sort_values("date")
        empty = [""] * len(frame)
        return write_csv(
            pd.DataFrame(
                {DECISION: _days(frame["date"]), "meeting_start": empty, "type": empty, "source": empty}
            )
        )
    parts = [
        pd.DataFrame(
            {
                "date": _days(frames[spec.key]["date"]),
                "sector": spec.code,
                "instrument": INSTRUMENT,
                "holdings": frames[spec.key]["value"].to_numpy(),
                "source": "z1",
            }
        )
        for spec in specs
    ]
    panel = pd.concat(parts, ignore_index=True).sort_values(["date", "sector"], kind="stable")
    return write_csv(panel)
