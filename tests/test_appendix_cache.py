"""The appendix cache: the same input gives the stored workbook; any changed value writes it again."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from generator import appendix_cache
from generator.appendix import appendix_bytes
from tests.test_appendix import _book


class Writer:
    def __init__(self, book) -> None:
        self.book, self.calls = book, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return appendix_bytes(self.book)


def test_an_unchanged_input_gives_the_stored_workbook(tmp_path):
    book = _book()
    writer = Writer(book)
    first = appendix_cache.made(book, tmp_path, writer)
    again = appendix_cache.made(_book(), tmp_path, writer)  # an equal input built anew
    assert again == first == appendix_bytes(book)
    assert writer.calls == 1


def _with_first_frame(book, frame: pd.DataFrame):
    sheets = list(book.exhibits)
    sheets[0] = dataclasses.replace(sheets[0], frame=frame)
    return dataclasses.replace(book, exhibits=tuple(sheets))


@pytest.mark.parametrize(
    "change",
    [
        lambda book: dataclasses.replace(book, demo=not book.demo),
        lambda book: dataclasses.replace(book, title_en=book.title_en + "!"),
        lambda book: dataclasses.replace(book, sources=tuple(book.sources)[:-1]),
        lambda book: _with_first_frame(book, book.exhibits[0].frame.iloc[:-1]),
        lambda book: _with_first_frame(
            book,
            book.exhibits[0].frame.assign(**{book.exhibits[0].frame.columns[-1]: np.nextafter(1.0, 2.0)}),
        ),
        lambda book: _with_first_frame(book, book.exhibits[0].frame.rename(columns=lambda name: name + "_x")),
    ],
    ids=["demo flag", "title", "a source row", "a frame row", "a changed value", "a column name"],
)
def test_any_change_is_a_new_key(change):
    book = _book()
    assert appendix_cache.book_key(change(book)) != appendix_cache.book_key(book)


def test_the_writers_code_is_part_of_the_key(tmp_path, monkeypatch):
    code = tmp_path / "appendix.py"
    code.write_text("VERSION = 1\n")
    monkeypatch.setattr(appendix_cache, "WRITER_CODE", (code,))
    before = appendix_cache.book_key(_book())
    code.write_text("VERSION = 2\n")
    assert appendix_cache.book_key(_book()) != before


def test_a_damaged_entry_is_written_again(tmp_path):
    book = _book()
    writer = Writer(book)
    appendix_cache.made(book, tmp_path, writer)
    (entry,) = tmp_path.glob("*.xlsx")
    entry.write_bytes(entry.read_bytes()[:100])
    data = appendix_cache.made(book, tmp_path, writer)
    assert writer.calls == 2
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_a_value_the_key_cannot_describe_skips_the_cache(tmp_path):
    book = dataclasses.replace(_book(), figures={"as_of": "2025-02-07", "figures": {"x": object()}})
    calls = []
    assert appendix_cache.made(book, tmp_path, lambda: calls.append(1) or b"xlsx") == b"xlsx"
    assert appendix_cache.made(book, tmp_path, lambda: calls.append(1) or b"xlsx") == b"xlsx"
    assert len(calls) == 2
    assert not list(tmp_path.glob("*.xlsx"))
