"""Publisher adapters: one module per publisher, each query → extract → transform.

Every module in this package provides the same three functions:

``read(raw: bytes, spec: SeriesSpec, origin: str) -> pandas.DataFrame``
    Transform: parse the publisher's file (its live format and the variants found in ``--data-dir``
    folders) into a tidy frame with columns ``date`` (datetime64, the period observed), ``value``
    (float, in the units of the canonical format; the store applies ``spec.scale``) and, where the
    file records release dates (vintages), ``published``. Rows without a value are dropped. A file
    that cannot be parsed raises :class:`~generator.errors.DataError` naming ``origin`` (the file or
    URL), the line where known, and the series.

``fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes``
    Extract: download the canonical file that ``specs`` share (they have the same ``spec.file``),
    returning the bytes to cache. The only function that touches the network.

``encode(frames: dict[str, pandas.DataFrame], specs: list[SeriesSpec]) -> bytes``
    The inverse of ``read`` for the canonical format: used by the demo-data generator so that
    synthetic data goes through the same parser as live data. ``frames`` maps series key to a
    ``date, value`` frame in canonical units.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from generator.atomic import sha256_bytes, write_atomic
from generator.catalogue import SeriesSpec
from generator.errors import DataError, SourceError
from generator.parse_cache import parsed
from generator.sources import (
    bea,
    boj,
    bundesbank,
    ecb,
    fed_board,
    fiscal_data,
    fred,
    ice,
    mof_japan,
    nyfed,
    ofr,
    tic,
    treasury,
)
from generator.sources.http import HttpClient
from generator.validate import check_ending, compare_with_previous

log = logging.getLogger(__name__)

PUBLISHERS: dict[str, ModuleType] = {
    "fred": fred,
    "fiscal_data": fiscal_data,
    "treasury": treasury,
    "nyfed": nyfed,
    "tic": tic,
    "ofr": ofr,
    "mof_japan": mof_japan,
    "bundesbank": bundesbank,
    "ecb": ecb,
    "bea": bea,
    "ice": ice,
    "fed_board": fed_board,
    "boj": boj,
}


def publisher_module(spec: SeriesSpec) -> ModuleType:
    """Return the adapter module that reads ``spec``."""
    return PUBLISHERS[spec.publisher]


def find_files(data_dir: Path, spec: SeriesSpec) -> list[Path]:
    """Return the files in ``data_dir`` that hold ``spec``: variants first, then the canonical file."""
    found: list[Path] = []
    for pattern in (*spec.variants, spec.file):
        matches = sorted(data_dir.glob(pattern))
        if matches and matches[-1] not in found:
            found.append(matches[-1])
    return found


def read_file(path: Path, spec: SeriesSpec, raw: bytes | None = None) -> pd.DataFrame:
    """Parse one file for ``spec`` with its publisher's adapter and check the result's shape."""
    data = path.read_bytes() if raw is None else raw
    return parsed(data, spec, lambda: read_bytes(data, spec, str(path)))


def read_bytes(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Parse ``raw`` (a file or a download, named by ``origin`` in errors) for ``spec`` and check it.

    A text file is then checked for a cut last line; an adapter whose publisher's real files end
    without a line break says so with ``ENDS_WITH_LINE_BREAK = False``.
    """
    module = publisher_module(spec)
    frame = check_frame(module.read(raw, spec, origin), spec, origin)
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        always = getattr(module, "ENDS_WITH_LINE_BREAK", True)
        check_ending(raw.decode("latin-1"), spec, origin, always_terminated=always)
    return frame


def check_frame(frame: pd.DataFrame, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    """Enforce the adapter contract: typed date/value columns, no missing values, at least one row."""
    missing = {"date", "value"} - set(frame.columns)
    if missing:
        raise DataError(f"adapter returned no {sorted(missing)} column", file=origin, series=spec.key)
    if frame["date"].isna().any() or frame["value"].isna().any():
        frame = frame.dropna(subset=["date", "value"])
    if frame.empty:
        raise DataError(
            f"no observations of {spec.code}", file=origin, series=spec.key, hint="is this the right file?"
        )
    columns = ["date", "value"] + (["published"] if "published" in frame.columns else [])
    if "line" not in frame.columns and frame.index.name == "line":
        frame = frame.reset_index()  # adapters that keep the source line as the index (see formats.py)
    extra = ["line"] if "line" in frame.columns else []
    out = pd.DataFrame(
        {
            "date": _datetimes(frame["date"]),
            "value": frame["value"].to_numpy(dtype="float64"),
            **({"published": _datetimes(frame["published"])} if "published" in frame.columns else {}),
            **({"line": frame["line"].to_numpy(dtype="int64")} if extra else {}),
        }
    )
    order = columns[:1] + columns[2:] + extra
    if len(order) == 1 and out["date"].is_monotonic_increasing:  # most files: already in order
        return out
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def _datetimes(values: pd.Series) -> np.ndarray:
    """Return ``values`` as a datetime64[ns] array (parsing only what is not one already)."""
    if values.dtype == "datetime64[ns]":
        return values.to_numpy()
    return pd.to_datetime(values).astype("datetime64[ns]").to_numpy()


def _previous_frame(previous: bytes, spec: SeriesSpec, target: Path) -> pd.DataFrame:
    """The cached copy's observations of ``spec``; empty if it no longer parses (nothing to compare)."""
    try:
        return read_bytes(previous, spec, str(target))
    except DataError:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype=float)})


@dataclass(frozen=True)
class FetchResult:
    """What one download did to the cached copy of a file."""

    file: str
    series: tuple[str, ...]
    changed: bool
    bytes: int
    last_date: str | None
    error: str | None = None


def fetch_file(specs: list[SeriesSpec], http: HttpClient, cache_dir: Path) -> FetchResult:
    """Download the file ``specs`` share, check that every series parses, then replace the cached copy.

    A failed download, a response that does not parse, or one that looks truncated next to the cached
    copy (it starts later, or holds far fewer observations: :func:`generator.validate.compare_with_previous`)
    leaves the cached copy as it was and is reported in the result (``error``), so that one broken
    publisher does not stop the others.
    """
    first = specs[0]
    target = cache_dir / first.file
    keys = tuple(spec.key for spec in specs)
    previous = target.read_bytes() if target.is_file() else None
    try:
        raw = publisher_module(first).fetch(specs, http)
        last_dates = []
        for spec in specs:
            # a download that does not parse is named by its URL, and never replaces the cached copy
            origin = f"download from {spec.endpoint}"
            frame = read_bytes(raw, spec, origin)
            if previous is not None:
                compare_with_previous(spec, frame, _previous_frame(previous, spec, target), origin)
            last_dates.append(frame["date"].max())
    except (SourceError, DataError) as exc:
        log.error("%s", exc)
        return FetchResult(first.file, keys, changed=False, bytes=0, last_date=None, error=str(exc))
    changed = previous is None or sha256_bytes(previous) != sha256_bytes(raw)
    if changed:
        write_atomic(target, raw)
    return FetchResult(
        first.file, keys, changed=changed, bytes=len(raw), last_date=max(last_dates).date().isoformat()
    )
