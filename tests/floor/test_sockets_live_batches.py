"""A serving process sends live events at most once per LIVE_BATCH_SECONDS
(app/core/storage/outbox.py): a post after a quiet moment reaches a phone at once as one `event`;
posts made while the sender rests arrive together as one `events` message, every event once, in
sequence order. Against a real server process (`python -m app`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.fairs.models import Fair
from app.people.models import Participant
from tests.live import Listener, LiveServer, cookie_header, login_session, post_offer

WINDOW = "3"  # seconds: the second and third of three posts sent one after another fit in it


@pytest.fixture
def live(app: Flask, database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path, extra_env={"LIVE_BATCH_SECONDS": WINDOW})
    yield server
    server.stop()


@pytest.fixture
def phone(live: LiveServer, trading_fair: Fair, make_participant: Callable[..., Participant]) -> Iterator[Listener]:
    person = make_participant()
    listener = Listener().connect(live.url, headers={
        "Cookie": cookie_header(login_session(live.url, trading_fair.slug, person.login_secret))})
    yield listener
    listener.close()


def test_posts_made_while_the_sender_rests_arrive_as_one_batch_in_order(live, trading_fair, make_participant,
                                                                   category, phone):
    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http = login_session(live.url, trading_fair.slug, author.login_secret)
    rooms = category("rooms")
    ids = [post_offer(http, live.url, trading_fair.slug, rooms, f"Sala nr {n}") for n in range(3)]

    got = [phone.next_event("post.created") for _ in ids]

    assert [e["data"]["id"] for e in got] == ids
    seqs = [e["seq"] for e in got]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert phone.batch_sizes == [2]  # the first at once, then one message for the other two
    after = post_offer(http, live.url, trading_fair.slug, rooms, "Sala nr 3")
    assert phone.next_event("post.created")["data"]["id"] == after  # nothing of the batch came twice


def test_a_post_alone_arrives_as_a_single_event(live, trading_fair, make_participant, category, phone):
    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http = login_session(live.url, trading_fair.slug, author.login_secret)
    post_id = post_offer(http, live.url, trading_fair.slug, category("rooms"), "Rzutnik na sobotę")

    assert phone.next_event("post.created")["data"]["id"] == post_id
    assert phone.batch_sizes == []


def test_a_server_stopping_sends_what_waits_before_closing_the_sockets(
        app, database_url, tmp_path, trading_fair, make_participant, category):
    """SIGTERM (systemd, Ctrl-C) while an event waits for the sender's next round: it reaches the
    phone before the phone's socket is closed."""
    server = LiveServer(database_url, tmp_path, extra_env={"LIVE_BATCH_SECONDS": "600"})
    try:
        person = make_participant()
        listener = Listener().connect(server.url, headers={
            "Cookie": cookie_header(login_session(server.url, trading_fair.slug, person.login_secret))})
        author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
        http = login_session(server.url, trading_fair.slug, author.login_secret)
        rooms = category("rooms")
        first = post_offer(http, server.url, trading_fair.slug, rooms, "Sala nr 1")
        assert listener.next_event("post.created")["data"]["id"] == first  # at once; the sender now rests 600 s
        second = post_offer(http, server.url, trading_fair.slug, rooms, "Sala nr 2")

        server.stop()

        assert listener.next_event("post.created")["data"]["id"] == second
        listener.close()
    finally:
        server.stop()
