"""Building a big file in memory (a fair's export, the ledger's JSON)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a big file is built. Its rows are hundreds
    of thousands of tuples, lists and strings, none in a cycle (reference counting frees them),
    and each collection would walk all of them again: a quarter of an export's time at 10,000
    participants. Do not hold it across a `yield` of a streamed response."""
    if not gc.isenabled():  # paused already (another export, in another greenlet or thread)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
