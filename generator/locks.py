"""Advisory locks (``fcntl.flock``) that keep two ust-weekly processes off the same output.

A build holds ``.<out>.lock`` beside its output folder from the first staged file to the swap, so a
second build into the same ``--out`` waits for it (or stops with a message naming the holder) and
never mixes its files with the first one's. ``send`` holds the build folder itself while it reads and
appends the distribution log, so two sends of one folder never deliver the same message twice.

The lock file is removed by its holder before it lets go, so nothing stays behind. Removing a lock
file is safe only with a check on the other side: a process that was waiting on the removed file
gets a lock on a file no longer in the folder, sees that the name now points elsewhere (or nowhere)
and starts again with the file now there. The kernel drops a lock when its holder exits, however it
exits, so a killed build never blocks the next one (its lock file is removed by the next holder).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UstWeeklyError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1


class BusyError(UstWeeklyError):
    """Another ust-weekly process holds the lock of the output this command wants to write."""


def _holder(path: Path) -> str:
    """Return "pid N" from a lock file, or "" when it names no process (a folder, an old file)."""
    try:
        text = path.read_text(encoding="ascii").strip() if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""
    return f"pid {text}" if text.isdigit() else ""


def _open(path: Path) -> int:
    if path.is_dir():
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)


def _still_named(path: Path, handle: int) -> bool:
    """Return whether ``path`` still names the file open as ``handle`` (not removed, not replaced)."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextmanager
def hold_lock(
    path: Path,
    what: str,
    wait_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file, created if needed, or a folder) while inside.

    When another process holds it, wait up to ``wait_seconds`` (logging once that we wait), then raise
    :class:`BusyError` naming ``what`` and the holder. A lock file gets the holder's pid and is
    removed when the lock is let go; a folder is locked as it is.
    """
    deadline = clock() + wait_seconds
    announced = False
    while True:
        handle = _open(path)
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = _holder(path)
                    if clock() >= deadline:
                        raise BusyError(
                            f"{what} is in use by another ust-weekly process"
                            f"{f' ({holder})' if holder else ''}",
                            file=path,
                            hint="wait for it to finish, then run the command again",
                        ) from None
                    if not announced:
                        log.warning(
                            "waiting for another ust-weekly process%s to finish with %s",
                            f" ({holder})" if holder else "",
                            what,
                        )
                        announced = True
                    sleep(POLL_SECONDS)
        except BaseException:
            os.close(handle)
            raise
        if path.is_dir() or _still_named(path, handle):
            break
        os.close(handle)  # the holder before us removed this file: lock the one there now
    is_file = not path.is_dir()
    try:
        if is_file:
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        if is_file:
            path.unlink(missing_ok=True)  # while still holding it: see the module docstring
        os.close(handle)  # closing the descriptor releases the lock
