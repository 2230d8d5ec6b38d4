"""When Python's cycle collector runs while a process builds note after note.

A build allocates millions of short-lived objects: matplotlib's artists, openpyxl's cells and, above
all, WeasyPrint's laid-out note (boxes, styles, lines). CPython starts a full collection whenever the
objects that survived the young generations have grown by a quarter, and each full collection walks
every tracked object, the laid-out note included, only to find it all still in use. In a process that
builds one date after another with nothing frozen (``backfill --jobs 1``), full collections took
0.75 s of each date's 4.8 s; in the preview, rendering the PDF went from 2.7–3.4 s to 2.2–2.3 s without
them. Backfill's forked workers gain little: their parent freezes what it loaded.

Inside :func:`full_collections_deferred` the young generations are still collected as usual (they free
the short-lived cycles cheaply); full collections wait until the block ends, and whoever goes on after
it collects once, when nobody waits: backfill's workers after each date, the preview once the PDF is
sent. A one-off build is left alone: the imports leave so many long-lived objects that no full
collection starts during it anyway, and deferring would only hold its garbage longer (a 10 MiB higher
peak when its stages run in one process).
"""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager

from generator.held import Held

#: the oldest generation's threshold inside the block: never reached by a build (CPython counts
#: collections of the middle generation against it)
DEFERRED_FULL_THRESHOLD = 1_000_000_000
_thresholds: list[tuple[int, int, int]] = []  #: the thresholds before the change, while it holds


def _defer() -> None:
    _thresholds.append(gc.get_threshold())
    young, middle, _ = _thresholds[0]
    gc.set_threshold(young, middle, DEFERRED_FULL_THRESHOLD)


def _restore() -> None:
    gc.set_threshold(*_thresholds.pop())


_deferred = Held(_defer, _restore)


def full_collections_deferred() -> AbstractContextManager[None]:
    """Within the block, collect only the young generations; the thresholds come back when the last
    open block ends (the preview renders a PDF in a thread while it rebuilds the page)."""
    return _deferred.block()
