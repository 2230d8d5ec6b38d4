"""The only place numbers and dates become text, in Chinese (zh) and English (en).

zh: 4.45%、12个基点、8150亿美元 / 8.63万亿美元、0.42个百分点、71个月、2025年2月7日
en: 4.45%, 12 bp, $815bn / $8.63tn, 0.42 pp, 71 months, 7 Feb 2025

Rounding is half away from zero (4.125 → 4.13), never banker's rounding, and a value that rounds to
zero loses its minus sign. A missing value (None or NaN) prints as "暂无" (zh) or "n/a" (en).
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

LANGS = ("zh", "en")
MISSING = {"zh": "暂无", "en": "n/a"}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUARTERS_ZH = ("一", "二", "三", "四")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGS}")


def is_missing(value: object) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, decimals: int) -> Decimal:
    """Return ``value`` rounded half away from zero to ``decimals`` places, without a negative zero."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def stated_decimals(value: float, at_most: int = 2) -> int:
    """Return the fewest decimals (up to ``at_most``) that print ``value`` without rounding it: a
    figure quoted as its source states it (PIIE's "2 percent" is -2, not -2.00)."""
    for places in range(at_most):
        if round_half_up(value, places) == round_half_up(value, at_most):
            return places
    return at_most


def format_number(value: float | None, decimals: int = 2, lang: str = "en", signed: bool = False) -> str:
    """Return ``value`` with ``decimals`` places and thousands separators (en) or none (zh)."""
    _check_lang(lang)
    if is_missing(value):
        return MISSING[lang]
    rounded = round_half_up(float(value), decimals)  # type: ignore[arg-type]
    text = f"{rounded:,.{decimals}f}" if lang == "en" else f"{rounded:.{decimals}f}"
    if signed and rounded > 0:
        text = "+" + text
    return text


def format_percent(value: float | None, lang: str = "en", decimals: int = 2, signed: bool = False) -> str:
    """Return a percentage: 4.45%."""
    text = format_number(value, decimals, lang, signed)
    return text if is_missing(value) else f"{text}%"


def format_bp(value: float | None, lang: str = "en", decimals: int = 0, signed: bool = False) -> str:
    """Return basis points: 12 bp / 12个基点."""
    text = format_number(value, decimals, lang, signed)
    if is_missing(value):
        return text
    return f"{text}个基点" if lang == "zh" else f"{text} bp"


def format_pp(value: float | None, lang: str = "en", decimals: int = 2, signed: bool = False) -> str:
    """Return percentage points: 0.42 pp / 0.42个百分点."""
    text = format_number(value, decimals, lang, signed)
    if is_missing(value):
        return text
    return f"{text}个百分点" if lang == "zh" else f"{text} pp"


def format_months(value: float | None, lang: str = "en", decimals: int = 0) -> str:
    """Return a number of months: 71 months / 71个月."""
    text = format_number(value, decimals, lang)
    if is_missing(value):
        return text
    return f"{text}个月" if lang == "zh" else f"{text} months"


#: amounts ($bn) from which format_usd_bn prints trillions: the stock of foreign holdings ($7–9tn) reads
#: in trillions, a quarter's borrowing or a year's interest ($1,015bn, $1,120bn) in billions
TRILLIONS_FROM_BN = 2000


def format_usd_bn(
    value_bn: float | None, lang: str = "en", decimals: int | None = None, signed: bool = False
) -> str:
    """Return an amount given in $bn: en $815bn / $1,015bn / $8.63tn; zh 8150亿美元 / 8.63万亿美元.

    Amounts of $2,000bn or more switch to trillions (万亿). Below that an amount keeps its billions, as
    Treasury prints a borrowing estimate ($1,015 billion): "$1.02tn" less $476bn would not give the
    $539bn a sentence prints beside it. ``decimals`` defaults to 0 for billions (亿 in zh, where
    1 bn = 10 亿) and 2 for trillions. ``signed`` puts "+" before an amount that prints as positive
    (+$45bn, +450亿美元).
    """
    _check_lang(lang)
    if is_missing(value_bn):
        return MISSING[lang]
    amount = float(value_bn)  # type: ignore[arg-type]
    magnitude = abs(amount)
    if magnitude >= TRILLIONS_FROM_BN:
        text = format_number(magnitude / 1000, 2 if decimals is None else decimals, lang)
        text = f"{text}万亿美元" if lang == "zh" else f"${text}tn"
    elif lang == "zh":
        text = f"{format_number(magnitude * 10, 0 if decimals is None else decimals, lang)}亿美元"
    else:
        text = f"${format_number(magnitude, 0 if decimals is None else decimals, lang)}bn"
    printed_zero = not any(char in "123456789" for char in text.split("$")[-1].split("亿")[0].split("万")[0])
    if printed_zero:
        return text
    if amount < 0:
        return "-" + text
    return "+" + text if signed else text


def _as_date(value: date | str | pd.Timestamp) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def format_date(value: date | str | pd.Timestamp | None, lang: str = "en") -> str:
    """Return a date: 7 Feb 2025 / 2025年2月7日."""
    _check_lang(lang)
    if value is None:
        return MISSING[lang]
    day = _as_date(value)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_month(value: date | str | pd.Timestamp | None, lang: str = "en") -> str:
    """Return a month: Nov 2024 / 2024年11月."""
    _check_lang(lang)
    if value is None:
        return MISSING[lang]
    day = _as_date(value)
    return f"{day.year}年{day.month}月" if lang == "zh" else f"{MONTHS_EN[day.month - 1]} {day.year}"


def format_quarter(value: date | str | pd.Timestamp | None, lang: str = "en") -> str:
    """Return a quarter: Q4 2024 / 2024年四季度 (accepts a date in the quarter or '2024Q4')."""
    _check_lang(lang)
    if value is None:
        return MISSING[lang]
    if isinstance(value, str) and "Q" in value.upper():
        year, quarter = int(value[:4]), int(value[-1])
    else:
        day = _as_date(value)
        year, quarter = day.year, (day.month - 1) // 3 + 1
    return f"{year}年{QUARTERS_ZH[quarter - 1]}季度" if lang == "zh" else f"Q{quarter} {year}"


def format_period(period: str | date | None, lang: str = "en") -> str:
    """Return a figure's period: "2025-02-07" → 7 Feb 2025, "2025-01" → Jan 2025, "2024Q4" → Q4 2024,
    "1997/2006" → 1997–2006 (a fixed span of years, such as the pre-crisis average's)."""
    _check_lang(lang)
    if period is None or period == "":
        return MISSING[lang]
    if isinstance(period, date):
        return format_date(period, lang)
    text = str(period)
    if re.fullmatch(r"\d{4}/\d{4}", text):  # a span of whole years: "1997/2006" → 1997–2006
        first, last = text.split("/")
        return f"{first}–{last}年" if lang == "zh" else f"{first}–{last}"
    if "Q" in text.upper():
        return format_quarter(text, lang)
    if len(text) == 7:  # YYYY-MM
        return format_month(f"{text}-01", lang)
    return format_date(text, lang)


#: what a figure without a value prints as ("not available"), in tables and the appendix
NOT_AVAILABLE = {"zh": "暂无", "en": "n/a"}


def format_value(
    value: float | None, unit: str, lang: str = "en", decimals: int = 2, signed: bool = False
) -> str:
    """Return a figure's value by its unit (%, bp, pp, $bn, months, else a plain number); None → n/a / 暂无.

    ``decimals`` applies to every unit except $bn, whose places follow :func:`format_usd_bn`.
    """
    _check_lang(lang)
    if is_missing(value):
        return NOT_AVAILABLE[lang]
    if unit == "%":
        return format_percent(value, lang, decimals, signed)
    if unit == "bp":
        return format_bp(value, lang, decimals, signed)
    if unit == "pp":
        return format_pp(value, lang, decimals, signed)
    if unit == "$bn":
        return format_usd_bn(value, lang, signed=signed)
    if unit == "months":
        return format_months(value, lang, decimals)
    return format_number(value, decimals, lang, signed)


def period_from_date(value: date | str | None, frequency: str | None) -> str | None:
    """Return the period ("2025-02-07", "2024-12", "2024Q4") an observation dated ``value`` measures.

    ``frequency`` (daily, monthly, quarterly; None if unknown) decides; without it a date on the first
    of a month stands for that month, any other date for the day.
    """
    if value is None or value == "":
        return None
    day = _as_date(value)
    if frequency == "quarterly":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if frequency == "monthly" or (frequency is None and day.day == 1):
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


# --- line endings: never one character or word alone on a heading's last line ---------------------

#: Chinese characters kept together at the end of a heading or label
CJK_TAIL = 4
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TRAILING_PUNCTUATION = "，。；：、！？）」』”’.,;:!?)"


def split_unbreakable_tail(text: str, lang: str) -> tuple[str, str]:
    """Return (head, tail): ``tail`` must not be broken across lines.

    zh: the last four Chinese characters (plus trailing punctuation); en: the last two words. Set
    ``tail`` unbreakable and a line can never end with a lone character ("平", "间") or word ("end").
    """
    _check_lang(lang)
    text = text.rstrip()
    if lang == "en" or not _CJK.search(text):
        words = text.split(" ")
        if len(words) < 2:
            return "", text
        return " ".join(words[:-2]) + (" " if len(words) > 2 else ""), " ".join(words[-2:])
    end = len(text)
    while end > 0 and text[end - 1] in _TRAILING_PUNCTUATION:
        end -= 1
    start, kept = end, 0
    while start > 0 and kept < CJK_TAIL and not text[start - 1].isspace():
        start -= 1
        kept += 1
    return text[:start], text[start:]
