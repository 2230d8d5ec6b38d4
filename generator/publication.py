"""Publication-lag rules: on which day an observation first became public.

An observation dated ``date`` (the period it measures) is visible to a reader on ``published``.
Rules are small frozen dataclasses so that the catalogue can state them and the appendix can print
them (``str(rule)``). Business days follow the US federal holiday calendar (the calendar of the
Federal Reserve and the Treasury).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar
from pandas.tseries.offsets import CustomBusinessDay

US_BUSINESS_DAY = CustomBusinessDay(calendar=USFederalHolidayCalendar())


def _as_index(dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(dates)


@dataclass(frozen=True)
class BusinessDaysAfter:
    """Daily data: public ``days`` US business days after the observation (0 = the same day)."""

    days: int

    def published(self, dates: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
        index = _as_index(dates)
        if self.days == 0:
            return index
        return index + self.days * US_BUSINESS_DAY

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
        month_start = _as_index(dates).to_period("M").to_timestamp() + pd.DateOffset(months=self.months)
        # rolling back one day then forward n business days lands on the nth business day of the month
        return (month_start - pd.Timedelta(days=1)) + self.nth * US_BUSINESS_DAY

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
        month_start = _as_index(dates).to_period("M").to_timestamp() + pd.DateOffset(months=self.months)
        last_day = month_start + pd.offsets.MonthEnd(0)
        return pd.DatetimeIndex(
            [min(start + pd.Timedelta(days=self.day - 1), end) for start, end in zip(month_start, last_day)]
        )

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
