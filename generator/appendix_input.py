"""What the data appendix shows: each exhibit's data, the input files, the note's figures.

The build assembles an :class:`AppendixInput`; :mod:`generator.appendix` writes it as the workbook.
The two are apart so that only writing the workbook imports openpyxl: the build does that in the
process beside the note (generator/parallel.py), and not at all when the kept appendix is reused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from generator.catalogue import PUBLISHER_NAMES
from generator.store import PointInTime

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class ExhibitSheet:
    """One exhibit's data, exactly as plotted, with what the appendix needs to redraw it.

    ``frame``'s first column is the x axis (dates or categories); every other numeric column is
    charted, those in ``secondary`` as lines on a right-hand axis. ``headers`` maps a column to its
    (zh, en) header; a column missing from it is headed by its own name.
    """

    id: str  #: E01…E12
    title_zh: str
    title_en: str
    unit_zh: str
    unit_en: str
    source_zh: str
    source_en: str
    frame: pd.DataFrame
    headers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    kind: str = "line"  #: line, bar, stacked_bar, area or stacked_area
    secondary: tuple[str, ...] = ()
    secondary_unit_zh: str = ""
    secondary_unit_en: str = ""
    number_formats: Mapping[str, str] = field(default_factory=dict)  #: column → Excel format override


@dataclass(frozen=True)
class SourceRow:
    """One input file of one series, as listed on the Sources sheet."""

    publisher: str
    key: str
    series_id: str
    endpoint: str
    unit: str
    frequency: str
    last_date: date | None  #: newest observation visible on the as-of date
    lag_rule: str  #: ``str(spec.lag)``
    file: str  #: input file, relative to the data folder where possible
    sha256: str
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True, eq=False)
class AppendixInput:
    """Everything the appendix shows: the note's identity, its figures, exhibits and sources."""

    as_of: date
    cutoff: str  #: the data cut-off, as text (e.g. "2025-02-07 close, values published by then")
    demo: bool
    title_zh: str
    title_en: str
    figures: Mapping[str, Any]  #: the figures.json document: {"as_of", "figures": {key: {...}}}
    exhibits: Sequence[ExhibitSheet] = ()
    sources: Sequence[SourceRow] = ()
    creator: str = "UST Weekly"


def source_rows(view: PointInTime, keys: Iterable[str]) -> tuple[SourceRow, ...]:
    """Return one Sources row per input file of each series in ``keys`` (series without files: one row)."""
    rows: list[SourceRow] = []
    for key in keys:
        loaded = view.store.series.get(key)
        if loaded is None:
            log.warning("appendix: series %s was not loaded; left out of the Sources sheet", key)
            continue
        spec = loaded.spec
        common = {
            "publisher": PUBLISHER_NAMES.get(spec.publisher, {}).get("en", spec.publisher),
            "key": spec.key,
            "series_id": spec.code,
            "endpoint": spec.endpoint,
            "unit": spec.unit,
            "frequency": spec.frequency,
            "last_date": view.status(key).last_date,
            "lag_rule": str(spec.lag),
            "label_zh": spec.label_zh,
            "label_en": spec.label_en,
        }
        files = loaded.files or ()
        if not files:
            rows.append(SourceRow(file="", sha256="", **common))
        for item in files:
            name = _relative(item.path, view.store.data_dir)
            rows.append(SourceRow(file=name, sha256=item.sha256, **common))
    return tuple(rows)


def _relative(path: str, folder: Path | None) -> str:
    if folder is not None:
        try:
            return Path(path).relative_to(folder).as_posix()
        except ValueError:
            pass
    return Path(path).name
