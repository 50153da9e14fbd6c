"""Snapshots shared between viewers: what many big screens and control rooms ask for at the same
moment (the fair's counters, the control room's lists) is computed once and handed to all of them.

A snapshot's key names what it shows (`("stats", fair id, locale)`) and the fair's public event
number: whatever a screen follows raises a public event, so a new number means a new snapshot,
and the old one is simply no longer asked for (a small LRU forgets it). A change that raises no
public event (an organisation renamed, a participant removed) is covered too:

* in this process, every committed transaction that wrote anything starts a new *generation*,
  which is part of the key, so the next request computes afresh;
* in the other processes of a deployment (each keeps its own cache), a snapshot is used for at
  most `MAX_AGE` seconds.

Requests for the same key at the same moment wait for the one computing it (a lock per key), so
fifty screens asking at once run the queries once. `threading.Lock` is what gevent's
monkey-patching turns into a greenlet lock, so the same code serves threads and greenlets.

Only what every viewer allowed to ask may see goes into a snapshot: the caller checks access
first and keys by everything the answer depends on (fair, locale); a snapshot is shared, so
its value is read-only."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from app.core.extensions import db

T = TypeVar("T")

MAX_AGE = 2.0  # seconds a snapshot serves at most (other processes' changes without an event)
SIZE = 256  # snapshots kept per app: a few per fair (kinds × locales), the newest numbers
EXTENSION = "gielda_snapshots"
_WROTE = "gielda_snapshots_wrote"

_generation = [0]  # committed write transactions of this process so far
_count = itertools.count(1)  # next() is atomic: two commits at once still move the generation
_MISSING: Any = object()


def write_generation() -> int:
    """How many transactions that wrote something this process has committed."""
    return _generation[0]


class SnapshotCache:
    """Values by key, each computed once while it is fresh (see the module's docstring).
    `computed` counts the computations (shown to tests and benchmarks)."""

    def __init__(self, size: int = SIZE, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.max_age, self.clock = size, max_age, clock
        self.computed = 0
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._locks: dict[Hashable, list[Any]] = {}  # key -> [lock, requests holding or awaiting it]
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T], before_wait: Callable[[], object] | None = None) -> T:
        """The value of `key`, from `compute()` when there is none fresh; while another request
        computes it, this one first calls `before_wait` (to give back what it holds) and waits."""
        found = self._fresh(key)
        if found is not _MISSING:
            return found
        with self._guard:
            slot = self._locks.setdefault(key, [threading.Lock(), 0])
            slot[1] += 1
        lock = slot[0]
        try:
            if not lock.acquire(blocking=False):
                if before_wait is not None:
                    before_wait()
                lock.acquire()
            try:
                found = self._fresh(key)  # computed by the request this one waited for
                if found is not _MISSING:
                    return found
                value = compute()
                with self._guard:
                    self.computed += 1
                    self._entries[key] = (self.clock(), value)
                    self._entries.move_to_end(key)
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
                return value
            finally:
                lock.release()
        finally:
            with self._guard:
                slot[1] -= 1
                if slot[1] == 0:
                    del self._locks[key]

    def pending(self, key: Hashable = _MISSING) -> int:
        """Requests computing or waiting for `key` (any key, if none is given) right now."""
        with self._guard:
            if key is _MISSING:
                return sum(slot[1] for slot in self._locks.values())
            slot = self._locks.get(key)
            return slot[1] if slot else 0

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()

    def _fresh(self, key: Hashable) -> Any:
        with self._guard:
            entry = self._entries.get(key)
            if entry is None:
                return _MISSING
            if self.clock() - entry[0] >= self.max_age:
                del self._entries[key]
                return _MISSING
            self._entries.move_to_end(key)
            return entry[1]


def snapshot(kind: str, fair_id: int, event_seq: int, compute: Callable[[], T], *vary: Hashable) -> T:
    """The app's shared snapshot `kind` of a fair at public event number `event_seq` (and
    whatever else it depends on, `vary`: the locale, say), computed by `compute` when missing.
    For read-only requests: one that must wait for another to compute the snapshot ends its
    read transaction first (its loaded objects are expired), so that fifty waiting screens hold
    no database connection the one computing, or anyone else, needs."""
    cache: SnapshotCache = current_app.extensions[EXTENSION]
    return cache.get((kind, fair_id, event_seq, write_generation(), *vary), compute, db.session.rollback)


def snapshot_cache(app: Flask) -> SnapshotCache:
    return app.extensions[EXTENSION]


def _wrote(session: Session, *_args: Any) -> None:
    session.info[_WROTE] = True


def _statement(state: ORMExecuteState) -> None:
    if not state.is_select:  # INSERT / UPDATE / DELETE, or textual SQL that may write
        state.session.info[_WROTE] = True


def _committed(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(_WROTE, False):
        _generation[0] = next(_count)


def init_snapshots(app: Flask) -> None:
    """Give the app its cache, and count committed writes (once per process; in an app context)."""
    app.extensions[EXTENSION] = SnapshotCache()
    session_cls = db.session.session_factory.class_
    if not event.contains(session_cls, "after_commit", _committed):
        event.listen(session_cls, "after_flush", _wrote)
        event.listen(session_cls, "do_orm_execute", _statement)
        event.listen(session_cls, "after_commit", _committed)
