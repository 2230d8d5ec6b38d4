"""A font subset made once per set of glyphs: the same bytes, HarfBuzz asked once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import font_subsets
from generator.font_subsets import forget_subsets, kept_subsets, subsets_kept


def write(folder: Path, text: str) -> bytes:
    from weasyprint import HTML

    document = HTML(
        string=f'<html lang="en"><body style="font-family: sans-serif"><p>{text}</p></body></html>'
    ).render()
    with subsets_kept():
        return document.write_pdf(pdf_identifier=b"0" * 32)


@pytest.fixture
def counted_subsets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count HarfBuzz subsets made (WeasyPrint's Font.subset, as the patch calls it)."""
    from weasyprint.pdf.fonts import Font

    made: list[int] = []
    subset = Font.subset

    def counted(self: object, to_unicode: object, hinting: bool) -> None:
        made.append(1)
        subset(self, to_unicode, hinting)

    monkeypatch.setattr(Font, "subset", counted)
    forget_subsets()
    yield made
    forget_subsets()


def test_the_same_glyphs_reuse_the_subset_with_the_same_bytes(tmp_path: Path, counted_subsets: list[int]):
    first = write(tmp_path, "Yields rose 12 bp.")
    made = len(counted_subsets)
    assert made >= 1
    assert kept_subsets() == made
    again = write(tmp_path, "Yields rose 21 bp.")  # the same glyphs in another order
    assert len(counted_subsets) == made  # nothing subset again
    forget_subsets()
    assert write(tmp_path, "Yields rose 21 bp.") == again  # as made by HarfBuzz
    assert len(counted_subsets) == 2 * made
    assert again != first


def test_other_glyphs_get_their_own_subset(tmp_path: Path, counted_subsets: list[int]):
    write(tmp_path, "Yields rose 12 bp.")
    made = len(counted_subsets)
    write(tmp_path, "Yields fell 12 bp.")  # f is new
    assert len(counted_subsets) == 2 * made


def test_the_patch_ends_with_the_block(counted_subsets: list[int]):
    from weasyprint.pdf.fonts import Font

    before = Font.subset
    with subsets_kept(), subsets_kept():
        assert Font.subset is not before
    assert Font.subset is before
    assert font_subsets._patch.open_blocks == 0
