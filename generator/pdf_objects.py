"""Each PDF object serialised once per write, not twice.

Given a file identifier, pydyf's ``PDF.write`` writes every object, then serialises every object
again to hash them for the identifier's second part: each content stream, font file and attachment
was compressed twice (zlib at level 9), a tenth of writing the note. Inside :func:`serialised_once`,
``PDF.write`` keeps what each stream, dictionary and array serialised to, for the length of the call:
the objects do not change between the two passes, so the bytes are the same, made once.

pydyf has no option for this; the patch holds while a block is open (:class:`generator.held.Held`),
applies to one ``PDF.write`` at a time per thread, and keeps each object it serialised alive until
the write ends (so no other object can take its ``id`` in the meantime).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any

from generator.held import Held

_writing = threading.local()  #: the serialised objects of the PDF.write running in this thread
_originals: dict[Any, Any] = {}  #: pydyf's own ``data`` property of each kind of object, while patched
_original_write: list[Any] = []  #: pydyf's own ``PDF.write``, while patched


def serialised_once() -> AbstractContextManager[None]:
    """Within the block, a ``pydyf.PDF.write`` serialises each stream, dictionary and array once."""
    return _patch.block()


def _install() -> None:
    import pydyf

    for kind in (pydyf.Stream, pydyf.Dictionary, pydyf.Array):
        _originals[kind] = kind.__dict__["data"]
        kind.data = _kept(_originals[kind])  # type: ignore[attr-defined]
    _original_write.append(pydyf.PDF.write)
    pydyf.PDF.write = _write_once  # type: ignore[method-assign]


def _remove() -> None:
    import pydyf

    pydyf.PDF.write = _original_write.pop()  # type: ignore[method-assign]
    for kind, original in _originals.items():
        kind.data = original
    _originals.clear()


def _write_once(pdf: Any, *args: Any, **kwargs: Any) -> Any:
    _writing.made = {}
    try:
        return _original_write[0](pdf, *args, **kwargs)
    finally:
        _writing.made = None


def _kept(serialise: property) -> property:
    def data(self: Any) -> bytes:
        made = getattr(_writing, "made", None)
        if made is None:  # outside PDF.write (WeasyPrint measuring something): as pydyf does
            return serialise.fget(self)  # type: ignore[misc]
        found = made.get(id(self))
        if found is None or found[0] is not self:
            found = made[id(self)] = (self, serialise.fget(self))  # type: ignore[misc]
        return found[1]

    return property(data)


_patch = Held(_install, _remove)
