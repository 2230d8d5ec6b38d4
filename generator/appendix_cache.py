"""Finished workbooks kept on disk, so that a build whose appendix did not change does not write it again.

The workbook is a function of its :class:`~generator.appendix_input.AppendixInput` (titles, figures, every
exhibit's frame, the sources), of generator/appendix.py (and the catalogue, whose publisher names it
prints) and of the libraries that write it. The key is the SHA-256 of all of them: every field of the
input in order (numbers and dates by their exact bits, text as text, frames column by column with
names, dtypes and index), the writer's code and the openpyxl, pandas and numpy versions. A field of a
type the key does not know makes the appendix be written without the cache rather than risk a stale
one. The newest :data:`KEEP` entries are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import zipfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator.atomic import write_atomic

log = logging.getLogger(__name__)

FORMAT = "1"
KEEP = 64
#: the writer, and the catalogue whose publisher names it prints
WRITER_CODE = tuple(Path(__file__).with_name(name) for name in ("appendix.py", "catalogue.py"))
LIBRARIES = ("openpyxl", "pandas", "numpy", "et-xmlfile")


class UnhashableError(TypeError):
    """A value the key cannot describe exactly."""


def _feed(digest: Any, value: Any) -> None:
    """Add ``value`` to ``digest``, its type first, so that 1, 1.0, "1" and True differ."""
    if value is None or isinstance(value, bool | int | str):
        digest.update(f"{type(value).__name__}:{value!r}\0".encode())
    elif isinstance(value, float):
        digest.update(b"float:" + np.float64(value).tobytes() + b"\0")
    elif isinstance(value, datetime | date | pd.Timestamp):
        digest.update(f"{type(value).__name__}:{value.isoformat()}\0".encode())
    elif isinstance(value, pd.DataFrame):
        digest.update(f"frame:{value.shape}\0".encode())
        _feed(digest, dict(value.attrs))
        _feed_array(digest, value.index.to_numpy())
        for name in value.columns:
            _feed(digest, name)
            _feed_array(digest, value[name].to_numpy())
    elif isinstance(value, np.ndarray):
        _feed_array(digest, value)
    elif isinstance(value, np.generic):
        _feed_array(digest, np.asarray(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"dataclass:{type(value).__qualname__}\0".encode())
        for item in dataclasses.fields(value):
            _feed(digest, item.name)
            _feed(digest, getattr(value, item.name))
    elif isinstance(value, Mapping):
        digest.update(f"mapping:{len(value)}\0".encode())
        for key, item in value.items():  # in order: the writer lays rows out in this order
            _feed(digest, key)
            _feed(digest, item)
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__}:{len(value)}\0".encode())
        for item in value:
            _feed(digest, item)
    else:
        raise UnhashableError(f"cannot key a {type(value).__name__}")


def _feed_array(digest: Any, array: np.ndarray) -> None:
    digest.update(f"array:{array.dtype.str}:{array.shape}\0".encode())
    if array.dtype.kind in "biufcmM":
        digest.update(np.ascontiguousarray(array).tobytes())
    else:
        for item in array.tolist():
            _feed(digest, item)


def book_key(book: Any) -> str:
    """Return the hex SHA-256 of everything the workbook of ``book`` depends on."""
    digest = hashlib.sha256(f"appendix cache {FORMAT}\n".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    for path in WRITER_CODE:
        digest.update(path.read_bytes())
    _feed(digest, book)
    return digest.hexdigest()


def _complete(data: bytes, path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and bool(data)
    except (OSError, zipfile.BadZipFile):
        return False


def made(book: Any, folder: Path, make: Callable[[], bytes]) -> bytes:
    """Return the workbook bytes ``make()`` gives for ``book``, from ``folder`` when made before."""
    try:
        key = book_key(book)
    except UnhashableError as exc:
        log.info("appendix cache: %s; writing the appendix", exc)
        return make()
    path = folder / f"{key}.xlsx"
    if path.is_file():
        data = path.read_bytes()
        if _complete(data, path):
            os.utime(path)
            return data
        log.warning("appendix cache: %s is damaged; writing the appendix again", path)
    data = make()
    try:
        write_atomic(path, data, durable=False)
        entries = sorted(folder.glob("*.xlsx"), key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("appendix cache: could not write %s (%s)", path, exc)
    return data
