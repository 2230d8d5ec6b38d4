"""Derived series: the calculations that figures and exhibits share, as plain functions of the as-of view.

Every function takes a :class:`~generator.store.PointInTime` (so only published data can enter) and
returns a pandas Series or DataFrame indexed by observation date. Units are in the names or docstrings.

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

from generator.store import PointInTime

TRADING_DAYS_PER_YEAR = 252
MARKETABLE_CLASSES = ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn")


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
    usd = view.series("ust3m")
    jpy = _on_daily_dates(view.series("jpy3m_interbank"), usd.index)
    return (usd - jpy).dropna().rename("hedge_cost_jpy")


def hedge_cost_eur(view: PointInTime) -> pd.Series:
    """Return the 3-month USD/EUR hedge cost (%): US 3M bill minus the euro-area AAA 3M spot rate, daily."""
    usd = view.series("ust3m")
    eur = _on_daily_dates(view.series("eur3m_aaa"), usd.index)
    return (usd - eur).dropna().rename("hedge_cost_eur")


def hedged_ust10y(view: PointInTime, currency: str) -> pd.Series:
    """Return the 10-year Treasury yield minus the 3-month hedge cost into ``currency`` (jpy or eur), %."""
    cost = {"jpy": hedge_cost_jpy, "eur": hedge_cost_eur}[currency](view)
    ust10y = view.series("ust10y")
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
