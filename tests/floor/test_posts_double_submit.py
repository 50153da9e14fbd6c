"""A double submit of a new post does one thing (app/floor/posts.py): the service stores the form's
one-time key (bound to the author) under a unique constraint and serialises the requests carrying
it, and a second call with the same key — one after the other, or at the same moment in threads
(SQLite and PostgreSQL) — returns the first post instead of creating another."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.core.storage.events import DomainEvent
from app.core.web.formkeys import Sent, new_key
from app.fairs.models import Fair
from app.floor import posts as post_services
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post, post_for_form_key, submit_post
from app.people.models import Participant
from tests.concurrency import in_threads, race_on_one_key

THREADS = 8


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
