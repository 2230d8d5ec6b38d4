"""A change held while any block that asked for it is open, across threads."""

from __future__ import annotations

import threading

import pytest

from generator.held import Held


def test_the_change_is_made_by_the_first_block_and_undone_by_the_last():
    events: list[str] = []
    held = Held(lambda: events.append("make"), lambda: events.append("undo"))
    with held.block():
        with held.block():
            assert events == ["make"]
        assert events == ["make"]
    assert events == ["make", "undo"]


def test_blocks_in_two_threads_keep_the_change_until_the_last_ends():
    events: list[str] = []
    held = Held(lambda: events.append("make"), lambda: events.append("undo"))
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with held.block():
            entered.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)
    with held.block():
        pass
    assert events == ["make"]  # the other thread's block is still open
    leave.set()
    thread.join(5)
    assert events == ["make", "undo"]


def test_an_error_in_the_block_still_undoes_the_change():
    events: list[str] = []
    held = Held(lambda: events.append("make"), lambda: events.append("undo"))
    with pytest.raises(ValueError, match="inside"), held.block():
        raise ValueError("inside")
    assert events == ["make", "undo"]
    assert held.open_blocks == 0
