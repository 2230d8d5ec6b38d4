"""One PDF drawing per chart, however many times the note shows it.

The bilingual note places each exhibit's SVG twice (once per edition). WeasyPrint parses an SVG once
per URL but draws it into the page's content stream every time it is placed, so the PDF carried two
copies of every chart's paths and text, and writing it drew each chart twice. Inside
:func:`drawn_once`, the first placement of an SVG at a given size draws it into a PDF form XObject and
every placement (the first included) paints that XObject: same picture, half the drawing work.

WeasyPrint has no option for this; the patch is scoped to the ``with`` block and follows its own
``Stream.add_group`` / ``draw_x_object`` calls, which it uses the same way for opacity groups.
Nothing inside an SVG is tagged (WeasyPrint marks the <img> as one Figure around the drawing), so a
shared drawing keeps the structure tree intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def drawn_once() -> Iterator[None]:
    """Within the block, every SVG image is drawn once per document and size, then reused."""
    from weasyprint.images import SVGImage

    draw_inline = SVGImage.draw
    drawings: dict[tuple[int, float, float], tuple[Any, Any, str]] = {}

    def draw_shared(self: Any, stream: Any, width: float, height: float, style: Any) -> None:
        resources = stream._resources  # a drawing may be reused only where its XObject is in scope
        key = (id(self), round(width, 4), round(height, 4))
        known = drawings.get(key)
        if known is None or known[0] is not resources or known[1] is not self:
            group = stream.add_group(0, 0, width, height)
            draw_inline(self, group, width, height, style)
            known = drawings[key] = (resources, self, group.id)
        stream.draw_x_object(known[2])

    SVGImage.draw = draw_shared
    try:
        yield
    finally:
        SVGImage.draw = draw_inline
