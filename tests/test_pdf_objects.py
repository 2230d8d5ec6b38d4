"""Each PDF object serialised once per write: the same bytes, half the compressing."""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

import pytest

from generator.pdf_objects import serialised_once

PAGES = """<html lang="en"><body><p>one</p><p style="break-before:page">two 二</p>
<a rel="attachment" href="data.json">data</a></body></html>"""


def write(folder: Path, once: bool, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[bytes, int]:
    """Return the PDF of a two-page document with an attachment and how many streams were compressed."""
    from weasyprint import HTML

    (folder / "data.json").write_text('{"a": 1}\n' * 200)
    document = HTML(string=PAGES, base_url=f"{folder.as_uri()}/").render()
    compressed = []
    if monkeypatch is not None:
        made = zlib.compressobj
        monkeypatch.setattr(
            zlib, "compressobj", lambda *args, **kw: (compressed.append(1), made(*args, **kw))[1]
        )
    if once:
        with serialised_once():
            data = document.write_pdf(pdf_identifier=b"0" * 32, pdf_tags=True)
    else:
        data = document.write_pdf(pdf_identifier=b"0" * 32, pdf_tags=True)
    return data, len(compressed)


def test_a_pdf_serialised_once_has_the_same_bytes_and_compresses_each_stream_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    twice, compressed_twice = write(tmp_path, once=False, monkeypatch=monkeypatch)
    monkeypatch.undo()
    once, compressed_once = write(tmp_path, once=True, monkeypatch=monkeypatch)
    assert once == twice
    assert compressed_twice == 2 * compressed_once - 1  # pydyf again for the identifier (the xref: once)


def test_the_patch_ends_with_the_last_open_block():
    import pydyf

    write_before, data_before = pydyf.PDF.write, pydyf.Stream.__dict__["data"]
    entered, leave = threading.Event(), threading.Event()

    def other_thread() -> None:
        with serialised_once():
            entered.set()
            leave.wait(5)

    thread = threading.Thread(target=other_thread)
    thread.start()
    entered.wait(5)
    with serialised_once():
        assert pydyf.PDF.write is not write_before
    assert pydyf.PDF.write is not write_before  # the other thread's block is still open
    leave.set()
    thread.join(5)
    assert pydyf.PDF.write is write_before
    assert pydyf.Stream.__dict__["data"] is data_before
