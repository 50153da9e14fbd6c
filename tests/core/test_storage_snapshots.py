"""The snapshot cache (app/core/storage/snapshots.py): one computation per key while it is fresh,
one at a time for requests that arrive together (threads, and greenlets under gevent), a new
generation after every committed write, and an age limit for what other processes changed."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.core.extensions import db
from app.core.paths import ROOT
from app.core.storage.snapshots import SnapshotCache, write_generation
from app.fairs.models import Fair

WAIT = 30.0


def test_a_key_is_computed_once_while_fresh_then_again_when_too_old() -> None:
    now = [100.0]
    cache = SnapshotCache(max_age=2.0, clock=lambda: now[0])
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [cache.get(("stats", 1, 7), compute) for _ in range(5)] == [1] * 5
    assert cache.get(("stats", 1, 8), compute) == 2  # a new number: a new snapshot
    now[0] += 1.9
    assert cache.get(("stats", 1, 8), compute) == 2
    now[0] += 0.2  # older than max_age (another process may have changed what it shows)
    assert cache.get(("stats", 1, 8), compute) == 3
    assert cache.computed == 3


def test_only_the_newest_keys_are_kept() -> None:
    cache = SnapshotCache(size=3)
    for seq in range(10):
        cache.get(("stats", 1, seq), lambda s=seq: s)  # type: ignore[misc]
    assert cache.get(("stats", 1, 9), lambda: -1) == 9
    assert cache.get(("stats", 1, 0), lambda: -1) == -1  # forgotten


def test_a_failed_computation_is_not_kept_and_the_next_request_computes() -> None:
    cache = SnapshotCache()

    def broken() -> int:
        raise RuntimeError("database went away")

    try:
        cache.get("k", broken)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the error was swallowed")
    assert cache.get("k", lambda: 5) == 5 and cache.pending() == 0


def test_threads_asking_together_wait_for_one_computation_and_give_back_what_they_hold() -> None:
    cache = SnapshotCache()
    asking = 30
    calls: list[int] = []
    released: list[int] = []
    answers: list[int] = []
    lock = threading.Lock()

    def compute() -> int:
        calls.append(1)
        deadline = time.monotonic() + WAIT
        while cache.pending("k") < asking:  # everyone else is waiting for this computation
            assert time.monotonic() < deadline, cache.pending("k")
            time.sleep(0.005)  # polling the cache's own count of waiting requests
        return 42

    def ask() -> None:
        value = cache.get("k", compute, before_wait=lambda: released.append(1))
        with lock:
            answers.append(value)

    threads = [threading.Thread(target=ask) for _ in range(asking)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT * 2)
    assert answers == [42] * asking
    assert len(calls) == 1 and cache.computed == 1
    assert len(released) == asking - 1  # every request that waited first gave back its connection
    assert cache.pending() == 0


GEVENT_SCRIPT = """
from gevent import monkey
monkey.patch_all()
import gevent
from app.core.storage.snapshots import SnapshotCache

cache = SnapshotCache()
calls = []

def compute():
    calls.append(1)
    while cache.pending("k") < 50:
        gevent.sleep(0.001)  # yields to the other greenlets, as a database query does under gevent
    return 7

jobs = [gevent.spawn(cache.get, "k", compute) for _ in range(50)]
gevent.joinall(jobs, timeout=30)
print(sorted(j.value for j in jobs) == [7] * 50, len(calls), cache.pending())
"""


def test_greenlets_asking_together_wait_for_one_computation_under_gevent() -> None:
    out = subprocess.run([sys.executable, "-c", GEVENT_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "1", "0"], (out.stdout, out.stderr)


def test_a_committed_write_starts_a_new_generation_and_a_read_does_not(app: Flask, fair: Fair) -> None:
    before = write_generation()
    db.session.scalars(select(Fair)).all()
    db.session.commit()
    assert write_generation() == before
    db.session.get_one(Fair, fair.id).name = "Giełda Zasobów Gniew"
    db.session.commit()
    assert write_generation() > before


def test_a_write_in_a_savepoint_counts_when_the_transaction_commits(app: Any, fair: Fair) -> None:
    before = write_generation()
    with db.session.begin_nested():
        db.session.get_one(Fair, fair.id).venue = "Hala sportowa"
    assert write_generation() == before  # a savepoint released is no commit yet
    db.session.commit()
    assert write_generation() > before
