"""Publication-lag rules on known calendar cases."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.publication import BusinessDayOfMonth, BusinessDaysAfter, DayOfMonth, DaysAfterQuarter


def _one(rule, day: str) -> str:
    return rule.published(pd.DatetimeIndex([day]))[0].date().isoformat()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-02-06", "2025-02-07"),  # Thursday → Friday
        ("2025-02-07", "2025-02-10"),  # Friday → Monday
        ("2025-01-17", "2025-01-21"),  # Friday before Martin Luther King Day → Tuesday
        ("2024-12-24", "2024-12-26"),  # Christmas is skipped
    ],
)
def test_next_business_day(day, expected):
    assert _one(BusinessDaysAfter(1), day) == expected


def test_same_day_is_unchanged():
    assert _one(BusinessDaysAfter(0), "2025-02-08") == "2025-02-08"


def test_mspd_fourth_business_day():
    # January 2025 month-end → 4th business day of February 2025 (Feb 3, 4, 5, 6)
    assert _one(BusinessDayOfMonth(4), "2025-01-31") == "2025-02-06"
    # December 2024 → January 2025: Jan 1 is a holiday, so Jan 2, 3, 6, 7
    assert _one(BusinessDayOfMonth(4), "2024-12-31") == "2025-01-07"


def test_day_of_month_clips_to_month_end():
    assert _one(DayOfMonth(15), "2024-12-01") == "2025-01-15"
    assert _one(DayOfMonth(31), "2025-01-01") == "2025-02-28"  # core PCE: end of the next month
    assert _one(DayOfMonth(18, 2), "2024-11-30") == "2025-01-18"  # TIC: mid month M+2


def test_quarter_lag_from_quarter_start_or_end():
    assert _one(DaysAfterQuarter(30), "2024-10-01") == "2025-01-30"
    assert _one(DaysAfterQuarter(30), "2024-12-31") == "2025-01-30"
