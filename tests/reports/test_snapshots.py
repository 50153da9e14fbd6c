"""Snapshots shared by every screen and control room of a fair (app/reports/snapshots.py): many
requests at the same public event number run the stats queries once, concurrent ones included;
a new event, or any other committed change, makes the next request compute again; what a
snapshot holds never reaches a viewer who may not see it (another fair, another language, a
non-organiser asking for the control room's lists)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from app.core.extensions import db
from app.core.storage.snapshots import snapshot_cache
from app.fairs.models import Fair
from app.people.models import Participant
from app.people.participants import remove_participant
from app.reports import snapshots

WAIT = 30.0  # seconds: the most the concurrent requests may take to all arrive


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run while inside, in order."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def fair_lookups_only(seen: list[str]) -> bool:
    """Whether every statement only looked the fair up (what a request needs to know the number)."""
    return bool(seen) and all("FROM fairs" in s and "JOIN" not in s for s in seen)


def get_stats(client: Any, slug: str, **params: str) -> tuple[dict[str, Any], list[str]]:
    db.session.expire_all()
    with statements() as seen:
        r = client.get(f"/api/fairs/{slug}/stats", query_string=params)
    assert r.status_code == 200, r.data
    return r.json, list(seen)


def test_many_requests_at_one_event_number_run_the_stats_queries_once(
        app: Flask, client: Any, trading_fair: Fair, make_participant: Callable[..., Participant],
        make_post: Callable[..., Any]) -> None:
    make_post(make_participant(), "Sala na 40 osób")
    first, seen = get_stats(client, trading_fair.slug)
    assert first["offers"] == 1 and len(seen) >= 5  # the counters' own queries
    for _ in range(9):
        again, seen = get_stats(client, trading_fair.slug)
        assert again == first
        assert fair_lookups_only(seen), seen
    assert snapshot_cache(app).computed == 1

    # A new event: the next request computes again, and shows it.
    make_post(make_participant("Bożena", "Kłos"), "Rzutnik")
    fresh, seen = get_stats(client, trading_fair.slug)
    assert fresh["offers"] == 2 and fresh["event_seq"] > first["event_seq"]
    assert not fair_lookups_only(seen)
    assert snapshot_cache(app).computed == 2


def test_a_change_without_a_public_event_is_seen_at_once(
        app: Flask, client: Any, fair: Fair, organiser: Participant,
        make_participant: Callable[..., Participant]) -> None:
    leaving = make_participant("Zenon", "Źrebię", organisation="Klub Sportowy Sokół")
    before, _ = get_stats(client, fair.slug)
    remove_participant(organiser, fair.id, leaving.id)  # only the person's private stream hears of it
    after, seen = get_stats(client, fair.slug)
    assert after["event_seq"] == before["event_seq"]
    assert after["participants"] == before["participants"] - 1
    assert not fair_lookups_only(seen)


def test_the_screen_and_the_control_room_share_the_counters_of_the_api(
        app: Flask, client: Any, trading_fair: Fair, organiser: Participant,
        login: Callable[[Participant], None], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = snapshots.fair_stats
    monkeypatch.setattr(snapshots, "fair_stats", lambda fair: calls.append(1) or original(fair))
    login(organiser)
    get_stats(client, trading_fair.slug)
    for url in (f"/f/{trading_fair.slug}/screen/{trading_fair.display_token}", f"/f/{trading_fair.slug}/admin/control",
                f"/f/{trading_fair.slug}/admin/control/panels"):
        assert client.get(url).status_code == 200, url
    assert len(calls) == 1  # the counters, once for the API, the screen and the control room
    assert snapshot_cache(app).computed == 2  # and the control room's lists, once for the page and its fragment


def test_concurrent_requests_at_one_number_compute_once(
        app: Flask, trading_fair: Fair, make_participant: Callable[..., Participant],
        make_post: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    make_post(make_participant(), "Sala na 40 osób")
    cache = snapshot_cache(app)
    screens = 20
    calls: list[int] = []
    original = snapshots.fair_stats

    def counted(fair: Fair) -> dict[str, Any]:
        calls.append(1)
        deadline = time.monotonic() + WAIT
        while cache.pending() < screens:  # every other request is waiting for this one
            assert time.monotonic() < deadline, f"only {cache.pending()} of {screens} requests arrived"
            time.sleep(0.01)  # polling the cache's own count of waiting requests
        return original(fair)

    monkeypatch.setattr(snapshots, "fair_stats", counted)
    answers: list[Any] = []
    lock = threading.Lock()
    url = f"/api/fairs/{trading_fair.slug}/stats"

    def ask() -> None:
        r = app.test_client().get(url)
        with lock:
            answers.append((r.status_code, r.json))

    threads = [threading.Thread(target=ask) for _ in range(screens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=WAIT * 2)
    assert len(answers) == screens
    assert {code for code, _ in answers} == {200}
    assert all(body == answers[0][1] for _, body in answers) and answers[0][1]["offers"] == 1
    assert len(calls) == 1 and cache.computed == 1


def test_fairs_and_languages_each_have_their_own_snapshot(
        app: Flask, client: Any, fair: Fair, make_fair: Callable[..., Fair]) -> None:
    other = make_fair(name="Giełda Zasobów Gniew")
    assert other.event_seq == fair.event_seq  # the same number: only the fair tells them apart
    mine, _ = get_stats(client, fair.slug)
    theirs, _ = get_stats(client, other.slug)
    assert (mine["fair"], theirs["fair"]) == (fair.slug, other.slug)

    polish = next(c["name"] for c in mine["posts_by_category"] if c["key"] == "rooms")
    english_stats, _ = get_stats(client, fair.slug, lang="en")
    english = next(c["name"] for c in english_stats["posts_by_category"] if c["key"] == "rooms")
    assert (polish, english) == ("Sale i pomieszczenia", "Rooms")
    again, _ = get_stats(client, fair.slug)
    assert next(c["name"] for c in again["posts_by_category"] if c["key"] == "rooms") == polish


def test_the_control_rooms_lists_reach_only_organisers_of_their_fair(
        app: Flask, client: Any, trading_fair: Fair, organiser: Participant, notary: Participant,
        make_participant: Callable[..., Participant], login: Callable[[Participant], None]) -> None:
    make_participant("Bożena", "Cicha")
    url = f"/f/{trading_fair.slug}/admin/control/panels"
    login(organiser)
    shown = client.get(url)
    assert shown.status_code == 200 and "Bożena Cicha" in shown.get_data(as_text=True)
    assert snapshot_cache(app).computed == 1

    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 303, 401, 403) and "Bożena Cicha" not in anonymous.get_data(as_text=True)
    login(notary)
    refused = client.get(url)
    assert refused.status_code == 403 and "Bożena Cicha" not in refused.get_data(as_text=True)
