"""Which as-of dates a data folder can build.

Used by the CLI to say, in one line, why a date cannot be built instead of listing every series:
a folder with no publisher file at all, or an as-of date before the day the last of the essential
series (those without which no note can be written, see the catalogue) first published anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from generator.catalogue import SERIES, SeriesSpec
from generator.sources import find_files
from generator.store import Store


def has_publisher_files(folder: Path, specs: Iterable[SeriesSpec] = SERIES) -> bool:
    """Return whether ``folder`` holds at least one file the catalogue knows."""
    return any(find_files(folder, spec) for spec in specs)


@dataclass(frozen=True)
class EarliestAsOf:
    """The first as-of date at which every essential series has published something."""

    as_of: date
    series: str  #: the essential series that starts last


def _first_published(store: Store, key: str | None) -> pd.Timestamp | None:
    if key is None or key not in store.series:
        return None
    first = store.series[key].observations["published"].min()
    return None if pd.isna(first) else first


def earliest_as_of(store: Store, specs: Iterable[SeriesSpec] = SERIES) -> EarliestAsOf | None:
    """Return the first as-of date at which each essential series of ``specs`` has a value.

    An essential series counts as there when it or its par-curve twin is (as the build decides).
    None when an essential series has no data at all: then no date can be built and the build's own
    error names the series.
    """
    firsts = {}
    for spec in specs:
        if not spec.essential:
            continue
        candidates = [
            first for key in (spec.key, spec.par) if (first := _first_published(store, key)) is not None
        ]
        if not candidates:
            return None
        firsts[spec.key] = min(candidates)
    if not firsts:
        return None
    key = max(firsts, key=lambda name: firsts[name])
    return EarliestAsOf(firsts[key].date(), key)
