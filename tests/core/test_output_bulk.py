"""The garbage collector paused while a big file is built (app/core/output/bulk.py)."""

from __future__ import annotations

import gc
import threading

from app.core.output.bulk import gc_paused


def test_gc_is_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_outer_one_paused() -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_exports_keep_the_collector_paused_until_the_last_one_ends() -> None:
    """Two exports in two threads, the first to start finishing first: the collector stays
    paused for the second, and comes back once both are done."""
    first_inside, second_inside, first_done = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with gc_paused():
            first_inside.set()
            assert second_inside.wait(10)
        first_done.set()

    def second() -> None:
        assert first_inside.wait(10)
        with gc_paused():
            second_inside.set()
            assert first_done.wait(10)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off_after() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
