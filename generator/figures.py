"""Figures: every number the note quotes, computed from the as-of view and the analyst inputs.

view (:class:`~generator.store.PointInTime`) + :class:`~generator.inputs.AnalystInputs` →
``{key: Figure}`` → ``figures.json`` = ``{"as_of": "YYYY-MM-DD", "figures": {key: {value, unit, date,
source, label_zh, label_en}}}``.

Values keep full precision; rounding happens only in presentation (:mod:`generator.formatting`).
``date`` is the observation date the figure rests on: the last observation used, or for a high, low or
record the date it was reached, or for an analyst input the release date of its source. It is never after
the as-of date, because the view holds only what was published by then.

Definitions (see also :mod:`generator.measures`):
- Windows are in calendar days ending on the as-of date: ``*_3m`` the 91 days to the as-of date
  (observation dates after as-of − 91 days), ``tp10.avg_2y`` the 730 days, each a plain mean or
  extreme of the daily observations in it. ``tp10.avg_pre_gfc`` averages 1997-01-01..2006-12-31.
- ``ust10y.change_1w_bp`` / ``change_4w_bp``: the last 10-year yield minus the last one on or before
  7 / 28 days before the last observation, bp.
- Hedge costs are 3-month rate differentials (no FX forwards or basis in public data): US 3-month
  bill (H.15 DGS3MO) minus Japan's OECD 3-month interbank rate (monthly) or the ECB's euro-area AAA
  3-month spot rate (daily); the source line names both rates.
- ``tic.net_inflow_6ma_bn``: mean of the last six months of net foreign purchases of US long-term
  securities (TIC SLT table 4, grand total, foreigners' side), $bn. The monthly TIC press release's
  total net flow (with short-term and banking flows) is not in machine-readable TIC tables used here.
- Refunding figures come from the analyst's cited table of Treasury refunding statements (the latest
  released on or before the as-of date), never from the mixed-vintage file in ../shared/data/debt.
- Tariff ranges are the min / max over the analyst's tariff-scenario rows published by the as-of date.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from generator import measures
from generator.atomic import write_text_atomic
from generator.catalogue import PUBLISHER_NAMES, series_spec
from generator.errors import DataError
from generator.inputs import AnalystInputs
from generator.store import PointInTime

log = logging.getLogger(__name__)

HIGH_LOW_DAYS = 91
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
        "再融资声明：本季度净融资规模",
        "Refunding: net marketable borrowing, current quarter",
    ),
    "refunding.net_borrowing_next_q_bn": (
        "$bn",
        "再融资声明：下季度净融资规模",
        "Refunding: net marketable borrowing, next quarter",
    ),
    "refunding.tga_assumption_bn": (
        "$bn",
        "再融资声明：本季度末TGA余额假设",
        "Refunding: end-of-quarter cash balance assumed",
    ),
    "refunding.tga_assumption_next_q_bn": (
        "$bn",
        "再融资声明：下季度末TGA余额假设",
        "Refunding: end-of-next-quarter cash balance assumed",
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
    "cpi.yoy": ("%", "CPI同比", "CPI, y/y"),
    "core_pce.yoy": ("%", "核心PCE价格指数同比", "Core PCE prices, y/y"),
    "fed.target_lower": ("%", "联邦基金目标利率下限", "Fed funds target range, lower limit"),
    "fed.target_upper": ("%", "联邦基金目标利率上限", "Fed funds target range, upper limit"),
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


@dataclass(frozen=True)
class Figure:
    """One quoted number: full-precision value, unit, the observation date it rests on, source, labels."""

    key: str
    value: float
    unit: str
    date: str  #: ISO date of the observation the figure rests on
    source: str  #: publisher and series id(s)
    label_zh: str
    label_en: str

    def __post_init__(self) -> None:
        if self.value is None or isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise DataError(f"figure value is {self.value!r}, not a number", series=self.key)
        if not math.isfinite(self.value):
            raise DataError(f"figure value is {self.value}", series=self.key)
        object.__setattr__(self, "value", float(self.value))
        date.fromisoformat(self.date)

    def as_dict(self) -> dict[str, object]:
        """Return the figures.json entry (everything but the key)."""
        return {
            "value": self.value,
            "unit": self.unit,
            "date": self.date,
            "source": self.source,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
        }


def make_figure(key: str, value: float, when: pd.Timestamp | date, source: str) -> Figure:
    """Return the figure ``key`` with its unit and labels from :data:`FIGURE_LABELS`."""
    unit, label_zh, label_en = FIGURE_LABELS[key]
    day = when.date() if isinstance(when, pd.Timestamp) else when
    return Figure(key, float(value), unit, day.isoformat(), source, label_zh, label_en)


def series_source(*keys: str) -> str:
    """Return "publisher code, code; publisher code" for catalogue series, grouped by publisher."""
    codes: dict[str, list[str]] = {}
    for key in keys:
        spec = series_spec(key)
        codes.setdefault(PUBLISHER_NAMES[spec.publisher]["en"], []).append(spec.code)
    return "; ".join(f"{publisher} {', '.join(dict.fromkeys(found))}" for publisher, found in codes.items())


def _last(series: pd.Series, series_key: str) -> tuple[pd.Timestamp, float]:
    if series.empty:
        raise DataError("no value to compute from", series=series_key)
    return series.index[-1], float(series.iloc[-1])


def _window(values: pd.Series, as_of: pd.Timestamp, days: int, series_key: str) -> pd.Series:
    """Return the observations dated after ``as_of`` − ``days`` days (up to the as-of date)."""
    window = values[values.index > as_of - pd.Timedelta(days=days)]
    if window.empty:
        raise DataError(f"no observation in the {days} days to {as_of.date()}", series=series_key)
    return window


def _change_bp(values: pd.Series, days: int, series_key: str) -> tuple[pd.Timestamp, float]:
    """Return the last date and the change (bp) since the last observation ≥ ``days`` days earlier."""
    last_date, last_value = _last(values, series_key)
    earlier = values[values.index <= last_date - pd.Timedelta(days=days)]
    if earlier.empty:
        raise DataError(f"no observation {days} days before {last_date.date()}", series=series_key)
    return last_date, (last_value - float(earlier.iloc[-1])) * 100


def compute_curve_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return yield levels (%), the 10-year's 3-month high/low (%) and changes (bp), curve spreads (bp)."""
    figures = []
    for key in ("ust3m", "ust2y", "ust10y", "ust30y"):
        when, value = view.last(key)
        figures.append(make_figure(f"{key}.last", value, when, series_source(key)))
    ust10y = view.series("ust10y")
    window = _window(ust10y, view.as_of, HIGH_LOW_DAYS, "ust10y")
    source = series_source("ust10y")
    figures.append(make_figure("ust10y.high_3m", window.max(), window.idxmax(), source))
    figures.append(make_figure("ust10y.low_3m", window.min(), window.idxmin(), source))
    for weeks in (1, 4):
        when, change = _change_bp(ust10y, 7 * weeks, "ust10y")
        figures.append(make_figure(f"ust10y.change_{weeks}w_bp", change, when, source))
    for key in ("spread_10y2y", "spread_10y3m"):
        when, value = view.last(key)
        figures.append(make_figure(f"{key}.last_bp", value * 100, when, series_source(key)))
    return figures


def compute_term_premium_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the ACM 10-year term premium (last, 2-year and pre-GFC means, %) and realised vol (bp)."""
    tp10 = view.series("acm_tp10")
    source = series_source("acm_tp10")
    when, value = _last(tp10, "acm_tp10")
    recent = _window(tp10, view.as_of, TP_AVERAGE_DAYS, "acm_tp10")
    pre_gfc = tp10[(tp10.index >= PRE_GFC[0]) & (tp10.index <= PRE_GFC[1])]
    if pre_gfc.empty:
        raise DataError("no observation in 1997-2006", series="acm_tp10")
    vol_when, vol = _last(measures.realized_vol_bp(view.series("ust10y"), VOL_WINDOW_DAYS).dropna(), "ust10y")
    return [
        make_figure("tp10.last", value, when, source),
        make_figure("tp10.avg_2y", recent.mean(), recent.index[-1], source),
        make_figure("tp10.avg_pre_gfc", pre_gfc.mean(), pre_gfc.index[-1], source),
        make_figure("vol10y.realized_1m_bp", vol, vol_when, series_source("ust10y")),
    ]


def compute_supply_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return bills' shares (%), average maturity (months), MMF Treasury share (%), interest ($bn)."""
    mspd = series_source("mspd_bills", "mspd_marketable")
    when, share = _last(measures.bill_share_outstanding(view), "mspd_bills")
    issuance_when, issuance = _last(measures.bill_share_of_net_issuance(view, 12), "mspd_bills")
    wam_when, wam = view.last("wam_months")
    mmf_when, mmf = _last(measures.mmf_treasury_share(view), "mmf_treasury")
    interest = measures.last_consecutive_months(view.series("interest_expense"), INTEREST_AVERAGE_MONTHS)
    if interest is None:
        raise DataError(
            f"the last {INTEREST_AVERAGE_MONTHS} published months are not consecutive",
            series="interest_expense",
        )
    return [
        make_figure("bills.share_outstanding", share, when, mspd),
        make_figure("bills.share_net_issuance_12m", issuance, issuance_when, mspd),
        make_figure("wam.months", wam, wam_when, series_source("wam_months")),
        make_figure("mmf.treasury_share", mmf, mmf_when, series_source("mmf_treasury", "mmf_total")),
        make_figure(
            "interest.monthly_avg_bn", interest.mean(), interest.index[-1], series_source("interest_expense")
        ),
    ]


def compute_refunding_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the TGA balance and the latest refunding statement's borrowing and cash estimates ($bn)."""
    tga_when, tga = view.last("tga")
    statement = inputs.refunding_as_of(view.as_of.date())
    source = (
        f"US Treasury, refunding statement of {statement.release_date.isoformat()} ({statement.quarter}), "
        f"{statement.citation}; analyst input {Path(inputs.refunding_file).name}"
    )
    released = statement.release_date
    figures = [
        make_figure("tga.last_bn", tga, tga_when, series_source("tga")),
        make_figure(
            "refunding.net_borrowing_current_q_bn", statement.net_borrowing_current_q_bn, released, source
        ),
        make_figure("refunding.net_borrowing_next_q_bn", statement.net_borrowing_next_q_bn, released, source),
        make_figure("refunding.tga_assumption_bn", statement.tga_end_current_q_bn, released, source),
    ]
    if statement.tga_end_next_q_bn is not None:  # a refunding log may not record it
        figures.append(
            make_figure("refunding.tga_assumption_next_q_bn", statement.tga_end_next_q_bn, released, source)
        )
    return figures


def compute_hedging_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return 3-month hedge costs (rate differentials, %), hedged 10-year yields (%), JGB and Bund 10y (%)."""
    figures = []
    for currency, foreign_rate in (("jpy", "jpy3m_interbank"), ("eur", "eur3m_aaa")):
        cost = {"jpy": measures.hedge_cost_jpy, "eur": measures.hedge_cost_eur}[currency](view)
        when, value = _last(cost, foreign_rate)
        figures.append(
            make_figure(f"hedge_cost.{currency}_3m", value, when, series_source("ust3m", foreign_rate))
        )
        hedged_when, hedged = _last(measures.hedged_ust10y(view, currency), "ust10y")
        source = series_source("ust10y", "ust3m", foreign_rate)
        figures.append(make_figure(f"hedged10y.{currency}", hedged, hedged_when, source))
    for key in ("jgb10y", "bund10y"):
        when, value = view.last(key)
        figures.append(make_figure(f"{key}.last", value, when, series_source(key)))
    return figures


def compute_foreign_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return foreign holdings of Treasuries and their record ($bn), and the 6-month mean TIC inflow ($bn)."""
    holdings = view.series("foreign_holdings")
    when, total = _last(holdings, "foreign_holdings")
    flows = measures.last_consecutive_months(view.series("tic_net_lt_purchases"), TIC_AVERAGE_MONTHS)
    if flows is None:
        raise DataError(
            f"the last {TIC_AVERAGE_MONTHS} published months are not consecutive",
            series="tic_net_lt_purchases",
        )
    source = series_source("foreign_holdings")
    return [
        make_figure("foreign_holdings.total_bn", total, when, source),
        make_figure("foreign_holdings.record_bn", holdings.max(), holdings.idxmax(), source),
        make_figure(
            "tic.net_inflow_6ma_bn", flows.mean(), flows.index[-1], series_source("tic_net_lt_purchases")
        ),
    ]


def compute_macro_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return GDP growth (%, the estimate current at the as-of date) and contributions (pp), y/y
    inflation (%) and the Fed's target range (%)."""
    figures = []
    for figure_key, key in (
        ("gdp.qoq_saar_last", "gdp_growth"),
        ("gdp.contrib_inventories_pp", "gdp_contrib_inventories"),
        ("gdp.contrib_equipment_pp", "gdp_contrib_equipment"),
    ):
        when, value = view.last(key)
        figures.append(make_figure(figure_key, value, when, series_source(key)))
    for figure_key, key in (("cpi.yoy", "cpi"), ("core_pce.yoy", "core_pce")):
        when, value = _last(measures.year_on_year_pct(view.series(key)), key)
        figures.append(make_figure(figure_key, value, when, series_source(key)))
    for figure_key, key in (
        ("fed.target_lower", "fed_target_lower"),
        ("fed.target_upper", "fed_target_upper"),
    ):
        when, value = view.last(key)
        figures.append(make_figure(figure_key, value, when, series_source(key)))
    return figures


def compute_tariff_figures(view: PointInTime, inputs: AnalystInputs) -> list[Figure]:
    """Return the range (min, max) of GDP impacts (%) and inflation impacts (pp) over the tariff scenarios."""
    rows = inputs.tariff_scenarios_as_of(view.as_of.date())
    figures = []
    for name, field in (("gdp_impact", "gdp_impact_pct"), ("inflation_impact", "inflation_impact_pp")):
        valued = [row for row in rows if getattr(row, field) is not None]
        if not valued:
            raise DataError(
                f"no tariff scenario with {field} published on or before {view.as_of.date()}",
                file=inputs.tariff_file,
                series=f"tariff.{name}",
            )
        citations = "; ".join(dict.fromkeys(row.citation for row in valued))
        demo = " (DEMO values)" if any(row.demo for row in valued) else ""
        source = f"Tariff scenarios{demo}: {citations}; analyst input {Path(inputs.tariff_file).name}"
        published = max(row.published for row in valued)
        values = [getattr(row, field) for row in valued]
        figures.append(make_figure(f"tariff.{name}_min", min(values), published, source))
        figures.append(make_figure(f"tariff.{name}_max", max(values), published, source))
    return figures


FigureGroup = Callable[[PointInTime, AnalystInputs], list[Figure]]

#: group name → (function, the catalogue series it reads)
FIGURE_GROUPS: dict[str, tuple[FigureGroup, tuple[str, ...]]] = {
    "curve": (compute_curve_figures, ("ust3m", "ust2y", "ust10y", "ust30y", "spread_10y2y", "spread_10y3m")),
    "term_premium": (compute_term_premium_figures, ("acm_tp10", "ust10y")),
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
    "refunding": (compute_refunding_figures, ("tga",)),
    "hedging": (
        compute_hedging_figures,
        ("ust3m", "ust10y", "jpy3m_interbank", "eur3m_aaa", "jgb10y", "bund10y"),
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
        ),
    ),
    "tariffs": (compute_tariff_figures, ()),
}


def compute_figures(view: PointInTime, inputs: AnalystInputs) -> dict[str, Figure]:
    """Return every figure by key, in :data:`FIGURE_LABELS` order; DataError if one cannot be computed."""
    found: dict[str, Figure] = {}
    for compute, _keys in FIGURE_GROUPS.values():
        for figure in compute(view, inputs):
            if figure.key in found:
                raise ValueError(f"figure {figure.key} computed twice")
            found[figure.key] = figure
    as_of = view.as_of.date().isoformat()
    late = [key for key, figure in found.items() if figure.date > as_of]
    if late:
        raise DataError(f"figures dated after the as-of date {as_of}: {', '.join(late)}")
    log.info("figures: %d computed as of %s", len(found), as_of)
    return {key: found[key] for key in FIGURE_LABELS if key in found}


def figures_document(as_of: date, figures: dict[str, Figure]) -> dict[str, object]:
    """Return the figures.json document: ``{"as_of": ISO date, "figures": {key: entry}}``."""
    return {"as_of": as_of.isoformat(), "figures": {key: figures[key].as_dict() for key in sorted(figures)}}


def figures_json(document: dict[str, object]) -> str:
    """Return the document as JSON text: sorted keys, full-precision floats, UTF-8, trailing newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_figures_json(path: Path, document: dict[str, object]) -> None:
    """Write ``document`` to ``path`` atomically and deterministically (same document, same bytes)."""
    write_text_atomic(path, figures_json(document))
