"""Building a big file in memory (a fair's export, the ledger's JSON)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pausing = 0  # exports building now, each with the collector paused (greenlets or threads)
_pausing_lock = threading.Lock()
_was_enabled = True  # the collector's state before the first of them paused it


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a big file is built. Its rows are hundreds
    of thousands of tuples, lists and strings, none in a cycle (reference counting frees them),
    and each collection would walk all of them again: a quarter of an export's time at 10,000
    participants. Exports that overlap share one pause, which ends with the last of them (the
    first to finish must not switch it on under another). Do not hold it across a `yield` of a
    streamed response."""
    global _pausing, _was_enabled
    with _pausing_lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pausing_lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.enable()
