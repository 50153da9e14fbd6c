"""The background queue (app/core/tasks.py): where it lives, when a task is queued (after the
outermost commit, never for a rolled-back transaction), tasks that run at once in tests, a real
consumer on SQLite and on Redis, and how a dead worker's claims are recognised."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import transaction
from app.core.tasks import (
    BOOT,
    CLAIM_LEASE,
    claim_abandoned,
    queue,
    start_consumer,
    task,
    wait_for_tasks,
    worker_gone,
    worker_id,
)
from app.fairs.models import Fair
from tests.conftest import build_app
from tests.live import wait_until

RAN: list[tuple[str, Any]] = []


@task("tests.note")
def note(label: str, value: Any = None) -> None:
    """Notes that it ran, and in which world: its own transaction depth and database session."""
    from app.core.storage import transactions

    RAN.append((label, {"value": value, "depth": transactions._depth.get(), "session": id(db.session())}))


@task("tests.rename_fair")
def rename_fair(fair_id: int, name: str) -> None:
    with transaction():
        db.session.get_one(Fair, fair_id).name = name


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    RAN.clear()
    yield
    RAN.clear()


# --- where the queue lives ---------------------------------------------------------------------

def _queue_of(tmp_path: Path, database_url: str, **config: Any) -> Any:
    application = build_app(database_url, tmp_path, **config)
    with application.app_context():
        db.engine.dispose()
    return queue(application)


def test_by_default_the_queue_is_sqlite_in_the_instance_folder(tmp_path: Path, database_url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HUEY_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    tasks = _queue_of(tmp_path, database_url, TASKS_IMMEDIATE=False)
    assert isinstance(tasks.huey.storage, SqliteStorage)
    assert tasks.huey.storage.filename == str(tmp_path / "instance" / "huey.db")
    assert not tasks.immediate and tasks.huey.name == "gielda"


def test_huey_url_or_redis_url_picks_redis(tmp_path: Path, database_url: str) -> None:
    tasks = _queue_of(tmp_path, database_url, TASKS_IMMEDIATE=False, HUEY_URL="redis://127.0.0.1:6379/3",
                      HUEY_NAME="gielda-x")
    assert isinstance(tasks.huey.storage, RedisStorage) and tasks.huey.name == "gielda-x"
    tasks = _queue_of(tmp_path, database_url, TASKS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:6379/4")
    assert isinstance(tasks.huey.storage, RedisStorage)
    tasks = _queue_of(tmp_path, database_url, TASKS_IMMEDIATE=False, HUEY_URL=f"sqlite:///{tmp_path / 'q.db'}")
    assert tasks.huey.storage.filename == str(tmp_path / "q.db")
    with pytest.raises(ValueError, match="HUEY_URL"):
        _queue_of(tmp_path, database_url, TASKS_IMMEDIATE=False, HUEY_URL="amqp://127.0.0.1")


def test_tests_run_tasks_at_once(app: Flask) -> None:
    assert queue(app).immediate and isinstance(queue(app).huey.storage, MemoryStorage)
    note.enqueue("now", 1)
    assert [label for label, _ in RAN] == ["now"]


# --- after the commit ----------------------------------------------------------------------------

def test_a_task_is_queued_when_the_outermost_transaction_commits(app: Flask, fair: Fair) -> None:
    with transaction():
        note.enqueue_after_commit("outer")
        with transaction():  # a nested service call joins the outer transaction
            note.enqueue_after_commit("inner")
        savepoint = db.session.begin_nested()
        note.enqueue_after_commit("in a savepoint")
        savepoint.commit()  # released, not committed: nothing runs yet
        assert RAN == []
    assert [label for label, _ in RAN] == ["outer", "inner", "in a savepoint"]


def test_no_task_for_a_rolled_back_transaction_or_savepoint(app: Flask, fair: Fair) -> None:
    with pytest.raises(RuntimeError), transaction():
        note.enqueue_after_commit("never")
        raise RuntimeError("refused")
    assert RAN == []
    with transaction():
        note.enqueue_after_commit("kept")
        outer = db.session.begin_nested()
        note.enqueue_after_commit("released, then rolled back with its parent savepoint")
        inner = db.session.begin_nested()
        note.enqueue_after_commit("rolled back with the inner savepoint")
        inner.rollback()
        outer.rollback()
        released = db.session.begin_nested()
        note.enqueue_after_commit("released with its savepoint")
        released.commit()
    assert [label for label, _ in RAN] == ["kept", "released with its savepoint"]


def test_an_immediate_task_runs_in_a_transaction_and_session_of_its_own(app: Flask, fair: Fair) -> None:
    """It runs while its enqueuer's commit is finishing: it must not join that transaction (its
    writes would never be committed) nor use that session."""
    fair_id = fair.id
    with transaction():
        note.enqueue_after_commit("depth")
        rename_fair.enqueue_after_commit(fair_id, "Giełda po zmianie")
    (_, seen), = RAN
    assert seen["depth"] == 0 and seen["session"] != id(db.session())
    db.session.remove()
    assert db.session.get_one(Fair, fair_id).name == "Giełda po zmianie"


# --- real consumers ------------------------------------------------------------------------------

@pytest.mark.parametrize("app_config", [{"TASKS_IMMEDIATE": False}])
def test_a_consumer_in_threads_runs_what_was_queued(app: Flask, fair: Fair, consumer: Any) -> None:
    fair_id = fair.id
    rename_fair.enqueue(fair_id, "Giełda z kolejki")
    assert wait_for_tasks(60)
    db.session.remove()
    assert db.session.get_one(Fair, fair_id).name == "Giełda z kolejki"


def test_a_consumer_on_redis_runs_what_another_app_queued(database_url: str, tmp_path: Path, fair: Fair,
                                                          redis_url: str) -> None:
    """Two apps on one Redis queue, as a web process and `flask tasks consume` are."""
    name, fair_id = f"gielda-test-{uuid.uuid4().hex}", fair.id
    config = {"TASKS_IMMEDIATE": False, "HUEY_URL": redis_url, "HUEY_NAME": name}
    web = build_app(database_url, tmp_path / "web", **config)
    worker = build_app(database_url, tmp_path / "worker", **config)
    running = start_consumer(worker, workers=1)
    try:
        with web.app_context():
            rename_fair.enqueue(fair_id, "Giełda przez Redis")

        def name_now() -> str | None:
            with worker.app_context():
                return db.session.scalar(select(Fair.name).where(Fair.id == fair_id))

        wait_until(name_now, lambda found: found == "Giełda przez Redis", timeout=30,
                   what="the worker renaming the fair")
    finally:
        running.stop(graceful=True)
        client = redis.Redis.from_url(redis_url)
        keys = client.keys(f"*{name}*")
        if keys:
            client.delete(*keys)
        for application in (web, worker):
            with application.app_context():
                db.engine.dispose()


# --- dead workers --------------------------------------------------------------------------------

def test_which_workers_are_known_dead() -> None:
    host, pid = socket.gethostname(), os.getpid()
    assert worker_id() == f"{host}:{pid}:{BOOT}"
    assert not worker_gone(worker_id())  # this very process
    assert worker_gone(f"{host}:{pid}:an-earlier-life")  # the same process id, before a restart
    finished = subprocess.Popen(["true"])
    finished.wait()
    assert worker_gone(f"{host}:{finished.pid}:whatever")  # a process of this machine that ended
    assert not worker_gone(f"{host}:1:whatever")  # alive (init): not ours to judge dead
    assert not worker_gone(f"another-machine:{finished.pid}:x")  # another machine: only its lease tells
    assert worker_gone(None) and worker_gone("nonsense")


def test_a_claim_is_abandoned_when_its_worker_died_or_its_lease_ran_out() -> None:
    now = utcnow()
    assert claim_abandoned(None, None, now)
    assert not claim_abandoned(worker_id(), now, now)
    assert not claim_abandoned("another-machine:12:x", now - CLAIM_LEASE / 2, now)
    assert claim_abandoned("another-machine:12:x", now - CLAIM_LEASE * 2, now)
    assert claim_abandoned(f"{socket.gethostname()}:{os.getpid()}:an-earlier-life", now, now)



def test_daily_work_is_a_periodic_task_of_the_queue(app):
    """Work declared with `daily` (the reminders between fairs) runs on the consumer's clock once
    a day, at its hour in UTC."""
    import datetime

    from app.core.tasks import queue

    periodic = {t.name: t for t in queue(app).huey._registry.periodic_tasks}
    task = periodic["between.standing_reminders"]
    at = datetime.datetime(2026, 12, 1, 8, 0)
    assert task.validate_datetime(at) and not task.validate_datetime(at.replace(hour=9))
