"""The parse cache: a cached frame is the parser's frame exactly; edits, bad files and damage are handled."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from generator import parse_cache
from generator.catalogue import CATALOGUE, SERIES
from generator.data import DATA_DIR, DataRequest, open_store
from generator.errors import DataError
from generator.parse_cache import kept_in
from generator.sources import find_files, read_bytes, read_file
from generator.store import load_store

UST10Y = CATALOGUE["ust10y"]
HEADER = "observation_date,DGS10\n"


def _dgs10(folder: Path, rows: str) -> Path:
    path = folder / "data" / "fred" / "DGS10.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_every_real_file_comes_back_from_the_cache_exactly(shared_data, tmp_path):
    cache = tmp_path / "parsed"
    checked = 0
    keys = set()  # two identical copies of a file share one entry
    for spec in SERIES:
        for path in find_files(shared_data, spec):
            raw = path.read_bytes()
            try:
                fresh = read_bytes(raw, spec, str(path))
            except DataError:
                continue  # files that do not parse are never stored (tested below)
            with kept_in(cache):
                first = read_file(path, spec, raw=raw)  # parses and stores
                again = read_file(path, spec, raw=raw)  # from the stored entry
            pd.testing.assert_frame_equal(first, fresh, check_exact=True)
            pd.testing.assert_frame_equal(again, fresh, check_exact=True)
            assert list(again.dtypes.astype(str)) == list(fresh.dtypes.astype(str))
            checked += 1
            keys.add(parse_cache.entry_key(raw, spec))
    assert checked > 50
    assert {path.stem for path in cache.glob("*.npz")} == keys


def test_second_load_reads_entries_not_files(tmp_path, monkeypatch):
    _dgs10(tmp_path, "2025-01-02,4.57\n2025-01-03,4.60\n")
    request = DataRequest(mode=DATA_DIR, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    first = open_store(request, (UST10Y,))
    assert len(list((tmp_path / "cache" / "parsed").glob("*.npz"))) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again although the file did not change")

    monkeypatch.setattr("generator.sources.read_bytes", no_parsing)
    second = open_store(request, (UST10Y,))
    pd.testing.assert_frame_equal(
        first.series["ust10y"].observations, second.series["ust10y"].observations, check_exact=True
    )


def test_an_edited_file_is_parsed_again(tmp_path):
    path = _dgs10(tmp_path, "2025-01-02,4.57\n")
    with kept_in(tmp_path / "parsed"):
        assert read_file(path, UST10Y)["value"].tolist() == [4.57]
        path.write_text(HEADER + "2025-01-02,4.58\n", encoding="utf-8")
        assert read_file(path, UST10Y)["value"].tolist() == [4.58]
    assert len(list((tmp_path / "parsed").glob("*.npz"))) == 2


def test_a_changed_catalogue_entry_or_parser_is_a_new_key(tmp_path, monkeypatch):
    raw = (HEADER + "2025-01-02,4.57\n").encode()
    key = parse_cache.entry_key(raw, UST10Y)
    assert parse_cache.entry_key(raw, CATALOGUE["ust2y"]) != key
    assert parse_cache.entry_key(raw + b"2025-01-03,4.60\n", UST10Y) != key
    adapters = tmp_path / "sources"
    adapters.mkdir()
    (adapters / "fred.py").write_text("VERSION = 1\n")
    monkeypatch.setattr(parse_cache, "ADAPTERS", adapters)
    parse_cache.parser_version.cache_clear()
    try:
        before = parse_cache.entry_key(raw, UST10Y)
        (adapters / "fred.py").write_text("VERSION = 2\n")
        parse_cache.parser_version.cache_clear()
        assert parse_cache.entry_key(raw, UST10Y) != before
    finally:
        parse_cache.parser_version.cache_clear()


def test_a_file_that_does_not_parse_is_not_stored(tmp_path):
    _dgs10(tmp_path, "2025-01-02,4.x7\n")
    with kept_in(tmp_path / "parsed"):
        for _ in range(2):
            store = load_store(tmp_path / "data", (UST10Y,))
            assert "'4.x7'" in store.problems["ust10y"]
    assert not list((tmp_path / "parsed").glob("*.npz"))


def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path, caplog):
    path = _dgs10(tmp_path, "2025-01-02,4.57\n")
    cache = tmp_path / "parsed"
    with kept_in(cache):
        read_file(path, UST10Y)
        (entry,) = cache.glob("*.npz")
        entry.write_bytes(b"not a zip file")
        with caplog.at_level(logging.WARNING, logger="generator.parse_cache"):
            assert read_file(path, UST10Y)["value"].tolist() == [4.57]
        assert "damaged" in caplog.text
        assert read_file(path, UST10Y)["value"].tolist() == [4.57]


def test_nothing_is_stored_outside_kept_in(tmp_path):
    path = _dgs10(tmp_path, "2025-01-02,4.57\n")
    read_file(path, UST10Y)
    assert not list(tmp_path.rglob("*.npz"))


@pytest.mark.parametrize("column", ["date", "value"])
def test_an_entry_without_a_column_counts_as_damaged(tmp_path, column, caplog):
    path = _dgs10(tmp_path, "2025-01-02,4.57\n")
    cache = tmp_path / "parsed"
    with kept_in(cache):
        frame = read_file(path, UST10Y)
        (entry,) = cache.glob("*.npz")
        entry.write_bytes(parse_cache.frame_to_bytes(frame.drop(columns=[column])))
        with caplog.at_level(logging.WARNING, logger="generator.parse_cache"):
            assert read_file(path, UST10Y)["value"].tolist() == [4.57]
    assert "damaged" in caplog.text
