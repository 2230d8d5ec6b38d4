"""The real note as a client gets it: built once as of 2025-02-07 from ../shared/data, every edition.

Accessibility (tags, languages, reading order, searchable chart text, attachments) and layout (no page
more than a third empty except the last page of an edition, where a part break follows).
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pdf_support import attachment_names, page_emptiness, page_texts, pdfinfo, structure_languages

from charts.exhibits import EXHIBITS
from generator.build import BuildRequest, build_note
from generator.data import DATA_DIR, DataRequest
from generator.store import load_store

AS_OF = date(2025, 2, 7)
EDITIONS = {"note.pdf": ("zh-CN", "en"), "note_zh.pdf": ("zh-CN",), "note_en.pdf": ("en",)}
EDITION_KICKERS = ("中文版", "English edition")


@pytest.fixture(scope="module")
def real_note(tmp_path_factory) -> Path:
    from conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    out = tmp_path_factory.mktemp("real") / "2025-02-07"
    cache = tmp_path_factory.mktemp("real-cache")
    editions = (("zh", "en"), ("zh",), ("en",))
    build_note(
        BuildRequest(
            AS_OF, DataRequest(DATA_DIR, data_dir=SHARED_DATA, cache_dir=cache), out, editions=editions
        )
    )
    return out


@pytest.mark.parametrize("name", list(EDITIONS))
def test_every_edition_is_tagged_and_carries_the_appendix_and_figures(real_note, name, tmp_path):
    pdf = real_note / name
    assert pdfinfo(pdf)["Tagged"] == "yes"
    assert attachment_names(pdf) == ["appendix.xlsx", "figures.json"]
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(pdf)], check=True)
    assert (tmp_path / "appendix.xlsx").read_bytes() == (real_note / "appendix.xlsx").read_bytes()
    attached = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert attached == json.loads((real_note / "figures.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "langs"), list(EDITIONS.items()))
def test_document_and_edition_languages(real_note, name, langs):
    everything, articles = structure_languages(real_note / name)
    assert articles, "every edition is an article structure element"
    assert list(dict.fromkeys(articles)) == list(langs)  # each edition's part, in order
    catalogue = list(everything)
    for lang in articles:
        catalogue.remove(lang)
    assert catalogue == [langs[0]]  # the document's /Lang: the single language, or the first edition's


def test_headline_before_sidebar_on_each_first_page(real_note):
    pages = page_texts(real_note / "note.pdf")
    firsts = [page for page in pages if any(kicker in page for kicker in EDITION_KICKERS)]
    assert len(firsts) == 2
    zh, en = firsts
    headline_zh, headline_en = pdfinfo(real_note / "note.pdf")["Subject"].split(" / ")
    assert zh.index(headline_zh[:6]) < zh.index("研究部门") < zh.index("本周数据一览")
    assert en.index(headline_en[:12]) < en.index("Desk") < en.index("The week in numbers")


def test_chart_text_is_searchable(real_note):
    text = "\n".join(page_texts(real_note / "note.pdf"))
    for label in ("ACM TP 10Y 期限溢价", "Realised vol 波动率", "Bund 10Y 德债", "2024-07"):
        assert label in text, label


def _edition_ends(pages: list[str]) -> set[int]:
    """Return the page indexes after which a part break follows (the last page of each edition)."""
    starts = [
        number for number, page in enumerate(pages) if any(kicker in page for kicker in EDITION_KICKERS)
    ]
    return {start - 1 for start in starts[1:]} | {len(pages) - 1}


def test_no_page_more_than_a_third_empty_except_before_a_part_break(real_note, tmp_path):
    """The bilingual note; each single edition lays out page for page like its part of it."""
    name = "note.pdf"
    pdf = real_note / name
    pages = page_texts(pdf)
    shares = page_emptiness(pdf, tmp_path)
    assert len(shares) == len(pages)
    ends = _edition_ends(pages)
    assert len(ends) == len(EDITIONS[name])
    too_empty = {number + 1: round(share, 2) for number, share in enumerate(shares) if share > 1 / 3}
    assert set(too_empty) <= {number + 1 for number in ends}, too_empty


def test_key_figures_print_periods_not_first_days(real_note):
    zh = "\n".join(page_texts(real_note / "note_zh.pdf"))
    en = "\n".join(page_texts(real_note / "note_en.pdf"))
    for first_day in ("2024年12月1日", "2024年10月1日"):
        assert first_day not in zh
    assert not re.search(r"(?<!\d)1\s(Dec|Oct) 2024", en)
    assert "所属期" in zh
    assert "Period" in en


def test_e07_bund_line_starts_with_the_window(shared_data):
    exhibit = EXHIBITS["E07"]
    from generator.catalogue import CATALOGUE

    store = load_store(shared_data, tuple(CATALOGUE[key] for key in exhibit.series))
    view = store.as_of(AS_OF)
    frame = exhibit.frame(view)
    bund = frame[["date", "bund10y_pct", "bund10y_monthly_pct"]].dropna(
        how="all", subset=["bund10y_pct", "bund10y_monthly_pct"]
    )
    window_start = exhibit.start(pd.Timestamp(AS_OF))
    assert pd.Timestamp(bund["date"].min()) <= window_start + pd.Timedelta(days=35)
    daily_start = frame.loc[frame["bund10y_pct"].notna(), "date"].min()
    monthly = frame.loc[frame["bund10y_monthly_pct"].notna(), "date"]
    assert monthly.max() < daily_start  # monthly values only where the daily series has none
    assert "IRLTLT01DEM156N" in exhibit.source_en
    assert "IRLTLT01DEM156N" in exhibit.source_zh


def test_tariff_exhibits_name_scenarios_in_both_languages(real_note):
    for name in ("e11.svg", "e12.svg"):
        svg = (real_note / "charts" / name).read_text(encoding="utf-8")
        assert "关税" in svg  # the scenario's Chinese name (analyst/tariff_scenarios.csv scenario_zh)
        assert "tariff" in svg
