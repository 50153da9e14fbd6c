"""Concurrency: the same idempotency key posts once and concurrent spends never cross a floor —
threads on the app's database (SQLite: BEGIN IMMEDIATE), real processes on PostgreSQL (row
locks taken in id order, unique-key race handled with a savepoint)."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core.extensions import db
from app.ledger.models import Entry
from app.ledger.operations import transfer_points
from app.ledger.permissions import SystemActor
from tests.concurrency import in_threads

from ._workers import serve

THREADS = 8
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_same_key_from_many_threads_posts_once(app, make_account, balance_of):
    a, b = make_account(), make_account()
    actor = SystemActor("thread")
    results = in_threads(app, [lambda: transfer_points(actor, a.id, b.id, 10, "x", "same-key")] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({entry_id for _, entry_id in results}) == 1
    assert balance_of(b) == 10
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 1


def test_same_key_with_different_content_from_threads_posts_one_and_refuses_the_other(
        app, make_account, balance_of):
    a, b, c = make_account(), make_account(), make_account()
    actor = SystemActor("thread")
    results = in_threads(app, [lambda: transfer_points(actor, a.id, b.id, 10, "x", "k"),
                                lambda: transfer_points(actor, c.id, b.id, 10, "x", "k")] * 2)
    assert Counter(kind for kind, _ in results) == {"ok": 2, "error": 2}, results
    assert {v for kind, v in results if kind == "error"} == {"idempotency_conflict"}
    assert balance_of(b) == 10


def test_concurrent_spends_from_threads_never_cross_the_floor(app, make_account, balance_of):
    a, b = make_account(floor=-100), make_account()
    actor = SystemActor("thread")
    calls = [(lambda i=i: transfer_points(actor, a.id, b.id, 30, "x", f"spend-{i}")) for i in range(THREADS)]
    results = in_threads(app, calls)
    assert Counter(kind for kind, _ in results) == {"ok": 3, "error": THREADS - 3}, results
    assert {v for kind, v in results if kind == "error"} == {"below_floor"}
    assert balance_of(a) == -90


# --- PostgreSQL: two real processes -------------------------------------------------------


@pytest.fixture(scope="module")
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The run's private PostgreSQL database when TEST_DATABASE_URL is set; otherwise a
    throwaway database on the local server (skipped if none answers, a failure when CI=true)."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield request.getfixturevalue("database_template")
        return
    from app.core.storage.migrate import upgrade

    admin = create_engine(DEFAULT_PG, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"gielda_ledger_mp_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {DEFAULT_PG} is required (it runs on this machine) and failed: {exc}")
    try:
        url = make_url(DEFAULT_PG).set(database=name).render_as_string(hide_password=False)
        engine = create_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Workers:
    """Two worker processes, each with its own app, fed batches of transfers."""

    def __init__(self, url: str, instance: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(2)
        self.outbox = ctx.Queue()
        self.inboxes = [ctx.Queue(), ctx.Queue()]
        self.processes = [ctx.Process(target=serve, args=(url, f"{instance}/p{i}", self.barrier, inbox, self.outbox))
                          for i, inbox in enumerate(self.inboxes)]
        for p in self.processes:
            p.start()
        ready = [self.outbox.get(timeout=120) for _ in self.processes]
        assert ready == [("ready", None)] * 2, ready

    def run(self, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[tuple[str, Any]]:
        self.inboxes[0].put(first)
        self.inboxes[1].put(second)
        outcomes, done = [], 0
        while done < 2:
            outcome = self.outbox.get(timeout=120)
            if outcome[0] == "done":
                done += 1
            else:
                outcomes.append(outcome)
        return outcomes

    def stop(self) -> None:
        for inbox in self.inboxes:
            inbox.put(None)
        for p in self.processes:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()


@pytest.fixture(scope="module")
def workers(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    pool = Workers(pg_url, str(tmp_path_factory.mktemp("workers")))
    yield pool
    pool.stop()


@pytest.fixture(scope="module")
def pg_parent_app(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": pg_url, "SECRET_KEY": "test", "AUTO_MIGRATE": False, "TESTING": True,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("parent"))})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def pg_app(pg_parent_app: Flask, workers: Workers) -> Iterator[Flask]:
    """This process's app on the same PostgreSQL database; every table emptied afterwards."""
    from app.core.storage.db import Base

    with pg_parent_app.app_context():
        yield pg_parent_app
        db.session.remove()
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _setup_accounts(floor: int) -> tuple[int, int, int, int]:
    from app.core.storage.transactions import transaction
    from app.fairs.fairs import FairData, create_fair
    from app.ledger.accounts import organisation_account
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData, ensure_organisation

    fair = create_fair(FairData(slug=f"mp-{uuid.uuid4().hex[:6]}", name="Giełda wieloprocesowa"))
    with transaction():
        accounts = []
        for name in ("Nadawca", "Odbiorca", "Trzecia", "Czwarta"):
            org = ensure_organisation(fair.id, OrganisationData(name=name, sector=Sector.NGO))
            accounts.append(organisation_account(org.id))
        accounts[0].floor = floor
        ids = tuple(a.id for a in accounts)
    db.session.remove()
    return ids  # type: ignore[return-value]


def _count_entries() -> int:
    db.session.remove()
    return int(db.session.scalar(select(func.count()).select_from(Entry)) or 0)


@pytest.mark.db
def test_same_key_from_two_processes_posts_once_on_postgresql(pg_app, workers):
    a, b, _c, _d = _setup_accounts(-500)
    job = {"source": a, "target": b, "points": 25, "memo": "x", "key": "mp-same"}
    results = workers.run([job], [job])
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1] == results[1][1]
    assert _count_entries() == 1


@pytest.mark.db
def test_same_key_different_accounts_from_two_processes_conflicts_on_postgresql(pg_app, workers):
    # Disjoint accounts: neither waits for the other's row locks, so both may reach the insert
    # and the loser meets the unique key (savepoint, IntegrityError, read back, conflict).
    a, b, c, d = _setup_accounts(-500)
    results = workers.run([{"source": a, "target": b, "points": 25, "memo": "x", "key": "mp-k"}],
                          [{"source": c, "target": d, "points": 25, "memo": "x", "key": "mp-k"}])
    outcomes = sorted(results, key=lambda r: r[0])
    assert [kind for kind, _ in outcomes] == ["error", "ok"], results
    assert outcomes[0][1] == "idempotency_conflict"
    assert _count_entries() == 1


@pytest.mark.db
def test_concurrent_spends_from_two_processes_never_cross_the_floor_on_postgresql(pg_app, workers):
    from app.ledger.verify import verify_ledger

    a, b, _c, _d = _setup_accounts(-200)
    jobs = [[{"source": a, "target": b, "points": 15, "memo": "x", "key": f"mp-{p}-{i}"} for i in range(12)]
            for p in range(2)]
    results = workers.run(*jobs)
    assert Counter(kind for kind, _ in results) == {"ok": 13, "error": 11}, results
    assert {v for kind, v in results if kind == "error"} == {"below_floor"}
    db.session.remove()
    assert verify_ledger().ok
