"""The note: templates → HTML → PDF. The PDF is rendered once per session (and once more for the bytes)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from markupsafe import Markup
from note_support import figures_doc, placeholder_exhibits
from pdf_support import attachment_names, inflated, page_texts, pdfinfo, structure_languages

from generator.catalogue import CATALOGUE
from generator.errors import TemplateError
from generator.note import NoteInputs
from generator.render import (
    BUNDLED_TEMPLATES,
    layout_document,
    render_html,
    template_dirs,
    write_note,
)
from generator.views import load_views

HEADINGS_ZH = ("报告导读", "投资要点", "具体操作策略", "风险提示", "图表", "主要数据", "数据说明", "免责声明")
HEADINGS_EN = (
    "Summary",
    "Key points",
    "Strategy",
    "Risks",
    "Exhibits",
    "Key figures",
    "Data notes",
    "Disclaimer",
)
THEMES_ZH = ("国债再融资", "影子QE", "海外需求与汇率对冲后收益率", "付息压力与国债供给", "增长、关税与美联储")
THEMES_EN = (
    "Treasury refunding",
    "Bill issuance",
    "Foreign demand and FX-hedged yields",
    "Interest burden and supply",
    "Growth, tariffs and the Fed",
)
DEMO_MARK = "DEMO DATA — synthetic / 演示数据（合成）"


def _text(html: str) -> str:
    """Return the visible text of ``html`` on one line, no-break spaces as spaces."""
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)).replace("\u00a0", " ")


def _inputs(chart_dir: Path, **values: float) -> NoteInputs:
    return NoteInputs.from_document(
        figures_doc(**values), placeholder_exhibits(chart_dir), load_views(), demo=False
    )


@pytest.fixture(scope="session")
def chart_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("charts")


@pytest.fixture(scope="session")
def attachments(tmp_path_factory) -> tuple[Path, Path]:
    """Two small files standing in for the appendix workbook and figures.json."""
    folder = tmp_path_factory.mktemp("attachments")
    (folder / "appendix.xlsx").write_bytes(b"PK\x03\x04 synthetic workbook bytes")
    (folder / "figures.json").write_text(json.dumps(figures_doc(), sort_keys=True), encoding="utf-8")
    return folder / "appendix.xlsx", folder / "figures.json"


@pytest.fixture(scope="session")
def note_pdf(tmp_path_factory, chart_dir, attachments) -> Path:
    """The bilingual demo note, rendered once for the session."""
    target = tmp_path_factory.mktemp("note") / "note.pdf"
    stale = ["tic_net_lt_purchases"]
    exhibits = placeholder_exhibits(chart_dir)
    return write_note(target, figures_doc(), exhibits, demo=True, stale=stale, attachments=attachments)


@pytest.fixture(scope="session")
def pdf_pages(note_pdf) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(note_pdf), "-"], capture_output=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.decode("utf-8").split("\f") if page.strip()]


def test_every_heading_in_both_languages(pdf_pages):
    text = " ".join(pdf_pages)
    for heading in (*HEADINGS_ZH, *HEADINGS_EN, *THEMES_ZH, *THEMES_EN):
        assert heading in text, heading


def test_twelve_exhibits_captioned_in_both_languages(pdf_pages):
    text = " ".join(pdf_pages)
    for number in range(1, 13):
        assert f"图表 {number}：测试图表标题{number}（%）" in text
        assert f"Exhibit {number}: Test exhibit title {number} (%)" in text
    assert text.count("资料来源：测试数据") == 12  # the source line in the edition's language
    assert text.count("Source: test data") == 12


def test_key_figures_appear_formatted(pdf_pages):
    text = " ".join(pdf_pages)
    for shown in (
        "4.47%",
        "8034亿美元",
        "$803bn",
        "8.51万亿美元",
        "$8.51tn",
        "-22个基点",
        "-22 bp",
        "71个月",
    ):
        assert shown in text, shown


def test_header_footer_and_demo_mark_on_every_page(pdf_pages):
    total = len(pdf_pages)
    for number, page in enumerate(pdf_pages, start=1):
        assert "宏观经济研究 | Macro Research" in page
        assert f"{number} / {total}" in page
        assert ("美债周报 | 2031年3月14日" in page) or ("US Treasury Weekly | 14 Mar 2031" in page)
        assert ("本报告的使用受文末免责声明约束" in page) or ("See the disclaimer at the end" in page)
        assert DEMO_MARK in page, f"page {number} lacks the demo mark"


def test_stale_series_are_listed_by_name_in_each_language(pdf_pages):
    """The data notes name a stale series as the catalogue does, in the edition's language (they printed
    the internal key and an English line in the Chinese edition)."""
    text = re.sub(r"\s+", "", " ".join(pdf_pages))
    assert "外国投资者净买入美国长期证券" in text
    assert "NetforeignpurchasesofUSlong-termsecurities" in text
    assert "tic_net_lt_purchases" not in text


def test_a_stale_entry_says_when_its_last_value_came_and_the_next_was_due():
    from generator.note import coerce_stale
    from generator.store import SeriesStatus

    status = SeriesStatus(
        "acm_tp10_monthly", date(2025, 6, 30), date(2025, 7, 2), date(2025, 8, 11), True, False, "", ()
    )
    (item,) = coerce_stale([status])
    assert (item.last_published, item.expected_by) == (date(2025, 7, 2), date(2025, 8, 11))
    assert item.label("zh").startswith("ACM")
    assert item.label("en").startswith("ACM 10-year term premium")
    assert coerce_stale(["not_a_series"])[0].label("en") == "not_a_series"


def test_cjk_fonts_embedded_and_subset(note_pdf):
    listing = subprocess.run(["pdffonts", str(note_pdf)], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    names = [row[0] for row in rows]
    assert any("Noto-Sans-CJK-SC-Bold" in name for name in names)
    assert any(name.endswith("Noto-Sans-CJK-SC") for name in names)
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "Noto" in row[0], f"unexpected font {row[0]}"


def test_metadata_from_the_as_of_date(note_pdf):
    info = subprocess.run(["pdfinfo", str(note_pdf)], capture_output=True, check=True, text=True).stdout
    assert "美债周报 2031年3月14日 | US Treasury Weekly 14 Mar 2031" in info
    assert "Sample Analyst A" in info
    assert re.search(r"CreationDate:\s+Fri Mar 14 00:00:00 2031", info)
    assert re.search(r"ModDate:\s+Fri Mar 14 00:00:00 2031", info)
    assert "Subject:" in info


def test_small_enough(note_pdf):
    assert note_pdf.stat().st_size < 1.5 * 1024 * 1024


def test_same_inputs_same_bytes(note_pdf, tmp_path, chart_dir, attachments):
    again = write_note(
        tmp_path / "note.pdf",
        figures_doc(),
        placeholder_exhibits(chart_dir),
        demo=True,
        stale=["tic_net_lt_purchases"],
        attachments=attachments,
    )
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(note_pdf.read_bytes()).hexdigest()


def test_bookmarks_language_and_no_warnings(chart_dir, caplog):
    inputs = _inputs(chart_dir)
    html = render_html(inputs, "en")
    with caplog.at_level("WARNING"):
        document = layout_document(html, BUNDLED_TEMPLATES, [chart_dir])
    assert [record.getMessage() for record in caplog.records] == []
    assert document.metadata.lang == "en"
    tree = document.make_bookmark_tree()
    assert len(tree) == 1  # one edition: its headline at level 1
    label, _, children, _ = tree[0]
    assert label.replace("\u00a0", " ").startswith("US Treasury Weekly 14 Mar 2031")
    assert [child[0] for child in children] == list(HEADINGS_EN)
    key_points = children[1][2]
    assert [child[0] for child in key_points] == [
        "Treasury refunding",
        'Bill issuance ("shadow QE") and the term premium',
        "Foreign demand and FX-hedged yields",
        "Interest burden and supply",
        "Growth, tariffs and the Fed",
    ]


def test_single_language_editions(chart_dir):
    inputs = _inputs(chart_dir)
    zh, en = _text(render_html(inputs, "zh")), _text(render_html(inputs, "en"))
    assert "报告导读" in zh
    assert "Summary" not in zh
    assert "Summary" in en
    assert "报告导读" not in en
    both = _text(render_html(inputs, "zh,en"))
    assert both.index("报告导读") < both.index("Summary")
    # captions stay bilingual in a single-language edition
    assert "Exhibit 3: Test exhibit title 3 (%)" in zh
    assert "图表 3：测试图表标题3（%）" in en


def test_unknown_language_is_an_error(chart_dir):
    with pytest.raises(TemplateError, match="unknown language"):
        render_html(_inputs(chart_dir), "fr")


# --- the URL fetcher ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/hostname", "http://example.com/logo.png", "data:image/png;base64,AA=="]
)
def test_resources_outside_the_template_and_chart_folders_are_refused(url, chart_dir):
    html = f'<html><body><p>x</p><img src="{url}"></body></html>'
    with pytest.raises(TemplateError, match="resource refused"):
        layout_document(html, BUNDLED_TEMPLATES, [chart_dir])


def test_a_missing_chart_stops_the_render(tmp_path):
    exhibits = placeholder_exhibits(tmp_path / "charts")
    (tmp_path / "charts" / "e07.svg").unlink()
    with pytest.raises(TemplateError, match=r"e07\.svg: file not found"):
        write_note(tmp_path / "note.pdf", figures_doc(), exhibits, langs="en")
    assert not (tmp_path / "note.pdf").exists()


def test_missing_figures_are_named(tmp_path, chart_dir):
    doc = figures_doc()
    del doc["figures"]["tp10.avg_2y"]
    with pytest.raises(TemplateError, match=r"tp10\.avg_2y"):
        write_note(tmp_path / "note.pdf", doc, placeholder_exhibits(chart_dir))


# --- overlays and template errors -------------------------------------------------------------------


def _without(html: str, section: str) -> str:
    return re.sub(rf'<section class="{section}"[^>]*>.*?</section>', "", html, flags=re.S)


def test_overlay_overrides_one_block_and_nothing_else(tmp_path, chart_dir):
    overlay = tmp_path / "desk"
    overlay.mkdir()
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n'
        "{% block disclaimer %}{{ super() }}<p>Internal distribution only.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    inputs = _inputs(chart_dir)
    plain = render_html(inputs, "zh,en")
    custom = render_html(inputs, "zh,en", templates_overlay=overlay)
    assert custom.count("Internal distribution only.") == 2
    assert "Internal distribution only." not in plain
    assert _without(custom, "disclaimer") == _without(plain, "disclaimer")
    assert template_dirs(overlay)[0] == overlay.resolve()


def test_overlay_replaces_a_partial_and_the_theme(tmp_path, chart_dir):
    overlay = tmp_path / "desk"
    (overlay / "en").mkdir(parents=True)
    (overlay / "en" / "disclaimer.html").write_text("<p>Our own disclaimer.</p>\n", encoding="utf-8")
    (overlay / "theme.css").write_text(":root { --accent: #006400; }\n", encoding="utf-8")
    html = render_html(_inputs(chart_dir), "en", templates_overlay=overlay)
    assert "Our own disclaimer." in html
    assert "#006400" in html
    assert "#0b3d91" not in html


def test_undefined_name_in_a_template_names_file_line_and_name(tmp_path, chart_dir):
    overlay = tmp_path / "desk"
    overlay.mkdir()
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n{% block risks %}\n<p>{{ view.headlin }}</p>\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        render_html(_inputs(chart_dir), "en", templates_overlay=overlay)
    message = str(caught.value)
    assert "note.html:3:" in message
    assert "headlin" in message


def test_unknown_figure_in_a_template_names_the_figure(tmp_path, chart_dir):
    overlay = tmp_path / "desk"
    (overlay / "zh").mkdir(parents=True)
    (overlay / "zh" / "summary.html").write_text('<p>\n{{ fmt("ust10y.lst") }}</p>\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_html(_inputs(chart_dir), "zh", templates_overlay=overlay)
    message = str(caught.value)
    assert "summary.html:2:" in message
    assert "ust10y.lst" in message


def test_syntax_error_names_file_and_line(tmp_path, chart_dir):
    overlay = tmp_path / "desk"
    overlay.mkdir()
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n\n{% block risks %}{% if %}{% endblock %}\n', encoding="utf-8"
    )
    with pytest.raises(TemplateError) as caught:
        render_html(_inputs(chart_dir), "en", templates_overlay=overlay)
    assert re.search(r"note\.html:3:", str(caught.value))


def test_missing_overlay_folder_is_an_error(tmp_path, chart_dir):
    with pytest.raises(TemplateError, match="overlay folder not found"):
        render_html(_inputs(chart_dir), "en", templates_overlay=tmp_path / "nope")


# --- direction words follow the figures ---------------------------------------------------------------

RISING = {
    "ust10y__change_1w_bp": 12.3,
    "ust10y__change_4w_bp": 30.2,
    "ust10y__last": 4.786,
    "spread_10y2y__last_bp": 41.0,
    "tp10__last": 0.80,
    "foreign_holdings__total_bn": 8604.8,
    "tic__net_inflow_6ma_bn": 55.0,
    "tga__last_bn": 902.0,
    "refunding__net_borrowing_next_q_bn": 900.0,
    "gdp__contrib_inventories_pp": 0.52,
    "gdp__contrib_equipment_pp": 0.11,
    "hedged10y__jpy": 1.90,
    "hedged10y__eur": 2.90,
}
FALLING = {
    "ust10y__change_1w_bp": -8.4,
    "ust10y__change_4w_bp": -21.6,
    "ust10y__last": 4.352,
    "spread_10y2y__last_bp": -15.2,
    "tp10__last": 0.12,
    "foreign_holdings__total_bn": 8512.3,
    "tic__net_inflow_6ma_bn": -40.0,
    "tga__last_bn": 700.0,
    "refunding__net_borrowing_next_q_bn": -60.0,
    "gdp__contrib_inventories_pp": -0.87,
    "gdp__contrib_equipment_pp": -0.41,
    "hedged10y__jpy": 0.54,
    "hedged10y__eur": 1.20,
}
FLAT = {
    "ust10y__change_1w_bp": 0.4,
    "ust10y__change_4w_bp": -0.49,
    "tp10__last": 0.274,
    "tga__last_bn": 850.2,
}


def _editions(chart_dir: Path, values: dict) -> tuple[str, str]:
    inputs = _inputs(chart_dir, **values)
    return _text(render_html(inputs, "zh")), _text(render_html(inputs, "en"))


def test_rising_figures_read_as_rising(chart_dir):
    zh, en = _editions(chart_dir, RISING)
    assert "过去一周10年期收益率上行12个基点，近四周累计上行30个基点" in zh
    assert "It rose 12 bp over the past week and has risen 30 bp over four weeks" in en
    assert "目前位于区间高点" in zh
    assert "and at the top of it" in en
    assert "曲线呈正斜率" in zh
    assert "this segment of the curve slopes upward" in en
    assert "ACM模型测算的10年期期限溢价为0.80%，高于过去两年0.27%的均值" in zh
    assert "The ACM 10-year term premium is 0.80%, above its two-year average of 0.27%" in en
    assert "为有记录以来的最高水平" in zh
    assert "8.60tn in Dec 2030, a record" in en
    assert "外资平均每月净买入美国长期证券550亿美元" in zh
    assert "net buyers of US long-term securities, $55bn" in en
    assert "比2031年一季度末的假设高520亿美元" in zh
    assert "$52bn above the balance assumed for the end of Q1 2031" in en
    assert "财政部预计2031年二季度的借款多于2031年一季度" in zh
    assert "Treasury expected to borrow more in Q2 2031 than in Q1 2031" in en
    assert "库存投资拉动0.52个百分点" in zh
    assert "Inventories added 0.52 pp" in en
    assert "两项合计拉动0.63个百分点" in zh
    assert "together adding 0.63 pp" in en
    assert "均高于日本和德国的10年期国债" in zh
    assert "above both 10-year JGBs and Bunds" in en


def test_falling_figures_read_as_falling(chart_dir):
    zh, en = _editions(chart_dir, FALLING)
    assert "过去一周10年期收益率下行8个基点，近四周累计下行22个基点" in zh
    assert "It fell 8 bp over the past week and has fallen 22 bp over four weeks" in en
    assert "目前位于区间低点" in zh
    assert "and at the bottom of it" in en
    assert "曲线倒挂" in zh
    assert "the curve is inverted" in en
    assert "低于过去两年0.27%的均值" in zh
    assert "below its two-year average of 0.27%" in en
    assert "低于2030年10月创下的8.60万亿美元的历史高点" in zh
    assert "below the record of $8.60tn set in Oct 2030" in en
    assert "净卖出美国长期证券400亿美元" in zh
    assert "net sellers of US long-term securities, $40bn" in en
    assert "比2031年一季度末的假设低1500亿美元" in zh
    assert "$150bn short of the balance assumed for the end of Q1 2031" in en
    assert "2031年二季度净偿还600亿美元" in zh
    assert "pay down $60bn in Q2 2031" in en
    assert "库存投资拖累0.87个百分点" in zh
    assert "Inventories subtracted 0.87 pp" in en
    assert "两项合计拖累1.28个百分点" in zh
    assert "together subtracting 1.28 pp" in en
    assert "均低于日本和德国的10年期国债" in zh
    assert "below both 10-year JGBs and Bunds" in en


def test_changes_that_print_as_zero_read_as_flat(chart_dir):
    zh, en = _editions(chart_dir, FLAT)
    assert "过去一周10年期收益率基本持平，近四周累计基本持平" in zh
    assert "It was little changed over the past week and has barely moved over four weeks" in en
    assert "与过去两年0.27%的均值持平" in zh
    assert "level with its two-year average of 0.27%" in en
    assert "与2031年一季度末的假设基本一致" in zh
    assert "in line with the balance assumed for the end of Q1 2031" in en


def test_optional_spread_change_is_used_when_present(chart_dir):
    doc = figures_doc()
    doc["figures"]["spread_10y2y.change_4w_bp"] = dict(doc["figures"]["spread_10y2y.last_bp"], value=-6.2)
    inputs = NoteInputs.from_document(doc, placeholder_exhibits(chart_dir), load_views())
    assert "利差近四周下降6个基点" in _text(render_html(inputs, "zh"))
    assert "the spread has fallen 6 bp over four weeks" in _text(render_html(inputs, "en"))
    assert "利差近四周" not in _text(render_html(_inputs(chart_dir), "zh"))


def test_no_ascii_space_inside_chinese_prose(chart_dir):
    """Flush-left Chinese has no ASCII spaces to stretch; a stray one would show as a gap."""
    html = render_html(_inputs(chart_dir), "zh")
    for section in ("summary", "key-points"):
        body = re.search(rf'<section class="{section}"[^>]*>(.*?)</section>', html, flags=re.S).group(1)
        for paragraph in re.findall(r"<p>(.*?)</p>", body, flags=re.S):
            text = re.sub(r"<[^>]+>", "", paragraph)
            assert " " not in text.strip(), text


# --- real data at several as-of dates ---------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2025-02-07", "2025-05-16", "2025-09-05", "2026-03-13"])
def test_direction_words_agree_with_real_figures(shared_data, chart_dir, as_of):
    _check_direction_words(_real_store(shared_data), as_of, chart_dir)


@pytest.mark.parametrize("as_of", ["2025-02-07", "2025-06-13", "2025-11-14", "2026-06-05", "2027-03-05"])
def test_direction_words_agree_with_demo_figures(demo_store, chart_dir, as_of):
    _check_direction_words(demo_store, as_of, chart_dir)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from generator.data import DEMO, DataRequest, open_store

    return open_store(DataRequest(DEMO, cache_dir=tmp_path_factory.mktemp("demo-cache")))


def _check_direction_words(store, as_of: str, chart_dir: Path) -> None:
    """Render both languages as of ``as_of`` and check each direction word against the figures."""
    from datetime import date

    from generator.figures import compute_figures, figures_document
    from generator.inputs import load_inputs

    day = date.fromisoformat(as_of)
    doc = figures_document(day, compute_figures(store.as_of(day), load_inputs(None)))
    inputs = NoteInputs.from_document(doc, placeholder_exhibits(chart_dir), load_views())
    zh, en = _text(render_html(inputs, "zh")), _text(render_html(inputs, "en"))
    value = {key: figure["value"] for key, figure in doc["figures"].items()}

    change = round(value["ust10y.change_1w_bp"])
    if change > 0:
        assert f"过去一周10年期收益率上行{change}个基点" in zh
        assert f"It rose {change} bp over the past week" in en
    elif change < 0:
        assert f"过去一周10年期收益率下行{-change}个基点" in zh
        assert f"It fell {-change} bp over the past week" in en
    else:
        assert "过去一周10年期收益率基本持平" in zh
        assert "It was little changed over the past week" in en

    tp, tp_avg = round(value["tp10.last"], 2), round(value["tp10.avg_2y"], 2)
    word_zh, word_en = (
        ("高于", "above") if tp > tp_avg else ("低于", "below") if tp < tp_avg else ("与", "level")
    )
    # the ACM file holds a later estimate of the whole series: the value carries the revised tag
    revised = str(doc["figures"]["tp10.last"].get("vintage") or "").startswith("revised")
    assert f"期限溢价为{tp:.2f}%{'（据其后修订的数据）' if revised else ''}，{word_zh}" in zh
    assert f"term premium is {tp:.2f}%{' (on data revised since)' if revised else ''}, {word_en}" in en

    at_record = round(value["foreign_holdings.total_bn"]) >= round(value["foreign_holdings.record_bn"])
    assert ("为有记录以来的最高水平" in zh) == at_record
    assert (", a record." in en) == at_record

    spread = round(value["spread_10y2y.last_bp"])
    assert ("曲线倒挂" in zh) == (spread < 0)
    assert ("this segment of the curve slopes upward" in en) == (spread > 0)


@cache
def _real_store(data_dir: Path):
    """The store of ../shared/data, read once for the real-data tests."""
    from generator.store import load_store

    return load_store(data_dir)


def test_a_range_whose_ends_print_alike_is_one_value_every_case_gives(tmp_path):
    from generator.render import make_environment, template_context

    inputs = _inputs(tmp_path, tariff__gdp_impact_min=-2.0, tariff__gdp_impact_max=-2.0)
    en = template_context(inputs, "en", make_environment(None, "en"))
    assert (
        en["fmt_range"]("tariff.gdp_impact_min", "tariff.gdp_impact_max")
        == "-2% (the only value the scenarios give)"
    )
    zh = template_context(inputs, "zh", make_environment(None, "zh"))
    assert zh["fmt_range"]("tariff.gdp_impact_min", "tariff.gdp_impact_max") == "-2%（各情景给出的唯一数值）"
    zh = template_context(inputs, "zh", make_environment(None, "zh"))
    assert "至" in zh["fmt_range"]("tariff.inflation_impact_min", "tariff.inflation_impact_max")


def test_every_figure_the_shipped_templates_quote_is_in_the_key_figures_table():
    """A client checks a number in the text against the table beside it: the 4-week change of the
    10y-2y spread and the next quarter's cash-balance assumption were quoted but not listed."""
    from generator.figures import FIGURE_LABELS
    from generator.note import KEY_FIGURE_GROUPS
    from generator.render import BUNDLED_TEMPLATES

    helpers = r"(?:fmt|v|fdate|period|period_tag|fmt_range|revised_tag|release_tag|has)"
    quoted = set()
    for template in BUNDLED_TEMPLATES.rglob("*.html"):
        for call in re.finditer(helpers + r"\(([^()]*)\)", template.read_text(encoding="utf-8")):
            quoted.update(key for key in re.findall(r'"([a-z0-9_]+\.[a-z0-9_]+)"', call.group(1)))
    listed = {key for _group, keys in KEY_FIGURE_GROUPS for key in keys}
    assert quoted & set(FIGURE_LABELS), "no figure found in the templates: the helpers' names changed"
    assert sorted(quoted & set(FIGURE_LABELS) - listed) == []


def test_a_tariff_range_names_the_countries_that_give_its_ends(tmp_path):
    """-2% is Mexico's figure alone: "the effects on GDP ... at -2%" read as if it held for every country."""
    from generator.note import NoteInputs
    from generator.render import make_environment, template_context
    from tests.note_support import figures_doc, placeholder_exhibits

    doc = figures_doc(
        tariff__gdp_impact_min=-2.0,
        tariff__gdp_impact_max=-2.0,
        tariff__inflation_impact_min=0.2,
        tariff__inflation_impact_max=0.3,
    )
    row = {"series": "tariff_scenarios.csv", "date": "2025-01-20", "published": "2025-01-20"}
    for key, countries in {
        "tariff.gdp_impact_min": [("Mexico", "墨西哥")],
        "tariff.gdp_impact_max": [("Mexico", "墨西哥")],
        "tariff.inflation_impact_min": [("United States", "美国")],
        "tariff.inflation_impact_max": [("China", "中国"), ("Japan", "日本")],
    }.items():
        doc["figures"][key]["inputs"] = [{**row, "country": en, "country_zh": zh} for en, zh in countries]
    inputs = NoteInputs.from_document(doc, placeholder_exhibits(tmp_path), load_views(), demo=False)
    en = template_context(inputs, "en", make_environment(None, "en"))
    zh = template_context(inputs, "zh", make_environment(None, "zh"))
    gdp, inflation = (
        ("tariff.gdp_impact_min", "tariff.gdp_impact_max"),
        ("tariff.inflation_impact_min", "tariff.inflation_impact_max"),
    )
    assert en["fmt_range"](*gdp) == "-2% (for Mexico, the only value the scenarios give)"
    assert zh["fmt_range"](*gdp) == "-2%（墨西哥，各情景给出的唯一数值）"
    assert en["fmt_range"](*inflation) == "0.2\xa0pp (United States) to 0.3\xa0pp (China, Japan)"
    assert zh["fmt_range"](*inflation) == "0.2个百分点（美国）至0.3个百分点（中国、日本）"


def test_tariff_figures_print_with_the_decimals_their_source_states(tmp_path):
    """PIIE writes "2 percent" and "20 basis points": -2.00% would claim a precision it does not give."""
    from generator.render import make_environment, template_context

    inputs = _inputs(
        tmp_path,
        tariff__gdp_impact_min=-3.5,
        tariff__gdp_impact_max=-0.2,
        tariff__inflation_impact_min=0.42,
        tariff__inflation_impact_max=1.0,
    )
    en = template_context(inputs, "en", make_environment(None, "en"))
    assert en["fmt_range"]("tariff.gdp_impact_min", "tariff.gdp_impact_max") == "-3.5% to -0.2%"
    assert en["fmt"]("tariff.inflation_impact_min") == "0.42\xa0pp"
    assert en["fmt"]("tariff.inflation_impact_max") == "1\xa0pp"
    assert en["fmt"]("ust10y.last") == "4.47%"  # every other figure keeps its fixed decimals


def test_branding_names_the_desk_and_shows_the_logo(tmp_path, chart_dir):
    from datetime import date

    from generator.build import BuildRequest, note_views
    from generator.config import Branding
    from generator.data import DataRequest
    from generator.render import write_note

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#c8102e"/></svg>',
        encoding="utf-8",
    )
    as_of = date(2025, 2, 7)
    request = BuildRequest(
        as_of=as_of,
        data=DataRequest(),
        out=tmp_path / "out",
        branding=Branding(desk="Rates Strategy", desk_zh="利率策略", logo="logo.svg"),
    )
    views = note_views(request)
    assert (views.desk.zh, views.desk.en) == ("利率策略", "Rates Strategy")
    target = write_note(
        tmp_path / "note.pdf",
        figures_doc(),
        placeholder_exhibits(chart_dir),
        views,
        templates_overlay=overlay,
        as_of=as_of,
        logo="logo.svg",
    )
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "利率策略 | Rates Strategy" in text
    assert "宏观经济研究" not in text
    inputs = NoteInputs.from_document(figures_doc(), placeholder_exhibits(chart_dir), views, logo="logo.svg")
    assert 'class="brand-logo" src="logo.svg"' in render_html(inputs, "zh", overlay)


# --- accessibility: tags, languages, attachments, links, reading order ------------------------------


def test_the_pdf_is_tagged_and_carries_its_data(note_pdf, attachments, tmp_path):
    assert pdfinfo(note_pdf)["Tagged"] == "yes"
    assert attachment_names(note_pdf) == ["appendix.xlsx", "figures.json"]
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(note_pdf)], check=True)
    for original in attachments:
        assert (tmp_path / original.name).read_bytes() == original.read_bytes()


def test_each_edition_is_marked_with_its_language(note_pdf, chart_dir, tmp_path):
    everything, articles = structure_languages(note_pdf)
    assert everything.count("zh-CN") == articles.count("zh-CN") + 1  # + the catalogue: zh comes first
    assert set(articles) == {"zh-CN", "en"}
    first_en = articles.index("en")
    assert all(lang == "zh-CN" for lang in articles[:first_en])
    assert all(lang == "en" for lang in articles[first_en:])
    english = write_note(tmp_path / "en.pdf", figures_doc(), placeholder_exhibits(chart_dir), langs="en")
    everything, articles = structure_languages(english)
    assert set(everything) == {"en"}
    assert articles


def test_headline_comes_before_the_sidebar_in_reading_order(note_pdf):
    views = load_views()
    headline_zh, headline_en = views.headline("zh")[:6], views.headline("en")[:12]
    pages = page_texts(note_pdf)
    zh_first = pages[0]
    assert zh_first.index(headline_zh) < zh_first.index("研究部门")
    en_first = next(page for page in pages if "English edition" in page and headline_en in page)
    assert en_first.index(headline_en) < en_first.index("Desk")


def test_contents_link_to_the_sections_and_the_other_edition(chart_dir):
    html = render_html(_inputs(chart_dir), "zh,en")
    for lang in ("zh", "en"):
        for section in ("summary", "key-points", "exhibits", "key-figures", "disclaimer"):
            assert f'href="#{section}-{lang}"' in html
            assert f'id="{section}-{lang}"' in html
    for lang in ("zh", "en"):
        assert f'href="#edition-{lang}"' in html
        assert f'id="edition-{lang}"' in html


def test_contents_show_page_numbers_and_are_clickable(note_pdf):
    first = page_texts(note_pdf, layout=True)[0]
    assert re.search(r"报告导读\s*\.{3,}\s*1\b", first), first
    assert b"/Subtype /Link" in inflated(note_pdf)


# --- layout: headings and labels never end on one character or one word ---------------------------


def _last_lines(html_fragment: str, width_mm: float, font_pt: float, lang: str) -> list[str]:
    from weasyprint import HTML

    style = (
        f"@page {{ size: 300mm 200mm; margin: 0 }} p {{ width: {width_mm}mm; font: {font_pt}pt"
        ' "Noto Sans CJK SC"; margin: 0; hyphens: manual } .keep { white-space: nowrap }'
    )
    document = HTML(string=f'<style>{style}</style><p lang="{lang}">{html_fragment}</p>').render()
    lines = []
    for box in document.pages[0]._page_box.descendants():
        if type(box).__name__ == "LineBox":
            lines.append("".join(text.text for text in box.descendants() if type(text).__name__ == "TextBox"))
    return lines


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("长债发行节奏放缓，期限溢价承压，长端美债或迎收益率曲线牛市走平", "zh"),
        ("10年期美债收益率目标区间", "zh"),
        ("Supply relief opens the door to a bull flattening at the long end", "en"),
        ("10-year realized volatility, 1 month (annualised)", "en"),
    ],
)
def test_no_heading_or_label_ends_with_a_lone_character_or_word(text, lang):
    from generator.render import keep_tail

    lone = 0
    for width_mm in range(14, 176, 5):  # a sidebar label up to a full-width headline
        plain = _last_lines(str(Markup.escape(text)), width_mm, 9, lang)
        kept = _last_lines(str(keep_tail(text, lang)), width_mm, 9, lang)
        last = kept[-1].replace("\u00a0", " ").strip()
        if lang == "zh":
            assert len(last) >= 2 or len(kept) == 1, (width_mm, kept)
        else:
            assert " " in last or len(kept) == 1, (width_mm, kept)
        if len(plain) > 1 and (len(plain[-1].strip()) == 1 or " " not in plain[-1].strip()):
            lone += 1
    assert lone, "the unfiltered text never ended on a lone character or word: the test proves nothing"


def test_headline_and_sidebar_labels_use_the_unbreakable_tail(chart_dir):
    from generator.formatting import split_unbreakable_tail

    html = render_html(_inputs(chart_dir), "zh,en")
    views = load_views()
    head, tail = split_unbreakable_tail(views.headline("zh"), "zh")
    assert f'{head}<span class="keep">{tail}</span></h1>' in html
    assert '10年期美债收益率<span class="keep">目标区间</span>' in html
    head, tail = split_unbreakable_tail(views.headline("en"), "en")
    assert f"{head}{tail.replace(' ', chr(160))}</h1>" in html


# --- key figures: the reader's language, periods, missing values -----------------------------------


def test_key_figure_rows_in_the_readers_language():
    from generator.render import key_figure_row

    monthly = {
        "value": 22.37,
        "unit": "%",
        "date": "2025-01-31",
        "period": "2025-01",
        "source": "US Treasury, Monthly Statement of the Public Debt (bills, total marketable)",
        "source_zh": "美国财政部，国债月度报表（短期国库券、可流通国债合计）",
        "label_zh": "短期国库券占比",
        "label_en": "Bills' share",
        "inputs": [{"series": "mspd_bills", "date": "2025-01-31", "published": "2025-02-06"}],
    }
    zh, en = key_figure_row("a", monthly, "zh", "22.4%"), key_figure_row("a", monthly, "en", "22.4%")
    assert (zh["period"], en["period"]) == ("2025年1月", "Jan\u00a02025")
    assert zh["source"] == "美国财政部，国债月度报表（短期国库券、可流通国债合计）"
    assert en["source"].startswith("US Treasury, Monthly Statement")
    assert zh["url"] == en["url"] == CATALOGUE["mspd_bills"].endpoint
    quarterly = {"value": 2.3, "unit": "%", "date": "2024-10-01", "period": "2024Q4", "source": "BEA"}
    assert key_figure_row("b", quarterly, "zh", "2.3%")["period"] == "2024年四季度"
    assert key_figure_row("b", quarterly, "en", "2.3%")["period"] == "Q4\u00a02024"


def test_key_figure_rows_fall_back_without_the_new_fields():
    from generator.render import key_figure_row

    old = {"value": 2.3, "unit": "%", "date": "2024-10-01", "source": "FRED (St. Louis Fed) A191RL1Q225SBEA"}
    assert key_figure_row("gdp", old, "en", "2.3%")["period"] == "Oct\u00a02024"  # first of a month: a month
    with_inputs = {**old, "inputs": [{"series": "gdp_growth"}]}
    assert key_figure_row("gdp", with_inputs, "zh", "2.3%")["period"] == "2024年四季度"  # quarterly series
    assert key_figure_row("gdp", old, "zh", "2.3%")["source"] == "圣路易斯联储FRED A191RL1Q225SBEA"
    daily = {"value": 4.45, "unit": "%", "date": "2025-02-06", "source": "x"}
    assert key_figure_row("y", daily, "zh", "4.45%")["period"] == "2025年2月6日"


def test_a_missing_value_prints_as_not_available():
    from generator.render import key_figure_row

    missing = {"value": None, "unit": "%", "date": None, "period": "2024Q4", "reason": "not yet published"}
    assert key_figure_row("x", missing, "zh", "—")["value"] == "暂无"
    assert key_figure_row("x", missing, "en", "n/a")["value"] == "n/a"
    assert key_figure_row("x", missing, "en", "n/a")["missing"]


def test_the_one_style_sheet_is_parsed_once_and_lifted_out_of_the_html():
    from generator.render import lift_style

    html = "<html><head><style>p { color: red }</style></head><body><p>x</p></body></html>"
    body, sheets = lift_style(html, "file:///tmp/", None)
    assert "<style>" not in body
    assert len(sheets) == 1
    again, same = lift_style(html, "file:///tmp/", None)
    assert same[0] is sheets[0]  # parsed once per process
    assert again == body


@pytest.mark.parametrize(
    "html",
    [
        "<style>p { color: red }</style><style>p { color: blue }</style>",
        '<link rel="stylesheet" href="x.css"><style>p { color: red }</style>',
        "<style>p { color: red !important }</style>",
    ],
)
def test_a_style_sheet_whose_cascade_would_change_stays_in_the_html(html):
    from generator.render import lift_style

    assert lift_style(html, "file:///tmp/", None) == (html, [])


def test_a_lifted_style_sheet_gives_the_same_pdf(tmp_path):
    from weasyprint import HTML

    from generator.render import layout_document

    html = (
        "<html><head><style>@page { size: A6; margin: 10mm } h1 { color: #0b3d91; font-size: 14pt }"
        " p { text-align: justify }</style></head><body><h1>Title</h1><p>"
        + "Yields fell on the week. " * 40
        + "</p></body></html>"
    )
    lifted = layout_document(html, tmp_path).write_pdf(pdf_identifier=b"0" * 32)
    plain = HTML(string=html, base_url=f"{tmp_path.as_uri()}/").render().write_pdf(pdf_identifier=b"0" * 32)
    assert lifted == plain


def test_each_edition_subtracts_the_amounts_it_prints(chart_dir):
    # $549.08bn prints as $549bn and as 5491亿: the gap to $850bn is $301bn in English and 3009亿 in Chinese
    zh, en = _editions(chart_dir, {**FALLING, "tga__last_bn": 549.08})
    assert "TGA余额为5491亿美元" in zh
    assert "比2031年一季度末的假设低3009亿美元" in zh
    assert "$301bn short of the balance assumed for the end of Q1 2031" in en


def test_data_notes_speak_the_editions_language_and_say_a_shared_reason_once(tmp_path):
    """A real-data note with sample analysts and no tariff scenario yet: the demo-input line is in
    the edition's language and names the file, not the checkout's path; the four tariff bounds,
    unavailable for one reason, are one line."""
    from generator.demo_inputs import DemoInput
    from generator.note import NoteInputs
    from generator.render import render_html
    from tests.note_support import figures_doc, placeholder_exhibits

    doc = figures_doc()
    for key in ("gdp_impact_min", "gdp_impact_max", "inflation_impact_min", "inflation_impact_max"):
        doc["figures"][f"tariff.{key}"].update(
            value=None,
            date=None,
            reason="no tariff scenario on file as of 14 Jun 2024",
            reason_zh="截至2024年6月14日，文件中没有关税情景",
        )
    sample = DemoInput(
        "/some/checkout/analyst/views.yaml", "the authors are sample analysts", "作者为示例分析师"
    )
    inputs = NoteInputs.from_document(
        doc, placeholder_exhibits(tmp_path), load_views(), demo=False, demo_inputs=[sample]
    )
    zh, en = (_text(render_html(inputs, lang)) for lang in ("zh", "en"))
    assert "views.yaml：作者为示例分析师" in zh
    assert "sample analysts" not in zh
    assert "views.yaml: the authors are sample analysts" in en
    assert "/some/checkout" not in zh + en
    assert zh.count("文件中没有关税情景") == 1
    assert en.count("no tariff scenario on file as of 14 Jun 2024") == 1
    assert "Tariff scenarios: GDP impact, high end; Tariff scenarios: GDP impact, low end;" in en


def test_the_title_block_says_when_the_yields_are_an_older_close(chart_dir):
    # the fixture's 10-year yield is of 13 Mar 2031, the day before the note's close (H.15 posts a day
    # later; the par curve on file may have ended): the title block says which close the yields are
    older = _inputs(chart_dir)
    en, zh = _text(render_html(older, "en")), _text(render_html(older, "zh"))
    assert (
        "Data as of the close of 14 Mar 2031; US Treasury yields as of the close of 13 Mar 2031, "
        "the latest in the data on file by then" in en
    )
    assert "数据截至2031年3月14日收盘；美债收益率为2031年3月13日收盘（截至当日数据中的最新值）" in zh
    # yields of the note's own close: one close is named
    doc = figures_doc()
    doc["figures"]["ust10y.last"]["date"] = "2031-03-14"
    same_day = NoteInputs.from_document(doc, placeholder_exhibits(chart_dir), load_views(), demo=False)
    assert "Data as of the close of 14 Mar 2031 " in _text(render_html(same_day, "en"))
    assert "US Treasury yields as of the close" not in _text(render_html(same_day, "en"))
    assert "美债收益率为" not in _text(render_html(same_day, "zh"))


def test_the_key_figures_table_prints_spreads_and_changes_with_their_sign(chart_dir):
    html = render_html(_inputs(chart_dir, spread_10y2y__last_bp=29.0, ust10y__change_1w_bp=4.0), "en")
    table = _text(html[html.index('id="key-figures-en"') :])
    assert "10-year minus 2-year Treasury spread+29 bp" in table  # as the text and the sidebar print it
    assert "10-year Treasury yield, 1-week change+4 bp" in table
    assert "10-year Treasury yield4.47%" in table  # a level keeps no sign
