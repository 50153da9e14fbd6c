"""Standing offers and needs between fairs (app/floor/posts.py in the network's space): they end
after STANDING_POST_DAYS, leave the board then, and are renewed by their organisation."""

from datetime import timedelta

import pytest

from app.between.space import enter_network_space
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import transaction
from app.fairs.categories import fair_categories
from app.floor.board import BoardFilter, board
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post, edit_post, renew_post


def _post(person, title="Rzutnik multimedialny na weekend"):
    rooms = next(c.id for c in fair_categories(person.fair_id) if c.key == "equipment")
    return create_post(person, person.fair_id, PostData(kind=PostKind.OFFER, category_id=rooms, title=title))


def _end(post, at):
    with transaction():
        db.session.get_one(Post, post.id).expires_at = at


@pytest.fixture
def member(make_participant):
    return enter_network_space(make_participant(organisation="Fundacja Pszczoła"))


def test_a_standing_post_ends_after_the_configured_days(app, member):
    post = _post(member)
    days = app.config["STANDING_POST_DAYS"]
    assert utcnow() + timedelta(days=days - 1) < post.expires_at <= utcnow() + timedelta(days=days)


def test_a_fairs_post_has_no_end(make_post, make_participant):
    assert make_post(make_participant()).expires_at is None


def test_an_ended_post_leaves_the_board(member):
    post = _post(member)
    assert [p.id for p in board(member.fair_id, BoardFilter())] == [post.id]
    _end(post, utcnow() - timedelta(minutes=1))
    assert board(member.fair_id, BoardFilter()) == []
    assert not db.session.get_one(Post, post.id).is_live


def test_renewing_brings_it_back_for_the_configured_days(app, member):
    post = _post(member)
    _end(post, utcnow() - timedelta(days=1))
    renewed = renew_post(member, member.fair_id, post.id)
    assert renewed.expires_at > utcnow() + timedelta(days=app.config["STANDING_POST_DAYS"] - 1)
    assert [p.id for p in board(member.fair_id, BoardFilter())] == [post.id]


def test_an_ended_post_is_renewed_before_it_is_edited(member):
    post = _post(member)
    _end(post, utcnow() - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        edit_post(member, member.fair_id, post.id, PostData(kind=PostKind.OFFER, category_id=post.category_id,
                                                            title="Inny tytuł"))
    assert err.value.code == "post_not_active"


def test_only_its_organisation_renews_it(member, make_participant):
    other = enter_network_space(make_participant(organisation="Stowarzyszenie Łąka"))
    post = _post(member)
    with pytest.raises(DomainError) as err:
        renew_post(other, other.fair_id, post.id)
    assert err.value.code == "not_your_post"


def test_a_fairs_post_is_not_renewed(make_post, make_participant, trading_fair):
    author = make_participant()
    post = make_post(author)
    with pytest.raises(DomainError) as err:
        renew_post(author, trading_fair.id, post.id)
    assert err.value.code == "not_standing"
