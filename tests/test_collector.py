"""Full collections deferred while a build runs (generator/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from generator.collector import DEFERRED_FULL_THRESHOLD, full_collections_deferred


@pytest.fixture
def thresholds():
    """Odd thresholds of the test's own, so that 'restored' cannot mean 'left at the defaults'."""
    before = gc.get_threshold()
    gc.set_threshold(650, 9, 11)
    yield (650, 9, 11)
    gc.set_threshold(*before)


def test_inside_the_block_only_full_collections_wait(thresholds):
    with full_collections_deferred():
        assert gc.get_threshold() == (650, 9, DEFERRED_FULL_THRESHOLD)
    assert gc.get_threshold() == thresholds


def test_young_cycles_are_still_collected_inside_the_block(thresholds):
    class Node:
        pass

    freed = []
    with full_collections_deferred():
        first = Node()
        first.cycle = first
        weakref.finalize(first, freed.append, "first")
        del first
        for _ in range(20_000):  # well past the young generation's 650 allocations
            node = Node()
            node.cycle = node
        assert freed == ["first"]  # no gc.collect(): the young generation's own collection found it


def test_nested_and_overlapping_blocks_restore_once_the_last_ends(thresholds):
    """The preview renders a PDF in a thread while another block may be open: the thresholds come back
    only when no block is open, whatever order they end in."""
    inner_entered, outer_left = threading.Event(), threading.Event()
    seen_after_the_first_ended = []

    def other_thread() -> None:
        with full_collections_deferred():
            inner_entered.set()
            outer_left.wait(10)
            seen_after_the_first_ended.append(gc.get_threshold())

    worker = threading.Thread(target=other_thread)
    with full_collections_deferred():
        worker.start()
        assert inner_entered.wait(10)
    outer_left.set()
    worker.join(10)
    assert seen_after_the_first_ended == [(650, 9, DEFERRED_FULL_THRESHOLD)]
    assert gc.get_threshold() == thresholds


def test_an_error_in_the_block_restores_the_thresholds(thresholds):
    with pytest.raises(ValueError, match="a failed stage"), full_collections_deferred():
        raise ValueError("a failed stage")
    assert gc.get_threshold() == thresholds
