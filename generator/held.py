"""A change to how a library behaves, held while any block that asked for it is open.

The build changes a few things process-wide for the length of a block: the cycle collector's
thresholds (:mod:`generator.collector`), pydyf's serialisation (:mod:`generator.pdf_objects`),
WeasyPrint's font subsetting (:mod:`generator.font_subsets`). Blocks may overlap: the preview renders
a PDF in one thread while another rebuilds the page. A :class:`Held` change is made when the first
block opens and undone when the last one closes, whichever thread that is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Held:
    """``make()`` when the first :meth:`block` opens, ``undo()`` when the last open one ends."""

    def __init__(self, make: Callable[[], object], undo: Callable[[], object]) -> None:
        self._make, self._undo = make, undo
        self._lock = threading.Lock()
        self.open_blocks = 0

    @contextmanager
    def block(self) -> Iterator[None]:
        with self._lock:
            if self.open_blocks == 0:
                self._make()
            self.open_blocks += 1
        try:
            yield
        finally:
            with self._lock:
                self.open_blocks -= 1
                if self.open_blocks == 0:
                    self._undo()
