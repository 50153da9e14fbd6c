"""The deployment, for real: deploy/nginx/gielda.conf in front of three app processes started as
their systemd units start them (deploy/systemd/), the consumer, the local PostgreSQL (a fresh
database, migrated by the migration unit's command) and Redis — all through deploy/cluster.py.

A short fair is played through nginx by phones attached to different processes: they post at
the same time, two parties on two processes sign an agreement, and every phone must receive
every public event once, in order, with consecutive sequence numbers, the parties their own
notices too; the consumer renders the signed agreement's PDF. Along the way: sticky sessions
(Socket.IO's long-polling transport, several HTTP requests, works only if each lands on one
process), the WebSocket upgrade, gzip, static files served by nginx itself, and an access log
that names the process of every request and holds no login secret; and when a process goes
down, a browser routed to it is served by another and catches up there.

PostgreSQL, Redis and nginx are required: when one is missing the test fails, never skips."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from app.agreements.models import Agreement
from app.agreements.pdf import stored_pdf
from app.core.extensions import db
from app.core.paths import ROOT
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.people.models import Participant
from deploy.cluster import (
    SITE,
    UNITS,
    UPSTREAM_HEADER,
    Cluster,
    ClusterError,
    find_nginx,
    fresh_database,
    read_unit,
    render_main_conf,
)
from tests.conftest import build_app
from tests.live import QUIET, WAIT, Listener, csrf_token, post_offer, wait_until

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

PG_SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PROCESSES = 3
PHONES = 6  # two per process
POSTS_EACH = 2


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (the cluster's migration unit migrates it)."""
    try:
        context = fresh_database(PG_SERVER, prefix="gielda_deploy_test")
        url = context.__enter__()
    except Exception as exc:
        pytest.fail(f"PostgreSQL at {PG_SERVER} is required for the deployment test and failed: {exc}")
    try:
        yield url
    finally:
        context.__exit__(None, None, None)


def _nginx_or_fail() -> str:
    try:
        return find_nginx()
    except ClusterError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def cluster(database_url: str, redis_url: str, tmp_path: Path) -> Iterator[Cluster]:
    _nginx_or_fail()
    running = Cluster(database_url, redis_url, tmp_path / "cluster", processes=PROCESSES)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def app(cluster: Cluster, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """This process's view of the cluster's database, to set the fair up through the services
    (after the cluster has migrated it) and to check what was stored."""
    application = build_app(database_url, tmp_path)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


class Phone:
    """A phone whose browser nginx routes to one chosen process: its routing cookie is picked
    (by asking nginx which process a key lands on) before it logs in through its private link."""

    def __init__(self, cluster: Cluster, upstream: str) -> None:
        self.cluster = cluster
        self.upstream = upstream
        self.http = requests.Session()
        for _ in range(300):
            route = uuid.uuid4().hex
            r = requests.get(f"{cluster.url}/healthz", cookies={"gielda_route": route}, timeout=10)
            if r.headers.get(UPSTREAM_HEADER) == upstream:
                self.route = route
                break
        else:
            pytest.fail(f"no routing key of 300 landed on {upstream}")
        self.http.cookies.set("gielda_route", self.route)
        self.listener = Listener()
        self.public: list[dict[str, Any]] = []
        self.private: list[dict[str, Any]] = []

    def log_in(self, slug: str, secret: str) -> None:
        r = self.http.get(f"{self.cluster.url}/f/{slug}/login/{secret}", allow_redirects=False, timeout=10)
        assert r.status_code == 303, (r.status_code, r.text[:300])
        assert r.headers[UPSTREAM_HEADER] == self.upstream
        assert self.http.cookies.get("session")

    def connect(self, transport: str = "websocket", auth: dict[str, Any] | None = None) -> None:
        # The phone's cookies on every request of the connection, as a browser sends them (given
        # as a header, the client would send them with its first long-polling request only).
        self.listener.sio.eio.http = self.http
        self.listener.sio.eio.external_http = True
        self.listener.connect(self.cluster.url, auth=auth, transports=[transport])
        assert self.listener.sio.transport() == transport

    def collect(self, public: int, private: int) -> None:
        """Wait (up to WAIT seconds per event) for this many events of each stream, then for
        QUIET seconds in which nothing more may arrive."""
        while len(self.public) < public or len(self.private) < private:
            self._sort(self.listener.next_event())
        for evt in self.listener.drain(QUIET):
            self._sort(evt)

    def _sort(self, evt: dict[str, Any]) -> None:
        (self.private if evt["stream"] == "me" else self.public).append(evt)


def _sign(phone: Phone, slug: str, agreement_id: int) -> None:
    page = phone.http.get(f"{phone.cluster.url}/f/{slug}/agreements/{agreement_id}", timeout=10)
    assert page.status_code == 200, page.text[:300]
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page.text)
    assert version, "no version field on the agreement's page"
    r = phone.http.post(f"{phone.cluster.url}/f/{slug}/agreements/{agreement_id}/sign", allow_redirects=False,
                        timeout=10, data={"csrf_token": csrf_token(page.text),
                                          "version": version.group(1) or version.group(2)})
    assert r.status_code == 303, (r.status_code, r.text[:300])
    assert r.headers[UPSTREAM_HEADER] == phone.upstream


def _in_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: e["seq"])


def _consecutive(events: list[dict[str, Any]], after: int) -> bool:
    return [e["seq"] for e in events] == list(range(after + 1, after + 1 + len(events)))


def test_a_short_fair_through_nginx_reaches_every_phone_on_every_process(
        cluster: Cluster, trading_fair: Fair, make_participant: Callable[..., Participant],
        category: Callable[[str], int], make_draft: Callable[..., Any]) -> None:
    base = cluster.url
    slug = trading_fair.slug
    people = [make_participant("Zofia", f"Żak-{i}", organisation=f"Spółdzielnia Łącznik {i}")
              for i in range(PHONES)]
    with transaction():  # the second signature completes the agreement
        db.session.get_one(Fair, trading_fair.id).notary_required = False
    draft = make_draft(people[0], people[1])
    db.session.expire_all()
    public_before = db.session.get_one(Fair, trading_fair.id).event_seq
    private_before = {p.id: db.session.get_one(Participant, p.id).event_seq for p in people}

    # --- nginx itself: static files (its own, gzip, cached), pages gzipped, a routing cookie ---
    js = requests.get(f"{base}/static/js/live.js", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert js.status_code == 200 and js.content == (ROOT / "static" / "js" / "live.js").read_bytes()
    assert js.headers["Content-Encoding"] == "gzip" and "max-age=300" in js.headers["Cache-Control"]
    assert UPSTREAM_HEADER not in js.headers, "a static file went to an app process"
    vendor = requests.get(f"{base}/static/vendor/socket.io-4.8.4.min.js", timeout=10)
    assert vendor.status_code == 200 and "immutable" in vendor.headers["Cache-Control"]
    board = requests.get(f"{base}/f/{slug}/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert board.status_code == 200 and board.headers["Content-Encoding"] == "gzip"
    assert board.headers[UPSTREAM_HEADER] in cluster.app_addresses
    new_browser = requests.Session()
    first = new_browser.get(f"{base}/healthz", timeout=10)
    assert re.fullmatch(r"[0-9a-f]{32}", new_browser.cookies.get("gielda_route") or "")
    assert {new_browser.get(f"{base}/healthz", timeout=10).headers[UPSTREAM_HEADER]
            for _ in range(5)} == {first.headers[UPSTREAM_HEADER]}, "a browser moved between processes"

    # --- phones on every process: WebSocket through nginx; one phone on long-polling ---
    phones = [Phone(cluster, cluster.app_addresses[i % PROCESSES]) for i in range(PHONES)]
    for phone, person in zip(phones, people, strict=True):
        phone.log_in(slug, person.login_secret)
    for phone in phones[:-1]:
        phone.connect("websocket")
    phones[-1].connect("polling")  # several HTTP requests: each must reach the process of its session
    viewer = Phone(cluster, cluster.app_addresses[2])  # an anonymous board viewer
    viewer.connect("websocket", auth={"fair": slug})
    everyone = [*phones, viewer]
    try:
        # --- the gong: every phone posts at once, through its own process ---
        rooms = category("rooms")

        def post(i: int) -> list[int]:
            return [post_offer(phones[i].http, base, slug, rooms, f"Sala {i}-{k} w Łączniku")
                    for k in range(POSTS_EACH)]

        with ThreadPoolExecutor(PHONES) as pool:
            post_ids = sorted(pid for ids in pool.map(post, range(PHONES)) for pid in ids)
        # --- an agreement signed by its two parties, on two processes ---
        _sign(phones[0], slug, draft.id)
        _sign(phones[1], slug, draft.id)

        # What the database holds (one process's resync): every event after the phones connected.
        truth = phones[2].listener.resync(public_before)
        public = [e for e in truth["events"] if e["stream"] == "fair"]
        assert truth["seq"] == public_before + len(public)
        assert _consecutive(public, public_before)
        assert sorted(e["data"]["id"] for e in public if e["type"] == "post.created") == post_ids
        assert [e["data"]["id"] for e in public if e["type"] == "agreement.signed"] == [draft.id]

        for phone, person in zip(phones, people, strict=True):
            # The phone's own process says the same about the public stream (one database), and
            # tells what the phone's own stream holds since it connected.
            mine = phone.listener.sio.call("resync", {"after": public_before,
                                                       "after_private": private_before[person.id]}, timeout=WAIT)
            assert [e for e in mine["events"] if e["stream"] == "fair"] == public
            own = [e for e in mine["events"] if e["stream"] == "me"]
            phone.collect(len(public), len(own))
            # Events raised at once on different processes may cross in Redis (13 after 14): a phone
            # holds an early one until the gap fills (static/js/live.js), so what counts is that
            # each arrives exactly once and, put in order, they are the stream without a gap.
            assert _in_order(phone.public) == public, f"the phone on {phone.upstream} missed or repeated events"
            assert _in_order(phone.private) == own, f"the phone on {phone.upstream} missed its own events"
            assert _consecutive(_in_order(phone.private), private_before[person.id])
        assert phones[0].private and phones[1].private, "each party hears of the other's signature"
        viewer.collect(len(public), 0)
        assert _in_order(viewer.public) == public and viewer.private == []

        # The consumer (no web process consumes the queue) renders the signed agreement's PDF.
        def kept_pdf() -> bytes | None:
            db.session.expire_all()
            return stored_pdf(draft.id)

        pdf = wait_until(kept_pdf, lambda data: data is not None, timeout=60, what="the consumer's PDF")
        assert pdf.startswith(b"%PDF")
        assert db.session.get_one(Agreement, draft.id).number
    finally:
        for phone in everyone:
            phone.listener.close()

    # --- a process goes down (a crash, a restart): its browsers carry on on the others ---
    stranded = Phone(cluster, cluster.app_addresses[2])  # a browser whose key routes to process 3
    cluster.apps[2].stop()
    page = stranded.http.get(f"{base}/f/{slug}/", timeout=10)
    assert page.status_code == 200
    assert page.headers[UPSTREAM_HEADER].split(", ")[-1] in cluster.app_addresses[:2]
    stranded.connect("websocket", auth={"fair": slug})
    try:
        assert stranded.listener.resync(public_before)["events"] == public, "catching up on another process"
    finally:
        stranded.listener.close()

    codes = cluster.stop()
    assert codes["nginx"] == 0, codes
    assert all(code is not None and code != -9 for code in codes.values()), f"killed, not stopped: {codes}"

    # --- nginx's access log: every request's process, no 5xx, no login secret ---
    log = cluster.access_log.read_text(encoding="utf-8")
    lines = log.splitlines()
    assert not [line for line in lines if re.search(r'" 5\d\d ', line)], "nginx answered 5xx"
    for phone in phones:
        routed = [line for line in lines if line.endswith(f"route={phone.route}")]
        sockets = [line for line in routed if "/socket.io/" in line]
        assert sockets, f"no Socket.IO request of the phone on {phone.upstream} in the access log"
        assert {m.group(1) for line in routed if (m := re.search(r"upstream=(\S+)", line))} == {phone.upstream}
    assert any("transport=websocket" in line and '" 101 ' in line for line in lines), "no WebSocket upgrade"
    assert sum("transport=polling" in line for line in lines) >= 2, "the polling phone made one request"
    assert "/login/[redacted]" in log
    every_log = log + "".join(p.log.read_text(encoding="utf-8", errors="replace") for p in cluster.processes())
    for person in people:
        assert person.login_secret not in every_log, "a login secret reached a log"
    for process in cluster.processes():
        text = process.log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text, f"{process.name} ({process.log}):\n{text[-3000:]}"
    errors = [line for line in cluster.error_log.read_text(encoding="utf-8").splitlines()
              if re.search(r"\[(error|crit|alert|emerg)\]", line)]
    assert errors, "nginx logged no failed connection to the process that went down"
    assert all(f'upstream: "http://{cluster.app_addresses[2]}/' in line for line in errors), errors


# --- the files as an installation uses them ------------------------------------------------------

def test_the_site_as_shipped_passes_nginx_t_with_its_tls_and_redirect(tmp_path: Path) -> None:
    """The very file docs/deploy.md installs, TLS and port-80 redirect included (which the cluster
    leaves out), is accepted by Debian's nginx: only the certificate's and the logs' paths change."""
    nginx = _nginx_or_fail()
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=gielda.example.org", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    site = SITE.read_text(encoding="utf-8")
    for old, new in (("/etc/letsencrypt/live/gielda.example.org/fullchain.pem", str(cert)),
                     ("/etc/letsencrypt/live/gielda.example.org/privkey.pem", str(key)),
                     ("/var/log/nginx/", f"{tmp_path}/")):
        assert old in site
        site = site.replace(old, new)
    (tmp_path / "gielda.conf").write_text(site, encoding="utf-8")
    for folder in ("logs", "temp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "nginx.conf").write_text(render_main_conf(tmp_path, tmp_path / "gielda.conf"), encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "listen 443 ssl http2 backlog=4096;" in site and "return 301 https://$host$request_uri;" in site


def test_the_units_run_what_the_cluster_runs() -> None:
    """The cluster starts what the units say, for this checkout: `python -m app` on the unit's
    port without a consumer or migrations of its own, the consumer stopped with SIGINT (it
    finishes its running tasks), the migrations; and every unit reads the one environment file."""
    app_unit = read_unit("gielda@.service", "5002")
    assert app_unit.argv == [sys.executable, "-m", "app"]
    assert app_unit.environment == {"HOST": "127.0.0.1", "PORT": "5002", "TASK_WORKERS": "0", "AUTO_MIGRATE": "0",
                                    "XDG_CACHE_HOME": "/srv/gielda/instance/.cache"}
    assert app_unit.kill_signal == signal.SIGTERM
    tasks = read_unit("gielda-tasks.service")
    assert tasks.argv[1:] == ["--app", "app", "tasks", "consume", "--workers", "2"]
    assert tasks.kill_signal == signal.SIGINT
    assert read_unit("gielda-migrate.service").argv[1:] == ["--app", "app", "db", "upgrade"]
    for name in ("gielda@.service", "gielda-tasks.service", "gielda-migrate.service"):
        text = (UNITS / name).read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/gielda/gielda.env" in text and "User=gielda" in text
        if name != "gielda-migrate.service":
            assert "Requires=gielda-migrate.service" in text and "PartOf=gielda.target" in text
    # The example environment names what the cluster sets for every process.
    example = {line.split("=", 1)[0] for line in (ROOT / "deploy" / "gielda.env.example").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert example == {"DATABASE_URL", "SECRET_KEY", "PUBLIC_URL", "TRUSTED_PROXIES", "INSTANCE_PATH",
                       "SOCKETIO_MESSAGE_QUEUE", "SOCKETIO_CHANNEL", "RATELIMIT_STORAGE_URI", "HUEY_URL", "HUEY_NAME"}
