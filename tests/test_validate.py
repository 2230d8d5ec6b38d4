"""The validate stage: repeated dates, bounds, moves, cut files, history starts, cross-checks, and the
settings that widen a bound. The last part replays the silently wrong results of issue 11 on a copy of
the files concerned from ../shared/data: each must now be an error naming the file."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import BOUNDS_BY_UNIT, CATALOGUE, SERIES, Bounds
from generator.config import load_config
from generator.data import DATA_DIR, DataRequest, open_store
from generator.errors import ConfigError, DataError
from generator.sources import fetch_file, find_files, fred, read_bytes
from generator.store import load_store
from generator.validate import (
    CROSS_CHECKS,
    WidenedBound,
    check_ending,
    check_gaps,
    check_moves,
    check_range,
    check_start,
    compare_with_previous,
    cross_check,
    drop_repeated_dates,
    validate_file,
    widen_bounds,
)

UST10Y = CATALOGUE["ust10y"]
TGA = CATALOGUE["tga"]


def _frame(
    values: list[float], start: str = "2025-01-02", freq: str = "B", lines: bool = True
) -> pd.DataFrame:
    dates = pd.date_range(start, periods=len(values), freq=freq)
    frame = pd.DataFrame({"date": dates, "value": values})
    if lines:
        frame["line"] = range(2, len(values) + 2)
    return frame


# --------------------------------------------------------------------------- repeated dates


def test_an_exact_repeat_is_dropped_with_a_warning(caplog):
    frame = pd.concat([_frame([4.5, 4.6]), _frame([4.6], start="2025-01-03").assign(line=9)])
    with caplog.at_level(logging.WARNING, logger="generator.validate"):
        out = drop_repeated_dates(UST10Y, frame, "dgs10.csv")
    assert out["value"].tolist() == [4.5, 4.6]
    assert "1 exact repeat" in caplog.text
    assert "dgs10.csv" in caplog.text


def test_a_repeat_with_another_value_names_the_file_and_both_lines():
    frame = pd.concat([_frame([4.5, 4.6]), _frame([4.7], start="2025-01-03").assign(line=9)])
    with pytest.raises(DataError) as caught:
        drop_repeated_dates(UST10Y, frame, "dgs10.csv")
    assert caught.value.file == "dgs10.csv"
    assert "2025-01-03 appears twice" in caught.value.message
    assert "4.6 on line 3" in caught.value.message
    assert "4.7 on line 9" in caught.value.message


def test_vintages_repeat_a_date_once_per_release():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-10-01", "2024-10-01"]),
            "value": [2.3, 2.4],
            "published": pd.to_datetime(["2025-01-30", "2025-02-27"]),
        }
    )
    assert len(drop_repeated_dates(CATALOGUE["gdp_growth"], frame, "vintages.csv")) == 2


# --------------------------------------------------------------------------- bounds and moves


def test_a_value_outside_the_range_names_file_line_value_and_bound():
    with pytest.raises(DataError) as caught:
        check_range(UST10Y, _frame([4.52, 458.0]), "dgs10.csv")
    message = str(caught.value)
    assert caught.value.line == 3
    assert "458 %" in message
    assert "line 3 (2025-01-03)" in message
    assert "-2 to 25 %" in message
    assert "[validation.bounds]" in message


def test_scale_is_applied_before_the_range():
    tga = _frame([800_000.0, 812_000.0], lines=False)  # $mn in the file, $bn in the catalogue
    check_range(TGA, tga, "dts.json")
    with pytest.raises(DataError, match="80000 \\$bn"):
        check_range(TGA, _frame([800_000.0, 80_000_000.0], lines=False), "dts.json")


def test_the_10y_does_not_move_100_bp_in_a_day():
    with pytest.raises(DataError) as caught:
        check_moves(UST10Y, _frame([4.5, 4.6, 3.55, 4.6]), "dgs10.csv")
    assert "from 4.6 on line 3 (2025-01-03) to 3.55" in caught.value.message
    assert "more than 1 %" in caught.value.message
    check_moves(UST10Y, _frame([4.5, 4.6, 4.0, 4.65]), "dgs10.csv")  # 60 bp: 2020 had 0.75
    check_moves(CATALOGUE["sofr"], _frame([2.43, 5.25, 2.55]), "sofr.csv")  # 2019-09-17: 2.82 pp


def test_levels_may_not_jump_by_a_unit_slip():
    with pytest.raises(DataError, match="a factor 30"):
        check_moves(TGA, _frame([800_000.0, 8_000.0, 790_000.0], lines=False), "dts.json")


def test_every_series_has_bounds_that_hold_its_real_history(shared_data):
    """Since the 1960s: 15 %+ yields in 1981, negative Bund and JGB yields, 2020, TGA swings."""
    store = load_store(shared_data)
    assert not store.problems, store.problems
    assert {spec.unit for spec in SERIES} <= set(BOUNDS_BY_UNIT)
    assert store.series["ust10y"].observations["value"].max() > 15
    assert store.series["bund10y_monthly"].observations["value"].min() < 0
    assert store.series["jgb10y"].observations["value"].min() < 0


# --------------------------------------------------------------------------- truncation


def test_a_file_cut_mid_line_is_an_error_where_the_format_ends_with_a_line_break():
    with pytest.raises(DataError, match="ends mid-line") as caught:
        check_ending(
            "observation_date,DGS10\n2025-01-30,4.52\n2025-01-31,4.", UST10Y, "d.csv", always_terminated=True
        )
    assert caught.value.line == 3
    check_ending("observation_date,DGS10\n2025-01-31,4.58\n", UST10Y, "d.csv", always_terminated=True)


def test_formats_without_a_final_line_break_are_judged_by_their_last_line():
    spec = CATALOGUE["par10y"]
    whole = 'Date,"1 Mo","10 Yr"\n01/03/2025,4.4,4.6\n01/02/2025,4.4,4.57'
    check_ending(whole, spec, "par.csv", always_terminated=False)
    for cut in (whole[:-6], whole[:-4], 'Date,"1 Mo"\n01/03/2025,"4.4', whole[:-2]):
        with pytest.raises(DataError, match="cut short"):
            check_ending(cut, spec, "par.csv", always_terminated=False)


def test_a_history_that_starts_late_is_flagged():
    holdings = CATALOGUE["foreign_holdings"]
    assert holdings.expected_start is not None
    with pytest.raises(DataError, match="history starts 2012-12-31") as caught:
        check_start(holdings, [("mfhhis01.txt", _frame([5000.0, 5010.0], start="2012-12-31", freq="ME"))])
    assert caught.value.file == "mfhhis01.txt"


def test_two_missing_months_are_a_hole_one_is_not():
    cpi = CATALOGUE["cpi"]
    frame = _frame([320.0, 321.0, 322.0, 323.0], start="2025-08-01", freq="MS")
    check_gaps(cpi, frame.drop(index=[2]), "cpi.csv")  # October 2025 was never published
    with pytest.raises(DataError, match="no observation between line 2"):
        check_gaps(cpi, frame.drop(index=[1, 2]), "cpi.csv")


def test_a_download_that_starts_later_or_shrank_is_refused():
    old = _frame([4.5] * 100, start="2020-01-01")
    with pytest.raises(DataError, match=r"starts .* later than the cached copy"):
        compare_with_previous(UST10Y, old.iloc[10:], old, "download")
    with pytest.raises(DataError, match="looks truncated"):
        compare_with_previous(UST10Y, old.iloc[:50], old, "download")
    compare_with_previous(UST10Y, _frame([4.5] * 101, start="2020-01-01"), old, "download")


def test_fetch_keeps_the_cached_copy_when_the_download_is_much_shorter(tmp_path, monkeypatch):
    cached = tmp_path / UST10Y.file
    cached.parent.mkdir(parents=True)
    rows = "".join(f"{day:%Y-%m-%d},4.5\n" for day in pd.bdate_range("2024-01-01", periods=50))
    cached.write_text("observation_date,DGS10\n" + rows)
    short = "".join(rows.splitlines(keepends=True)[:20])
    monkeypatch.setattr(fred, "fetch", lambda specs, http: ("observation_date,DGS10\n" + short).encode())
    result = fetch_file([UST10Y], http=None, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert result.error is not None
    assert "truncated" in result.error
    assert cached.read_text().endswith(rows)


# --------------------------------------------------------------------------- cross-checks


def _observations(values: list[float], file: str) -> pd.DataFrame:
    frame = _frame(values, lines=False)
    return frame.assign(published=frame["date"], realtime=False, file=file)


def test_two_views_of_the_10y_must_agree_and_both_files_are_named():
    problems = cross_check(
        {
            "ust10y": _observations([4.5, 4.6], "fred_DGS10.csv"),
            "par10y": _observations([4.5, 4.7], "par.csv"),
        }
    )
    assert set(problems) == {"ust10y", "par10y"}
    assert "fred_DGS10.csv and par.csv" in problems["ust10y"]
    assert "2025-01-03" in problems["ust10y"]
    assert not cross_check(
        {"ust10y": _observations([4.5, 4.6], "a.csv"), "par10y": _observations([4.5, 4.6], "b.csv")}
    )


def test_a_part_larger_than_its_total_is_an_error():
    problems = cross_check(
        {
            "mmf_treasury": _observations([2000.0, 2100.0], "t.csv"),
            "mmf_total": _observations([7000.0, 21.0], "x.csv"),
        }
    )
    assert "mmf_treasury = 2100 and mmf_total = 21" in problems["mmf_total"]


def test_cross_checks_name_catalogue_series():
    assert all(key in CATALOGUE for check in CROSS_CHECKS for key in (*check.left, check.right))


# --------------------------------------------------------------------------- the desk widens a bound


def test_settings_widen_a_bound_with_a_reason(tmp_path, caplog):
    settings = tmp_path / "ust-weekly.toml"
    settings.write_text(
        '[validation.bounds]\nust10y = {max_move = 3.5, reason = "checked the 1980s release"}\n'
    )
    widened = load_config(settings).validation.widened()
    assert widened == (WidenedBound("ust10y", "checked the 1980s release", max_move=3.5),)
    with caplog.at_level(logging.WARNING, logger="generator.validate"):
        (spec,) = widen_bounds((UST10Y,), widened)
    assert spec.plausible == replace(UST10Y.plausible, max_move=3.5)
    assert "checked the 1980s release" in caplog.text
    check_moves(spec, _frame([4.5, 7.8]), "dgs10.csv")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('ust10y = {max_move = 0.5, reason = "tighter"}', "would narrow"),
        ("ust10y = {high = 30}", "reason"),
        ('nonsense = {high = 30, reason = "typo"}', "not a series"),
    ],
)
def test_settings_can_only_widen_known_series_and_must_say_why(tmp_path, line, problem):
    settings = tmp_path / "ust-weekly.toml"
    settings.write_text(f"[validation.bounds]\n{line}\n")
    with pytest.raises(ConfigError, match=problem):
        load_config(settings)


def test_a_widened_bound_reaches_the_store(tmp_path):
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("observation_date,DGS10\n2025-01-02,4.5\n2025-01-03,8.0\n")
    request = DataRequest(mode=DATA_DIR, data_dir=tmp_path)
    assert "ust10y" in open_store(request, (UST10Y,)).problems
    widened = (WidenedBound("ust10y", "test", max_move=4.0),)
    store = open_store(replace(request, widened=widened), (UST10Y,))
    assert not store.problems
    assert store.series["ust10y"].spec.plausible.max_move == 4.0


def test_validate_file_runs_every_check():
    with pytest.raises(DataError, match="implausible value"):
        validate_file(replace(UST10Y, bounds=Bounds(0, 10)), _frame([4.5, 11.0]), "dgs10.csv")


# --------------------------------------------------------------------------- issue 11, replayed


def _copy_with(tmp_path: Path, shared: Path, spec_keys: tuple[str, ...], name: str, change) -> Path:
    """Copy the files of ``spec_keys`` into ``tmp_path``, ``name`` changed by ``change(text) -> text``."""
    for key in spec_keys:
        for path in find_files(shared, CATALOGUE[key]):
            relative = path.relative_to(shared)
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            raw = path.read_bytes()
            if relative.as_posix() == name:
                raw = change(raw.decode("utf-8-sig")).encode()
            target.write_bytes(raw)
    return tmp_path


def _problem(tmp_path: Path, keys: tuple[str, ...]) -> str:
    store = load_store(tmp_path, tuple(CATALOGUE[key] for key in keys))
    assert store.problems, "the damaged file was accepted"
    return " ".join(store.problems.values())


ISSUE_CASES = [
    # one value 100x off
    ("ust10y", "yields/fred_DGS10_thru_2026-08-20.csv", ("2025-01-31,4.58\n", "2025-01-31,458\n"), "458 %"),
    (
        "acm_tp10",
        "yields/nyfed_ACMTP10_daily.csv",
        ("2025-01-31,0.489486\n", "2025-01-31,48.9486\n"),
        "48.9486",
    ),
    (
        "mmf_total",
        "debt/OFR_MMF_TOT_mmf_total_investments_bn_monthly.csv",
        ("2025-01-31,7332.7\n", "2025-01-31,733270\n"),
        "733270",
    ),
    (
        "foreign_holdings",
        "international/tic_mfhhis01.txt",
        ("Grand Total\t9271\t", "Grand Total\t927100\t"),
        "927100",
    ),
    (
        "jgb10y",
        "international/mof_jgbcm_all.csv",
        (
            "R7.1.31,0.56,0.729,0.754,0.846,0.909,0.922,0.976,1.055,1.151,1.25,",
            "R7.1.31,0.56,0.729,0.754,0.846,0.909,0.922,0.976,1.055,1.151,125,",
        ),
        "125 %",
    ),
    # a duplicated date with a different value
    (
        "ust10y",
        "yields/fred_DGS10_thru_2026-08-20.csv",
        ("2025-01-31,4.58\n", "2025-01-31,4.58\n2025-01-31,4.68\n"),
        "appears twice",
    ),
    (
        "acm_tp10",
        "yields/nyfed_ACMTP10_daily.csv",
        ("2025-01-31,0.489486\n", "2025-01-31,0.489486\n2025-01-31,0.5\n"),
        "appears twice",
    ),
    (
        "mmf_total",
        "debt/OFR_MMF_TOT_mmf_total_investments_bn_monthly.csv",
        ("2025-01-31,7332.7\n", "2025-01-31,7332.7\n2025-01-31,7400\n"),
        "appears twice",
    ),
    (
        "mspd_bills",
        "debt/MSPD_SumSecty_20010131_20260531.csv",
        (
            "2025-01-31,Marketable,Bills,6378989.305,935.6552,6379924.9602\n",
            "2025-01-31,Marketable,Bills,6378989.305,935.6552,6379924.9602\n2025-01-31,Marketable,Bills,6378989.305,935.6552,6479924.9602\n",
        ),
        "Bills appears twice",
    ),
]


@pytest.mark.parametrize(("key", "name", "edit", "expected"), ISSUE_CASES)
def test_issue_11_silently_wrong_results_are_errors(tmp_path, shared_data, key, name, edit, expected):
    old, new = edit
    folder = _copy_with(tmp_path, shared_data, (key,), name, lambda text: text.replace(old, new, 1))
    problem = _problem(folder, (key,))
    assert Path(name).name in problem
    assert expected in problem


def test_issue_11_a_file_cut_mid_line_is_an_error(tmp_path, shared_data):
    name = "yields/fred_DGS10_thru_2026-08-20.csv"
    folder = _copy_with(tmp_path, shared_data, ("ust10y",), name, lambda text: text.rstrip("\n")[:-1])
    assert "ends mid-line" in _problem(folder, ("ust10y",))
    acm = "yields/nyfed_ACMTP10_daily.csv"
    folder = _copy_with(
        tmp_path / "acm", shared_data, ("acm_tp10",), acm, lambda text: text.rstrip("\n")[:-4]
    )
    assert text_ends(folder / acm, "0.81")
    assert "ends mid-line" in _problem(folder, ("acm_tp10",))


def text_ends(path: Path, suffix: str) -> bool:
    return path.read_text().endswith(suffix)


def test_issue_11_half_of_tic_mfhhis01_is_an_error(tmp_path, shared_data):
    name = "international/tic_mfhhis01.txt"
    folder = _copy_with(
        tmp_path, shared_data, ("foreign_holdings",), name, lambda text: text[: len(text) // 2]
    )
    problem = _problem(folder, ("foreign_holdings",))
    assert "tic_mfhhis01.txt" in problem
    assert "cut short" in problem or "history starts" in problem
    # also when the cut falls at the end of a line
    lines = (shared_data / name).read_text().splitlines(keepends=True)
    folder = _copy_with(
        tmp_path / "lines", shared_data, ("foreign_holdings",), name, lambda _: "".join(lines[:600])
    )
    assert "history starts" in _problem(folder, ("foreign_holdings",))


def test_the_shared_data_pass_every_cross_check(shared_data):
    keys = sorted({key for check in CROSS_CHECKS for key in (*check.left, check.right)})
    store = load_store(shared_data, tuple(CATALOGUE[key] for key in keys))
    assert not store.problems
    frames = {key: store.series[key].observations for key in keys}
    assert not cross_check(frames)
    frames["par10y"] = frames["par10y"].assign(value=frames["par10y"]["value"] + 0.05)
    assert "yields/treasury_daily_par_yield_curve_2021_2025.csv" in cross_check(frames)["ust10y"]


def test_read_bytes_keeps_line_numbers():
    frame = read_bytes(
        b"observation_date,DGS10\n2025-01-02,4.5\n\n2025-01-03,\n2025-01-06,4.6\n", UST10Y, "x.csv"
    )
    assert frame["line"].tolist() == [2, 5]
