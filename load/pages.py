"""What a phone's four pages cost the server, one at a time: the login link, the board, the post
form and the post, for Giełda and for the floor (load/floor.py), each through Flask's test
client in this process, in CPU milliseconds per request (the least of several rounds, so that a
busy moment of the machine does not count). The gong burst's latency follows these figures: the
burst keeps the server busy, and each phone's request waits behind about one of every other
phone's (docs/benchmarks.md, the load section).

`python -m load.pages --spec SPEC [--phones N] [--rounds R]` with DATABASE_URL and INSTANCE_PATH
of the database `python -m load.prepare` built for SPEC (its posts are added to that database)."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import create_app
from load.floor import make_floor
from load.forms import form_with

PAGES = ("login link", "board", "post form", "post")


def _least(measure: Callable[[int], float], n: int, rounds: int) -> float:
    """The least mean, over `rounds` rounds of `n` requests, of what `measure(i)` returns (s)."""
    return min(sum(measure(i) for i in range(n)) / n for _ in range(rounds)) * 1000


def _timed(call: Callable[[], Any]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def _expect(status: int, *allowed: int) -> None:
    if status not in allowed:
        raise RuntimeError(f"answered {status}, expected {allowed}")


def costs(app: Any, spec: dict[str, Any], phones: int, rounds: int, floor: bool = False) -> dict[str, float]:
    """CPU ms per request of each page of `PAGES` for `phones` phones of the spec."""
    slug, people = spec["slug"], spec["phones"][:phones]
    if len(people) < phones:
        raise ValueError(f"the spec has {len(people)} phones")
    clients = []
    for person in people:
        client = app.test_client()
        _expect(client.get(f"/f/{slug}/login/{person['secret']}").status_code, 302, 303)
        client.get(f"/f/{slug}/board")  # what the login left to show (a greeting) is shown
        clients.append(client)
    categories = spec["categories"]
    posted = iter(range(10**9))

    def login(i: int) -> float:
        fresh = app.test_client()
        return _timed(lambda: _expect(fresh.get(f"/f/{slug}/login/{people[i]['secret']}").status_code, 302, 303))

    def page(path: str) -> Callable[[int], float]:
        return lambda i: _timed(lambda: _expect(clients[i].get(f"/f/{slug}/{path}").status_code, 200))

    def post(i: int) -> float:
        fields = {"title": "x"} if floor else form_with(
            clients[i].get(f"/f/{slug}/posts/new").get_data(as_text=True), "title")
        fields.update(kind="offer", category_id=str(categories[i % len(categories)]),
                      title=f"Oferta {next(posted)}: sala na 30 osób", details="Z rzutnikiem i nagłośnieniem.")
        return _timed(lambda: _expect(clients[i].post(f"/f/{slug}/posts/new", data=fields).status_code, 303))

    measures = {"login link": login, "board": page("board"), "post form": page("posts/new"), "post": post}
    return {name: round(_least(measures[name], phones, rounds), 3) for name in PAGES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    floor_app, _sio = make_floor(spec)
    pages = {"gielda": costs(create_app(), spec, args.phones, args.rounds),
             "floor": costs(floor_app, spec, args.phones, args.rounds, floor=True)}
    totals = {who: round(sum(pages[who].values()), 3) for who in pages}
    print(json.dumps({**pages, "four pages": totals, "ratio": round(totals["gielda"] / totals["floor"], 2)},
                     indent=1))


if __name__ == "__main__":
    main()
