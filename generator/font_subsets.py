"""A font subset made once per set of glyphs, for the notes a process writes one after another.

Writing a PDF, WeasyPrint has HarfBuzz cut each font down to the glyphs the document uses: a tenth of
a second for the note's two CJK fonts. The next note of the preview (after a views edit) or of a
backfill worker often uses exactly the same glyphs. Inside :func:`subsets_kept`, a subset is kept by
the font (its name, file length, face index and glyph count), the glyphs and the two settings that
change the result, and the next font asking for the same subset gets those bytes: HarfBuzz would
make the same ones.

WeasyPrint has no option for this; the patch holds while a block is open
(:class:`generator.held.Held`).
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import AbstractContextManager
from typing import Any

from generator.held import Held

KEPT_SUBSETS = 8  #: subsets kept per process (each a few hundred KiB), the oldest dropped first
_kept: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_original: list[Any] = []  #: WeasyPrint's Font.subset while the patch is in place


def _install() -> None:
    from weasyprint.pdf.fonts import Font

    _original.append(Font.subset)
    Font.subset = _subset_once


def _remove() -> None:
    from weasyprint.pdf.fonts import Font

    Font.subset = _original.pop()


_patch = Held(_install, _remove)


def subsets_kept() -> AbstractContextManager[None]:
    """Within the block, a font subset this process made before for the same glyphs is reused."""
    return _patch.block()


def _subset_once(font: Any, to_unicode: Any, hinting: bool) -> None:
    if not to_unicode:  # WeasyPrint leaves such a font whole
        _original[0](font, to_unicode, hinting)
        return
    key = (
        font.hash,
        len(font.file_content),
        font.index,
        font.glyph_count,
        tuple(sorted(to_unicode)),
        bool(font.missing),  # both change HarfBuzz's flags
        bool(hinting),
    )
    kept = _kept.get(key)
    if kept is not None:
        font.file_content = kept
        _kept.move_to_end(key)
        return
    whole = font.file_content
    _original[0](font, to_unicode, hinting)
    if font.file_content is whole:  # HarfBuzz could not subset it (WeasyPrint warned): nothing to keep
        return
    _kept[key] = font.file_content
    while len(_kept) > KEPT_SUBSETS:
        _kept.popitem(last=False)


def forget_subsets() -> None:
    """Drop the subsets kept by this process."""
    _kept.clear()


def kept_subsets() -> int:
    return len(_kept)
