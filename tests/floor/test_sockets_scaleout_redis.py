"""Several server processes: with SOCKETIO_MESSAGE_QUEUE pointing at the real Redis on this
machine, an offer posted through one process reaches a phone connected to another.

Redis is required: when it does not answer the test fails (never skips), in CI and outside it.
Each run uses its own channel, so concurrent runs on one Redis never see each other's events
(Redis pub/sub ignores database numbers, so the channel is what keeps them apart)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.fairs.models import Fair
from app.people.models import Participant
from tests.conftest import PASSWORD
from tests.live import Listener, LiveServer, cookie_header, csrf_token, login_session, post_offer, staff_session


@pytest.fixture
def batch_seconds() -> str:
    return "0.1"


@pytest.fixture
def two_servers(app: Flask, database_url: str, tmp_path: Path, redis_url: str,
                batch_seconds: str) -> Iterator[tuple[LiveServer, ...]]:
    """Two `python -m app` processes on one database and one Redis channel, same settings."""
    env = {"SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": f"gielda-test-{uuid.uuid4().hex}",
           "LIVE_BATCH_SECONDS": batch_seconds}
    servers: list[LiveServer] = []
    try:
        for _ in range(2):
            servers.append(LiveServer(database_url, tmp_path, extra_env=env, wait=False))
        for server in servers:
            server.wait_ready()
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()


def test_offer_posted_through_one_process_reaches_a_phone_on_another(
        two_servers: tuple[LiveServer, LiveServer], trading_fair: Fair,
        make_participant: Callable[..., Participant], category: Callable[[str], int],
        listeners: Callable[[], Listener]) -> None:
    a, b = two_servers
    reader = make_participant("Zofia", "Żak")
    phone_b = listeners().connect(
        b.url, headers={"Cookie": cookie_header(login_session(b.url, trading_fair.slug, reader.login_secret))})
    screen_a = listeners().connect(a.url, auth={"fair": trading_fair.slug, "screen": trading_fair.display_token})

    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http_a = login_session(a.url, trading_fair.slug, author.login_secret)
    post_id = post_offer(http_a, a.url, trading_fair.slug, category("rooms"), "Sala gimnastyczna w soboty")

    on_b = phone_b.next_event("post.created")
    assert on_b["data"]["id"] == post_id
    assert on_b["data"]["title"] == "Sala gimnastyczna w soboty"
    on_a = screen_a.next_event("post.created")
    assert on_a == on_b
    # Exactly once in each process, and process B's resync agrees (one database).
    assert [e for e in phone_b.drain() if e["type"] == "post.created"] == []
    assert [e for e in screen_a.drain() if e["type"] == "post.created"] == []
    assert phone_b.resync(on_b["seq"] - 1)["events"] == [on_b]


def test_revoking_a_login_through_one_process_closes_the_phone_on_another_at_once(
        two_servers: tuple[LiveServer, LiveServer], fair: Fair, organiser: Participant,
        make_participant: Callable[..., Participant], listeners: Callable[[], Listener]) -> None:
    a, b = two_servers
    person = make_participant("Zofia", "Żak")
    phone_b = listeners().connect(
        b.url, headers={"Cookie": cookie_header(login_session(b.url, fair.slug, person.login_secret))})
    assert phone_b.sio.connected

    desk_a = staff_session(a.url, fair.slug, organiser.email, PASSWORD)
    page = desk_a.get(f"{a.url}/f/{fair.slug}/admin/participants/{person.id}", timeout=10)
    r = desk_a.post(f"{a.url}/f/{fair.slug}/admin/participants/{person.id}/revoke",
                    data={"csrf_token": csrf_token(page.text)}, allow_redirects=False, timeout=10)
    assert r.status_code == 303

    ended = phone_b.next_event("session.ended")
    assert ended["stream"] == "me" and ended["data"] == {"reason": "revoked"}
    assert phone_b.wait_disconnected(), "the phone on the other process is still connected"


@pytest.mark.parametrize("batch_seconds", ["3"])  # the sender's rest: the later posts fit in it
def test_posts_through_both_processes_reach_a_phone_as_one_message_per_round(
        two_servers: tuple[LiveServer, LiveServer], trading_fair: Fair,
        make_participant: Callable[..., Participant], category: Callable[[str], int],
        listeners: Callable[[], Listener]) -> None:
    """Each process batches what it delivers, whichever process committed it: posts made through
    A and through B while B's sender rests reach B's phone together, in sequence order."""
    a, b = two_servers
    reader = make_participant("Zofia", "Żak")
    phone_b = listeners().connect(
        b.url, headers={"Cookie": cookie_header(login_session(b.url, trading_fair.slug, reader.login_secret))})
    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http_a = login_session(a.url, trading_fair.slug, author.login_secret)
    http_b = login_session(b.url, trading_fair.slug, author.login_secret)
    rooms = category("rooms")

    first = post_offer(http_a, a.url, trading_fair.slug, rooms, "Sala nr 1")
    assert phone_b.next_event("post.created")["data"]["id"] == first  # after a quiet moment: at once
    later = [post_offer(http_b, b.url, trading_fair.slug, rooms, "Sala nr 2"),
             post_offer(http_a, a.url, trading_fair.slug, rooms, "Sala nr 3")]
    got = [phone_b.next_event("post.created") for _ in later]

    assert [e["data"]["id"] for e in got] == later
    assert got[1]["seq"] == got[0]["seq"] + 1
    assert phone_b.batch_sizes == [2]  # one message for the two, though two processes committed them
