"""Helpers for tests of requests that arrive at the same moment: calls run in threads, each with
its own app context, session and database connection, released together at a barrier; and, on
PostgreSQL, a way to hold one transaction open until another is seen waiting for its lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from app.core.errors import DomainError
from app.core.extensions import db

WAIT = 30.0  # seconds: the most a thread may take to reach a barrier, or a lock to be awaited


def _describe(result: Any) -> Any:
    """A result as the tests compare it: its id, or for app.core.web.formkeys.Sent (row id, created)."""
    if hasattr(result, "created"):
        return (result.row.id, result.created)
    return result.id


def in_threads(app: Flask, calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run each call in its own thread, app context and session, all released at once; the
    outcome of each: ("ok", result id — or (row id, created) for a Sent), ("error", domain
    error code) or ("crash", repr)."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any]] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=WAIT)
                outcome: tuple[str, Any] = ("ok", _describe(call()))
            except DomainError as err:
                outcome = ("error", err.code)
            except Exception as exc:
                outcome = ("crash", repr(exc))
            finally:
                db.session.remove()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == len(calls), "a thread did not finish"
    return results


def wait_for_lock_waiter(app: Flask) -> None:
    """Return once a session of this PostgreSQL database waits for a lock (or fail)."""
    deadline = time.monotonic() + WAIT
    with app.app_context(), db.engine.connect() as conn:
        while True:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar_one()
            if waiting:
                return
            if time.monotonic() > deadline:
                pytest.fail("no session started waiting for the lock")
            conn.rollback()
            time.sleep(0.02)  # polling the server's view of its sessions; not a wait for app state


@contextmanager
def first_held_open_after(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Iterator[
        tuple[threading.Event, threading.Event]]:
    """Patch `module.<name>` (a step a service takes after its insert) so that in the thread
    named "first" it stops there, its transaction still open: yields (reached, release)."""
    original = getattr(module, name)
    reached, release = threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if threading.current_thread().name == "first":
            reached.set()
            assert release.wait(WAIT), "never released"
        return result

    monkeypatch.setattr(module, name, held)
    try:
        yield reached, release
    finally:
        release.set()


def race_on_one_key(app: Flask, monkeypatch: pytest.MonkeyPatch, module: Any, after_insert: str,
                    call: Callable[[], Any]) -> list[tuple[str, Any]]:
    """PostgreSQL: the same call twice, the second made while the first has inserted its row but
    not committed (held open at `module.<after_insert>`): the second must wait for the first and
    then find its row. Returns both outcomes, the first's first."""
    outcomes: dict[str, tuple[str, Any]] = {}

    def run(name: str) -> None:
        with app.app_context():
            try:
                outcomes[name] = ("ok", _describe(call()))
            except DomainError as err:
                outcomes[name] = ("error", err.code)
            except Exception as exc:
                outcomes[name] = ("crash", repr(exc))
            finally:
                db.session.remove()

    with first_held_open_after(monkeypatch, module, after_insert) as (reached, release):
        first = threading.Thread(target=run, args=("first",), name="first")
        first.start()
        assert reached.wait(WAIT), f"the first call did not insert: {outcomes}"
        second = threading.Thread(target=run, args=("second",), name="second")
        second.start()
        wait_for_lock_waiter(app)  # the second is waiting for the first
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)
    return [outcomes["first"], outcomes["second"]]
