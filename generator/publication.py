"""Publication-lag rules: on which day an observation first became public.

An observation dated ``date`` (the period it measures) is visible to a reader on ``published``.
Rules are small frozen dataclasses so that the catalogue can state them and the appendix can print
them (``str(rule)``). Business days follow the US federal holiday calendar (the calendar of the
Federal Reserve and the Treasury).
"""

from __future__ import annotations

from dataclasses import dataclass

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

    A day past the month's end means its last day.
    """

    day: int
    months: int = 1

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        month_start = (_as_index(dates).to_period("M") + self.months).to_timestamp()
        last_day = month_start + pd.offsets.MonthEnd(0)
        wanted = month_start + pd.Timedelta(days=self.day - 1)
        return pd.DatetimeIndex(np.minimum(wanted.to_numpy(), last_day.to_numpy()))

    def __str__(self) -> str:
        return f"day {self.day} of month M+{self.months}"


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
class AsAnnounced:
    """Inputs whose release date is recorded with each row (refunding statements, analyst tables)."""

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        return _as_index(dates)

    def __str__(self) -> str:
        return "release date recorded with each row"


PublicationLag = BusinessDaysAfter | BusinessDayOfMonth | DayOfMonth | DaysAfterQuarter | AsAnnounced
