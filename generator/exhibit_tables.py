"""Exhibit frames as appendix tables: bilingual column headers, chart kind and secondary axis per exhibit.

The frames come from :mod:`charts.exhibits` exactly as plotted; this module only says how a spreadsheet
should label and chart them. Tariff frames are long (country, scenario, value) and are pivoted to one row
per country and one column per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from charts.exhibits import EXHIBITS, Window, exhibit_frames
from generator.appendix_input import ExhibitSheet
from generator.inputs import country_in_chinese
from generator.store import PointInTime

#: every column an exhibit frame may have → (zh, en) header
COLUMN_HEADERS: dict[str, tuple[str, str]] = {
    "date": ("日期", "Date"),
    "country": ("国家/地区（英文）", "Country"),
    "country_zh": ("国家/地区", "Country (zh)"),
    "ust3m_pct": ("3个月期美债收益率（%）", "3M UST yield (%)"),
    "ust2y_pct": ("2年期美债收益率（%）", "2Y UST yield (%)"),
    "ust10y_pct": ("10年期美债收益率（%）", "10Y UST yield (%)"),
    "ust30y_pct": ("30年期美债收益率（%）", "30Y UST yield (%)"),
    "acm_tp10_pct": ("ACM 10年期期限溢价（%）", "ACM 10Y term premium (%)"),
    "realized_vol_10y_bp": ("10年期收益率已实现波动率（基点）", "10Y realised volatility (bp)"),
    "bills_pct": ("短期国库券占比（%）", "Bills share (%)"),
    "notes_pct": ("中期国债占比（%）", "Notes share (%)"),
    "bonds_pct": ("长期国债占比（%）", "Bonds share (%)"),
    "tips_pct": ("通胀保值债券占比（%）", "TIPS share (%)"),
    "frn_pct": ("浮息债占比（%）", "FRN share (%)"),
    "bills_share_net_issuance_12m_pct": (
        "短债占12个月净发行比重（%）",
        "Bills' share of 12-month net issuance (%)",
    ),
    "mmf_treasury_share_pct": ("美债占货基投资比重（%）", "Treasuries' share of MMF investments (%)"),
    "wam_months": ("平均剩余期限（月）", "Average maturity (months)"),
    "hedge_cost_eur_pct": ("欧元3个月对冲成本（%）", "EUR 3M hedge cost (%)"),
    "hedged_ust10y_eur_pct": ("欧元对冲后10年期美债收益率（%）", "EUR-hedged 10Y UST yield (%)"),
    "bund10y_pct": ("10年期德债收益率（%）", "10Y Bund yield (%)"),
    "bund10y_monthly_pct": ("10年期德债收益率月均值，OECD（%）", "10Y Bund yield, monthly average, OECD (%)"),
    "hedge_cost_jpy_pct": ("日元3个月对冲成本（%）", "JPY 3M hedge cost (%)"),
    "hedged_ust10y_jpy_pct": ("日元对冲后10年期美债收益率（%）", "JPY-hedged 10Y UST yield (%)"),
    "jgb10y_pct": ("10年期日债收益率（%）", "10Y JGB yield (%)"),
    "foreign_total_bn": ("外资持有美债合计（十亿美元）", "Foreign holdings, total ($bn)"),
    "japan_bn": ("日本（十亿美元）", "Japan ($bn)"),
    "china_bn": ("中国大陆（十亿美元）", "China, Mainland ($bn)"),
    "net_lt_purchases_bn": (
        "外资净买入美国长期证券（十亿美元）",
        "Net foreign purchases of US LT securities ($bn)",
    ),
    "net_lt_purchases_6ma_bn": ("6个月移动平均（十亿美元）", "6-month average ($bn)"),
}

#: exhibit → (chart kind, columns on a secondary axis)
CHART_LAYOUT: dict[str, tuple[str, tuple[str, ...]]] = {
    "E01": ("line", ()),
    "E02": ("line", ("realized_vol_10y_bp",)),
    "E03": ("stacked_area", ()),
    "E04": ("line", ()),
    "E05": ("line", ()),
    "E06": ("line", ()),
    "E07": ("line", ()),
    "E08": ("line", ()),
    "E09": ("line", ()),
    "E10": ("bar", ("net_lt_purchases_6ma_bn",)),
    "E11": ("bar", ()),
    "E12": ("bar", ()),
}
TARIFF_VALUE_COLUMNS = ("gdp_impact_pct", "inflation_impact_pp")


def _chinese_labels(frame: pd.DataFrame, column: str) -> dict[str, str]:
    """Return English label → Chinese label for ``column`` ("country" or "scenario") of a tariff frame.

    From the analyst's ``<column>_zh`` where given; countries otherwise from the charts' own list.
    """
    labels: dict[str, str] = {}
    for _, row in frame.iterrows():
        english = str(row[column])
        chinese = row.get(f"{column}_zh")
        if column == "country":
            chinese = country_in_chinese(english, chinese)
        labels.setdefault(english, chinese if isinstance(chinese, str) and chinese else english)
    return labels


def spreadsheet_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """Return a wide frame (x column first) and its headers; long tariff frames are pivoted by scenario.

    A tariff table gets one row per country (English name, then its Chinese name) and one column per
    scenario, headed by the scenario's Chinese name (where the analyst gives one) and its English name.
    """
    value = next((column for column in TARIFF_VALUE_COLUMNS if column in frame.columns), None)
    if value is None:
        headers = {column: COLUMN_HEADERS.get(column, (column, column)) for column in frame.columns}
        return frame.reset_index(drop=True), headers
    if frame.empty:  # no scenario on file at the as-of date: an empty table with its value column
        empty = frame[["country", value]].reset_index(drop=True)
        return empty, {column: COLUMN_HEADERS.get(column, (column, column)) for column in empty.columns}
    wide = frame.pivot_table(index="country", columns="scenario", values=value, aggfunc="first", sort=False)
    wide = wide.reset_index()
    wide.columns = [str(column) for column in wide.columns]
    scenarios = _chinese_labels(frame, "scenario")
    headers = {column: (scenarios.get(column, column), column) for column in wide.columns}
    headers["country"] = COLUMN_HEADERS["country"]
    wide.insert(1, "country_zh", wide["country"].map(_chinese_labels(frame, "country")))
    headers["country_zh"] = COLUMN_HEADERS["country_zh"]
    return wide, headers


def exhibit_sheets(
    view: PointInTime,
    tariffs: pd.DataFrame | None,
    windows: Mapping[str, Window] | None = None,
    frames: Mapping[str, pd.DataFrame] | None = None,
) -> list[ExhibitSheet]:
    """Return the twelve appendix sheets with the data each exhibit plots as of the view's date.

    ``frames``: the exhibits' frames when the caller has them already (as
    :func:`charts.exhibits.exhibit_frames` gives them for the same view, tariffs and windows).
    """
    if frames is None:
        frames = exhibit_frames(view, tariffs, windows)
    sheets = []
    for exhibit_id, exhibit in EXHIBITS.items():
        frame, headers = spreadsheet_frame(frames[exhibit_id])
        kind, secondary = CHART_LAYOUT[exhibit_id]
        source_zh, source_en = exhibit.sources(view, tariffs if exhibit.uses_tariffs else None)
        title_zh, title_en = exhibit.titles(view)
        sheets.append(
            ExhibitSheet(
                id=exhibit_id,
                title_zh=title_zh,
                title_en=title_en,
                unit_zh=exhibit.unit_zh,
                unit_en=exhibit.unit_en,
                source_zh=source_zh,
                source_en=source_en,
                frame=frame,
                headers=headers,
                kind=kind,
                secondary=secondary,
                secondary_unit_zh="基点" if "realized_vol_10y_bp" in secondary else "",
                secondary_unit_en="bp" if "realized_vol_10y_bp" in secondary else "",
            )
        )
    return sheets
