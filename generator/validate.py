"""Validate stage: every parsed file of a series is checked before the store combines it.

Between the adapters (:mod:`generator.sources`, raw bytes → tidy ``date, value[, published][, line]``
frames) and the store (:mod:`generator.store`, frames → point-in-time observations). A value that is
not credible is an error naming the file, the line and the bound, never a figure:

- dates: a date repeated with a different value is an error naming both lines; an exact repeat is
  dropped with a warning (vintage files repeat a date once per release: the grain there is
  date + release date);
- range and moves: every value within the series' :class:`~generator.catalogue.Bounds` (the catalogue
  entry's own, else its unit's), and no jump between consecutive observations larger than the
  bounds allow; a desk widens a bound in its settings (``[validation.bounds]``) with a reason;
- truncation: a text file whose last line was cut (no line break where the format always ends with
  one, or fewer fields than the line before), a history that starts later than the catalogue's
  ``expected_start``, and (live cache) a download that starts later than, or is much shorter than,
  the last good copy;
- cross-checks between series that are two views of one number (:func:`cross_check`), run once
  every series is loaded.

Frames carry an optional ``line`` column: the line of the file each observation was read from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from generator.catalogue import Bounds, SeriesSpec
from generator.errors import DataError, SourceError

log = logging.getLogger(__name__)

WIDEN_HINT = "if the value is real, widen the bound with a reason in the settings' [validation.bounds]"

TRY_AGAIN = "try again; the cached copy is kept"

#: a download may be shorter than the last good copy by this share before it is flagged as truncated
MAX_SHRINK = 0.2


@dataclass(frozen=True)
class WidenedBound:
    """A desk's override of one series' bounds (``[validation.bounds]`` in ``ust-weekly.toml``)."""

    key: str
    reason: str
    low: float | None = None
    high: float | None = None
    max_move: float | None = None
    max_ratio: float | None = None


def widen_bounds(specs: Iterable[SeriesSpec], widened: Iterable[WidenedBound]) -> tuple[SeriesSpec, ...]:
    """Return ``specs`` with the desk's widened bounds applied (each logged with its reason)."""
    by_key = {item.key: item for item in widened}
    out = []
    for spec in specs:
        item = by_key.get(spec.key)
        if item is None:
            out.append(spec)
            continue
        base = spec.plausible
        bounds = Bounds(
            low=base.low if item.low is None else min(base.low, item.low),
            high=base.high if item.high is None else max(base.high, item.high),
            max_move=_wider(base.max_move, item.max_move),
            max_ratio=_wider(base.max_ratio, item.max_ratio),
        )
        log.warning("bounds of %s widened by the settings to %s: %s", spec.key, bounds, item.reason)
        out.append(replace(spec, bounds=bounds))
    return tuple(out)


def _wider(base: float | None, given: float | None) -> float | None:
    if given is None or base is None:
        return base
    return max(base, given)


# --------------------------------------------------------------------------- per file


def validate_file(spec: SeriesSpec, frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Return ``frame`` (one parsed file of ``spec``) without exact repeats; DataError if implausible."""
    frame = drop_repeated_dates(spec, frame, origin)
    check_range(spec, frame, origin)
    check_moves(spec, frame, origin)
    check_gaps(spec, frame, origin)
    return frame


def validate_series(
    spec: SeriesSpec, frames: list[tuple[str, pd.DataFrame]]
) -> list[tuple[str, pd.DataFrame]]:
    """Validate every file of ``spec``, then the history they make together (its start)."""
    checked = [(origin, validate_file(spec, frame, origin)) for origin, frame in frames]
    check_start(spec, checked)
    return checked


def _line_of(frame: pd.DataFrame, position: int) -> int | None:
    if "line" not in frame.columns:
        return None
    line = frame["line"].iloc[position]
    return None if pd.isna(line) else int(line)


def _where(frame: pd.DataFrame, position: int) -> str:
    line = _line_of(frame, position)
    day = pd.Timestamp(frame["date"].iloc[position]).date()
    return f"line {line} ({day})" if line is not None else f"{day}"


def drop_repeated_dates(
    spec: SeriesSpec, frame: pd.DataFrame, origin: str, grain: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Drop exact repeats of a date (with a warning); a repeat with another value is a DataError.

    ``grain``: the columns that identify one observation besides the date; by default the release
    date where the file has one. Adapters of long tables (MSPD: one row per security class) check
    their rows at their own grain before they add them up.
    """
    grain = ["date", *(grain or (("published",) if "published" in frame.columns else ()))]
    frame = frame.reset_index(drop=True)
    repeated = frame.duplicated(grain, keep=False)
    if not repeated.any():
        return frame
    rows = frame[repeated].sort_values([*grain, "line"] if "line" in frame.columns else grain, kind="stable")
    for _, group in rows.groupby(grain, sort=True):
        values = group["value"].to_numpy()
        if not np.all(values == values[0]):
            first, other = group.index[0], group.index[(values != values[0]).argmax()]
            where = frame.index.get_indexer([first, other])
            label = " ".join(str(group[column].iloc[0]) for column in grain[1:] if column != "published")
            raise DataError(
                f"{pd.Timestamp(group['date'].iloc[0]).date()}{' ' + label if label else ''} appears twice "
                "with different values: "
                f"{frame['value'].iloc[where[0]]:g} on {_where(frame, where[0])} and "
                f"{frame['value'].iloc[where[1]]:g} on {_where(frame, where[1])}",
                file=origin,
                line=_line_of(frame, where[1]),
                series=spec.key,
                hint="keep one of the two lines",
            )
    count = int(frame.duplicated(grain).sum())
    log.warning("%s: [%s] %d exact repeat(s) of a date dropped", origin, spec.key, count)
    return frame.drop_duplicates(grain).reset_index(drop=True)


def check_range(spec: SeriesSpec, frame: pd.DataFrame, origin: str) -> None:
    """Raise if a value (in the catalogue unit) is outside the series' plausible range."""
    bounds = spec.plausible
    values = frame["value"].to_numpy() * spec.scale
    outside = (values < bounds.low) | (values > bounds.high)
    if outside.any():
        position = int(outside.argmax())
        raise DataError(
            f"implausible value {values[position]:g} {spec.unit} on {_where(frame, position)}: "
            f"outside {bounds.low:g} to {bounds.high:g} {spec.unit} (bounds of {spec.key})",
            file=origin,
            line=_line_of(frame, position),
            series=spec.key,
            hint=WIDEN_HINT,
        )


def check_moves(spec: SeriesSpec, frame: pd.DataFrame, origin: str) -> None:
    """Raise if consecutive observations of one file move more than the series' bounds allow."""
    bounds = spec.plausible
    if len(frame) < 2 or (bounds.max_move is None and bounds.max_ratio is None):
        return
    if "published" in frame.columns:  # vintages: compare each release with the previous date's last one
        frame = frame.sort_values(["date", "published"]).drop_duplicates("date", keep="last")
    order = np.argsort(frame["date"].to_numpy(), kind="stable")
    values = frame["value"].to_numpy()[order] * spec.scale
    before, after = values[:-1], values[1:]
    bad = np.zeros(len(after), dtype=bool)
    if bounds.max_move is not None:
        bad |= np.abs(after - before) > bounds.max_move + 1e-9
    if bounds.max_ratio is not None:
        positive = (before > 0) & (after > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(positive, np.maximum(after / before, before / after), 1.0)
        bad |= ratio > bounds.max_ratio
    if not bad.any():
        return
    step = int(bad.argmax())
    sorted_frame = frame.iloc[order]
    position = step + 1  # the error names the line the jump arrives at
    limits = [f"{bounds.max_move:g} {spec.unit}"] if bounds.max_move is not None else []
    if bounds.max_ratio is not None:
        limits.append(f"a factor {bounds.max_ratio:g}")
    limit = " or ".join(limits)
    raise DataError(
        f"implausible move from {before[step]:g} on {_where(sorted_frame, step)} to {after[step]:g} "
        f"{spec.unit} on {_where(sorted_frame, position)}: more than {limit} between consecutive "
        f"observations (bounds of {spec.key})",
        file=origin,
        line=_line_of(sorted_frame, position),
        series=spec.key,
        hint=WIDEN_HINT,
    )


#: the longest credible distance between consecutive observations of one file, by frequency (days):
#: one period may be missing (US CPI for October 2025 was never published), two may not
MAX_GAP_DAYS = {"monthly": 75, "quarterly": 200}
#: the Fed's Financial Accounts (Z.1) are annual before 1952: holes before then are the publisher's
GAPS_ALLOWED_BEFORE = pd.Timestamp("1952-01-01")


def check_gaps(spec: SeriesSpec, frame: pd.DataFrame, origin: str) -> None:
    """Raise if a monthly or quarterly file skips a period inside its history (a row lost or renamed)."""
    limit = MAX_GAP_DAYS.get(spec.frequency)
    if limit is None or len(frame) < 2:
        return
    ordered = frame.drop_duplicates("date").sort_values("date", kind="stable")
    ordered = ordered[ordered["date"] >= GAPS_ALLOWED_BEFORE]
    gaps = ordered["date"].diff().dt.days.to_numpy()[1:] > limit
    if gaps.any():
        step = int(gaps.argmax())
        raise DataError(
            f"no observation between {_where(ordered, step)} and {_where(ordered, step + 1)}: "
            f"a {spec.frequency} history with a hole (a row lost, or its label changed)",
            file=origin,
            line=_line_of(ordered, step + 1),
            series=spec.key,
            hint="restore the missing rows",
        )


def check_start(spec: SeriesSpec, frames: list[tuple[str, pd.DataFrame]]) -> None:
    """Raise if the files together start later than the catalogue's ``expected_start``."""
    if spec.expected_start is None or not frames:
        return
    expected = pd.Timestamp(spec.expected_start)
    first = min(frame["date"].min() for _, frame in frames)
    if first > expected:
        names = ", ".join(origin for origin, _ in frames)
        raise DataError(
            f"history starts {first.date()}, later than the {expected.date()} the series reaches back to: "
            "the file looks cut short",
            file=names,
            series=spec.key,
            hint="restore the whole file (fetch it again)",
        )


# --------------------------------------------------------------------------- text endings

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CUT_NUMBER = re.compile(r"(^|[,\t])-?\d+\.$")  # "…,4." : no publisher writes a bare decimal point


def check_download_ending(raw: bytes, spec: SeriesSpec, url: str, *, always_terminated: bool) -> bytes:
    """Return ``raw`` unless it was cut (:func:`check_ending`); a cut download is a SourceError."""
    try:
        check_ending(raw.decode("latin-1"), spec, url, always_terminated=always_terminated)
    except DataError as exc:
        raise SourceError(
            f"the download looks truncated: {exc.message}", file=url, series=spec.key, hint=TRY_AGAIN
        ) from exc
    return raw


def check_ending(text: str, spec: SeriesSpec, origin: str, *, always_terminated: bool) -> None:
    """Raise if the last line of a text file was cut.

    ``always_terminated``: the format always ends with a line break (FRED, NY Fed, OFR, ECB, …), so a
    last line without one is a cut. Formats whose real files end without one (Fiscal Data's CSV export,
    the Treasury par curve, TIC's mfhhis01, Bloomberg's MOVE copy) are checked by field count instead: a
    last line with fewer fields than the line before it was cut mid-line.
    """
    stripped = text.rstrip(" \t\f\v\x00")
    if not stripped or stripped.endswith(("\n", "\r")):
        return
    lines = [line for line in _LINE_BREAK.split(stripped) if line.strip()]
    if not lines:
        return
    number = len(_LINE_BREAK.split(stripped))
    if always_terminated:
        raise DataError(
            f"the file ends mid-line (no line break after {lines[-1][-20:]!r}): it looks cut short",
            file=origin,
            line=number,
            series=spec.key,
            hint="restore the whole file (fetch it again)",
        )
    last = lines[-1]
    before = lines[-2] if len(lines) > 1 else ""
    cut_after_delimiter = last.endswith((",", "\t")) and not before.endswith((",", "\t"))
    if last.count('"') % 2 or _CUT_NUMBER.search(last) or cut_after_delimiter:
        raise DataError(
            f"the last line ends inside a quoted cell or a number ({last[-20:]!r}): it looks cut short",
            file=origin,
            line=number,
            series=spec.key,
            hint="restore the whole file (fetch it again)",
        )
    if len(lines) < 2:
        return
    delimiter = "\t" if "\t" in lines[-2] else ","
    if last.count(delimiter) < lines[-2].rstrip(delimiter).count(delimiter):
        raise DataError(
            f"the last line has fewer fields than the one before ({lines[-1][-20:]!r}): it looks cut short",
            file=origin,
            line=number,
            series=spec.key,
            hint="restore the whole file (fetch it again)",
        )


# --------------------------------------------------------------------------- live cache


def compare_with_previous(spec: SeriesSpec, new: pd.DataFrame, previous: pd.DataFrame, origin: str) -> None:
    """Raise if a download starts later than, or has far fewer observations than, the last good copy."""
    if previous.empty or new.empty:
        return
    new_start, old_start = new["date"].min(), previous["date"].min()
    if new_start > old_start:
        raise DataError(
            f"the download starts {new_start.date()}, later than the cached copy ({old_start.date()}): "
            "history would be lost",
            file=origin,
            series=spec.key,
            hint="the cached copy is kept; try again later or check the publisher's file",
        )
    if len(new) < (1 - MAX_SHRINK) * len(previous):
        raise DataError(
            f"the download has {len(new)} observations, the cached copy {len(previous)}: it looks truncated",
            file=origin,
            series=spec.key,
            hint="the cached copy is kept; try again later",
        )


# --------------------------------------------------------------------------- cross-checks


@dataclass(frozen=True)
class CrossCheck:
    """Two views of one number: ``relation`` of ``left`` to ``right`` must hold within ``tolerance``."""

    left: tuple[str, ...]  #: series summed on the left-hand side
    right: str
    relation: str  #: "equal" (within tolerance, in the unit), "ratio" (relative), or "at most"
    tolerance: float
    why: str


CROSS_CHECKS = (
    CrossCheck(("ust10y",), "par10y", "equal", 0.011, "H.15's 10-year CMT is the Treasury par curve's 10 Yr"),
    CrossCheck(
        ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn"),
        "mspd_marketable",
        "ratio",
        0.01,
        "MSPD's classes add up to its total marketable",
    ),
    CrossCheck(
        ("foreign_holdings_japan", "foreign_holdings_china"),
        "foreign_holdings",
        "at most",
        0.5,
        "TIC's country rows are part of its grand total",
    ),
    CrossCheck(
        ("mmf_treasury",),
        "mmf_total",
        "at most",
        0.5,
        "OFR's Treasury holdings are part of total investments",
    ),
    CrossCheck(
        ("eurusd",), "eurusd_ecb", "ratio", 0.03, "the H.10 noon rate and the ECB fixing are hours apart"
    ),
)


def _by_date(observations: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return the newest value and its file per date (the last release of each date)."""
    last = observations.sort_values(["date", "published"], kind="stable").drop_duplicates("date", keep="last")
    index = pd.DatetimeIndex(last["date"])
    return pd.Series(last["value"].to_numpy(), index=index), pd.Series(last["file"].to_numpy(), index=index)


def cross_check(observations: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Run :data:`CROSS_CHECKS` on loaded series (key → observations); return key → problem."""
    problems: dict[str, str] = {}
    for check in CROSS_CHECKS:
        keys = (*check.left, check.right)
        if not all(key in observations for key in keys):
            continue
        parts = [_by_date(observations[key]) for key in keys]
        # a class that did not exist yet (FRNs before 2014) counts as zero on the first series' dates
        left_values = pd.concat([values for values, _ in parts[:-1]], axis=1).fillna(0.0).sum(axis=1)
        left_values = left_values[left_values.index.isin(parts[0][0].index)]
        right_values, right_files = parts[-1]
        common = left_values.index.intersection(right_values.index)
        if common.empty:
            continue
        left = left_values[common]
        right = right_values[common]
        if check.relation == "equal":
            bad = (left - right).abs() > check.tolerance
        elif check.relation == "ratio":
            bad = ((left / right) - 1).abs() > check.tolerance
        else:
            bad = left > right + check.tolerance
        if not bad.any():
            continue
        day = bad.idxmax()
        left_files = sorted({files[day] for _, files in parts[:-1] if day in files.index})
        message = (
            f"{' + '.join(check.left)} = {left[day]:g} and {check.right} = {right[day]:g} on {day.date()} "
            f"disagree ({check.why}; {check.relation}"
            f"{'' if check.relation == 'at most' else ' within'} {check.tolerance:g}): "
            f"files {', '.join(left_files)} and {right_files[day]}"
        )
        error = str(DataError(message, hint="one of the two files is wrong; restore it"))
        for key in keys:
            problems.setdefault(key, error)
    return problems
