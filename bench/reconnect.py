"""Reconnect storm: 1,000 logged-in phones on the board lose their connections and all come back
at once, each asking for what it missed.

Two servers are measured in the same run, under the same async mode and server as `python -m app`
(see `SERVER_MODE`), against the same client process:

- **Giełda**: `python -m app` on a SQLite file: each reconnect is a Socket.IO handshake with the
  participant's session cookie (Flask-Login loads the participant), joins the fair's and the
  participant's rooms; then a `resync` (rate limits, login still valid, the missed events
  replayed from `domain_events` by sequence number, the streams' current numbers).
- **floor**: a bare python-socketio server that accepts the same connections into as many rooms
  and answers each `resync` with a reply of the same size (the same events, prepared beforehand).

A storm: every client disconnects; then all of them at once open a new connection (websocket
transport) and call `resync` with the sequence numbers they last saw, which leaves MISSED public
events to replay. Measured per storm: the time until the last client has its reply, each client's
time from the start to its reply, and the server process's CPU time during the storm (from
/proc). Every reply is checked: ok, and exactly the missed events.

`python -m bench.reconnect floor PORT REPLY_FILE` and `python -m bench.reconnect load SPEC_JSON`
are the child processes; `run()` drives them.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._child import MARK
from bench._report import ROOT, machine
from bench.sockets import _raise_fd_limit, _stop, _wait_ready

N = int(os.environ.get("BENCH_RECONNECT", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STORMS = 2  # storms per server start; the first connection of every client is not measured
MISSED = 20  # public events each client missed
BATCH = 50  # clients connecting at once before the storm (the storm itself: all at once)
TIMEOUT = 180.0
TARGET = 1.5
SLUG = "bench"
USER_AGENT = "GieldaBench/1.0 (reconnect storm)"  # the same at login and on the socket, as one phone
# All clients come from 127.0.0.1; in the hall every phone has its own address. The per-address
# limit of resyncs is raised accordingly (the per-connection one is left as it is).
APP_ENV = {"SOCKETIO_MESSAGE_QUEUE": "", "SOCKET_CLIENT_RATELIMIT": "100000/minute",
           "SECRET_KEY": "bench"}  # the key the session cookies were signed with in _prepare

def server_mode() -> str:
    """What `python -m app` serves with (app/core/serving.py): gevent, or with SERVER=threading
    Werkzeug's threaded server; the floor runs the same."""
    from app.core.serving import wanted_server

    return wanted_server()


# --- the floor: a bare python-socketio server --------------------------------------------------

def serve_floor(port: int, reply_file: str) -> None:
    """python-socketio in the app's async mode on the app's server (gevent's pywsgi with the same
    backlog, the process patched by `python -m gevent.monkey` as the app's; or Werkzeug's threaded
    server): on connect, the client joins the fair's room and a room of its own; `resync` is
    answered with the prepared reply."""
    import socketio
    from werkzeug.wrappers import Request, Response

    from app.core.serving import LISTEN_BACKLOG, async_mode

    mode = async_mode()  # gevent exactly when this process was patched
    prepared = json.loads(Path(reply_file).read_text())
    reply, fair_id = prepared["reply"], prepared["fair_id"]
    sio = socketio.Server(async_mode=mode)  # cors_allowed_origins=None: same origin only
    joined = [0]

    @sio.event
    def connect(sid: str, _environ: dict[str, Any], _auth: Any = None) -> bool:
        joined[0] += 1
        sio.enter_room(sid, f"fair:{fair_id}")
        sio.enter_room(sid, f"participant:{joined[0]}")
        return True

    @sio.event
    def resync(_sid: str, _data: Any = None) -> dict[str, Any]:
        return reply

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if Request(environ).path == "/healthz":
            return Response("ok")(environ, start_response)
        return Response("not found", status=404)(environ, start_response)

    app = socketio.WSGIApp(sio, wsgi)
    if mode == "gevent":
        from gevent import pywsgi

        pywsgi.WSGIServer(("127.0.0.1", port), app, backlog=LISTEN_BACKLOG).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, app, threaded=True)


# --- the load generator ---------------------------------------------------------------------------

def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _storms(spec: dict[str, Any]) -> dict[str, Any]:
    import aiohttp
    import socketio

    clients: list[dict[str, Any]] = spec["clients"]
    url, expected = spec["url"], spec["expected"]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:

        async def connect(client: dict[str, Any]) -> Any:
            # The cookie as a header of the WebSocket request itself: given to connect(), python-engineio
            # would move it into the shared session's cookie jar, which keeps none.
            sio = socketio.AsyncClient(reconnection=False, http_session=http, websocket_extra_options={
                "headers": {"Cookie": client["cookie"], "User-Agent": USER_AGENT}})
            await sio.connect(url, auth={"fair": SLUG}, transports=["websocket"], wait_timeout=TIMEOUT)
            return sio

        sockets = []
        for first in range(0, len(clients), BATCH):
            sockets += await asyncio.gather(*(connect(c) for c in clients[first:first + BATCH]))

        storms = []
        for _ in range(spec["storms"]):
            await asyncio.gather(*(s.disconnect() for s in sockets))
            await asyncio.sleep(1.0)  # the server has let go of every connection
            cpu = _cpu(spec["pid"])
            started = time.perf_counter()

            async def come_back(client: dict[str, Any], started: float = started) -> tuple[Any, float, str]:
                sio = await connect(client)
                reply = await sio.call("resync", {"after": client["after"], "after_private": client["after_private"]},
                                       timeout=TIMEOUT)
                done = time.perf_counter() - started
                events = reply.get("events", []) if isinstance(reply, dict) else []
                ok = isinstance(reply, dict) and reply.get("ok") and [e["seq"] for e in events] == expected \
                    and reply.get("private_seq") == client["after_private"]  # logged in: its own stream too
                return sio, done, "" if ok else repr(reply)[-300:]

            results = await asyncio.gather(*(come_back(c) for c in clients))
            seconds = time.perf_counter() - started
            cpu = _cpu(spec["pid"]) - cpu
            errors = [e for _, _, e in results if e]
            if errors:
                return {"error": f"{len(errors)} wrong replies, e.g. {errors[0]}"}
            sockets = [s for s, _, _ in results]
            storms.append({"seconds": seconds, "cpu_seconds": cpu, "each": sorted(t for _, t, _ in results)})
        await asyncio.gather(*(s.disconnect() for s in sockets))
    return {"storms": storms}


def generate_load(spec_file: str) -> None:
    _raise_fd_limit()
    result = asyncio.run(_storms(json.loads(Path(spec_file).read_text())))
    print(MARK + json.dumps(result), flush=True)


# --- orchestration ---------------------------------------------------------------------------------

@dataclass
class Fixture:
    database_url: str
    fair_id: int
    clients: list[dict[str, Any]]  # cookie, after, after_private
    expected: list[int]  # the sequence numbers every client gets back
    reply: dict[str, Any]  # what our server answers the first client: the floor's reply


def _prepare(tmp: Path) -> Fixture:
    """A fair in trading with N participants, each logged in once (its session cookie); then
    MISSED offers posted, which every client will have missed."""
    from sqlalchemy import select

    from app import create_app
    from app.core.extensions import db
    from app.core.storage.events import events_since
    from app.core.storage.transactions import transaction
    from app.fairs.categories import fair_categories
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.models import Fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.floor.kinds import PostKind
    from app.floor.posts import PostData, create_post
    from app.network.sectors import Sector
    from app.people.models import Participant
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    url = f"sqlite:///{tmp / 'bench.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(tmp / "instance"),
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        fair = create_fair(FairData(slug=SLUG, name="Giełda Zasobów — benchmark"))
        with transaction():
            db.session.get_one(Fair, fair.id).registration_open = True
            organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", "org@example.org",
                                                               role=Role.ORGANISER),
                                           OrganisationData("Starostwo", Sector.PUBLIC))
            for i in range(N):
                create_participant(fair.id, PersonData("Bożena", f"Kłos-{i}", f"bk{i}@example.org"),
                                   OrganisationData(f"Spółdzielnia Socjalna Łącznik {i // 3}",
                                                    Sector.SOCIAL_COOPERATIVE))
        open_trading(organiser, fair.id, 8 * 60)
        people = list(db.session.scalars(select(Participant).where(Participant.fair_id == fair.id,
                                                                   Participant.role == Role.PARTICIPANT)))
        secrets, ids, fair_id = [p.login_secret for p in people], [p.id for p in people], fair.id
        db.session.remove()
    cookies = []  # outside the app context: Flask-Login keeps the logged-in user in `g`
    for secret in secrets:
        r = app.test_client().get(f"/f/{SLUG}/login/{secret}", headers={"User-Agent": USER_AGENT})
        assert r.status_code == 303, (r.status_code, r.get_data(as_text=True)[:3000])
        cookie = r.headers.getlist("Set-Cookie")
        session = next(c.split(";", 1)[0] for c in cookie if c.startswith("session="))
        cookies.append(session)
    with app.app_context():
        after = db.session.get_one(Fair, fair_id).event_seq
        rooms = next(c.id for c in fair_categories(fair_id) if c.key == "rooms")
        author = db.session.get_one(Participant, ids[0])
        for i in range(MISSED):
            create_post(author, fair_id, PostData(kind=PostKind.OFFER, category_id=rooms,
                                                  title=f"Sala na 40 osób z rzutnikiem nr {i}",
                                                  details="Wtorki i czwartki po 16:00, z nagłośnieniem."))
        db.session.expire_all()
        people = [db.session.get_one(Participant, i) for i in ids]
        clients = [{"cookie": c, "after": after, "after_private": p.event_seq} for c, p in zip(cookies, people,
                                                                                                strict=True)]
        missed = events_since(fair_id, after, people[0].id, after_private=people[0].event_seq)
        fair_row = db.session.get_one(Fair, fair_id)
        reply = {"ok": True, "events": [e.as_message() for e in missed], "seq": fair_row.event_seq,
                 "private_seq": people[0].event_seq}
        fixture = Fixture(url, fair_id, clients, [e.seq for e in missed], reply)
        assert len(fixture.expected) == MISSED
        assert {c["after_private"] for c in clients} == {reply["private_seq"]}  # one reply fits every client
        db.session.remove()
        db.engine.dispose()
    return fixture


@contextmanager
def _floor_server(tmp: Path, fixture: Fixture) -> Iterator[tuple[str, int]]:
    from tests.live import free_port

    port = free_port()
    reply_file = tmp / "reply.json"
    reply_file.write_text(json.dumps({"reply": fixture.reply, "fair_id": fixture.fair_id}))
    log = (tmp / f"floor-{port}.log").open("w")
    patch = ["-m", "gevent.monkey", "--module"] if server_mode() == "gevent" else ["-m"]  # as `python -m app`
    proc = subprocess.Popen([sys.executable, *patch, "bench.reconnect", "floor", str(port), str(reply_file)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield url, proc.pid
    finally:
        _stop(proc)
        log.close()


@contextmanager
def _our_server(tmp: Path, fixture: Fixture) -> Iterator[tuple[str, int]]:
    from tests.live import LiveServer

    server = LiveServer(fixture.database_url, tmp, extra_env=APP_ENV)
    try:
        yield server.url, server.proc.pid
    finally:
        server.stop()


def _measure(tmp: Path, url: str, pid: int, fixture: Fixture) -> list[dict[str, Any]]:
    spec_file = tmp / "spec.json"
    spec_file.write_text(json.dumps({"url": url, "pid": pid, "clients": fixture.clients, "storms": STORMS,
                                     "expected": fixture.expected}))
    out = subprocess.run([sys.executable, "-m", "bench.reconnect", "load", str(spec_file)], cwd=ROOT,
                         check=True, text=True, capture_output=True, timeout=TIMEOUT * (STORMS + 2))
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            if "error" in result:
                raise RuntimeError(f"load generator: {result['error']}")
            return list(result["storms"])
    raise RuntimeError(f"the load generator reported nothing:\n{out.stdout}\n{out.stderr[-3000:]}")


def run() -> str:
    _raise_fd_limit()
    storms: dict[str, list[dict[str, Any]]] = {"floor": [], "Giełda": []}
    with tempfile.TemporaryDirectory(prefix="bench-reconnect-") as name:
        tmp = Path(name)
        header = machine("python-socketio", "python-engineio", "Flask-SocketIO", "Flask-Login",
                         "simple-websocket", "gevent", "Werkzeug", "aiohttp")
        fixture = _prepare(tmp)
        for r in range(ROUNDS):
            # Alternate which server goes first, so a drift in the machine's load favours neither.
            for server in ("floor", "Giełda") if r % 2 == 0 else ("Giełda", "floor"):
                start = _floor_server if server == "floor" else _our_server
                with start(tmp, fixture) as (url, pid):
                    measured = _measure(tmp, url, pid, fixture)
                storms[server] += measured
                print(f"  round {r + 1}, {server}: " + ", ".join(
                    f"{s['seconds']:.2f} s ({s['cpu_seconds']:.2f} s CPU)" for s in measured), flush=True)
    return _section(header, storms)


_SERVERS = {
    "gevent": "**gevent** (the process monkey-patched, gevent's pywsgi with a 2048-deep listen queue, "
              "python-socketio's gevent mode, simple-websocket)",
    "threading": "**threading** (Werkzeug's threaded server, python-socketio's threading mode, simple-websocket)",
}


def _section(header: str, storms: dict[str, list[dict[str, Any]]]) -> str:
    mode = server_mode()
    def best(server: str, key: str = "seconds") -> float:
        return min(s[key] for s in storms[server])

    def pct(server: str, q: int) -> float:
        fastest = min(storms[server], key=lambda s: s["seconds"])["each"]
        return float(statistics.quantiles(fastest, n=100, method="inclusive")[q - 1])

    rows = []
    for server in ("floor", "Giełda"):
        each = ", ".join(f"{s['seconds']:.2f}" for s in storms[server])
        cpu_each = ", ".join(f"{s['cpu_seconds']:.2f}" for s in storms[server])
        rows.append(f"| {server} | **{best(server):.2f}** | {pct(server, 50):.2f} | {pct(server, 95):.2f} "
                    f"| {best(server, 'cpu_seconds'):.2f} | {each} | {cpu_each} |")
    wall = best("Giełda") / best("floor")
    cpu = best("Giełda", "cpu_seconds") / best("floor", "cpu_seconds")
    median_wall = statistics.median(s["seconds"] for s in storms["Giełda"]) / statistics.median(
        s["seconds"] for s in storms["floor"])
    verdict = "**met**" if max(wall, cpu) <= TARGET else "**not met** (both must be within)"
    table = "\n".join(rows)
    return f"""## Reconnect storm of {N:,} clients (`reconnect`)

{header}

Code in `bench/reconnect.py`. Server for both: {_SERVERS[mode]}, as `python -m app` serves
(app/core/serving.py), python-socketio in the same async mode; in-process Socket.IO (no message
queue), SQLite. Clients: `socketio.AsyncClient` (asyncio +
aiohttp, websocket transport) in one separate process, each with its own participant's session
cookie, as a logged-in phone on the board.

A storm: all {N:,} clients drop their connections, then all at once reconnect and call `resync`
with the numbers they last saw; each gets back the {MISSED} public events it missed (checked,
every reply). **Giełda** = `python -m app`: the handshake loads the participant from the session
(Flask-Login), joins the fair's and the participant's rooms; `resync` checks the rate limits and
that the login is still valid, replays the missed events from `domain_events` by sequence number
and gives the streams' current numbers. The per-address limit of resyncs is raised for the
benchmark (every client here is 127.0.0.1; in the hall each phone has its own address).
**floor** = a bare python-socketio server in the same mode on the same server, which puts each
connection in as many rooms and answers `resync` with a reply of the same size, prepared
beforehand. {ROUNDS} server starts each, alternating which goes first, {STORMS} storms per
start after every client's first connection; CPU is the server process's user + system time
during the storm (`/proc/<pid>/stat`), which other load on the machine disturbs far less than
wall time.

| server | storm, s (best) | client p50, s | client p95, s | server CPU, s (best) | storm s, each | CPU s, each |
|---|---:|---:|---:|---:|---|---|
{table}

Client p50/p95: from the storm's start to that client's `resync` reply, in the fastest storm.
**Ratio Giełda ÷ floor: {wall:.2f}× wall, {cpu:.2f}× server CPU** (best against best; median
storm against median storm {median_wall:.2f}× wall) — target ≤ {TARGET}×: {verdict}.
"""


def main(argv: list[str]) -> int:
    if argv[:1] == ["floor"] and len(argv) == 3:
        serve_floor(int(argv[1]), argv[2])
        return 0
    if argv[:1] == ["load"] and len(argv) == 2:
        generate_load(argv[1])
        return 0
    print("usage: python -m bench.reconnect floor PORT REPLY_FILE | load SPEC_FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
