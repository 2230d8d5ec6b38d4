"""Analyst inputs: the shipped folder, validation messages, the PIIE prose format, overlays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.errors import ConfigError, DataError
from generator.inputs import PIIE_BLOG_PUBLISHED_BY, load_inputs, read_refunding, read_tariff_scenarios

REFUNDING_HEADER = (
    "release_date,quarter,net_borrowing_current_q_bn,net_borrowing_next_q_bn,"
    "tga_end_current_q_bn,tga_end_next_q_bn,citation\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_folder_selects_the_latest_statement_by_release_date():
    inputs = load_inputs(None)
    statement = inputs.refunding_as_of(date(2025, 2, 7))
    assert (statement.quarter, statement.net_borrowing_current_q_bn, statement.net_borrowing_next_q_bn) == (
        "2025Q1",
        815,
        123,
    )
    assert statement.tga_end_current_q_bn == 850
    assert inputs.refunding_as_of(date(2025, 2, 2)).quarter == "2024Q4"
    assert not any(row.demo for row in inputs.tariff_scenarios)
    assert all("https://www.piie.com/" in row.citation for row in inputs.tariff_scenarios)
    assert {row.published for row in inputs.tariff_scenarios} == {date(2025, 1, 20)}
    assert inputs.tariff_scenarios_as_of(date(2025, 1, 17)) == ()


def test_no_statement_before_the_first_release(tmp_path):
    inputs = load_inputs(None)
    with pytest.raises(DataError, match="no refunding statement released on or before 2020-01-01"):
        inputs.refunding_as_of(date(2020, 1, 1))


def test_validation_errors_name_file_line_and_column(tmp_path):
    path = write(
        tmp_path / "refunding.csv",
        REFUNDING_HEADER
        + "2025-02-03,2025Q1,815,123,850,850,https://example.org/a\n"
        + "2025-02-30,2025Q5,abc,123,-1,850,not a url\n",
    )
    with pytest.raises(ConfigError) as caught:
        read_refunding(path)
    message = str(caught.value)
    assert str(path) in message
    for part in (
        "line 3, release_date",
        "line 3, quarter",
        "line 3, net_borrowing_current_q_bn",
        "line 3, citation",
    ):
        assert part in message
    assert "tga_end_current_q_bn" in message


def test_duplicate_release_dates_and_unknown_columns(tmp_path):
    row = "2025-02-03,2025Q1,815,123,850,850,https://example.org/a\n"
    with pytest.raises(ConfigError, match="more than once: 2025-02-03"):
        read_refunding(write(tmp_path / "refunding.csv", REFUNDING_HEADER + row + row))
    extra = write(
        tmp_path / "extra.csv", REFUNDING_HEADER.rstrip("\n") + ",note\n" + row.rstrip("\n") + ",x\n"
    )
    with pytest.raises(ConfigError, match="line 2, note: Extra inputs"):
        read_refunding(extra)


def test_release_date_far_from_its_quarter_is_rejected(tmp_path):
    path = write(
        tmp_path / "refunding.csv", REFUNDING_HEADER + "2023-02-03,2025Q1,815,123,850,850,https://x.org\n"
    )
    with pytest.raises(ConfigError, match="not near the start of 2025Q1"):
        read_refunding(path)


def test_tariff_rows_need_a_number(tmp_path):
    path = write(
        tmp_path / "tariff_scenarios.csv",
        "country,scenario,gdp_impact_pct,inflation_impact_pp,gdp_loss_bn,published,demo,citation\n"
        "Freedonia,demo,,,,2025-01-01,true,demo value\n",
    )
    with pytest.raises(ConfigError, match="line 2, row: Value error, needs gdp_impact_pct"):
        read_tariff_scenarios(path)


def test_piie_prose_format_is_mapped(tmp_path):
    # synthetic rows in the layout of ../shared/data/macro/piie_tariff_scenarios_text_figures.csv
    path = write(
        tmp_path / "piie_tariff_scenarios_text_figures.csv",
        "country,scenario,year,gdp_pct,inflation_pp,other_metric,other_value,source_url,quoted_via_url,"
        "source_wording\n"
        "Freedonia,tariff A,2025-2028 cumulative,,,real GDP loss vs baseline (USD bn),70,https://p.org/a,"
        'https://q.org,"a sentence, with a comma"\n'
        "Sylvania,tariff A,peak year,-1.5,,,,https://p.org/a,https://q.org,words\n"
        "Freedonia,tariff B,not named,,0.25,,,https://p.org/b,https://q.org,words\n",
    )
    rows = read_tariff_scenarios(path)
    assert [(row.country, row.gdp_impact_pct, row.inflation_impact_pp, row.gdp_loss_bn) for row in rows] == [
        ("Freedonia", None, None, 70.0),
        ("Sylvania", -1.5, None, None),
        ("Freedonia", None, 0.25, None),
    ]
    assert all(row.published == PIIE_BLOG_PUBLISHED_BY and not row.demo for row in rows)
    assert rows[0].citation == "https://p.org/a"


def test_analyst_folder_overrides_one_file_and_falls_back_for_the_other(tmp_path):
    write(
        tmp_path / "tariff_scenarios.csv",
        "country,scenario,gdp_impact_pct,inflation_impact_pp,gdp_loss_bn,published,demo,citation\n"
        "Freedonia,s,-1,0.5,,2025-01-02,false,https://p.org\n",
    )
    inputs = load_inputs(tmp_path)
    assert inputs.tariff_file == str(tmp_path / "tariff_scenarios.csv")
    assert inputs.refunding_file.endswith("analyst/refunding.csv")
    assert inputs.tariff_scenarios_as_of(date(2025, 1, 1)) == ()


def test_missing_analyst_folder(tmp_path):
    with pytest.raises(ConfigError, match="analyst folder not found"):
        load_inputs(tmp_path / "nope")


QRA_LOG_HEADER = (
    "announcement_date,quarter,projected_borrowing_current_q,projected_borrowing_next_q,"
    "projected_eoq_cash_balance,expected_bill_issuance,commentary_bills,source_url,entered_by,entered_date\n"
)


def test_refunding_log_layout_is_mapped(tmp_path):
    path = write(
        tmp_path / "durationmonitor_qra_log.csv",
        QRA_LOG_HEADER
        + '2030-02-04,2030Q1,500.0,250.0,800.0,,"Verbatim, with a comma",https://example.org/q1,someone,2030-02-05\n'
        + "2030-05-06,2030Q2,-20,600,850,,,https://example.org/q2,someone,2030-05-07\n",
    )
    first, second = read_refunding(path)
    assert (first.release_date, first.quarter) == (date(2030, 2, 4), "2030Q1")
    assert (first.net_borrowing_current_q_bn, first.net_borrowing_next_q_bn) == (500.0, 250.0)
    assert (first.tga_end_current_q_bn, first.tga_end_next_q_bn) == (800.0, None)  # not in the log
    assert first.citation == "https://example.org/q1"
    assert second.net_borrowing_current_q_bn == -20.0


def test_refunding_log_errors_name_the_log_columns_mapped(tmp_path):
    path = write(
        tmp_path / "durationmonitor_qra_log.csv",
        QRA_LOG_HEADER + "2030-02-04,2030Q1,abc,250.0,,,,,someone,2030-02-05\n",
    )
    with pytest.raises(ConfigError) as caught:
        read_refunding(path)
    message = str(caught.value)
    for part in ("line 2, net_borrowing_current_q_bn", "line 2, tga_end_current_q_bn", "line 2, citation"):
        assert part in message


def test_analyst_folder_may_hold_the_refunding_log_instead(tmp_path):
    write(
        tmp_path / "durationmonitor_qra_log.csv",
        QRA_LOG_HEADER + "2030-02-04,2030Q1,500,250,800,,,https://example.org/q1,someone,2030-02-05\n",
    )
    inputs = load_inputs(tmp_path)
    assert inputs.refunding_file.endswith("durationmonitor_qra_log.csv")
    assert inputs.refunding_as_of(date(2030, 3, 1)).quarter == "2030Q1"
