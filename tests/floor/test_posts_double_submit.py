"""A double submit of a new post does one thing: the form carries a one-time key, the service
stores it (bound to the author) under a unique constraint and serialises the requests carrying
it, and a second call with the same key — one after the other, or at the same moment in threads
(SQLite and PostgreSQL), or through a real server — returns the first post instead of creating
another."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.core.errors import ValidationError
from app.core.events import DomainEvent
from app.core.extensions import db
from app.core.formkeys import Sent, new_key
from app.fairs.models import Fair
from app.floor import posts as post_services
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post, post_for_form_key, submit_post
from app.people.models import Participant
from tests.concurrency import in_threads, race_on_one_key
from tests.live import LiveServer, login_session, post_form

THREADS = 8
KEY_INPUT = re.compile(r'name="key"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="key"')


def posts_count() -> int:
    db.session.rollback()  # a fresh snapshot: see what other threads committed
    return int(db.session.scalar(select(func.count()).select_from(Post)) or 0)


def created_events() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DomainEvent)
                                 .where(DomainEvent.type == "post.created")) or 0)


@pytest.fixture
def author(trading_fair: Fair, make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")


@pytest.fixture
def room(category: Callable[[str], int]) -> PostData:
    return PostData(kind=PostKind.OFFER, category_id=category("rooms"), title="Sala na 30 osób")


# --- the service ---------------------------------------------------------------------------

def test_the_same_key_twice_creates_one_post_and_returns_it(author: Participant, room: PostData) -> None:
    key = new_key()
    first = create_post(author, author.fair_id, room, form_key=key)
    second = create_post(author, author.fair_id, room, form_key=key)
    assert second.id == first.id
    assert posts_count() == 1 and created_events() == 1  # the board heard of it once
    assert post_for_form_key(author, author.fair_id, key).id == first.id


def test_different_keys_and_no_key_create_separate_posts(author: Participant, room: PostData) -> None:
    create_post(author, author.fair_id, room, form_key=new_key())
    create_post(author, author.fair_id, room, form_key=new_key())
    create_post(author, author.fair_id, room)
    assert posts_count() == 3


def test_a_key_is_bound_to_its_author(author: Participant, room: PostData,
                                      make_participant: Callable[..., Participant]) -> None:
    """Someone else sending the same key gets a post of their own, never the author's."""
    key = new_key()
    mine = create_post(author, author.fair_id, room, form_key=key)
    colleague = make_participant("Jan", "Kos", organisation="Fundacja Źdźbło")  # even from the same organisation
    theirs = create_post(colleague, author.fair_id, room, form_key=key)
    assert theirs.id != mine.id and theirs.author_id == colleague.id
    assert post_for_form_key(colleague, author.fair_id, key).id == theirs.id
    assert post_for_form_key(author, author.fair_id, key).id == mine.id


def test_a_replay_after_trading_closed_still_answers_with_the_post(author: Participant, room: PostData,
                                                                   organiser: Participant) -> None:
    from app.fairs.trading import close_trading

    key = new_key()
    first = create_post(author, author.fair_id, room, form_key=key)
    close_trading(organiser, author.fair_id)
    assert create_post(author, author.fair_id, room, form_key=key).id == first.id


@pytest.mark.parametrize("key", ["", "x" * 32, "ABCDEF0123456789ABCDEF0123456789", "1:" + "a" * 30])
def test_a_malformed_key_is_refused(author: Participant, room: PostData, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        create_post(author, author.fair_id, room, form_key=key)
    assert err.value.code == "invalid_form_key"
    assert posts_count() == 0


def test_the_same_key_from_many_threads_at_once_creates_one_post(app: Flask, author: Participant,
                                                                 room: PostData) -> None:
    author_id, fair_id, key = author.id, author.fair_id, new_key()

    def send() -> Post:
        return create_post(db.session.get_one(Participant, author_id), fair_id, room, form_key=key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({post_id for _, post_id in results}) == 1
    assert posts_count() == 1 and created_events() == 1


def test_the_form_service_says_whether_this_request_created_the_post(author: Participant, room: PostData) -> None:
    key = new_key()
    first = submit_post(author, author.fair_id, room, key)
    second = submit_post(author, author.fair_id, room, key)
    assert (first.created, second.created) == (True, False) and first.row.id == second.row.id
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.target)
                                 .where(AuditEvent.action == "posts.submit_post")).tuples().all()
    assert actions == [("posts.submit_post", f"Post#{first.row.id}")] * 2  # both calls, one post


def test_of_many_identical_forms_at_once_exactly_one_is_told_it_posted(app: Flask, author: Participant,
                                                                        room: PostData) -> None:
    author_id, fair_id, key = author.id, author.fair_id, new_key()

    def send() -> Sent[Post]:
        return submit_post(db.session.get_one(Participant, author_id), fair_id, room, key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({post_id for _, (post_id, _created) in results}) == 1
    assert sorted(created for _, (_post_id, created) in results) == [False] * (THREADS - 1) + [True]
    assert posts_count() == 1


@pytest.mark.postgresql_only
def test_a_post_sent_while_the_first_is_still_uncommitted_waits_and_returns_the_first(
        app: Flask, monkeypatch: pytest.MonkeyPatch, author: Participant, room: PostData) -> None:
    """The first request has inserted its post and not committed yet (it is held open): the
    second, which would find nothing and insert a duplicate, waits for the first's lock on the
    key and then finds the first's post."""
    author_id, fair_id, key = author.id, author.fair_id, new_key()

    def send() -> Post:
        return create_post(db.session.get_one(Participant, author_id), fair_id, room, form_key=key)

    first, second = race_on_one_key(app, monkeypatch, post_services, "record_event", send)
    assert first[0] == "ok" and second == first, (first, second)
    assert posts_count() == 1 and created_events() == 1


# --- the form ------------------------------------------------------------------------------

def key_on(page: str) -> str:
    match = KEY_INPUT.search(page)
    assert match, "the form has no one-time key"
    return match.group(1) or match.group(2)


def form_data(category_id: int, key: str, title: str = "Wolontariusze na festyn") -> dict[str, str]:
    return {"key": key, "kind": "need", "category_id": str(category_id), "title": title, "details": "",
            "quantity": "5", "unit": "people", "available_when": "czerwiec"}


def test_the_form_sent_twice_posts_once_and_the_second_lands_on_the_same_post(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        category: Callable[[str], int]) -> None:
    login(author)
    page = client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True)
    key = key_on(page)
    assert key != key_on(client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True))
    data = form_data(category("volunteers"), key)
    first = client.post(f"/f/{trading_fair.slug}/posts/new", data=data)
    second = client.post(f"/f/{trading_fair.slug}/posts/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert posts_count() == 1
    landed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Ten formularz został już wysłany" in landed and "Nic nie opublikowano dwa razy" in landed


def test_someone_else_replaying_a_key_gets_their_own_post(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        make_participant: Callable[..., Participant], category: Callable[[str], int]) -> None:
    data = form_data(category("volunteers"), new_key())
    login(author)
    mine = client.post(f"/f/{trading_fair.slug}/posts/new", data=data).headers["Location"]
    login(make_participant("Ewa", "Obca", organisation="Inna Fundacja"))
    theirs = client.post(f"/f/{trading_fair.slug}/posts/new", data=data, follow_redirects=True)
    assert theirs.request.path != mine and "Opublikowano" in theirs.get_data(as_text=True)
    assert sorted(p.author.last_name for p in db.session.scalars(select(Post))) == ["Obca", "Żółkiewska"]


def test_a_malformed_key_is_a_clear_error_and_the_form_comes_back_with_a_fresh_one(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        category: Callable[[str], int]) -> None:
    login(author)
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data=form_data(category("volunteers"), "stale"))
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Formularz wygasł" in page
    fresh = key_on(page)
    assert client.post(f"/f/{trading_fair.slug}/posts/new",
                       data=form_data(category("volunteers"), fresh)).status_code == 303
    assert posts_count() == 1


# --- two requests at the same moment, through a real server ------------------------------------

def test_two_identical_requests_at_once_to_a_real_server_post_once(
        app: Flask, database_url: str, tmp_path: Path, trading_fair: Fair, author: Participant,
        category: Callable[[str], int]) -> None:
    server = LiveServer(database_url, tmp_path)
    try:
        http = login_session(server.url, trading_fair.slug, author.login_secret)
        data = post_form(http, server.url, trading_fair.slug, category("rooms"), "Sala na 40 osób")
        barrier = threading.Barrier(2)
        answers: list[requests.Response] = []

        def send() -> None:
            barrier.wait(timeout=30)
            answers.append(http.post(f"{server.url}/f/{trading_fair.slug}/posts/new", data=data,
                                     allow_redirects=False, timeout=30))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert [r.status_code for r in answers] == [303, 303], [r.text[:300] for r in answers]
        assert answers[0].headers["Location"] == answers[1].headers["Location"]
        assert posts_count() == 1
        # Each answer's session carries its note: one says posted, the other that nothing was posted twice.
        notes = sorted(
            "twice" if "Nic nie opublikowano dwa razy" in page else "posted" if "Opublikowano" in page else page
            for page in (requests.get(server.url + r.headers["Location"], cookies=r.cookies, timeout=10).text
                         for r in answers))
        assert notes == ["posted", "twice"]
    finally:
        server.stop()
