"""The output folder of a build: staged beside it, swapped in whole, nothing left behind.

A build writes into ``.<out>.staging-<pid>-<random>`` beside ``out`` and swaps it in only when every
stage has succeeded; the previous folder is renamed ``.<out>.old-<pid>-<random>`` and removed after
the swap. A build that is killed (SIGKILL, a power cut) cannot clean up after itself, so each build
first removes the leftovers of earlier builds into the same ``out``:

- by name: only ``.<out>.staging-<pid>-…`` and ``.<out>.old-<pid>-…`` folders, and the
  ``.<out>.XXXXXXXX`` / ``.<out>.old.XXXXXXXX`` folders of versions before this one;
- by owner and age: never one whose pid is a live process (another live build's), nor one younger
  than :data:`MIN_AGE_SECONDS` (its owner may run on another machine sharing the folder); the old
  names carry no pid and are removed once older than :data:`LEGACY_MIN_AGE_SECONDS`.

The cleanup runs under the output's lock (``.<out>.lock`` beside ``out`` while a build runs, see
:mod:`generator.locks`), so a live build of this version into the same ``out`` cannot be staging at
that moment anyway; the pid and age rules guard the rest.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.atomic import make_folder
from generator.errors import ConfigError
from generator.locks import hold_lock

log = logging.getLogger(__name__)

STAGING = "staging"
RETIRED = "old"
MIN_AGE_SECONDS = 60.0
LEGACY_MIN_AGE_SECONDS = 3600.0
LOCK_WAIT_SECONDS = 300.0


def lock_path(out: Path) -> Path:
    """Return the lock file of output folder ``out``: ``.<out>.lock`` beside it (only while locked)."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of ``out`` (waiting up to ``wait_seconds`` for another build into it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(lock_path(out), f"output folder {out}", wait_seconds):
        yield


def create_staging(out: Path) -> Path:
    """Create and return an empty staging folder beside ``out`` (mode from the umask, e.g. 0755)."""
    return make_folder(out.parent, f".{out.name}.{STAGING}-{os.getpid()}-")


def _leftover_pattern(out: Path) -> re.Pattern[str]:
    name = re.escape(out.name)
    return re.compile(
        rf"^\.{name}\.(?:(?P<kind>{STAGING}|{RETIRED})-(?P<pid>\d+)-[0-9a-f]{{8}}"
        rf"|(?:{RETIRED}\.)?[a-z0-9_]{{8}})$"
    )


def process_alive(pid: int) -> bool:
    """Return whether process ``pid`` exists on this machine (it may belong to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_leftovers(out: Path, now: float, alive: Callable[[int], bool] = process_alive) -> list[Path]:
    """Return the staging and retired folders beside ``out`` that no live build owns (see module doc)."""
    if not out.parent.is_dir():
        return []
    pattern = _leftover_pattern(out)
    found = []
    for entry in sorted(out.parent.iterdir()):
        match = pattern.match(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir():
            continue
        age = now - entry.stat().st_mtime
        if match["pid"] is None:
            if age >= LEGACY_MIN_AGE_SECONDS:
                found.append(entry)
        elif age >= MIN_AGE_SECONDS and int(match["pid"]) != os.getpid() and not alive(int(match["pid"])):
            found.append(entry)
    return found


def remove_stale_leftovers(out: Path, now: float | None = None) -> list[Path]:
    """Delete the leftovers of killed builds into ``out``; return what was removed."""
    removed = stale_leftovers(out, time.time() if now is None else now)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
        log.info("removed %s, left by an interrupted build", folder)
    return removed


def swap_into_place(staging: Path, out: Path) -> None:
    """Replace ``out`` with ``staging``; the old folder is removed only after the new one is in place."""
    if not out.exists():
        os.replace(staging, out)
        return
    retired = make_folder(out.parent, f".{out.name}.{RETIRED}-{os.getpid()}-")
    retired.rmdir()  # os.replace needs the name free (or an empty folder, which is not portable)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def staged_output(
    out: Path, wait_seconds: float = LOCK_WAIT_SECONDS, on_failure: Callable[[], None] | None = None
) -> Iterator[Path]:
    """Yield a fresh staging folder for ``out``; swap it in when the block succeeds, else delete it.

    The whole time, the output's lock is held and leftovers of killed builds are removed first.
    ``on_failure`` runs before the staging folder is deleted (to stop what still writes into it).
    """
    if out.exists() and not out.is_dir():  # swapping would move the user's file aside and lose it
        raise ConfigError("the output folder is a file", file=out, hint="give --out a folder")
    with output_lock(out, wait_seconds):
        remove_stale_leftovers(out)
        staging = create_staging(out)
        try:
            yield staging
            swap_into_place(staging, out)
        except BaseException:
            if on_failure is not None:
                on_failure()
            shutil.rmtree(staging, ignore_errors=True)
            raise
