"""Point-in-time store: every observation with the day it became public, cut to what an as-of date saw.

Observations are kept in the long shape of ALFRED: one row per (date, published, value). A series
read from a file without release dates gets ``published`` from its catalogue lag rule
(:mod:`generator.publication`) and ``realtime`` = False; rows from vintage files (ALFRED, release
tables) keep their recorded release date and ``realtime`` = True. For a date that has any realtime
rows, only those count: a later-vintage value with an estimated release date must not stand in for
the value that was actually published.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator import parallel
from generator.atomic import sha256_bytes
from generator.catalogue import SERIES, SeriesSpec, series_spec
from generator.errors import DataError
from generator.formatting import format_date
from generator.publication import AtNextRelease
from generator.sources import find_files, read_file
from generator.validate import cross_check, validate_series

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputFile:
    """A file the store read: path as given, and its SHA-256."""

    path: str
    sha256: str


@dataclass(frozen=True)
class LoadedSeries:
    """One series' full history: columns date, published, value, realtime, file.

    Rows are sorted by date, then published (:func:`observations_from_frames`): :func:`cut_as_of`
    relies on it.
    """

    spec: SeriesSpec
    observations: pd.DataFrame
    files: tuple[InputFile, ...]


@dataclass(frozen=True)
class SeriesStatus:
    """Where a series stands at an as-of date (for ``ust-weekly check`` and the manifest)."""

    key: str
    last_date: date | None
    last_published: date | None
    expected_by: date | None
    stale: bool
    missing: bool
    vintage: str
    files: tuple[str, ...]
    problem: str = ""

    @property
    def status(self) -> str:
        if self.missing:
            return "missing"
        return "stale" if self.stale else "ok"


@dataclass(frozen=True)
class Store:
    """Every loaded series, plus what could not be loaded (key → error message)."""

    series: dict[str, LoadedSeries]
    problems: dict[str, str] = field(default_factory=dict)
    origin: str = "data-dir"  #: demo, data-dir or live
    data_dir: Path | None = None
    #: the series of ``problems`` whose files are there but unreadable or implausible (validate stage):
    #: unlike a missing series, these stop every build, since what the files say cannot be trusted
    rejected: dict[str, str] = field(default_factory=dict)

    def as_of(self, as_of: date) -> PointInTime:
        """Return the view of the data a reader had on ``as_of``."""
        return PointInTime(self, pd.Timestamp(as_of))

    @property
    def files(self) -> list[InputFile]:
        seen: dict[str, InputFile] = {}
        for loaded in self.series.values():
            for input_file in loaded.files:
                seen.setdefault(input_file.path, input_file)
        return sorted(seen.values(), key=lambda item: item.path)


def observations_from_frames(spec: SeriesSpec, frames: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Combine parsed files into one long frame; where files overlap on a date, the first file wins."""
    parts = []
    claimed = np.array([], dtype="datetime64[ns]")  # an array: a set of Timestamps costs ~0.3 s a build
    for origin, frame in frames:
        fresh = frame[~frame["date"].isin(claimed)]
        claimed = np.concatenate([claimed, fresh["date"].to_numpy(dtype="datetime64[ns]")])
        realtime = "published" in fresh.columns
        published = fresh["published"] if realtime else spec.lag.published(fresh["date"])
        parts.append(
            pd.DataFrame(
                {
                    "date": fresh["date"].to_numpy(),
                    "published": pd.DatetimeIndex(published).to_numpy(),
                    "value": fresh["value"].to_numpy() * spec.scale,
                    "realtime": realtime,
                    "file": origin,
                }
            )
        )
    combined = pd.concat(parts, ignore_index=True)
    return combined.sort_values(["date", "published"], kind="stable").reset_index(drop=True)


class NoFileError(DataError):
    """No file of a series in the data folder: the series is missing (not rejected)."""


def load_series(data_dir: Path, spec: SeriesSpec, raw_cache: dict[Path, bytes]) -> LoadedSeries:
    """Read every file that holds ``spec`` in ``data_dir``; raise :class:`DataError` if there is none."""
    paths = find_files(data_dir, spec)
    if not paths:
        patterns = ", ".join((*spec.variants, spec.file))
        raise NoFileError(
            f"no file for {spec.publisher} {spec.code} in {data_dir} (looked for {patterns})",
            series=spec.key,
            hint="run `ust-weekly fetch`, or point --data-dir at a folder that holds it",
        )
    frames = []
    inputs = []
    for path in paths:
        raw = raw_cache.get(path)
        if raw is None:
            raw = raw_cache[path] = path.read_bytes()
        frames.append((str(path), read_file(path, spec, raw=raw)))
        inputs.append(InputFile(str(path), sha256_bytes(raw)))
    frames = validate_series(spec, frames)
    return LoadedSeries(spec, observations_from_frames(spec, frames), tuple(inputs))


def load_store(
    data_dir: Path,
    specs: tuple[SeriesSpec, ...] = SERIES,
    origin: str = "data-dir",
    meanwhile: Callable[[], object] | None = None,
) -> Store:
    """Load every series in ``specs`` from ``data_dir``; series that fail are listed in ``problems``.

    The series are read by this process and a child together where that runs on a free core
    (:func:`generator.parallel.map_shared`), series that share a file by the same process; the result
    does not depend on who read what. ``meanwhile`` runs in this process while the child starts reading.
    """
    if not data_dir.is_dir():
        raise DataError("data folder not found", file=data_dir, hint="check --data-dir")
    groups = groups_by_file(data_dir, specs)
    results = {}
    loading = parallel.map_shared("load data", groups, lambda group: load_specs(data_dir, group), meanwhile)
    for outcome in loading:
        results.update(outcome)
    loaded: dict[str, LoadedSeries] = {}
    problems: dict[str, str] = {}
    rejected: dict[str, str] = {}
    for spec in specs:  # catalogue order, whichever half read the series
        outcome = results[spec.key]
        if isinstance(outcome, LoadedSeries):
            loaded[spec.key] = outcome
            continue
        message, missing_file = outcome
        log.error("%s", message)
        problems[spec.key] = message
        if not missing_file:
            rejected[spec.key] = message
    for key, problem in cross_check({key: item.observations for key, item in loaded.items()}).items():
        log.error("[%s] %s", key, problem)
        problems[key] = rejected[key] = problem
        del loaded[key]
    dated = dated_by_release_days(loaded, data_dir)
    return Store(dated, problems, origin=origin, data_dir=data_dir, rejected=rejected)


def dated_by_release_days(loaded: dict[str, LoadedSeries], data_dir: Path) -> dict[str, LoadedSeries]:
    """Re-date the rule-dated rows of series published on another series' release days.

    A series with an :class:`~generator.publication.AtNextRelease` rule (Treasury's average maturity,
    published with the refunding) takes its release days from the calendar series' recorded release
    dates, read from ``data_dir`` when the calendar series was not asked for (so that a series' dates
    do not depend on which others were loaded with it); without the calendar's file it keeps its rule.
    """
    dated = dict(loaded)
    for key, item in loaded.items():
        rule = item.spec.lag
        if not isinstance(rule, AtNextRelease):
            continue
        source = loaded.get(rule.calendar) or _calendar_only(data_dir, rule.calendar)
        if source is None:
            continue
        calendar = source.observations
        release_days = pd.DatetimeIndex(calendar.loc[calendar["realtime"], "published"])
        rows = item.observations.copy()
        estimated = ~rows["realtime"].to_numpy(dtype=bool)
        rows.loc[estimated, "published"] = rule.published_on(rows.loc[estimated, "date"], release_days)
        rows = rows.sort_values(["date", "published"], kind="stable").reset_index(drop=True)
        dated[key] = replace(item, observations=rows)
    return dated


def _calendar_only(data_dir: Path, key: str) -> LoadedSeries | None:
    """Return series ``key`` read only for its release days, or None when its file is absent or bad."""
    try:
        return load_series(data_dir, series_spec(key), {})
    except DataError:
        return None


def load_specs(data_dir: Path, specs: list[SeriesSpec]) -> dict[str, LoadedSeries | tuple[str, bool]]:
    """Return key → the loaded series, or (the error line, whether it is only a missing file)."""
    raw_cache: dict[Path, bytes] = {}
    results: dict[str, LoadedSeries | tuple[str, bool]] = {}
    for spec in specs:
        try:
            results[spec.key] = load_series(data_dir, spec, raw_cache)
        except DataError as exc:
            results[spec.key] = (str(exc), isinstance(exc, NoFileError))
    return results


def groups_by_file(data_dir: Path, specs: tuple[SeriesSpec, ...]) -> list[list[SeriesSpec]]:
    """Return ``specs`` in groups that share no file (each file is read and decoded by one group),
    the largest groups first so that two processes sharing them finish together."""
    groups: list[tuple[set[Path], list[SeriesSpec]]] = []
    for spec in specs:
        paths = set(find_files(data_dir, spec))
        joined = [group for group in groups if group[0] & paths]
        for group in joined:
            groups.remove(group)
            paths |= group[0]
        members = [member for group in joined for member in group[1]] + [spec]
        groups.append((paths, members))

    def size(group: tuple[set[Path], list[SeriesSpec]]) -> int:
        return sum(path.stat().st_size for path in group[0]) + 50_000 * len(group[1])  # per-series work

    return [members for _, members in sorted(groups, key=lambda group: (-size(group), group[1][0].key))]


def cut_as_of(observations: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return, for each date, the last value published on or before ``as_of`` (realtime rows first).

    ``observations`` are sorted by date (then published), as :func:`observations_from_frames` leaves
    them, so the rows of a date are adjacent: the cut is found with array operations instead of a
    group-by (a build cuts ~95 series; the group-by cost 0.15 s of it).
    """
    rows = np.flatnonzero(observations["published"].to_numpy() <= np.datetime64(as_of.asm8))
    dates = observations["date"].to_numpy()[rows]
    realtime = observations["realtime"].to_numpy()[rows]
    if realtime.any():  # where a date has realtime rows, only they count
        group = np.cumsum(np.r_[True, dates[1:] != dates[:-1]]) - 1
        has_realtime = np.bincount(group, weights=realtime)[group] > 0
        kept = realtime | ~has_realtime
        rows, dates = rows[kept], dates[kept]
    last_of_date = np.r_[dates[1:] != dates[:-1], True] if len(dates) else np.zeros(0, dtype=bool)
    return observations.iloc[rows[last_of_date]].reset_index(drop=True)


NOT_IN_DATA = "not in the data folder"
NOT_IN_DATA_ZH = "数据文件夹中没有该序列"
FIRST_RELEASE = "first release"
RELEASE_VINTAGE = "release vintage"
AS_PUBLISHED = "as published (no vintages)"
NOT_YET_PUBLISHED = "not yet published as of"


class SeriesUnavailableError(DataError):
    """A series has no value at the as-of date: not in the data folder, or nothing published yet.

    ``reason`` is the short phrase figures.json and the manifest carry ("not in the data folder",
    "not yet published as of 2021-01-08").
    """

    def __init__(
        self, message: str, *, reason: str, reason_zh: str, series: str, hint: str | None = None
    ) -> None:
        super().__init__(message, series=series, hint=hint)
        self.reason = reason
        self.reason_zh = reason_zh


@dataclass(frozen=True)
class Observation:
    """One observation a figure rests on: series, observation date, release date and where it came from."""

    series: str
    date: pd.Timestamp
    published: pd.Timestamp
    realtime: bool  #: the release date is recorded in the data (ALFRED, a release table)
    first_release: bool  #: no earlier release of this date's value is visible (realtime rows only)
    file: str

    def as_dict(self) -> dict[str, str]:
        """Return the figures.json ``inputs`` entry."""
        return {
            "series": self.series,
            "date": self.date.date().isoformat(),
            "published": self.published.date().isoformat(),
        }


@dataclass(frozen=True)
class PointInTime:
    """The store as seen on one as-of date. The only way figures and exhibits read data."""

    store: Store
    as_of: pd.Timestamp
    _cuts: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)
    #: frames derived from this view and asked for many times (measures.treasury_curve), kept for its life
    derived: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)

    def _loaded(self, key: str) -> LoadedSeries:
        if key not in self.store.series:
            problem = self.store.problems.get(key, "not loaded")
            raise SeriesUnavailableError(problem, reason=NOT_IN_DATA, reason_zh=NOT_IN_DATA_ZH, series=key)
        return self.store.series[key]

    def observations(self, key: str) -> pd.DataFrame:
        """Return date, published, value, realtime, file for every value visible on the as-of date."""
        cut = self._cuts.get(key)
        if cut is None:
            cut = self._cuts[key] = cut_as_of(self._loaded(key).observations, self.as_of)
        if cut.empty:
            first = self._loaded(key).observations["date"].min()
            if first > self.as_of:
                reason = f"{NOT_IN_DATA} before {first.date()}"
                reason_zh = f"数据文件夹中没有{format_date(first, 'zh')}之前的数据"
            else:
                reason = f"{NOT_YET_PUBLISHED} {self.as_of.date()}"
                reason_zh = f"截至{format_date(self.as_of, 'zh')}尚未发布"
            raise SeriesUnavailableError(
                f"nothing published on or before {self.as_of.date()}",
                reason=reason,
                reason_zh=reason_zh,
                series=key,
                hint="choose a later --as-of or a data folder with longer history",
            )
        return cut

    def available(self, key: str) -> bool:
        """True if ``key`` has at least one value visible on the as-of date."""
        try:
            self.observations(key)
        except DataError:
            return False
        return True

    def observation(self, key: str, when: pd.Timestamp | date) -> Observation:
        """Return the visible observation of ``key`` dated ``when`` (DataError if there is none)."""
        day = pd.Timestamp(when)
        cut = self.observations(key)
        rows = cut[cut["date"] == day]
        if rows.empty:
            raise DataError(f"no observation dated {day.date()}", series=key)
        row = rows.iloc[-1]
        first = True
        if bool(row["realtime"]):
            full = self._loaded(key).observations
            earlier = full[(full["date"] == day) & full["realtime"] & (full["published"] < row["published"])]
            first = earlier.empty
        return Observation(
            key, day, pd.Timestamp(row["published"]), bool(row["realtime"]), first, row["file"]
        )

    def vintage(self, observation: Observation) -> str:
        """Return how current ``observation`` is: "first release", "release vintage", "revised (file of
        YYYY-MM-DD)" (a file holding only a later vintage than the as-of date) or "as published (no
        vintages)" (a file without release dates whose values are not revised later)."""
        if observation.realtime:
            return FIRST_RELEASE if observation.first_release else RELEASE_VINTAGE
        later = self._loaded(observation.series).spec.file_vintage(observation.file)
        if later is not None and pd.Timestamp(later) > self.as_of:
            return revised_vintage(later)
        return AS_PUBLISHED

    def series(self, key: str, start: date | pd.Timestamp | None = None) -> pd.Series:
        """Return the values visible on the as-of date by observation date (float, catalogue unit)."""
        cut = self.observations(key)
        values = pd.Series(
            cut["value"].to_numpy(), index=pd.DatetimeIndex(cut["date"], name="date"), name=key
        )
        return values if start is None else values[values.index >= pd.Timestamp(start)]

    def last(self, key: str) -> tuple[pd.Timestamp, float]:
        """Return the date and value of the newest observation visible on the as-of date."""
        values = self.series(key)
        return values.index[-1], float(values.iloc[-1])

    def status(self, key: str) -> SeriesStatus:
        """Report the newest visible observation and whether the series is stale or missing."""
        spec = self.store.series[key].spec if key in self.store.series else None
        if spec is None:
            return SeriesStatus(
                key, None, None, None, False, True, "", (), problem=self.store.problems.get(key, "")
            )
        try:
            cut = self.observations(key)
        except DataError as exc:
            files = tuple(item.path for item in self.store.series[key].files)
            return SeriesStatus(key, None, None, None, False, True, "", files, problem=exc.message)
        last = cut.iloc[-1]
        expected_by = (last["published"] + pd.Timedelta(days=spec.max_age_days)).date()
        stale = self.as_of.date() > expected_by
        vintage = "release vintage" if bool(last["realtime"]) else f"estimated: {spec.lag}"
        files = tuple(item.path for item in self.store.series[key].files)
        return SeriesStatus(
            key,
            last["date"].date(),
            last["published"].date(),
            expected_by,
            stale,
            False,
            vintage,
            files,
            problem=f"newest value published {last['published'].date()}, expected by {expected_by}"
            if stale
            else "",
        )


def revised_vintage(file_date: object) -> str:
    """Return the vintage of an observation from a file that holds only a later vintage than the note."""
    return f"revised (file of {file_date})"


def revised_file_date(vintage: object) -> str | None:
    """Return the file date of a :func:`revised_vintage` text ("YYYY-MM-DD"), None for any other vintage."""
    text = str(vintage or "")
    if text.startswith("revised (file of ") and text.endswith(")"):
        return text.removeprefix("revised (file of ").removesuffix(")")
    return None
