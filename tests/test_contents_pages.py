"""The contents list's page numbers: the last note's pages, written only when the layout bears them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from note_support import figures_doc, placeholder_exhibits

from generator import contents_pages, note_cache, render
from generator.contents_pages import anchor_pages, contents_anchors, laid_out, with_pages

NAV = (
    '<nav class="contents"><ol><li><a href="#summary-en">Summary</a></li>'
    '<li><a href="#risks-en">Risks</a></li></ol></nav>'
)
HTML = f"<html><head><style>nav a::after {{ content: '' }}</style></head><body>{NAV}</body></html>"


@dataclass
class _Page:
    anchors: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class _Document:
    pages: list[_Page]


def _layout_with(risks_page: int, calls: list[str]):
    """Return a stand-in for WeasyPrint's layout: the summary on page 1, the risks on ``risks_page``."""

    def layout(html: str) -> _Document:
        calls.append(html)
        pages = [_Page() for _ in range(4)]
        pages[0].anchors["summary-en"] = (0, 0)
        pages[risks_page - 1].anchors["risks-en"] = (0, 0)
        return _Document(pages)

    return layout


@pytest.fixture(autouse=True)
def _forget():
    contents_pages._remembered.clear()
    yield
    contents_pages._remembered.clear()


def test_page_numbers_are_written_into_the_contents_links_only():
    numbered = with_pages(HTML + '<a href="#summary-en">elsewhere</a>', {"summary-en": 1, "risks-en": 3})
    assert '<a href="#summary-en" data-contents-page="1">Summary' in numbered
    assert '<a href="#risks-en" data-contents-page="3">Risks' in numbered
    assert numbered.endswith('<a href="#summary-en">elsewhere</a>')  # outside the contents: untouched
    written = (' data-contents-page="1"', ' data-contents-page="3"')
    unwritten = numbered.replace(written[0], "").replace(written[1], "")
    assert unwritten == HTML + '<a href="#summary-en">elsewhere</a>'


def test_pages_are_not_guessed_where_the_page_counter_could_count_otherwise():
    assert contents_anchors(HTML) == ("summary-en", "risks-en")
    reset = HTML.replace("nav a::after", "@page :first { counter-reset: page 3 } nav a::after")
    assert contents_anchors(reset) == ()
    linked = HTML.replace("<head>", '<head><link rel="stylesheet" href="extra.css">')
    assert contents_anchors(linked) == ()
    assert anchor_pages(_layout_with(3, [])(HTML), ("summary-en", "risks-en")) == {
        "summary-en": 1,
        "risks-en": 3,
    }


def test_the_first_note_is_laid_out_with_target_counter_and_the_next_with_its_pages():
    calls: list[str] = []
    laid_out(HTML, _layout_with(3, calls))
    assert calls == [HTML]  # nothing known yet: target-counter() numbers the contents
    calls.clear()
    laid_out(HTML, _layout_with(3, calls))
    assert calls == [with_pages(HTML, {"summary-en": 1, "risks-en": 3})]


def test_pages_that_moved_are_laid_out_again_with_the_pages_found():
    calls: list[str] = []
    laid_out(HTML, _layout_with(3, calls))
    calls.clear()
    laid_out(HTML, _layout_with(2, calls))  # this note's risks moved up a page
    assert calls == [
        with_pages(HTML, {"summary-en": 1, "risks-en": 3}),
        with_pages(HTML, {"summary-en": 1, "risks-en": 2}),
    ]


def test_pages_that_never_hold_fall_back_to_target_counter():
    calls: list[str] = []
    laid_out(HTML, _layout_with(3, calls))
    calls.clear()
    moving = iter([2, 4, 3])  # each layout puts the risks elsewhere

    def unstable(html: str) -> _Document:
        return _layout_with(next(moving), calls)(html)

    laid_out(HTML, unstable)
    assert len(calls) == 3
    assert calls[-1] == HTML


def test_the_pages_are_remembered_in_the_note_cache_folder(tmp_path: Path):
    calls: list[str] = []
    with note_cache.kept_in(tmp_path):
        laid_out(HTML, _layout_with(3, calls))
    assert (tmp_path / contents_pages.MEMORY_FILE).is_file()
    contents_pages._remembered.clear()  # a new process
    calls.clear()
    with note_cache.kept_in(tmp_path):
        laid_out(HTML, _layout_with(3, calls))
    assert calls == [with_pages(HTML, {"summary-en": 1, "risks-en": 3})]


def test_a_note_numbered_from_known_pages_has_the_bytes_of_one_numbered_by_target_counter(
    tmp_path: Path, monkeypatch
):
    laid: list[str] = []
    layout = render.layout_document

    def recording(html, base_dir, roots=()):
        laid.append(html)
        return layout(html, base_dir, roots)

    monkeypatch.setattr(render, "layout_document", recording)
    charts = tmp_path / "charts"
    charts.mkdir()
    exhibits = placeholder_exhibits(charts)
    first = render.write_note(tmp_path / "first.pdf", figures_doc(), exhibits, demo=True)
    second = render.write_note(tmp_path / "second.pdf", figures_doc(), exhibits, demo=True)
    assert [' data-contents-page="' in html for html in laid] == [False, True]
    assert first.read_bytes() == second.read_bytes()


def test_a_note_laid_out_on_wrong_pages_is_freed_before_the_next_layout():
    import gc
    import weakref

    gc.disable()  # as in a backfill worker, where full collections wait until the date is built
    try:
        contents_pages._remembered["summary-en|risks-en"] = {"summary-en": 1, "risks-en": 2}
        earlier: list[weakref.ref] = []
        alive_at_each_layout: list[int] = []

        def layout(html: str) -> _Document:
            alive_at_each_layout.append(sum(ref() is not None for ref in earlier))
            pages = [_Page() for _ in range(4)]
            pages[0].anchors["summary-en"] = (0, 0)
            pages[2].anchors["risks-en"] = (0, 0)
            document = _Document(pages)
            document.cycle = document  # a reference cycle, as WeasyPrint's boxes have
            earlier.append(weakref.ref(document))
            return document

        document = laid_out(HTML, layout)
    finally:
        gc.enable()
    assert anchor_pages(document, ("risks-en",)) == {"risks-en": 3}
    assert alive_at_each_layout == [0, 0]  # the note on the remembered pages was gone by the second
