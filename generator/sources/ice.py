"""ICE BofA MOVE index (Treasury implied volatility): read-only, for comparison with realised volatility.

The MOVE index is proprietary (ICE, distributed through Bloomberg) and has no free public feed, so
``fetch`` refuses with an explanation and the note uses realised volatility of the 10-year yield instead
(:func:`generator.measures.realized_vol_bp`). Files an analyst has licensed can be read from a
``--data-dir`` folder.

Formats read:
- a Bloomberg export: UTF-8 BOM, CRLF, six lines of metadata, then ``Date,PX_LAST,VOLATILITY_30D``,
  dates ``M/D/YY``, newest first, ``#N/A N/A`` for missing values, no final newline;
- a plain ``date,value`` history (the canonical layout, also written for the demo data).
"""

from __future__ import annotations

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.errors import SourceError
from generator.sources.formats import decode_text, read_csv_text, to_dates, to_numbers, write_csv
from generator.sources.http import HttpClient

BLOOMBERG_MISSING = ("#N/A N/A", "#N/A")

# Bloomberg's export ends without a line break after its last (oldest) row
ENDS_WITH_LINE_BREAK = False


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse either MOVE layout into date, value (index points)."""
    text = decode_text(raw, spec, origin)
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines[:20]) if line.startswith("Date,PX_LAST")), None)
    if header_at is not None:
        table = read_csv_text(
            "\n".join(lines[header_at:]), spec, origin, dtype=str, keep_default_na=False, usecols=[0, 1]
        )
        dates = to_dates(table["Date"].str.strip(), spec, origin, fmt="%m/%d/%y")
        values = to_numbers(table["PX_LAST"], spec, origin, missing=BLOOMBERG_MISSING)
    else:
        table = read_csv_text(text, spec, origin, dtype=str, keep_default_na=False)
        dates = to_dates(table.iloc[:, 0].str.strip(), spec, origin)
        values = to_numbers(table.iloc[:, 1], spec, origin, missing=BLOOMBERG_MISSING)
    return pd.DataFrame({"date": dates, "value": values}).dropna()


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    """Refuse: there is no free public feed of the MOVE index."""
    raise SourceError(
        "the MOVE index has no free public feed",
        series=specs[0].key,
        hint="put a licensed export in a --data-dir folder; the note uses realised volatility instead",
    )


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    """Write the canonical ``date,value`` layout."""
    (spec,) = specs
    frame = frames[spec.key]
    return write_csv(pd.DataFrame({"date": frame["date"].dt.strftime("%Y-%m-%d"), "value": frame["value"]}))
