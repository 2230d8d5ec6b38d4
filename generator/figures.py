"""Figures: every number the note quotes, computed from the as-of view and the analyst inputs.

view (:class:`~generator.store.PointInTime`) + :class:`~generator.inputs.AnalystInputs` →
``{key: Figure}`` → ``figures.json``::

    {"as_of": "2025-02-09", "data_as_of": "2025-02-07", "unavailable": [{"figure", "reason"}, …],
     "figures": {key: {value, unit, date, period, source, source_zh, label_zh, label_en, inputs,
                       vintage[, reason, reason_zh]}}}

- ``value``: full precision (rounding happens only in :mod:`generator.formatting`), or null when the
  figure's inputs are not available at the as-of date; then ``reason`` says why ("not yet published as
  of 2021-01-08: …", "not in the data folder: …", "no equipment contribution in the data for 2025Q1"),
  ``reason_zh`` the same in Chinese for the zh edition ("截至2021年1月8日尚未发布"), and ``date``,
  ``period`` are null. A figure is never dropped: templates test ``has(key)``.
- ``inputs``: every observation the value rests on, ``{"series", "date", "published"}`` (a tariff
  figure's rows add ``country`` and ``country_zh``: whose scenario gives the value); for a change,
  an average or a y/y rate both ends of its window (the base of the comparison included).
- ``date``: the OLDEST observation among the figure's current inputs (the base of a comparison, a year
  or a week earlier, is listed in ``inputs`` but does not date the figure): a hedge cost that uses a
  December OECD monthly rate is dated December. For a high, low or record it is the day it was reached,
  for an analyst input the release date of its source. Never after the as-of date.
- ``period``: what the value measures, in the frequency of that oldest input: ``2025-02-07`` (daily),
  ``2025-01`` (monthly), ``2024Q4`` (quarterly).
- ``vintage``: ``first release`` / ``release vintage`` (the release current at the as-of date, from
  vintage data) / ``revised (file of YYYY-MM-DD)`` (a file that holds only a later vintage) / ``as
  published (no vintages)``; the least current of the inputs wins.
- ``source`` / ``source_zh``: publisher and series label of every input, human-readable.

Definitions (see also :mod:`generator.measures`):
- Windows end on the as-of date: ``*_3m`` ("3-month high/low") the three calendar months to it
  (:func:`three_months_to`: from the day after the same date three months earlier, so as of 2025-02-07
  the window is 2024-11-08..2025-02-07), ``tp10.avg_2y`` the 730 calendar days to it, each a plain
  mean or extreme of the daily observations in it. ``tp10.avg_pre_gfc`` averages 1997-01-01..2006-12-31.
- Treasury yields, spreads and their changes come from ONE curve (:func:`generator.measures.treasury_curve`):
  the Treasury's daily par yield curve where it has the day, else H.15; ``source`` names the one used.
  Spreads are 10y minus 2y / 3m of the same day and source.
- ``ust10y.change_1w_bp`` / ``change_4w_bp``: the last 10-year yield minus the last one on or before
  7 / 28 days before the last observation, bp (Friday to Friday when the par curve has both days).
- Same period: a sum or comparison of figures of different periods is not computed (value null with a
  reason): ``gdp.contrib_inventories_equipment_pp`` needs both contributions for the same quarter, and
  a GDP contribution older than the quarter of ``gdp.qoq_saar_last`` is unavailable for that quarter.
- Hedge costs are 3-month rate differentials (no FX forwards or basis in public data): US 3-month
  bill (H.15 DGS3MO) minus Japan's OECD 3-month interbank rate (monthly) or the ECB's euro-area AAA
  3-month spot rate (daily); the source line names both rates.
- ``tic.net_inflow_6ma_bn``: mean of the last six months of net foreign purchases of US long-term
  securities (TIC SLT table 4, grand total, foreigners' side), $bn. The monthly TIC press release's
  total net flow (with short-term and banking flows) is not in machine-readable TIC tables used here.
- Refunding figures come from the analyst's cited table of Treasury refunding statements (the latest
  released on or before the as-of date); without one of the past hundred days, from the data's capture
  of Treasury's borrowing estimates (``qra_financing_need_bn``): only its next-quarter estimates, the
  rows for the quarter after the one of their release (:func:`captured_refunding_figures`).
- Tariff ranges are the min / max over the analyst's tariff-scenario rows published by the as-of date.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd

from generator import measures
from generator.atomic import write_text_atomic
from generator.catalogue import series_spec
from generator.errors import DataError
from generator.formatting import format_date, format_period, format_quarter
from generator.inputs import AnalystInputs
from generator.publication import data_as_of, quarter_after, quarter_of
from generator.store import (
    AS_PUBLISHED,
    FIRST_RELEASE,
    RELEASE_VINTAGE,
    Observation,
    PointInTime,
    revised_file_date,
)

log = logging.getLogger(__name__)

THREE_MONTHS = pd.DateOffset(months=3)
TP_AVERAGE_DAYS = 730
PRE_GFC = (pd.Timestamp("1997-01-01"), pd.Timestamp("2006-12-31"))
VOL_WINDOW_DAYS = 21
TIC_AVERAGE_MONTHS = 6
INTEREST_AVERAGE_MONTHS = 12

#: key → (unit, label_zh, label_en): the one list of figures the note can quote
FIGURE_LABELS: dict[str, tuple[str, str, str]] = {
    "ust3m.last": ("%", "3个月期美债收益率", "3-month Treasury yield"),
    "ust2y.last": ("%", "2年期美债收益率", "2-year Treasury yield"),
    "ust10y.last": ("%", "10年期美债收益率", "10-year Treasury yield"),
    "ust30y.last": ("%", "30年期美债收益率", "30-year Treasury yield"),
    "ust10y.high_3m": ("%", "10年期美债收益率近3个月高点", "10-year Treasury yield, 3-month high"),
    "ust10y.low_3m": ("%", "10年期美债收益率近3个月低点", "10-year Treasury yield, 3-month low"),
    "ust10y.change_1w_bp": ("bp", "10年期美债收益率周变动", "10-year Treasury yield, 1-week change"),
    "ust10y.change_4w_bp": ("bp", "10年期美债收益率4周变动", "10-year Treasury yield, 4-week change"),
    "spread_10y2y.last_bp": ("bp", "10年期与2年期美债利差", "10-year minus 2-year Treasury spread"),
    "spread_10y3m.last_bp": ("bp", "10年期与3个月期美债利差", "10-year minus 3-month Treasury spread"),
    "spread_10y2y.change_4w_bp": (
        "bp",
        "10年期与2年期美债利差4周变动",
        "10-year minus 2-year Treasury spread, 4-week change",
    ),
    "tp10.last": ("%", "10年期期限溢价（ACM）", "10-year term premium (ACM)"),
    "tp10.avg_2y": ("%", "10年期期限溢价过去2年均值", "10-year term premium, 2-year average"),
    "tp10.avg_pre_gfc": (
        "%",
        "10年期期限溢价金融危机前10年均值（1997–2006）",
        "10-year term premium, pre-GFC average (1997–2006)",
    ),
    "vol10y.realized_1m_bp": (
        "bp",
        "10年期美债收益率1个月已实现波动率（年化）",
        "10-year yield realised volatility, 1 month (annualised)",
    ),
    "bills.share_outstanding": ("%", "短期国库券占可流通国债存量比重", "Bills' share of marketable debt"),
    "bills.share_net_issuance_12m": (
        "%",
        "短期国库券占过去12个月净发行比重",
        "Bills' share of net issuance, 12 months",
    ),
    "wam.months": ("months", "可流通国债平均剩余期限", "Average maturity of marketable debt"),
    "mmf.treasury_share": ("%", "美国国债占货币基金投资比重", "Treasuries' share of money-fund investments"),
    "interest.monthly_avg_bn": (
        "$bn",
        "过去12个月月均利息支出",
        "Monthly interest expense, 12-month average",
    ),
    "tga.last_bn": ("$bn", "财政部一般账户（TGA）余额", "Treasury General Account balance"),
    "refunding.net_borrowing_current_q_bn": (
        "$bn",
        "再融资声明：声明当季净融资规模",
        "Refunding: net marketable borrowing, quarter of the statement",
    ),
    "refunding.net_borrowing_next_q_bn": (
        "$bn",
        "再融资声明：声明下一季度净融资规模",
        "Refunding: net marketable borrowing, quarter after the statement",
    ),
    "refunding.tga_assumption_bn": (
        "$bn",
        "再融资声明：声明当季末TGA余额假设",
        "Refunding: cash balance assumed, end of the statement's quarter",
    ),
    "refunding.tga_assumption_next_q_bn": (
        "$bn",
        "再融资声明：声明下一季度末TGA余额假设",
        "Refunding: cash balance assumed, end of the quarter after",
    ),
    "hedge_cost.jpy_3m": ("%", "3个月美元兑日元对冲成本", "3-month USD/JPY hedge cost"),
    "hedge_cost.eur_3m": ("%", "3个月美元兑欧元对冲成本", "3-month USD/EUR hedge cost"),
    "hedged10y.jpy": ("%", "日元对冲后10年期美债收益率", "10-year Treasury yield, JPY-hedged"),
    "hedged10y.eur": ("%", "欧元对冲后10年期美债收益率", "10-year Treasury yield, EUR-hedged"),
    "jgb10y.last": ("%", "10年期日本国债收益率", "10-year JGB yield"),
    "bund10y.last": ("%", "10年期德国国债收益率", "10-year Bund yield"),
    "foreign_holdings.total_bn": ("$bn", "外资持有美债规模", "Foreign holdings of Treasuries"),
    "foreign_holdings.record_bn": (
        "$bn",
        "外资持有美债规模历史最高值",
        "Foreign holdings of Treasuries, record",
    ),
    "tic.net_inflow_6ma_bn": (
        "$bn",
        "外资净买入美国长期证券（6个月均值）",
        "Net foreign purchases of US long-term securities, 6-month average",
    ),
    "gdp.qoq_saar_last": ("%", "实际GDP环比折年率", "Real GDP growth, q/q SAAR"),
    "gdp.contrib_inventories_pp": ("pp", "库存投资对GDP的拉动", "Contribution of inventories to GDP growth"),
    "gdp.contrib_equipment_pp": ("pp", "设备投资对GDP的拉动", "Contribution of equipment to GDP growth"),
    "gdp.contrib_inventories_equipment_pp": (
        "pp",
        "库存与设备投资对GDP的合计拉动",
        "Contribution of inventories and equipment to GDP growth, together",
    ),
    "cpi.yoy": ("%", "CPI同比（季调指数）", "CPI, y/y (seasonally adjusted index)"),
    "core_pce.yoy": ("%", "核心PCE价格指数同比", "Core PCE prices, y/y"),
    "fed.target_lower": ("%", "联邦基金目标利率下限", "Fed funds target range, lower limit"),
    "fed.target_upper": ("%", "联邦基金目标利率上限", "Fed funds target range, upper limit"),
    "bills.share_outstanding_12m_ago": (
        "%",
        "短期国库券占可流通国债存量比重（12个月前）",
        "Bills' share of marketable debt, 12 months earlier",
    ),
    "mmf.treasury_share_6m_ago": (
        "%",
        "美国国债占货币基金投资比重（6个月前）",
        "Treasuries' share of money-fund investments, 6 months earlier",
    ),
    "fed.target_last_change_bp": (
        "bp",
        "联邦基金目标区间上限最近一次调整",
        "Fed funds target range, last change of the upper limit",
    ),
    "fed.decisions_since_last_change": (
        "count",
        "目标区间最近一次调整后的FOMC议息决议次数",
        "FOMC decisions since the target range last changed",
    ),
    "tariff.gdp_impact_min": ("%", "关税情景：GDP冲击下限", "Tariff scenarios: GDP impact, low end"),
    "tariff.gdp_impact_max": ("%", "关税情景：GDP冲击上限", "Tariff scenarios: GDP impact, high end"),
    "tariff.inflation_impact_min": (
        "pp",
        "关税情景：通胀冲击下限",
        "Tariff scenarios: inflation impact, low end",
    ),
    "tariff.inflation_impact_max": (
        "pp",
        "关税情景：通胀冲击上限",
        "Tariff scenarios: inflation impact, high end",
    ),
}


class FigureUnavailableError(DataError):
    """A figure cannot be computed at the as-of date; ``reason`` (and ``reason_zh``, the same in
    Chinese for the zh edition) go into figures.json (not an error)."""

    def __init__(self, reason: str, reason_zh: str, series: str | None = None) -> None:
        super().__init__(reason, series=series)
        self.reason = reason
        self.reason_zh = reason_zh


#: a figure's vintage is that of its least current input, in this order
_VINTAGE_RANK = {"revised": 0, RELEASE_VINTAGE: 1, AS_PUBLISHED: 2, FIRST_RELEASE: 3}


@dataclass(frozen=True)
class Figure:
    """One quoted number (or its absence, with the reason): value, unit, dates, inputs, vintage, source."""

    key: str
    value: float | None
    unit: str
    date: str | None  #: ISO date of the oldest current input; None when unavailable
    source: str  #: publisher and series label of the inputs, English
    label_zh: str
    label_en: str
    source_zh: str = ""
    inputs: tuple[dict[str, str], ...] = ()  #: {"series", "date", "published"} per input
    period: str | None = None  #: what the value measures: 2025-02-07, 2025-01 or 2024Q4
    vintage: str = AS_PUBLISHED
    reason: str | None = None  #: why the value is null
    reason_zh: str | None = None  #: the same, in Chinese (the zh edition prints it)

    def __post_init__(self) -> None:
        if self.value is None and self.reason:
            if self.date is not None:
                raise DataError("an unavailable figure has no date", series=self.key)
            return
        if self.value is None or isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise DataError(f"figure value is {self.value!r}, not a number", series=self.key)
        if not math.isfinite(self.value):
            raise DataError(f"figure value is {self.value}", series=self.key)
        object.__setattr__(self, "value", float(self.value))
        date.fromisoformat(str(self.date))

    @property
    def available(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, object]:
        """Return the figures.json entry (everything but the key)."""
        entry: dict[str, object] = {
            "value": self.value,
            "unit": self.unit,
            "date": self.date,
            "period": self.period,
            "source": self.source,
            "source_zh": self.source_zh,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "inputs": [dict(item) for item in self.inputs],
            "vintage": self.vintage,
        }
        if self.value is None:
            entry["reason"] = self.reason
            entry["reason_zh"] = self.reason_zh
        return entry


def period_of(day: pd.Timestamp, frequency: str) -> str:
    """Return the period an observation dated ``day`` measures: 2025-02-07, 2025-01 or 2024Q4."""
    if frequency == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    if frequency == "quarterly":
        return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"
    return day.date().isoformat()


def _sources(keys: list[str]) -> tuple[str, str]:
    specs = [series_spec(key) for key in dict.fromkeys(keys)]
    return "; ".join(spec.source_en for spec in specs), "；".join(spec.source_zh for spec in specs)


def _combined_vintage(view: PointInTime, inputs: list[Observation]) -> str:
    vintages = [view.vintage(item) for item in inputs]
    return min(vintages, key=lambda text: _VINTAGE_RANK["revised" if text.startswith("revised") else text])


def make_figure(
    key: str,
    value: float,
    inputs: list[Observation],
    view: PointInTime,
    *,
    current: list[Observation] | None = None,
    note: str = "",
) -> Figure:
    """Return figure ``key`` resting on ``inputs``; ``current`` (default: all) date it by the oldest.

    ``note`` is appended to the source line ("; …") for a definition the reader needs.
    """
    unit, label_zh, label_en = FIGURE_LABELS[key]
    oldest = min(current if current is not None else inputs, key=lambda item: item.date)
    source, source_zh = _sources([item.series for item in inputs])
    ordered = sorted(set(inputs), key=lambda item: (item.date, item.series))
    return Figure(
        key,
        float(value),
        unit,
        oldest.date.date().isoformat(),
        source + note,
        label_zh,
        label_en,
        source_zh=source_zh,
        inputs=tuple(item.as_dict() for item in ordered),
        period=period_of(oldest.date, series_spec(oldest.series).frequency),
        vintage=_combined_vintage(view, list(inputs)),
    )


def unavailable(
    key: str,
    reason: str,
    reason_zh: str,
    series: tuple[str, ...] = (),
    source: str = "",
    source_zh: str = "",
) -> Figure:
    """Return figure ``key`` with no value and the ``reason`` (English and Chinese); its source names
    what it would read (the catalogue's ``series``, or ``source`` and ``source_zh`` for analyst inputs)."""
    unit, label_zh, label_en = FIGURE_LABELS[key]
    source_en, source_zh = _sources(list(series)) if series else (source, source_zh or source)
    return Figure(
        key,
        None,
        unit,
        None,
        source_en,
        label_zh,
        label_en,
        source_zh=source_zh,
        vintage="",
        reason=reason,
        reason_zh=reason_zh,
    )


def _attempt(key: str, series: tuple[str, ...], compute: Callable[[], Figure]) -> Figure:
    """Return ``compute()``, or the figure unavailable with the reason its inputs are missing."""
    try:
        return compute()
    except FigureUnavailableError as exc:
        return unavailable(key, exc.reason, exc.reason_zh, series)
    except DataError as exc:
        reason = getattr(exc, "reason", None)
        if reason is None:
            raise
        reason_zh = exc.reason_zh  # type: ignore[attr-defined]
        if not exc.series:
            return unavailable(key, reason, reason_zh, series)
        spec = series_spec(exc.series)
        return unavailable(key, f"{reason}: {spec.source_en}", f"{spec.source_zh}：{reason_zh}", series)


def _last(series: pd.Series, series_key: str) -> tuple[pd.Timestamp, float]:
    if series.empty:
        spec = series_spec(series_key)
        raise FigureUnavailableError(
            f"no value of {spec.source_en} to compute from", f"没有可供计算的{spec.source_zh}数据"
        )
    return series.index[-1], float(series.iloc[-1])


def three_months_to(as_of: pd.Timestamp) -> pd.Timestamp:
    """Return the first day of "the last 3 months" to ``as_of``: the day after the same date three
    calendar months earlier (2025-02-07 → 2024-11-08; 2025-05-31 → 2025-03-01, Feb 28 + 1 day)."""
    return (as_of - THREE_MONTHS).normalize() + pd.Timedelta(days=1)


def _window(values: pd.Series, start: pd.Timestamp, as_of: pd.Timestamp, series_key: str) -> pd.Series:
    """Return the observations dated from ``start`` to ``as_of``, both included."""
    window = values[(values.index >= start) & (values.index <= as_of)]
    if window.empty:
        spec = series_spec(series_key)
        raise FigureUnavailableError(
            f"no observation of {spec.source_en} from {start.date()} to {as_of.date()}",
            f"{format_date(start, 'zh')}至{format_date(as_of, 'zh')}没有{spec.source_zh}数据",
        )
    return window


def _change_bp(values: pd.Series, days: int, series_key: str) -> tuple[pd.Timestamp, float]:
    """Return the last date and the change (bp) since the last observation ≥ ``days`` days earlier."""
    last_date, last_value = _last(values, series_key)
    earlier = values[values.index <= last_date - pd.Timedelta(days=days)]
    if earlier.empty:
        raise FigureUnavailableError(
            f"no observation {days} days before {last_date.date()}",
            f"{format_date(last_date, 'zh')}之前{days}天没有观测值",
            series=series_key,
        )
    return last_date, (last_value - float(earlier.iloc[-1])) * 100


def _base_date(values: pd.Series, last_date: pd.Timestamp, days: int) -> pd.Timestamp:
    return values.index[values.index <= last_date - pd.Timedelta(days=days)][-1]


# --- curve -----------------------------------------------------------------------------------------

TENORS = ("ust3m", "ust2y", "ust10y", "ust30y")
SPREADS = {"spread_10y2y": "ust2y", "spread_10y3m": "ust3m"}


def _curve_inputs(view: PointInTime, curve: pd.DataFrame, keys: tuple[str, ...], when: pd.Timestamp) -> list:
    source = curve.loc[when, "source"]
    return [view.observation(measures.curve_series_key(key, source), when) for key in keys]


def _curve_series(*keys: str) -> tuple[str, ...]:
    return tuple(name for key in keys for name in (series_spec(key).par or key, key))


def monthly_average(key: str, view: PointInTime, series: str, months: int) -> Figure:
    """Return figure ``key``: the mean of the last ``months`` published months of ``series``, which must
    be consecutive; dated by the first month, current as of the latest."""
    window = measures.last_consecutive_months(view.series(series), months)
    if window is None:
        raise FigureUnavailableError(
            f"the last {months} published months of {series} are not consecutive",
            f"{series_spec(series).source_zh}最近公布的{months}个月不连续",
        )
    first, latest = (view.observation(series, day) for day in (window.index[0], window.index[-1]))
    return make_figure(key, window.mean(), [first, latest], view, current=[latest])


def compute_curve_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return yield levels (%), the 10-year's 3-month high/low (%) and changes (bp), curve spreads (bp),
    all from the Treasury par curve where it has the day, else H.15 (the source says which)."""

    def level(key: str) -> Figure:
        curve = measures.treasury_curve(view, (key,))
        when = curve.index[-1]
        return make_figure(f"{key}.last", curve[key].iloc[-1], _curve_inputs(view, curve, (key,), when), view)

    def extreme(name: str) -> Figure:
        curve = measures.treasury_curve(view, ("ust10y",))
        window = _window(curve["ust10y"], three_months_to(view.as_of), view.as_of, "ust10y")
        when = window.idxmax() if name == "high" else window.idxmin()
        return make_figure(
            f"ust10y.{name}_3m", window[when], _curve_inputs(view, curve, ("ust10y",), when), view
        )

    def change(weeks: int) -> Figure:
        curve = measures.treasury_curve(view, ("ust10y",))
        when, value = _change_bp(curve["ust10y"], 7 * weeks, "ust10y")
        base = _base_date(curve["ust10y"], when, 7 * weeks)
        current = _curve_inputs(view, curve, ("ust10y",), when)
        everything = current + _curve_inputs(view, curve, ("ust10y",), base)
        return make_figure(f"ust10y.change_{weeks}w_bp", value, everything, view, current=current)

    def spread(key: str) -> Figure:
        short = SPREADS[key]
        curve = measures.treasury_curve(view, ("ust10y", short))
        when = curve.index[-1]
        value = (curve.loc[when, "ust10y"] - curve.loc[when, short]) * 100
        return make_figure(f"{key}.last_bp", value, _curve_inputs(view, curve, ("ust10y", short), when), view)

    def spread_change() -> Figure:
        curve = measures.treasury_curve(view, ("ust10y", "ust2y"))
        spread_bp = curve["ust10y"] - curve["ust2y"]
        when, value = _change_bp(spread_bp, 28, "ust10y")
        base = _base_date(spread_bp, when, 28)
        current = _curve_inputs(view, curve, ("ust10y", "ust2y"), when)
        everything = current + _curve_inputs(view, curve, ("ust10y", "ust2y"), base)
        return make_figure("spread_10y2y.change_4w_bp", value, everything, view, current=current)

    ten = _curve_series("ust10y")
    figures = [_attempt(f"{key}.last", _curve_series(key), lambda key=key: level(key)) for key in TENORS]
    figures += [
        _attempt(f"ust10y.{name}_3m", ten, lambda name=name: extreme(name)) for name in ("high", "low")
    ]
    figures += [_attempt(f"ust10y.change_{w}w_bp", ten, lambda w=w: change(w)) for w in (1, 4)]
    figures += [
        _attempt(f"{key}.last_bp", _curve_series("ust10y", short), lambda key=key: spread(key))
        for key, short in SPREADS.items()
    ]
    figures.append(_attempt("spread_10y2y.change_4w_bp", _curve_series("ust10y", "ust2y"), spread_change))
    return figures


def compute_term_premium_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the ACM 10-year term premium (last, 2-year and pre-GFC means, %) and realised vol (bp)."""
    series = ("acm_tp10",)

    def last() -> Figure:
        when, value = _last(view.series("acm_tp10"), "acm_tp10")
        return make_figure("tp10.last", value, [view.observation("acm_tp10", when)], view)

    def mean(key: str, window: pd.Series) -> Figure:
        first, latest = (view.observation("acm_tp10", day) for day in (window.index[0], window.index[-1]))
        return make_figure(key, window.mean(), [first, latest], view, current=[latest])

    def recent() -> Figure:
        start = view.as_of - pd.Timedelta(days=TP_AVERAGE_DAYS - 1)  # the 730 days ending on the as-of date
        return mean("tp10.avg_2y", _window(view.series("acm_tp10"), start, view.as_of, "acm_tp10"))

    def pre_gfc() -> Figure:
        tp10 = view.series("acm_tp10")
        window = tp10[(tp10.index >= PRE_GFC[0]) & (tp10.index <= PRE_GFC[1])]
        if window.empty:
            raise FigureUnavailableError(
                "no ACM term premium in 1997-2006 in the data", "数据中没有1997–2006年的ACM期限溢价"
            )
        # the period is the span averaged, not the day of its last observation (29 Dec 2006)
        return replace(mean("tp10.avg_pre_gfc", window), period=f"{PRE_GFC[0].year}/{PRE_GFC[1].year}")

    def vol() -> Figure:
        curve = measures.treasury_curve(view, ("ust10y",))
        values = measures.realized_vol_bp(curve["ust10y"], VOL_WINDOW_DAYS).dropna()
        when, value = _last(values, "ust10y")
        start = curve.index[curve.index.get_loc(when) - VOL_WINDOW_DAYS]
        current = _curve_inputs(view, curve, ("ust10y",), when)
        everything = current + _curve_inputs(view, curve, ("ust10y",), start)
        return make_figure("vol10y.realized_1m_bp", value, everything, view, current=current)

    return [
        _attempt("tp10.last", series, last),
        _attempt("tp10.avg_2y", series, recent),
        _attempt("tp10.avg_pre_gfc", series, pre_gfc),
        _attempt("vol10y.realized_1m_bp", _curve_series("ust10y"), vol),
    ]


def compute_supply_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return bills' shares (%), average maturity (months), MMF Treasury share (%), interest ($bn)."""
    mspd = ("mspd_bills", "mspd_marketable")

    def share() -> Figure:
        when, value = _last(measures.bill_share_outstanding(view), "mspd_bills")
        return make_figure("bills.share_outstanding", value, [view.observation(k, when) for k in mspd], view)

    def issuance() -> Figure:
        months = 12
        when, value = _last(measures.bill_share_of_net_issuance(view, months), "mspd_bills")
        total = view.series("mspd_marketable")
        base = total.index[total.index.get_loc(when) - months]
        current = [view.observation(key, when) for key in mspd]
        everything = current + [view.observation(key, base) for key in mspd]
        return make_figure("bills.share_net_issuance_12m", value, everything, view, current=current)

    def wam() -> Figure:
        when, value = view.last("wam_months")
        return make_figure("wam.months", value, [view.observation("wam_months", when)], view)

    def mmf() -> Figure:
        when, value = _last(measures.mmf_treasury_share(view), "mmf_treasury")
        observed = [view.observation(key, when) for key in ("mmf_treasury", "mmf_total")]
        return make_figure("mmf.treasury_share", value, observed, view)

    def interest() -> Figure:
        return monthly_average("interest.monthly_avg_bn", view, "interest_expense", INTEREST_AVERAGE_MONTHS)

    def earlier(key: str, shares: Callable[[], pd.Series], months: int, keys: tuple[str, ...]) -> Figure:
        values = shares()
        when, _value = _last(values, keys[0])
        target = when.to_period("M") - months  # month-ends: compare months, not days (Nov 30 → May 31)
        found = values[values.index.to_period("M") == target]
        if found.empty:
            raise FigureUnavailableError(
                f"no observation {months} months before {when.date()}",
                f"{format_date(when, 'zh')}之前{months}个月没有观测值",
            )
        day = found.index[-1]
        return make_figure(key, found.iloc[-1], [view.observation(name, day) for name in keys], view)

    mmf_keys = ("mmf_treasury", "mmf_total")
    return [
        _attempt("bills.share_outstanding", mspd, share),
        _attempt(
            "bills.share_outstanding_12m_ago",
            mspd,
            lambda: earlier(
                "bills.share_outstanding_12m_ago", lambda: measures.bill_share_outstanding(view), 12, mspd
            ),
        ),
        _attempt(
            "mmf.treasury_share_6m_ago",
            mmf_keys,
            lambda: earlier(
                "mmf.treasury_share_6m_ago", lambda: measures.mmf_treasury_share(view), 6, mmf_keys
            ),
        ),
        _attempt("bills.share_net_issuance_12m", mspd, issuance),
        _attempt("wam.months", ("wam_months",), wam),
        _attempt("mmf.treasury_share", ("mmf_treasury", "mmf_total"), mmf),
        _attempt("interest.monthly_avg_bn", ("interest_expense",), interest),
    ]


def analyst_figure(
    key: str, value: float, released: date, period: str, source: str, name: str, source_zh: str = ""
) -> Figure:
    """Return a figure from an analyst input table: dated by its source's release date."""
    unit, label_zh, label_en = FIGURE_LABELS[key]
    day = released.isoformat()
    return Figure(
        key,
        float(value),
        unit,
        day,
        source,
        label_zh,
        label_en,
        source_zh=source_zh or source,
        inputs=({"series": name, "date": day, "published": day},),
        period=period,
        vintage=AS_PUBLISHED,
    )


REFUNDING_KEYS = (
    ("refunding.net_borrowing_current_q_bn", "net_borrowing_current_q_bn"),
    ("refunding.net_borrowing_next_q_bn", "net_borrowing_next_q_bn"),
    ("refunding.tga_assumption_bn", "tga_end_current_q_bn"),
    ("refunding.tga_assumption_next_q_bn", "tga_end_next_q_bn"),
)


#: Treasury refunds every quarter: a latest statement older than this is out of date, not quoted
REFUNDING_MAX_AGE_DAYS = 100


def captured_refunding_figures(view: PointInTime) -> list[Figure]:
    """Return Treasury's borrowing estimates of the latest refunding in the data's capture of them
    (series ``qra_financing_need_bn``), released in the hundred days to the as-of date; [] without one.

    The capture holds one estimate per quarter, of mixed vintages: from 2021Q1 each row is the
    next-quarter estimate of the refunding before it, and only such rows (a quarter after the quarter
    of its release) are quoted, as ``refunding.net_borrowing_next_q_bn``. Earlier rows are "mostly" the
    current quarter's estimate, and not always (the row 2020Q2, released in May 2020, holds the Jul-Sep
    estimate), so they are not. Each is dated by its release day as the capture gives it (the refunding
    statement's Wednesday in recent rows, two days after the estimates: never too early).
    """
    series = "qra_financing_need_bn"
    try:
        cut = view.observations(series)
    except DataError:
        return []
    released = cut["published"].max()
    if (view.as_of - released).days > REFUNDING_MAX_AGE_DAYS:
        return []
    next_quarter = quarter_after(quarter_of(released.date()))
    key = "refunding.net_borrowing_next_q_bn"
    unit, label_zh, label_en = FIGURE_LABELS[key]
    source, source_zh = _sources([series])
    figures = []
    for day, value in cut.loc[cut["published"] == released, ["date", "value"]].itertuples(index=False):
        if quarter_of(day.date()) != next_quarter:
            continue
        observation = view.observation(series, day)
        figures.append(
            Figure(
                key,
                float(value),
                unit,
                released.date().isoformat(),
                f"{source} (released by {released.date().isoformat()})",
                label_zh,
                label_en,
                source_zh=f"{source_zh}（{format_date(released, 'zh')}前公布）",
                inputs=(observation.as_dict(),),
                period=next_quarter,
                vintage=view.vintage(observation),
            )
        )
    return figures


def compute_refunding_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the TGA balance and the latest refunding statement's borrowing and cash estimates ($bn).

    The analyst's table of statements comes first; without one of the past hundred days, the estimates
    of the data's capture of refundings (:func:`captured_refunding_figures`), the rest unavailable.
    """

    def tga() -> Figure:
        when, value = view.last("tga")
        return make_figure("tga.last_bn", value, [view.observation("tga", when)], view)

    figures = [_attempt("tga.last_bn", ("tga",), tga)]
    name = Path(inputs.refunding_file).name
    released = [row for row in inputs.refunding if row.release_date <= view.as_of.date()]
    statement = max(released, key=lambda row: row.release_date) if released else None
    age = (view.as_of.date() - statement.release_date).days if statement else None
    captured = captured_refunding_figures(view) if not statement or age > REFUNDING_MAX_AGE_DAYS else []
    if captured:
        found = {figure.key for figure in captured}
        reason = "not in the data's capture of Treasury's borrowing estimates"
        reason_zh = "数据中财政部借款预估的记录没有这一项"
        return (
            figures
            + captured
            + [
                unavailable(key, reason, reason_zh, series=("qra_financing_need_bn",))
                for key, _field in REFUNDING_KEYS
                if key not in found
            ]
        )
    source = f"US Treasury, refunding statements; analyst input {name}"
    source_zh = f"美国财政部再融资声明；分析师录入{name}"
    if statement is None:
        reason = f"no refunding statement on file as of {view.as_of.date()}"
        reason_zh = f"截至{format_date(view.as_of, 'zh')}，文件中没有再融资声明"
        return figures + [
            unavailable(key, reason, reason_zh, source=source, source_zh=source_zh)
            for key, _field in REFUNDING_KEYS
        ]
    if age > REFUNDING_MAX_AGE_DAYS:  # refunds are quarterly: a newer statement exists, not on file
        reason = (
            f"the latest refunding statement on file, of {statement.release_date} ({statement.quarter}), is "
            f"{age} days old (Treasury refunds quarterly): add the newer statement to {name}"
        )
        reason_zh = (
            f"文件中最新的再融资声明（{format_date(statement.release_date, 'zh')}，"
            f"{format_quarter(statement.quarter, 'zh')}）已过去{age}天（财政部每季度再融资）："
            f"请将新的声明加入{name}"
        )
        return figures + [
            unavailable(key, reason, reason_zh, source=source, source_zh=source_zh)
            for key, _field in REFUNDING_KEYS
        ]
    # the Monday release ("Treasury Announces Marketable Borrowing Estimates"), two days before the
    # refunding statement proper: named as what it is
    source = (
        f"US Treasury, marketable borrowing estimates of {statement.release_date.isoformat()} "
        f"({statement.quarter} refunding), {statement.citation}; analyst input {name}"
    )
    source_zh = (
        f"美国财政部{format_date(statement.release_date, 'zh')}公布的可流通国债借款预估"
        f"（{format_quarter(statement.quarter, 'zh')}再融资），{statement.citation}；分析师录入{name}"
    )
    for key, field in REFUNDING_KEYS:
        value = getattr(statement, field)
        if value is None:  # a refunding log may not record the next quarter's cash balance
            figures.append(
                unavailable(
                    key,
                    f"not recorded for the {statement.quarter} statement",
                    f"{format_quarter(statement.quarter, 'zh')}再融资声明中没有记录",
                    source=source,
                    source_zh=source_zh,
                )
            )
            continue
        period = quarter_after(statement.quarter) if "_next_q_" in key else statement.quarter
        figures.append(analyst_figure(key, value, statement.release_date, period, source, name, source_zh))
    return figures


def compute_hedging_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return 3-month hedge costs (rate differentials, %), hedged 10-year yields (%), JGB and Bund 10y (%).

    The foreign rate is the last one published by the as-of date, carried to the day: its own date
    (a month for the OECD rate) dates the figure.
    """
    figures = []
    for currency, foreign_rate in (("jpy", "jpy3m_interbank"), ("eur", "eur3m_aaa")):

        def foreign_input(when: pd.Timestamp, foreign_rate: str = foreign_rate) -> Observation:
            rate = view.series(foreign_rate)
            return view.observation(foreign_rate, rate.index[rate.index <= when][-1])

        def cost(currency: str = currency, foreign_rate: str = foreign_rate) -> Figure:
            values = {"jpy": measures.hedge_cost_jpy, "eur": measures.hedge_cost_eur}[currency](view)
            when, value = _last(values, foreign_rate)
            curve = measures.treasury_curve(view, ("ust3m",))
            used = [*_curve_inputs(view, curve, ("ust3m",), when), foreign_input(when)]
            return make_figure(f"hedge_cost.{currency}_3m", value, used, view, note=HEDGE_NOTE)

        def hedged(currency: str = currency) -> Figure:
            when, value = _last(measures.hedged_ust10y(view, currency), "ust10y")
            ten = measures.treasury_curve(view, ("ust10y",))
            short = measures.treasury_curve(view, ("ust3m",))
            used = (
                _curve_inputs(view, ten, ("ust10y",), when)
                + _curve_inputs(view, short, ("ust3m",), when)
                + [foreign_input(when)]
            )
            return make_figure(f"hedged10y.{currency}", value, used, view, note=HEDGE_NOTE)

        series = (*_curve_series("ust3m"), foreign_rate)
        figures.append(_attempt(f"hedge_cost.{currency}_3m", series, cost))
        figures.append(_attempt(f"hedged10y.{currency}", (*_curve_series("ust10y"), *series), hedged))
    for key, monthly in (("jgb10y", None), ("bund10y", "bund10y_monthly")):

        def last(key: str = key, monthly: str | None = monthly) -> Figure:
            # before the daily file starts (the Bundesbank's from 2024), the monthly average E07 plots,
            # dated by its month: the note says "(Jan 2023)" rather than that no Bund yield exists
            series = key if monthly is None or view.available(key) else monthly
            when, value = _last(view.series(series), series)
            return make_figure(f"{key}.last", value, [view.observation(series, when)], view)

        figures.append(_attempt(f"{key}.last", (key,) if monthly is None else (key, monthly), last))
    return figures


HEDGE_NOTE = "; hedge cost = 3-month rate differential (no FX forwards or cross-currency basis)"


def compute_foreign_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return foreign holdings of Treasuries and their record ($bn), and the 6-month mean TIC inflow ($bn)."""

    def total() -> Figure:
        when, value = _last(view.series("foreign_holdings"), "foreign_holdings")
        return make_figure(
            "foreign_holdings.total_bn", value, [view.observation("foreign_holdings", when)], view
        )

    def record() -> Figure:
        holdings = view.series("foreign_holdings")
        when = holdings.idxmax()
        observed = [view.observation("foreign_holdings", when)]
        return make_figure("foreign_holdings.record_bn", holdings.max(), observed, view)

    def flows() -> Figure:
        return monthly_average("tic.net_inflow_6ma_bn", view, "tic_net_lt_purchases", TIC_AVERAGE_MONTHS)

    return [
        _attempt("foreign_holdings.total_bn", ("foreign_holdings",), total),
        _attempt("foreign_holdings.record_bn", ("foreign_holdings",), record),
        _attempt("tic.net_inflow_6ma_bn", ("tic_net_lt_purchases",), flows),
    ]


CONTRIBUTIONS = (
    ("gdp.contrib_inventories_pp", "gdp_contrib_inventories", "inventories"),
    ("gdp.contrib_equipment_pp", "gdp_contrib_equipment", "equipment"),
)


def compute_macro_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return GDP growth (%, the estimate current at the as-of date) and contributions (pp) for the same
    quarter, their sum (same quarter only), y/y inflation (%) and the Fed's target range (%)."""

    def last(figure_key: str, key: str) -> Figure:
        when, value = view.last(key)
        return make_figure(figure_key, value, [view.observation(key, when)], view)

    gdp = _attempt("gdp.qoq_saar_last", ("gdp_growth",), lambda: last("gdp.qoq_saar_last", "gdp_growth"))
    figures = [gdp]

    def contribution(figure_key: str, key: str, name: str) -> Figure:
        quarter = gdp.period
        if quarter is not None and (
            not view.available(key) or period_of(view.last(key)[0], "quarterly") != quarter
        ):
            raise FigureUnavailableError(
                f"no {name} contribution in the data for {quarter}",
                f"数据中没有{format_quarter(quarter, 'zh')}的{series_spec(key).label_zh}",
            )
        return last(figure_key, key)

    for figure_key, key, name in CONTRIBUTIONS:
        figures.append(
            _attempt(figure_key, (key,), lambda f=figure_key, k=key, n=name: contribution(f, k, n))
        )
    figures.append(same_period_sum("gdp.contrib_inventories_equipment_pp", figures[1], figures[2], view))

    def year_on_year(figure_key: str, key: str) -> Figure:
        when, value = _last(measures.year_on_year_pct(view.series(key)), key)
        current = view.observation(key, when)
        base = view.observation(key, when - pd.DateOffset(months=12))
        return make_figure(figure_key, value, [current, base], view, current=[current])

    for figure_key, key in (("cpi.yoy", "cpi"), ("core_pce.yoy", "core_pce")):
        figures.append(_attempt(figure_key, (key,), lambda f=figure_key, k=key: year_on_year(f, k)))

    def decisions_covered(key: str) -> None:
        """Raise unless the target-range series ``key`` reaches past the latest FOMC decision: a decision
        the series does not cover may have moved the range (DFEDTARU steps the day after a decision)."""
        if not view.available("fomc_decisions") or not view.available(key):
            return
        decisions = view.series("fomc_decisions")
        if decisions.empty:
            return
        decided = decisions.index[-1]
        covered_until = view.series(key).index[-1]
        if covered_until <= decided:
            raise FigureUnavailableError(
                f"the target range on file ends {format_date(covered_until)}, before the FOMC decision of "
                f"{format_date(decided)} took effect",
                f"文件中的目标区间止于{format_date(covered_until, 'zh')}，"
                f"未包含{format_date(decided, 'zh')}FOMC议息决议的结果",
            )

    def target(figure_key: str, key: str) -> Figure:
        decisions_covered(key)
        return last(figure_key, key)

    for figure_key, key in (
        ("fed.target_lower", "fed_target_lower"),
        ("fed.target_upper", "fed_target_upper"),
    ):
        figures.append(_attempt(figure_key, (key,), lambda f=figure_key, k=key: target(f, k)))

    def target_moves() -> pd.Series:
        """Every change of the target range's upper limit (in %), by the day it took effect."""
        moves = view.series("fed_target_upper").diff().dropna()
        moves = moves[moves.abs() > 1e-9]
        if moves.empty:
            raise FigureUnavailableError(
                "no change of the target range in the data", "数据中没有目标区间的调整"
            )
        return moves

    def fed_move() -> Figure:
        decisions_covered("fed_target_upper")
        moves = target_moves()
        upper = view.series("fed_target_upper")
        when = moves.index[-1]
        before = upper.index[upper.index.get_loc(when) - 1]
        current = view.observation("fed_target_upper", when)
        used = [current, view.observation("fed_target_upper", before)]
        return make_figure("fed.target_last_change_bp", moves.iloc[-1] * 100, used, view, current=[current])

    figures.append(_attempt("fed.target_last_change_bp", ("fed_target_upper",), fed_move))

    def decisions_since_change() -> Figure:
        # the decisions after the last change took effect: each one left the range where it was
        decisions_covered("fed_target_upper")
        changed = target_moves().index[-1]
        decisions = view.series("fomc_decisions")
        held = decisions.index[decisions.index > changed]
        change = view.observation("fed_target_upper", changed)
        if held.empty:  # the calendar was read too: its latest decision is the one that changed the range
            consulted = [view.observation("fomc_decisions", decisions.index[-1])] if len(decisions) else []
            return make_figure(
                "fed.decisions_since_last_change", 0, [change, *consulted], view, current=[change]
            )
        latest = view.observation("fomc_decisions", held[-1])
        return make_figure(
            "fed.decisions_since_last_change", len(held), [change, latest], view, current=[latest]
        )

    figures.append(
        _attempt(
            "fed.decisions_since_last_change", ("fed_target_upper", "fomc_decisions"), decisions_since_change
        )
    )
    return figures


def same_period_sum(key: str, first: Figure, second: Figure, view: PointInTime) -> Figure:
    """Return ``first`` + ``second`` as figure ``key`` only when both exist for the same period."""
    series = tuple(dict.fromkeys(item["series"] for item in (*first.inputs, *second.inputs)))
    if not first.available or not second.available:
        missing = first if not first.available else second
        return unavailable(
            key,
            f"needs “{missing.label_en}”, which is unavailable ({missing.reason})",
            f"需要“{missing.label_zh}”，该项暂无（{missing.reason_zh}）",
            series,
        )
    if first.period != second.period:
        reason = f"different periods: {first.label_en} {first.period}, {second.label_en} {second.period}"
        reason_zh = (
            f"期间不同：{first.label_zh}为{format_period(first.period, 'zh')}，"
            f"{second.label_zh}为{format_period(second.period, 'zh')}"
        )
        return unavailable(key, reason, reason_zh, series)
    releases = [
        max((str(item.get("published") or "") for item in figure.inputs), default="")
        for figure in (first, second)
    ]
    if all(releases) and releases[0] != releases[1]:  # e.g. an advance estimate and a third estimate
        reason = (
            f"different releases of {first.period}: {first.label_en} published {releases[0]}, "
            f"{second.label_en} published {releases[1]}"
        )
        reason_zh = (
            f"{format_period(first.period, 'zh')}的发布版本不同：{first.label_zh}发布于"
            f"{format_date(releases[0], 'zh')}，{second.label_zh}发布于{format_date(releases[1], 'zh')}"
        )
        return unavailable(key, reason, reason_zh, series)
    observed = [
        view.observation(item["series"], pd.Timestamp(item["date"]))
        for item in (*first.inputs, *second.inputs)
    ]
    return make_figure(key, float(first.value) + float(second.value), observed, view)  # type: ignore[arg-type]


def compute_tariff_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the range (min, max) of GDP impacts (%) and inflation impacts (pp) over the tariff scenarios."""
    rows = inputs.tariff_scenarios_as_of(view.as_of.date())
    name = Path(inputs.tariff_file).name
    figures = []
    measures = (
        ("gdp_impact", "gdp_impact_pct", "a GDP impact", "GDP影响"),
        ("inflation_impact", "inflation_impact_pp", "an inflation impact", "通胀影响"),
    )
    for measure, field, what, what_zh in measures:
        valued = [row for row in rows if getattr(row, field) is not None]
        keys = (f"tariff.{measure}_min", f"tariff.{measure}_max")
        if not valued:  # said in the note's data notes: in words, not the file's column names
            if rows:
                reason = f"no tariff scenario with {what} on file as of {format_date(view.as_of, 'en')}"
                reason_zh = f"截至{format_date(view.as_of, 'zh')}，文件中没有给出{what_zh}的关税情景"
            else:
                reason = f"no tariff scenario on file as of {format_date(view.as_of, 'en')}"
                reason_zh = f"截至{format_date(view.as_of, 'zh')}，文件中没有关税情景"
            source, source_zh = f"Tariff scenarios; analyst input {name}", f"关税情景；分析师录入{name}"
            figures += [
                unavailable(key, reason, reason_zh, source=source, source_zh=source_zh) for key in keys
            ]
            continue
        citations = "; ".join(dict.fromkeys(row.citation for row in valued))
        demo = " (DEMO values)" if any(row.demo for row in valued) else ""
        source = f"Tariff scenarios{demo}: {citations}; analyst input {name}"
        source_zh = f"关税情景{'（演示数值）' if demo else ''}：{citations}；分析师录入{name}"
        published = max(row.published for row in valued)
        period = published.isoformat()
        for key, extreme in zip(keys, (min, max), strict=True):
            value = extreme(getattr(row, field) for row in valued)
            figure = analyst_figure(key, value, published, period, source, name, source_zh)
            # the countries whose scenario gives the value: the note names them ("-2% for Mexico")
            countries = dict.fromkeys(
                (row.country, row.country_chinese) for row in valued if getattr(row, field) == value
            )
            inputs = tuple({**figure.inputs[0], "country": en, "country_zh": zh} for en, zh in countries)
            figures.append(replace(figure, inputs=inputs))
    return figures


FigureGroup = Callable[[PointInTime, AnalystInputs], list[Figure]]

#: group name → (function, the catalogue series it reads)
FIGURE_GROUPS: dict[str, tuple[FigureGroup, tuple[str, ...]]] = {
    "curve": (compute_curve_figures, _curve_series("ust3m", "ust2y", "ust10y", "ust30y")),
    "term_premium": (compute_term_premium_figures, ("acm_tp10", *_curve_series("ust10y"))),
    "supply": (
        compute_supply_figures,
        (
            *measures.MARKETABLE_CLASSES,
            "mspd_marketable",
            "wam_months",
            "mmf_treasury",
            "mmf_total",
            "interest_expense",
        ),
    ),
    "refunding": (compute_refunding_figures, ("tga", "qra_financing_need_bn")),
    "hedging": (
        compute_hedging_figures,
        (
            *_curve_series("ust3m", "ust10y"),
            "jpy3m_interbank",
            "eur3m_aaa",
            "jgb10y",
            "bund10y",
            "bund10y_monthly",
        ),
    ),
    "foreign": (compute_foreign_figures, ("foreign_holdings", "tic_net_lt_purchases")),
    "macro": (
        compute_macro_figures,
        (
            "gdp_growth",
            "gdp_contrib_inventories",
            "gdp_contrib_equipment",
            "cpi",
            "core_pce",
            "fed_target_lower",
            "fed_target_upper",
            "fomc_decisions",
        ),
    ),
    "tariffs": (compute_tariff_figures, ()),
}


def compute_figures(view: PointInTime, inputs: AnalystInputs) -> dict[str, Figure]:
    """Return every figure by key, in :data:`FIGURE_LABELS` order; those that cannot be computed at the
    as-of date are present with value None and a reason. A figure dated after the as-of date is a bug."""
    found: dict[str, Figure] = {}
    for compute, _keys in FIGURE_GROUPS.values():
        for figure in compute(view, inputs):
            if figure.key in found:
                raise ValueError(f"figure {figure.key} computed twice")
            found[figure.key] = figure
    as_of = view.as_of.date().isoformat()
    late = [key for key, figure in found.items() if figure.date is not None and figure.date > as_of]
    if late:
        raise DataError(f"figures dated after the as-of date {as_of}: {', '.join(late)}")
    missing = [key for key in FIGURE_LABELS if key not in found]
    if missing:
        raise ValueError(f"figures not computed by any group: {', '.join(missing)}")
    count = sum(figure.available for figure in found.values())
    log.info("figures: %d of %d available as of %s", count, len(found), as_of)
    return {key: found[key] for key in FIGURE_LABELS}


def unavailable_figures(figures: dict[str, Figure]) -> list[dict[str, str]]:
    """Return ``[{"figure", "reason"}]`` for every figure without a value, in key order."""
    return [
        {"figure": key, "reason": str(figure.reason)}
        for key, figure in sorted(figures.items())
        if not figure.available
    ]


def revised_figures(document: dict[str, object]) -> list[str]:
    """Return the keys of the figures in a figures.json document that rest on a later, revised vintage."""
    entries = document["figures"]
    assert isinstance(entries, dict)
    return sorted(key for key, entry in entries.items() if revised_file_date(entry.get("vintage")))


def figures_document(as_of: date, figures: dict[str, Figure]) -> dict[str, object]:
    """Return the figures.json document (see the module docstring)."""
    return {
        "as_of": as_of.isoformat(),
        "data_as_of": data_as_of(as_of).isoformat(),
        "figures": {key: figures[key].as_dict() for key in sorted(figures)},
        "unavailable": unavailable_figures(figures),
    }


def figures_json(document: dict[str, object]) -> str:
    """Return the document as JSON text: sorted keys, full-precision floats, UTF-8, trailing newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_figures_json(path: Path, document: dict[str, object]) -> None:
    """Write ``document`` to ``path`` atomically and deterministically (same document, same bytes)."""
    write_text_atomic(path, figures_json(document))
