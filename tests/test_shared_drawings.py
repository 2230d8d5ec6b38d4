"""One PDF drawing per chart: an SVG placed on several pages is drawn once and painted from there."""

from __future__ import annotations

import re
from pathlib import Path

from pdf_support import inflated, pdfinfo

from generator.shared_drawings import drawn_once

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
