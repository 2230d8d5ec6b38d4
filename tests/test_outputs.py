"""Outputs leave nothing behind: file modes from the umask, stale staging removed, one build at a time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from generator.atomic import make_folder, write_atomic
from generator.build import BuildRequest, build_note
from generator.data import DEMO, DataRequest
from generator.locks import BusyError, hold_lock
from generator.outputs import (
    LEGACY_MIN_AGE_SECONDS,
    MIN_AGE_SECONDS,
    create_staging,
    lock_path,
    remove_stale_leftovers,
    staged_output,
    stale_leftovers,
)

AS_OF = date(2025, 2, 7)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("umask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_files_and_folders_get_the_umask_mode(tmp_path, umask, file_mode, folder_mode):
    previous = os.umask(umask)
    try:
        target = tmp_path / "figures.json"
        target.write_bytes(b"old")
        target.chmod(0o600)
        write_atomic(target, b"{}")
        folder = make_folder(tmp_path, ".out.staging-1-")
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"{}"
    assert _mode(target) == file_mode, "the umask's mode, not the old file's 0600 nor mkstemp's"
    assert _mode(folder) == folder_mode
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")] == []


def test_a_build_writes_readable_outputs(tmp_path, umask_022):
    out = tmp_path / "out"
    build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=tmp_path / "cache"), out))
    files = [path for path in out.rglob("*") if path.is_file()]
    names = {path.name for path in files}
    assert {"note.pdf", "appendix.xlsx", "figures.json", "manifest.json", "e01.svg"} <= names
    assert {path.name: oct(_mode(path)) for path in files if _mode(path) != 0o644} == {}
    assert _mode(out) == 0o755
    assert _mode(out / "charts") == 0o755


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _age(folder: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(folder, (then, then))
    return folder


def test_stale_staging_folders_are_removed_by_name_and_age(tmp_path):
    out = tmp_path / "2025-02-07"
    out.mkdir()
    dead = _dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        old = MIN_AGE_SECONDS + 5
        killed = _age(make_folder(tmp_path, f".2025-02-07.staging-{dead}-"), old)
        retired = _age(make_folder(tmp_path, f".2025-02-07.old-{dead}-"), old)
        legacy = tmp_path / ".2025-02-07.k3j_x9ab"  # tempfile.mkdtemp's name, from earlier versions
        legacy.mkdir()
        _age(legacy, LEGACY_MIN_AGE_SECONDS + 5)
        keep = {
            "live build": _age(make_folder(tmp_path, f".2025-02-07.staging-{live.pid}-"), old),
            "just killed": make_folder(tmp_path, f".2025-02-07.staging-{dead}-"),
            "recent legacy": tmp_path / ".2025-02-07.abcdefgh",
            "another date": _age(make_folder(tmp_path, f".2025-02-07b.staging-{dead}-"), old),
            "a user's folder": tmp_path / ".2025-02-07.backup",
        }
        keep["recent legacy"].mkdir()
        keep["a user's folder"].mkdir()
        _age(keep["a user's folder"], LEGACY_MIN_AGE_SECONDS + 5)
        removed = remove_stale_leftovers(out)
        assert sorted(removed) == sorted([killed, retired, legacy])
        assert all(not path.exists() for path in removed)
        assert {name: path.is_dir() for name, path in keep.items()} == dict.fromkeys(keep, True)
        assert out.is_dir()
    finally:
        live.kill()
        live.wait()


def test_a_build_removes_what_a_killed_build_left(tmp_path):
    """A build killed by SIGKILL leaves its staging folder; the next build into that --out removes it."""
    out = tmp_path / "out"
    script = (
        "import os, signal, sys; from pathlib import Path; from generator.outputs import staged_output\n"
        "with staged_output(Path(sys.argv[1])) as staging:\n"
        "    (staging / 'note.pdf').write_bytes(b'half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(out)], cwd=Path(__file__).resolve().parents[1])
    [left] = [path for path in tmp_path.iterdir() if path.is_dir()]
    assert left.name.startswith(".out.staging-")
    assert stale_leftovers(out, time.time()) == [], "too young: its owner might be on another machine"
    assert stale_leftovers(out, time.time() + MIN_AGE_SECONDS + 1) == [left]
    _age(left, MIN_AGE_SECONDS + 1)
    with staged_output(out) as staging:
        (staging / "note.pdf").write_bytes(b"whole")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"], "no staging folder, no lock file"
    assert (out / "note.pdf").read_bytes() == b"whole"


def _hold_in_child(path: Path, seconds: float) -> subprocess.Popen:
    """Start a process that holds the lock on ``path`` for ``seconds``; return once it holds it."""
    script = (
        "import sys, time; from pathlib import Path; from generator.locks import hold_lock\n"
        "with hold_lock(Path(sys.argv[1]), 'test', 0):\n"
        "    print('held', flush=True); time.sleep(float(sys.argv[2]))\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path), str(seconds)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_build_into_the_same_out_stops_with_the_holder_named(tmp_path):
    out = tmp_path / "out"
    out.parent.mkdir(exist_ok=True)
    child = _hold_in_child(lock_path(out), 30)
    try:
        request = BuildRequest(
            AS_OF, DataRequest(DEMO, cache_dir=tmp_path / "cache"), out, lock_wait_seconds=0.3
        )
        with pytest.raises(
            BusyError,
            match=rf"output folder .*out is in use by another ust-weekly process \(pid {child.pid}\)",
        ):
            build_note(request)
    finally:
        child.kill()
        child.wait()
    assert not out.exists()
    assert [path for path in tmp_path.iterdir() if path.is_dir() and path.name.startswith(".out")] == []


def test_a_second_build_waits_for_the_first_and_outputs_never_mix(tmp_path):
    """Two builds into one --out at once: each output folder is one build's, whole."""
    out = tmp_path / "out"
    first_inside = threading.Event()
    order = []

    def build(name: str, pause: float) -> None:
        with staged_output(out, wait_seconds=10) as staging:
            order.append(f"{name} in")
            first_inside.set()
            for part in ("note.pdf", "appendix.xlsx", "figures.json"):
                (staging / part).write_text(name, encoding="utf-8")
                time.sleep(pause)
            seen = {path.read_text(encoding="utf-8") for path in out.iterdir()} if out.exists() else set()
            order.append(f"{name} saw {sorted(seen)}")

    first = threading.Thread(target=build, args=("first", 0.2))
    first.start()
    first_inside.wait(5)
    second = threading.Thread(target=build, args=("second", 0.0))
    second.start()
    first.join()
    second.join()
    assert order == ["first in", "first saw []", "second in", "second saw ['first']"]
    assert {path.read_text(encoding="utf-8") for path in out.iterdir()} == {"second"}


def test_a_lock_is_released_when_its_holder_is_killed(tmp_path):
    path = tmp_path / ".out.lock"
    child = _hold_in_child(path, 30)
    child.kill()
    child.wait()
    assert path.is_file(), "a killed holder cannot remove its lock file"
    with hold_lock(path, "test", 0):
        assert path.read_text(encoding="ascii").strip() == str(os.getpid())
    assert not path.exists(), "the next holder removes it"


def test_waiters_on_a_removed_lock_file_never_hold_it_together(tmp_path):
    """Many threads take turns on one lock file that each holder removes: never two inside at once."""
    path = tmp_path / ".out.lock"
    inside, most, turns = [0], [0], []
    guard = threading.Lock()

    def take_turns(name: int) -> None:
        for _turn in range(5):
            with hold_lock(path, "test", 10):
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.002)
                with guard:
                    inside[0] -= 1
                    turns.append(name)

    threads = [threading.Thread(target=take_turns, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert len(turns) == 30
    assert not path.exists()


def test_staging_names_carry_the_pid(tmp_path):
    staging = create_staging(tmp_path / "out")
    assert staging.name.startswith(f".out.staging-{os.getpid()}-")


def test_an_output_that_is_a_file_is_refused_and_kept(tmp_path):
    from generator.errors import ConfigError

    out = tmp_path / "notes.txt"
    out.write_text("the user's own file", encoding="utf-8")
    with pytest.raises(ConfigError, match="the output folder is a file"), staged_output(out):
        pass
    assert out.read_text(encoding="utf-8") == "the user's own file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
