"""Points ledger: entries posted per second (SQLite and PostgreSQL), and `ledger verify` on
100,000 entries.

Posting: `transfer_points()` service calls, each its own transaction (validation, idempotency
key lookups, account rows locked, limits, entry + two postings + cached balances, commit),
against a floor measured in the same run on the same database: the same transaction machinery
with the bare SQL of an entry (one INSERT of the entry, two of postings, two balance UPDATEs) and
nothing else. Once with one writer, once with four threads writing at once (each on its own
accounts, so that PostgreSQL may run them in parallel; SQLite serialises writers).

Verify: 100,000 valid entries (transfers with a reversal every 100th, fingerprints computed
as the service does) are bulk-inserted — not posted one by one — then `verify_ledger()` is
timed; the floor is the single aggregate query that finds unbalanced entries.

PostgreSQL: a throwaway database on BENCH_DATABASE_URL's server (default: the local test
server); the section says so when none answers. Sizes: BENCH_LEDGER_POSTS (default 1,000
entries per posting run), BENCH_LEDGER_ENTRIES (default 100,000); BENCH_ROUNDS (default 3):
each figure is the best of that many rounds, since the machine may be shared.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench._report import machine

POSTS = int(os.environ.get("BENCH_LEDGER_POSTS", "1000"))
ENTRIES = int(os.environ.get("BENCH_LEDGER_ENTRIES", "100000"))
THREADS = 4
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ACCOUNTS = 200
PG_SERVER = os.environ.get("BENCH_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# --- databases and apps -----------------------------------------------------------------------

@contextmanager
def _sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as workdir:
        yield f"sqlite:///{workdir}/ledger.db"


@contextmanager
def _postgres() -> Iterator[str]:
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"gielda_bench_ledger_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str) -> Any:
    from app import create_app

    instance = tempfile.mkdtemp(prefix="bench-ledger-instance-")
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance,
                       "AUTO_MIGRATE": True, "TESTING": True})


def _accounts(n: int) -> list[int]:
    """A fair with `n` organisations and their (empty) accounts."""
    from app.core.storage.transactions import transaction
    from app.fairs.fairs import FairData, create_fair
    from app.ledger.accounts import organisation_account
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData, ensure_organisation

    fair = create_fair(FairData(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Giełda pomiarowa"))
    with transaction():
        return [organisation_account(ensure_organisation(
            fair.id, OrganisationData(name=f"Organizacja Źródło {i}", sector=Sector.NGO)).id).id
            for i in range(n)]


# --- posting ----------------------------------------------------------------------------------

def _ours(pairs: list[tuple[int, int]], tag: str) -> None:
    from app.ledger.operations import transfer_points
    from app.ledger.permissions import SystemActor

    actor = SystemActor("bench")
    for i, (a, b) in enumerate(pairs):
        transfer_points(actor, a, b, 1, "Usługa pomiarowa", f"bench-{tag}-{i}")


def _floor(pairs: list[tuple[int, int]], tag: str) -> None:
    from app.core.extensions import db
    from app.core.storage.transactions import transaction

    now = datetime.now(UTC)
    for i, (a, b) in enumerate(pairs):
        with transaction():
            entry_id = db.session.execute(text(
                "INSERT INTO ledger_entries (kind, idempotency_key, fingerprint, memo, actor_label, created_at)"
                " VALUES ('transfer', :key, '', 'Usługa pomiarowa', 'bench', :now) RETURNING id"),
                {"key": f"floor-{tag}-{i}", "now": now}).scalar_one()
            db.session.execute(text(
                "INSERT INTO ledger_postings (entry_id, account_id, points) VALUES (:e, :a, -1), (:e, :b, 1)"),
                {"e": entry_id, "a": a, "b": b})
            db.session.execute(text("UPDATE ledger_accounts SET balance = balance - 1 WHERE id = :a"), {"a": a})
            db.session.execute(text("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = :b"), {"b": b})


def _rate(app: Any, work: Callable[[list[tuple[int, int]], str], None], groups: list[list[int]],
          tag: str) -> float:
    """Entries per second: POSTS transfers split over len(groups) threads, each on its own accounts."""
    from app.core.extensions import db

    per_thread = POSTS // len(groups)
    plans = []
    for g, accounts in enumerate(groups):
        rnd = random.Random(g)
        plans.append([tuple(rnd.sample(accounts, 2)) for _ in range(per_thread)])
    barrier = threading.Barrier(len(groups) + 1)
    errors: list[BaseException] = []

    def worker(g: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                work(plans[g], f"{tag}-{g}")
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(g,)) for g in range(len(groups))]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return per_thread * len(groups) / elapsed


def measure_posting(url: str) -> dict[str, float]:
    app = _app(url)
    with app.app_context():
        accounts = _accounts(THREADS * 10)
    one = [accounts]
    split = [accounts[i::THREADS] for i in range(THREADS)]
    result = {}
    for name, work in (("ours", _ours), ("floor", _floor)):  # warm-up: imports, statement caches
        _rate_small(app, work, one, f"warm-{name}")
    for r in range(ROUNDS):  # alternate the order; keep each configuration's best round
        for writers, groups in ((1, one), (THREADS, split)):
            order = (("floor", _floor), ("ours", _ours))
            for name, work in order if r % 2 == 0 else order[::-1]:
                rate = _rate(app, work, groups, f"{name}{writers}r{r}")
                result[f"{name}_{writers}"] = max(rate, result.get(f"{name}_{writers}", 0.0))
                print(f"round {r + 1}: {name}, {writers} writer(s): {rate:,.0f} entries/s", flush=True)
    with app.app_context():
        from app.core.extensions import db

        db.engine.dispose()
    return result


def _rate_small(app: Any, work: Callable[[list[tuple[int, int]], str], None], groups: list[list[int]],
                tag: str) -> None:
    with app.app_context():
        work([(groups[0][0], groups[0][1])] * 20, tag)


# --- verify on 100,000 entries ----------------------------------------------------------------

def _bulk_entries(accounts: list[int], n: int,
                  balance: dict[int, int]) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Valid entries: transfers within the default limits, every 100th a reversal; `balance`
    (account id -> points) is kept up to date as they are made."""
    from app.ledger.posting import fingerprint

    rnd = random.Random(2026)
    balance.update(dict.fromkeys(accounts, 0))
    reversible: list[tuple[int, list[tuple[int, int]]]] = []
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for entry_id in range(1, n + 1):
        at = start + timedelta(minutes=5 * entry_id)
        reverses = None
        legs: list[tuple[int, int]] = []
        if entry_id % 100 == 0 and reversible:
            original_id, original_legs = reversible.pop(rnd.randrange(len(reversible)))
            candidate = [(a, -p) for a, p in original_legs]
            if all(-500 <= balance[a] + p <= 1000 for a, p in candidate):
                reverses, legs = original_id, candidate
        while not legs:
            a, b = rnd.sample(accounts, 2)
            points = rnd.randint(1, 40)
            if balance[a] - points >= -500 and balance[b] + points <= 1000:
                legs = [(a, -points), (b, points)]
        for account, points in legs:
            balance[account] += points
        kind = "reversal" if reverses else "transfer"
        memo = "Storno" if reverses else f"Usługa nr {entry_id}: catering, sala, nagłośnienie"
        if not reverses:
            reversible.append((entry_id, legs))
        yield ({"id": entry_id, "kind": kind, "idempotency_key": f"bulk-{entry_id}",
                "fingerprint": fingerprint(kind, legs, memo, None, None, None, reverses), "memo": memo,
                "actor_label": "bench", "reverses_id": reverses, "created_at": at},
               [{"entry_id": entry_id, "account_id": a, "points": p} for a, p in legs])


def measure_verify(url: str) -> dict[str, float]:
    from sqlalchemy import insert, update

    from app.core.extensions import db
    from app.ledger.models import Account, Entry, Posting
    from app.ledger.verify import verify_ledger

    app = _app(url)
    with app.app_context():
        accounts = _accounts(ACCOUNTS)
        started = time.perf_counter()
        entries: list[dict[str, Any]] = []
        postings: list[dict[str, Any]] = []

        def flush() -> None:
            with db.engine.begin() as conn:  # an entry and its postings in one transaction
                conn.execute(insert(Entry), entries)
                conn.execute(insert(Posting), postings)
            entries.clear()
            postings.clear()

        balances: dict[int, int] = {}
        for entry, legs in _bulk_entries(accounts, ENTRIES, balances):
            entries.append(entry)
            postings.extend(legs)
            if len(entries) >= 5000:
                flush()
        if entries:
            flush()
        with db.engine.begin() as conn:
            for account_id, value in balances.items():
                conn.execute(update(Account).where(Account.id == account_id).values(balance=value))
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT setval(pg_get_serial_sequence('ledger_entries', 'id'), "
                                  "(SELECT max(id) FROM ledger_entries))"))
                conn.execute(text("ANALYZE"))
        build = time.perf_counter() - started

        ours = floor = float("inf")
        for _ in range(ROUNDS):
            started = time.perf_counter()
            report = verify_ledger()
            ours = min(ours, time.perf_counter() - started)
            if not report.ok:
                raise RuntimeError(f"bulk ledger does not verify: {report.problems}")
            started = time.perf_counter()
            db.session.execute(text("SELECT count(*) FROM (SELECT entry_id FROM ledger_postings "
                                    "GROUP BY entry_id HAVING sum(points) <> 0) AS bad")).scalar_one()
            floor = min(floor, time.perf_counter() - started)
            db.session.rollback()
        result = {"build": build, "ours": ours, "floor": floor, "entries": report.entries,
                  "postings": report.postings}
        db.engine.dispose()
    return result


# --- the section ------------------------------------------------------------------------------

def _backend(name: str, opener: Callable[[], Any]) -> tuple[dict[str, float] | None, dict[str, float] | None,
                                                              str | None]:
    try:
        with opener() as url:
            posting = measure_posting(url)
        print(f"{name} posting: {posting}", flush=True)
        with opener() as url:
            verify = measure_verify(url)
        print(f"{name} verify: {verify}", flush=True)
        return posting, verify, None
    except Exception as exc:
        if name == "SQLite":
            raise
        return None, None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"


def run() -> str:
    header = machine("SQLAlchemy", "psycopg", "alembic")
    results = {"SQLite": _backend("SQLite", _sqlite), "PostgreSQL": _backend("PostgreSQL", _postgres)}
    lines = [
        "## Points ledger (`ledger`)",
        "",
        header,
        "",
        f"Posting: {POSTS:,} transfers per run through `transfer_points()` (one service call = one "
        "transaction: validation, idempotency key, account rows locked in id order, limits, entry + two "
        "postings + cached balances), against the **floor**: the same transactions carrying only the bare "
        "SQL of an entry (INSERT entry, two INSERT postings, two balance UPDATEs). "
        f"With 1 writer, then {THREADS} threads at once, each on its own accounts. "
        "SQLite: a file in WAL mode, writers under `BEGIN IMMEDIATE`; PostgreSQL: a throwaway database on "
        "the local server. The last column is Giełda's rate divided by the floor's (1.00 would be as fast "
        f"as the bare SQL). Best of {ROUNDS} rounds, alternating which goes first.",
        "",
        "| database | writers | Giełda (entries/s) | floor (entries/s) | Giełda ÷ floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (posting, _verify, _error) in results.items():
        if posting is None:
            lines.append(f"| {name} | — | not measured | — | — |")
            continue
        for writers in (1, THREADS):
            ours, floor = posting[f"ours_{writers}"], posting[f"floor_{writers}"]
            lines.append(f"| {name} | {writers} | {ours:,.0f} | {floor:,.0f} | {ours / floor:.2f} |")
    lines += [
        "",
        f"Verify: {ENTRIES:,} valid entries (transfers between {ACCOUNTS} accounts, a reversal every 100th, "
        "fingerprints as the service computes them) bulk-inserted in chunks of 5,000, then "
        "`verify_ledger()` — every check `flask ledger verify` runs (balanced entries, postings, cached "
        "balances, limits, keys, reversal links, content fingerprints) — against the **floor**: the one "
        f"aggregate query that finds unbalanced entries. Best of {ROUNDS} runs each.",
        "",
        "| database | entries | postings | bulk build (s) | verify (s) | floor (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (_posting, verify, error) in results.items():
        if verify is None:
            lines.append(f"| {name} | — | — | — | not measured: {error} | — |")
            continue
        lines.append(f"| {name} | {verify['entries']:,.0f} | {verify['postings']:,.0f} | {verify['build']:.1f} | "
                     f"**{verify['ours']:.2f}** | {verify['floor']:.2f} |")
    return "\n".join(lines) + "\n"
