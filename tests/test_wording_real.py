"""Every claim's words are true for its figures on the real data, at a spread of as-of dates.

Figures whose inputs are not published at a date (or not in the data folder) are ``value: null``
in figures.json; the note is rendered with the sentences that would quote them left out.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from generator.figures import FIGURE_LABELS, compute_figures, figures_document
from generator.formatting import format_date
from generator.inputs import load_inputs
from generator.note import NoteInputs
from generator.publication import quarter_after, quarter_of
from generator.render import render_html
from generator.views import load_views
from generator.wording import evaluate_claims
from tests.note_support import placeholder_exhibits

DATES = ["2021-06-04", "2022-10-14", "2023-03-17", "2023-08-04", "2024-05-03", "2025-02-07", "2025-09-19"]


@cache
def _store(data_dir: Path):
    from generator.store import load_store

    return load_store(data_dir)


def _figures_document(data_dir: Path, as_of: date) -> dict:
    """figures.json for ``as_of`` (unavailable figures have ``value: null`` and a reason)."""
    return figures_document(as_of, compute_figures(_store(data_dir).as_of(as_of), load_inputs(None)))


def _prose(html: str) -> str:
    parts = re.findall(r'<section class="(?:summary|key-points)"[^>]*>(.*?)</section>', html, flags=re.S)
    assert len(parts) >= 2, "the note's sections were not found: the markup changed"
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return re.sub(r"\s+", " ", text).replace("\u00a0", " ").replace("&#39;", "'")


@pytest.fixture(scope="module")
def chart_folder(tmp_path_factory) -> list[dict]:
    return placeholder_exhibits(tmp_path_factory.mktemp("charts"))


@pytest.mark.parametrize("as_of", DATES)
def test_every_claim_reads_true_for_the_real_figures(shared_data, chart_folder, as_of):
    day = date.fromisoformat(as_of)
    doc = _figures_document(shared_data, day)
    figures = doc["figures"]
    assert all(entry["date"] is None or entry["date"] <= as_of for entry in figures.values())
    inputs = NoteInputs.from_document(doc, chart_folder, load_views())
    zh, en = _prose(render_html(inputs, "zh")), _prose(render_html(inputs, "en"))
    value = {key: entry["value"] for key, entry in figures.items()}
    claims = evaluate_claims(figures, day, 4.0, 4.4)

    for text in (zh, en):
        assert not re.search(r"\bnan\b|\bNone\b|\bn/a\b|暂无|—", text), text

    share = value["bills.share_net_issuance_12m"]
    assert ("Bills carried most" in en) == (share is not None and round(share, 1) > 50)
    assert ("大部分由短期国库券承担" in zh) == (share is not None and round(share, 1) > 50)
    assert ("Bills carried less than half" in en) == (share is not None and 10 <= round(share, 1) < 50)
    assert ("Bills carried less than a tenth" in en) == (share is not None and 0 <= round(share, 1) < 10)
    assert ("Treasury paid down bills" in en) == (share is not None and round(share, 1) < 0)

    now, before = value["bills.share_outstanding"], value.get("bills.share_outstanding_12m_ago")
    if now is not None and before is not None:
        word = (
            "up from"
            if round(now, 1) > round(before, 1)
            else "down from"
            if round(now, 1) < round(before, 1)
            else "unchanged from"
        )
        assert f"{round(now, 1):.1f}% of marketable debt outstanding at the end of" in en
        assert f", {word} {round(before, 1):.1f}% twelve months earlier" in en
    assert "drifting" not in en
    assert "steady home" not in en

    move = figures.get("fed.target_last_change_bp")
    if move and move["value"] is not None:
        # on hold: an FOMC decision after the change took effect, on or before the note's date (raw file)
        decisions = pd.read_csv(
            shared_data / "macro" / "fomc_dates_2015_2026.csv", parse_dates=["decision_date"]
        )
        changed, moment = pd.Timestamp(move["date"]), pd.Timestamp(day)
        held = bool(((decisions["decision_date"] > changed) & (decisions["decision_date"] <= moment)).any())
        assert ("since" in en and "took effect" in en) == held
        assert ("The Fed cut its target range" in en or "The Fed raised its target range" in en) == (not held)
        assert claims["fed_on_hold"] is held
    assert "bar for a Fed move" not in en

    total, record = value["foreign_holdings.total_bn"], value["foreign_holdings.record_bn"]
    if total is not None:
        assert (", a record." in en) == (round(total) >= round(record))
        assert ("为有记录以来的最高水平" in zh) == (round(total) >= round(record))

    inventories = figures["gdp.contrib_inventories_pp"]
    equipment = figures["gdp.contrib_equipment_pp"]
    if inventories["value"] is not None and equipment["value"] is not None:
        summed = figures["gdp.contrib_inventories_equipment_pp"]["value"] is not None
        assert not summed or inventories["period"] == equipment["period"]
        assert ("together" in en) == summed
        assert ("两项合计" in zh) == summed

    assert ("The note quotes no Treasury borrowing estimate" in en) == (
        value["refunding.net_borrowing_current_q_bn"] is None
        and value["refunding.net_borrowing_next_q_bn"] is None
    )
    if value["refunding.net_borrowing_current_q_bn"] is None and value["refunding.net_borrowing_next_q_bn"]:
        # the data's capture of refundings: the next quarter's estimate alone, dated by its release
        estimate = figures["refunding.net_borrowing_next_q_bn"]
        released = date.fromisoformat(estimate["date"])
        assert estimate["period"] == quarter_after(quarter_of(released))
        assert (day - released).days <= 100
        assert f"announced by {format_date(released)}" in en.replace("\xa0", " ")
    tariffs_on_file = any(value[key] is not None for key in FIGURE_LABELS if key.startswith("tariff."))
    assert ("No tariff scenario is on file" in en) == (not tariffs_on_file)
    assert "DEMO" not in " ".join(entry["source"] for entry in figures.values())


@pytest.mark.parametrize(
    ("as_of", "table_from", "expected"),
    [
        # the analyst's table (shipped from the statement of 2 Nov 2020): both quarters, dated by the
        # Monday the estimates were released
        (
            "2022-09-23",
            None,
            {"current": (444.0, "2022Q3", "2022-08-01"), "next": (400.0, "2022Q4", "2022-08-01")},
        ),
        (
            "2022-05-13",
            None,
            {"current": (-26.0, "2022Q2", "2022-05-02"), "next": (182.0, "2022Q3", "2022-05-02")},
        ),
        (
            "2025-02-07",
            None,
            {"current": (815.0, "2025Q1", "2025-02-03"), "next": (123.0, "2025Q2", "2025-02-03")},
        ),
        # a table that starts in 2024: the capture's next-quarter estimate of the Aug 2022 refunding,
        # dated by its statement's Wednesday
        ("2022-09-23", "2024", {"next": (400.0, "2022Q4", "2022-08-03")}),
        ("2021-02-05", "2024", {"next": (95.0, "2021Q2", "2021-02-03")}),
        # before 2021 the capture's rows mix current and next quarters (2020Q2 holds the Jul-Sep
        # estimate): none is quoted
        ("2020-06-05", "2024", {}),
    ],
)
def test_refunding_estimates_come_from_the_analysts_table_then_the_datas_capture(
    shared_data, tmp_path, as_of, table_from, expected
):
    analyst = None
    if table_from is not None:
        shipped = (Path(__file__).resolve().parents[1] / "analyst" / "refunding.csv").read_text().splitlines()
        kept = [shipped[0], *(row for row in shipped[1:] if row >= table_from)]
        (tmp_path / "refunding.csv").write_text("\n".join(kept) + "\n")
        analyst = tmp_path
    inputs = load_inputs(analyst)
    day = date.fromisoformat(as_of)
    figures = figures_document(day, compute_figures(_store(shared_data).as_of(day), inputs))["figures"]
    for which in ("current", "next"):
        entry = figures[f"refunding.net_borrowing_{which}_q_bn"]
        if which not in expected:
            assert entry["value"] is None
            assert entry["reason"]
            continue
        assert (entry["value"], entry["period"], entry["date"]) == expected[which]
        captured = [item["series"] for item in entry["inputs"]] == ["qra_financing_need_bn"]
        assert captured == (table_from is not None), entry["source"]


@pytest.mark.parametrize(
    ("as_of", "en_tag", "zh_tag"),
    [
        # the third estimate of 2024Q4 (27 Mar 2025) gives GDP and equipment but no inventories: the
        # advance estimate's inventories are quoted, and the sentence says they come from it
        (
            "2025-04-11",
            "Inventories subtracted 0.93 pp (estimate of 30 Jan 2025)",
            "（2025年1月30日发布的估计）",
        ),
        # GDP and both components from the advance estimate of 30 Jan 2025: no tag
        ("2025-02-07", "Inventories subtracted 0.93 pp and", None),
        # a 2026 file's value for 2020Q4: revised since, like the GDP growth beside it
        ("2021-03-19", "Inventories subtracted 0.29 pp (on data revised since)", "（据其后修订的数据）"),
    ],
)
def test_gdp_components_say_when_they_come_from_another_release(
    shared_data, chart_folder, as_of, en_tag, zh_tag
):
    doc = _figures_document(shared_data, date.fromisoformat(as_of))
    inputs = NoteInputs.from_document(doc, chart_folder, load_views())
    zh, en = _prose(render_html(inputs, "zh")), _prose(render_html(inputs, "en"))
    assert en_tag in en
    if zh_tag is None:
        assert "发布的估计" not in zh
        assert "(estimate of" not in en
    else:
        assert (
            f"库存投资拖累{abs(doc['figures']['gdp.contrib_inventories_pp']['value']):.2f}个百分点{zh_tag}"
            in zh
        )


def test_tariff_figures_record_the_countries_whose_scenarios_give_them(shared_data):
    figures = _figures_document(shared_data, date(2025, 4, 11))["figures"]
    countries = {
        key: [item.get("country") for item in figures[key]["inputs"]] for key in figures if "tariff." in key
    }
    assert countries == {
        "tariff.gdp_impact_min": ["Mexico"],
        "tariff.gdp_impact_max": ["Mexico"],
        "tariff.inflation_impact_min": ["United States"],
        "tariff.inflation_impact_max": ["China"],
    }
    assert figures["tariff.inflation_impact_max"]["inputs"][0]["country_zh"] == "中国"


def test_the_bund_figure_falls_back_to_the_monthly_average_exhibit_7_plots(shared_data, chart_folder):
    """Before the Bundesbank's daily file starts (2024) the note said no Bund yield was available while
    Exhibit 7 drew the OECD monthly average; it now quotes that average, tagged with its month."""
    doc = _figures_document(shared_data, date(2023, 3, 17))
    bund = doc["figures"]["bund10y.last"]
    assert [item["series"] for item in bund["inputs"]] == ["bund10y_monthly"]
    assert (round(bund["value"], 2), bund["period"]) == (2.19, "2023-01")
    en = _prose(render_html(NoteInputs.from_document(doc, chart_folder, load_views()), "en"))
    assert "Bunds (Bunds: Jan 2023)" in en
    daily = _figures_document(shared_data, date(2025, 2, 7))["figures"]["bund10y.last"]
    assert [item["series"] for item in daily["inputs"]] == ["bund10y"]


def test_the_shadow_qe_mechanism_is_not_stated_as_at_work_when_bills_were_paid_down(
    shared_data, chart_folder
):
    """2021-11-05: bills were paid down over the year (-67% of net issuance), so the coupons Treasury
    sold added duration; the note explained shadow QE without saying it ran the other way."""
    doc = _figures_document(shared_data, date(2021, 11, 5))
    assert doc["figures"]["bills.share_net_issuance_12m"]["value"] < 0
    inputs = NoteInputs.from_document(doc, chart_folder, load_views())
    en, zh = render_html(inputs, "en"), render_html(inputs, "zh")
    assert "it ran the other way: bills were paid down" in en
    assert "过去一年情况相反" in zh
