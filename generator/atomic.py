"""Writing files so that a failure never leaves a half-written one: a temp file, then a rename.

Files and folders are created with the modes the umask allows (0666 / 0777 before the umask, so
0644 / 0755 under the usual 022), like any program that writes with ``open``: ``tempfile.mkstemp``
and ``mkdtemp`` create 0600 / 0700, which other readers of a shared output folder cannot open.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

FILE_MODE = 0o666  #: before the umask
FOLDER_MODE = 0o777  #: before the umask


def _fresh_name(folder: Path, prefix: str, suffix: str) -> Path:
    return folder / f"{prefix}{secrets.token_hex(4)}{suffix}"


def make_folder(folder: Path, prefix: str, suffix: str = "") -> Path:
    """Create and return a new, empty folder ``folder/<prefix><random><suffix>`` with the umask's mode.

    The name is unpredictable and creation is exclusive (as ``mkdtemp``); only the mode differs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(100):
        candidate = _fresh_name(folder, prefix, suffix)
        try:
            candidate.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"no free temporary name {prefix}…{suffix} in {folder}")


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename.

    The file gets the umask's mode (e.g. 0644), whatever ``path`` had before. ``durable=False`` skips
    the fsync: for cache entries, where a lost write only costs recomputing the entry.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(100):
        temp = _fresh_name(path.parent, f".{path.name}.", ".tmp")
        try:
            handle = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE
            )
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(f"no free temporary name for {path}")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see :func:`write_atomic`)."""
    write_atomic(path, text.encode("utf-8"))


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
