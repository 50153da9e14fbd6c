"""`python -m load.run --spec SPEC --target URL --phones N [--scenario gong|trading]
[--seconds S] --out RESULT.json`: one locust run of N phones, its figures as JSON.

The gong: all N phones start at once (spawn rate N) and each does the gong flow once, then
stays connected. Trading: after the gong flow, phones search, post, and draft and sign
agreements for S seconds. Then a marker offer is posted and every connected phone must receive
it; each phone's public sequence numbers must run without a gap from its first to the marker."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import gevent
import locust  # noqa: F401  (first: it patches the process with gevent)
import requests
from locust.env import Environment
from locust.stats import StatsEntry

from load import phones
from load.forms import form_with

GONG_DEADLINE = 300.0  # seconds for every phone to finish the gong flow
# The marker must reach every connected phone. A hall's fan-out (every post to every phone) can
# put the one load process minutes behind on a small machine: the run waits as long as events keep
# arriving, and gives up once none has arrived for MARKER_STALL seconds (or after MARKER_CAP).
MARKER_STALL = 30.0
MARKER_CAP = 900.0
CLOSE_CAP = 120.0  # seconds for phones half-way through a tap to finish once trading closes


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"count": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


def _entry(e: StatsEntry) -> dict[str, Any]:
    return {"requests": e.num_requests, "failures": e.num_failures,
            "p50": e.get_response_time_percentile(0.50), "p95": e.get_response_time_percentile(0.95),
            "p99": e.get_response_time_percentile(0.99), "max": e.max_response_time}


def post_marker(spec: dict[str, Any], target: str, hall: phones.Hall) -> str:
    """One more offer, from phone 0's own session, once every phone is connected."""
    slug, phone = spec["slug"], spec["phones"][0]
    http = requests.Session()
    login = http.get(f"{target}/f/{slug}/login/{phone['secret']}", allow_redirects=False, timeout=30)
    page = http.get(f"{target}/f/{slug}/posts/new", timeout=30)
    try:
        fields = form_with(page.text, "title")
    except KeyError:
        hall.problems.append(f"marker: login {login.status_code}, post form {page.status_code} {page.url}")
        return ""
    title = f"Znacznik końca {time.time():.3f}"
    fields.update(kind="offer", category_id=str(spec["categories"][0]), title=title)
    hall.sent[title] = time.time()
    r = http.post(f"{target}/f/{slug}/posts/new", data=fields, allow_redirects=False, timeout=30)
    if r.status_code != 303:
        hall.problems.append(f"marker post answered {r.status_code}")
    return title


def lost_events(hall: phones.Hall, marker_seq: int | None) -> dict[str, int]:
    """Per connected phone, the public sequence numbers missing between the one its board page
    showed (or, without it, the first it received) and the marker's, counting what it received
    live and what its resync on connecting returned (as static/js/live.js does); and how many
    arrived live twice."""
    lost = repeated = missing_marker = 0
    for index, seqs in hall.seqs.items():
        got = set(seqs) | hall.replayed.get(index, set())
        repeated += len(seqs) - len(set(seqs))
        if marker_seq is None or marker_seq not in got:
            missing_marker += 1
            continue
        start = hall.page_seq[index] + 1 if index in hall.page_seq else min(got)
        lost += len(set(range(start, marker_seq + 1)) - got)
    return {"lost": lost, "repeated": repeated, "phones_without_marker": missing_marker}


def run(spec: dict[str, Any], target: str, n: int, scenario: str, seconds: float,
        posters: int | None = None) -> dict[str, Any]:
    hall = phones.Hall(spec=spec, scenario=scenario, trading_seconds=seconds, posters=posters)
    phones.HALL = hall
    env = Environment(user_classes=[phones.Phone], host=target)
    runner = env.create_local_runner()
    started = time.perf_counter()
    runner.start(n, spawn_rate=n)
    deadline = started + GONG_DEADLINE
    while hall.flows_done < n and time.perf_counter() < deadline:
        gevent.sleep(0.1)  # polling the run's own counter
    gong_seconds = time.perf_counter() - started
    gong_stats = {name: _entry(e) for (name, _method), e in env.stats.entries.items()}
    if scenario == "trading":
        gevent.sleep(seconds)  # the trading period runs for its length
        # The period closes: no phone starts another tap, and those half-way through finish, so that
        # the marker is the last event and every signature the server committed is counted here.
        hall.closed = True
        closing = time.perf_counter()
        while hall.busy and time.perf_counter() - closing < CLOSE_CAP:
            gevent.sleep(0.1)  # polling the run's own counter
        if hall.busy:
            hall.problems.append(f"{hall.busy} phones still busy {CLOSE_CAP:.0f} s after the period closed")
    marker = post_marker(spec, target, hall)
    marker_posted = time.perf_counter()
    marker_seq: int | None = None

    def marker_reached() -> int:
        return sum(1 for i, s in hall.seqs.items()
                   if marker_seq is not None and (marker_seq in s or marker_seq in hall.replayed.get(i, ())))

    received, last_arrival = -1, marker_posted
    while time.perf_counter() - marker_posted < MARKER_CAP:
        if marker_seq is None:
            marker_seq = hall.seq_of.get(marker)
        if marker_seq is not None and marker_reached() >= hall.connected:
            break
        arrived = sum(len(s) for s in hall.seqs.values())
        if arrived != received:  # still arriving: keep waiting
            received, last_arrival = arrived, time.perf_counter()
        elif time.perf_counter() - last_arrival > MARKER_STALL:
            break  # nothing has arrived for a while: what has not come will not
        gevent.sleep(0.1)  # polling what arrived
    marker_wait = time.perf_counter() - marker_posted
    elapsed = time.perf_counter() - started
    exceptions = [{"count": e["count"], "error": e["msg"][:300]} for e in runner.exceptions.values()]
    hall.ending = True
    runner.quit()
    http = StatsEntry(env.stats, "HTTP", "")
    for (_name, method), e in env.stats.entries.items():
        if method != "WS":
            http.extend(e)
    return {
        "phones": n, "posters": n if posters is None else posters, "scenario": scenario, "target": target,
        "seconds": round(elapsed, 2),
        "gong_seconds": round(gong_seconds, 2), "marker_wait_seconds": round(marker_wait, 2),
        "flows_done": hall.flows_done, "connected": hall.connected,
        "requests": {name: _entry(e) for (name, _method), e in env.stats.entries.items()},
        "gong_requests": gong_stats,
        "http": _entry(http), "throughput": round(http.num_requests / elapsed, 1),
        "errors": [{"name": e.name, "error": str(e.error), "count": e.occurrences} for e in env.stats.errors.values()],
        "delivery_ms": _percentiles(hall.delivery_ms), "events": lost_events(hall, marker_seq),
        "agreements_signed": hall.agreements_signed, "problems": hall.problems[:20],
        "sockets_dropped": dict(hall.dropped), "busy_refusals": hall.busy_refusals,
        "exceptions": exceptions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--phones", type=int, required=True)
    parser.add_argument("--scenario", choices=("gong", "trading"), default="gong")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--posters", type=int, help="only the first this many phones post (default: all)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    result = run(spec, args.target.rstrip("/"), args.phones, args.scenario, args.seconds, args.posters)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
