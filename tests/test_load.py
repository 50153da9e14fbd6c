"""`make load` works: a short trading period (gong flow first) of a dozen phones against
`python -m app`, driven by the harness exactly as `make load` drives it (locust phones with real
Socket.IO clients, the real forms), loses nothing and leaves the ledger and the event streams
whole. The floor it is compared with (load/floor.py) does what a phone asks, with nothing
behind it: its posts are numbered on from the board page's number, and a resync returns what
came after."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from load.__main__ import ONE_ADDRESS, PY, _copy_database, _errors, checks, drive, prepare, serve
from load.floor import make_floor

PHONES = 12


@pytest.mark.slow
def test_a_short_trading_period_loses_no_event_and_keeps_the_ledger_whole(tmp_path: Path) -> None:
    db_file, spec = prepare(tmp_path, PHONES)
    assert len(json.loads(spec.read_text(encoding="utf-8"))["phones"]) == PHONES
    instance = tmp_path / "run"
    instance.mkdir()
    database_url = _copy_database(db_file, instance)
    env = {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "TASK_WORKERS": "1",
           "SECRET_KEY": "load-test", **ONE_ADDRESS}
    with serve([PY, "-m", "app"], env, tmp_path / "app.log") as app:
        result = drive(spec, app.url, PHONES, tmp_path / "result.json", "trading", 8)
    assert _errors(result) == 0, json.dumps({k: result[k] for k in ("requests", "exceptions", "problems")}, indent=1)
    assert result["flows_done"] == result["connected"] == PHONES
    assert result["events"] == {"lost": 0, "repeated": 0, "phones_without_marker": 0}
    assert result["delivery_ms"]["count"] >= PHONES  # every phone got at least the marker
    assert result["requests"]["resync"]["requests"] == PHONES  # each phone caught up once connected, as live.js does
    for name in ("login link", "board", "socket connect", "post form", "post", "board search"):
        assert result["requests"][name]["requests"] >= 1, name
    after = checks(database_url)
    assert after["ledger_ok"], after["ledger_problems"]
    assert after["public_gaps"] == 0 and after["private_gaps"] == 0
    assert after["public_events"] == after["public_seq"] > PHONES  # a post per phone at least, and the marker
    assert after["agreements_signed"] == result["agreements_signed"] >= 1  # drafted, both signed, through the pages


BOARD = '<div id="board" class="posts" data-seq="41" data-filtered="0"></div>'


def spec() -> dict[str, Any]:
    event = {"seq": 1, "stream": "fair", "type": "post.created", "fair_id": 7, "data": {"id": 1, "title": ""}}
    return {"slug": "load", "fair_id": 7, "pages": {"board": BOARD, "post_form": "<form></form>"}, "event": event}


def test_the_floor_numbers_posts_on_from_the_page_and_resyncs_what_came_after() -> None:
    app, sio = make_floor(spec())
    phone = sio.test_client(app)
    http = app.test_client()
    for title in ("Sala", "Rzutnik"):
        assert http.post("/f/load/posts/new", data={"title": title}).status_code == 303
    live = [m["args"][0] for m in phone.get_received() if m["name"] == "event"]
    assert [(m["seq"], m["data"]["title"]) for m in live] == [(42, "Sala"), (43, "Rzutnik")]

    reply = phone.emit("resync", {"after": 42}, callback=True)

    assert reply["ok"] and reply["seq"] == 43
    assert [m["data"]["title"] for m in reply["events"]] == ["Rzutnik"]


def test_the_pages_costs_are_measured_for_gielda_and_the_floor_through_the_real_pages(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from app import create_app
    from app.core.extensions import db
    from app.floor.models import Post
    from load.pages import PAGES, costs

    db_file, spec_file = prepare(tmp_path, PHONES)
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    app = create_app({"DATABASE_URL": f"sqlite:///{db_file}", "INSTANCE_PATH": str(db_file.parent),
                      "SECRET_KEY": "load-test", "TASK_WORKERS": 0})
    with app.app_context():
        before = db.session.scalar(select(func.count(Post.id)))
    gielda = costs(app, spec, 6, rounds=2)
    floor_app, _sio = make_floor(spec)
    floor = costs(floor_app, spec, 6, rounds=2, floor=True)
    assert list(gielda) == list(floor) == list(PAGES)
    assert all(value > 0 for value in [*gielda.values(), *floor.values()])
    with app.app_context():  # every post went through the real form: 6 phones, 2 rounds
        assert db.session.scalar(select(func.count(Post.id))) == before + 12


def _burst(cpu_s: float, p95: float, errors: int = 0) -> dict[str, Any]:
    return {"http": {"p50": p95 / 2, "p95": p95, "p99": p95}, "cpu_s": cpu_s, "flows_done": 200, "gong_seconds": 1.0,
            "requests": {"post": {"failures": errors}}, "problems": [], "phones": 200, "delivery_ms": {},
            "events": {"lost": 0, "phones_without_marker": 0}, "checks": {"ledger_ok": True}}


def test_the_verdict_takes_the_median_run_of_each_side() -> None:
    from load.__main__ import section

    pairs = [{"floor": _burst(1.0, 300), "gielda": _burst(2.4, 550)},
             {"floor": _burst(2.2, 400), "gielda": _burst(9.0, 2000)},  # a busy moment of the machine
             {"floor": _burst(1.2, 320), "gielda": _burst(2.8, 600)}]
    text = section({("gevent", 200): pairs}, None, 0, 60)
    assert "(3 runs, medians): p95 600 ms (target ≤ 1,000 and ≤ 2× the floor's 320), CPU 2.33× the floor" in text
    assert "**met**" in text
    assert text.count("| gevent | 200 |") == 6  # every run's floor and Giełda rows are shown
