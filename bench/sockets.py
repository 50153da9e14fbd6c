"""Live fan-out: from posting an offer to its arrival at every connected Socket.IO client.

For 100, 500 and 1,000 clients on this machine, two servers are measured in the same run, with
the same server and async mode (what `python -m app` serves with: gevent's WSGI server and
python-socketio's gevent mode, or Werkzeug's threads under SERVER=threading; bench/_serve.py),
the same client process and the same message:

- **Giełda**: `python -m app` on a SQLite file. An offer is posted through the real HTML form
  (login cookie, CSRF token) — view, service, transaction, domain event, emit after commit.
- **floor**: a bare python-socketio server (a minimal WSGI app) that, on an HTTP POST, emits
  the same message to the same rooms — nothing else.

Latency = arrival at a client (its `event` handler) − the moment the POST was sent. The clients
(`socketio.AsyncClient`, asyncio + aiohttp, websocket transport) live in one separate process
so the load generator stays cheap; they connect in batches, as anonymous board viewers of the
fair (who join the same `fair:<id>` room as phones).

`python -m bench.sockets floor PORT MESSAGE_FILE` and `python -m bench.sockets load SPEC_JSON`
are the two child processes; `run()` drives them.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._child import MARK
from bench._report import ROOT, machine
from bench._serve import async_mode, floor_command, serve, server_mode

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SOCKETS_SIZES", "100,500,1000").split(","))
ROUNDS = {100: 40, 500: 20, 1000: 20}  # measured posts per size (after WARMUP); others: 10
WARMUP = 2
BATCH = 50  # clients connecting at once
PAUSE = 0.25  # seconds between posts, after every client has the previous one
ROUND_TIMEOUT = 30.0  # seconds for every client to get one post
CONNECT_TIMEOUT = 180.0  # seconds for all clients to connect
TARGET_P95_MS = 500.0
TARGET_RATIO = 1.5
SERVERS = {
    "gevent": "**gevent**, as `python -m app` serves (the process monkey-patched, gevent's WSGI server with "
              "TCP_NODELAY and a 2048-deep listen queue, python-socketio's gevent mode, simple-websocket)",
    "threading": "**threading** (SERVER=threading: Werkzeug's threaded server, simple-websocket)",
}
SLUG = "bench"


# --- the floor: a bare python-socketio server --------------------------------------------------

def serve_floor(port: int, message_file: str) -> None:
    """A minimal WSGI app + python-socketio on the app's server in the app's async mode
    (bench/_serve.py): POST /post emits the sample message, with the posted title, to the rooms
    our server emits a public event to."""
    import socketio
    from werkzeug.wrappers import Request, Response

    template = json.loads(Path(message_file).read_text())
    fair_id = template["fair_id"]
    rooms = [f"fair:{fair_id}", f"screen:{fair_id}"]
    sio = socketio.Server(async_mode=async_mode())  # cors_allowed_origins=None: same origin only
    seq = [template["seq"]]

    @sio.event
    def connect(sid: str, _environ: dict[str, Any], _auth: Any = None) -> bool:
        sio.enter_room(sid, rooms[0])
        return True

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/healthz":
            return Response("ok")(environ, start_response)
        if request.path == "/post" and request.method == "POST":
            seq[0] += 1
            message = {**template, "seq": seq[0],
                       "data": {**template["data"], "title": request.form.get("title", "")}}
            sio.emit("event", message, to=rooms)
            return Response("", status=303, headers={"Location": "/"})(environ, start_response)
        return Response("not found", status=404)(environ, start_response)

    serve(socketio.WSGIApp(sio, wsgi), port)


# --- the load generator: N asyncio clients -------------------------------------------------------

async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    import aiohttp
    import socketio

    n: int = spec["clients"]
    arrivals: dict[str, list[float]] = {}
    complete: dict[str, asyncio.Event] = {}

    def on_event(message: dict[str, Any]) -> None:
        now = time.time()
        tag = message.get("data", {}).get("title")
        got = arrivals.get(tag)
        if got is None:
            return
        got.append(now)
        if len(got) >= n:
            complete[tag].set()

    def on_batch(batch: list[dict[str, Any]]) -> None:
        for message in batch:
            on_event(message)

    connector = aiohttp.TCPConnector(limit=0)
    clients: list[Any] = []
    failures: list[str] = []
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http, \
            aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as poster:
        started = time.perf_counter()
        deadline = started + CONNECT_TIMEOUT
        for first in range(0, n, BATCH):
            if time.perf_counter() > deadline:
                failures.append("connect deadline passed")
                break
            batch = []
            for _ in range(min(BATCH, n - first)):
                client = socketio.AsyncClient(reconnection=False, http_session=http)
                client.on("event", on_event)
                client.on("events", on_batch)
                batch.append(client)
            results = await asyncio.gather(*(
                c.connect(spec["url"], auth=spec["auth"], transports=["websocket"], wait_timeout=30)
                for c in batch), return_exceptions=True)
            for client, result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    failures.append(repr(result))
                else:
                    clients.append(client)
        connect_seconds = time.perf_counter() - started
        if len(clients) < n:
            return {"error": f"{len(clients)}/{n} connected; e.g. {failures[:3]}"}

        trigger = spec["trigger"]
        latencies: list[float] = []
        http_ms: list[float] = []
        missing = 0
        run_id = uuid.uuid4().hex[:8]
        for round_no in range(WARMUP + spec["rounds"]):
            tag = f"bench-{run_id}-{n}-{round_no}"
            arrivals[tag] = []
            complete[tag] = asyncio.Event()
            form = {**trigger["data"], "title": tag, "key": uuid.uuid4().hex}  # a new form each round
            sent = time.time()
            async with poster.post(trigger["url"], data=form, headers=trigger["headers"],
                                   allow_redirects=False) as resp:
                status = resp.status
                await resp.read()
            answered = time.time()
            if status not in (302, 303):
                return {"error": f"post answered {status}"}
            with suppress(TimeoutError):  # what did not arrive in time counts as lost
                await asyncio.wait_for(complete[tag].wait(), ROUND_TIMEOUT)
            got = arrivals.pop(tag)
            if round_no >= WARMUP:
                latencies.extend(t - sent for t in got)
                http_ms.append((answered - sent) * 1000)
                missing += n - len(got)
            await asyncio.sleep(PAUSE)

        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    return {"connect_seconds": connect_seconds, "latencies": latencies, "missing": missing,
            "http_ms": statistics.median(http_ms)}


def generate_load(spec: dict[str, Any]) -> None:
    _raise_fd_limit()
    result = asyncio.run(_load(spec))
    print(MARK + json.dumps(result), flush=True)


# --- orchestration -------------------------------------------------------------------------------

def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


@dataclass
class Fixture:
    database_url: str
    login_secret: str
    category_id: int
    message: dict[str, Any]


def _prepare(tmp: Path) -> Fixture:
    """A fair in trading with one poster; returns a real `post.created` message as the sample."""
    from sqlalchemy import select

    from app import create_app
    from app.core.extensions import db
    from app.core.storage.events import DomainEvent
    from app.core.storage.transactions import transaction
    from app.fairs.categories import fair_categories
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.models import Fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.floor.kinds import PostKind
    from app.floor.posts import PostData, create_post
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    url = f"sqlite:///{tmp / 'bench.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(tmp / "instance")})
    with app.app_context():
        fair = create_fair(FairData(slug=SLUG, name="Giełda Zasobów — benchmark"))
        with transaction():
            db.session.get_one(Fair, fair.id).registration_open = True
            organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", "org@example.org",
                                                               role=Role.ORGANISER),
                                           OrganisationData("Starostwo", Sector.PUBLIC))
            author = create_participant(fair.id, PersonData("Bożena", "Kłos", "bk@example.org"),
                                        OrganisationData("Spółdzielnia Socjalna Łącznik",
                                                         Sector.SOCIAL_COOPERATIVE))
        open_trading(organiser, fair.id, 8 * 60)
        rooms = next(c.id for c in fair_categories(fair.id) if c.key == "rooms")
        create_post(author, fair.id, PostData(kind=PostKind.OFFER, category_id=rooms,
                                              title="Sala na 40 osób z rzutnikiem",
                                              details="Wtorki i czwartki po 16:00, z nagłośnieniem."))
        sample = db.session.scalars(select(DomainEvent).where(DomainEvent.type == "post.created")).one()
        fixture = Fixture(url, author.login_secret, rooms, sample.as_message())
        db.session.remove()
        db.engine.dispose()
    return fixture


@contextmanager
def _floor_server(tmp: Path, message: dict[str, Any]) -> Iterator[str]:
    from tests.live import free_port

    port = free_port()
    message_file = tmp / "message.json"
    message_file.write_text(json.dumps(message))
    log = (tmp / f"floor-{port}.log").open("w")
    proc = subprocess.Popen(floor_command("bench.sockets", "floor", str(port), str(message_file)),
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield url
    finally:
        _stop(proc)
        log.close()


@contextmanager
def _our_server(tmp: Path, fixture: Fixture) -> Iterator[tuple[str, dict[str, Any]]]:
    from tests.live import LiveServer, cookie_header, login_session, post_form

    server = LiveServer(fixture.database_url, tmp, extra_env={"SOCKETIO_MESSAGE_QUEUE": ""})
    try:
        http = login_session(server.url, SLUG, fixture.login_secret)
        form = post_form(http, server.url, SLUG, fixture.category_id, "")
        trigger = {"url": f"{server.url}/f/{SLUG}/posts/new", "data": form,
                   "headers": {"Cookie": cookie_header(http)}}
        yield server.url, trigger
    finally:
        server.stop()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the floor server exited")
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)  # waiting for the port to open
    raise RuntimeError("the floor server did not start")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _measure(url: str, trigger: dict[str, Any], n: int) -> dict[str, Any]:
    spec = {"url": url, "clients": n, "rounds": ROUNDS.get(n, 10), "auth": {"fair": SLUG}, "trigger": trigger}
    out = subprocess.run([sys.executable, "-m", "bench.sockets", "load", json.dumps(spec)], cwd=ROOT,
                         check=True, text=True, capture_output=True, timeout=CONNECT_TIMEOUT + 300)
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            if "error" in result:
                raise RuntimeError(f"load generator, {n} clients: {result['error']}")
            return result
    raise RuntimeError(f"the load generator reported nothing:\n{out.stdout}\n{out.stderr[-3000:]}")


@dataclass
class Row:
    server: str
    clients: int
    connect_seconds: float
    samples: int
    missing: int
    http_ms: float
    pct: dict[str, float] = field(default_factory=dict)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000, "max": ordered[-1] * 1000}


def _row(server: str, n: int, result: dict[str, Any]) -> Row:
    return Row(server, n, result["connect_seconds"], len(result["latencies"]), result["missing"],
               result["http_ms"], _percentiles(result["latencies"]))


def run() -> str:
    _raise_fd_limit()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-sockets-") as name:
        tmp = Path(name)
        header = machine("python-socketio", "python-engineio", "Flask-SocketIO", "simple-websocket",
                         "gevent", "Werkzeug", "aiohttp")
        fixture = _prepare(tmp)
        for i, n in enumerate(SIZES):
            # Alternate which server goes first, so a drift in the machine's load favours neither.
            for server in ("floor", "Giełda") if i % 2 == 0 else ("Giełda", "floor"):
                if server == "floor":
                    with _floor_server(tmp, fixture.message) as url:
                        result = _measure(url, {"url": f"{url}/post", "data": {}, "headers": {}}, n)
                else:
                    with _our_server(tmp, fixture) as (url, trigger):
                        result = _measure(url, trigger, n)
                rows.append(_row(server, n, result))
                print(f"  {server}, {n} clients: p95 {rows[-1].pct['p95']:.0f} ms", flush=True)
    rows.sort(key=lambda r: (r.clients, r.server != "floor"))
    return _section(header, rows)


def _section(header: str, rows: list[Row]) -> str:
    lines = [
        "## Live fan-out over Socket.IO (`sockets`)",
        "",
        header,
        "",
        f"Server: {SERVERS[server_mode()]}, for both servers; in-process Socket.IO (no message queue). Clients: "
        "`socketio.AsyncClient` (asyncio + aiohttp, websocket transport) in one separate process, "
        f"connecting in batches of {BATCH} as anonymous board viewers of the fair.",
        "",
        "Latency: from sending the HTTP POST of an offer to the `event` message arriving at each "
        "client. **Giełda** = `python -m app` on SQLite, the real form (session cookie, CSRF), view, "
        "service, transaction, stored domain event, emit after commit. **floor** = a bare "
        "python-socketio server emitting the same message to the same rooms on a POST. "
        f"{WARMUP} warm-up posts, then {', '.join(f'{ROUNDS.get(n, 10)} at {n}' for n in SIZES)} clients; "
        "every client receives every post.",
        "",
        "| clients | server | connect (s) | samples | lost | POST answered (ms, median) "
        "| p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | p95 ÷ floor |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor_p95 = {r.clients: r.pct["p95"] for r in rows if r.server == "floor"}
    for r in rows:
        ratio = f"{r.pct['p95'] / floor_p95[r.clients]:.2f}" if r.server != "floor" else "—"
        lines.append(f"| {r.clients} | {r.server} | {r.connect_seconds:.1f} | {r.samples} | {r.missing} "
                     f"| {r.http_ms:.0f} | {r.pct['p50']:.0f} | {r.pct['p95']:.0f} | {r.pct['p99']:.0f} "
                     f"| {r.pct['max']:.0f} | {ratio} |")
    ours = next(r for r in rows if r.server == "Giełda" and r.clients == max(SIZES))
    overall = ours.pct["p95"] / floor_p95[max(SIZES)]
    met = ours.pct["p95"] <= TARGET_P95_MS and overall <= TARGET_RATIO
    lines += [
        "",
        f"Target at {max(SIZES)} clients: p95 ≤ {TARGET_P95_MS:.0f} ms and ≤ {TARGET_RATIO}× the floor. "
        f"Measured: p95 {ours.pct['p95']:.0f} ms, {overall:.2f}× the floor — "
        f"**{'met' if met else 'NOT met'}**.",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["floor"] and len(argv) == 3:
        serve_floor(int(argv[1]), argv[2])
        return 0
    if argv[:1] == ["load"] and len(argv) == 2:
        generate_load(json.loads(argv[1]))
        return 0
    print("usage: python -m bench.sockets floor PORT MESSAGE_FILE | load SPEC_JSON", file=sys.stderr)
    return 2


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
