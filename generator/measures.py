"""Derived series: the calculations that figures and exhibits share, as plain functions of the as-of view.

Every function takes a :class:`~generator.store.PointInTime` (so only published data can enter) and
returns a pandas Series or DataFrame indexed by observation date. Units are in the names or docstrings.

Treasury yields (:func:`treasury_curve`): the Treasury's daily par yield curve is the primary source of
a day's yields (published that evening, so a note as of D quotes D's close); H.15 (FRED DGS*), which
carries the same numbers one business day later, gives the history before the par-curve file and fills
its gaps. On each date all tenors asked for together come from ONE source, so a spread or a change is
never the difference of a par value and an H.15 value. The ``source`` column says which was used.

Definitions that the public data force on us (FX forwards and the cross-currency basis are vendor data):
- FX hedge cost (3 months) = US 3-month Treasury bill yield (H.15 DGS3MO) minus the foreign 3-month
  rate: for the yen, the OECD 3-month interbank rate for Japan (monthly average, carried forward to daily
  dates); for the euro, the ECB's AAA euro-area 3-month spot rate (daily). A rate differential is what
  a 3-month forward prices apart from the basis.
- Hedged 10-year yield = 10-year Treasury yield minus the hedge cost.
- Realised volatility = annualised standard deviation of daily changes of the 10-year yield (bp), a public
  stand-in for the MOVE index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.catalogue import series_spec
from generator.errors import DataError
from generator.store import PointInTime

TRADING_DAYS_PER_YEAR = 252
MARKETABLE_CLASSES = ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn")


PAR = "par"
H15 = "h15"


def _visible(view: PointInTime, key: str | None) -> pd.Series:
    """Return the visible values of ``key``, or an empty series when it has none."""
    if key is None or not view.available(key):
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    return view.series(key)


def treasury_curve(view: PointInTime, keys: tuple[str, ...]) -> pd.DataFrame:
    """Return the H.15 tenors ``keys`` (ust10y, …) by date, one column each (%), plus ``source``:
    "par" where the Treasury par curve has every tenor that day, else "h15" where H.15 has them all.

    Raises the H.15 series' DataError (naming it) when neither source has any value. A build asks for
    the same tenors some 35 times (figures and exhibits): each view computes them once and hands out
    copies.
    """
    curve = view.derived.get(("treasury_curve", keys))
    if curve is None:
        curve = view.derived[("treasury_curve", keys)] = _treasury_curve(view, keys)
    return curve.copy()


def _treasury_curve(view: PointInTime, keys: tuple[str, ...]) -> pd.DataFrame:
    par = pd.DataFrame({key: _visible(view, series_spec(key).par) for key in keys}).dropna()
    h15 = pd.DataFrame({key: _visible(view, key) for key in keys}).dropna()
    h15 = h15[~h15.index.isin(par.index)]
    curve = pd.concat([par.assign(source=PAR), h15.assign(source=H15)]).sort_index()
    if curve.empty:
        for key in keys:
            if not _visible(view, key).size and not _visible(view, series_spec(key).par).size:
                view.observations(key)  # raises the reason (not in the data folder / not published)
        raise DataError(f"no date with all of {', '.join(keys)}", series=keys[0])
    curve.index.name = "date"
    return curve


def curve_series_key(key: str, source: str) -> str:
    """Return the store key behind tenor ``key`` from ``source``: par10y for ("ust10y", "par")."""
    par = series_spec(key).par
    return par if source == PAR and par is not None else key


def treasury_yield(view: PointInTime, key: str) -> pd.Series:
    """Return one Treasury tenor (%), the par curve where it has the day, else H.15."""
    return treasury_curve(view, (key,))[key].rename(key)


def realized_vol_bp(yields_pct: pd.Series, window: int = 21) -> pd.Series:
    """Return the annualised st. dev. of the last ``window`` daily changes of ``yields_pct`` (bp)."""
    changes_bp = yields_pct.diff() * 100
    return changes_bp.rolling(window).std() * np.sqrt(TRADING_DAYS_PER_YEAR)


def marketable_shares(view: PointInTime) -> pd.DataFrame:
    """Return each security class's share of total marketable debt (%), month-ends; FRN 0 before 2014."""
    total = view.series("mspd_marketable")
    columns = {}
    for key in MARKETABLE_CLASSES:
        values = view.series(key).reindex(total.index)
        columns[key.removeprefix("mspd_")] = values.fillna(0.0) / total * 100
    return pd.DataFrame(columns)


def bill_share_outstanding(view: PointInTime) -> pd.Series:
    """Return bills / total marketable debt outstanding (%), month-ends."""
    total = view.series("mspd_marketable")
    return (view.series("mspd_bills").reindex(total.index) / total * 100).dropna()


def bill_share_of_net_issuance(view: PointInTime, months: int = 12) -> pd.Series:
    """Return the change in bills over ``months`` months / the change in total marketable debt (%).

    Undefined (dropped) where total marketable debt did not grow over the window.
    """
    total = view.series("mspd_marketable")
    bills = view.series("mspd_bills").reindex(total.index)
    share = bills.diff(months) / total.diff(months) * 100
    return share[total.diff(months) > 0].dropna()


def mmf_treasury_share(view: PointInTime) -> pd.Series:
    """Return money-market funds' Treasury holdings / total investments (%), month-ends."""
    total = view.series("mmf_total")
    return (view.series("mmf_treasury").reindex(total.index) / total * 100).dropna()


def _on_daily_dates(values: pd.Series, daily_index: pd.DatetimeIndex) -> pd.Series:
    """Carry a lower-frequency series forward onto daily dates (each value holds until the next)."""
    combined = values.reindex(values.index.union(daily_index)).ffill()
    return combined.reindex(daily_index)


def hedge_cost_jpy(view: PointInTime) -> pd.Series:
    """Return the 3-month USD/JPY hedge cost (%): US 3M bill minus Japan's 3M interbank rate, daily."""
    usd = treasury_yield(view, "ust3m")
    jpy = _on_daily_dates(view.series("jpy3m_interbank"), usd.index)
    return (usd - jpy).dropna().rename("hedge_cost_jpy")


def hedge_cost_eur(view: PointInTime) -> pd.Series:
    """Return the 3-month USD/EUR hedge cost (%): US 3M bill minus the euro-area AAA 3M spot rate, daily."""
    usd = treasury_yield(view, "ust3m")
    eur = _on_daily_dates(view.series("eur3m_aaa"), usd.index)
    return (usd - eur).dropna().rename("hedge_cost_eur")


def hedged_ust10y(view: PointInTime, currency: str) -> pd.Series:
    """Return the 10-year Treasury yield minus the 3-month hedge cost into ``currency`` (jpy or eur), %."""
    cost = {"jpy": hedge_cost_jpy, "eur": hedge_cost_eur}[currency](view)
    ust10y = treasury_yield(view, "ust10y")
    return (ust10y - cost.reindex(ust10y.index)).dropna().rename(f"hedged10y_{currency}")


def year_on_year_pct(index_values: pd.Series, months: int = 12) -> pd.Series:
    """Return the change over ``months`` calendar months (%), e.g. y/y inflation from a monthly index.

    Aligned by date, not by position: a month missing from the series (a gap in the file) drops the
    months that need it instead of silently comparing with the wrong month.
    """
    earlier = index_values.copy()
    earlier.index = earlier.index + pd.DateOffset(months=months)
    earlier = earlier[~earlier.index.duplicated(keep="last")]
    return (index_values / earlier.reindex(index_values.index) - 1).dropna() * 100


def last_consecutive_months(values: pd.Series, months: int) -> pd.Series | None:
    """Return the last ``months`` monthly values if they are consecutive calendar months, else None."""
    window = values.iloc[-months:]
    if len(window) < months:
        return None
    periods = window.index.to_period("M")
    return window if (periods[-1] - periods[0]).n == months - 1 else None


def moving_average(values: pd.Series, periods: int) -> pd.Series:
    """Return the trailing mean over ``periods`` observations (needs all of them)."""
    return values.rolling(periods).mean().dropna()
