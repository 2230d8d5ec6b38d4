"""Stages beside the main one: results, errors carried back from the child, stopping, serial fallback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator import parallel
from generator.errors import DataError, TemplateError

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


def test_a_task_runs_in_another_process_and_its_file_is_there_after_wait(tmp_path: Path):
    target = tmp_path / "pid.txt"
    task = parallel.start("writing", lambda: target.write_text(str(os.getpid())))
    task.wait()
    assert int(target.read_text()) != os.getpid()
    assert task.seconds > 0


def test_a_user_error_comes_back_as_the_same_class_with_its_details():
    def fail() -> None:
        raise DataError("no rows", file="fred/DGS10.csv", line=7, series="ust10y", hint="refetch")

    task = parallel.start("appendix", fail)
    with pytest.raises(DataError) as raised:
        task.wait()
    assert str(raised.value) == "[ust10y] fred/DGS10.csv:7: no rows (refetch)"
    assert (raised.value.file, raised.value.line, raised.value.series, raised.value.hint) == (
        "fred/DGS10.csv",
        7,
        "ust10y",
        "refetch",
    )


def test_a_bug_comes_back_with_the_childs_traceback():
    def bug() -> None:
        {}["missing key"]

    task = parallel.start("appendix", bug)
    with pytest.raises(
        parallel.WorkerError, match=r"(?s)appendix failed in a child process.*KeyError.*missing key"
    ):
        task.wait()


def test_a_child_that_dies_without_a_report_is_an_error():
    task = parallel.start("appendix", lambda: os._exit(3))
    with pytest.raises(parallel.WorkerError, match="status 3"):
        task.wait()


def test_stop_all_ends_children_still_running(tmp_path: Path):
    target = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(30)
        target.write_text("too late")

    started = time.perf_counter()
    parallel.start("slow", slow)
    parallel.stop_all()
    assert time.perf_counter() - started < 10
    assert not parallel._running
    assert not target.exists()


def test_inside_serial_the_task_runs_in_the_parent_when_waited_for(tmp_path: Path):
    target = tmp_path / "pid.txt"
    with parallel.serial():
        assert not parallel.can_fork()
        task = parallel.start("writing", lambda: target.write_text(str(os.getpid())))
        assert not target.exists()  # deferred: a serial build keeps its order
        task.wait()
    assert int(target.read_text()) == os.getpid()


def test_inside_serial_an_error_is_raised_as_it_is():
    def fail() -> None:
        raise TemplateError("bad block", file="note.html", line=3)

    with parallel.serial():
        task = parallel.start("note", fail)
        with pytest.raises(TemplateError, match=r"note\.html:3: bad block"):
            task.wait()


def test_a_task_returns_its_value_from_the_child():
    task = parallel.start("value", lambda: {"pid": os.getpid(), "rows": [1, 2, 3]})
    value = task.result()
    assert value["rows"] == [1, 2, 3]
    assert value["pid"] != os.getpid()


def test_map_shared_gives_the_results_in_order_and_both_processes_work():
    def slow_pid(item: int) -> tuple[int, int]:
        time.sleep(0.05)
        return item * item, os.getpid()

    results = parallel.map_shared("squares", list(range(12)), slow_pid)
    assert [square for square, _ in results] == [item * item for item in range(12)]
    assert len({pid for _, pid in results}) == 2


def test_map_shared_is_a_plain_loop_when_serial():
    with parallel.serial():
        results = parallel.map_shared("pids", [1, 2, 3], lambda _item: os.getpid())
    assert results == [os.getpid()] * 3


def test_map_shared_raises_the_childs_error():
    def fail_on_odd(item: int) -> int:
        time.sleep(0.02)
        if item % 2:
            raise DataError("bad file", file=f"f{item}.csv")
        return item

    with pytest.raises(DataError, match="bad file"):
        parallel.map_shared("load data", list(range(6)), fail_on_odd)
