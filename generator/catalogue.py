"""The one catalogue of series: what each series is, who publishes it, where it lives, when it is public.

Nothing else in the code base hard-codes a publisher code, a file name, a unit or a lag.

``file`` is the series' canonical location inside a data folder: the live fetcher caches the
publisher's response there and the demo generator writes its synthetic file there, both in the
publisher's own format. ``variants`` are glob patterns for other copies of the same data that a
``--data-dir`` folder may hold (such as ``../shared/data``); they are read before the canonical file
and every file found contributes, the first one listed winning where two files have the same date.
Where a pattern matches several files, the one whose name sorts last is used (so
``fred_DGS10_thru_2026-08-20.csv`` wins over ``fred_DGS10.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath

from generator.publication import (
    AsAnnounced,
    AtNextRelease,
    BusinessDayOfMonth,
    BusinessDaysAfter,
    DayOfMonth,
    DaysAfterQuarter,
    PublicationLag,
    ReleaseCalendar,
    TimingChanged,
)
from generator.release_calendar import release_dates


@dataclass(frozen=True)
class Bounds:
    """What a credible observation of a series looks like; the validate stage rejects anything else.

    ``max_move`` bounds the change between consecutive observations of one file (in the unit);
    ``max_ratio`` bounds the factor between consecutive positive levels (a unit slip is a factor of
    1000 or 100, a real month rarely more than 2).
    """

    low: float
    high: float
    max_move: float | None = None
    max_ratio: float | None = None

    def __str__(self) -> str:
        parts = [f"{self.low:g} to {self.high:g}"]
        if self.max_move is not None:
            parts.append(f"moves up to {self.max_move:g}")
        if self.max_ratio is not None:
            parts.append(f"ratios up to {self.max_ratio:g}x")
        return ", ".join(parts)


#: default bounds by unit, wide enough for every history since the 1960s (15 %+ yields in 1981, negative
#: Bund and JGB yields, the 2020 moves, TGA swings); a series narrows or widens them in its entry
BOUNDS_BY_UNIT = {
    "%": Bounds(-2.0, 25.0, max_move=3.0),  # SOFR's 2.82 pp on 2019-09-17 is the largest daily move
    "pp": Bounds(-6.0, 8.0, max_move=3.0),
    "$bn": Bounds(0.0, 60_000.0, max_ratio=30.0),  # levels; flows override (negative values)
    "index": Bounds(0.0, 1_000.0, max_ratio=2.0),
    "months": Bounds(12.0, 240.0, max_move=12.0),
    "count": Bounds(0.0, 10.0),
    "USD per EUR": Bounds(0.5, 2.5, max_ratio=1.25),
    "JPY per EUR": Bounds(50.0, 300.0, max_ratio=1.25),
    "JPY per USD": Bounds(50.0, 400.0, max_ratio=1.25),
}
MONTHLY_RATE_BOUNDS = Bounds(-2.0, 25.0, max_move=8.0)  # monthly averages of 1980: 6-7 pp in a month
FLOW_BOUNDS = Bounds(-1_000.0, 1_000.0)  # net flows and monthly expense in $bn: either sign
CONTRIBUTION_BOUNDS = Bounds(-20.0, 20.0)  # pp of GDP growth, SAAR (2020Q2-Q3)
#: largest credible daily move of a Treasury yield by tenor (pp); since 1962 the 10-year's largest is
#: 0.75, the 1-year's 1.10, the 3-month's 1.69 and the 20-year's 1.27: the 10y does not move 100 bp a day
TREASURY_DAILY_MOVE = {"1m": 2.0, "3m": 2.0, "6m": 2.0, "1y": 2.0, "20y": 1.5}


def treasury_yield_bounds(tenor: str) -> Bounds:
    """The bounds of a Treasury yield (H.15 or par curve) of ``tenor`` (``10y``, ``3m``)."""
    return replace(BOUNDS_BY_UNIT["%"], max_move=TREASURY_DAILY_MOVE.get(tenor, 1.0))


#: how long after its expected publication a series' newest observation may be before it is stale (days)
FRESHNESS_DAYS = {"daily": 6, "weekly": 10, "monthly": 40, "quarterly": 100, "event": 200}


@dataclass(frozen=True)
class SeriesSpec:
    """One series: its key in the store, its publisher's code and files, unit, frequency and lag."""

    key: str  #: the name the store, figures and exhibits use
    publisher: str  #: module under generator.sources that reads it
    code: str  #: the publisher's own code or column/row label, verbatim
    file: str  #: canonical path inside a data folder (cache and demo data)
    unit: str  #: unit after ``scale`` is applied: %, pp, $bn, months, index
    frequency: str  #: daily, weekly, monthly, quarterly or event
    lag: PublicationLag  #: when an observation becomes public
    label_en: str
    label_zh: str
    endpoint: str  #: the primary live endpoint, for the record
    variants: tuple[str, ...] = ()  #: other copies in a --data-dir folder (globs)
    scale: float = 1.0  #: multiply the publisher's numbers by this to reach ``unit``
    used_by: tuple[str, ...] = ()  #: exhibits (E01…E12) and figure groups that read the series
    freshness_days: int | None = None  #: override of FRESHNESS_DAYS[frequency]
    live: bool = True  #: False where the publisher has no free feed (read from --data-dir only)
    notes: str = ""
    bounds: Bounds | None = None  #: override of BOUNDS_BY_UNIT[unit] (values after ``scale``)
    expected_start: str | None = None  #: the history reaches back at least this far (ISO date)
    #: the note cannot be written without it: only an essential series missing at the as-of date fails a
    #: build; every other series missing leaves the figures that read it unavailable (value null)
    essential: bool = False
    #: the Treasury par-curve series of the same tenor, the primary source of the day's yield (H.15 specs)
    par: str | None = None
    #: files (globs in a data folder) that hold only a later, revised vintage, with the date of the file:
    #: a value read from one of them is marked "revised (file of YYYY-MM-DD)" in figures.json
    later_vintages: tuple[tuple[str, str], ...] = ()

    @property
    def source_en(self) -> str:
        """Publisher and series label for a source line: "US Treasury, daily par yield curve (10-year)"."""
        return f"{PUBLISHER_NAMES[self.publisher]['en']}, {self.label_en}"

    @property
    def source_zh(self) -> str:
        return f"{PUBLISHER_NAMES[self.publisher]['zh']}，{self.label_zh}"

    def file_vintage(self, path: str) -> str | None:
        """Return the date of the later-vintage file ``path`` is (see ``later_vintages``), else None."""
        for pattern, day in self.later_vintages:
            if PurePath(path).match(pattern):
                return day
        return None

    @property
    def max_age_days(self) -> int:
        return self.freshness_days if self.freshness_days is not None else FRESHNESS_DAYS[self.frequency]

    @property
    def plausible(self) -> Bounds:
        """The bounds the validate stage applies: the entry's own, else its unit's."""
        return self.bounds if self.bounds is not None else BOUNDS_BY_UNIT[self.unit]


PUBLISHER_NAMES = {
    "fred": {"en": "FRED (St. Louis Fed)", "zh": "圣路易斯联储FRED"},
    "fiscal_data": {"en": "US Treasury, Fiscal Data", "zh": "美国财政部Fiscal Data"},
    "treasury": {"en": "US Treasury", "zh": "美国财政部"},
    "nyfed": {"en": "Federal Reserve Bank of New York", "zh": "纽约联储"},
    "tic": {"en": "US Treasury, TIC", "zh": "美国财政部TIC"},
    "ofr": {"en": "Office of Financial Research", "zh": "美国金融研究办公室OFR"},
    "mof_japan": {"en": "Ministry of Finance Japan", "zh": "日本财务省"},
    "bundesbank": {"en": "Deutsche Bundesbank", "zh": "德意志联邦银行"},
    "ecb": {"en": "European Central Bank", "zh": "欧洲央行"},
    "bea": {"en": "US Bureau of Economic Analysis", "zh": "美国经济分析局BEA"},
    "ice": {"en": "ICE BofA (MOVE index)", "zh": "洲际交易所MOVE指数"},
    "fed_board": {"en": "Federal Reserve Board", "zh": "美联储理事会"},
    "boj": {"en": "Bank of Japan", "zh": "日本银行"},
}

FRED_CSV = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={code}"
H15_LAG = BusinessDaysAfter(1)  # H.15 rates for day D appear on FRED the next business day
# FRED's curve spreads (T10Y2Y, T10Y3M) take Treasury's par curve, published on day D, since their update
# of 21 June 2019 (the series' notes; FRED posts day D at about 4 pm Central); H.15's, a day later, before
SPREAD_LAG = TimingChanged(date(2019, 6, 21), before=H15_LAG, after=BusinessDaysAfter(0))
#: a FRED client's cache of several series, fetched 2026-08-21 (``macro/fred_cache_jonsflow_*.json``): read
#: after each series' own CSV, it extends CPI, PCE and the Fed's rates to the summer of 2026; its revisable
#: values are that day's vintage
FRED_CACHE_VINTAGE = ("*/fred_cache_jonsflow_*.json", "2026-08-21")
# the actual release days where the calendar has them; for the periods it lacks, the late end of the
# publisher's schedule, so that a note never quotes a month before it can have been out
# BLS releases CPI between the 10th and the 15th of M+1
CPI_LAG = ReleaseCalendar("cpi", release_dates("cpi"), DayOfMonth(15))
# Personal Income: last week of M+1, before Christmas in December
PCE_LAG = ReleaseCalendar("pce", release_dates("pce"), DayOfMonth(31, 1, december_day=23))
# advance estimate: 25th-30th of the month after the quarter
GDP_LAG = ReleaseCalendar("gdp", release_dates("gdp"), DaysAfterQuarter(25))
# TIC: released the 15th-19th of M+2; the calendar's day where found, else the 19th (the late end:
# an early rule would count some months before they were out)
TIC_LAG = ReleaseCalendar("tic", release_dates("tic"), DayOfMonth(19, 2))
#: the shared TIC flow files: SLT table 4 as downloaded on 2026-10-06, the s1_globl history (≤ 2023-01)
TIC_FLOW_VINTAGES = (
    ("*/tic_slt_table4_grandtotal_extract.txt", "2026-10-06"),
    ("*/tic_s1_globl_hist_grandtotal_extract.csv", "2023-03-15"),
)
OECD_MONTHLY_LAG = DayOfMonth(20, 1)  # OECD MEI monthly averages appear in the following weeks
TIC_HOLDINGS_START = "2000-03-31"  # mfhhis01 is newest first from its first month: a cut file loses it


def _fred(
    key: str,
    code: str,
    unit: str,
    frequency: str,
    lag: PublicationLag,
    label_en: str,
    label_zh: str,
    variants: tuple[str, ...],
    used_by: tuple[str, ...] = (),
    **extra: object,
) -> SeriesSpec:
    return SeriesSpec(
        key=key,
        publisher="fred",
        code=code,
        file=f"fred/{code}.csv",
        unit=unit,
        frequency=frequency,
        lag=lag,
        label_en=label_en,
        label_zh=label_zh,
        endpoint=FRED_CSV.format(code=code),
        variants=variants,
        used_by=used_by,
        **extra,  # type: ignore[arg-type]
    )


def _cmt(
    key: str, code: str, tenor_en: str, tenor_zh: str, used_by: tuple[str, ...], essential: bool = False
) -> SeriesSpec:
    return _fred(
        key,
        code,
        "%",
        "daily",
        H15_LAG,
        f"H.15 {tenor_en} Treasury constant-maturity yield ({code})",
        f"H.15 {tenor_zh}美债固定期限收益率（{code}）",
        (f"yields/fred_{code}_thru_*.csv", f"yields/fred_{code}.csv", f"international/fred_{code}.csv"),
        used_by,
        essential=essential,
        par=f"par{key.removeprefix('ust')}",
        bounds=treasury_yield_bounds(key.removeprefix("ust")),
    )


PAR_CURVE_ENDPOINT = (
    "https://home.treasury.gov/resource-center/data-chart-center/interest-rates/"
    "daily-treasury-rates.csv/{YEAR}/all?type=daily_treasury_yield_curve"
)


def _par(
    key: str, column: str, tenor_en: str, tenor_zh: str, used_by: tuple[str, ...] = ("E01",)
) -> SeriesSpec:
    """A tenor of the Treasury's daily par yield curve: published the same day, after the close."""
    return SeriesSpec(
        key=key,
        publisher="treasury",
        code=column,
        file="treasury/daily_treasury_yield_curve.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en=f"daily par yield curve ({tenor_en})",
        label_zh=f"每日平价收益率曲线（{tenor_zh}）",
        endpoint=PAR_CURVE_ENDPOINT,
        variants=("yields/treasury_daily_par_yield_curve_*.csv",),
        used_by=used_by,
        notes="the primary source of the day's Treasury yields (same numbers as H.15 a business day later)",
        expected_start="2021-01-04",  # the cached file merges the years from 2021 (newest first)
        bounds=treasury_yield_bounds(key.removeprefix("par")),
    )


def _mspd(key: str, code: str, label_en: str, label_zh: str) -> SeriesSpec:
    return SeriesSpec(
        key=key,
        publisher="fiscal_data",
        code=code,
        file="fiscal_data/mspd_table_1.json",
        unit="$bn",
        frequency="monthly",
        lag=BusinessDayOfMonth(4),
        label_en=label_en,
        label_zh=label_zh,
        endpoint="https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_1",
        variants=("debt/MSPD_SumSecty_*.csv", "debt/durationmonitor_debt_outstanding.csv"),
        scale=0.001,  # published in $mn
        used_by=("E03", "E04", "supply"),
        notes="total public debt outstanding (total_mil_amt: held by the public + intragovernmental); "
        "TIPS inflation-adjusted, the two inflation-indexed lines summed before 2004-06",
    )


SERIES: tuple[SeriesSpec, ...] = (
    # --- yields (E01), H.15 constant-maturity rates via FRED
    # the Treasury's daily par yield curve: the day's yields, published that evening (primary)
    _par("par1m", "1 Mo", "1-month", "1个月期"),
    _par("par3m", "3 Mo", "3-month", "3个月期", ("E01", "E07", "E08", "curve", "hedging")),
    _par("par6m", "6 Mo", "6-month", "6个月期"),
    _par("par1y", "1 Yr", "1-year", "1年期"),
    _par("par2y", "2 Yr", "2-year", "2年期", ("E01", "curve")),
    _par("par5y", "5 Yr", "5-year", "5年期"),
    _par("par7y", "7 Yr", "7-year", "7年期"),
    _par(
        "par10y",
        "10 Yr",
        "10-year",
        "10年期",
        ("E01", "E02", "E07", "E08", "curve", "term_premium", "hedging"),
    ),
    _par("par20y", "20 Yr", "20-year", "20年期"),
    _par("par30y", "30 Yr", "30-year", "30年期", ("E01", "curve")),
    # H.15 constant-maturity yields on FRED: a business day later; history and fallback
    _cmt("ust1m", "DGS1MO", "1-month", "1个月期", ("E01",)),
    _cmt("ust3m", "DGS3MO", "3-month", "3个月期", ("E01", "E07", "E08", "curve", "hedging")),
    _cmt("ust6m", "DGS6MO", "6-month", "6个月期", ("E01",)),
    _cmt("ust1y", "DGS1", "1-year", "1年期", ("E01",)),
    _cmt("ust2y", "DGS2", "2-year", "2年期", ("E01", "curve")),
    _cmt("ust5y", "DGS5", "5-year", "5年期", ("E01",)),
    _cmt("ust7y", "DGS7", "7-year", "7年期", ("E01",)),
    _cmt(
        "ust10y",
        "DGS10",
        "10-year",
        "10年期",
        ("E01", "E02", "E07", "E08", "curve", "term_premium", "hedging"),
        essential=True,
    ),
    _cmt("ust20y", "DGS20", "20-year", "20年期", ("E01",)),
    _cmt("ust30y", "DGS30", "30-year", "30年期", ("E01", "curve")),
    _fred(
        "spread_10y2y",
        "T10Y2Y",
        "pp",
        "daily",
        SPREAD_LAG,
        "10-year minus 2-year Treasury yield",
        "10年期与2年期美债利差",
        ("yields/fred_T10Y2Y_thru_*.csv", "yields/fred_T10Y2Y.csv"),
        ("curve",),
    ),
    _fred(
        "spread_10y3m",
        "T10Y3M",
        "pp",
        "daily",
        SPREAD_LAG,
        "10-year minus 3-month Treasury yield",
        "10年期与3个月期美债利差",
        ("yields/fred_T10Y3M.csv",),
        ("curve",),
    ),
    # --- term premium (E02)
    SeriesSpec(
        key="acm_tp10",
        publisher="nyfed",
        code="ACMTP10",
        file="nyfed/ACMTermPremium_daily.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(1),  # the NY Fed updates the file daily
        label_en="ACM 10-year term premium",
        label_zh="ACM 10年期期限溢价",
        endpoint="https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls",
        variants=("yields/nyfed_ACMTP10_daily.csv",),
        used_by=("E02", "term_premium"),
        later_vintages=(("*/nyfed_ACMTP10_daily.csv", "2026-08-22"),),  # the Aug-2026 re-estimation
        notes="the NY Fed revises history; the live workbook's 'ACM Daily' sheet is cached as CSV",
    ),
    SeriesSpec(
        key="acm_tp10_monthly",
        publisher="nyfed",
        code="ACMTP10",
        file="nyfed/ACMTermPremium_monthly.csv",
        unit="%",
        frequency="monthly",
        lag=BusinessDaysAfter(2),
        label_en="ACM 10-year term premium (month-end)",
        label_zh="ACM 10年期期限溢价（月末）",
        endpoint="https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls",
        variants=("yields/nyfed_ACMTermPremium_monthly.csv",),
        used_by=("check",),
    ),
    SeriesSpec(
        key="move_index",
        publisher="ice",
        code="MOVE",
        file="ice/MOVE.csv",
        unit="index",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en="ICE BofA MOVE index (Treasury implied volatility)",
        label_zh="MOVE指数（美债隐含波动率）",
        endpoint="none: proprietary (ICE / Bloomberg)",
        variants=("yields/MOVE_bloomberg_*.csv", "yields/MOVE_daily_*.csv"),
        used_by=("ctx",),
        live=False,
        freshness_days=3650,
        expected_start="1990-12-31",  # Bloomberg's copy is newest first: a cut file loses the start
        notes="not public: the note uses realised volatility; 15 archive values disagree with Bloomberg",
    ),
    # --- money markets and hedging (E07, E08)
    _fred(
        "sofr",
        "SOFR",
        "%",
        "daily",
        H15_LAG,
        "Secured overnight financing rate",
        "有担保隔夜融资利率SOFR",
        ("international/fred_SOFR.csv", "macro/fred_cache_jonsflow_*.json"),
        ("hedging",),
    ),
    _fred(
        "usd3m_interbank",
        "IR3TIB01USM156N",
        "%",
        "monthly",
        OECD_MONTHLY_LAG,
        "US 3-month interbank rate (OECD)",
        "美国3个月银行间利率（OECD）",
        ("international/fred_IR3TIB01USM156N.csv",),
        ("check",),
        bounds=MONTHLY_RATE_BOUNDS,
    ),
    _fred(
        "jpy3m_interbank",
        "IR3TIB01JPM156N",
        "%",
        "monthly",
        OECD_MONTHLY_LAG,
        "Japan 3-month interbank rate (OECD)",
        "日本3个月银行间利率（OECD）",
        ("international/fred_IR3TIB01JPM156N.csv",),
        ("E08", "hedging"),
    ),
    _fred(
        "eur3m_interbank",
        "IR3TIB01EZM156N",
        "%",
        "monthly",
        OECD_MONTHLY_LAG,
        "Euro area 3-month interbank rate (OECD)",
        "欧元区3个月银行间利率（OECD）",
        ("international/fred_IR3TIB01EZM156N.csv",),
        ("E07", "hedging"),
        freshness_days=120,
    ),
    SeriesSpec(
        key="estr",
        publisher="ecb",
        code="EST.B.EU000A2X2A25.WT",
        file="ecb/EST.B.EU000A2X2A25.WT.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(1),
        label_en="Euro short-term rate (€STR)",
        label_zh="欧元短期利率€STR",
        endpoint="https://data-api.ecb.europa.eu/service/data/EST/B.EU000A2X2A25.WT?format=csvdata",
        variants=("international/g8pipeline_ESTR.csv",),
        used_by=("hedging",),
    ),
    SeriesSpec(
        key="eur3m_aaa",
        publisher="ecb",
        code="YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_3M",
        file="ecb/YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_3M.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(1),
        label_en="Euro area AAA 3-month spot rate (ECB)",
        label_zh="欧元区AAA级3个月即期利率（欧洲央行）",
        endpoint="https://data-api.ecb.europa.eu/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.SR_3M?format=csvdata",
        variants=("international/g8pipeline_EUR_BILL_3M.csv",),
        used_by=("E07", "hedging"),
    ),
    SeriesSpec(
        key="tona",
        publisher="boj",
        code="STRDCLUCON",
        file="boj/FM01_STRDCLUCON.json",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(1),
        label_en="Uncollateralized overnight call rate, average (BoJ, TONA)",
        label_zh="无担保隔夜拆借利率平均值（日本银行，TONA）",
        endpoint="https://www.stat-search.boj.or.jp/api/v1/getDataCode"
        "?db=FM01&code=STRDCLUCON&format=json&lang=en&startDate=202101",
        variants=("international/g8pipeline_TONA.csv",),
        used_by=("ctx",),
    ),
    # --- foreign 10-year yields (E07, E08)
    SeriesSpec(
        key="jgb10y",
        publisher="mof_japan",
        code="10年",
        file="mof_japan/jgbcm_all.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en="10-year JGB yield (MOF)",
        label_zh="10年期日本国债收益率（日本财务省）",
        endpoint="https://www.mof.go.jp/jgbs/reference/interest_rate/data/jgbcm_all.csv",
        variants=(
            "international/mof_jgbcm_all.csv",
            "international/mof_jgbcme_*.csv",
            "international/g8pipeline_JPY_BILL_10Y.csv",
        ),
        used_by=("E08", "hedging"),
    ),
    SeriesSpec(
        key="bund10y",
        publisher="bundesbank",
        code="BBSIS.D.I.ZST.ZI.EUR.S1311.B.A604.R10XX.R.A.A._Z._Z.A",
        file="bundesbank/BBSIS_10y.csv",
        unit="%",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en="10-year Bund yield (Bundesbank, Svensson zero-coupon)",
        label_zh="10年期德国国债收益率（德央行，Svensson零息）",
        endpoint="https://api.statistiken.bundesbank.de/rest/download/BBSIS/"
        "D.I.ZST.ZI.EUR.S1311.B.A604.R10XX.R.A.A._Z._Z.A?format=csv&lang=en",
        variants=("international/bundesbank_BBSIS_10y_svensson_daily.csv",),
        used_by=("E07", "hedging"),
        notes="a zero-coupon rate, about 8-12 bp above the par benchmark",
    ),
    _fred(
        "bund10y_monthly",
        "IRLTLT01DEM156N",
        "%",
        "monthly",
        OECD_MONTHLY_LAG,
        "10-year Bund yield, monthly average (OECD)",
        "10年期德国国债收益率月均值（OECD）",
        ("international/fred_IRLTLT01DEM156N_from1990.csv",),
        # E07's Bund line, and the Bund figure, before the daily Bundesbank series starts
        ("E07", "hedging", "check"),
        freshness_days=120,
    ),
    SeriesSpec(
        key="bund10y_convergence",
        publisher="ecb",
        code="IRS.M.DE.L.L40.CI.0000.EUR.N.Z",
        file="ecb/IRS.M.DE.L.L40.CI.0000.EUR.N.Z.csv",
        unit="%",
        frequency="monthly",
        lag=OECD_MONTHLY_LAG,
        label_en="Germany long-term rate for convergence purposes (ECB)",
        label_zh="德国长期利率（欧洲央行趋同标准）",
        endpoint="https://data-api.ecb.europa.eu/service/data/IRS/M.DE.L.L40.CI.0000.EUR.N.Z?format=csvdata",
        variants=(
            "international/ecb_IRS_M_DE_10y_convergence.csv",
            # FRED's copy of the same statistic, to 2025-10
            "international/fred_IRLTLT01DEM156N_from1990.csv",
        ),
        used_by=("check",),
    ),
    _fred(
        "jgb10y_monthly",
        "IRLTLT01JPM156N",
        "%",
        "monthly",
        OECD_MONTHLY_LAG,
        "10-year JGB yield, monthly average (OECD)",
        "10年期日本国债收益率月均值（OECD）",
        ("international/fred_IRLTLT01JPM156N.csv",),
        ("check",),
    ),
    # --- FX spot (context)
    SeriesSpec(
        key="eurusd_ecb",
        publisher="ecb",
        code="EXR.D.USD.EUR.SP00.A",
        file="ecb/EXR.D.USD.EUR.SP00.A.csv",
        unit="USD per EUR",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en="EUR/USD, ECB euro reference rate",
        label_zh="欧元兑美元（欧洲央行参考汇率）",
        endpoint="https://data-api.ecb.europa.eu/service/data/EXR/D.USD.EUR.SP00.A?format=csvdata",
        variants=("international/ecb_eurofxref-hist.csv",),
        used_by=("ctx",),
        notes="fixed at 14:15 CET and published around 16:00 CET the same day",
    ),
    SeriesSpec(
        key="eurjpy_ecb",
        publisher="ecb",
        code="EXR.D.JPY.EUR.SP00.A",
        file="ecb/EXR.D.JPY.EUR.SP00.A.csv",
        unit="JPY per EUR",
        frequency="daily",
        lag=BusinessDaysAfter(0),
        label_en="EUR/JPY, ECB euro reference rate",
        label_zh="欧元兑日元（欧洲央行参考汇率）",
        endpoint="https://data-api.ecb.europa.eu/service/data/EXR/D.JPY.EUR.SP00.A?format=csvdata",
        variants=("international/ecb_eurofxref-hist.csv",),
        used_by=("ctx",),
        notes="fixed at 14:15 CET and published around 16:00 CET the same day; USD/JPY = JPY / USD",
    ),
    _fred(
        "usdjpy",
        "DEXJPUS",
        "JPY per USD",
        "daily",
        BusinessDaysAfter(5),
        "USD/JPY, noon New York buying rate (H.10)",
        "美元兑日元（H.10纽约午间汇率）",
        ("international/fred_DEXJPUS_*.csv",),
        ("ctx",),
        notes="H.10 is released on Mondays for the previous week; BusinessDaysAfter(5) approximates that",
    ),
    _fred(
        "eurusd",
        "DEXUSEU",
        "USD per EUR",
        "daily",
        BusinessDaysAfter(5),
        "EUR/USD, noon New York buying rate (H.10)",
        "欧元兑美元（H.10纽约午间汇率）",
        ("international/fred_DEXUSEU_*.csv",),
        ("ctx",),
        notes="H.10 is released on Mondays for the previous week; BusinessDaysAfter(5) approximates that",
    ),
    # --- Treasury supply (E03, E04, E06) and cash (TGA)
    _mspd("mspd_bills", "Bills", "Marketable debt outstanding: bills", "可流通国债存量：短期国库券"),
    _mspd("mspd_notes", "Notes", "Marketable debt outstanding: notes", "可流通国债存量：中期国债"),
    _mspd("mspd_bonds", "Bonds", "Marketable debt outstanding: bonds", "可流通国债存量：长期国债"),
    _mspd("mspd_tips", "TIPS", "Marketable debt outstanding: TIPS", "可流通国债存量：通胀保值债券"),
    _mspd("mspd_frn", "FRN", "Marketable debt outstanding: floating-rate notes", "可流通国债存量：浮息债"),
    _mspd(
        "mspd_marketable", "Total Marketable", "Marketable debt outstanding: total", "可流通国债存量：合计"
    ),
    SeriesSpec(
        key="wam_months",
        publisher="treasury",
        code="published_months",
        file="treasury/avg_maturity_marketable_debt.csv",
        unit="months",
        frequency="monthly",
        # released with the refunding documents: the refunding estimates' release days, else 35 days
        lag=AtNextRelease("qra_financing_need_bn", DaysAfterQuarter(35)),
        label_en="Average maturity of marketable debt (Treasury)",
        label_zh="可流通国债平均剩余期限（财政部）",
        endpoint="https://home.treasury.gov/system/files/221/{YEAR}-{Nth}-Quarter.xls",
        variants=("debt/durationmonitor_wam_vs_treasury_published_months.csv",),
        used_by=("E06", "supply"),
        freshness_days=130,
        notes="published quarterly with the refunding workbook; the workbook is reduced to its sheet "
        "'Avg. mat. of debt outstanding', cached as CSV period,published_months (dated at month end)",
    ),
    SeriesSpec(
        key="qra_financing_need_bn",
        publisher="treasury",
        code="total_financing_need_bn",
        file="treasury/qra_borrowing_estimates.csv",
        unit="$bn",
        frequency="quarterly",
        lag=AsAnnounced(),
        label_en="Treasury's marketable borrowing estimate for the quarter (refunding)",
        label_zh="财政部季度可流通债务净借款预估（再融资公告）",
        endpoint="none: press releases 'Treasury Announces Marketable Borrowing Estimates'",
        variants=("debt/qrawatch_official_qra_capture.csv",),
        used_by=("refunding",),
        live=False,
        freshness_days=120,  # a refunding every quarter, released around its first month
        bounds=Bounds(-1_000.0, 6_000.0),  # a net borrowing estimate: $2,999bn for 2020Q2
        notes="privately-held net marketable borrowing, dated at the quarter's start, published on the "
        "release date of the estimate used. Mixed vintages in the shared capture: to 2020Q4 mostly the "
        "current-quarter estimate of that quarter's refunding, from 2021Q1 the next-quarter estimate of "
        "the previous refunding (2020Q2 is the Jul-Sep 2020 estimate)",
    ),
    SeriesSpec(
        key="tga",
        publisher="fiscal_data",
        code="Treasury General Account (TGA) Closing Balance",
        file="fiscal_data/dts_operating_cash_balance.json",
        unit="$bn",
        frequency="daily",
        lag=BusinessDaysAfter(1),
        label_en="Treasury General Account, closing balance (DTS)",
        label_zh="财政部一般账户（TGA）余额",
        endpoint="https://api.fiscaldata.treasury.gov/services/api/fiscal_service/"
        "v1/accounting/dts/operating_cash_balance",
        variants=("debt/durationmonitor_cash_balance.csv",),
        scale=0.001,  # published in $mn
        used_by=("refunding",),
        notes="account line 'Federal Reserve Account' to 2021-09, 'Treasury General Account (TGA)' to "
        "2022-04-15 (close_today_bal), then this line (open_today_bal)",
    ),
    SeriesSpec(
        key="interest_expense",
        publisher="fiscal_data",
        code="month_expense_amt",
        file="fiscal_data/interest_expense.json",
        unit="$bn",
        frequency="monthly",
        lag=BusinessDayOfMonth(8),
        label_en="Interest expense on the public debt, month",
        label_zh="公共债务月度利息支出",
        endpoint="https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v2/accounting/od/interest_expense",
        variants=("debt/FiscalData_IntExp_interest_expense_public_debt_*.csv",),
        scale=1e-9,  # published in dollars, summed over all expense lines of the month
        used_by=("supply",),
        bounds=FLOW_BOUNDS,
    ),
    SeriesSpec(
        key="avg_rate_marketable",
        publisher="fiscal_data",
        code="Total Marketable",
        file="fiscal_data/avg_interest_rates.json",
        unit="%",
        frequency="monthly",
        lag=BusinessDayOfMonth(8),
        label_en="Average interest rate on marketable debt",
        label_zh="可流通国债平均利率",
        endpoint="https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v2/accounting/od/avg_interest_rates",
        variants=("debt/FiscalData_AvgInterestRate_*.csv",),
        used_by=("supply",),
    ),
    # --- money-market funds (E05)
    SeriesSpec(
        key="mmf_treasury",
        publisher="ofr",
        code="MMF-MMF_T_TOT-M",
        file="ofr/MMF-MMF_T_TOT-M.json",
        unit="$bn",
        frequency="monthly",
        lag=DayOfMonth(15),
        label_en="Money-market funds: Treasury holdings",
        label_zh="货币市场基金持有美国国债",
        endpoint="https://data.financialresearch.gov/v1/series/timeseries?mnemonic=MMF-MMF_T_TOT-M",
        variants=("debt/OFR_MMF_T_TOT_*.csv",),
        scale=1e-9,  # the API reports dollars
        used_by=("E05", "supply"),
    ),
    SeriesSpec(
        key="mmf_total",
        publisher="ofr",
        code="MMF-MMF_TOT-M",
        file="ofr/MMF-MMF_TOT-M.json",
        unit="$bn",
        frequency="monthly",
        lag=DayOfMonth(15),
        label_en="Money-market funds: total investments",
        label_zh="货币市场基金总投资",
        endpoint="https://data.financialresearch.gov/v1/series/timeseries?mnemonic=MMF-MMF_TOT-M",
        variants=("debt/OFR_MMF_TOT_*.csv",),
        scale=1e-9,
        used_by=("E05", "supply"),
    ),
    SeriesSpec(
        key="mmf_treasury_repo",
        publisher="ofr",
        code="MMF-MMF_RP_T_TOT-M",
        file="ofr/MMF-MMF_RP_T_TOT-M.json",
        unit="$bn",
        frequency="monthly",
        lag=DayOfMonth(15),
        label_en="Money-market funds: repo backed by Treasury collateral",
        label_zh="货币市场基金以国债为抵押的回购",
        endpoint="https://data.financialresearch.gov/v1/series/timeseries?mnemonic=MMF-MMF_RP_T_TOT-M",
        variants=("debt/OFR_MMF_RP_T_TOT_*.csv",),
        scale=1e-9,  # the API reports dollars
        used_by=("ctx",),
    ),
    # --- foreign demand (E09, E10)
    SeriesSpec(
        key="foreign_holdings",
        publisher="tic",
        code="Grand Total",
        file="tic/mfhhis01.txt",
        unit="$bn",
        frequency="monthly",
        lag=TIC_LAG,
        label_en="Foreign holdings of Treasury securities",
        label_zh="外国投资者持有美国国债",
        endpoint="https://ticdata.treasury.gov/Publish/mfhhis01.txt",
        variants=("international/tic_mfhhis01.txt",),
        later_vintages=(("*/tic_mfhhis01.txt", "2026-03-18"),),
        used_by=("E09", "foreign"),
        notes="history as revised at the latest annual benchmark",
        expected_start=TIC_HOLDINGS_START,
    ),
    SeriesSpec(
        key="foreign_holdings_japan",
        publisher="tic",
        code="Japan",
        file="tic/mfhhis01.txt",
        unit="$bn",
        frequency="monthly",
        lag=TIC_LAG,
        label_en="Japan's holdings of Treasury securities",
        label_zh="日本持有美国国债",
        endpoint="https://ticdata.treasury.gov/Publish/mfhhis01.txt",
        variants=("international/tic_mfhhis01.txt",),
        later_vintages=(("*/tic_mfhhis01.txt", "2026-03-18"),),
        used_by=("E09",),
        expected_start=TIC_HOLDINGS_START,
    ),
    SeriesSpec(
        key="foreign_holdings_china",
        publisher="tic",
        code="China, Mainland",
        file="tic/mfhhis01.txt",
        unit="$bn",
        frequency="monthly",
        lag=TIC_LAG,
        label_en="China's holdings of Treasury securities",
        label_zh="中国大陆持有美国国债",
        endpoint="https://ticdata.treasury.gov/Publish/mfhhis01.txt",
        variants=("international/tic_mfhhis01.txt",),
        later_vintages=(("*/tic_mfhhis01.txt", "2026-03-18"),),
        used_by=("E09",),
        expected_start=TIC_HOLDINGS_START,
    ),
    SeriesSpec(
        key="tic_net_lt_purchases",
        publisher="tic",
        code="net_us_lt",
        file="tic/slt_table4.txt",
        unit="$bn",
        frequency="monthly",
        lag=TIC_LAG,
        label_en="Net foreign purchases of US long-term securities",
        label_zh="外国投资者净买入美国长期证券",
        endpoint="https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table4.txt",
        variants=(
            "international/tic_slt_table4_grandtotal_extract.txt",
            "international/tic_s1_globl_hist_grandtotal_extract.csv",
        ),
        later_vintages=TIC_FLOW_VINTAGES,
        scale=0.001,  # published in $mn
        used_by=("E10", "foreign"),
        bounds=FLOW_BOUNDS,
        notes="grand total; net = foreigners' purchases minus sales of US securities "
        "(SLT: for_lt_total_sale - for_lt_total_pur, US-resident wording)",
    ),
    SeriesSpec(
        key="tic_net_treasury_purchases",
        publisher="tic",
        code="net_us_treasury",
        file="tic/slt_table4.txt",
        unit="$bn",
        frequency="monthly",
        lag=TIC_LAG,
        label_en="Net foreign purchases of Treasury bonds and notes",
        label_zh="外国投资者净买入美国中长期国债",
        endpoint="https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table4.txt",
        variants=(
            "international/tic_slt_table4_grandtotal_extract.txt",
            "international/tic_s1_globl_hist_grandtotal_extract.csv",
        ),
        later_vintages=TIC_FLOW_VINTAGES,
        scale=0.001,
        used_by=("E10",),
        bounds=FLOW_BOUNDS,
    ),
    _fred(
        "foreign_holdings_quarterly",
        "FDHBFIN",
        "$bn",
        "quarterly",
        DaysAfterQuarter(80),
        "Federal debt held by foreign and international investors (Treasury Bulletin)",
        "外国及国际投资者持有的联邦债务（财政部公报）",
        ("international/fred_FDHBFIN.csv",),
        ("ctx",),
        notes="from the Treasury Bulletin's ownership table; an older vintage than TIC's revised history",
    ),
    SeriesSpec(
        key="z1_foreign_holdings",
        publisher="fed_board",
        code="foreigners_official",
        file="fed_board/z1_treasury_holdings.csv",
        unit="$bn",
        frequency="quarterly",
        lag=DaysAfterQuarter(70),
        label_en="Treasury securities held by the rest of the world (Fed Z.1)",
        label_zh="世界其他地区持有的美国国债（美联储Z.1）",
        endpoint="none: Z.1 Data Download Program https://www.federalreserve.gov/datadownload/ (no stable "
        "mapping to this panel)",
        variants=("debt/tsyparty_z1_treasury_holdings_by_sector.csv",),
        scale=0.001,  # the panel is in $mn
        used_by=("ctx",),
        live=False,
        notes="sector labelled foreigners_official by the harmonised panel, but its level matches TIC's "
        "total foreign holdings (all holders, not official only); annual (Dec-31) to 1951",
    ),
    # --- macro (growth, inflation, the Fed)
    # --- context series (FRED): kept for checks and the appendix, quoted by no exhibit
    _fred(
        "on_rrp",
        "RRPONTSYD",
        "$bn",
        "daily",
        BusinessDaysAfter(0),
        "Overnight reverse repurchase agreements (Fed)",
        "美联储隔夜逆回购规模",
        ("debt/FRED_RRPONTSYD.csv",),
        ("ctx",),
        bounds=Bounds(0.0, 5_000.0, max_move=1_000.0),  # from near zero to $2.5tn: no ratio bound
    ),
    _fred(
        "tga_weekly_avg",
        "WTREGEN",
        "$bn",
        "weekly",
        BusinessDaysAfter(1),
        "Treasury General Account, week average (H.4.1)",
        "财政部一般账户周均值（H.4.1）",
        ("debt/FRED_WTREGEN.csv",),
        ("ctx",),
        scale=0.001,
    ),
    _fred(
        "tga_wednesday",
        "WDTGAL",
        "$bn",
        "weekly",
        BusinessDaysAfter(1),
        "Treasury General Account, Wednesday level (H.4.1)",
        "财政部一般账户周三余额（H.4.1）",
        ("debt/FRED_WDTGAL_weekly.csv",),
        ("ctx",),
        scale=0.001,
    ),
    _fred(
        "federal_debt_total",
        "GFDEBTN",
        "$bn",
        "quarterly",
        DaysAfterQuarter(80),
        "Federal debt: total public debt",
        "联邦政府债务总额",
        ("debt/FRED_GFDEBTN.csv",),
        ("ctx",),
        scale=0.001,
    ),
    _fred(
        "mmf_total_assets_z1",
        "MMMFFAQ027S",
        "$bn",
        "quarterly",
        DaysAfterQuarter(75),
        "Money-market funds: total financial assets (Z.1)",
        "货币市场基金总金融资产（Z.1）",
        ("debt/FRED_MMMFFAQ027S.csv",),
        ("ctx",),
        scale=0.001,
    ),
    _fred(
        "federal_interest_saar",
        "A091RC1Q027SBEA",
        "$bn",
        "quarterly",
        DaysAfterQuarter(30),
        "Federal government interest payments (SAAR)",
        "联邦政府利息支出（季调年化）",
        ("debt/FRED_A091RC1Q027SBEA.csv",),
        ("ctx",),
    ),
    _fred(
        "federal_receipts_saar",
        "FGRECPT",
        "$bn",
        "quarterly",
        DaysAfterQuarter(30),
        "Federal government current receipts (SAAR)",
        "联邦政府经常性收入（季调年化）",
        ("debt/FRED_FGRECPT.csv",),
        ("ctx",),
    ),
    _fred(
        "fed_funds_effective",
        "DFF",
        "%",
        "daily",
        H15_LAG,
        "Effective federal funds rate (daily, incl. weekends)",
        "有效联邦基金利率",
        ("macro/DFF_2021_2026.csv", "macro/fred_daily_7day_*.csv"),
        ("ctx",),
    ),
    _fred(
        "effr",
        "EFFR",
        "%",
        "daily",
        H15_LAG,
        "Effective federal funds rate (business days)",
        "有效联邦基金利率（工作日）",
        ("macro/EFFR_jonsflow.csv", "macro/fred_cache_jonsflow_*.json"),
        ("ctx",),
    ),
    _fred(
        "fed_funds_monthly",
        "FEDFUNDS",
        "%",
        "monthly",
        BusinessDayOfMonth(1),
        "Effective federal funds rate, monthly average",
        "有效联邦基金利率月均值",
        ("macro/FEDFUNDS_jonsflow.csv", "macro/fred_cache_jonsflow_*.json"),
        ("ctx",),
        bounds=MONTHLY_RATE_BOUNDS,
    ),
    _fred(
        "gdp_growth",
        "A191RL1Q225SBEA",
        "%",
        "quarterly",
        GDP_LAG,
        "Real GDP growth (q/q, SAAR)",
        "实际GDP环比折年率",
        ("macro/gdp_contrib_2024Q4_release_vintages.csv", "macro/A191RL1Q225SBEA.csv"),
        ("macro",),
        notes="release vintages (ALFRED or the vintage table) are used where present",
        later_vintages=(("*/A191RL1Q225SBEA.csv", "2026-06-22"),),
        bounds=Bounds(-40.0, 50.0),  # q/q SAAR: -28 % in 2020Q2, +35 % in 2020Q3
    ),
    SeriesSpec(
        key="gdp_contrib_inventories",
        publisher="bea",
        code="A014RY",
        file="bea/T10102.json",
        unit="pp",
        frequency="quarterly",
        lag=GDP_LAG,
        label_en="Contribution of inventories to real GDP growth",
        label_zh="库存投资对GDP增长的拉动",
        endpoint="https://apps.bea.gov/api/data?method=GetData&datasetname=NIPA&TableName=T10102&Frequency=Q",
        variants=("macro/gdp_contrib_2024Q4_release_vintages.csv", "macro/gdp_contributions_ela113arm.csv"),
        used_by=("macro",),
        later_vintages=(("*/gdp_contributions_ela113arm.csv", "2026-05-28"),),
        bounds=CONTRIBUTION_BOUNDS,
    ),
    SeriesSpec(
        key="gdp_contrib_equipment",
        publisher="bea",
        code="Y033RY",
        file="bea/T10102.json",
        unit="pp",
        frequency="quarterly",
        lag=GDP_LAG,
        label_en="Contribution of equipment investment to real GDP growth",
        label_zh="设备投资对GDP增长的拉动",
        endpoint="https://apps.bea.gov/api/data?method=GetData&datasetname=NIPA&TableName=T10102&Frequency=Q",
        variants=("macro/gdp_contrib_2024Q4_release_vintages.csv",),
        used_by=("macro",),
        notes="the shared data hold equipment for 2024Q4 only (release-vintage table)",
        freshness_days=400,
        bounds=CONTRIBUTION_BOUNDS,
    ),
    SeriesSpec(
        key="federal_interest_payments",
        publisher="bea",
        code="A091RC line 33",
        file="bea/T30200.json",
        unit="$bn",
        frequency="quarterly",
        lag=DaysAfterQuarter(30),
        label_en="Federal government interest payments (NIPA Table 3.2, SAAR)",
        label_zh="联邦政府利息支出（NIPA表3.2，季调年率）",
        endpoint="https://apps.bea.gov/api/data?method=GetData&datasetname=NIPA&TableName=T30200&Frequency=Q",
        variants=("debt/BEA_NIPA_table_3_2_federal_govt_receipts_expenditures_quarterly.csv",),
        scale=1e-9,  # the API reports millions with UNIT_MULT 6; the adapter returns dollars
        used_by=("ctx",),
        notes="interest payments appear with the advance GDP estimate (receipts only later); "
        "same series as FRED A091RC1Q027SBEA",
    ),
    _fred(
        "cpi",
        "CPIAUCSL",
        "index",
        "monthly",
        CPI_LAG,
        "Consumer price index, all items",
        "CPI",
        ("macro/CPIAUCSL_jonsflow.csv", "macro/fred_cache_jonsflow_*.json"),
        ("macro",),
        later_vintages=(("*/CPIAUCSL_jonsflow.csv", "2026-05-12"), FRED_CACHE_VINTAGE),
    ),
    _fred(
        "core_cpi",
        "CPILFESL",
        "index",
        "monthly",
        CPI_LAG,
        "Consumer price index less food and energy",
        "核心CPI",
        ("macro/CPILFESL_jonsflow.csv", "macro/fred_cache_jonsflow_*.json"),
        ("macro",),
        later_vintages=(("*/CPILFESL_jonsflow.csv", "2026-05-12"), FRED_CACHE_VINTAGE),
    ),
    _fred(
        "core_pce",
        "PCEPILFE",
        "index",
        "monthly",
        PCE_LAG,
        "PCE price index less food and energy",
        "核心PCE价格指数",
        ("macro/PCEPILFE_jonsflow.csv", "macro/fred_cache_jonsflow_*.json"),
        ("macro",),
        later_vintages=(("*/PCEPILFE_jonsflow.csv", "2026-05-28"), FRED_CACHE_VINTAGE),
    ),
    _fred(
        "fed_target_upper",
        "DFEDTARU",
        "%",
        "daily",
        BusinessDaysAfter(0),
        "Federal funds target range, upper limit",
        "联邦基金目标利率上限",
        ("macro/DFEDTARU_jonsflow.csv", "macro/fred_daily_7day_*.csv", "macro/fred_cache_jonsflow_*.json"),
        ("macro",),
        freshness_days=10,
    ),
    _fred(
        "fed_target_lower",
        "DFEDTARL",
        "%",
        "daily",
        BusinessDaysAfter(0),
        "Federal funds target range, lower limit",
        "联邦基金目标利率下限",
        ("macro/DFEDTARL_jonsflow.csv", "macro/fred_daily_7day_*.csv", "macro/fred_cache_jonsflow_*.json"),
        ("macro",),
        freshness_days=10,
    ),
    SeriesSpec(
        key="fomc_decisions",
        publisher="fed_board",
        code="decision_date",
        file="fed_board/fomc_calendar.csv",
        unit="count",
        frequency="event",
        lag=BusinessDaysAfter(0),
        label_en="FOMC policy decisions (one per decision day)",
        label_zh="联邦公开市场委员会（FOMC）议息决议日",
        endpoint="none: HTML only, https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm",
        variants=("macro/fomc_dates_2015_2026.csv", "macro/fomc_dates_2021_2025.csv"),
        used_by=("macro", "ctx"),
        live=False,
        freshness_days=120,  # eight meetings a year: four months without a decision means the file is old
        notes="value 1.0 on each decision day, scheduled and unscheduled (2020-03-03, 2020-03-15); the "
        "calendar lists scheduled meetings ahead, each counted from its own day",
    ),
)

CATALOGUE: dict[str, SeriesSpec] = {spec.key: spec for spec in SERIES}


def series_spec(key: str) -> SeriesSpec:
    """Return the catalogue entry for ``key``; an unknown key is a programming error with the known keys."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"unknown series {key!r}; known: {', '.join(sorted(CATALOGUE))}") from None


def specs_by_file(specs: tuple[SeriesSpec, ...] = SERIES) -> dict[str, list[SeriesSpec]]:
    """Group series by canonical file: one download or one demo file serves them all."""
    grouped: dict[str, list[SeriesSpec]] = {}
    for spec in specs:
        grouped.setdefault(spec.file, []).append(spec)
    return grouped


assert len(CATALOGUE) == len(SERIES), "duplicate series key in the catalogue"
