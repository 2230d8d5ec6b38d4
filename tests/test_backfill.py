"""Backfill: weekly dates, shards, parallel builds that load data once, skipping unchanged dates, index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.backfill import backfill, shard, weekly_dates
from generator.data import DEMO, DataRequest, open_store
from generator.errors import UstWeeklyError


def test_weekly_dates_pick_the_weekday():
    dates = weekly_dates(date(2025, 1, 1), date(2025, 1, 31), "fri")
    assert dates == [date(2025, 1, day) for day in (3, 10, 17, 24, 31)]
    assert weekly_dates(date(2025, 1, 4), date(2025, 1, 9), "fri") == []


def test_shards_partition_the_dates():
    dates = weekly_dates(date(2024, 1, 1), date(2024, 12, 31))
    parts = [shard(dates, f"{index}/3") for index in (1, 2, 3)]
    assert sorted(day for part in parts for day in part) == dates
    with pytest.raises(UstWeeklyError, match="K/N"):
        shard(dates, "three")
    with pytest.raises(UstWeeklyError, match="between 1 and N"):
        shard(dates, "4/3")


def test_backfill_builds_skips_and_indexes(tmp_path: Path):
    data = DataRequest(DEMO, cache_dir=tmp_path / "cache")
    store = open_store(data)
    dates = [date(2025, 1, 31), date(2025, 2, 7)]
    archive = tmp_path / "archive"
    first = backfill(dates, archive, data, store, jobs=2)
    assert [outcome.status for outcome in first] == ["built", "built"], [o.detail for o in first]
    for day in dates:
        folder = archive / day.isoformat()
        assert (folder / "note.pdf").is_file()
        assert (folder / "appendix.xlsx").is_file()
    index = (archive / "index.html").read_text(encoding="utf-8")
    assert "2025-02-07/note.pdf" in index
    assert "2025-01-31/note.pdf" in index
    pdf_before = (archive / "2025-02-07" / "note.pdf").stat().st_mtime_ns
    second = backfill(dates, archive, data, store, jobs=2)
    assert [outcome.status for outcome in second] == ["skipped", "skipped"]
    assert (archive / "2025-02-07" / "note.pdf").stat().st_mtime_ns == pdf_before
    # an interrupted run: one folder lost its fingerprint, only that date is rebuilt
    (archive / "2025-01-31" / "fingerprint.txt").unlink()
    third = backfill(dates, archive, data, store, jobs=1)
    assert [outcome.status for outcome in third] == ["built", "skipped"]
