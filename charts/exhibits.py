"""The twelve exhibits: for each, a data function (as-of view → tidy frame) and a draw function.

``EXHIBITS["E07"]`` holds everything the note, the renderer and the Excel appendix need about exhibit
E07: titles, unit and source line in both languages, the series it reads, its default date window,
``data`` (the frame exactly as plotted, one column per line or bar, units in the column names) and
``draw`` (puts that frame on a matplotlib Axes; looks come from house.mplstyle and charts/palette.py).

Time-series frames have a ``date`` column and one column per series (``ust10y_pct``,
``realized_vol_10y_bp``, ``net_lt_purchases_bn``); rolling measures are computed on the full history
before the window is cut, so the first point shown is complete. Tariff frames are long:
``country, scenario, gdp_impact_pct`` (E11) and ``country, scenario, inflation_impact_pp`` (E12), with
``country_zh`` / ``scenario_zh`` when the analyst's input table gives them.

Legends are language-neutral or bilingual ("10Y", "Bills 短期国库券"); exhibit titles and source lines are
not drawn here: the note prints them as the caption ("图表 7：…（%）") and the "资料来源：…" line.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from charts import palette
from generator import measures
from generator.catalogue import series_spec
from generator.errors import ConfigError, DataError
from generator.formatting import format_number, stated_decimals
from generator.inputs import country_in_chinese
from generator.store import PointInTime

if TYPE_CHECKING:  # matplotlib is imported where exhibits are drawn: a build with cached charts needs none
    from matplotlib.axes import Axes

#: how far back an exhibit reaches: an offset back from the as-of date, or a fixed first date
Window = pd.DateOffset | pd.Timestamp
DataFunction = Callable[[PointInTime | None, pd.DataFrame | None, pd.Timestamp | None], pd.DataFrame]
DrawFunction = Callable[["Axes", pd.DataFrame], None]

TARIFF_COLUMNS = ("country", "scenario")
_WINDOW = re.compile(r"^(\d+)([ym])$")


def parse_window(text: str) -> Window:
    """Return a window written as 3y or 18m (back from the as-of date) or 2010-01-01 (a fixed start)."""
    found = _WINDOW.match(text.strip())
    if found:
        count, unit = int(found.group(1)), found.group(2)
        return pd.DateOffset(years=count) if unit == "y" else pd.DateOffset(months=count)
    try:
        return pd.Timestamp(date.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"{text!r}: write a window as 3y, 18m or a first date such as 2010-01-01") from None


SCENARIO_LABEL_CHARS = 66  #: columns of a scenario's legend line across an exhibit (a Chinese character: two)


@dataclass(frozen=True)
class Exhibit:
    """One exhibit of the note: captions, source line, series read, default window, data and draw."""

    id: str  #: E01 … E12; also the file name (e01.svg), appendix sheet and <figure id>
    title_zh: str
    title_en: str
    unit_zh: str
    unit_en: str
    source_zh: str
    source_en: str
    series: tuple[str, ...]  #: store keys the data function reads (empty for analyst inputs)
    data: DataFunction
    draw: DrawFunction
    window: Window | None = None  #: None: everything (tariff tables)
    uses_tariffs: bool = False
    #: (series, first date of the source the lines above name last, zh, en): the source lines to print
    #: while the series has no value at the as-of date or its newest is older than that date (E10 before
    #: TIC's SLT table 4; E07 before the Bundesbank's daily Bund, when only the OECD's monthly is drawn)
    earlier_source: tuple[str, str, str, str] | None = None
    #: (series, zh, en): the title to print while that series has no value at the as-of date, because
    #: the line the title names cannot be drawn without it (E07's hedged yield before the ECB rate)
    title_without: tuple[str, str, str] | None = None

    def titles(self, view: PointInTime | None) -> tuple[str, str]:
        """Return the titles (zh, en) at the view's date: the plain ones unless a line named is missing."""
        if self.title_without is not None and view is not None:
            key, title_zh, title_en = self.title_without
            if key in self.missing(view):
                return title_zh, title_en
        return self.title_zh, self.title_en

    def start(self, as_of: pd.Timestamp, window: Window | None = None) -> pd.Timestamp | None:
        """Return the first date shown for ``as_of`` (``window`` overrides the default)."""
        chosen = self.window if window is None else window
        if chosen is None:
            return None
        if isinstance(chosen, pd.Timestamp):
            return chosen
        return pd.Timestamp(as_of) - chosen

    def frame(
        self, view: PointInTime | None, tariffs: pd.DataFrame | None = None, window: Window | None = None
    ) -> pd.DataFrame:
        """Return the tidy frame this exhibit plots for the view's as-of date (what exists of it)."""
        start = None if view is None else self.start(view.as_of, window)
        return self.data(view, tariffs, start)

    def missing(self, view: PointInTime | None) -> list[str]:
        """Return the series this exhibit reads that have no value at the view's as-of date.

        A Treasury tenor counts as present when either the par curve or H.15 has it.
        """
        if view is None:
            return []
        absent = []
        for key in self.series:
            par = series_spec(key).par
            if not view.available(key) and not (par is not None and view.available(par)):
                absent.append(key)
        return absent

    def sources(self, view: PointInTime | None, tariffs: pd.DataFrame | None = None) -> tuple[str, str]:
        """Return the source lines (zh, en), saying what is missing at the view's as-of date."""
        missing = self.missing(view)
        zh, en = self.source_zh, self.source_en
        if self.earlier_source is not None and view is not None:
            key, first, earlier_zh, earlier_en = self.earlier_source
            if not view.available(key) or view.last(key)[0] < pd.Timestamp(first):
                zh, en = earlier_zh, earlier_en
        if missing and view is not None:
            day = view.as_of.date().isoformat()
            zh += f"；截至{day}暂无：" + "、".join(series_spec(key).label_zh for key in missing)
            en += f"; not available as of {day}: " + ", ".join(series_spec(key).label_en for key in missing)
        if self.uses_tariffs and (tariffs is None or tariffs.empty):
            zh += "；暂无情景数据"
            en += "; no scenario on file as of this date"
        return zh, en

    def plot(self, ax: Axes, data: pd.DataFrame) -> None:
        """Draw ``data``, or say on the plot area that nothing is available at this date."""
        if data.empty:
            draw_nothing(ax)
            return
        self.draw(ax, data)


# --- building frames ------------------------------------------------------------------------------


def _series_frame(columns: dict[str, pd.Series], start: pd.Timestamp | None) -> pd.DataFrame:
    """Return a ``date`` + one-column-per-series frame on the union of dates, from ``start`` on."""
    frame = pd.DataFrame(columns).sort_index()
    if start is not None:
        frame = frame[frame.index >= start]
    frame = frame.dropna(how="all")
    frame.index.name = "date"
    return frame.reset_index()


def _maybe(compute: Callable[[], pd.Series]) -> pd.Series:
    """Return ``compute()``, or an empty series when its inputs have no value at the as-of date."""
    try:
        return compute()
    except DataError:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))


def _visible(view: PointInTime, key: str) -> pd.Series:
    return _maybe(lambda: view.series(key))


def _require_view(view: PointInTime | None, exhibit_id: str) -> PointInTime:
    if view is None:
        raise ValueError(f"{exhibit_id} needs an as-of view of the store")
    return view


def data_e01_yields_by_tenor(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return daily 3M, 2Y, 10Y and 30Y Treasury yields (%): the par curve, H.15 where it has no value."""
    view = _require_view(view, "E01")
    columns = {
        f"{key}_pct": _maybe(lambda key=key: measures.treasury_yield(view, key))
        for key in ("ust3m", "ust2y", "ust10y", "ust30y")
    }
    return _series_frame(columns, start)


def data_e02_term_premium_vol(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return the ACM 10y term premium (%) and the 21-day realised vol of the 10y yield (bp, annualised)."""
    view = _require_view(view, "E02")
    columns = {
        "acm_tp10_pct": _visible(view, "acm_tp10"),
        "realized_vol_10y_bp": _maybe(
            lambda: measures.realized_vol_bp(measures.treasury_yield(view, "ust10y"))
        ),
    }
    return _series_frame(columns, start)


def data_e03_debt_by_type(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return each security type's share of marketable debt outstanding (%, month-ends)."""
    view = _require_view(view, "E03")
    try:
        shares = measures.marketable_shares(view)
    except DataError:
        return _series_frame(
            {
                f"{key.removeprefix('mspd_')}_pct": pd.Series(dtype="float64")
                for key in measures.MARKETABLE_CLASSES
            },
            start,
        )
    return _series_frame({f"{name}_pct": shares[name] for name in shares.columns}, start)


def data_e04_bill_share_net_issuance(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return bills' share of the 12-month net issuance of marketable debt (%, month-ends)."""
    view = _require_view(view, "E04")
    share = _maybe(lambda: measures.bill_share_of_net_issuance(view, months=12))
    return _series_frame({"bills_share_net_issuance_12m_pct": share}, start)


def data_e05_mmf_treasury_share(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return Treasuries' share of money-market fund investments (%, month-ends)."""
    view = _require_view(view, "E05")
    share = _maybe(lambda: measures.mmf_treasury_share(view))
    return _series_frame({"mmf_treasury_share_pct": share}, start)


def data_e06_average_maturity(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return the average maturity of marketable debt as Treasury publishes it (months, monthly)."""
    view = _require_view(view, "E06")
    return _series_frame({"wam_months": _visible(view, "wam_months")}, start)


def _hedged_frame(
    view: PointInTime,
    currency: str,
    foreign_key: str,
    start: pd.Timestamp | None,
    foreign_monthly_key: str | None = None,
) -> pd.DataFrame:
    """Return the hedged-yield frame; ``foreign_monthly_key`` fills the foreign yield's history, as
    a separate column, before the first observation of the daily series."""
    ust10y = _maybe(lambda: measures.treasury_yield(view, "ust10y"))
    hedged = _maybe(lambda: measures.hedged_ust10y(view, currency))
    foreign = _visible(view, foreign_key)
    columns = {
        "ust10y_pct": ust10y,
        f"hedge_cost_{currency}_pct": (ust10y - hedged).dropna(),
        f"hedged_ust10y_{currency}_pct": hedged,
        f"{foreign_key}_pct": foreign,
    }
    if foreign_monthly_key is not None and foreign_monthly_key in view.store.series:
        monthly = _visible(view, foreign_monthly_key)
        if not foreign.empty:
            monthly = monthly[monthly.index < foreign.index.min()]
        if not monthly.empty:
            columns[f"{foreign_key}_monthly_pct"] = monthly
    return _series_frame(columns, start)


def data_e07_hedged_ust_vs_bund(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return UST 10y, the EUR hedge cost, UST 10y hedged into euros and the 10y Bund (%, daily).

    The daily Bundesbank series is short (the shared file starts in 2024); before its first day the
    Bund line is the OECD monthly average (``bund10y_monthly_pct``), so the line spans the window.
    """
    return _hedged_frame(_require_view(view, "E07"), "eur", "bund10y", start, "bund10y_monthly")


def data_e08_hedged_ust_vs_jgb(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return UST 10y, the JPY hedge cost, UST 10y hedged into yen and the 10y JGB (%, daily)."""
    return _hedged_frame(_require_view(view, "E08"), "jpy", "jgb10y", start)


def data_e09_foreign_holdings(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return foreign holdings of Treasuries: all countries, Japan, mainland China ($bn, month-ends)."""
    view = _require_view(view, "E09")
    columns = {
        "foreign_total_bn": _visible(view, "foreign_holdings"),
        "japan_bn": _visible(view, "foreign_holdings_japan"),
        "china_bn": _visible(view, "foreign_holdings_china"),
    }
    return _series_frame(columns, start)


def data_e10_net_foreign_purchases(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return net foreign purchases of US long-term securities and their 6-month average ($bn, monthly)."""
    net = _visible(_require_view(view, "E10"), "tic_net_lt_purchases")
    columns = {"net_lt_purchases_bn": net, "net_lt_purchases_6ma_bn": measures.moving_average(net, 6)}
    return _series_frame(columns, start)


def _tariff_frame(tariffs: pd.DataFrame | None, value: str, exhibit_id: str) -> pd.DataFrame:
    """Return the analyst's tariff rows that have ``value``: country, scenario, [zh labels], value."""
    labels = [column for column in ("country_zh", "scenario_zh") if tariffs is not None and column in tariffs]
    if tariffs is None or tariffs.empty:  # no scenario published by the as-of date: nothing to draw
        return pd.DataFrame(
            {column: pd.Series(dtype="object") for column in (*TARIFF_COLUMNS, *labels, value)}
        )
    missing = [column for column in (*TARIFF_COLUMNS, value) if column not in tariffs.columns]
    if missing:
        raise ConfigError(
            f"tariff-scenario table lacks column(s) {', '.join(missing)} for {exhibit_id}",
            hint=f"expected {', '.join((*TARIFF_COLUMNS, value))}",
        )
    labels = [column for column in ("country_zh", "scenario_zh") if column in tariffs.columns]
    frame = tariffs[[*TARIFF_COLUMNS, *labels, value]].dropna(subset=[value]).reset_index(drop=True)
    duplicated = frame.duplicated(list(TARIFF_COLUMNS))
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ConfigError(
            f"tariff-scenario table has two rows for {first['country']} / {first['scenario']}",
            hint="keep one value per country and scenario",
        )
    frame[value] = frame[value].astype(float)
    return frame


def data_e11_tariff_gdp(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return the tariff scenarios' impact on GDP by country and scenario (%, from the analyst inputs)."""
    return _tariff_frame(tariffs, "gdp_impact_pct", "E11")


def data_e12_tariff_inflation(
    view: PointInTime | None, tariffs: pd.DataFrame | None, start: pd.Timestamp | None
) -> pd.DataFrame:
    """Return the tariff scenarios' impact on inflation by country and scenario (pp, analyst inputs)."""
    return _tariff_frame(tariffs, "inflation_impact_pp", "E12")


# --- drawing helpers ------------------------------------------------------------------------------


def _dates(data: pd.DataFrame) -> pd.Series:
    return _as_dates(data["date"])


def _as_dates(column: pd.Series) -> pd.Series:
    """Return ``column`` as datetimes; most frames already hold them, and converting again is not free
    (to_datetime samples every column it is given to decide whether to cache)."""
    return column if pd.api.types.is_datetime64_dtype(column) else pd.to_datetime(column)


def _plot(ax: Axes, data: pd.DataFrame, column: str, label: str, **style: object) -> None:
    """Plot one column against ``date``, skipping its gaps (series have different holiday calendars); a
    column with nothing to draw gets no legend entry (the source line says what is not yet published)."""
    present = data[["date", column]].dropna()
    shown = label if len(present) else "_nolegend_"
    ax.plot(_as_dates(present["date"]), present[column], label=shown, **style)


def _date_axis(ax: Axes, data: pd.DataFrame) -> None:
    """Set date ticks a reader can take in at 8.5 cm wide: years for long spans, year-month for short."""
    import matplotlib.dates as mdates

    dates = _dates(data)
    if dates.empty:
        return
    span_days = (dates.max() - dates.min()).days
    if span_days <= 550:
        locator: mdates.DateLocator = _ticks_once(mdates.MonthLocator)(bymonth=(1, 4, 7, 10))
        formatter = "%Y-%m"
    elif span_days <= 1300:
        locator, formatter = _ticks_once(mdates.MonthLocator)(bymonth=(1, 7)), "%Y-%m"
    else:
        years = span_days / 365.25
        base = next(step for step in (1, 2, 3, 4, 5, 10) if years / step <= 8)
        locator, formatter = _ticks_once(mdates.YearLocator)(base), "%Y"
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter(formatter))
    ax.set_xlim(dates.min(), dates.max())


_TICKS_ONCE: dict[type, type] = {}


def _ticks_once(locator_class: type) -> type:
    """Return ``locator_class`` computing its ticks once per view interval.

    matplotlib asks a locator for its ticks at each constrained-layout pass and again when drawing;
    a date locator runs dateutil's rrule every time (about a sixth of the charts' drawing time). The ticks
    depend only on the view interval, so they are kept for as long as it stays the same: the same
    ticks, once.
    """
    if locator_class not in _TICKS_ONCE:

        def ticks(self):  # type: ignore[no-untyped-def]
            interval = tuple(self.axis.get_view_interval())
            if getattr(self, "_interval", None) != interval:
                self._interval, self._ticks = interval, locator_class.__call__(self)
            return list(self._ticks)

        _TICKS_ONCE[locator_class] = type(locator_class.__name__, (locator_class,), {"__call__": ticks})
    return _TICKS_ONCE[locator_class]


def _legend_above(ax: Axes, ncol: int, handles: list | None = None) -> None:
    """Put the legend in a row above the plot area, where it cannot cover data."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=ncol,
        borderaxespad=0.2,
    )


def _thousands(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))


def _clip_spikes(ax: Axes, dates: pd.Series, values: pd.Series, low: float, high: float) -> None:
    """Limit the y axis to ``low``..``high`` where the data go beyond, and label the most extreme value.

    A share of net issuance explodes when total issuance over the window is close to zero; without a
    limit one month would flatten the rest of the chart.
    """
    if values.empty or (values.min() >= low and values.max() <= high):
        return
    bottom, top = max(float(values.min()), low), min(float(values.max()), high)
    margin = (top - bottom) * 0.04
    ax.set_ylim(bottom - margin, top + margin)
    extreme = (values - values.clip(low, high)).abs().idxmax()
    when, amount = pd.Timestamp(dates.loc[extreme]), float(values.loc[extreme])
    arrow = "↑" if amount > high else "↓"
    ax.annotate(
        f"{arrow} {amount:,.0f}% ({when:%Y-%m})",
        xy=(0.02, 0.97 if amount > high else 0.03),
        xycoords="axes fraction",
        va="top" if amount > high else "bottom",
        fontsize=6,
        color=palette.INK,
    )


def _zero_line(ax: Axes) -> None:
    ax.axhline(0, color=palette.INK, linewidth=0.6, zorder=1)


def draw_nothing(ax: Axes) -> None:
    """Draw an empty plot area that says no data were available at the as-of date."""
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        "No data as of this date · 本期暂无数据",
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=palette.INK,
        fontsize=7,
    )


# --- the twelve draw functions --------------------------------------------------------------------


def draw_e01_yields_by_tenor(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E01: 3M, 2Y, 10Y and 30Y Treasury yields (%)."""
    tenors = (
        ("ust3m_pct", "3M", palette.GOLD),
        ("ust2y_pct", "2Y", palette.SKY),
        ("ust10y_pct", "10Y", palette.NAVY),
        ("ust30y_pct", "30Y", palette.RED),
    )
    for column, label, colour in tenors:
        _plot(ax, data, column, label, color=colour)
    _date_axis(ax, data)
    _legend_above(ax, ncol=4)


def draw_e02_term_premium_vol(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E02: ACM 10y term premium (%, left) and realised 10y volatility (bp, right)."""
    _plot(ax, data, "acm_tp10_pct", "ACM TP 10Y 期限溢价 (%, lhs)", color=palette.NAVY)
    _zero_line(ax)
    ax.set_ylabel("%")
    right = ax.twinx()
    right.grid(False)
    right.spines["right"].set_visible(True)
    _plot(
        right, data, "realized_vol_10y_bp", "Realised vol 波动率 (bp, rhs)", color=palette.GOLD, linewidth=0.8
    )
    right.set_ylabel("bp")
    right.set_ylim(bottom=0)
    right.tick_params(axis="y", length=0)
    _date_axis(ax, data)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    _legend_above(ax, ncol=2, handles=handles)


SECURITY_TYPES = (
    ("bills_pct", "Bills 短期国库券", palette.HIGHLIGHT, 1.6),
    ("notes_pct", "Notes 中期", palette.NAVY, 0.9),
    ("bonds_pct", "Bonds 长期", palette.SKY, 0.9),
    ("tips_pct", "TIPS", palette.GOLD, 0.9),
    ("frn_pct", "FRN 浮息", palette.GREY, 0.9),
)


def draw_e03_debt_by_type(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E03: each security type's share of marketable debt (%), bills highlighted."""
    for column, label, colour, width in SECURITY_TYPES:
        _plot(
            ax, data, column, label, color=colour, linewidth=width, zorder=3 if column == "bills_pct" else 2
        )
    ax.set_ylim(bottom=0)
    _date_axis(ax, data)
    _legend_above(ax, ncol=3)


def draw_e04_bill_share_net_issuance(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E04: bills' share of 12-month net issuance (%), with an 80% reference line."""
    column = "bills_share_net_issuance_12m_pct"
    present = data[["date", column]].dropna()
    dates = _as_dates(present["date"])
    ax.fill_between(dates, 0, present[column], color=palette.HIGHLIGHT, alpha=0.15, linewidth=0)
    ax.plot(dates, present[column], color=palette.HIGHLIGHT, label="Bills / net issuance 短债占净发行")
    ax.axhline(80, color=palette.CONTEXT, linewidth=0.8, linestyle=(0, (4, 2)), label="80%")
    _zero_line(ax)
    _clip_spikes(ax, dates, present[column], low=-100.0, high=200.0)
    _date_axis(ax, data)
    _legend_above(ax, ncol=2)


def draw_e05_mmf_treasury_share(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E05: Treasuries' share of money-market fund investments (%)."""
    column = "mmf_treasury_share_pct"
    present = data[["date", column]].dropna()
    dates = _as_dates(present["date"])
    ax.fill_between(dates, 0, present[column], color=palette.NAVY, alpha=0.12, linewidth=0)
    ax.plot(dates, present[column], color=palette.NAVY, label="Treasuries / MMF 美债占货基投资")
    ax.set_ylim(bottom=0)
    _date_axis(ax, data)
    _legend_above(ax, ncol=1)


def draw_e06_average_maturity(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E06: average maturity of marketable debt (months)."""
    from matplotlib.ticker import MaxNLocator

    _plot(ax, data, "wam_months", "WAM 平均剩余期限 (months 月)", color=palette.NAVY)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    _date_axis(ax, data)
    _legend_above(ax, ncol=1)


def _draw_hedged(ax: Axes, data: pd.DataFrame, currency: str, foreign: str, foreign_label: str) -> None:
    _plot(ax, data, "ust10y_pct", "UST 10Y 美债", color=palette.CONTEXT, linewidth=0.8)
    _plot(
        ax,
        data,
        f"hedged_ust10y_{currency}_pct",
        f"UST 10Y {currency.upper()}-hedged 对冲后",
        color=palette.HIGHLIGHT,
    )
    _plot(ax, data, f"{foreign}_pct", foreign_label, color=palette.NAVY)
    if f"{foreign}_monthly_pct" in data.columns:  # monthly history before the daily series, dotted
        # in the legend only when no daily value falls in the window (the dotted line is then the series,
        # and its dotted handle says so; the source line says the dots are monthly averages)
        daily_shown = data[f"{foreign}_pct"].notna().any()
        monthly_label = "_nolegend_" if daily_shown else foreign_label
        _plot(ax, data, f"{foreign}_monthly_pct", monthly_label, color=palette.NAVY, linestyle=(0, (1, 1)))
    _date_axis(ax, data)
    _legend_above(ax, ncol=3)


def draw_e07_hedged_ust_vs_bund(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E07: UST 10y hedged into euros vs the 10y Bund, with the unhedged UST 10y (%)."""
    _draw_hedged(ax, data, "eur", "bund10y", "Bund 10Y 德债")


def draw_e08_hedged_ust_vs_jgb(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E08: UST 10y hedged into yen vs the 10y JGB, with the unhedged UST 10y (%)."""
    _draw_hedged(ax, data, "jpy", "jgb10y", "JGB 10Y 日债")


def draw_e09_foreign_holdings(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E09: foreign holdings of Treasuries, total, Japan and China ($bn)."""
    _plot(ax, data, "foreign_total_bn", "Total 合计", color=palette.NAVY)
    _plot(ax, data, "japan_bn", "Japan 日本", color=palette.RED)
    _plot(ax, data, "china_bn", "China 中国", color=palette.GOLD)
    ax.set_ylim(bottom=0)
    _thousands(ax)
    _date_axis(ax, data)
    _legend_above(ax, ncol=3)


def draw_e10_net_foreign_purchases(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E10: monthly net foreign purchases of US long-term securities (bars) and 6-month average ($bn)."""
    bars = data[["date", "net_lt_purchases_bn"]].dropna()
    dates = _as_dates(bars["date"])
    ax.bar(dates, bars["net_lt_purchases_bn"], width=22, color=palette.NAVY, label="Monthly 月度")
    _plot(ax, data, "net_lt_purchases_6ma_bn", "6M avg 6个月均值", color=palette.RED)
    _zero_line(ax)
    _thousands(ax)
    _date_axis(ax, data)
    # bars sit on month-ends: leave half a bar of room at both ends
    if not dates.empty:
        ax.set_xlim(dates.min() - pd.Timedelta(days=16), dates.max() + pd.Timedelta(days=16))
    handles = ax.get_legend_handles_labels()[0]
    _legend_above(ax, ncol=2, handles=handles[::-1])  # bars first, as drawn


def _label(row: pd.Series, column: str) -> str:
    """Return 'English 中文' where a Chinese label is known, else the label as given."""
    zh = row.get(f"{column}_zh")
    if column == "country":
        zh = country_in_chinese(str(row[column]), zh)
    return f"{row[column]} {zh}" if isinstance(zh, str) and zh else str(row[column])


def _columns(character: str) -> int:
    """Return the columns a character takes: two for a Chinese (wide) one, one otherwise."""
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def wrap_cjk(text: str, width: int) -> str:
    """Wrap ``text`` to lines of at most ``width`` columns, a Chinese character counting two (textwrap
    breaks only at spaces, and a Chinese label has none); a line ends after punctuation where one falls
    in its last quarter."""
    lines, line = [], ""
    for character in text:
        if line and sum(map(_columns, line)) + _columns(character) > width:
            cut = max(line.rfind(mark) for mark in "，、：；）")
            keep = cut + 1 if cut >= len(line) * 3 // 4 else len(line)
            lines.append(line[:keep])
            line = line[keep:]
        line += character
    return "\n".join([*lines, line] if line else lines)


def _scenario_label(row: pd.Series) -> str:
    """Return a scenario's legend entry: the English name, the Chinese below it, both wrapped to the
    figure's width."""
    english = textwrap.fill(str(row["scenario"]), SCENARIO_LABEL_CHARS)
    chinese = row.get("scenario_zh")
    if not (isinstance(chinese, str) and chinese):
        return english
    return f"{english}\n{wrap_cjk(chinese, SCENARIO_LABEL_CHARS)}"


def _draw_tariffs(ax: Axes, data: pd.DataFrame, value: str, unit: str) -> None:
    """Draw grouped horizontal bars: one group per country, one colour per scenario, each value labelled
    with the decimals its source states."""
    from matplotlib.ticker import MaxNLocator

    countries = list(dict.fromkeys(data["country"]))
    scenarios = list(dict.fromkeys(data["scenario"]))
    country_labels = {row["country"]: _label(row, "country") for _, row in data.iterrows()}
    scenario_labels = {row["scenario"]: _scenario_label(row) for _, row in data.iterrows()}
    height = 0.8 / len(scenarios)
    span = float(data[value].abs().max()) or 1.0
    for number, scenario in enumerate(scenarios):
        rows = data[data["scenario"] == scenario]
        positions = [countries.index(country) - 0.4 + height * (number + 0.5) for country in rows["country"]]
        colour = palette.CYCLE[number % len(palette.CYCLE)]
        ax.barh(positions, rows[value], height=height * 0.9, color=colour, label=scenario_labels[scenario])
        for position, amount in zip(positions, rows[value], strict=True):
            offset = span * 0.02 if amount >= 0 else -span * 0.02
            ax.text(
                amount + offset,
                position,
                format_number(amount, stated_decimals(amount)),
                va="center",
                ha="left" if amount >= 0 else "right",
                fontsize=5.5,
                color=palette.INK,
            )
    ax.set_yticks(range(len(countries)), [country_labels[country] for country in countries])
    # at least three groups' worth of room, so that one or two countries do not give slab-like bars
    padding = max(0.0, (3 - len(countries)) / 2)
    ax.set_ylim(len(countries) - 0.5 + padding, -0.5 - padding)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.axvline(0, color=palette.INK, linewidth=0.6)
    low, high = min(0.0, float(data[value].min())), max(0.0, float(data[value].max()))
    ax.set_xlim(low - span * 0.18 if low < 0 else 0, high + span * 0.18 if high > 0 else 0)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(unit)
    ax.tick_params(axis="y", length=0)
    # scenario names are sentences: one per row, across the whole figure (the plot area starts after the
    # country names), in smaller type; constrained layout keeps the room for it above the plot
    ax.figure.legend(
        handles=ax.get_legend_handles_labels()[0],
        loc="outside upper left",
        ncol=1,
        fontsize=5.5,
        borderaxespad=0.2,
    )


def draw_e11_tariff_gdp(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E11: tariff scenarios' GDP impact by country (%)."""
    _draw_tariffs(ax, data, "gdp_impact_pct", "%")


def draw_e12_tariff_inflation(ax: Axes, data: pd.DataFrame) -> None:
    """Draw E12: tariff scenarios' inflation impact by country (pp)."""
    _draw_tariffs(ax, data, "inflation_impact_pp", "pp")


# --- the registry ---------------------------------------------------------------------------------

# The definition of the hedge cost is in the data notes; the source line points there (short lines keep
# a row of exhibits under a third of a page).
HEDGE_NOTE_ZH = "对冲成本定义见数据说明"
HEDGE_NOTE_EN = "hedge cost as defined in the data notes"

EXHIBITS: dict[str, Exhibit] = {
    exhibit.id: exhibit
    for exhibit in (
        Exhibit(
            "E01",
            "不同期限美债收益率走势",
            "US Treasury yields by tenor",
            "%",
            "%",
            "美国财政部（每日平价收益率曲线）；此前及缺失日为圣路易斯联储FRED（H.15固定期限收益率DGS3MO、DGS2、DGS10、DGS30）",
            "US Treasury (daily par yield curve); before it and on days it lacks, FRED (St. Louis Fed), H.15 "
            "constant-maturity yields DGS3MO, DGS2, DGS10, DGS30",
            ("ust3m", "ust2y", "ust10y", "ust30y"),
            data_e01_yields_by_tenor,
            draw_e01_yields_by_tenor,
            pd.DateOffset(years=2),
        ),
        Exhibit(
            "E02",
            "美债10年期期限溢价和已实现波动率",
            "10-year term premium and realised rate volatility",
            "%，基点",
            "%, bp",
            "纽约联储（ACM期限溢价ACMTP10）；美国财政部每日平价收益率曲线"
            "（此前及缺失日为圣路易斯联储FRED DGS10），波动率为10年期收益率21个交易日日变动的年化标准差",
            "Federal Reserve Bank of New York (ACM term premium ACMTP10); US Treasury daily par yield curve "
            "(before it and on days it lacks, FRED DGS10), volatility = annualised st. dev. of 21 daily "
            "changes of the 10-year yield",
            ("acm_tp10", "ust10y"),
            data_e02_term_premium_vol,
            draw_e02_term_premium_vol,
            pd.DateOffset(years=5),
        ),
        Exhibit(
            "E03",
            "不同类型可流通美债存量占比（红线为短期国库券）",
            "Marketable debt outstanding by security type (bills in red)",
            "%",
            "%",
            "美国财政部Fiscal Data（国债月报MSPD表1）",
            "US Treasury, Fiscal Data (Monthly Statement of the Public Debt, table 1)",
            ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn", "mspd_marketable"),
            data_e03_debt_by_type,
            draw_e03_debt_by_type,
            pd.Timestamp("2001-01-01"),
        ),
        Exhibit(
            "E04",
            "短期国库券占12个月净发行比重",
            "Bills' share of 12-month net issuance of marketable debt",
            "%",
            "%",
            "美国财政部Fiscal Data（MSPD表1），短期国库券12个月存量变化除以可流通国债12个月存量变化；"
            "虚线为80%参考线",
            "US Treasury, Fiscal Data (MSPD table 1): 12-month change in bills / 12-month change in total "
            "marketable debt; dashed line: 80%, for reference",
            ("mspd_bills", "mspd_marketable"),
            data_e04_bill_share_net_issuance,
            draw_e04_bill_share_net_issuance,
            pd.Timestamp("2001-01-01"),
        ),
        Exhibit(
            "E05",
            "美国国债占货币市场基金投资比重",
            "Treasuries' share of money-market fund investments",
            "%",
            "%",
            "美国金融研究办公室OFR（货币市场基金监测MMF-MMF_T_TOT-M、MMF-MMF_TOT-M）",
            "Office of Financial Research, money market fund monitor (MMF-MMF_T_TOT-M / MMF-MMF_TOT-M)",
            ("mmf_treasury", "mmf_total"),
            data_e05_mmf_treasury_share,
            draw_e05_mmf_treasury_share,
            pd.Timestamp("2010-11-01"),
        ),
        Exhibit(
            "E06",
            "可流通国债平均剩余期限",
            "Average maturity of marketable debt",
            "月",
            "months",
            "美国财政部（季度再融资资料）",
            "US Treasury (quarterly refunding documents)",
            ("wam_months",),
            data_e06_average_maturity,
            draw_e06_average_maturity,
            pd.Timestamp("2001-01-01"),
        ),
        Exhibit(
            "E07",
            "欧元对冲后10年期美债收益率与10年期德债收益率",
            "10-year UST hedged into euros vs 10-year Bund",
            "%",
            "%",
            "美国财政部每日平价收益率曲线（10年期、3个月期；"
            "此前及缺失日为圣路易斯联储FRED DGS10、DGS3MO）、"
            "欧洲央行（欧元区AAA级3个月即期利率）、德意志联邦银行"
            "（10年期零息收益率，日度；此前虚线为OECD月均值IRLTLT01DEM156N）；" + HEDGE_NOTE_ZH,
            "US Treasury daily par yield curve (10-year, 3-month; before it and on days it lacks, FRED "
            "DGS10, "
            "DGS3MO), ECB (euro-area AAA 3-month spot rate), Deutsche Bundesbank (10-year "
            "zero-coupon yield, daily; dotted before it: OECD monthly average IRLTLT01DEM156N); "
            + HEDGE_NOTE_EN,
            ("ust10y", "ust3m", "eur3m_aaa", "bund10y", "bund10y_monthly"),
            data_e07_hedged_ust_vs_bund,
            draw_e07_hedged_ust_vs_bund,
            pd.DateOffset(years=3),
            title_without=("eur3m_aaa", "10年期美债收益率与10年期德债收益率", "10-year UST vs 10-year Bund"),
            earlier_source=(
                "bund10y",
                "2024-01-02",
                "美国财政部每日平价收益率曲线（10年期、3个月期；"
                "此前及缺失日为圣路易斯联储FRED DGS10、DGS3MO）、"
                "欧洲央行（欧元区AAA级3个月即期利率）、OECD德国10年期国债收益率月均值"
                "（IRLTLT01DEM156N，虚线）；" + HEDGE_NOTE_ZH,
                "US Treasury daily par yield curve (10-year, 3-month; before it and on days it lacks, FRED "
                "DGS10, DGS3MO), ECB (euro-area AAA 3-month spot rate), OECD monthly average 10-year Bund "
                "yield (IRLTLT01DEM156N, dotted); " + HEDGE_NOTE_EN,
            ),
        ),
        Exhibit(
            "E08",
            "日元对冲后10年期美债收益率与10年期日债收益率",
            "10-year UST hedged into yen vs 10-year JGB",
            "%",
            "%",
            "美国财政部每日平价收益率曲线（10年期、3个月期；"
            "此前及缺失日为圣路易斯联储FRED DGS10、DGS3MO）、"
            "圣路易斯联储FRED（OECD日本3个月银行间利率IR3TIB01JPM156N）、日本财务省；" + HEDGE_NOTE_ZH,
            "US Treasury daily par yield curve (10-year, 3-month; before it and on days it lacks, FRED "
            "DGS10, "
            "DGS3MO), FRED (OECD Japan 3-month interbank rate IR3TIB01JPM156N), Ministry of Finance "
            "Japan; " + HEDGE_NOTE_EN,
            ("ust10y", "ust3m", "jpy3m_interbank", "jgb10y"),
            data_e08_hedged_ust_vs_jgb,
            draw_e08_hedged_ust_vs_jgb,
            pd.DateOffset(years=3),
        ),
        Exhibit(
            "E09",
            "外国投资者持有美国国债规模",
            "Foreign holdings of US Treasury securities",
            "十亿美元",
            "$bn",
            "美国财政部TIC（主要外国持有者表mfhhis01）",
            "US Treasury, TIC (major foreign holders, mfhhis01)",
            ("foreign_holdings", "foreign_holdings_japan", "foreign_holdings_china"),
            data_e09_foreign_holdings,
            draw_e09_foreign_holdings,
            pd.DateOffset(years=15),
        ),
        Exhibit(
            "E10",
            "外国投资者净买入美国长期证券",
            "Net foreign purchases of US long-term securities",
            "十亿美元",
            "$bn",
            "美国财政部TIC（全部外国投资者净买入美国长期证券：2023年2月起为SLT表4，此前为S表历史数据）",
            "US Treasury, TIC (net foreign purchases of US long-term securities, grand total: SLT table 4 "
            "from Feb 2023, the S-form history before it)",
            ("tic_net_lt_purchases",),
            data_e10_net_foreign_purchases,
            draw_e10_net_foreign_purchases,
            pd.DateOffset(years=5),
            earlier_source=(
                "tic_net_lt_purchases",
                "2023-02-01",
                "美国财政部TIC（全部外国投资者净买入美国长期证券，S表历史数据）",
                "US Treasury, TIC (net foreign purchases of US long-term securities, grand total: the S-form "
                "history)",
            ),
        ),
        Exhibit(
            "E11",
            "PIIE关税情景：对各国GDP的冲击",
            "PIIE tariff scenarios: impact on GDP by country",
            "%",
            "%",
            "PIIE（分析师输入表）",
            "PIIE (analyst input table)",
            (),
            data_e11_tariff_gdp,
            draw_e11_tariff_gdp,
            None,
            uses_tariffs=True,
        ),
        Exhibit(
            "E12",
            "PIIE关税情景：对通胀的冲击",
            "PIIE tariff scenarios: impact on inflation",
            "百分点",
            "pp",
            "PIIE（分析师输入表）",
            "PIIE (analyst input table)",
            (),
            data_e12_tariff_inflation,
            draw_e12_tariff_inflation,
            None,
            uses_tariffs=True,
        ),
    )
}


def exhibit_frames(
    view: PointInTime | None, tariffs: pd.DataFrame | None, windows: Mapping[str, Window] | None = None
) -> dict[str, pd.DataFrame]:
    """Return exhibit id → the frame it plots as of the view's date, for all twelve exhibits.

    Computed once per build, the same frames feed the charts and the appendix's sheets; neither
    changes them.
    """
    chosen = windows or {}
    return {key: exhibit.frame(view, tariffs, chosen.get(key)) for key, exhibit in EXHIBITS.items()}
