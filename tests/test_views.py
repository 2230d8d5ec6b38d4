"""views.yaml: the shipped file loads; every problem names its key and line; direction helpers."""

from __future__ import annotations

import pytest

from generator.errors import ConfigError, TemplateError
from generator.note import comparison, direction, position, say
from generator.views import SHIPPED_VIEWS, load_views, parse_views, views_that_hold

GOOD = """\
headline: {zh: 标题, en: Headline}
authors:
  - name: {zh: 甲, en: A}
target_10y:
  low: 4.0
  high: 4.4
  horizon: {zh: 未来一个季度, en: the next quarter}
strategy:
  zh: [做多长端。]
  en: [Buy the long end.]
risks:
  zh: [通胀超预期。]
  en: [Inflation surprises.]
"""


def test_shipped_views_load():
    views = load_views()
    assert views.source == SHIPPED_VIEWS
    assert views.target_10y.low < views.target_10y.high
    assert views.author_names("zh")
    assert views.author_names("en")


def test_folder_or_file(tmp_path):
    (tmp_path / "views.yaml").write_text(GOOD, encoding="utf-8")
    assert load_views(tmp_path).headline("en") == "Headline"
    assert load_views(tmp_path / "views.yaml").title("zh") == "美债周报"


def test_missing_language_names_the_key_and_line():
    text = GOOD.replace("headline: {zh: 标题, en: Headline}", "headline: {zh: 标题}")
    with pytest.raises(ConfigError) as caught:
        parse_views(text, "views.yaml")
    assert "headline.en: Field required" in str(caught.value)
    assert "views.yaml:1:" in str(caught.value)


def test_target_range_order_names_the_key():
    text = GOOD.replace("high: 4.4", "high: 3.9")
    with pytest.raises(ConfigError) as caught:
        parse_views(text, "views.yaml")
    assert "target_10y: high must be above low" in str(caught.value)
    assert "line 4" in str(caught.value)


def test_wrong_type_and_unknown_key_are_both_reported():
    text = GOOD.replace("low: 4.0", "low: four") + "headlin: typo\n"
    with pytest.raises(ConfigError) as caught:
        parse_views(text, "views.yaml")
    message = str(caught.value)
    assert "line 5: target_10y.low: Input should be a valid number" in message
    assert "headlin: Extra inputs are not permitted" in message


def test_empty_paragraph_is_rejected():
    with pytest.raises(ConfigError, match=r"strategy\.en: empty paragraph"):
        parse_views(GOOD.replace("en: [Buy the long end.]", "en: ['  ']"), "views.yaml")


def test_yaml_syntax_error_gives_the_line():
    with pytest.raises(ConfigError) as caught:
        parse_views(GOOD + "risks: [unclosed\n", "views.yaml")
    assert "not valid YAML" in str(caught.value)
    assert "views.yaml:" in str(caught.value)


def test_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(ConfigError, match="ust-weekly init"):
        load_views(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12.3, 0, "up"),
        (-8.4, 0, "down"),
        (0.4, 0, "flat"),
        (-0.5, 0, "down"),
        (0.049, 1, "flat"),
        (None, 0, "na"),
    ],
)
def test_direction_follows_the_printed_value(value, decimals, expected):
    assert direction(value, decimals) == expected


def test_comparison_and_position_use_printed_values():
    assert comparison(0.274, 0.2749, 2) == "level"  # both print as 0.27%
    assert comparison(0.276, 0.274, 2) == "above"
    assert comparison(8512.3, 8604.8, 0) == "below"
    assert position(4.47, 4.0, 4.4, 2) == "above"
    assert position(4.401, 4.0, 4.4, 2) == "within"
    assert position(3.99, 4.0, 4.4, 2) == "below"


def test_say_requires_wording_for_every_state():
    assert say("up", up="rose", down="fell") == "rose"
    assert say("na", up="rose") == ""
    with pytest.raises(TemplateError, match="no wording for state 'flat'"):
        say("flat", up="rose", down="fell")


def test_a_headline_whose_condition_fails_gives_way_to_a_dated_one():
    from datetime import date

    from generator.views import check_view_conditions, views_that_hold

    views = load_views(SHIPPED_VIEWS)
    assert views.headline_conditions == ("ust10y_within_target",)
    as_of = date(2021, 9, 10)
    outside = {"ust10y_within_target": False}
    held = views_that_hold(views, outside, as_of)
    assert held.headline.en == "US Treasuries in the week to 10 Sep 2021"
    assert held.headline.zh == "截至2021年9月10日的美债周度观察"
    [warning] = [item for item in check_view_conditions(views, outside, as_of) if "headline" in item]
    line = (
        SHIPPED_VIEWS.read_text(encoding="utf-8")
        .splitlines()
        .index("headline_conditions: [ust10y_within_target]")
    )
    assert warning.startswith(f"{SHIPPED_VIEWS}:{line + 1}: the headline assumes ust10y_within_target")
    assert views_that_hold(views, {"ust10y_within_target": True}, as_of).headline == views.headline
    assert views_that_hold(views, {}, as_of).headline.en.startswith("US Treasuries in the week")  # unknown


def test_an_unknown_claim_in_headline_conditions_names_the_key():
    text = SHIPPED_VIEWS.read_text(encoding="utf-8").replace(
        "headline_conditions: [ust10y_within_target]", "headline_conditions: [ten_year_is_nice]"
    )
    with pytest.raises(ConfigError, match=r"headline_conditions: unknown claim ten_year_is_nice"):
        parse_views(text, "views.yaml")


def test_the_sample_strategy_drops_the_paragraphs_the_10y_against_the_target_contradicts():
    from datetime import date

    from generator.wording import evaluate_claims

    views = load_views(SHIPPED_VIEWS)
    low, high = views.target_10y.low, views.target_10y.high

    def strategy_at(ten_year: float) -> tuple[str, ...]:
        figures = {"ust10y.last": {"value": ten_year, "unit": "%"}}
        claims = evaluate_claims(figures, date(2023, 10, 20), low, high)
        assert sum(claims[f"ust10y_{side}_target"] for side in ("below", "within", "above")) == 1
        return views_that_hold(views, {**claims, "fed_on_hold": True}).strategy.en

    below, within, above = strategy_at(3.48), strategy_at(4.2), strategy_at(4.93)
    assert len(within) == 4
    assert len(below) == 2
    assert len(above) == 3
    # below the floor the note recommends no long-end position, so none to take profit on either
    assert not any("adding duration" in text or "Take profit" in text for text in below)
    assert not any("break above the top" in text for text in above)
    assert any("adding duration" in text for text in above)


def test_the_target_claims_are_unknown_without_a_target_or_a_yield():
    from datetime import date

    from generator.wording import evaluate_claims

    claims = evaluate_claims({"ust10y.last": {"value": 4.2, "unit": "%"}}, date(2023, 10, 20))
    assert {claims[f"ust10y_{side}_target"] for side in ("below", "within", "above")} == {None}


def test_the_sample_risk_of_delayed_cuts_needs_a_policy_rate_above_core_pce():
    from datetime import date

    from generator.wording import evaluate_claims

    views = load_views(SHIPPED_VIEWS)

    def risks_with(lower: float, upper: float, core_pce: float) -> tuple[str, ...]:
        figures = {
            "fed.target_lower": {"value": lower, "unit": "%"},
            "fed.target_upper": {"value": upper, "unit": "%"},
            "core_pce.yoy": {"value": core_pce, "unit": "%"},
        }
        return views_that_hold(views, evaluate_claims(figures, date(2022, 3, 11))).risks.en

    at_the_floor = risks_with(0.0, 0.25, 5.36)  # Mar 2022: midpoint 5.2 pp below core PCE
    restrictive = risks_with(5.25, 5.5, 2.6)  # Jun 2024
    assert not any("rate cuts" in text for text in at_the_floor)
    assert any("rate cuts" in text for text in restrictive)
    assert len(restrictive) == len(at_the_floor) + 1
