"""One PDF drawing per chart: drawn once for both editions, and replayed in the process's later notes.

The bilingual note places each exhibit's SVG twice (once per edition). WeasyPrint parses an SVG once
per URL but draws it into the page's content stream every time it is placed, so the PDF carried two
copies of every chart's paths and text, and writing it drew each chart twice. Inside
:func:`drawn_once`, the first placement of an SVG at a given size draws it into a PDF form XObject and
every placement (the first included) paints that XObject: same picture, half the drawing work.

A process that writes note after note (the preview after each edit, a backfill worker from date to
date) mostly places charts it has drawn before: a views edit changes no chart, and 5 to 8 of a
Friday's 12 exhibits are the previous Friday's. Drawing an SVG (its paths, and Pango laying out each
label) was a third of writing the PDF, so each drawing is also kept, by the SHA-256 of the SVG file
and the size, as what it put in the PDF: the form's content, bounding box and graphic states, the
forms nested in it (WeasyPrint draws anchored labels into their own), and the glyphs it used of each
font. The next note that places the same file at the same size replays that instead of drawing.

Replayed and drawn, the PDF is the same: a drawing records its glyphs as if the document's fonts were
new to it (each label's kerning comes from the chart's own glyph widths), and adds them to the
document's fonts afterwards exactly as drawing would have (a glyph the document already has keeps its
entry). It replays only where the document already uses each of its fonts (the body text's), and only
SVGs that load nothing else (a file they link to could change while the SVG does not).

WeasyPrint has no option for this; the patch is scoped to the ``with`` block and follows its own
``Stream.add_group`` / ``draw_x_object`` calls, which it uses the same way for opacity groups.
Nothing inside an SVG is tagged (WeasyPrint marks the <img> as one Figure around the drawing), so a
shared drawing keeps the structure tree intact.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

KEPT_DRAWINGS = 48  #: drawings kept per process (four notes' exhibits), the oldest dropped first
_EXTERNAL_REFERENCE = re.compile(rb"""(?:href\s*=\s*["']|url\(\s*["']?|@import)\s*(?!#)""")


@dataclass(frozen=True)
class Form:
    """A form XObject as drawn: its content stream, bounding box, graphic states and nested forms."""

    content: bytes
    bbox: tuple[float, ...]
    states: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    forms: tuple[tuple[str, Form], ...]


@dataclass(frozen=True)
class Glyphs:
    """The glyphs a drawing used of one font: to the text they show, and their widths."""

    font_key: int
    font_name: str
    to_unicode: tuple[tuple[int, str], ...]
    widths: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Drawing:
    form: Form
    glyphs: tuple[Glyphs, ...]


_kept: OrderedDict[tuple[str, float, float], Drawing] = OrderedDict()


def forget_drawings() -> None:
    """Drop the drawings kept by this process."""
    _kept.clear()


def kept_drawings() -> int:
    return len(_kept)


class _FontSeenByDrawing:
    """A document font as one drawing sees it: the drawing's own glyph records, the rest the font's."""

    def __init__(self, font: Any) -> None:
        self.__dict__.update(_font=font, widths={}, to_unicode={})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._font, name)


class _FontsSeenByDrawing(dict):  # type: ignore[type-arg]
    """The ``fonts`` of a stream being drawn: WeasyPrint's ``Stream.add_font`` finds each document
    font here (a font new to the document is added to it, as it would have been), seen by the drawing."""

    def __init__(self, document_fonts: dict[Any, Any]) -> None:
        super().__init__()
        self.document_fonts = document_fonts

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        if key in self.document_fonts:
            dict.__setitem__(self, key, _FontSeenByDrawing(self.document_fonts[key]))
            return True
        return False

    def __setitem__(self, key: Any, font: Any) -> None:
        self.document_fonts[key] = font
        dict.__setitem__(self, key, _FontSeenByDrawing(font))

    def glyphs(self) -> tuple[Glyphs, ...]:
        return tuple(
            Glyphs(key, seen.hash, tuple(seen.to_unicode.items()), tuple(seen.widths.items()))
            for key, seen in dict.items(self)
        )


def drawing_key(image: Any, width: float, height: float) -> tuple[str, float, float] | None:
    """Return what identifies a drawing of ``image`` at this size: the SHA-256 of its file (None for an
    SVG that is not a local file or that loads other files, which is always drawn)."""
    url = getattr(image, "_base_url", None) or ""
    if not url.startswith("file://"):
        return None
    try:
        data = Path(unquote(urlparse(url).path)).read_bytes()
    except OSError:
        return None
    if _EXTERNAL_REFERENCE.search(data):
        return None
    return hashlib.sha256(data).hexdigest(), round(width, 4), round(height, 4)


def _recorded_form(stream: Any) -> Form | None:
    """Return what ``stream`` (a drawn form) holds, or None if it holds more than forms and states."""
    import pydyf

    resources = stream._resources
    if resources["Pattern"] or resources["Shading"]:
        return None
    forms = []
    for name, nested in resources["XObject"].items():
        form = _recorded_form(nested) if isinstance(nested, pydyf.Stream) else None
        if form is None:
            return None
        forms.append((name, form))
    return Form(
        content=b"\n".join(pydyf._to_bytes(item) for item in stream.stream),
        bbox=tuple(stream.extra["BBox"]),
        states=tuple((name, tuple(dict(state).items())) for name, state in resources["ExtGState"].items()),
        forms=tuple(forms),
    )


def _replay_form(group: Any, form: Form) -> None:
    import pydyf

    group.stream = [form.content]
    group.extra["BBox"][:] = form.bbox
    for name, state in form.states:
        group._resources["ExtGState"][name] = pydyf.Dictionary(dict(state))
    for name, nested_form in form.forms:
        nested = group.add_group(0, 0, 0, 0)
        if nested.id != name:  # WeasyPrint names forms by count: the same order gives the same names
            raise RuntimeError(f"shared drawing: form {nested.id} replayed as {name}")
        _replay_form(nested, nested_form)


def _add_glyphs(document_fonts: dict[Any, Any], glyphs: tuple[Glyphs, ...]) -> None:
    for used in glyphs:
        font = document_fonts[used.font_key]
        for glyph, text in used.to_unicode:
            font.to_unicode.setdefault(glyph, text)
        for glyph, width in used.widths:
            font.widths.setdefault(glyph, width)


def _replayable(drawing: Drawing | None, document_fonts: dict[Any, Any]) -> bool:
    return drawing is not None and all(
        used.font_key in document_fonts and document_fonts[used.font_key].hash == used.font_name
        for used in drawing.glyphs
    )


def _draw_into(group: Any, draw: Any) -> Drawing | None:
    """Draw into ``group`` with ``draw(group)``, add its glyphs to the document's fonts, and return
    the drawing as recorded (None if it cannot be replayed)."""
    document_fonts = group._fonts
    seen = _FontsSeenByDrawing(document_fonts)
    group._fonts = seen  # forms nested in the drawing are cloned from the group, with these fonts
    try:
        draw(group)
    finally:
        group._fonts = document_fonts
    glyphs = seen.glyphs()
    _add_glyphs(document_fonts, glyphs)
    form = _recorded_form(group)
    return Drawing(form, glyphs) if form is not None else None


def _keep(key: tuple[str, float, float], drawing: Drawing) -> None:
    _kept[key] = drawing
    _kept.move_to_end(key)
    while len(_kept) > KEPT_DRAWINGS:
        _kept.popitem(last=False)


@contextmanager
def drawn_once() -> Iterator[None]:
    """Within the block, every SVG image is drawn once per document and size, then reused; a drawing
    this process made before of the same file at the same size is replayed instead of drawn."""
    from weasyprint.images import SVGImage

    draw_inline = SVGImage.draw
    placed: dict[tuple[int, float, float], tuple[Any, Any, str]] = {}

    def draw_shared(self: Any, stream: Any, width: float, height: float, style: Any) -> None:
        resources = stream._resources  # a drawing may be reused only where its XObject is in scope
        key = (id(self), round(width, 4), round(height, 4))
        known = placed.get(key)
        if known is None or known[0] is not resources or known[1] is not self:
            group = stream.add_group(0, 0, width, height)
            file_key = drawing_key(self, width, height)
            drawing = _kept.get(file_key) if file_key else None
            if drawing is not None and _replayable(drawing, stream._fonts):
                _replay_form(group, drawing.form)
                _add_glyphs(stream._fonts, drawing.glyphs)
                _kept.move_to_end(file_key)  # type: ignore[arg-type]
            else:
                drawing = _draw_into(group, lambda into: draw_inline(self, into, width, height, style))
                if file_key and drawing is not None:
                    _keep(file_key, drawing)
            known = placed[key] = (resources, self, group.id)
        stream.draw_x_object(known[2])

    SVGImage.draw = draw_shared
    try:
        yield
    finally:
        SVGImage.draw = draw_inline
