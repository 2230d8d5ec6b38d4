"""Backfill: weekly dates, shards, parallel builds that load data once, skipping unchanged dates, index."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from generator import parallel
from generator.backfill import Fingerprints, backfill, shard, weekly_dates, write_index
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


def test_fingerprint_sees_only_what_was_published_by_the_date(tmp_path: Path):
    store = open_store(DataRequest(DEMO, cache_dir=tmp_path / "cache"))
    before, after = date(2025, 1, 31), date(2025, 2, 7)
    original = Fingerprints(store, "v1")
    assert original.of(before) != original.of(after)
    assert Fingerprints(store, "v2").of(before) != original.of(before)  # the code version counts
    series = store.series["ust10y"]
    observations = series.observations
    published = observations["published"]
    # a revision published after the first date changes the second date's fingerprint only
    later = observations.index[(published > pd.Timestamp(before)) & (published <= pd.Timestamp(after))][-1]
    revised = observations.copy()
    revised.loc[later, "value"] += 0.01
    store.series["ust10y"] = dataclasses.replace(series, observations=revised)
    assert Fingerprints(store, "v1").of(before) == original.of(before)
    assert Fingerprints(store, "v1").of(after) != original.of(after)
    # a value published before the first date changes both
    earlier = observations.index[published <= pd.Timestamp(before)][-1]
    revised.loc[earlier, "value"] += 0.01
    assert Fingerprints(store, "v1").of(before) != original.of(before)


def test_index_shows_per_date_what_was_unavailable_or_stale(tmp_path: Path):
    folder = tmp_path / "2021-01-08"
    folder.mkdir()
    manifest = {
        "data": {"demo": False},
        "unavailable": [{"figure": "bund10y.last", "reason": "not in the data folder before 2024-01-02"}],
        "series": {"ust10y": {"status": "ok"}, "eurusd": {"status": "stale"}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "figures.json").write_text(
        json.dumps({"figures": {"ust10y.last": {"value": None}}}), encoding="utf-8"
    )
    complete = tmp_path / "2025-02-07"
    complete.mkdir()
    (complete / "manifest.json").write_text(json.dumps({"data": {}, "unavailable": [], "series": {}}))
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert "1 unavailable: bund10y.last (not in the data folder before 2024-01-02)" in index
    assert "1 stale: eurusd" in index
    assert "<td>n/a</td>" in index  # a null 10-year prints as n/a, never "None"
    assert "complete" in index


def test_a_date_is_built_with_full_collections_deferred_and_collected_after(tmp_path: Path, monkeypatch):
    """Each date's build collects only young generations; one full collection follows it, failed or not."""
    import gc

    import generator.backfill as backfill_module
    from generator.collector import DEFERRED_FULL_THRESHOLD

    events: list[object] = []

    def recording_build(request, store=None):
        events.append(gc.get_threshold()[2])
        if request.as_of == date(2025, 2, 7):
            raise UstWeeklyError("a failed date")

    real_collect = gc.collect
    monkeypatch.setattr(backfill_module, "build_note", recording_build)
    monkeypatch.setattr(gc, "collect", lambda *args: events.append("collected") or real_collect(*args))
    data = DataRequest(DEMO, cache_dir=tmp_path / "cache")
    outcomes = backfill(
        [date(2025, 1, 31), date(2025, 2, 7)], tmp_path / "archive", data, open_store(data), jobs=1
    )
    assert [outcome.status for outcome in outcomes] == ["built", "failed"]
    assert events == [DEFERRED_FULL_THRESHOLD, "collected", DEFERRED_FULL_THRESHOLD, "collected"]
    assert gc.get_threshold()[2] != DEFERRED_FULL_THRESHOLD


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_the_workers_of_a_backfill_run_their_stages_one_after_another(tmp_path: Path, monkeypatch):
    """Two workers keep both cores busy: a worker forking children for its exhibits and appendix
    would only make four processes compete for two cores."""
    forked_in_worker = tmp_path / "forked"
    fork = parallel.Task._fork

    def noted_fork(self: parallel.Task) -> None:
        if os.getpid() != parent:
            forked_in_worker.write_text(self.name)
        fork(self)

    parent = os.getpid()
    monkeypatch.setattr(parallel.Task, "_fork", noted_fork)
    data = DataRequest(DEMO, cache_dir=tmp_path / "cache")
    outcomes = backfill(
        [date(2025, 1, 31), date(2025, 2, 7)], tmp_path / "out", data, open_store(data), jobs=2
    )
    assert [outcome.status for outcome in outcomes] == ["built", "built"]
    assert not forked_in_worker.exists()
