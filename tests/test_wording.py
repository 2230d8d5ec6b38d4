"""Choosing words from figures: each claim at its boundary, periods, and notes with figures missing."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.note import REQUIRED_FIGURES, NoteInputs
from generator.render import render_html
from generator.views import load_views
from generator.wording import (
    CLAIMS,
    Fact,
    PeriodMismatchError,
    claim_meanings,
    derive_values,
    evaluate_claims,
    fact_from_entry,
    is_signed,
    same_period_sum,
    target_edge,
)
from tests.note_support import figures_doc, placeholder_exhibits

AS_OF = date(2031, 3, 14)


def _entry(value, unit="%", when="2031-02-28", period=None):
    entry = {
        "value": value,
        "unit": unit,
        "date": when,
        "source": "synthetic",
        "label_zh": "甲",
        "label_en": "a",
    }
    if period:
        entry["period"] = period
    return entry


def _claims(**entries) -> dict:
    figures = {key.replace("__", "."): entry for key, entry in entries.items()}
    return evaluate_claims(figures, AS_OF)


# --- claims at their boundaries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "most", "less_than_half"),
    [
        (50.06, True, False),
        (50.04, False, False),
        (50.0, False, False),
        (49.96, False, False),
        (49.9, False, True),
        (29.9, False, True),
        (5.7, False, True),
    ],
)
def test_most_means_more_than_half_as_printed(share, most, less_than_half):
    claims = _claims(bills__share_net_issuance_12m=_entry(share))
    assert claims["bills_fund_most_net_issuance"] is most
    assert claims["bills_fund_less_than_half"] is less_than_half


@pytest.mark.parametrize(("share", "paid_down"), [(-11.5, True), (-0.04, False), (0.0, False), (13.7, False)])
def test_bills_paid_down_means_a_negative_share_of_net_issuance(share, paid_down):
    claims = _claims(bills__share_net_issuance_12m=_entry(share))
    assert claims["bills_paid_down_12m"] is paid_down
    assert claims["bills_fund_less_than_half"] is (not paid_down)


@pytest.mark.parametrize(
    ("share", "under_a_tenth"), [(0.26, True), (9.96, False), (9.94, True), (-3.0, False)]
)
def test_under_a_tenth_as_printed(share, under_a_tenth):
    claims = _claims(bills__share_net_issuance_12m=_entry(share))
    assert claims["bills_fund_under_a_tenth"] is under_a_tenth
    if share >= 0:
        assert claims["bills_fund_less_than_half"] is True  # still true, but the tenth is what the note says


def test_a_paydown_of_bills_never_reads_as_a_share(tmp_path):
    zh, en = _prose(figures_doc(bills__share_net_issuance_12m=-11.5), tmp_path)
    assert "-11.5%" not in en
    assert "-11.5%" not in zh
    assert (
        "Treasury paid down bills over the past year: other securities carried all of its net borrowing."
        in en
    )
    assert "过去一年，短期国库券净偿还，财政部的净借款全部由其他券种承担。" in zh


def test_a_missing_share_makes_most_unknown():
    assert _claims(bills__share_net_issuance_12m=_entry(None))["bills_fund_most_net_issuance"] is None
    assert _claims()["bills_fund_most_net_issuance"] is None


@pytest.mark.parametrize(
    ("now", "before", "rose", "fell"),
    [
        (21.66, 22.18, False, True),
        (22.2, 22.18, False, False),
        (22.26, 22.18, True, False),
        (22.15, 22.18, False, False),
    ],
)
def test_bill_share_rose_or_fell_over_twelve_months_as_printed(now, before, rose, fell):
    claims = _claims(
        bills__share_outstanding=_entry(now),
        bills__share_outstanding_12m_ago=_entry(before, when="2030-02-28"),
    )
    assert claims["bill_share_rose_12m"] is rose
    assert claims["bill_share_fell_12m"] is fell


def test_money_funds_share_that_fell_from_42_to_36_reads_as_fell():
    claims = _claims(
        mmf__treasury_share=_entry(36.0), mmf__treasury_share_6m_ago=_entry(42.0, when="2030-08-31")
    )
    assert claims["mmf_treasury_share_fell_6m"] is True
    assert claims["mmf_treasury_share_rose_6m"] is False


@pytest.mark.parametrize(("decisions", "on_hold"), [(0, False), (1, True), (7, True)])
def test_on_hold_means_the_fomc_left_the_range_unchanged_since_its_last_change(decisions, on_hold):
    # 43 days after a hike and five before the next meeting, no decision has yet held the range
    claims = _claims(
        fed__target_last_change_bp=_entry(-25.0, "bp", "2031-01-30"),
        fed__decisions_since_last_change=_entry(float(decisions), "count"),
    )
    assert claims["fed_on_hold"] is on_hold
    assert claims["fed_moved_recently"] is (not on_hold)
    assert claims["fed_last_move_was_a_cut"] is True


def test_on_hold_is_unknown_without_the_fomc_calendar():
    claims = _claims(fed__target_last_change_bp=_entry(-25.0, "bp", "2031-01-30"))
    assert claims["fed_on_hold"] is None
    assert claims["fed_moved_recently"] is None


def test_a_record_is_the_highest_value_of_the_series():
    at_record = _claims(
        foreign_holdings__total_bn=_entry(9107.2, "$bn"), foreign_holdings__record_bn=_entry(9106.9, "$bn")
    )
    below = _claims(
        foreign_holdings__total_bn=_entry(9106.4, "$bn"), foreign_holdings__record_bn=_entry(9107.0, "$bn")
    )
    assert at_record["foreign_holdings_at_record"] is True
    assert below["foreign_holdings_at_record"] is False


def test_refunding_statement_of_another_quarter_is_not_this_quarters():
    same = _claims(refunding__net_borrowing_current_q_bn=_entry(815, "$bn", "2031-02-03"))
    older = _claims(refunding__net_borrowing_current_q_bn=_entry(815, "$bn", "2030-11-03"))
    assert same["refunding_statement_of_this_quarter"] is True
    assert older["refunding_statement_of_this_quarter"] is False
    assert _claims()["refunding_statement_on_file"] is False


def test_every_claim_has_a_meaning():
    meanings = claim_meanings()
    assert set(CLAIMS) <= set(meanings)
    assert all(text.strip() for text in meanings.values())


# --- periods -------------------------------------------------------------------------------------------


def test_period_comes_from_figures_json_or_from_the_date():
    assert fact_from_entry("cpi.yoy", _entry(2.9, when="2025-01-01", period="2025-01")).period == "2025-01"
    assert fact_from_entry("cpi.yoy", _entry(2.9, when="2025-01-01")).period == "2025-01"
    assert fact_from_entry("gdp.qoq_saar_last", _entry(2.3, when="2024-10-01")).period == "2024Q4"
    assert fact_from_entry("ust10y.last", _entry(4.49, when="2025-02-07")).period == "2025-02-07"


def test_sums_refuse_figures_of_different_periods():
    q4 = Fact("gdp.contrib_equipment_pp", 0.11, date(2024, 10, 1), "2024Q4", "pp")
    q1 = Fact("gdp.contrib_inventories_pp", 2.6, date(2025, 1, 1), "2025Q1", "pp")
    with pytest.raises(PeriodMismatchError, match="different periods"):
        same_period_sum(q1, q4)
    assert (
        same_period_sum(q1, Fact("gdp.contrib_equipment_pp", 1.22, date(2025, 1, 1), "2025Q1", "pp")) == 3.82
    )


def test_inventories_and_equipment_of_different_quarters_are_not_added(tmp_path):
    doc = figures_doc()
    doc["figures"]["gdp.contrib_inventories_pp"].update(date="2031-01-01", period="2031Q1")
    doc["figures"]["gdp.contrib_equipment_pp"].update(date="2030-10-01", period="2030Q4")
    assert derive_values(doc["figures"])["gdp.contrib_inv_eq_pp"] is None
    zh, en = _prose(doc, tmp_path)
    assert "together" not in en
    assert "两项合计" not in zh
    assert (
        "Inventories subtracted 0.87 pp in Q1 2031; equipment investment subtracted 0.41 pp in Q4 2030." in en
    )
    assert "2031年一季度库存投资拖累0.87个百分点；2030年四季度设备投资拖累0.41个百分点。" in zh


def test_older_values_print_their_period(tmp_path):
    doc = figures_doc()
    doc["figures"]["cpi.yoy"].update(date="2031-01-01", period="2031-01")
    doc["figures"]["hedge_cost.jpy_3m"].update(date="2031-01-01", period="2031-01")
    zh, en = _prose(doc, tmp_path)
    assert "CPI inflation, measured on the seasonally adjusted index, was 2.9% in Jan 2031" in en
    assert "2031年1月CPI同比（按季调指数计算）为2.9%" in zh
    assert "3.93% (Jan 2031) for yen-based investors" in en
    assert "日元投资者的对冲成本为3.93%（2031年1月）" in zh
    assert "1.74% for euro-based ones" in en  # dated this week: no period


def test_a_value_resting_partly_on_an_older_input_says_so(tmp_path):
    # a hedged yield: this week's Treasury yields with last month's yen rate; "(Jan 2031)" alone
    # would read as if the whole value were January's
    doc = figures_doc()
    week = doc["as_of"]
    doc["figures"]["hedged10y.jpy"].update(
        date="2031-01-01",
        period="2031-01",
        inputs=[
            {"series": "jpy3m_interbank", "date": "2031-01-01", "published": "2031-02-20"},
            {"series": "ust10y", "date": week, "published": week},
        ],
    )
    zh, en = _prose(doc, tmp_path)
    assert "(incl. Jan 2031 data)" in en
    assert "（含2031年1月数据）" in zh


def test_a_hedge_figure_of_this_week_with_yesterdays_euro_rate_is_dated_by_its_yields():
    # the ECB rate of the day before with today's Treasury yields: the table dates the figure by the
    # yields, with the older input named, as it does a yen figure on last month's rate
    from generator.figure_periods import printed_period

    doc = figures_doc()
    week = date.fromisoformat(doc["as_of"])
    day_before = (week - timedelta(days=1)).isoformat()
    figure = {
        **doc["figures"]["hedged10y.eur"],
        "date": day_before,
        "period": day_before,
        "inputs": [
            {"series": "eur3m_aaa", "date": day_before},
            {"series": "par10y", "date": week.isoformat()},
        ],
    }
    assert printed_period("hedged10y.eur", figure, "en", week) == ("14 Mar 2031", "(incl. 13 Mar 2031 data)")
    assert printed_period("hedged10y.eur", figure, "zh", week) == ("2031年3月14日", "（含2031年3月13日数据）")
    # a change over four weeks has two dates too: its inputs are the window's ends, not a combination
    change = {
        **figure,
        "inputs": [{"series": "par10y", "date": "2031-02-14"}, {"series": "par10y", "date": "2031-03-14"}],
    }
    assert printed_period("ust10y.change_4w_bp", change, "en", week) == ("13 Mar 2031", "")


# --- the words follow the claims in the rendered note ---------------------------------------------------


def _prose(doc: dict, folder: Path, as_of: date | None = None) -> tuple[str, str]:
    inputs = NoteInputs.from_document(doc, placeholder_exhibits(folder), load_views(), as_of=as_of)
    return _prose_text(render_html(inputs, "zh")), _prose_text(render_html(inputs, "en"))


def _prose_text(html: str) -> str:
    """The text of the summary, key points and strategy: the note's sentences, without tables."""
    sections = r'<section class="(?:summary|key-points|strategy)"[^>]*>(.*?)</section>'
    parts = re.findall(sections, html, flags=re.S)
    assert len(parts) >= 2, "the note's sections were not found: the markup changed"
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return re.sub(r"\s+", " ", text).replace("\u00a0", " ").replace("&#39;", "'").replace("&#34;", '"')


def test_bills_below_half_never_read_as_most(tmp_path):
    zh, en = _prose(figures_doc(bills__share_net_issuance_12m=29.9), tmp_path)
    assert "Bills carried most" not in en
    assert "大部分由短期国库券" not in zh
    assert "covering most new financing" not in en
    assert "承担大部分新增融资" not in zh
    assert "Bills carried less than half of Treasury's net borrowing over the past year." in en
    assert "过去一年，短期国库券承担的净借款不到一半。" in zh
    zh, en = _prose(figures_doc(bills__share_net_issuance_12m=63.3), tmp_path)
    assert "Bills carried most of Treasury's net borrowing over the past year." in en
    assert "过去一年，财政部的净借款大部分由短期国库券承担。" in zh


def test_bill_share_direction_states_its_window(tmp_path):
    zh, en = _prose(figures_doc(), tmp_path)
    assert (
        "21.6% of marketable debt outstanding at the end of Feb 2031, up from 19.8% twelve months earlier"
        in en
    )
    assert "占可流通国债存量的21.6%，高于十二个月前的19.8%" in zh
    assert "drifting" not in en
    assert "steady home" not in en
    assert (
        "held 41.3% of their investments in Treasuries in Jan 2031, down from 44.1% six months earlier" in en
    )
    assert "2031年1月其投资组合中美国国债的占比为41.3%，低于六个月前的44.1%" in zh


def test_a_cut_two_days_ago_is_not_on_hold(tmp_path):
    doc = figures_doc()
    doc["figures"]["fed.target_last_change_bp"].update(date="2031-03-12")
    doc["figures"]["fed.decisions_since_last_change"].update(value=0.0, date="2031-03-12")
    zh, en = _prose(doc, tmp_path)
    assert "The Fed cut its target range by 25 bp, effective 12 Mar 2031, to 4.25%–4.50%." in en
    assert "美联储将联邦基金目标区间下调25个基点至4.25%–4.50%，自2031年3月12日起生效。" in zh
    assert "stay on hold" not in en
    assert "bar for a Fed move" not in en
    assert "美联储可能继续按兵不动" not in zh


def test_an_old_move_reads_as_on_hold_since_its_date(tmp_path):
    zh, en = _prose(figures_doc(), tmp_path)
    assert (
        "The fed funds target range has been 4.25% to 4.50% since 18 Dec 2030, when a 25 bp cut took effect."
        in en
    )
    assert "自2030年12月18日降息25个基点生效以来，联邦基金目标区间一直为4.25%至4.50%。" in zh
    assert "it may stay on hold" in en
    assert "美联储可能继续按兵不动" in zh


# --- every figure missing in turn ------------------------------------------------------------------------

HOLES_EN = re.compile(r"(\bn/a\b|\bnan\b|\bNone\b|—|\s[,.;:]|,,|\(\s*\)|\bat\s*\.|\bof\s*\.|\bin\s*\.)")
HOLES_ZH = re.compile(r"(暂无|—|nan|None|n/a|，，|，。|；。|为。|为，|（）|^。)")


def _without(doc: dict, key: str) -> dict:
    doc = copy.deepcopy(doc)
    doc["figures"][key]["value"] = None
    doc["figures"][key]["reason"] = "not published yet"
    return doc


@pytest.mark.parametrize(
    "key",
    sorted(
        {
            *REQUIRED_FIGURES,
            "bills.share_outstanding_12m_ago",
            "mmf.treasury_share_6m_ago",
            "fed.target_last_change_bp",
        }
    ),
)
def test_a_missing_figure_leaves_no_hole_in_the_prose(key, tmp_path):
    doc = _without(figures_doc(), key)
    zh, en = _prose(doc, tmp_path)
    assert not HOLES_EN.search(en), (key, HOLES_EN.search(en).group(0), en)
    assert not HOLES_ZH.search(zh), (key, HOLES_ZH.search(zh).group(0), zh)


def test_every_figure_missing_still_renders_and_lists_them(tmp_path):
    doc = figures_doc()
    for key in list(doc["figures"]):
        doc = _without(doc, key)
    inputs = NoteInputs.from_document(doc, placeholder_exhibits(tmp_path), load_views())
    html_en = render_html(inputs, "en")
    zh, en = _prose_text(render_html(inputs, "zh")), _prose_text(html_en)
    assert not HOLES_EN.search(en), en
    assert not HOLES_ZH.search(zh), zh
    assert "This note quotes no Treasury borrowing estimate as of 14 Mar 2031." in en
    assert "The note quotes no Treasury borrowing estimate as of 14 Mar 2031:" in en
    assert "No tariff scenario is on file as of 14 Mar 2031." in en
    assert "截至2031年3月14日，尚无已录入的关税情景。" in zh
    assert "cannot be quoted in this note (each line says why)" in html_en
    assert "not published yet" in html_en


def test_a_note_with_a_missing_figure_renders_to_pdf(tmp_path):
    from generator.render import write_note

    doc = _without(_without(figures_doc(), "gdp.contrib_equipment_pp"), "tariff.gdp_impact_min")
    target = write_note(tmp_path / "note.pdf", doc, placeholder_exhibits(tmp_path / "charts"), load_views())
    assert target.stat().st_size > 10_000


def test_one_currency_missing_keeps_the_other(tmp_path):
    zh, en = _prose(_without(figures_doc(), "hedged10y.eur"), tmp_path)
    assert "Hedged into yen, Treasuries yield less than JGBs." in en
    assert (
        "After hedging, a Japanese investor earns 0.54% on the 10-year Treasury, "
        "less than the 1.36% on a 10-year JGB." in en
    )
    assert "对冲为日元后，美债收益率低于日债。" in zh
    assert "Bund" not in en.split("Foreign demand")[1].split("TIC")[0]


def test_one_contribution_missing_keeps_the_other_without_a_sum(tmp_path):
    zh, en = _prose(_without(figures_doc(), "gdp.contrib_equipment_pp"), tmp_path)
    assert "Inventories subtracted 0.87 pp in Q4 2030." in en
    assert "2030年四季度库存投资拖累0.87个百分点。" in zh
    assert "together" not in en


def test_the_real_policy_rate_gap_is_true_at_its_printed_precision(tmp_path):
    # exact gap 0.125 - 3.0734 = -2.9484 prints "2.9 pp"; from core PCE as printed (3.1%) it would read
    # 2.98 pp, a precision the rounded inflation rate does not have (the exact gap is 2.95)
    doc = figures_doc(fed__target_lower=0.0, fed__target_upper=0.25, core_pce__yoy=3.0734)
    assert derive_values(doc["figures"])["fed.real_mid_pp"] == pytest.approx(-2.9484)
    zh, en = _prose(doc, tmp_path)
    assert "Its midpoint is 2.9 pp below core PCE inflation (Dec 2030)." in en
    assert "区间中值低于核心PCE通胀2.9个百分点（2030年12月）。" in zh


def test_a_tiny_bill_share_reads_as_less_than_a_tenth(tmp_path):
    doc = figures_doc()
    doc["figures"]["bills.share_net_issuance_12m"].update(value=0.26)
    zh, en = _prose(doc, tmp_path)
    assert "of net marketable issuance in the twelve months to" in en
    assert ", less than a tenth." in en
    assert "less than half" not in en
    assert "，不到十分之一。" in zh


def test_spreads_and_changes_are_signed_but_a_count_of_decisions_is_not() -> None:
    signed = ("spread_10y2y.last_bp", "ust10y.change_1w_bp", "fed.target_last_change_bp")
    signed += ("bills.share_change_12m_pp", "mmf.treasury_share_change_6m_pp")
    for key in signed:
        assert is_signed(key), key
    for key in ("fed.decisions_since_last_change", "ust10y.last", "bills.share_of_stock"):
        assert not is_signed(key), key


def test_a_yield_on_an_end_of_the_target_range_is_at_it_not_inside_it() -> None:
    assert target_edge(4.001, 4.0, 4.4, 2) == "floor"  # printed 4.00%: on the floor
    assert target_edge(4.4, 4.0, 4.4, 2) == "top"
    assert target_edge(4.2, 4.0, 4.4, 2) == "inside"
    assert target_edge(3.99, 4.0, 4.4, 2) == "below"
    assert target_edge(4.41, 4.0, 4.4, 2) == "above"
    assert target_edge(None, 4.0, 4.4, 2) == "na"
