"""The garbage collector paused while a big file is built (app/core/output/bulk.py)."""

from __future__ import annotations

import gc

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
