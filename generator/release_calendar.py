"""The publishers' actual release dates where they left their usual schedule (facts, not data values).

The lag rules of :mod:`generator.publication` follow each publisher's usual schedule. Releases move:
the federal shutdown of 1 October – 12 November 2025 and the short lapse of early February 2026
delayed BLS's CPI and BEA's Personal Income and Outlays and GDP by days to months. This table holds the
release day of each period whose actual date we found with a citable source; a lag rule built with
:func:`calendar_rule` takes the date from here where the table has the period and from its usual rule
elsewhere.

Every row names its source; each constant is named after the site it points to. Rows on bls.gov,
bea.gov or FRASER are the publisher's own notice; the others are news or calendar pages that quote
the release day (found without web access to the publishers' own schedule pages): replace them with
the bls.gov / bea.gov schedule when it can be checked. A period whose release date no source
confirmed is NOT in the table (its rule stays; the gaps are listed in ``GAPS``), so nothing here is
typed from memory. Periods that were never published (October 2025 CPI: BLS could not collect the
prices) are not in the table either: no data file holds a value for them.

The regular releases of December 2020 to August 2025 (CPI and Personal Income and Outlays monthly,
the advance GDP estimate quarterly) are in ``release_dates.csv`` beside this module, one row per
period with the page that states its day: BLS and BEA releases (some as archived on FRASER or
webharvest.gov), a year's schedule grid (usinflation.org for 2023's CPI) or a news report of that
release. Without them, rules at the early end of each schedule dated some releases before they
happened (January and February 2023 CPI, published on 14 February and 14 March, would have counted
from the 10th), so a note could quote a number that was not yet out; the periods the table lacks
therefore take the late end of the schedule (catalogue ``CPI_LAG``, ``PCE_LAG``). The same file
holds the Treasury's TIC release of 36 data months of 2021–2025 (a Treasury press release, often as
archived on FRASER, its announced schedule or a news report; where two sources differ, the later day);
TIC's rule for the other months takes the late end of its schedule instead. The shutdown held back
August 2025's TIC data, due mid-October, until 18 November 2025, when Treasury published August and
September together (Reuters' report of that day; the usual rule had dated August 19 October).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Release:
    """One release: the ``period`` of a ``family`` of series first published on ``released``."""

    family: str  #: "cpi" (BLS CPI), "pce" (BEA Personal Income and Outlays), "gdp" (BEA first GDP estimate)
    period: str  #: "2025-09" for a month, "2025Q3" for a quarter
    released: date
    source_url: str


BLS_SEPTEMBER_2025_NOTICE = "https://www.bls.gov/bls/092025-cpi-reschedule-notice.htm"
NEWSMAX_NOVEMBER_2025_CPI = (
    "https://www.newsmax.com/finance/streettalk/october-inflation-report/2025/11/21/id/1235530/"
)
DEVDISCOURSE_DECEMBER_2025_CPI = (
    "https://www.devdiscourse.com/article/headlines/3725220-bls-set-to-resume-economic-reports-after-shutdown"
)
BLS_JANUARY_2026_CPI = "https://www.bls.gov/news.release/cpi.nr0.htm"
BRIEFING_FEBRUARY_2026_CPI = "https://www.briefing.com/calendars/economic/display-article?ArticleId=ER20260311083000CPI&FileName=cpi.htm"
NDTVPROFIT_SEPTEMBER_2025_PCE = (
    "https://www.ndtvprofit.com/economy-finance/"
    "us-cancels-release-of-q3-gdp-advance-estimates-data-following-government-shutdown"
)
BACKENDWCS_OCTOBER_NOVEMBER_2025_PCE = "https://backendwcs.com/news/5737"
BEA_FEBRUARY_20_2026 = "https://www.bea.gov/?page=0"
FINANZNACHRICHTEN_JANUARY_2026_PCE = (
    "https://www.finanznachrichten.de/nachrichten-2026-03/"
    "67938841-u-s-pce-price-index-increases-in-line-with-estimates-in-january-020.htm"
)
BEA_MARCH_2026_PCE = "https://www.bea.gov/news/2026/personal-income-and-outlays-march-2026"
FRASER_APRIL_2026_PCE = (
    "https://fraser.stlouisfed.org/title/united-states-department-commerce-news-6148/"
    "personal-income-outlays-april-2026-729037/content/fulltext/bea_newsrelease_20260528b"
)
#: the CSV copy's last commit, of 2026-05-12, holds April 2026: that CPI was out by then (PROVENANCE.md)
JONSFLOW_CPI_COMMIT = "https://github.com/jonsflow/risk-model/commit/f8498083b57b1259fa929236d4ea266d72b475af"
#: the FRED client's cache fetched on 2026-08-21 (../shared/data/macro/fred_cache_jonsflow_20260821.json):
#: its ``observed_at`` is the day FRED posted each series' newest value, the release day (PROVENANCE.md)
FRED_CACHE_OBSERVED_AT = "https://fred.stlouisfed.org/series/CPIAUCSL (observed_at, FRED cache 2026-08-21)"
FRED_CACHE_OBSERVED_AT_PCE = (
    "https://fred.stlouisfed.org/series/PCEPILFE (observed_at, FRED cache 2026-08-21)"
)
LUMIDANEWS_2025Q3_INITIAL_GDP = (
    "https://lumidanews.com/shutdown-delayed-gdp-data-sets-up-a-late-december-macro-surprise-for-markets"
)
DIPLOMAN_2026Q1_ADVANCE_GDP = "https://diploman-ru.com/q1-gdp-come"

RELEASES: tuple[Release, ...] = (
    # BLS CPI: September 2025 brought forward for Social Security; October 2025 never published
    Release("cpi", "2025-09", date(2025, 10, 24), BLS_SEPTEMBER_2025_NOTICE),
    Release("cpi", "2025-11", date(2025, 12, 18), NEWSMAX_NOVEMBER_2025_CPI),
    Release("cpi", "2025-12", date(2026, 1, 13), DEVDISCOURSE_DECEMBER_2025_CPI),
    Release("cpi", "2026-01", date(2026, 2, 13), BLS_JANUARY_2026_CPI),
    Release("cpi", "2026-02", date(2026, 3, 11), BRIEFING_FEBRUARY_2026_CPI),
    Release("cpi", "2026-04", date(2026, 5, 12), JONSFLOW_CPI_COMMIT),  # the latest it can have been
    Release("cpi", "2026-07", date(2026, 8, 12), FRED_CACHE_OBSERVED_AT),
    # BEA Personal Income and Outlays (PCE price index): October and November 2025 in one report
    Release("pce", "2025-09", date(2025, 12, 5), NDTVPROFIT_SEPTEMBER_2025_PCE),
    Release("pce", "2025-10", date(2026, 1, 22), BACKENDWCS_OCTOBER_NOVEMBER_2025_PCE),
    Release("pce", "2025-11", date(2026, 1, 22), BACKENDWCS_OCTOBER_NOVEMBER_2025_PCE),
    Release("pce", "2025-12", date(2026, 2, 20), BEA_FEBRUARY_20_2026),
    Release("pce", "2026-01", date(2026, 3, 13), FINANZNACHRICHTEN_JANUARY_2026_PCE),
    Release("pce", "2026-03", date(2026, 4, 30), BEA_MARCH_2026_PCE),
    # February 2026 came out in April 2026 on a day no source gave: dated with March's report, the latest
    # it can have been (the usual rule's end of March would count it before it was out)
    Release("pce", "2026-02", date(2026, 4, 30), BEA_MARCH_2026_PCE),
    Release("pce", "2026-04", date(2026, 5, 28), FRASER_APRIL_2026_PCE),
    Release("pce", "2026-06", date(2026, 7, 30), FRED_CACHE_OBSERVED_AT_PCE),
    # BEA GDP, first estimate of the quarter (2025Q3: the advance estimate was cancelled; "initial")
    Release("gdp", "2025Q3", date(2025, 12, 23), LUMIDANEWS_2025Q3_INITIAL_GDP),
    Release("gdp", "2025Q4", date(2026, 2, 20), BEA_FEBRUARY_20_2026),
    Release("gdp", "2026Q1", date(2026, 4, 30), DIPLOMAN_2026Q1_ADVANCE_GDP),
)

REGULAR_RELEASES_FILE = Path(__file__).with_name("release_dates.csv")


def regular_releases(path: Path = REGULAR_RELEASES_FILE) -> tuple[Release, ...]:
    """Return the rows of ``release_dates.csv`` (family, period, released, source_url; ``#`` comments)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            Release(row["family"], row["period"], date.fromisoformat(row["released"]), row["source_url"])
            for row in rows
        )


RELEASES += regular_releases()

#: periods inside the disrupted stretch whose actual release date no source confirmed: the rule applies
GAPS: tuple[str, ...] = (
    "pce 2026-02 (BEA Personal Income and Outlays, February 2026: released in April 2026, day not found;"
    " dated 30 April, the day of March's report)",
    "cpi 2026-03, 2026-05, 2026-06 and after 2026-07, pce 2026-05 and after 2026-06 (days not checked:"
    " the rules take the late end of the schedule, CPI the 15th and PCE the month's last day)",
    "tic (Treasury International Capital) 2026-01: release date not found",
)


def release_dates(family: str) -> tuple[tuple[str, date], ...]:
    """Return (period, release day) of every release of ``family`` in the table, oldest first."""
    rows = sorted((row.period, row.released) for row in RELEASES if row.family == family)
    if not rows:
        raise KeyError(f"no release calendar for {family!r}")
    return tuple(rows)
