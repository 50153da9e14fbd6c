"""Fixtures: `app`, `client`, `runner`, and `make_*` factories (flaskr/indico style).

Every test gets its own database: on SQLite a copy of a file migrated once per session; on
PostgreSQL (TEST_DATABASE_URL) the schema is migrated once and every table emptied after each
test. In CI (CI=true) a PostgreSQL that does not answer is a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, event, text

from app import create_app
from app.core.extensions import db
from app.fairs.categories import fair_categories
from app.fairs.fairs import FairData, create_fair
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post
from app.network.sectors import Sector
from app.people.credentials import set_password_unchecked
from app.people.models import Organisation, Participant
from app.people.organisations import OrganisationData, ensure_organisation
from app.people.participants import PersonData, create_participant
from tests import url_builders
from tests.live import Listener, LiveServer

url_builders.install()  # before any app is created: see tests/url_builders.py

pytest_plugins = ["tests.mail_server"]  # the smtp and outbox fixtures

PG_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Pages are tested in Polish: compile the catalog from its parts once per run."""
    from scripts.translations import compile_all

    compile_all()


def _malformed_log() -> Path:
    """Where tests/test_malformed_requests.py notes, test by test, the requests it sent."""
    dialect = "postgresql" if PG_URL else "sqlite"
    return Path(__file__).resolve().parent.parent / "test-artifacts" / f"malformed-requests-{dialect}.jsonl"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller (or the only process)
        _malformed_log().unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The totals of the malformed-request tests: requests sent, and how many got a 5xx (must be 0)."""
    import json

    log = _malformed_log()
    if hasattr(config, "workerinput") or not log.exists():
        return
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = {"dialect": "postgresql" if PG_URL else "sqlite", "tests": len(lines),
               "requests_sent": sum(x["sent"] for x in lines),
               "server_errors": sum(x["server_errors"] for x in lines)}
    log.with_name(log.stem + "-summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    terminalreporter.write_line(
        f"malformed requests ({summary['dialect']}): {summary['requests_sent']} sent by {summary['tests']} tests, "
        f"{summary['server_errors']} got a 5xx")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark database tests; run dialect-specific tests only in the pass of their dialect (they
    are deselected, not skipped, in the other: `make test` runs both passes)."""
    wrong = "sqlite_only" if PG_URL else "postgresql_only"
    keep, dropped = [], []
    for item in items:
        if "app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
        (dropped if item.get_closest_marker(wrong) else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    # Longest first: pytest-xdist hands tests out in this order, so the tests marked `slow`
    # (minutes each) start at once on both workers instead of one of them ending the run alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _migrate(url: str) -> None:
    from app.core.storage.migrate import upgrade

    engine = create_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            from app.core.storage.transactions import configure_sqlite

            configure_sqlite(engine)
        upgrade(engine)
    finally:
        engine.dispose()


@contextmanager
def private_postgres_database(server_url: str) -> Iterator[str]:
    """A throwaway database on the PostgreSQL server of `server_url`, so that concurrent test
    runs on one machine never see each other's rows."""
    from sqlalchemy.engine import make_url

    name = f"gielda_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated SQLite file to copy, or the URL of a migrated private PostgreSQL database."""
    if PG_URL:
        try:
            ctx = private_postgres_database(PG_URL)
            url = ctx.__enter__()
            _migrate(url)
        except Exception as exc:
            pytest.fail(f"PostgreSQL at {PG_URL} is required for this run and failed: {exc}")
        try:
            yield url
        finally:
            ctx.__exit__(None, None, None)
        return
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    yield str(path)


def _truncate_all() -> None:
    from app.core.storage.db import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


class SharedBytecode(BytecodeCache):
    """Every test has an app of its own, and so a Jinja environment of its own: without this,
    each test compiles again every template it renders (a tenth of a second for a page's
    templates). The compiled code of a template is kept per test process, and reused while
    the template's source is the same (Jinja compares its checksum); all these environments
    are made alike by create_app."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = SharedBytecode()


def build_app(database_url: str, tmp_path: Path, **extra: Any) -> Flask:
    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "AUTO_MIGRATE": False,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "gielda.test",
        "PUBLIC_URL": "http://gielda.test",
        # Staff passwords hashed cheaply: scrypt's deliberate cost (a tenth of a second per hash and
        # per check) in every test with staff would be minutes of the suite. The default is tested.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(extra)
    application = create_app(config)
    application.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    return application


@pytest.fixture
def redis_url() -> str:
    """The real Redis on this machine: a test that needs it fails (never skips) when it does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is required for this test and does not answer: "
                    f"{exc}. Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 "
                    f'--save "" --appendonly no')
    return REDIS_URL


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    if PG_URL:
        return database_template
    target = tmp_path / "test.db"
    shutil.copy(database_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    application = build_app(database_url, tmp_path, **app_config)
    with application.app_context():
        yield application
        db.session.remove()
        if PG_URL:
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def live(app: Flask, database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A real server process (`python -m app`) on this test's database; a module may override it
    (its own settings)."""
    server = LiveServer(database_url, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def listeners() -> Iterator[Callable[[], Listener]]:
    """Makes real Socket.IO clients (tests/live.py), closed after the test."""
    made: list[Listener] = []

    def make() -> Listener:
        made.append(Listener())
        return made[-1]

    yield make
    for listener in made:
        listener.close()


class FreshUserClient(FlaskClient):
    """Requests share the test's app context (and so `g`); forget what Flask-Login (the user)
    and Flask-Babel (the locale) cached there, so that every request starts afresh, as it does
    in production."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g

        for key in ("_login_user", "_flask_babel"):
            g.pop(key, None)
        try:
            return super().open(*args, **kwargs)
        finally:
            for key in ("_login_user", "_flask_babel"):
                g.pop(key, None)


@pytest.fixture
def consumer(app: Flask) -> Iterator[Any]:
    """The app's queue consumed by two threads of this process, as `python -m app` does (the app
    needs `TASKS_IMMEDIATE: False` in its `app_config`); stopped after the test, once its
    running tasks finish."""
    from app.core.tasks import start_consumer, wait_for_tasks

    running = start_consumer(app, workers=2)
    try:
        yield running
    finally:
        wait_for_tasks(60, app)
        running.stop(graceful=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent while the test runs (clear it to count from a point on)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def make_fair(app: Flask) -> Callable[..., Fair]:
    def make(**kw: Any) -> Fair:
        n = next(_seq)
        registration_open = kw.pop("registration_open", True)
        data = FairData(slug=kw.pop("slug", f"fair-{n}"), name=kw.pop("name", f"Giełda {n}"), **kw)
        fair = create_fair(data)
        if registration_open:
            from app.core.storage.transactions import transaction

            with transaction():
                db.session.get_one(Fair, fair.id).registration_open = True
        return db.session.get_one(Fair, fair.id)

    return make


@pytest.fixture
def fair(make_fair: Callable[..., Fair]) -> Fair:
    return make_fair(slug="tczew", name="Giełda Zasobów Tczew")


@pytest.fixture
def make_organisation(app: Flask, fair: Fair) -> Callable[..., Organisation]:
    def make(name: str | None = None, sector: Sector = Sector.NGO, fair_id: int | None = None,
             **kw: Any) -> Organisation:
        from app.core.storage.transactions import transaction

        with transaction():
            org = ensure_organisation(fair_id or fair.id, OrganisationData(
                name=name or f"Fundacja Żółw {next(_seq)}", sector=sector, **kw))
        return org

    return make


@pytest.fixture
def make_participant(app: Flask, fair: Fair) -> Callable[..., Participant]:
    def make(first_name: str = "Łucja", last_name: str | None = None, *, role: Role = Role.PARTICIPANT,
             organisation: str | None = None, sector: Sector = Sector.NGO, fair_id: int | None = None,
             email: str | None = None, password: str | None = None, **kw: Any) -> Participant:
        from app.core.storage.transactions import transaction

        n = next(_seq)
        fid = fair_id or fair.id
        with transaction():
            person = create_participant(
                fid,
                PersonData(first_name, last_name or f"Wiśniewska-{n}",
                           email if email is not None else f"osoba{n}@example.org", role=role, **kw),
                OrganisationData(organisation or f"Stowarzyszenie Źródło {n}", sector))
            if password or role != Role.PARTICIPANT:
                set_password_unchecked(person, password or PASSWORD)
        return db.session.get_one(Participant, person.id)

    return make


@pytest.fixture
def organiser(make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Grażyna", "Żebrowska", role=Role.ORGANISER, organisation="Starostwo",
                            sector=Sector.PUBLIC, email="org@example.org")


@pytest.fixture
def notary(make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Jerzy", "Łęcki", role=Role.NOTARY, email="notary@example.org")


@pytest.fixture
def login(client: FlaskClient) -> Callable[[Participant], None]:
    """Log someone in as they would: a participant through their private link (as a phone
    does), staff with their e-mail and password (`make_participant` gives them PASSWORD)."""

    def do(person: Participant) -> None:
        if person.role == Role.PARTICIPANT:
            link = f"/f/{person.fair.slug}/login/{person.login_secret}"
            r = client.get(link)
            if r.status_code == 200 and b'action="' + link.encode() in r.data:  # logged in as someone else:
                r = client.post(link)  # the phone asks before switching; say yes
        else:
            page = client.get(f"/f/{person.fair.slug}/login").get_data(as_text=True)
            token = re.search(r'name="staff-csrf_token"[^>]*value="([^"]+)"', page)
            r = client.post(f"/f/{person.fair.slug}/login", headers={"Sec-Fetch-Site": "same-origin"},
                            data={"staff-email": person.email, "staff-password": PASSWORD,
                                  "staff-csrf_token": token.group(1) if token else ""})
        assert r.status_code == 303, r.data

    return do


@pytest.fixture
def coordinator(make_participant: Callable[..., Participant]) -> Participant:
    """An organiser of the fair made the network's coordinator: their account at the network's space
    (tests/between and tests/ledger make the `organiser` fixture the coordinator instead)."""
    from app.ledger.coordinators import set_network_coordinator
    from app.ledger.permissions import SystemActor

    person = make_participant("Cezary", "Kołodziej", role=Role.ORGANISER, organisation="Sieć Giełd",
                              email="koordynator@example.org")
    account = set_network_coordinator(SystemActor("test"), person.id, True)
    assert account is not None
    return account


@pytest.fixture
def trading_fair(fair: Fair, organiser: Participant) -> Fair:
    open_trading(organiser, fair.id, 90)
    return fair


@pytest.fixture
def category(fair: Fair) -> Callable[[str], int]:
    def by_key(key: str = "rooms") -> int:
        return next(c.id for c in fair_categories(fair.id, include_archived=True) if c.key == key)

    return by_key


@pytest.fixture
def make_post(trading_fair: Fair, category: Callable[[str], int]) -> Callable[..., Post]:
    def make(author: Participant, title: str = "Sala na 30 osób", kind: PostKind = PostKind.OFFER,
             category_key: str = "rooms", **kw: object) -> Post:
        return create_post(author, trading_fair.id,
                           PostData(kind=kind, category_id=category(category_key), title=title, **kw))

    return make


@pytest.fixture
def make_draft(trading_fair: Fair) -> Callable[..., Any]:
    """A draft agreement between `a`'s and `b`'s organisations with one obligation each way
    (pass `obligations` as (giver, receiver, description, points) tuples to change that)."""
    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement

    def make(a: Participant, b: Participant, obligations: list[tuple[Participant, Participant, str, int]]
             | None = None) -> Any:
        draft = start_agreement(a, trading_fair.id, b.id)
        obligations = obligations if obligations is not None else [
            (a, b, "Sala konferencyjna na 30 osób, 3 godziny", 30),
            (b, a, "Szkolenie z pisania wniosków dla zarządu", 40)]
        data = AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
            obligations=[ObligationData(g.organisation_id, r.organisation_id, text, points=pts)
                         for g, r, text, pts in obligations])
        return save_draft(a, trading_fair.id, draft.id, data, version=draft.version)

    return make
