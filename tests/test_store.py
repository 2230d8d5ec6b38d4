"""The point-in-time store: lag rules, vintages, file precedence, and no look-ahead."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalogue import CATALOGUE
from generator.errors import DataError
from generator.store import SeriesUnavailableError, cut_as_of, load_store

UST10Y = CATALOGUE["ust10y"]
GDP = CATALOGUE["gdp_growth"]


def _write(folder: Path, relative: str, text: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    days = pd.bdate_range("2024-12-02", "2025-02-14")
    lines = ["observation_date,DGS10"] + [f"{day.date()},{4 + i / 100:.2f}" for i, day in enumerate(days)]
    _write(tmp_path, "fred/DGS10.csv", "\n".join(lines) + "\n")
    # latest vintage (revised) history of GDP growth, and a release-vintage table for 2024Q4
    _write(
        tmp_path,
        "fred/A191RL1Q225SBEA.csv",
        "observation_date,A191RL1Q225SBEA\n2024-07-01,3.1\n2024-10-01,2.4\n",
    )
    _write(
        tmp_path,
        "macro/gdp_contrib_2024Q4_release_vintages.csv",
        "quarter,estimate,release_date,component,fred_series_id,value\n"
        "2024Q4,advance,2025-01-30,GDP,A191RL1Q225SBEA,2.3\n"
        "2024Q4,third,2025-03-27,GDP,A191RL1Q225SBEA,2.4\n",
    )
    return tmp_path


def test_daily_value_is_public_the_next_business_day(folder):
    store = load_store(folder, (UST10Y,))
    assert store.as_of(date(2025, 2, 7)).last("ust10y")[0] == pd.Timestamp("2025-02-06")
    assert store.as_of(date(2025, 2, 10)).last("ust10y")[0] == pd.Timestamp("2025-02-07")


def test_release_vintages_beat_the_revised_history(folder):
    store = load_store(folder, (GDP,))
    assert store.as_of(date(2025, 2, 7)).last("gdp_growth") == (pd.Timestamp("2024-10-01"), 2.3)
    assert store.as_of(date(2025, 4, 1)).last("gdp_growth") == (pd.Timestamp("2024-10-01"), 2.4)
    # before the advance estimate, 2024Q4 is invisible; 2024Q3 comes from the history file
    assert store.as_of(date(2025, 1, 29)).last("gdp_growth") == (pd.Timestamp("2024-07-01"), 3.1)


def test_missing_series_is_a_clear_error(tmp_path):
    store = load_store(tmp_path, (UST10Y,))
    assert "ust10y" in store.problems
    with pytest.raises(DataError, match="no file for fred DGS10"):
        store.as_of(date(2025, 2, 7)).series("ust10y")


def test_nothing_published_yet_is_a_clear_error(folder):
    store = load_store(folder, (UST10Y,))
    with pytest.raises(DataError, match="nothing published on or before 2024-12-01"):
        store.as_of(date(2024, 12, 1)).series("ust10y")


def test_stale_series_is_flagged(folder):
    store = load_store(folder, (UST10Y,))
    assert store.as_of(date(2025, 2, 18)).status("ust10y").status == "ok"
    status = store.as_of(date(2025, 3, 31)).status("ust10y")
    assert status.stale
    assert "expected by" in status.problem


def test_malformed_file_names_file_and_series(tmp_path):
    _write(tmp_path, "fred/DGS10.csv", "observation_date,DGS10\n2025-01-02,4.5\n2025-01-03,4.x6\n")
    store = load_store(tmp_path, (UST10Y,))
    problem = store.problems["ust10y"]
    assert "fred/DGS10.csv" in problem
    assert "[ust10y]" in problem
    assert "'4.x6'" in problem


def test_first_listed_file_wins_on_overlap(tmp_path):
    _write(
        tmp_path, "yields/fred_DGS10_thru_2026-08-20.csv", "date,value\n2025-01-02,4.50\n2025-01-03,4.60\n"
    )
    _write(tmp_path, "yields/fred_DGS10.csv", "date,value\n2025-01-02,4.99\n")
    _write(tmp_path, "fred/DGS10.csv", "observation_date,DGS10\n2025-01-03,4.99\n2025-01-06,4.70\n")
    series = load_store(tmp_path, (UST10Y,)).as_of(date(2025, 2, 1)).series("ust10y")
    assert series.to_dict() == {
        pd.Timestamp("2025-01-02"): 4.5,
        pd.Timestamp("2025-01-03"): 4.6,
        pd.Timestamp("2025-01-06"): 4.7,
    }


observations = st.lists(
    st.tuples(
        st.dates(date(2020, 1, 1), date(2020, 3, 1)),
        st.integers(0, 40),
        st.floats(-5, 10, allow_nan=False),
        st.booleans(),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(rows=observations, as_of=st.dates(date(2019, 12, 1), date(2020, 5, 1)))
def test_no_value_published_after_as_of_is_visible(rows, as_of):
    frame = pd.DataFrame(
        {
            "date": [pd.Timestamp(day) for day, _, _, _ in rows],
            "published": [pd.Timestamp(day + timedelta(days=lag)) for day, lag, _, _ in rows],
            "value": [value for _, _, value, _ in rows],
            "realtime": [realtime for _, _, _, realtime in rows],
            "file": "x",
        }
    ).sort_values(["date", "published"], kind="stable")
    cut = cut_as_of(frame, pd.Timestamp(as_of))
    assert (cut["published"] <= pd.Timestamp(as_of)).all()
    assert cut["date"].is_unique
    # every date with something public has a value, and it is the latest public one of its kind
    public = frame[frame["published"] <= pd.Timestamp(as_of)]
    assert set(cut["date"]) == set(public["date"])
    for _, row in cut.iterrows():
        same_date = public[public["date"] == row["date"]]
        pool = same_date[same_date["realtime"]] if same_date["realtime"].any() else same_date
        assert row["published"] == pool["published"].max()


def test_each_observation_knows_its_release_and_vintage(folder):
    view = load_store(folder, (GDP, UST10Y)).as_of(date(2025, 2, 7))
    advance = view.observation("gdp_growth", pd.Timestamp("2024-10-01"))
    assert (advance.published, advance.realtime, advance.first_release) == (
        pd.Timestamp("2025-01-30"),
        True,
        True,
    )
    assert view.vintage(advance) == "first release"
    assert advance.as_dict() == {"series": "gdp_growth", "date": "2024-10-01", "published": "2025-01-30"}
    third = load_store(folder, (GDP,)).as_of(date(2025, 4, 1))
    assert third.vintage(third.observation("gdp_growth", pd.Timestamp("2024-10-01"))) == "release vintage"
    # 2024Q3 comes from the history file, which holds the 2026 vintage only
    history = view.observation("gdp_growth", pd.Timestamp("2024-07-01"))
    assert view.vintage(history) == "revised (file of 2026-06-22)"
    assert (
        view.vintage(view.observation("ust10y", pd.Timestamp("2025-02-06"))) == "as published (no vintages)"
    )


def test_unavailable_series_say_why(folder, tmp_path):
    view = load_store(folder, (UST10Y,)).as_of(date(2024, 11, 29))
    with pytest.raises(SeriesUnavailableError) as caught:
        view.observations("ust10y")
    assert caught.value.reason == "not in the data folder before 2024-12-02"
    assert not view.available("ust10y")
    # the first value exists but is published the next business day
    first_day = load_store(folder, (UST10Y,)).as_of(date(2024, 12, 2))
    with pytest.raises(SeriesUnavailableError) as caught:
        first_day.observations("ust10y")
    assert caught.value.reason == "not yet published as of 2024-12-02"
    empty = load_store(tmp_path / "nothing", (UST10Y,)) if (tmp_path / "nothing").mkdir() is None else None
    with pytest.raises(SeriesUnavailableError) as caught:
        empty.as_of(date(2025, 2, 7)).observations("ust10y")
    assert caught.value.reason == "not in the data folder"


def test_loading_in_two_processes_gives_what_one_process_reads(shared_data):
    from generator import parallel

    together = load_store(shared_data)
    with parallel.serial():
        alone = load_store(shared_data)
    assert list(together.series) == list(alone.series)  # catalogue order, whoever read a series
    assert together.problems == alone.problems
    for key, loaded in alone.series.items():
        pd.testing.assert_frame_equal(together.series[key].observations, loaded.observations)
        assert together.series[key].files == loaded.files


def test_series_sharing_a_file_are_read_by_one_group(shared_data):
    from generator.catalogue import SERIES
    from generator.sources import find_files
    from generator.store import groups_by_file

    groups = groups_by_file(shared_data, SERIES)
    assert sorted(spec.key for group in groups for spec in group) == sorted(spec.key for spec in SERIES)
    owner = {}
    for number, group in enumerate(groups):
        for spec in group:
            for path in find_files(shared_data, spec):
                assert owner.setdefault(path, number) == number, path
    mspd = next(group for group in groups if any(spec.key == "mspd_bills" for spec in group))
    assert {"mspd_bills", "mspd_notes", "mspd_bonds"} <= {spec.key for spec in mspd}
