"""Every adapter's ``read`` on real endpoint responses: ../shared/live-samples (see its README for each
file's origin and the format facts checked here). The samples are read in place, never copied.

Each test goes through :func:`generator.sources.read_bytes`, the path a download or a data-folder file
takes (adapter, frame contract, cut-last-line check), and asserts values printed in the sample.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.sources import read_bytes, tic, treasury
from generator.sources.mof_japan import era_to_date

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "live-samples"


@pytest.fixture
def sample():
    if not SAMPLES.is_dir():
        pytest.skip("../shared/live-samples is not present")

    def read(name: str, key: str, **changes: object) -> pd.DataFrame:
        spec = replace(CATALOGUE[key], **changes) if changes else CATALOGUE[key]
        return read_bytes((SAMPLES / name).read_bytes(), spec, name)

    return read


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return {day.strftime("%Y-%m-%d"): value for day, value in zip(frame["date"], frame["value"], strict=True)}


# --- FRED


def test_fredgraph_current_layout_empty_cells_are_gaps(sample):
    frame = sample("fred_fredgraph_DGS10.csv", "ust10y")
    values = _values(frame)
    assert values["2015-01-02"] == 2.12
    assert values["2026-04-16"] == 4.32
    assert "2015-01-19" not in values  # `2015-01-19,`: a holiday, an empty cell
    assert len(frame) == 43  # 45 rows, two empty
    assert frame["line"].iloc[0] == 2


def test_fredgraph_legacy_layout_date_header_and_dot_gaps(sample):
    values = _values(sample("fred_fredgraph_DGS10_legacy_DATE_header.csv", "ust10y"))
    assert values["1962-01-02"] == 4.06
    assert values["2021-01-04"] == 0.93
    assert "1962-02-22" not in values
    assert "2021-01-01" not in values


def test_fred_api_json_string_values_and_dot_gaps(sample):
    frame = sample("fred_api_series_observations_GDP.json", "gdp_growth", code="GDP", unit="$bn", bounds=None)
    assert "published" not in frame.columns  # one vintage: realtime_start is the same on every row
    values = _values(frame)
    assert values["1947-01-01"] == 243.164
    assert values["2024-07-01"] == 29374.914
    assert min(values) == "1947-01-01"  # the 1946 quarters are "."


def test_alfred_all_vintages_become_release_dates(sample):
    frame = sample("alfred_api_series_observations_GDP_all_vintages.json", "gdp_growth", code="GDP")
    first = frame[frame["date"] == pd.Timestamp("1946-01-01")]
    assert len(first) > 1  # one row per vintage
    assert first["published"].is_monotonic_increasing
    assert pd.Timestamp("1996-01-19") not in set(first["published"])  # that vintage is "."
    last = frame[frame["date"] == frame["date"].max()]
    assert last["value"].iloc[-1] == 29374.914
    assert last["published"].iloc[-1] == pd.Timestamp("2024-12-19")


# --- Treasury par curve


def test_par_curve_2025_newest_first_no_final_line_break(sample):
    raw = (SAMPLES / "treasury_par_yield_2025.csv").read_bytes()
    assert not raw.endswith(b"\n")
    frame = sample("treasury_par_yield_2025.csv", "par10y")
    values = _values(frame)
    assert values["2025-12-19"] == 4.16
    assert values["2025-01-02"] == 4.57
    assert "2025-01-09" not in values  # closed: no row
    assert frame["date"].is_monotonic_increasing  # the adapter sorts a newest-first file


def test_par_curve_6_week_column_is_named_1_5_month(sample):
    six_weeks = _values(sample("treasury_par_yield_2025.csv", "par10y", code="1.5 Month"))
    assert six_weeks["2025-02-19"] == 4.42
    assert min(six_weeks) == "2025-02-18"  # empty before the 6-week bill's first auction


def test_par_curve_2022_has_no_6_week_column(sample):
    values = _values(sample("treasury_par_yield_2022_Oct.csv", "par10y"))
    assert values["2022-10-21"] == 4.21
    assert values["2022-10-03"] == 3.67
    four_months = sample("treasury_par_yield_2022_Oct.csv", "par10y", code="4 Mo")
    assert four_months["date"].min() == pd.Timestamp("2022-10-19")


def test_par_curve_merge_keeps_the_sample_layout(sample):
    tables = [
        treasury._curve_table((SAMPLES / name).read_bytes(), CATALOGUE["par10y"], name)
        for name in ("treasury_par_yield_2025.csv", "treasury_par_yield_2022_Oct.csv")
    ]
    merged = treasury.merge_par_curves(tables)
    assert merged.splitlines()[0].startswith(b'Date,"1 Mo","1.5 Month","2 Mo"')
    values = _values(read_bytes(merged, CATALOGUE["par10y"], "merged.csv"))
    assert values["2022-10-21"] == 4.21
    assert values["2025-12-19"] == 4.16


# --- Fiscal Data


def test_mspd_api_strings_in_millions(sample):
    frame = sample("fiscaldata_mspd_table_1.json", "mspd_bills")
    assert _values(frame) == {"2025-02-28": 6367951.7093}  # total_mil_amt, as a string in the response


def test_dts_closing_balance_is_in_open_today_bal(sample):
    values = _values(sample("fiscaldata_dts_operating_cash_balance.json", "tga"))
    # close_today_bal is the string "null" on every row; the Closing Balance row's open_today_bal holds it
    assert values == {
        "2025-07-07": 332482.0,
        "2025-07-08": 343047.0,
        "2025-07-09": 311048.0,
        "2025-07-10": 288395.0,
        "2025-07-11": 282363.0,
    }


# --- TIC


def test_mfhhis01_tab_delimited_blocks_without_a_final_line_break(sample):
    raw = (SAMPLES / "tic_mfhhis01.txt").read_bytes()
    assert not raw.endswith(b"\n")
    total = _values(sample("tic_mfhhis01.txt", "foreign_holdings"))
    assert total["2025-12-31"] == 9271.0  # an integer written without decimals
    japan = _values(sample("tic_mfhhis01.txt", "foreign_holdings_japan"))
    assert japan["2025-12-31"] == 1185.5
    china = sample("tic_mfhhis01.txt", "foreign_holdings_china")  # a quoted name: "China, Mainland"
    assert china["date"].min() == pd.Timestamp("2011-01-31")
    assert len(total) == 24  # the 2025 and 2011 blocks; the 2011 June shown twice counts once


def test_mfhhis01_download_without_a_final_line_break_is_accepted():
    if not SAMPLES.is_dir():
        pytest.skip("../shared/live-samples is not present")
    raw = (SAMPLES / "tic_mfhhis01.txt").read_bytes()
    spec = CATALOGUE["foreign_holdings"]
    assert tic.ENDS_WITH_LINE_BREAK is False
    assert read_bytes(raw, spec, spec.endpoint)["value"].notna().all()


def test_slt_table4_crlf_machine_header_newest_first(sample):
    frame = sample("tic_slt_table4.txt", "tic_net_lt_purchases")
    assert len(frame) == 12
    assert _values(frame)["2026-07-31"] == 40616.0  # $mn: sales minus purchases by US residents
    assert frame["line"].max() == 21  # newest first: the oldest month is the lowest line


def test_s1_globl_tab_delimited_with_thousands_commas(sample):
    frame = sample("tic_s1_globl.csv", "tic_net_lt_purchases")
    values = _values(frame)
    assert values["1977-01-31"] == 892.0
    assert values["2023-01-31"] == 31723.0
    assert len(frame) == 15


# --- MOF Japan, Bundesbank, ECB, BoJ


def test_mof_shift_jis_era_dates(sample):
    frame = sample("mof_jgbcm_all.csv", "jgb10y")
    values = _values(frame)
    assert values["1986-07-05"] == 5.103  # S61.7.5, the first 10-year value
    assert values["1989-01-06"] == 4.843  # S64.1.6, the last Showa day in the file
    assert values["1989-01-09"] == 4.791  # H1.1.9
    assert values["2019-05-07"] == -0.049  # R1.5.7, a negative yield
    assert era_to_date("H31.4.26").isoformat() == "2019-04-26"
    assert min(values) == "1986-07-05"  # `-` before the 10-year existed


def test_bundesbank_metadata_lines_and_dot_gaps(sample):
    frame = sample("bundesbank_BBSIS_D_R10XX_svensson.csv", "bund10y")
    values = _values(frame)
    assert values["2024-01-02"] == 2.14
    assert values["2026-10-06"] == 3.52
    assert "2024-01-06" not in values  # a Saturday: `.` with "No value available"
    assert frame["line"].iloc[0] == 11  # after nine metadata lines and the 1 January gap


def test_ecb_csvdata_varying_decimals_and_quoted_titles(sample):
    values = _values(sample("ecb_csvdata_IRS_M_DE_L40.csv", "bund10y_convergence"))
    assert len(values) == 15
    assert values["2025-06-01"] == 2.52
    assert values["2026-08-01"] == 3.185


def test_boj_quarterly_survey_dates_are_quarters(sample):
    frame = sample(
        "boj_getDataCode_CO_TK99F1000601GCQ01000.json",
        "tona",
        code="TK99F1000601GCQ01000",
        frequency="quarterly",
        unit="pp",
    )
    # SURVEY_DATES 202501…202504 are 2025Q1…Q4, not January to April
    assert _values(frame) == {"2025-01-01": 12.0, "2025-04-01": 13.0, "2025-07-01": 14.0, "2025-10-01": 15.0}
