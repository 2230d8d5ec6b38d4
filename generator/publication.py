"""Publication-lag rules: on which day an observation first became public.

An observation dated ``date`` (the period it measures) is visible to a reader on ``published``.
Rules are small frozen dataclasses so that the catalogue can state them and the appendix can print
them (``str(rule)``). Business days follow the US federal holiday calendar (the calendar of the
Federal Reserve and the Treasury).

"As of D" means after the close of D, US Eastern: everything a publisher had released by the end of
D counts, so a same-day rule (``BusinessDaysAfter(0)``) makes D's value visible as of D. A weekend or
holiday D sees the close of the last business day before it (:func:`data_as_of`).

Where the data carry release dates (ALFRED vintages, release tables) the store uses them and these
rules only fill in; otherwise the rule follows the publisher's documented schedule, set at the EARLY
end of it, so that a month already released is never skipped (the price: in the few days between the
rule's day and a late actual release the month may show a little early). The rules the catalogue uses:

=====================================  =========================================================
data                                   first public (rule)
=====================================  =========================================================
Treasury daily par yield curve         the same day, after the close (~18:00 ET)
H.15 yields on FRED, SOFR, EFFR        the next US business day
ACM term premium (NY Fed)              the next US business day ("updated daily")
MOF JGB, Bundesbank, ECB reference     the same day
rates, Fed target range
DTS (TGA)                              the next business day
MSPD month-end                         4th business day of M+1
OFR money-fund monitor                 15th of M+1
CPI (BLS)                              10th of M+1 (BLS schedule: 10th-15th)
core PCE (BEA Personal Income)         24th of M+1, 20th in December (release: last week of M+1,
                                       before Christmas in December)
GDP, contributions (BEA advance)       25 days after the quarter (advance estimate: 25th-30th of
                                       the month after the quarter)
TIC holdings and SLT flows             15th of M+2 (TIC schedule: ~15th-18th)
OECD monthly rates                     20th of M+1
Treasury average maturity              the next refunding day on file (the refunding estimates'
                                       release dates), else 35 days after the quarter
=====================================  =========================================================

Where the publishers left their usual schedule (the 2025 shutdown and after), CPI, core PCE and GDP
take the actual release day from :mod:`generator.release_calendar` (:class:`ReleaseCalendar`), so a
delayed month is neither quoted before its release nor skipped after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar

# numpy's business-day arithmetic is vectorised; pandas' CustomBusinessDay is not (seconds per series)
US_HOLIDAYS = (
    USFederalHolidayCalendar().holidays("1950-01-01", "2100-12-31").to_numpy().astype("datetime64[D]")
)


def _as_index(dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(dates)


def add_business_days(dates: pd.DatetimeIndex, days: int) -> pd.DatetimeIndex:
    """Return ``dates`` moved forward to a US business day, then ``days`` business days further."""
    moved = np.busday_offset(
        dates.to_numpy().astype("datetime64[D]"), days, roll="forward", holidays=US_HOLIDAYS
    )
    return pd.DatetimeIndex(moved.astype("datetime64[ns]"))


def last_business_day(day: date) -> date:
    """Return ``day`` if it is a US business day, else the last business day before it."""
    moved = np.busday_offset(np.datetime64(day.isoformat(), "D"), 0, roll="backward", holidays=US_HOLIDAYS)
    return date.fromisoformat(str(moved))


def data_as_of(as_of: date) -> date:
    """Return the business day whose close a note as of ``as_of`` shows (a weekend → the Friday)."""
    return last_business_day(as_of)


@dataclass(frozen=True)
class BusinessDaysAfter:
    """Daily data: public ``days`` US business days after the observation (0 = the same day)."""

    days: int

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        index = _as_index(dates)
        if self.days == 0:
            return index
        return add_business_days(index, self.days)

    def __str__(self) -> str:
        if self.days == 0:
            return "same day"
        return f"{self.days} US business day{'s' if self.days > 1 else ''} after the observation"


@dataclass(frozen=True)
class BusinessDayOfMonth:
    """Monthly data: public on the ``nth`` US business day of the month ``months`` after the period."""

    nth: int
    months: int = 1

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        month_start = (_as_index(dates).to_period("M") + self.months).to_timestamp()
        return add_business_days(pd.DatetimeIndex(month_start), self.nth - 1)

    def __str__(self) -> str:
        return f"business day {self.nth} of month M+{self.months}"


@dataclass(frozen=True)
class DayOfMonth:
    """Monthly data: public on calendar day ``day`` of the month ``months`` after the period.

    A day past the month's end means its last day. ``december_day``, where given, replaces ``day``
    when the release month is December (BEA's Personal Income release comes before Christmas).
    """

    day: int
    months: int = 1
    december_day: int | None = None

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        month_start = (_as_index(dates).to_period("M") + self.months).to_timestamp()
        last_day = month_start + pd.offsets.MonthEnd(0)
        days = np.full(len(month_start), self.day)
        if self.december_day is not None:
            days = np.where(month_start.month == 12, self.december_day, days)
        wanted = month_start + pd.to_timedelta(days - 1, unit="D")
        return pd.DatetimeIndex(np.minimum(wanted.to_numpy(), last_day.to_numpy()))

    def __str__(self) -> str:
        december = f" ({self.december_day} in December)" if self.december_day is not None else ""
        return f"day {self.day} of month M+{self.months}{december}"


@dataclass(frozen=True)
class DaysAfterQuarter:
    """Quarterly data: public ``days`` calendar days after the end of the quarter."""

    days: int

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        quarter_end = _as_index(dates).to_period("Q").to_timestamp(how="end").normalize()
        return quarter_end + pd.Timedelta(days=self.days)

    def __str__(self) -> str:
        return f"{self.days} days after the quarter's end"


@dataclass(frozen=True)
class TimingChanged:
    """Daily data whose publisher changed its timing: observations before ``day`` follow ``before``,
    those from it ``after`` (FRED's curve spreads come from Treasury's same-day curve since 21 Jun 2019,
    from H.15's next-day release before)."""

    day: date
    before: BusinessDaysAfter
    after: BusinessDaysAfter

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        index = _as_index(dates)
        early, late = self.before.published(index), self.after.published(index)
        chosen = np.where(index < pd.Timestamp(self.day), early.to_numpy(), late.to_numpy())
        return pd.DatetimeIndex(chosen, dtype=late.dtype)

    def __str__(self) -> str:
        return f"{self.after} from {self.day.isoformat()}; {self.before} before"


@dataclass(frozen=True)
class AsAnnounced:
    """Inputs whose release date is recorded with each row (refunding statements, analyst tables)."""

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        return _as_index(dates)

    def __str__(self) -> str:
        return "release date recorded with each row"


@dataclass(frozen=True)
class ReleaseCalendar:
    """Release-calendar data: the publisher's actual release day where the calendar has the period.

    ``releases`` holds (period, release day) pairs (``"2025-09"`` months or ``"2025Q3"`` quarters,
    from :mod:`generator.release_calendar`); every other period follows ``usual``, the documented rule.
    The pairs are fields, not a lookup, so that the rule's ``repr`` (the parse cache's key) changes
    with the calendar.
    """

    family: str
    releases: tuple[tuple[str, date], ...]
    usual: BusinessDayOfMonth | DayOfMonth | DaysAfterQuarter

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        index = _as_index(dates)
        usual = self.usual.published(index)
        frequency = "Q" if "Q" in self.releases[0][0] else "M"
        known = {pd.Period(period, frequency): pd.Timestamp(day) for period, day in self.releases}
        actual = [
            known.get(period, rule_day)
            for period, rule_day in zip(index.to_period(frequency), usual, strict=True)
        ]
        return pd.DatetimeIndex(actual, dtype=usual.dtype)

    def __str__(self) -> str:
        first, last = self.releases[0][0], self.releases[-1][0]
        return f"{self.usual}; actual release dates for {first} to {last} (release calendar)"


@dataclass(frozen=True)
class AtNextRelease:
    """Quarterly-published data: public on the first release day of another series after the quarter.

    Treasury's average maturity comes with the refunding documents, whose day (31-36 days after the
    quarter) the refunding estimates series records per row. The store passes those days
    (``release_days``) once every series is loaded; the first one in the ``within_days`` after the
    quarter's end dates the quarter's months, and ``usual`` dates any month no release day covers.
    """

    calendar: str  #: the key of the series whose release days are the calendar
    usual: DaysAfterQuarter
    within_days: int = 60

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        return self.usual.published(dates)

    def published_on(
        self, dates: pd.Series | pd.DatetimeIndex, release_days: pd.DatetimeIndex
    ) -> pd.DatetimeIndex:
        """Return the first of ``release_days`` after each date's quarter, else the usual rule's day."""
        index = _as_index(dates)
        quarter_end = index.to_period("Q").to_timestamp(how="end").normalize()
        days = np.unique(release_days.normalize().to_numpy(dtype="datetime64[ns]"))
        position = np.searchsorted(days, quarter_end.to_numpy(), side="right")
        found = np.where(
            position < len(days), days[np.minimum(position, len(days) - 1)], np.datetime64("NaT")
        )
        covered = ~np.isnat(found) & (found - quarter_end.to_numpy() <= np.timedelta64(self.within_days, "D"))
        return pd.DatetimeIndex(np.where(covered, found, self.usual.published(index).to_numpy()))

    def __str__(self) -> str:
        return f"the first release day of {self.calendar} after the quarter, else {self.usual}"


PublicationLag = (
    BusinessDaysAfter
    | TimingChanged
    | BusinessDayOfMonth
    | DayOfMonth
    | DaysAfterQuarter
    | AsAnnounced
    | ReleaseCalendar
    | AtNextRelease
)


# --- quarters


def quarter_of(day: date | str) -> str:
    """Return the quarter holding ``day`` as "2025Q1"."""
    day = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_after(quarter: str) -> str:
    """Return the quarter after "2025Q4": "2026Q1"."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year + 1}Q1" if number == 4 else f"{year}Q{number + 1}"
