"""Parsed publisher files kept on disk, so that a file is parsed once and not at every build.

Parsing the ~75 files of a data folder is most of a build's data loading (about two seconds), yet the
files rarely change between two builds. :func:`parsed` returns the checked frame of one file for one
series from ``<folder>/<key>.npz`` when it is there, and otherwise parses and stores it. The key is the
SHA-256 of the file's bytes, the series' catalogue entry, the adapters' code and the pandas and numpy
versions: an edited file, catalogue entry or parser is parsed again, never served stale.

Entries are plain NumPy arrays, one per column in order (``date`` and ``published`` as datetime64[ns]
integers, ``value`` as float64, the source ``line`` as int64), loaded without pickle, so that a cached
frame is exactly the frame the parser returned.
A file that does not parse is never stored: the error is raised again at the next build. A damaged
entry is parsed again and replaced.

The cache is used only inside :func:`kept_in` (``open_store`` wraps loading in it with the --cache
folder); elsewhere, e.g. in ``fetch``, which checks downloads, every file is parsed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from generator.atomic import write_atomic
from generator.catalogue import SeriesSpec

log = logging.getLogger(__name__)

#: bump when the entry layout changes
FORMAT = "2"
ADAPTERS = Path(__file__).with_name("sources")
VALIDATE = Path(__file__).with_name("validate.py")  #: read_bytes checks a cut last line
COLUMNS = ("date", "value", "published", "line")  #: ``line``: the source line (validate stage errors)
NUMBERS = ("value", "line")
_folder: ContextVar[Path | None] = ContextVar("parse_cache_folder", default=None)


@contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Use ``folder`` for parsed files inside the block (None: parse every file)."""
    token = _folder.set(folder)
    try:
        yield
    finally:
        _folder.reset(token)


@cache
def parser_version() -> str:
    """Return the SHA-256 of the adapters' code and the versions of the libraries that parse."""
    digest = hashlib.sha256(f"parse cache {FORMAT}\n".encode())
    for name in ("pandas", "numpy"):
        digest.update(f"{name} {metadata.version(name)}\n".encode())
    for path in [*sorted(ADAPTERS.glob("*.py")), VALIDATE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(raw: bytes, spec: SeriesSpec) -> str:
    """Return the hex SHA-256 of everything a parsed frame depends on."""
    digest = hashlib.sha256(f"{parser_version()}\0{spec!r}\0".encode())
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    """Return a checked frame as .npz bytes: one array per column, in order, named by kind and column.

    Raises ValueError for a column that is neither datetime64[ns], float64 nor int64 (not cached).
    """
    arrays = {}
    for column in frame.columns:
        values = frame[column].to_numpy()
        if values.dtype == np.dtype("datetime64[ns]"):
            arrays[f"datetime.{column}"] = values.view("int64")
        elif values.dtype in (np.dtype("float64"), np.dtype("int64")):
            arrays[f"number.{column}"] = values
        else:
            raise ValueError(f"column {column!r} of dtype {values.dtype} is not kept")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def frame_from_file(path: Path) -> pd.DataFrame:
    """Return the frame stored at ``path`` with the columns, dtypes and index the parser gave it."""
    columns = {}
    with np.load(path, allow_pickle=False) as stored:
        for name in stored.files:
            kind, _, column = name.partition(".")
            values = stored[name]
            columns[column] = values.view("datetime64[ns]") if kind == "datetime" else values
    if "date" not in columns or "value" not in columns:
        raise ValueError(f"{path}: no date or value array")
    return pd.DataFrame(columns)


def parsed(raw: bytes, spec: SeriesSpec, parse: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Return ``parse()`` for ``raw`` and ``spec``, from the cache folder when it was parsed before."""
    folder = _folder.get()
    if folder is None:
        return parse()
    path = folder / f"{entry_key(raw, spec)}.npz"
    try:
        return frame_from_file(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        log.warning("parse cache: %s is damaged (%s); parsing again", path, exc)
    frame = parse()
    try:
        write_atomic(path, frame_to_bytes(frame), durable=False)
    except ValueError as exc:  # a column the cache cannot keep exactly: parse this file every time
        log.info("parse cache: %s not kept (%s)", spec.key, exc)
    except OSError as exc:  # a read-only or full cache folder costs speed, not the build
        log.warning("parse cache: could not write %s (%s)", path, exc)
    return frame
