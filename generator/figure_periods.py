"""The period a figure is printed with: in the note's key-figures table and text tags, and in the
appendix's Figures sheet, so that the two outputs date every figure alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from generator import formatting, source_links
from generator.catalogue import CATALOGUE
from generator.wording import fact_from_entry, is_older_than_week, rests_partly_on_older_data


def figure_period(figure: Mapping[str, Any]) -> str | None:
    """Return the period a figure measures: its ``period``, else one derived from its date and the
    frequency of its input series (a quarterly GDP figure dated 2024-10-01 measures 2024Q4)."""
    if figure.get("period"):
        return str(figure["period"])
    frequencies = {
        spec.frequency
        for spec in (CATALOGUE.get(key) for key in source_links.series_keys(figure.get("inputs")))
        if spec is not None
    }
    frequency = frequencies.pop() if len(frequencies) == 1 else None
    return formatting.period_from_date(figure.get("date"), frequency)


def older_data_note(period: str, lang: str, lead: str = "") -> str:
    """ "(incl. Jan 2023 data)" / "（含2023年1月数据）": a value of this week resting partly on older data."""
    return f"（含{period}数据）" if lang == "zh" else f"{lead}(incl. {period} data)"


#: figures that combine different series observed at one moment (a hedge cost: this week's Treasury
#: bill and a foreign rate of the day before, or of last month), unlike a change or an average, whose
#: inputs are the two ends of a window
COMBINED_AT_ONE_MOMENT = ("hedge_cost.", "hedged10y.")


def printed_period(key: str, figure: Mapping[str, Any], lang: str, as_of: date | None) -> tuple[str, str]:
    """Return a figure's period as printed, and a note that goes with it: a value that rests partly on
    older data (a hedged yield: this week's yields, January's yen rate or yesterday's euro rate) reads
    "17 Mar 2023" with "(incl. Jan 2023 data)", not "Jan 2023", as the text's tag does; so a reader
    who looks the inputs up on the date printed finds this week's yields."""
    period = formatting.format_period(figure_period(figure), lang)
    if as_of is None or formatting.is_missing(figure.get("value")):
        return period, ""
    dates = [str(item["date"])[:10] for item in figure.get("inputs") or () if item.get("date")]
    older_week = is_older_than_week(fact_from_entry(key, figure), as_of) and rests_partly_on_older_data(
        figure, as_of
    )
    combined = key.startswith(COMBINED_AT_ONE_MOMENT) and len(set(dates)) > 1
    if older_week or combined:
        return formatting.format_date(max(dates), lang), older_data_note(period, lang)
    return period, ""
