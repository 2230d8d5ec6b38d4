"""Number and date formatting in both languages: rounding, negatives, missing values, units."""

from __future__ import annotations

import math
from datetime import date

import pytest

from generator.formatting import (
    format_bp,
    format_date,
    format_month,
    format_months,
    format_number,
    format_percent,
    format_period,
    format_pp,
    format_quarter,
    format_usd_bn,
    period_from_date,
    split_unbreakable_tail,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.125, "4.13"), (4.124999, "4.12"), (-4.125, "-4.13"), (-0.004, "0.00"), (2.675, "2.68"), (0, "0.00")],
)
def test_rounding_is_half_away_from_zero_without_negative_zero(value, expected):
    assert format_number(value, 2) == expected


def test_thousands_separator_only_in_english():
    assert format_number(12345.6, 1, "en") == "12,345.6"
    assert format_number(12345.6, 1, "zh") == "12345.6"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values(missing):
    assert format_percent(missing, "en") == "n/a"
    assert format_percent(missing, "zh") == "暂无"
    assert format_usd_bn(missing, "zh") == "暂无"
    assert format_bp(missing, "en") == "n/a"


def test_percent_and_signed():
    assert format_percent(4.4512, "en") == "4.45%"
    assert format_percent(0.2, "zh", signed=True) == "+0.20%"
    assert format_percent(-0.2, "en", signed=True) == "-0.20%"


def test_basis_points():
    assert format_bp(84.4, "en") == "84 bp"
    assert format_bp(84.5, "zh") == "85个基点"
    assert format_bp(-12.2, "en", signed=True) == "-12 bp"
    assert format_bp(12.2, "en", signed=True) == "+12 bp"


def test_usd_billions_and_trillions():
    assert format_usd_bn(815, "en") == "$815bn"
    assert format_usd_bn(815, "zh") == "8150亿美元"
    assert format_usd_bn(8630.4, "en") == "$8.63tn"
    assert format_usd_bn(8630.4, "zh") == "8.63万亿美元"
    assert format_usd_bn(181.1, "zh") == "1811亿美元"
    assert format_usd_bn(-45.26, "en") == "-$45bn"
    assert format_usd_bn(-2500, "zh") == "-2.50万亿美元"
    assert format_usd_bn(999.6, "en") == "$1,000bn"


def test_pp_and_months():
    assert format_pp(0.42, "zh") == "0.42个百分点"
    assert format_pp(-1.35, "en") == "-1.35 pp"
    assert format_months(71.4, "en") == "71 months"
    assert format_months(71.5, "zh") == "72个月"


def test_dates():
    assert format_date(date(2025, 2, 7), "en") == "7 Feb 2025"
    assert format_date("2025-02-07", "zh") == "2025年2月7日"
    assert format_month("2024-11-30", "zh") == "2024年11月"
    assert format_month(date(2024, 11, 30), "en") == "Nov 2024"
    assert format_quarter("2024Q4", "zh") == "2024年四季度"
    assert format_quarter(date(2025, 2, 7), "en") == "Q1 2025"


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="unknown language"):
        format_percent(1.0, "fr")


def test_usd_signed_and_rounding_to_zero():
    assert format_usd_bn(45.2, "en", signed=True) == "+$45bn"
    assert format_usd_bn(45.2, "zh", signed=True) == "+452亿美元"
    assert format_usd_bn(-45.2, "en", signed=True) == "-$45bn"
    assert format_usd_bn(1250, "en", signed=True) == "+$1,250bn"  # billions below $2tn, as Treasury prints
    assert format_usd_bn(1015, "zh") == "10150亿美元"
    assert format_usd_bn(2000, "en") == "$2.00tn"
    assert format_usd_bn(-0.3, "en") == "$0bn"
    assert format_usd_bn(0.02, "zh", signed=True) == "0亿美元"
    assert format_usd_bn(None, "en", signed=True) == "n/a"


def test_format_value_by_unit_and_missing_values():
    from generator.formatting import format_value

    assert format_value(29.85693492761829, "%", "zh", 1) == "29.9%"
    assert format_value(830.3, "$bn", "zh") == "8303亿美元"
    assert format_value(8723.38, "$bn", "en") == "$8.72tn"
    assert format_value(-12.4, "bp", "en", 0) == "-12 bp"
    assert format_value(71.2, "months", "zh", 0) == "71个月"
    assert format_value(0.425, "pp", "en", 2, signed=True) == "+0.43 pp"
    assert format_value(3.0, "count", "en", 0) == "3"
    assert (format_value(None, "%", "zh"), format_value(math.nan, "bp", "en")) == ("暂无", "n/a")


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ("2025-02-07", "2025年2月7日", "7 Feb 2025"),
        ("2024-12", "2024年12月", "Dec 2024"),
        ("2025-01", "2025年1月", "Jan 2025"),
        ("2024Q4", "2024年四季度", "Q4 2024"),
        ("2025Q1", "2025年一季度", "Q1 2025"),
        ("1997/2006", "1997–2006年", "1997–2006"),  # the pre-crisis term-premium average's span
        (None, "暂无", "n/a"),
    ],
)
def test_periods_print_as_periods(period, zh, en):
    assert format_period(period, "zh") == zh
    assert format_period(period, "en") == en


def test_period_from_a_date_follows_the_frequency():
    assert period_from_date("2024-10-01", "quarterly") == "2024Q4"
    assert period_from_date("2024-12-31", "quarterly") == "2024Q4"
    assert period_from_date("2024-12-31", "monthly") == "2024-12"
    assert period_from_date("2024-12-01", None) == "2024-12"  # first of the month: a monthly value
    assert period_from_date("2025-02-06", None) == "2025-02-06"
    assert period_from_date("2025-02-06", "daily") == "2025-02-06"
    assert period_from_date(None, "monthly") is None


@pytest.mark.parametrize(
    ("text", "lang", "tail"),
    [
        ("长债发行节奏放缓，期限溢价承压，长端美债或迎收益率曲线牛市走平", "zh", "牛市走平"),
        ("10年期美债收益率目标区间", "zh", "目标区间"),
        ("增长、关税与美联储。", "zh", "与美联储。"),
        ("短期", "zh", "短期"),
        ("Supply relief opens the door to a bull flattening at the long end", "en", "long end"),
        ("10-year Treasury yield target range", "en", "target range"),
        ("Risks", "en", "Risks"),
    ],
)
def test_the_unbreakable_tail_of_a_heading(text, lang, tail):
    head, found = split_unbreakable_tail(text, lang)
    assert found == tail
    assert head + found == text
