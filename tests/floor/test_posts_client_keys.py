"""A phone's own key on an edit of a post (app/floor/posts.py, app/core/web/sent_actions.py):
the same edit sent twice — the answer to the first lost on the way back — changes the post
once; different keys are different edits, each under the usual rules (a stale version refused)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.errors import Conflict
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.core.web.formkeys import new_key
from app.core.web.sent_actions import SentAction
from app.fairs.models import Fair
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post, edit_post
from app.people.models import Participant
from tests.concurrency import in_threads


def updated_events() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(DomainEvent)
                                 .where(DomainEvent.type == "post.updated")) or 0)


@pytest.fixture
def author(trading_fair: Fair, make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")


@pytest.fixture
def room(category: Callable[[str], int]) -> PostData:
    return PostData(kind=PostKind.OFFER, category_id=category("rooms"), title="Sala na 30 osób")


@pytest.fixture
def post(author: Participant, room: PostData) -> Post:
    return create_post(author, author.fair_id, room)


def bigger(room: PostData, title: str = "Sala na 40 osób") -> PostData:
    return PostData(kind=room.kind, category_id=room.category_id, title=title)


def test_the_same_edit_sent_twice_changes_the_post_once(author: Participant, room: PostData, post: Post) -> None:
    key = new_key()
    first = edit_post(author, author.fair_id, post.id, bigger(room), version=1, key=key)
    again = edit_post(author, author.fair_id, post.id, bigger(room), version=1, key=key)  # version 1 is stale now
    assert again.id == first.id and again.version == 2 and again.title == "Sala na 40 osób"
    assert updated_events() == 1  # the board heard of it once
    assert db.session.scalar(select(func.count(SentAction.id))) == 1


def test_a_replay_does_not_undo_a_later_edit(author: Participant, room: PostData, post: Post) -> None:
    """The first edit, then another (from the page), then the first's late repeat: the post keeps
    the later edit."""
    key = new_key()
    edit_post(author, author.fair_id, post.id, bigger(room), version=1, key=key)
    edit_post(author, author.fair_id, post.id, bigger(room, "Sala na 50 osób"), version=2)
    replayed = edit_post(author, author.fair_id, post.id, bigger(room), version=1, key=key)
    assert (replayed.title, replayed.version) == ("Sala na 50 osób", 3)


def test_another_key_with_a_stale_version_is_refused_and_changes_nothing(
        author: Participant, room: PostData, post: Post) -> None:
    edit_post(author, author.fair_id, post.id, bigger(room), version=1, key=new_key())
    with pytest.raises(Conflict) as err:
        edit_post(author, author.fair_id, post.id, bigger(room, "Sala na 60 osób"), version=1, key=new_key())
    assert err.value.code == "post_changed"
    db.session.rollback()
    assert db.session.get_one(Post, post.id).title == "Sala na 40 osób"
    assert db.session.scalar(select(func.count(SentAction.id))) == 1  # the refused one left no key


def test_a_refused_edit_is_refused_again_when_its_key_comes_again(
        author: Participant, room: PostData, post: Post) -> None:
    """A refusal records nothing: the same key sent again meets the same rules."""
    edit_post(author, author.fair_id, post.id, bigger(room), version=1)
    key = new_key()
    for _ in range(2):
        with pytest.raises(Conflict):
            edit_post(author, author.fair_id, post.id, bigger(room, "Sala na 60 osób"), version=1, key=key)


def test_the_same_edit_from_many_threads_at_once_is_done_once(app: Flask, author: Participant, room: PostData,
                                                              post: Post) -> None:
    author_id, fair_id, post_id, key = author.id, author.fair_id, post.id, new_key()

    def send() -> Post:
        return edit_post(db.session.get_one(Participant, author_id), fair_id, post_id, bigger(room),
                         version=1, key=key)

    results = in_threads(app, [send] * 4)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert updated_events() == 1
    assert db.session.get_one(Post, post_id).version == 2


def test_a_new_post_sent_twice_with_a_phones_key_is_posted_once(author: Participant, room: PostData) -> None:
    """A new post's key is its one-time form key (app/core/web/formkeys.py): the phone's key,
    crypto.randomUUID() without its dashes, feeds it."""
    key = "3b241101e2bb42558caf4136c566a962"
    first = create_post(author, author.fair_id, room, form_key=key)
    assert create_post(author, author.fair_id, room, form_key=key).id == first.id
    assert db.session.scalar(select(func.count(Post.id))) == 1
