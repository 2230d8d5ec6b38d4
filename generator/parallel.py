"""Running an independent stage beside the main one, in a forked child process.

Once figures exist, the appendix, the charts and the PDF do not depend on each other; on a machine with
two cores the appendix can be written while the charts are drawn and the note is laid out.
:func:`start` forks a child that runs the task (it inherits the loaded data, so nothing is pickled) and
returns a :class:`Task`; :meth:`Task.wait` waits for it and raises its error in the parent: a
:class:`~generator.errors.UstWeeklyError` as the same class with the same file, line, series and hint
(one clear line, as if the stage had run in the parent), anything else as a :class:`WorkerError`
carrying the child's traceback. :func:`stop_all` ends the children of a build that failed, so that
none writes into a staging folder that is being removed.

A task may also return a value (:meth:`Task.result`), pickled back through the pipe: the data are
loaded in two halves, one in a child, and the child's series come back that way.

A task runs in the parent instead (when :meth:`Task.wait` is called, i.e. in the order of a serial
build) where forking would not help or not be safe: one core, inside a worker process (backfill's
workers already keep the cores busy), outside the main thread or beside threads that are not daemons
(preview's server and watcher), inside
:func:`serial`, or when the environment sets ``UST_WEEKLY_SERIAL`` (``make bench`` uses it to
measure what the parallel stages buy). A task's outputs are files or its returned value, so the
result is the same bytes either way.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from typing import TypeVar

from generator.errors import UstWeeklyError

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

SERIAL_ENV = "UST_WEEKLY_SERIAL"  #: set (to anything) to run every stage in the parent, one after another
_serial_depth = 0
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_running: dict[int, Task] = {}  #: pid → task, for stop_all


class WorkerError(RuntimeError):
    """A stage failed in a child process with an unexpected error (a bug): the child's traceback."""


@contextmanager
def serial() -> Iterator[None]:
    """Run every task in the parent inside the block (for measuring, and for debugging)."""
    global _serial_depth
    _serial_depth += 1
    try:
        yield
    finally:
        _serial_depth -= 1


def can_fork() -> bool:
    """Return whether a child process would run beside this one on a free core, safely."""
    return (
        _serial_depth == 0
        and not os.environ.get(SERIAL_ENV)
        and (os.cpu_count() or 1) > 1
        and hasattr(os, "fork")
        and multiprocessing.parent_process() is None  # not a pool's worker: the pool keeps the cores busy
        and threading.current_thread() is threading.main_thread()
        and all(thread.daemon for thread in threading.enumerate() if thread is not threading.current_thread())
    )


class Task:
    """A stage started by :func:`start`; :meth:`wait` returns when it is done or raises its error."""

    def __init__(self, name: str, action: Callable[[], object]) -> None:
        self.name = name
        self.seconds = 0.0  #: the task's own run time (in the child when forked)
        self.value: object = None  #: what the action returned (see :meth:`result`)
        self._action: Callable[[], object] | None = action
        self._pid: int | None = None
        self._read_fd: int | None = None

    def _fork(self) -> None:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        # Ctrl-C or SIGTERM during the fork would land in an at-fork hook (logging's), where Python
        # ignores the exception it raises: the build went on. Held until the child is on record.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the child: run the task, report through the pipe, and leave without cleanup
            status = 1
            report: dict = {}
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_fd)
                _log_plainly()
                report = self._run_here()
                status = 0
            except BaseException as exc:  # reported to the parent, which decides what it means
                report = _describe(exc)
            finally:
                try:
                    try:
                        message = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception as exc:  # a value that cannot travel is the task's error
                        message, status = pickle.dumps(_describe(exc)), 1
                    with os.fdopen(write_fd, "wb") as pipe:
                        pipe.write(message)
                finally:
                    os._exit(status)
        self._pid, self._read_fd, self._action = pid, read_fd, None
        _running[pid] = self  # stop_all can end it from here on
        os.close(write_fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def _run_here(self) -> dict:
        action, self._action = self._action, None
        assert action is not None
        started = time.perf_counter()
        self.value = action()
        self.seconds = time.perf_counter() - started
        return {"seconds": self.seconds, "value": self.value}

    def wait(self) -> None:
        """Return when the task is done; raise its error if it failed."""
        if self._action is not None:  # not forked: run it now, in the parent
            self._run_here()
            return
        if self._pid is None or self._read_fd is None:
            return
        chunks = []
        while chunk := os.read(self._read_fd, 1 << 16):
            chunks.append(chunk)
        os.close(self._read_fd)
        _, status = os.waitpid(self._pid, 0)
        _running.pop(self._pid, None)
        self._pid = self._read_fd = None
        try:  # our own child's bytes, written just above: nothing from outside is unpickled
            report = pickle.loads(b"".join(chunks)) if chunks else {}
        except (pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
            report = {}
        if "seconds" in report and os.waitstatus_to_exitcode(status) == 0:
            self.seconds = float(report["seconds"])
            self.value = report.get("value")
            return
        raise _rebuild(self.name, report, os.waitstatus_to_exitcode(status))

    def result(self) -> object:
        """Wait for the task (see :meth:`wait`) and return what its action returned."""
        self.wait()
        return self.value

    def stop(self) -> None:
        """End the child if it still runs (its results are not wanted)."""
        if self._pid is None:
            self._action = None
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        if self._read_fd is not None:
            os.close(self._read_fd)
        _running.pop(self._pid, None)
        self._pid = self._read_fd = None


def start(name: str, action: Callable[[], object]) -> Task:
    """Start ``action`` (named ``name`` in errors) in a child process when that helps, else defer it."""
    task = Task(name, action)
    if can_fork():
        task._fork()
    return task


def map_shared(
    name: str, items: Sequence[T], function: Callable[[T], R], first: Callable[[], object] | None = None
) -> list[R]:
    """Return ``[function(item) for item in items]``, computed by this process and a child together.

    Both take the next unclaimed item from a counter in shared memory until none is left, so the work
    balances itself however uneven the items are; the child's results come back pickled. The list is in
    ``items`` order whichever process computed an entry. Without a free core it is a plain loop.
    ``first`` runs in this process before it takes items (the child starts on them at once): work this
    process needs later, such as imports, done while the child is busy.
    """
    if len(items) < 2 or not can_fork():
        if first is not None:
            first()
        return [function(item) for item in items]
    counter = multiprocessing.RawValue("l", 0)
    lock = multiprocessing.Lock()

    def claim() -> int:
        with lock:
            index = counter.value
            counter.value += 1
        return index

    def work() -> dict[int, R]:
        done = {}
        while (index := claim()) < len(items):
            done[index] = function(items[index])
        return done

    beside = start(name, work)
    try:
        if first is not None:
            first()
        mine = work()
    except BaseException:
        beside.stop()  # its results are not wanted, and it must not outlive the failure
        raise
    theirs: dict[int, R] = beside.result()  # type: ignore[assignment]
    return [mine[index] if index in mine else theirs[index] for index in range(len(items))]


def stop_all() -> None:
    """End every child this process started and has not waited for (a build failed meanwhile)."""
    for task in list(_running.values()):
        task.stop()


class _StderrLines(logging.Handler):
    """Log lines written straight to file descriptor 2, without the locks of sys.stderr or rich."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            os.write(2, (self.format(record) + "\n").encode("utf-8", "replace"))
        except OSError:
            pass


def _log_plainly() -> None:
    """In a child, log through :class:`_StderrLines` only.

    Daemon threads of the parent (rich's progress display refreshes from one) do not exist in the child,
    and a lock one of them held at the fork stays held there: the child must not touch the console.
    """
    root = logging.getLogger()
    level = min((handler.level for handler in root.handlers), default=logging.WARNING)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    plain = _StderrLines(level)
    plain.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(plain)


def _describe(exc: BaseException) -> dict:
    if isinstance(exc, UstWeeklyError):
        return {
            "error": [type(exc).__module__, type(exc).__qualname__],
            "message": exc.message,
            "file": exc.file,
            "line": exc.line,
            "series": exc.series,
            "hint": exc.hint,
        }
    return {"traceback": "".join(traceback.format_exception(exc))}


def _rebuild(name: str, report: dict, exit_code: int) -> BaseException:
    """Return the child's error as an exception of the parent."""
    if "error" in report:
        module, qualname = report["error"]
        try:
            cls = getattr(import_module(module), qualname)
        except (ImportError, AttributeError):
            cls = UstWeeklyError
        if isinstance(cls, type) and issubclass(cls, UstWeeklyError):
            return cls(
                report["message"],
                file=report["file"],
                line=report["line"],
                series=report["series"],
                hint=report["hint"],
            )
    if "traceback" in report:
        return WorkerError(f"{name} failed in a child process:\n{report['traceback']}")
    return WorkerError(f"{name}: the child process ended with status {exit_code} without a report")
