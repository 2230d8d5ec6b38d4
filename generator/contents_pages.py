"""The contents list's page numbers: written as text when they are known, checked after layout.

The sidebar's contents list gives each section's page. Left to CSS ``target-counter()``, WeasyPrint
learns those pages only once the later pages are laid out, and then lays out the first page of each
edition twice more: 18 % of a note's layout. The pages of the last note laid out with the same
contents are almost always right (the 52 weekly notes of 2024 all had the same), so
:func:`laid_out` lays the note out with them written into the links (``data-contents-page``, which
the CSS prefers to ``target-counter()``), then reads each section's page from the laid-out anchors.
If one differs, the note is laid out again with the pages found, and if those do not hold either,
with ``target-counter()`` as before. Either way the printed numbers are the pages the sections are
on, and the PDF is the same: the attributes change no box, and the PDF's identifier and the note
cache's key are computed from the HTML before the numbers are written in.

The pages found are remembered for the process (backfill workers, the preview) and in the note
cache's folder (the next build). Page numbers are counted as WeasyPrint's ``page`` counter counts
them only when nothing resets or increments that counter and no linked style sheet could; otherwise
the note is laid out with ``target-counter()`` alone.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator import note_cache
from generator.atomic import write_text_atomic

log = logging.getLogger(__name__)

ATTRIBUTE = "data-contents-page"
MEMORY_FILE = "contents-pages.json"
_NAV = re.compile(r'<nav class="contents">.*?</nav>', re.DOTALL)
_LINK = re.compile(r'<a href="#([^"]+)"')
_PAGE_COUNTER_CHANGED = re.compile(r"counter-(?:reset|increment|set)\s*:[^;}]*\bpage\b")
_LINKED_STYLE = re.compile(r"<link\b[^>]*\bstylesheet\b", re.IGNORECASE)
_remembered: dict[str, dict[str, int]] = {}  #: contents anchors, joined → their pages


def contents_anchors(html: str) -> tuple[str, ...]:
    """Return the anchors the contents lists link to, in order (none when pages cannot be counted)."""
    if _PAGE_COUNTER_CHANGED.search(html) or _LINKED_STYLE.search(html):
        return ()
    return tuple(anchor for nav in _NAV.findall(html) for anchor in _LINK.findall(nav))


def with_pages(html: str, pages: Mapping[str, int]) -> str:
    """Return ``html`` with each contents link to an anchor in ``pages`` carrying its page number."""

    def number(link: re.Match[str]) -> str:
        anchor = link.group(1)
        return f'{link.group(0)} {ATTRIBUTE}="{pages[anchor]}"' if anchor in pages else link.group(0)

    return _NAV.sub(lambda nav: _LINK.sub(number, nav.group(0)), html)


def anchor_pages(document: Any, anchors: tuple[str, ...]) -> dict[str, int]:
    """Return anchor → page number (1 = the first page) for each of ``anchors`` in the laid-out document."""
    wanted = set(anchors)
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in wanted.intersection(page.anchors):
            pages.setdefault(anchor, number)
    return pages


def laid_out(html: str, layout: Callable[[str], Any]) -> Any:
    """Return ``layout(...)`` of ``html`` whose contents list prints the pages its sections are on."""
    anchors = contents_anchors(html)
    if not anchors:
        return layout(html)
    key = "|".join(anchors)
    pages = _remembered.get(key) or _from_memory_file(key)
    for _ in range(2 if pages else 0):  # the remembered pages, then the pages found with them
        document = layout(with_pages(html, pages))
        found = anchor_pages(document, anchors)
        if found == pages:
            _remember(key, found)
            return document
        log.info("contents: the sections are on pages %s, not %s; laying out again", found, pages)
        pages = found
        # freed before the next layout, with a full collection (the laid-out boxes hold reference cycles
        # and a backfill worker defers full collections): two laid-out notes at once raise the peak memory
        document = None
        gc.collect()
    document = layout(html)
    _remember(key, anchor_pages(document, anchors))
    return document


def _from_memory_file(key: str) -> dict[str, int] | None:
    folder = note_cache.current_folder()
    pages = _memory_file(folder).get(key) if folder is not None else None
    if isinstance(pages, dict) and all(isinstance(value, int) for value in pages.values()):
        return pages
    return None


def _remember(key: str, pages: dict[str, int]) -> None:
    if _remembered.get(key) == pages:
        return
    _remembered[key] = pages
    folder = note_cache.current_folder()
    if folder is None:
        return
    kept = {**_memory_file(folder), key: pages}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / MEMORY_FILE, json.dumps(kept, sort_keys=True) + "\n")
    except OSError as exc:  # a read-only cache costs speed, not the build
        log.warning("contents: could not write %s (%s)", folder / MEMORY_FILE, exc)


def _memory_file(folder: Path) -> dict[str, Any]:
    """Return what the cache folder's memory file holds ({} when it is missing or unreadable)."""
    try:
        kept = json.loads((folder / MEMORY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}
