"""MOVE index files: the Bloomberg export and the plain history; no live feed."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import SourceError
from generator.sources import ice

MOVE = CATALOGUE["move_index"]
BLOOMBERG = (
    "\ufeffSecurity,MOVE Index,\r\nStart Date,5/30/25 0:00,\r\nEnd Date,7/21/25 0:00,\r\nPeriod,D,\r\n"
    "Currency,USD,\r\n,,\r\nDate,PX_LAST,VOLATILITY_30D\r\n7/21/25,86.62,57.64\r\n4/4/88,128.34,#N/A N/A"
)


def test_bloomberg_export():
    frame = ice.read(BLOOMBERG.encode("utf-8"), MOVE, "move.csv")
    assert frame.set_index("date")["value"].to_dict() == {
        pd.Timestamp("2025-07-21"): 86.62,
        pd.Timestamp("1988-04-04"): 128.34,
    }


def test_round_trip():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-03"]), "value": [98.5, 101.25]})
    back = ice.read(ice.encode({"move_index": frame}, [MOVE]), MOVE, "x")
    assert back["value"].tolist() == [98.5, 101.25]


def test_no_live_feed(local_http):
    with pytest.raises(SourceError, match="no free public feed"):
        ice.fetch([MOVE], local_http)


def test_shared_files(shared_data):
    for name in ("MOVE_bloomberg_1988_2025.csv", "MOVE_daily_2002_2026.csv"):
        frame = ice.read((shared_data / "yields" / name).read_bytes(), MOVE, name)
        assert frame["value"].between(30, 300).all()
