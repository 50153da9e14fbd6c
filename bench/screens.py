"""Many big screens asking for the same snapshot at once: the fair's counters (the stats API the
screen and the control room re-read after every event), asked by SCREENS clients released
together against a running server (`python -m app`, its default server, on a SQLite file),
each round right after a new offer moved the fair's event number (so the snapshot is not there
yet and one request must compute it).

Floor: one request for the same kind of snapshot alone (also right after a new offer), in the
same run against the same server. The ratio (all SCREENS answered ÷ one alone) shows the sharing:
without it, SCREENS computations of the counters would queue behind each other on this machine's
two cores; with it, one computes and the others wait for its answer and copy it.

The fair: PEOPLE participants of ORGS organisations with POSTS offers and needs, made through the
services (BENCH_SCREENS_PEOPLE, …_ORGS, …_POSTS, …_SCREENS, …_ROUNDS change them)."""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bench._report import machine

SCREENS = int(os.environ.get("BENCH_SCREENS_SCREENS", "50"))
PEOPLE = int(os.environ.get("BENCH_SCREENS_PEOPLE", "1000"))
ORGS = int(os.environ.get("BENCH_SCREENS_ORGS", "300"))
POSTS = int(os.environ.get("BENCH_SCREENS_POSTS", "1500"))
ROUNDS = int(os.environ.get("BENCH_SCREENS_ROUNDS", "10"))
SLUG = "bench-screens"
TIMEOUT = 60.0
# case: (clients released together, right after a new event — else with the snapshot ready)
CASES = {"one fresh": (1, True), "many fresh": (SCREENS, True), "many ready": (SCREENS, False),
         "one ready": (1, False)}


@dataclass
class Fixture:
    database_url: str
    login_secret: str
    category_id: int


def _prepare(tmp: Path) -> Fixture:
    """A fair in trading with PEOPLE participants, ORGS organisations and POSTS posts."""
    from app import create_app
    from app.core.extensions import db
    from app.core.storage.transactions import transaction
    from app.fairs.categories import fair_categories
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.floor.kinds import PostKind
    from app.floor.posts import PostData, create_post
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    url = f"sqlite:///{tmp / 'screens.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(tmp / "instance")})
    sectors = list(Sector)
    with app.app_context():
        fair = create_fair(FairData(slug=SLUG, name="Giełda Zasobów — ekrany"))
        with transaction():
            organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", "org@example.org",
                                                               role=Role.ORGANISER),
                                           OrganisationData("Starostwo", Sector.PUBLIC))
            people = [create_participant(fair.id, PersonData(f"Łucja{n}", f"Żółkiewska{n}", f"p{n}@example.org"),
                                         OrganisationData(f"Organizacja {n % ORGS}", sectors[n % ORGS % len(sectors)]))
                      for n in range(PEOPLE)]
        open_trading(organiser, fair.id, 8 * 60)
        categories = [c.id for c in fair_categories(fair.id)]
        for n in range(POSTS):
            create_post(people[n % len(people)], fair.id, PostData(
                kind=PostKind.OFFER if n % 3 else PostKind.NEED, category_id=categories[n % len(categories)],
                title=f"Zasób nr {n}: sala, sprzęt albo pomoc"))
        fixture = Fixture(url, people[0].login_secret, categories[0])
        db.session.remove()
        db.engine.dispose()
    return fixture


def _ask_together(url: str, clients: int) -> float:
    """Seconds from releasing `clients` clients at once until the last has its whole answer. Each
    opens its own connection: on a kept-alive one, `python -m app`'s gevent server answers every
    request after the first about 40 ms late (its socket has no TCP_NODELAY: the body's write
    waits for the client's delayed ACK of the headers), which would hide what is measured here."""
    barrier = threading.Barrier(clients + 1)
    done: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def ask() -> None:
        barrier.wait(TIMEOUT)
        try:
            r = requests.get(url, timeout=TIMEOUT, headers={"Connection": "close"})
            ok = r.status_code == 200 and "offers" in r.json()
        except requests.RequestException as exc:
            ok, r = False, exc  # type: ignore[assignment]
        with lock:
            done.append(time.perf_counter())
            if not ok:
                failures.append(repr(r))

    threads = [threading.Thread(target=ask) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait(TIMEOUT)
    started = time.perf_counter()
    for t in threads:
        t.join(TIMEOUT)
    if failures or len(done) != clients:
        raise RuntimeError(f"{len(failures)} failed, {clients - len(done)} unanswered: {failures[:3]}")
    return max(done) - started


def _measure(server_url: str, fixture: Fixture) -> dict[str, Any]:
    from tests.live import login_session, post_offer

    poster = login_session(server_url, SLUG, fixture.login_secret)
    stats_url = f"{server_url}/api/fairs/{SLUG}/stats"
    n = [0]

    def new_event() -> None:
        n[0] += 1
        post_offer(poster, server_url, SLUG, fixture.category_id, f"Nowa oferta {n[0]}")

    times: dict[str, list[float]] = {case: [] for case in CASES}
    for round_ in range(ROUNDS + 1):  # round 0 warms up
        order = list(CASES) if round_ % 2 == 0 else list(CASES)[::-1]
        for case in order:
            clients, fresh = CASES[case]
            if fresh:
                new_event()
            else:  # the snapshot of the current number is made (and, for 1 screen alone, kept)
                _ask_together(stats_url, 1)
            seconds = _ask_together(stats_url, clients)
            if round_:
                times[case].append(seconds)
    return times


def run() -> str:
    from tests.live import LiveServer

    with tempfile.TemporaryDirectory(prefix="bench-screens-") as name:
        tmp = Path(name)
        header = machine("Flask", "SQLAlchemy", "gevent", "Flask-Compress")
        started = time.perf_counter()
        fixture = _prepare(tmp)
        print(f"  fair built in {time.perf_counter() - started:.0f} s", flush=True)
        server = LiveServer(fixture.database_url, tmp, extra_env={"SOCKETIO_MESSAGE_QUEUE": "", "TASK_WORKERS": "0"})
        try:
            result = _measure(server.url, fixture)
            mode = next((line.rstrip(")").rsplit("(", 1)[-1] for line in server.log.read_text().splitlines()
                         if "Giełda on" in line), "its default server")
        finally:
            server.stop()
    return _section(header, mode, result)


def _section(header: str, mode: str, result: dict[str, list[float]]) -> str:
    ms = {case: statistics.median(values) * 1000 for case, values in result.items()}
    ratio = ms["many fresh"] / ms["one fresh"]
    compute = ms["one fresh"] - ms["one ready"]
    extra = ms["many fresh"] - ms["many ready"]
    label = {"one fresh": "floor: 1 screen, new number", "many fresh": f"{SCREENS} screens at once, new number",
             "many ready": f"{SCREENS} screens at once, snapshot ready", "one ready": "1 screen, snapshot ready"}
    rows = [f"| {label[case]} | {ms[case]:.1f} | {min(result[case]) * 1000:.1f} | {max(result[case]) * 1000:.1f} |"
            for case in CASES]
    return "\n".join([
        "## Many screens, one snapshot (`screens`)",
        "",
        header,
        "",
        f"Server: `python -m app` ({mode}) on a SQLite file; a fair of {PEOPLE:,} participants, {ORGS:,} "
        f"organisations and {POSTS:,} posts. Each round an offer is posted (the fair's event number moves, "
        "so no snapshot is ready), then the stats API (`/api/fairs/<slug>/stats`, what the big screen and "
        f"the control room re-read) is asked by {SCREENS} clients released together, each on a connection "
        "of its own (see below), and timed until the last has its answer. Floor: one client alone asking for a "
        "fresh snapshot the same way, in the same run. Also timed: the same requests when the snapshot is "
        f"already made (what serving them costs without computing anything). {ROUNDS} rounds of each, "
        "alternating the order; medians.",
        "",
        "| case | median (ms) | min (ms) | max (ms) |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"{SCREENS} screens after a new event take **{ratio:.1f}×** one screen alone. " + _computations(compute, extra),
        "",
        "Each client opens a connection of its own: on a kept-alive connection `python -m app`'s gevent "
        "server answers every request after the first about 40 ms late (its sockets have no TCP_NODELAY, so "
        "the write of the body waits for the client's delayed ACK of the headers; a bare gevent `pywsgi` "
        "server shows the same, ~44 ms a request, and ~1 ms with TCP_NODELAY on its listening socket), "
        "which would hide what is measured here — and slows every screen and phone that keeps its "
        "connection.",
    ])


def _computations(compute: float, extra: float) -> str:
    """What the difference between fresh and ready says about how often the snapshot was computed."""
    if compute <= 1.0:
        return (f"Computing the snapshot (1 screen: new number − ready, {compute:.1f} ms) is lost in the noise "
                "of this run, so the figures cannot tell how often it was computed.")
    return (f"Computing the snapshot costs about {compute:.1f} ms (1 screen: new number − ready); {SCREENS} screens "
            f"after a new event cost {extra:.1f} ms more than {SCREENS} screens with it ready, i.e. "
            f"**{extra / compute:.1f} computations' worth** for {SCREENS} requests (1 is the one that must run; "
            f"without sharing it would be {SCREENS}, about {SCREENS * compute:.0f} ms; near 0 or below is "
            "this run's noise). One "
            "computes, the others wait for it and share it (app/core/storage/snapshots.py); the rest of the "
            f"{SCREENS}-screen time is serving {SCREENS} HTTP requests (the fair looked up, JSON, gzip) and this "
            "process's own client threads.")
