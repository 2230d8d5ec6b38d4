"""The embedded demo data: a deterministic synthetic market, written in each publisher's own format.

Every series of the catalogue is generated from one small model of a market, so that the figures a demo
note quotes are consistent with each other:

- policy rates: the Fed's target range (25 bp steps at eight FOMC-like meetings a year, faster cuts
  between meetings in a crisis), the euro overnight rate and the Bank of Japan's call rate, each stepping
  towards a stylised path of the last decades;
- the Treasury curve: bills track the expected policy rate, the 10-year is a mean-reverting expectations
  component plus the ACM-style term premium, the tenors in between are interpolated with their own noise;
  spreads are exact differences of the rounded yields, the par 10-year equals the CMT 10-year;
- debt: MSPD classes whose total grows from about $3tn to $30tn+ with bulges of bills in 2008-09 and 2020,
  the average maturity, the TGA, the average rate (a maturity-weighted memory of past yields) and the
  interest expense that follows from it; money-market funds, TIC holdings and flows;
- Japan, the euro area and FX, and macro series (price indices, GDP growth and two contributions).

A catalogue entry the model does not know (context series added later) gets a generic model by its code
(another tenor of a known curve, FX, the fed funds rate) or else by unit and frequency (a positive random
walk); the keys that used the generic model are logged.

The numbers are synthetic: nothing here is, or is derived from, real data. They are written through the
adapters' ``encode`` functions (see :mod:`generator.sources`), so the parsers that read live data read the
demo data too. Values are in each file's canonical units (the catalogue ``unit`` divided by ``scale``).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from generator.atomic import write_atomic, write_text_atomic
from generator.catalogue import SERIES, SeriesSpec, specs_by_file
from generator.publication import US_HOLIDAYS
from generator.sources import formats, publisher_module

log = logging.getLogger(__name__)

DEMO_SEED = 20250207
DEMO_START = date(1990, 1, 1)
DEMO_END = date(2027, 12, 31)
STAMP_FILE = ".demo-version"
README_FILE = "README.txt"

Anchors = tuple[tuple[str, float], ...]

# --- calendars ------------------------------------------------------------------------------------------
TARGET_CLOSED = ((1, 1), (5, 1), (12, 25), (12, 26))  # TARGET2 closing days (Easter left out)
TOKYO_CLOSED = ((1, 1), (1, 2), (1, 3), (12, 31))  # Japanese bank holidays at the year's turn
FOMC_DAYS = ((1, 31), (3, 20), (5, 3), (6, 15), (7, 28), (9, 20), (11, 2), (12, 14))
ECB_DAYS = ((1, 25), (3, 8), (4, 19), (6, 7), (7, 19), (9, 13), (10, 26), (12, 14))
BOJ_DAYS = ((1, 23), (3, 15), (4, 30), (6, 16), (7, 30), (9, 20), (10, 31), (12, 19))
MONTH_START_PUBLISHERS = ("fred", "ecb", "bea", "bundesbank", "mof_japan")

# --- stylised paths (linear between anchors, flat outside) ----------------------------------------------
FED_UPPER: Anchors = (
    ("1990-01-01", 5.50), ("1990-07-01", 5.50), ("1992-09-01", 3.25), ("1994-01-15", 3.25),
    ("1995-02-01", 5.50), ("1998-09-01", 5.50), ("1998-11-20", 4.75), ("1999-06-01", 5.00),
    ("2000-05-20", 5.50), ("2001-01-01", 5.50), ("2001-12-15", 1.75), ("2003-06-30", 1.25),
    ("2004-06-01", 1.25), ("2006-06-30", 5.25), ("2007-08-15", 5.25), ("2008-04-30", 2.25),
    ("2008-10-01", 1.75), ("2008-12-10", 0.25), ("2015-11-30", 0.25), ("2016-12-20", 0.75),
    ("2018-12-20", 2.50), ("2019-06-30", 2.50), ("2019-10-31", 1.75), ("2020-02-20", 1.75),
    ("2020-03-10", 0.25), ("2022-03-01", 0.25), ("2022-12-20", 4.50), ("2023-07-30", 5.50),
    ("2024-08-31", 5.50), ("2024-12-20", 4.50), ("2025-08-31", 4.50), ("2025-12-20", 3.75),
    ("2026-06-30", 3.50), ("2027-12-31", 3.50),
)  # fmt: skip
NEUTRAL_10Y: Anchors = (
    ("1990-01-01", 5.2), ("1994-11-01", 5.6), ("1998-10-01", 3.9), ("2000-01-01", 4.4),
    ("2003-06-01", 3.0), ("2006-06-01", 4.0), ("2008-12-01", 2.6), ("2010-04-01", 3.0),
    ("2012-07-01", 2.5), ("2013-12-01", 2.9), ("2016-07-01", 2.4), ("2018-11-01", 2.8),
    ("2020-03-01", 1.6), ("2021-06-01", 1.9), ("2022-10-01", 3.4), ("2023-10-01", 3.5),
    ("2024-09-01", 3.1), ("2025-06-01", 3.2), ("2027-12-31", 3.1),
)  # fmt: skip
TERM_PREMIUM_10Y: Anchors = (
    ("1990-01-01", 2.4), ("1994-11-01", 2.6), ("1997-01-01", 1.6), ("1998-10-01", 1.1),
    ("2000-01-01", 1.6), ("2001-06-01", 1.4), ("2003-06-01", 1.8), ("2004-06-01", 1.5),
    ("2005-06-01", 0.9), ("2006-06-01", 0.7), ("2007-06-01", 0.5), ("2008-12-01", 1.5),
    ("2010-04-01", 1.2), ("2011-09-01", 0.6), ("2012-07-01", 0.0), ("2013-09-01", 0.45),
    ("2014-12-01", 0.1), ("2016-07-01", -0.35), ("2017-03-01", 0.1), ("2018-11-01", 0.25),
    ("2019-08-01", -0.8), ("2020-03-01", -0.8), ("2020-12-01", -0.6), ("2021-12-01", -0.3),
    ("2022-10-01", 0.5), ("2023-10-01", 0.9), ("2024-04-01", 0.4), ("2025-01-15", 0.8),
    ("2025-06-01", 0.8), ("2027-12-31", 1.0),
)  # fmt: skip
EURO_OVERNIGHT: Anchors = (
    ("1990-01-01", 7.5), ("1992-09-01", 9.0), ("1994-01-01", 6.0), ("1996-01-01", 3.8),
    ("1999-04-15", 2.5), ("2000-10-15", 4.75), ("2001-12-01", 3.25), ("2003-06-15", 2.0),
    ("2005-12-01", 2.0), ("2007-07-01", 4.0), ("2008-10-01", 4.25), ("2009-05-15", 0.5),
    ("2011-07-15", 1.0), ("2012-07-15", 0.1), ("2014-09-15", -0.1), ("2016-03-15", -0.35),
    ("2019-09-20", -0.45), ("2022-07-20", -0.45), ("2023-09-20", 3.9), ("2024-06-01", 3.9),
    ("2025-06-15", 1.95), ("2027-12-31", 1.95),
)  # fmt: skip
EURIBOR_SPREAD: Anchors = (
    ("1990-01-01", 0.12), ("2007-07-15", 0.12), ("2007-09-01", 0.55), ("2008-10-15", 0.95),
    ("2009-06-01", 0.35), ("2011-12-01", 0.45), ("2013-06-01", 0.12), ("2016-01-01", 0.05),
    ("2027-12-31", 0.08),
)  # fmt: skip
BUND_LEVEL: Anchors = (
    ("1990-01-01", 5.0), ("1994-01-01", 4.5), ("1996-01-01", 4.5), ("1999-01-01", 2.8),
    ("2000-06-01", 3.7), ("2003-06-01", 3.0), ("2005-09-01", 2.4), ("2007-07-01", 3.2),
    ("2008-12-01", 2.6), ("2010-08-01", 2.1), ("2012-07-01", 1.3), ("2014-12-01", 0.6),
    ("2016-07-01", 0.0), ("2018-02-01", 0.8), ("2019-08-01", -0.45), ("2020-12-01", -0.45),
    ("2021-12-01", -0.2), ("2022-10-01", 1.0), ("2023-10-01", 1.4), ("2024-06-01", 0.9),
    ("2025-06-01", 1.5), ("2027-12-31", 1.6),
)  # fmt: skip
BOJ_CALL: Anchors = (
    ("1990-01-01", 6.5), ("1991-07-01", 7.0), ("1993-09-01", 2.5), ("1995-09-01", 0.5),
    ("1998-09-01", 0.25), ("1999-02-15", 0.05), ("2000-08-15", 0.25), ("2001-03-01", 0.0),
    ("2006-07-01", 0.0), ("2006-07-20", 0.25), ("2007-02-20", 0.5), ("2008-10-01", 0.5),
    ("2008-12-20", 0.1), ("2016-01-20", 0.1), ("2016-02-15", -0.05), ("2024-03-01", -0.05),
    ("2024-03-25", 0.05), ("2024-07-31", 0.25), ("2025-01-24", 0.5), ("2025-12-19", 0.75),
    ("2026-12-31", 1.0), ("2027-12-31", 1.0),
)  # fmt: skip
JGB_LEVEL: Anchors = (
    ("1990-01-01", 3.5), ("1990-09-01", 4.0), ("1994-01-01", 3.0), ("1997-01-01", 2.0),
    ("1998-10-01", 0.75), ("1999-06-01", 1.6), ("2003-06-01", 0.5), ("2004-06-01", 1.5),
    ("2006-06-01", 1.7), ("2008-06-01", 1.4), ("2010-06-01", 1.1), ("2013-04-01", 0.55),
    ("2014-06-01", 0.5), ("2016-07-01", -0.2), ("2016-11-01", 0.0), ("2018-06-01", 0.05),
    ("2019-08-01", -0.25), ("2020-06-01", 0.0), ("2021-06-01", 0.07), ("2022-12-01", 0.35),
    ("2023-10-01", 0.8), ("2024-06-01", 0.95), ("2025-01-15", 1.05), ("2025-06-01", 1.2),
    ("2026-06-01", 1.35), ("2027-12-31", 1.45),
)  # fmt: skip
EURUSD: Anchors = (
    ("1990-01-01", 1.25), ("1995-04-01", 1.38), ("1999-01-01", 1.17), ("2000-10-15", 0.85),
    ("2002-06-01", 0.95), ("2004-12-15", 1.34), ("2008-07-15", 1.58), ("2008-11-15", 1.27),
    ("2011-05-01", 1.45), ("2015-03-15", 1.08), ("2018-02-01", 1.24), ("2022-09-20", 0.98),
    ("2023-07-15", 1.11), ("2025-01-10", 1.03), ("2025-07-01", 1.17), ("2027-12-31", 1.15),
)  # fmt: skip
USDJPY: Anchors = (
    ("1990-01-01", 145.0), ("1995-04-15", 84.0), ("1998-08-15", 145.0), ("2000-01-01", 105.0),
    ("2002-02-01", 133.0), ("2005-01-01", 104.0), ("2007-06-20", 123.0), ("2011-10-30", 77.0),
    ("2015-06-05", 124.0), ("2016-08-15", 101.0), ("2018-06-01", 110.0), ("2020-12-31", 103.0),
    ("2022-10-20", 150.0), ("2023-01-15", 128.0), ("2024-07-10", 161.0), ("2024-09-15", 141.0),
    ("2025-01-10", 157.0), ("2025-04-20", 143.0), ("2027-12-31", 148.0),
)  # fmt: skip

# debt ($bn, log-linear), shares of marketable debt
MARKETABLE_TOTAL: Anchors = (
    ("2001-01-31", 2950), ("2001-12-31", 2980), ("2003-12-31", 3580), ("2005-12-31", 4170),
    ("2007-06-30", 4380), ("2007-12-31", 4520), ("2008-06-30", 4760), ("2008-12-31", 5760),
    ("2009-12-31", 7270), ("2010-12-31", 8850), ("2011-12-31", 9930), ("2012-12-31", 11040),
    ("2014-12-31", 12510), ("2016-12-31", 14170), ("2018-12-31", 15960), ("2019-06-30", 16270),
    ("2019-12-31", 16990), ("2020-06-30", 20280), ("2020-12-31", 21020), ("2021-12-31", 22600),
    ("2022-12-31", 23900), ("2023-05-31", 24200), ("2023-12-31", 26700), ("2024-12-31", 28600),
    ("2025-06-30", 28800), ("2025-12-31", 30400), ("2027-12-31", 33700),
)  # fmt: skip
BILLS_SHARE: Anchors = (
    ("2001-01-31", 0.26), ("2006-06-30", 0.21), ("2008-06-30", 0.215), ("2008-12-31", 0.36),
    ("2009-12-31", 0.25), ("2012-06-30", 0.16), ("2015-06-30", 0.145), ("2019-06-30", 0.145),
    ("2019-12-31", 0.16), ("2020-06-30", 0.285), ("2020-12-31", 0.245), ("2021-12-31", 0.165),
    ("2022-12-31", 0.17), ("2023-05-31", 0.165), ("2023-12-31", 0.215), ("2024-12-31", 0.222),
    ("2025-05-31", 0.21), ("2025-12-31", 0.222), ("2027-12-31", 0.225),
)  # fmt: skip
BONDS_SHARE: Anchors = (
    ("2001-01-31", 0.20), ("2006-06-30", 0.13), ("2008-12-31", 0.10), ("2012-06-30", 0.10),
    ("2016-06-30", 0.12), ("2019-06-30", 0.14), ("2021-06-30", 0.14), ("2023-06-30", 0.16),
    ("2025-06-30", 0.17), ("2027-12-31", 0.175),
)  # fmt: skip
TIPS_SHARE: Anchors = (
    ("2001-01-31", 0.045), ("2006-06-30", 0.09), ("2008-06-30", 0.11), ("2008-12-31", 0.095),
    ("2012-06-30", 0.08), ("2016-06-30", 0.09), ("2019-12-31", 0.09), ("2020-06-30", 0.075),
    ("2022-06-30", 0.08), ("2025-06-30", 0.07), ("2027-12-31", 0.07),
)  # fmt: skip
FRN_SHARE: Anchors = (
    ("2014-01-31", 0.003), ("2015-01-31", 0.016), ("2019-06-30", 0.025), ("2021-06-30", 0.027),
    ("2023-06-30", 0.02), ("2027-12-31", 0.021),
)  # fmt: skip
TGA_LEVEL: Anchors = (
    ("2005-10-01", 45), ("2008-08-31", 60), ("2008-11-15", 480), ("2009-06-30", 120),
    ("2012-06-30", 85), ("2015-10-31", 60), ("2015-12-31", 330), ("2019-06-30", 300),
    ("2019-08-15", 160), ("2019-12-31", 390), ("2020-06-30", 860), ("2021-03-31", 840),
    ("2021-07-31", 420), ("2021-10-15", 60), ("2021-12-31", 300), ("2022-06-30", 720),
    ("2023-01-31", 450), ("2023-06-01", 55), ("2023-09-30", 680), ("2024-06-30", 760),
    ("2025-02-28", 740), ("2025-07-15", 320), ("2025-10-15", 850), ("2027-12-31", 820),
)  # fmt: skip
INTRAGOV_DEBT: Anchors = (("2001-01-31", 2300), ("2010-05-31", 4500), ("2015-06-30", 5100),
                          ("2020-06-30", 5900), ("2025-06-30", 7300), ("2027-12-31", 7500))  # fmt: skip
INTRAGOV_RATE: Anchors = (("2001-01-31", 6.2), ("2010-05-31", 4.6), ("2015-06-30", 3.2),
                          ("2020-06-30", 2.5), ("2023-06-30", 2.6), ("2027-12-31", 3.1))  # fmt: skip
MMF_TOTAL: Anchors = (
    ("1990-01-31", 480), ("2000-12-31", 1850), ("2008-09-30", 3700), ("2009-12-31", 3200),
    ("2010-11-30", 2750), ("2012-12-31", 2650), ("2015-06-30", 2700), ("2016-10-31", 2750),
    ("2019-06-30", 3300), ("2019-12-31", 3600), ("2020-04-30", 4700), ("2020-12-31", 4350),
    ("2021-12-31", 4900), ("2022-12-31", 4850), ("2023-06-30", 5450), ("2023-12-31", 5900),
    ("2024-12-31", 6700), ("2025-06-30", 7000), ("2025-12-31", 7250), ("2027-12-31", 7450),
)  # fmt: skip
MMF_TREASURY_SHARE: Anchors = (
    ("2010-11-30", 0.21), ("2013-06-30", 0.22), ("2015-06-30", 0.22), ("2016-10-31", 0.30),
    ("2018-06-30", 0.27), ("2019-12-31", 0.29), ("2020-06-30", 0.45), ("2021-06-30", 0.34),
    ("2022-06-30", 0.23), ("2023-06-30", 0.28), ("2023-12-31", 0.40), ("2024-12-31", 0.42),
    ("2025-06-30", 0.40), ("2025-12-31", 0.43), ("2027-12-31", 0.42),
)  # fmt: skip
FOREIGN_TOTAL: Anchors = (
    ("1990-01-31", 420), ("1995-01-31", 700), ("2000-03-31", 1010), ("2002-06-30", 1100),
    ("2004-12-31", 1850), ("2007-12-31", 2350),
    ("2008-12-31", 3080), ("2010-12-31", 4440), ("2012-12-31", 5570), ("2014-12-31", 6150),
    ("2016-12-31", 6000), ("2018-12-31", 6270), ("2020-12-31", 7070), ("2021-12-31", 7740),
    ("2022-10-31", 7130), ("2023-12-31", 8050), ("2024-12-31", 8620), ("2025-12-31", 9200),
    ("2027-12-31", 9600),
)  # fmt: skip
MMF_REPO_SHARE: Anchors = (
    ("2010-11-30", 0.13), ("2014-12-31", 0.15), ("2016-10-31", 0.18), ("2019-06-30", 0.20),
    ("2021-03-31", 0.15), ("2021-12-31", 0.40), ("2022-12-31", 0.50), ("2023-06-30", 0.42),
    ("2023-12-31", 0.25), ("2024-12-31", 0.20), ("2025-12-31", 0.18), ("2027-12-31", 0.18),
)  # fmt: skip
ON_RRP: Anchors = (
    ("2013-09-23", 10), ("2014-06-30", 150), ("2015-12-31", 300), ("2016-06-30", 150),
    ("2017-12-31", 100), ("2018-12-31", 5), ("2021-03-15", 2), ("2021-06-30", 800),
    ("2021-12-31", 1600), ("2022-06-30", 2200), ("2022-12-31", 2300), ("2023-06-30", 2000),
    ("2023-12-31", 700), ("2024-06-30", 430), ("2024-12-31", 150), ("2025-06-30", 200),
    ("2025-09-30", 20), ("2027-12-31", 15),
)  # fmt: skip
OTHER_NONMARKETABLE: Anchors = (("2001-01-31", 250), ("2010-06-30", 500), ("2027-12-31", 500))
PUBLIC_DEBT_EARLY: Anchors = (("1990-01-01", 2950), ("1995-01-01", 4800), ("2000-01-01", 5700))
FEDERAL_INTEREST_EARLY: Anchors = (("1990-01-01", 180), ("1995-01-01", 240), ("2000-01-01", 285))
FEDERAL_RECEIPTS: Anchors = (
    ("1990-01-01", 750), ("2000-07-01", 1620), ("2002-07-01", 1480), ("2007-07-01", 2650),
    ("2009-04-01", 2150), ("2012-01-01", 2600), ("2015-01-01", 3250), ("2018-01-01", 3400),
    ("2019-10-01", 3600), ("2020-04-01", 3300), ("2021-10-01", 4300), ("2022-07-01", 4950),
    ("2023-07-01", 4700), ("2025-01-01", 5300), ("2027-10-01", 5900),
)  # fmt: skip
FOREIGN_JAPAN: Anchors = (
    ("2000-03-31", 310), ("2004-12-31", 690), ("2008-12-31", 630), ("2011-12-31", 1060),
    ("2014-12-31", 1240), ("2019-12-31", 1160), ("2021-12-31", 1300), ("2023-12-31", 1140),
    ("2025-12-31", 1200), ("2027-12-31", 1180),
)  # fmt: skip
FOREIGN_CHINA: Anchors = (
    ("2000-03-31", 70), ("2004-12-31", 220), ("2008-12-31", 730), ("2011-12-31", 1150),
    ("2013-11-30", 1320), ("2016-12-31", 1060), ("2018-12-31", 1120), ("2021-12-31", 1040),
    ("2023-12-31", 820), ("2025-12-31", 690), ("2027-12-31", 650),
)  # fmt: skip
TIC_FLOW_MEAN: Anchors = (
    ("1990-01-31", 5), ("1995-01-31", 20), ("2000-01-31", 35), ("2004-01-31", 75),
    ("2007-06-30", 90), ("2008-12-31", 10), ("2010-06-30", 50), ("2013-06-30", 10),
    ("2016-06-30", 5), ("2019-06-30", 30), ("2021-06-30", 60), ("2024-06-30", 90),
    ("2027-12-31", 70),
)  # fmt: skip
TIC_FLOW_SD: Anchors = (("1990-01-31", 10), ("2000-01-31", 25), ("2008-06-30", 45), ("2024-06-30", 55))
CPI_YOY: Anchors = (
    ("1990-01-01", 5.2), ("1990-10-01", 6.2), ("1991-12-01", 3.0), ("1995-01-01", 2.8),
    ("1998-06-01", 1.6), ("2000-06-01", 3.5), ("2002-06-01", 1.3), ("2005-09-01", 4.5),
    ("2007-06-01", 2.6), ("2008-07-01", 5.4), ("2009-07-01", -1.2), ("2011-09-01", 3.8),
    ("2013-06-01", 1.5), ("2015-06-01", 0.3), ("2017-01-01", 2.4), ("2019-06-01", 1.7),
    ("2020-05-01", 0.4), ("2021-06-01", 5.2), ("2022-06-01", 8.9), ("2023-06-01", 3.0),
    ("2024-09-01", 2.4), ("2025-06-01", 2.7), ("2026-06-01", 2.8), ("2027-12-31", 2.4),
)  # fmt: skip
CORE_CPI_YOY: Anchors = (
    ("1990-01-01", 5.0), ("1991-12-01", 4.2), ("1994-01-01", 2.8), ("1998-01-01", 2.3),
    ("2002-01-01", 2.4), ("2004-01-01", 1.2), ("2006-09-01", 2.9), ("2008-09-01", 2.5),
    ("2010-10-01", 0.7), ("2012-04-01", 2.3), ("2015-01-01", 1.7), ("2018-07-01", 2.4),
    ("2020-06-01", 1.3), ("2021-06-01", 4.4), ("2022-09-01", 6.5), ("2023-06-01", 4.8),
    ("2024-06-01", 3.3), ("2025-06-01", 2.9), ("2027-12-31", 2.5),
)  # fmt: skip
CORE_PCE_YOY: Anchors = (
    ("1990-01-01", 4.0), ("1994-01-01", 2.3), ("1998-06-01", 1.4), ("2001-06-01", 1.9),
    ("2004-01-01", 1.5), ("2006-06-01", 2.3), ("2008-06-01", 2.2), ("2010-12-01", 1.0),
    ("2012-06-01", 1.9), ("2015-06-01", 1.3), ("2018-06-01", 2.0), ("2020-04-01", 0.9),
    ("2021-06-01", 3.6), ("2022-02-01", 5.3), ("2023-06-01", 4.2), ("2024-06-01", 2.7),
    ("2025-06-01", 2.8), ("2027-12-31", 2.3),
)  # fmt: skip
GDP_TREND: Anchors = (("1990-01-01", 2.6), ("1996-01-01", 3.6), ("2000-01-01", 3.2), ("2005-01-01", 2.6),
                      ("2010-01-01", 2.3), ("2020-01-01", 2.3), ("2027-12-31", 2.1))  # fmt: skip
GDP_EVENTS = {
    "1990Q4": -3.4, "1991Q1": -1.9, "2001Q1": -1.2, "2001Q3": -1.5, "2008Q1": -1.6, "2008Q3": -2.0,
    "2008Q4": -6.0, "2009Q1": -4.6, "2009Q2": -0.6, "2020Q1": -5.4, "2020Q2": -28.0, "2020Q3": 33.8,
    "2020Q4": 4.2, "2021Q1": 5.4, "2022Q1": -1.0, "2022Q2": -0.5, "2025Q1": -0.4,
}  # fmt: skip

# where a real series begins later than DEMO_START (or pauses), the demo does too
SERIES_STARTS = {
    "ust1m": "2001-07-31", "ust20y": "1993-10-01", "sofr": "2018-04-02", "estr": "2019-10-01",
    "eur3m_aaa": "2004-09-06", "eur3m_interbank": "1994-01-01", "bund10y": "1997-08-01",
    "bund10y_convergence": "1993-01-01", "tga": "2005-10-03", "interest_expense": "2010-05-31",
    "mmf_treasury": "2010-11-30", "mmf_total": "2010-11-30", "mmf_treasury_repo": "2010-11-30",
    "mspd_frn": "2014-01-31", "jpy3m_interbank": "2002-04-01", "foreign_holdings": "2000-03-31",
    "foreign_holdings_japan": "2000-03-31", "foreign_holdings_china": "2000-03-31",
    "on_rrp": "2013-09-23", "effr": "2000-07-03",
}  # fmt: skip
SERIES_GAPS = {"ust30y": ("2002-02-19", "2006-02-08")}
MSPD_CLASSES = ("bills", "notes", "bonds", "tips", "frn")
EURO_LAUNCH = "1999-01-04"  # euro exchange rates start here
CMT_TENORS = {
    "1m": 1 / 12,
    "3m": 0.25,
    "6m": 0.5,
    "1y": 1,
    "2y": 2,
    "5y": 5,
    "7y": 7,
    "10y": 10,
    "20y": 20,
    "30y": 30,
}


# --- building blocks ------------------------------------------------------------------------------------
def _rng(seed: int, name: str) -> np.random.Generator:
    """Return a generator for one model component: stable when other components are added."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _path(dates: pd.DatetimeIndex, anchors: Anchors) -> np.ndarray:
    """Return the anchors linearly interpolated on ``dates`` (flat before the first and after the last)."""
    x = pd.DatetimeIndex([pd.Timestamp(day) for day, _ in anchors]).asi8.astype(float)
    y = np.array([value for _, value in anchors], dtype=float)
    return np.interp(dates.asi8.astype(float), x, y)


def _log_path(dates: pd.DatetimeIndex, anchors: Anchors) -> np.ndarray:
    """Return the anchors interpolated log-linearly (constant growth between anchors)."""
    return np.exp(_path(dates, tuple((day, float(np.log(value))) for day, value in anchors)))


def _ou(rng: np.random.Generator, n: int, step_sd: float, half_life: float) -> np.ndarray:
    """Return a mean-reverting AR(1) path starting at 0: shocks of ``step_sd``, half-life in steps."""
    phi = 0.5 ** (1.0 / half_life)
    shocks = rng.normal(0.0, step_sd, n)
    out = np.empty(n)
    level = 0.0
    for i in range(n):
        level = phi * level + shocks[i]
        out[i] = level
    return out


def _forward_mean(values: np.ndarray, horizon: int) -> np.ndarray:
    """Return the mean of ``values`` over the next ``horizon`` steps (perfect foresight, last value held)."""
    padded = np.concatenate([values, np.full(horizon, values[-1])])
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    return (cumulative[horizon : horizon + len(values)] - cumulative[: len(values)]) / horizon


def _soft_floor(values: np.ndarray, floor: float, width: float) -> np.ndarray:
    """Return ``values`` bent smoothly so that they stay above ``floor`` (unchanged well above it)."""
    return floor + width * np.logaddexp(0.0, (values - floor) / width)


def _business_days(
    start: str | date, end: str | date, holidays: np.ndarray | None = None
) -> pd.DatetimeIndex:
    """Return weekdays from ``start`` to ``end`` without ``holidays`` (datetime64[D] array)."""
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
    open_days = np.is_busday(days, holidays=holidays if holidays is not None else [])
    return pd.DatetimeIndex(days[open_days].astype("datetime64[ns]"))


def us_business_days(start: str | date = DEMO_START, end: str | date = DEMO_END) -> pd.DatetimeIndex:
    """Return US business days (weekdays without federal holidays), the H.15 and Treasury calendar."""
    return _business_days(start, end, US_HOLIDAYS)


def _closed_days(closed: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Return the fixed-date closing days (month, day) of every demo year as datetime64[D]."""
    years = range(DEMO_START.year - 1, DEMO_END.year + 2)
    return np.array(
        [f"{year}-{month:02d}-{day:02d}" for year in years for month, day in closed], "datetime64[D]"
    )


def target_days(start: str | date = DEMO_START, end: str | date = DEMO_END) -> pd.DatetimeIndex:
    """Return euro-area settlement days (weekdays without the fixed TARGET holidays)."""
    return _business_days(start, end, _closed_days(TARGET_CLOSED))


def tokyo_days(start: str | date = DEMO_START, end: str | date = DEMO_END) -> pd.DatetimeIndex:
    """Return Tokyo market days (weekdays without the year-end holidays)."""
    return _business_days(start, end, _closed_days(TOKYO_CLOSED))


def _meetings(month_days: tuple[tuple[int, int], ...]) -> pd.DatetimeIndex:
    """Return the regular policy meetings, moved to the next weekday."""
    days = [
        pd.Timestamp(year, month, day)
        for year in range(DEMO_START.year, DEMO_END.year + 1)
        for month, day in month_days
    ]
    return pd.DatetimeIndex(days) + pd.offsets.BDay(0)


def _policy_path(
    days: pd.DatetimeIndex,
    anchors: Anchors,
    month_days: tuple[tuple[int, int], ...],
    rng: np.random.Generator,
    floor: float,
    fine_quantum: float = 0.25,
) -> np.ndarray:
    """Return a policy rate on ``days`` that steps towards the ``anchors`` path at meetings (%).

    Regular meetings move by multiples of 25 bp (``fine_quantum`` when rates are near zero), at most
    75 bp up or 100 bp down; between meetings (1st and 15th of each month) the rate is cut or raised
    only when it is 1 pp or more away from the path. A change takes effect the day after the decision.
    """
    regular = _meetings(month_days)
    emergency = pd.date_range(DEMO_START, DEMO_END, freq="SMS")
    candidates = sorted([(day, True) for day in regular] + [(day, False) for day in emergency])
    when = pd.DatetimeIndex([day for day, _ in candidates])
    desired = _path(when, anchors)
    desired = desired + rng.normal(0.0, 0.04, len(when)) * np.minimum(1.0, np.abs(desired))  # calm near zero
    rate = round(desired[0] * 4) / 4
    change_days: list[pd.Timestamp] = []
    levels = [rate]
    for (day, is_regular), target in zip(candidates, desired, strict=True):
        gap = target - rate
        if not is_regular and abs(gap) < 1.0:
            continue
        quantum = fine_quantum if min(abs(rate), abs(target)) < 0.5 else 0.25
        step = float(np.clip(quantum * round(gap / quantum), -1.0, 0.75))
        if abs(step) < quantum - 1e-9:
            continue
        rate = round(max(floor, rate + step), 4)
        change_days.append(day)
        levels.append(rate)
    position = np.searchsorted(pd.DatetimeIndex(change_days).asi8, days.asi8, side="left")
    return np.asarray(levels)[position]


def _monthly(values: pd.Series, stamp: str, how: str = "mean") -> pd.Series:
    """Return monthly means (or last values) dated at the month's ``start`` or ``end``."""
    grouped = values.groupby(values.index.to_period("M"))
    monthly = grouped.mean() if how == "mean" else grouped.last()
    return pd.Series(monthly.to_numpy(), index=monthly.index.to_timestamp(how=stamp).normalize())


def _quarterly(values: pd.Series, how: str = "mean") -> pd.Series:
    """Return quarterly means (or last values) dated at the quarter's first day."""
    grouped = values.groupby(values.index.to_period("Q"))
    quarterly = grouped.mean() if how == "mean" else grouped.last()
    return pd.Series(quarterly.to_numpy(), index=quarterly.index.to_timestamp(how="start"))


def _period_ends(days: pd.DatetimeIndex, quarterly: bool = False) -> np.ndarray:
    """Return a mask of the last day in ``days`` of each month (or of each quarter)."""
    last = days.to_series().groupby(days.to_period("Q" if quarterly else "M")).transform("max")
    return last.to_numpy() == days.to_numpy()


def _splice_early(early: Anchors, later: pd.Series) -> pd.Series:
    """Return quarterly ``later`` preceded, from DEMO_START, by a log-linear path through ``early``."""
    first_day = later.index[0]
    dates = pd.date_range(DEMO_START, first_day, freq="QS", inclusive="left")
    anchors = (*early, (str(first_day.date()), float(later.iloc[0])))
    return pd.concat([pd.Series(_log_path(dates, anchors), index=dates), later])


def month_ends(start: str | date = DEMO_START, end: str | date = DEMO_END) -> pd.DatetimeIndex:
    """Return calendar month ends from ``start`` to ``end``."""
    return pd.date_range(start, end, freq="ME")


# --- the market model ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Market:
    """The synthetic market, each table on its publisher's calendar (values in catalogue units)."""

    seed: int
    us: pd.DataFrame  #: US business days: policy range, CMT yields y1m…y30y, term premium, SOFR, …
    fed: pd.DataFrame  #: calendar days: target range upper and lower limits, effective rate
    euro: pd.DataFrame  #: TARGET days: overnight rate, €STR, Euribor, AAA 3M, Bund 10y (par and zero)
    japan: pd.DataFrame  #: Tokyo days: call rate, 3M interbank, JGB 10y
    fx: pd.DataFrame  #: weekdays: EUR/USD, USD/JPY, EUR/JPY
    debt: pd.DataFrame  #: month ends: MSPD classes ($mn), WAM, average rate, interest expense ($bn)
    tga: pd.Series  #: US business days, $bn
    funds: pd.DataFrame  #: month ends: MMF total, Treasury and Treasury-repo holdings ($bn)
    foreign: pd.DataFrame  #: month ends: TIC holdings ($bn) and net purchases ($bn)
    prices: pd.DataFrame  #: month starts: CPI, core CPI, core PCE indices
    growth: pd.DataFrame  #: quarter starts: GDP growth (% SAAR), contributions (pp)


def _us_market(seed: int) -> pd.DataFrame:
    """Return the US rates model on US business days (%): policy range, CMT curve, term premium, SOFR."""
    days = us_business_days()
    n = len(days)
    rng = _rng(seed, "us-curve")
    upper = _policy_path(days, FED_UPPER, FOMC_DAYS, rng, floor=0.25)
    mid = upper - 0.125
    long_shock = _ou(rng, n, 0.04, 120)  # expectations component of long yields
    fast_shock = _ou(rng, n, 0.025, 10)  # day-to-day noise of long yields, quickly reverting
    tp_shock = _ou(rng, n, 0.025, 126)
    term_premium = _path(days, TERM_PREMIUM_10Y) + tp_shock

    def expected(horizon: int, weight_now: float) -> np.ndarray:
        return weight_now * mid + (1 - weight_now) * _forward_mean(mid, horizon)

    bill_noise = _ou(rng, n, 0.015, 10)
    y = {
        "1m": np.maximum(0.0, expected(21, 0.0) - 0.05 + bill_noise + rng.normal(0, 0.008, n)),
        "3m": _soft_floor(expected(63, 0.1) - 0.03 + 0.6 * bill_noise + _ou(rng, n, 0.012, 20), 0.01, 0.03),
        "6m": _soft_floor(expected(126, 0.25) + 0.02 + _ou(rng, n, 0.015, 30), 0.03, 0.04),
        "1y": _soft_floor(expected(252, 0.4) + 0.06 + 0.2 * long_shock + _ou(rng, n, 0.015, 40), 0.05, 0.05),
    }
    y2_raw = expected(504, 0.5) + 0.12 + 0.1 * term_premium + 0.45 * long_shock + _ou(rng, n, 0.02, 60)
    y["2y"] = _soft_floor(y2_raw, 0.12, 0.08)
    neutral = _path(days, NEUTRAL_10Y)
    y10_raw = 0.35 * expected(504, 0.5) + 0.65 * neutral + long_shock + fast_shock + term_premium
    y["10y"] = _soft_floor(y10_raw, 0.45, 0.2)
    slope = y["10y"] - y["2y"]
    y["5y"] = y["2y"] + 0.55 * slope + _ou(rng, n, 0.012, 40)
    y["7y"] = y["2y"] + 0.82 * slope + _ou(rng, n, 0.01, 40)
    y["20y"] = y["10y"] + 0.22 + 0.12 * slope + _ou(rng, n, 0.012, 60)
    y["30y"] = y["20y"] - 0.02 + 0.04 * slope + _ou(rng, n, 0.01, 60)
    table = pd.DataFrame({f"y{tenor}": np.round(values, 2) for tenor, values in y.items()}, index=days)
    table["upper"] = upper
    table["lower"] = upper - 0.25
    table["long_shock"] = long_shock
    table["term_premium"] = np.round(term_premium + rng.normal(0, 0.004, n), 4)
    sofr = upper - 0.19 + 0.04 * _period_ends(days) + 0.06 * _period_ends(days, quarterly=True)
    sofr = sofr + _ou(rng, n, 0.006, 5)
    table["sofr"] = np.round(np.maximum(0.01, sofr), 2)
    table["effective"] = np.round(np.maximum(0.04, upper - 0.17 + _ou(rng, n, 0.004, 5)), 2)
    crisis = _path(days, EURIBOR_SPREAD)  # the same bank-funding stress in dollars
    table["usd_interbank"] = y["3m"] + 0.18 + 0.9 * crisis + _ou(rng, n, 0.015, 30)
    return table


def _fed_range(us: pd.DataFrame) -> pd.DataFrame:
    """Return the target range and the effective rate on every calendar day (FRED's 7-day series)."""
    days = pd.date_range(DEMO_START, DEMO_END, freq="D")
    return us[["upper", "lower", "effective"]].reindex(days, method="ffill").bfill()


def _euro_market(seed: int, us: pd.DataFrame) -> pd.DataFrame:
    """Return the euro-area model on TARGET days (%): overnight, €STR, Euribor, AAA 3M, Bund 10y."""
    days = target_days()
    n = len(days)
    rng = _rng(seed, "euro")
    overnight = _policy_path(days, EURO_OVERNIGHT, ECB_DAYS, rng, floor=-1.0, fine_quantum=0.1)
    overnight = overnight + _ou(rng, n, 0.01, 5)
    future_3m = _forward_mean(overnight, 63)
    us_shock = us["long_shock"].reindex(days, method="ffill").bfill().to_numpy()
    expected_2y = 0.5 * overnight + 0.5 * _forward_mean(overnight, 504)
    par = 0.35 * expected_2y + _path(days, BUND_LEVEL) + 0.5 * us_shock + _ou(rng, n, 0.035, 180)
    return pd.DataFrame(
        {
            "overnight": overnight,
            "estr": np.round(overnight - 0.085 + _ou(rng, n, 0.003, 10), 3),
            "euribor3m": future_3m + _path(days, EURIBOR_SPREAD) + _ou(rng, n, 0.012, 30),
            "aaa3m": np.round(future_3m - 0.12 + _ou(rng, n, 0.015, 30), 4),
            "bund_par": par,
            "bund_zero": np.round(par + 0.1 + _ou(rng, n, 0.004, 20), 2),
        },
        index=days,
    )


def _japan_market(seed: int, us: pd.DataFrame) -> pd.DataFrame:
    """Return Japan's model on Tokyo days (%): call rate, 3M interbank, JGB 10-year."""
    days = tokyo_days()
    n = len(days)
    rng = _rng(seed, "japan")
    call = _policy_path(days, BOJ_CALL, BOJ_DAYS, rng, floor=-0.1, fine_quantum=0.05)
    us_shock = us["long_shock"].reindex(days, method="ffill").bfill().to_numpy()
    capped = (days >= "2016-09-21") & (days <= "2022-12-20")  # yield-curve control damps the 10-year
    damp = np.where(capped, 0.3, 1.0)
    shocks = np.diff(_ou(rng, n, 0.025, 120), prepend=0.0) * damp
    expected_2y = 0.5 * call + 0.5 * _forward_mean(call, 504)
    jgb10 = 0.4 * expected_2y + _path(days, JGB_LEVEL) + 0.15 * us_shock * damp + np.cumsum(shocks) * 0.6
    return pd.DataFrame(
        {
            "call": call,
            "tona": np.round(call - 0.01 + _ou(rng, n, 0.002, 5), 3),
            "jpy3m": 0.8 * _forward_mean(call, 63) + 0.2 * call + 0.07 + _ou(rng, n, 0.008, 30),
            "jgb10": np.round(jgb10, 3),
        },
        index=days,
    )


def _fx_market(seed: int) -> pd.DataFrame:
    """Return exchange rates on weekdays: USD per EUR, JPY per USD, JPY per EUR."""
    days = _business_days(DEMO_START, DEMO_END)
    n = len(days)
    rng = _rng(seed, "fx")
    eurusd = _log_path(days, EURUSD) * np.exp(_ou(rng, n, 0.005, 60))
    usdjpy = _log_path(days, USDJPY) * np.exp(_ou(rng, n, 0.006, 60))
    return pd.DataFrame({"eurusd": eurusd, "usdjpy": usdjpy, "eurjpy": eurusd * usdjpy}, index=days)


def _debt(seed: int, us: pd.DataFrame) -> pd.DataFrame:
    """Return month-end debt: MSPD classes and total ($mn, 2 decimals), WAM, average rate, interest."""
    months = month_ends("2001-01-01")
    n = len(months)
    rng = _rng(seed, "debt")
    total = _log_path(months, MARKETABLE_TOTAL) * np.exp(_ou(rng, n, 0.003, 6))
    shares = {
        "bills": _path(months, BILLS_SHARE) + _ou(rng, n, 0.004, 3),
        "bonds": _path(months, BONDS_SHARE) + _ou(rng, n, 0.001, 12),
        "tips": _path(months, TIPS_SHARE) + _ou(rng, n, 0.001, 12),
        "frn": np.where(months >= "2014-01-31", _path(months, FRN_SHARE), 0.0),
    }
    shares["notes"] = 1.0 - sum(shares.values())
    table = pd.DataFrame(index=months)
    for name in MSPD_CLASSES:
        table[name] = np.round(total * shares[name] * 1000.0, 2)
    table["total"] = np.round(table[list(MSPD_CLASSES)].sum(axis=1), 2)
    actual = table[["bills", "bonds", "tips"]].div(table["total"], axis=0)
    wam = 67 - 40 * (actual["bills"] - 0.2) + 80 * (actual["bonds"] - 0.14) + 20 * (actual["tips"] - 0.08)
    table["wam"] = np.clip(np.round(wam + _ou(rng, n, 0.3, 6)), 52, 76)
    table["avg_rate"] = _average_rate(us, actual.assign(frn=table["frn"] / table["total"]))
    table["interest"] = _interest_expense(rng, months, table["total"] / 1000.0, table["avg_rate"])
    return table


def _average_rate(us: pd.DataFrame, shares: pd.DataFrame) -> pd.Series:
    """Return the average rate on marketable debt (%): each class remembers the yields it was issued at."""
    monthly = us.groupby(us.index.to_period("M"))[["y3m", "y5y", "y10y", "y20y"]].mean()
    bills = monthly["y3m"].ewm(halflife=2).mean()
    notes = monthly["y5y"].ewm(halflife=24).mean()
    bonds = monthly["y20y"].ewm(halflife=90).mean()
    tips = (monthly["y10y"].ewm(halflife=60).mean() - 2.0).clip(lower=0.125)
    frn = monthly["y3m"].ewm(halflife=3).mean() + 0.1
    periods = shares.index.to_period("M")
    notes_share = 1.0 - shares.sum(axis=1)
    rate = (
        shares["bills"].to_numpy() * bills.reindex(periods).to_numpy()
        + notes_share.to_numpy() * notes.reindex(periods).to_numpy()
        + shares["bonds"].to_numpy() * bonds.reindex(periods).to_numpy()
        + shares["tips"].to_numpy() * tips.reindex(periods).to_numpy()
        + shares["frn"].to_numpy() * frn.reindex(periods).to_numpy()
    )
    return pd.Series(np.round(rate, 3), index=shares.index)


def _interest_expense(
    rng: np.random.Generator, months: pd.DatetimeIndex, marketable_bn: pd.Series, avg_rate: pd.Series
) -> pd.Series:
    """Return monthly interest expense on the public debt ($bn): marketable accruals plus the
    semi-annual interest credited to trust funds in June and December."""
    marketable = marketable_bn.to_numpy() * avg_rate.to_numpy() / 100 / 12
    trust_funds = _path(months, INTRAGOV_DEBT) * _path(months, INTRAGOV_RATE) / 100
    weight = np.where(np.isin(months.month, (6, 12)), 0.42, 0.016)
    noise = np.exp(rng.normal(0.0, 0.03, len(months)))
    return pd.Series((marketable + trust_funds * weight) * noise, index=months)


def _tga(seed: int) -> pd.Series:
    """Return the TGA closing balance on US business days ($bn): a level path, tax dates, noise."""
    days = us_business_days("2005-10-03")
    n = len(days)
    rng = _rng(seed, "tga")
    level = _path(days, TGA_LEVEL)
    tax_day = np.isin(days.day, (15, 16, 17)) & np.isin(days.month, (1, 4, 6, 9, 12))
    seasonal = 1 + 0.06 * tax_day + 0.08 * ((days.month == 4) & (days.day >= 15) & (days.day <= 30))
    balance = level * seasonal * np.exp(_ou(rng, n, 0.03, 8))
    return pd.Series(np.clip(balance, 30.0, 990.0), index=days)


def _funds(seed: int) -> pd.DataFrame:
    """Return money-market funds' total investments, Treasury and Treasury-repo holdings ($bn), month ends."""
    months = month_ends()
    n = len(months)
    rng = _rng(seed, "mmf")
    total = _log_path(months, MMF_TOTAL) * np.exp(_ou(rng, n, 0.01, 4))
    share = np.clip(_path(months, MMF_TREASURY_SHARE) + _ou(rng, n, 0.006, 4), 0.15, 0.5)
    repo = np.clip(_path(months, MMF_REPO_SHARE) + _ou(rng, n, 0.008, 3), 0.05, 0.55)
    return pd.DataFrame({"total": total, "treasury": total * share, "repo": total * repo}, index=months)


def _foreign(seed: int) -> pd.DataFrame:
    """Return TIC holdings and net purchases ($bn), month ends."""
    months = month_ends()
    n = len(months)
    rng = _rng(seed, "tic")
    table = pd.DataFrame(index=months)
    for name, anchors in (("total", FOREIGN_TOTAL), ("japan", FOREIGN_JAPAN), ("china", FOREIGN_CHINA)):
        table[name] = np.round(_log_path(months, anchors) * np.exp(_ou(rng, n, 0.006, 6)), 1)
    mean = _path(months, TIC_FLOW_MEAN)
    spread = _path(months, TIC_FLOW_SD)
    flows = mean + spread * _ou(rng, n, 0.98, 0.5)
    table["net_lt"] = np.clip(flows, -180, 260)
    table["net_treasury"] = np.clip(0.45 * flows + 0.5 * spread * rng.normal(0, 1, n), -150, 200)
    return table


def _price_index(rng: np.random.Generator, months: pd.DatetimeIndex, anchors: Anchors, base: float,
                 noise_pct: float) -> np.ndarray:  # fmt: skip
    """Return an index whose 12-month change follows ``anchors`` (%), with monthly noise."""
    monthly_log = _path(months, anchors) / 1200 + rng.normal(0.0, noise_pct / 100, len(months))
    return base * np.exp(np.cumsum(monthly_log) - monthly_log[0])


def _prices(seed: int) -> pd.DataFrame:
    """Return CPI (1982-84=100), core CPI and core PCE (2017=100) indices, month starts."""
    months = pd.date_range(DEMO_START, DEMO_END, freq="MS")
    rng = _rng(seed, "prices")
    return pd.DataFrame(
        {
            "cpi": _price_index(rng, months, CPI_YOY, 127.5, 0.16),
            "core_cpi": _price_index(rng, months, CORE_CPI_YOY, 132.1, 0.07),
            "core_pce": _price_index(rng, months, CORE_PCE_YOY, 58.6, 0.06),
        },
        index=months,
    )


def _growth(seed: int) -> pd.DataFrame:
    """Return real GDP growth (% SAAR) and contributions of inventories and equipment (pp), quarter starts."""
    quarters = pd.date_range(DEMO_START, DEMO_END, freq="QS")
    n = len(quarters)
    rng = _rng(seed, "growth")
    growth = np.clip(_path(quarters, GDP_TREND) + _ou(rng, n, 1.5, 1.0), -1.5, 6.5)
    labels = quarters.to_period("Q").astype(str)
    for label, value in GDP_EVENTS.items():
        growth[labels == label] = value + rng.normal(0, 0.2)
    trend = _path(quarters, GDP_TREND)
    inventories = np.clip(0.22 * (growth - trend) + rng.normal(0, 0.6, n), -5.0, 7.0)
    equipment = np.clip(0.08 * growth + 0.08 + rng.normal(0, 0.25, n), -3.0, 3.0)
    return pd.DataFrame(
        {
            "gdp": np.round(growth, 1),
            "inventories": np.round(inventories, 2),
            "equipment": np.round(equipment, 2),
        },
        index=quarters,
    )


def build_market(seed: int = DEMO_SEED) -> Market:
    """Return the whole synthetic market for ``seed`` (about a tenth of a second)."""
    us = _us_market(seed)
    return Market(
        seed=seed,
        us=us,
        fed=_fed_range(us),
        euro=_euro_market(seed, us),
        japan=_japan_market(seed, us),
        fx=_fx_market(seed),
        debt=_debt(seed, us),
        tga=_tga(seed),
        funds=_funds(seed),
        foreign=_foreign(seed),
        prices=_prices(seed),
        growth=_growth(seed),
    )


# --- catalogue series from the market ---------------------------------------------------------------------
# A builder returns the series in the catalogue unit and the decimals to keep in that unit.
Builder = Callable[[Market], tuple[pd.Series, int]]


def _column(table_name: str, column: str, decimals: int, scale: float = 1.0) -> Builder:
    def build(market: Market) -> tuple[pd.Series, int]:
        return getattr(market, table_name)[column] * scale, decimals

    return build


def _spread(short: str) -> Builder:
    def build(market: Market) -> tuple[pd.Series, int]:
        return (market.us["y10y"] - market.us[f"y{short}"]).round(2), 2

    return build


def _monthly_of(table_name: str, column: str, decimals: int, shift: float = 0.0) -> Builder:
    def build(market: Market) -> tuple[pd.Series, int]:
        return _monthly(getattr(market, table_name)[column], "start") + shift, decimals

    return build


def _acm_monthly(market: Market) -> tuple[pd.Series, int]:
    """Month-end term premium (%), dated at the calendar month's end, a few bp off the daily file."""
    month_end = _monthly(market.us["term_premium"], "end", how="last")
    wobble = _rng(market.seed, "acm-monthly").normal(0.0, 0.015, len(month_end))
    return month_end + wobble, 4


def _fx(pair: str, on: str) -> Builder:
    """Exchange rate ``pair`` from the euro's launch, on US (FRED) or TARGET (ECB) days."""

    def build(market: Market) -> tuple[pd.Series, int]:
        days = market.us.index if on == "us" else market.euro.index
        values = market.fx[pair].reindex(days)
        return values[values.index >= EURO_LAUNCH], 2 if "jpy" in pair else 4

    return build


def _move(market: Market) -> tuple[pd.Series, int]:
    """A MOVE-like index (bp): one-month realised volatility of the 10-year, scaled, on US days."""
    vol = (market.us["y10y"].diff() * 100).rolling(21).std() * np.sqrt(252)
    return (1.05 * vol + 12).dropna(), 2


def _on_rrp(market: Market) -> tuple[pd.Series, int]:
    """Overnight reverse repo take-up ($bn), US days, with quarter-end spikes."""
    days = market.us.index
    rng = _rng(market.seed, "on-rrp")
    spikes = 1 + 0.3 * _period_ends(days, quarterly=True)
    return pd.Series(_log_path(days, ON_RRP) * spikes * np.exp(_ou(rng, len(days), 0.05, 10)), index=days), 3


def _public_debt(market: Market) -> tuple[pd.Series, int]:
    """Total public debt ($bn), quarter starts: marketable, trust funds and other nonmarketable debt."""
    months = market.debt.index
    total = market.debt["total"] / 1000 + _path(months, INTRAGOV_DEBT) + _path(months, OTHER_NONMARKETABLE)
    return _splice_early(PUBLIC_DEBT_EARLY, _quarterly(total, how="last")), 3


def _federal_interest(market: Market) -> tuple[pd.Series, int]:
    """Federal interest payments ($bn, annual rate), quarter starts: marketable debt times its rate."""
    debt = market.debt
    annual = debt["total"] / 1000 * debt["avg_rate"] / 100 * 1.02 + 60
    return _splice_early(FEDERAL_INTEREST_EARLY, _quarterly(annual)), 3


def _federal_receipts(market: Market) -> tuple[pd.Series, int]:
    """Federal current receipts ($bn, annual rate), quarter starts."""
    quarters = pd.date_range(DEMO_START, DEMO_END, freq="QS")
    noise = np.exp(_ou(_rng(market.seed, "receipts"), len(quarters), 0.015, 2))
    return pd.Series(_log_path(quarters, FEDERAL_RECEIPTS) * noise, index=quarters), 3


def _foreign_quarterly(market: Market) -> tuple[pd.Series, int]:
    """Foreign holdings of Treasuries ($bn) at quarter ends, dated at quarter starts, an older vintage."""
    quarterly = _quarterly(market.foreign["total"], how="last")
    revision = 1 + _rng(market.seed, "fdhbfin").normal(-0.005, 0.004, len(quarterly))
    return quarterly * revision, 1


def _weekly(how: str) -> Builder:
    """TGA by week ending Wednesday ($bn): the week's average or the Wednesday level."""

    def build(market: Market) -> tuple[pd.Series, int]:
        weeks = market.tga.resample("W-WED")
        return (weeks.mean() if how == "mean" else weeks.last()).dropna(), 3

    return build


BUILDERS: dict[str, Builder] = {
    **{f"ust{tenor}": _column("us", f"y{tenor}", 2) for tenor in CMT_TENORS},
    "spread_10y2y": _spread("2y"),
    "spread_10y3m": _spread("3m"),
    "par10y": _column("us", "y10y", 2),
    "acm_tp10": _column("us", "term_premium", 4),
    "acm_tp10_monthly": _acm_monthly,
    "move_index": _move,
    "sofr": _column("us", "sofr", 2),
    "usd3m_interbank": _monthly_of("us", "usd_interbank", 4),
    "jpy3m_interbank": _monthly_of("japan", "jpy3m", 4),
    "eur3m_interbank": _monthly_of("euro", "euribor3m", 4),
    "estr": _column("euro", "estr", 3),
    "eur3m_aaa": _column("euro", "aaa3m", 4),
    "jgb10y": _column("japan", "jgb10", 3),
    "bund10y": _column("euro", "bund_zero", 2),
    "bund10y_monthly": _monthly_of("euro", "bund_par", 2),
    "bund10y_convergence": _monthly_of("euro", "bund_par", 2, shift=0.01),
    "jgb10y_monthly": _monthly_of("japan", "jgb10", 2, shift=0.04),
    "eurusd_ecb": _fx("eurusd", "target"),
    "eurjpy_ecb": _fx("eurjpy", "target"),
    "usdjpy": _fx("usdjpy", "us"),
    "eurusd": _fx("eurusd", "us"),
    # the debt model keeps MSPD classes in $mn (2 decimals, total = exact sum): 5 decimals in $bn
    **{f"mspd_{name}": _column("debt", name, 5, 0.001) for name in MSPD_CLASSES},
    "mspd_marketable": _column("debt", "total", 5, 0.001),
    "wam_months": _column("debt", "wam", 0),
    "tga": lambda market: (market.tga, 3),
    "tga_weekly_avg": _weekly("mean"),
    "tga_wednesday": _weekly("last"),
    "on_rrp": _on_rrp,
    "interest_expense": _column("debt", "interest", 11),
    "avg_rate_marketable": _column("debt", "avg_rate", 3),
    "federal_debt_total": _public_debt,
    "federal_interest_saar": _federal_interest,
    "federal_interest_payments": _federal_interest,
    "federal_receipts_saar": _federal_receipts,
    "mmf_treasury": _column("funds", "treasury", 3),
    "mmf_total": _column("funds", "total", 3),
    "mmf_treasury_repo": _column("funds", "repo", 3),
    "mmf_total_assets_z1": lambda market: (_quarterly(market.funds["total"], how="last") * 1.03, 3),
    "foreign_holdings": _column("foreign", "total", 1),
    "foreign_holdings_japan": _column("foreign", "japan", 1),
    "foreign_holdings_china": _column("foreign", "china", 1),
    "foreign_holdings_quarterly": _foreign_quarterly,
    "tic_net_lt_purchases": _column("foreign", "net_lt", 3),
    "tic_net_treasury_purchases": _column("foreign", "net_treasury", 3),
    "gdp_growth": _column("growth", "gdp", 1),
    "gdp_contrib_inventories": _column("growth", "inventories", 2),
    "gdp_contrib_equipment": _column("growth", "equipment", 2),
    "cpi": _column("prices", "cpi", 3),
    "core_cpi": _column("prices", "core_cpi", 3),
    "core_pce": _column("prices", "core_pce", 3),
    "fed_target_upper": _column("fed", "upper", 2),
    "fed_target_lower": _column("fed", "lower", 2),
    "fed_funds_effective": _column("fed", "effective", 2),
    "effr": _column("us", "effective", 2),
    "fed_funds_monthly": _monthly_of("us", "effective", 2),
}


# --- series the model does not name: other tenors, FX, policy rates, or a generic walk -------------------
def _us_tenor(market: Market, years: float) -> pd.Series:
    """Return the CMT curve linearly interpolated at ``years`` (%), on US business days."""
    tenors = np.array(list(CMT_TENORS.values()), dtype=float)
    curve = market.us[[f"y{tenor}" for tenor in CMT_TENORS]].to_numpy()
    upper = int(np.clip(np.searchsorted(tenors, years), 1, len(tenors) - 1))
    weight = float(np.clip((years - tenors[upper - 1]) / (tenors[upper] - tenors[upper - 1]), 0.0, 1.0))
    values = curve[:, upper - 1] * (1 - weight) + curve[:, upper] * weight
    return pd.Series(np.round(values, 2), index=market.us.index)


def _jgb_tenor(market: Market, years: float) -> pd.Series:
    """Return a JGB yield at ``years`` (%): between the call rate and the 10-year, above it beyond."""
    call, ten = market.japan["call"], market.japan["jgb10"]
    if years <= 10:
        weight = (1 - np.exp(-years / 4)) / (1 - np.exp(-10 / 4))
        return (call + (ten - call) * weight).round(3)
    return (ten + 0.55 * np.log(years / 10) / np.log(3)).round(3)


def _by_code(spec: SeriesSpec, market: Market) -> tuple[pd.Series, int] | None:
    """Return a model series for a context entry recognised by its code or key, else None."""
    code, key = spec.code.upper(), spec.key.lower()
    if match := re.fullmatch(r"DGS(\d+)(MO)?", code):
        return _us_tenor(market, int(match.group(1)) / (12 if match.group(2) else 1)), 2
    if spec.publisher == "treasury" and (match := re.fullmatch(r"(\d+(?:\.\d+)?) (MO|YR)", code)):
        return _us_tenor(market, float(match.group(1)) / (12 if match.group(2) == "MO" else 1)), 2
    if spec.publisher == "mof_japan" and (match := re.fullmatch(r"(\d+)年", spec.code)):
        return _jgb_tenor(market, float(match.group(1))), 3
    if match := re.fullmatch(r"ACM(TP|Y|RNY)(\d+)", code):
        years = float(match.group(2))
        premium = market.us["term_premium"] * (years / 10) ** 0.8
        level = _us_tenor(market, years)
        return {"TP": premium, "Y": level, "RNY": level - premium}[match.group(1)], 4
    if code in ("DFF", "FEDFUNDS", "DFEDTAR"):
        column = "upper" if code == "DFEDTAR" else "effective"
        return market.fed[column], 2
    if code == "EFFR":
        return market.us["effective"], 2
    if "DEXJPUS" in code:
        return _fx("usdjpy", "us")(market)
    if "DEXUSEU" in code:
        return _fx("eurusd", "us")(market)
    if re.search(r"EXR\.\w\.(USD|JPY)\.EUR", code):
        return _fx("eurusd" if ".USD." in code else "eurjpy", "target")(market)
    if "TONA" in code or "tona" in key:
        return market.japan["tona"], 3
    if code.startswith("EST.B"):
        return market.euro["estr"], 3
    if "MOVE" in code:
        return _move(market)
    return None


def _at_frequency(values: pd.Series, spec: SeriesSpec) -> pd.Series:
    """Return ``values`` averaged to ``spec.frequency`` when the model series is more frequent."""
    if len(values) < 3:
        return values
    spacing_days = float(np.median(np.diff(values.index.asi8))) / 86_400e9
    if spec.frequency == "weekly" and spacing_days < 5:
        return values.resample("W-WED").mean().dropna()
    if spec.frequency == "monthly" and spacing_days < 20:
        return _monthly(values, "start" if spec.publisher in MONTH_START_PUBLISHERS else "end")
    if spec.frequency == "quarterly" and spacing_days < 80:
        return _quarterly(values)
    return values


def _generic_dates(spec: SeriesSpec) -> pd.DatetimeIndex:
    """Return the dates of a series of ``spec.frequency`` in its publisher's convention."""
    if spec.frequency == "daily":
        if spec.publisher in ("ecb", "bundesbank"):
            return target_days()
        return tokyo_days() if spec.publisher == "mof_japan" else us_business_days()
    if spec.frequency == "weekly":
        return pd.date_range(DEMO_START, DEMO_END, freq="W-WED")
    if spec.frequency == "monthly":
        freq = "MS" if spec.publisher in MONTH_START_PUBLISHERS else "ME"
        return pd.date_range(DEMO_START, DEMO_END, freq=freq)
    if spec.frequency == "quarterly":
        return pd.date_range(DEMO_START, DEMO_END, freq="QS")
    return _meetings(FOMC_DAYS)


def _generic(spec: SeriesSpec, seed: int) -> tuple[pd.Series, int]:
    """Return a positive random walk in ``spec.unit`` at the series' frequency (for unknown entries)."""
    dates = _generic_dates(spec)
    per_year = {"daily": 252, "weekly": 52, "monthly": 12, "quarterly": 4}.get(spec.frequency, 8)
    rng = _rng(seed, f"generic:{spec.key}")
    n = len(dates)
    if spec.unit in ("%", "pp"):
        centre = 2.5 if spec.unit == "%" else 0.5
        values = centre + _ou(rng, n, 0.8 / np.sqrt(per_year), per_year)
        return pd.Series(values, index=dates), 2
    base = {"index": 100.0, "months": 60.0, "$bn": 500.0}.get(spec.unit, 100.0)
    drift = {"index": 0.025, "$bn": 0.05}.get(spec.unit, 0.0)
    steps = drift / per_year + rng.normal(0.0, 0.1 / np.sqrt(per_year), n)
    walk = np.cumsum(steps) if drift else _ou(rng, n, 0.1 / np.sqrt(per_year), per_year)
    return pd.Series(base * np.exp(walk), index=dates), 3


def _restrict(values: pd.Series, spec: SeriesSpec) -> pd.Series:
    """Apply the series' own start and gaps (where its real history starts later or pauses)."""
    start = SERIES_STARTS.get(spec.key)
    if start is not None:
        values = values[values.index >= pd.Timestamp(start)]
    gap = SERIES_GAPS.get(spec.key)
    if gap is not None:
        values = values[(values.index < pd.Timestamp(gap[0])) | (values.index > pd.Timestamp(gap[1]))]
    return values


def _canonical(values: pd.Series, spec: SeriesSpec, decimals: int) -> pd.DataFrame:
    """Return ``date, value`` in the file's canonical units (unit / scale), without gaps.

    ``decimals`` counts in the catalogue unit: $bn to 3 decimals are whole $mn in a file of $mn.
    """
    shift = round(float(np.log10(spec.scale)))
    if not np.isclose(10.0**shift, spec.scale):
        shift = 0
    canonical = (values / spec.scale).round(decimals + shift) + 0.0  # + 0.0 turns -0.0 into 0.0
    frame = pd.DataFrame(
        {"date": pd.DatetimeIndex(values.index).astype("datetime64[ns]"), "value": canonical.to_numpy()}
    )
    inside = (frame["date"] >= pd.Timestamp(DEMO_START)) & (frame["date"] <= pd.Timestamp(DEMO_END))
    frame = frame[inside].dropna().sort_values("date").reset_index(drop=True)
    frame["value"] = frame["value"].astype("float64")
    return frame


def generate_demo_frames(
    specs: tuple[SeriesSpec, ...] = SERIES, seed: int = DEMO_SEED
) -> dict[str, pd.DataFrame]:
    """Return series key → ``date, value`` frame in each file's canonical units (catalogue unit / scale)."""
    market = build_market(seed)
    frames: dict[str, pd.DataFrame] = {}
    generic: list[str] = []
    for spec in specs:
        builder = BUILDERS.get(spec.key)
        found = builder(market) if builder is not None else _by_code(spec, market)
        if found is None:
            generic.append(spec.key)
            found = _generic(spec, seed)
        values, decimals = found
        values = _restrict(_at_frequency(values.dropna(), spec), spec)
        frames[spec.key] = _canonical(values, spec, decimals)
    if generic:
        log.info("demo data: generic model (unit/frequency) for %s", ", ".join(generic))
    return frames


# --- writing the demo folder -----------------------------------------------------------------------------
def _source_bytes(module: object) -> bytes:
    path = inspect.getsourcefile(module)  # type: ignore[arg-type]
    return Path(path).read_bytes() if path else b""


def demo_version(specs: tuple[SeriesSpec, ...] = SERIES, seed: int = DEMO_SEED) -> str:
    """Return the hex SHA-256 of what the demo files depend on.

    That is this module's source, the seed, the catalogue entries, the sources of the adapters that
    encode them (and their shared helpers), and the numpy/pandas versions (random streams, formatting).
    """
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    digest.update(f"seed={seed};numpy={np.__version__};pandas={pd.__version__}".encode())
    modules = {spec.publisher: publisher_module(spec) for spec in specs}
    for name in sorted(modules):
        digest.update(name.encode() + _source_bytes(modules[name]))
    digest.update(_source_bytes(formats))
    for spec in specs:
        digest.update(repr(spec).encode("utf-8"))
    return digest.hexdigest()


def default_demo_dir(cache_dir: Path) -> Path:
    """Return the folder for the default demo data: ``cache_dir/demo-<short version hash>``."""
    return cache_dir / f"demo-{demo_version()[:12]}"


def _readme(version: str, seed: int, files: list[str]) -> str:
    listing = "\n".join(f"  {name}" for name in files)
    return (
        "UST Weekly demo data: SYNTHETIC, NOT REAL DATA.\n\n"
        "Every number in this folder was generated by generator/demo.py from a seeded random model of a\n"
        "market. The files imitate each publisher's own format so that the same parsers read them, but\n"
        "no value is, or is derived from, an observation published by FRED, the US Treasury, the New\n"
        "York Fed, OFR, TIC, the BEA, the ECB, the Bundesbank or Japan's Ministry of Finance.\n"
        "Do not quote them as market data.\n\n"
        f"seed: {seed}\nversion: {version}\n\nfiles:\n{listing}\n"
    )


def _is_current(target: Path, version: str, files: list[str]) -> bool:
    stamp = target / STAMP_FILE
    if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != version:
        return False
    return all((target / name).is_file() for name in files)


def write_demo_data(target: Path, specs: tuple[SeriesSpec, ...] = SERIES, seed: int = DEMO_SEED) -> Path:
    """Write the demo data set for ``specs`` into ``target`` and return ``target``.

    Each canonical file is written atomically by its publisher's ``encode``; a ``README.txt`` says the
    data are synthetic, and a stamp records the version last, so that an interrupted run is redone and a
    completed one is not (a second call with the same version only checks that the files exist).
    """
    version = demo_version(specs, seed)
    groups = specs_by_file(specs)
    files = sorted(groups)
    if _is_current(target, version, files):
        log.debug("demo data in %s are current (%s)", target, version[:12])
        return target
    log.info("writing demo data (version %s) into %s", version[:12], target)
    (target / STAMP_FILE).unlink(missing_ok=True)
    frames = generate_demo_frames(specs, seed)
    for name in files:
        group = groups[name]
        write_atomic(target / name, publisher_module(group[0]).encode(frames, group))
    write_text_atomic(target / README_FILE, _readme(version, seed, files))
    write_text_atomic(target / STAMP_FILE, version + "\n")
    return target
