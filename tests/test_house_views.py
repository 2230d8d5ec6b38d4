"""Point-in-time house views: conditions checked against the figures, dated files, demo inputs."""

from __future__ import annotations

from datetime import date

import pytest

from generator.demo_inputs import find_demo_inputs
from generator.errors import ConfigError
from generator.inputs import load_inputs
from generator.send import SendError, check_sendable
from generator.views import (
    VIEWS_MAX_AGE_DAYS,
    check_view_conditions,
    load_views,
    parse_views,
    views_age_warning,
    views_path_for,
    views_that_hold,
)

VIEWS = """\
headline: {zh: 标题, en: Headline}
authors:
  - name: {zh: 张三, en: Zhang San}
target_10y:
  low: 4.0
  high: 4.4
  horizon: {zh: 未来一个季度, en: the next quarter}
strategy:
  zh:
    - 短债承担大部分融资，做多长端。
    - 美联储按兵不动期间区间交易。
  en:
    - With bills carrying most of the financing, buy the long end.
    - Trade the front end in a range while the Fed is on hold.
  conditions:
    - [bills_fund_most_net_issuance]
    - [fed_on_hold, not fed_moved_recently]
risks:
  zh: [通胀超预期。]
  en: [Inflation surprises.]
"""


def test_a_contradicted_condition_names_the_file_the_line_and_the_claim():
    views = parse_views(VIEWS, "desk/views.yaml")
    claims = {"bills_fund_most_net_issuance": False, "fed_on_hold": True, "fed_moved_recently": False}
    warnings = check_view_conditions(views, claims, date(2025, 2, 7))
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "desk/views.yaml:16: strategy paragraph 1 assumes bills_fund_most_net_issuance"
    )
    assert "contradict" in warnings[0]


def test_a_negated_condition_and_an_unknown_truth_are_reported():
    views = parse_views(VIEWS, "views.yaml")
    claims = {"bills_fund_most_net_issuance": True, "fed_on_hold": None, "fed_moved_recently": True}
    warnings = check_view_conditions(views, claims, date(2025, 9, 19))
    assert [warning.split(": ")[0] for warning in warnings] == ["views.yaml:17", "views.yaml:17"]
    assert "assumes fed_on_hold, which cannot be checked" in warnings[0]
    assert "assumes not fed_moved_recently (not (" in warnings[1]


def test_conditions_that_hold_give_no_warning():
    views = parse_views(VIEWS, "views.yaml")
    claims = {"bills_fund_most_net_issuance": True, "fed_on_hold": True, "fed_moved_recently": False}
    assert check_view_conditions(views, claims, date(2025, 2, 7)) == []


def test_a_paragraph_whose_condition_fails_is_left_out_of_the_note_in_both_languages():
    views = parse_views(VIEWS, "views.yaml")
    claims = {"bills_fund_most_net_issuance": True, "fed_on_hold": False, "fed_moved_recently": True}
    held = views_that_hold(views, claims)
    assert held.strategy.en == ("With bills carrying most of the financing, buy the long end.",)
    assert held.strategy.zh == ("短债承担大部分融资，做多长端。",)
    assert held.risks == views.risks  # no conditions: always kept


def test_a_paragraph_resting_on_an_unknown_claim_is_left_out_and_one_that_holds_is_kept():
    views = parse_views(VIEWS, "views.yaml")
    unknown = {"bills_fund_most_net_issuance": None, "fed_on_hold": True, "fed_moved_recently": False}
    assert views_that_hold(views, unknown).strategy.en == (
        "Trade the front end in a range while the Fed is on hold.",
    )
    holding = {"bills_fund_most_net_issuance": True, "fed_on_hold": True, "fed_moved_recently": False}
    assert views_that_hold(views, holding) is views


def test_an_unknown_claim_or_a_wrong_count_is_a_config_error_with_its_line():
    with pytest.raises(ConfigError, match="unknown claim bills_most") as caught:
        parse_views(VIEWS.replace("[bills_fund_most_net_issuance]", "[bills_most]"), "views.yaml")
    assert "line 15" in str(caught.value)
    with pytest.raises(ConfigError, match="conditions has 1 lists for 2 paragraphs"):
        parse_views(VIEWS.replace("    - [fed_on_hold, not fed_moved_recently]\n", ""), "views.yaml")


def test_the_shipped_views_assert_nothing_the_figures_do_not_check():
    views = load_views()
    assert len(views.strategy.conditions) == len(views.strategy.en)
    text = " ".join(views.strategy.en).lower()
    assert "most of the financing" not in text
    assert "on hold" not in text or ("fed_on_hold",) in views.strategy.conditions


def test_a_note_uses_the_newest_views_dated_on_or_before_its_date(tmp_path):
    (tmp_path / "views").mkdir()
    for day in ("2025-01-03", "2025-02-07"):
        (tmp_path / "views" / f"{day}.yaml").write_text(
            VIEWS.replace("Headline", f"View of {day}"), encoding="utf-8"
        )
    (tmp_path / "views.yaml").write_text(VIEWS.replace("Headline", "undated"), encoding="utf-8")
    assert load_views(tmp_path, date(2025, 2, 6)).headline("en") == "View of 2025-01-03"
    assert load_views(tmp_path, date(2025, 2, 7)).headline("en") == "View of 2025-02-07"
    assert load_views(tmp_path, date(2025, 9, 19)).dated == date(2025, 2, 7)
    assert load_views(tmp_path, date(2024, 12, 31)).headline("en") == "undated"


def test_dated_views_without_an_undated_file_fall_back_to_the_shipped_one(tmp_path):
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "2025-02-07.yaml").write_text(VIEWS, encoding="utf-8")
    assert views_path_for(tmp_path, date(2025, 1, 1)) == load_views().source


def test_views_far_older_than_the_note_are_flagged(tmp_path):
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "2025-02-07.yaml").write_text(VIEWS, encoding="utf-8")
    views = load_views(tmp_path, date(2025, 9, 19))
    assert (
        views_age_warning(
            views, date(2025, 2, 7).fromordinal(date(2025, 2, 7).toordinal() + VIEWS_MAX_AGE_DAYS)
        )
        is None
    )
    warning = views_age_warning(views, date(2025, 9, 19))
    assert (
        "2025-02-07.yaml: house view dated 2025-02-07 is 224 days older than the note (2025-09-19)" in warning
    )
    assert views_age_warning(load_views(), date(2025, 9, 19)) is None  # undated: no age


def test_sample_analysts_and_demo_rows_are_demo_inputs(tmp_path):
    shipped = find_demo_inputs(load_views(), load_inputs(None), date(2025, 2, 7))
    assert len(shipped) == 1
    assert "sample analysts (Sample Analyst A, Sample Analyst B)" in str(shipped[0])
    (tmp_path / "tariff_scenarios.csv").write_text(
        "country,scenario,gdp_impact_pct,inflation_impact_pp,gdp_loss_bn,published,demo,citation\n"
        "Testland,demo scenario,-1.0,0.4,,2025-01-01,true,demo value\n",
        encoding="utf-8",
    )
    desk = parse_views(VIEWS, tmp_path / "views.yaml")
    found = find_demo_inputs(desk, load_inputs(tmp_path), date(2025, 2, 7))
    assert len(found) == 1
    assert "1 tariff scenario row(s) marked demo" in str(found[0])
    assert find_demo_inputs(desk, load_inputs(tmp_path), date(2024, 12, 31)) == ()
    assert find_demo_inputs(desk, load_inputs(None), date(2025, 2, 7)) == ()


def test_send_refuses_a_build_with_demo_inputs_unless_allowed():
    manifest = {"data": {"demo": False}, "series": {}, "demo_inputs": ["views.yaml: sample analysts"]}
    with pytest.raises(SendError, match=r"demo inputs: views\.yaml: sample analysts"):
        check_sendable(manifest, allow_demo=False, allow_stale=False)
    check_sendable(manifest, allow_demo=True, allow_stale=False)
    check_sendable({"data": {"demo": False}, "series": {}, "demo_inputs": []}, False, False)


def test_init_scaffolds_dated_views_that_a_build_picks_by_date(tmp_path):
    from generator.analyst import scaffold_analyst_folder
    from generator.build import BuildRequest, note_views, views_file
    from generator.data import DataRequest

    folder = tmp_path / "desk"
    result = scaffold_analyst_folder(folder, today=date(2025, 2, 7))
    assert folder / "views" / "2025-02-07.yaml" in result.written
    assert "# views = " in (folder / "ust-weekly.toml").read_text(encoding="utf-8")
    request = BuildRequest(
        as_of=date(2025, 3, 7), data=DataRequest(), out=tmp_path / "out", analyst_dir=folder
    )
    assert views_file(request) == folder
    assert note_views(request, date(2025, 3, 7)).source == folder / "views" / "2025-02-07.yaml"
    assert note_views(request, date(2025, 2, 6)).source == folder / "views.yaml"
    again = scaffold_analyst_folder(folder, today=date(2025, 3, 7))
    assert not (folder / "views" / "2025-03-07.yaml").exists()
    assert folder / "views" / "2025-02-07.yaml" in again.kept


def test_a_refunding_statement_older_than_a_quarter_is_warned_about():
    from generator.build import refunding_age_warnings

    inputs = load_inputs(None)
    latest = max(row.release_date for row in inputs.refunding)
    assert refunding_age_warnings(inputs, latest) == []
    (warning,) = refunding_age_warnings(inputs, date(latest.year + 1, latest.month, 1))
    assert f"the latest refunding statement on file, of {latest}" in warning
    assert "add the newer statement" in warning
