"""One PDF drawing per chart: an SVG placed on several pages is drawn once and painted from there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_support import inflated, pdfinfo, run

from generator import shared_drawings
from generator.shared_drawings import drawn_once, forget_drawings, kept_drawings

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">'
    '<path d="M 17.25 33.5 L 99.75 61.125" stroke="#c8102e" stroke-width="2"/></svg>'
)
PAGES = """<html><body>
<p>one</p><img src="chart.svg" style="width:60mm"><p style="break-before:page">two</p>
<img src="chart.svg" style="width:60mm"><img src="chart.svg" style="width:30mm">
</body></html>"""
PATH_START = re.compile(rb"17\.25 33\.5 m")


def write(folder: Path, shared: bool) -> Path:
    from weasyprint import HTML

    (folder / "chart.svg").write_text(SVG)
    document = HTML(string=PAGES, base_url=f"{folder.as_uri()}/").render()
    target = folder / ("shared.pdf" if shared else "inline.pdf")
    if shared:
        with drawn_once():
            document.write_pdf(target, pdf_tags=True)
    else:
        document.write_pdf(target, pdf_tags=True)
    return target


def test_an_svg_placed_twice_at_one_size_is_drawn_once(tmp_path: Path):
    inline = write(tmp_path, shared=False)
    shared = write(tmp_path, shared=True)
    assert len(PATH_START.findall(inflated(inline))) == 3  # WeasyPrint alone: every placement
    # one drawing for the two 60 mm placements, one for the 30 mm one
    assert len(PATH_START.findall(inflated(shared))) == 2
    assert pdfinfo(shared)["Pages"] == "2"
    assert pdfinfo(shared)["Tagged"] == "yes"


def test_the_patch_ends_with_the_block(tmp_path: Path):
    from weasyprint.images import SVGImage

    before = SVGImage.draw
    with drawn_once():
        assert SVGImage.draw is not before
    assert SVGImage.draw is before


LABELLED = (  # text anchored in the middle: WeasyPrint draws it into a form nested in the drawing's
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">'
    '<path d="M 17.25 33.5 L 99.75 61.125" stroke="#c8102e" stroke-width="2" opacity="0.5"/>'
    '<text x="60" y="20" text-anchor="middle" style="font-size: 9px; font-family: sans-serif">'
    "Yield 收益率</text></svg>"
)
WITH_TEXT = """<html><body style="font-family: sans-serif"><p>Body text 正文 first</p>
<img src="chart.svg" style="width:60mm"><p style="break-before:page">two</p>
<img src="chart.svg" style="width:60mm"></body></html>"""


def write_note_like(folder: Path, name: str, svg: str = LABELLED) -> tuple[bytes, int]:
    """Write a two-page document placing ``svg`` twice; return its bytes and how many SVGs were drawn."""
    from weasyprint import HTML
    from weasyprint.images import SVGImage

    (folder / "chart.svg").write_text(svg, encoding="utf-8")
    document = HTML(string=WITH_TEXT, base_url=f"{folder.as_uri()}/").render()
    drawn = []
    draw = SVGImage.draw
    SVGImage.draw = lambda self, *args: (drawn.append(1), draw(self, *args))[1]
    try:
        with drawn_once():
            data = document.write_pdf(folder / name, pdf_tags=True, pdf_identifier=b"0" * 32)
    finally:
        SVGImage.draw = draw
    return (folder / name).read_bytes() if data is None else data, len(drawn)


@pytest.fixture
def no_kept_drawings() -> Iterator[None]:
    forget_drawings()
    yield
    forget_drawings()


def test_a_chart_drawn_for_one_note_is_replayed_in_the_next_with_the_same_bytes(
    tmp_path: Path, no_kept_drawings: None
):
    first, drawn_first = write_note_like(tmp_path, "first.pdf")
    second, drawn_second = write_note_like(tmp_path, "second.pdf")
    assert (drawn_first, drawn_second) == (1, 0)  # once for both pages, then not at all
    assert second == first
    assert kept_drawings() == 1
    assert "Yield" in run("pdftotext", str(tmp_path / "second.pdf"), "-")  # the label's glyphs kept
    forget_drawings()
    third, drawn_third = write_note_like(tmp_path, "third.pdf")  # drawn again, as in a new process
    assert (third, drawn_third) == (first, 1)


def test_a_changed_chart_file_is_drawn_again(tmp_path: Path, no_kept_drawings: None):
    first, _ = write_note_like(tmp_path, "first.pdf")
    changed, drawn = write_note_like(tmp_path, "second.pdf", LABELLED.replace("#c8102e", "#0000ff"))
    assert drawn == 1
    assert changed != first
    assert kept_drawings() == 2
    assert re.search(rb"\n0 0 1 RG", inflated(tmp_path / "second.pdf"))  # the new colour (#0000ff)


def test_an_svg_that_loads_another_file_is_always_drawn(tmp_path: Path, no_kept_drawings: None):
    linking = LABELLED.replace("</svg>", '<image href="logo.png" width="1" height="1"/></svg>')
    write_note_like(tmp_path, "first.pdf", linking)
    _, drawn = write_note_like(tmp_path, "second.pdf", linking)
    assert drawn == 1
    assert kept_drawings() == 0


def test_the_process_keeps_a_bounded_number_of_drawings(
    tmp_path: Path, no_kept_drawings: None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(shared_drawings, "KEPT_DRAWINGS", 2)
    for colour in ("#111111", "#222222", "#333333"):
        write_note_like(tmp_path, "note.pdf", LABELLED.replace("#c8102e", colour))
    assert kept_drawings() == 2
    _, drawn = write_note_like(tmp_path, "again.pdf", LABELLED.replace("#c8102e", "#111111"))
    assert drawn == 1  # the oldest was dropped
