"""Offers and needs (app/floor/posts.py): posting, editing, withdrawing, taking, moderation, the
trading window, archived categories."""

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import events_since
from app.fairs.categories import set_category_archived
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind, PostState, Unit
from app.floor.models import Post
from app.floor.posts import PostData, create_post, edit_post, hide_post, mark_post_taken, restore_post, withdraw_post


def data(category_id, **kw):
    base = {"kind": PostKind.OFFER, "category_id": category_id, "title": "Sala konferencyjna"}
    base.update(kw)
    return PostData(**base)


def test_post_offer_for_own_organisation(trading_fair, make_participant, category):
    p = make_participant()
    post = create_post(p, trading_fair.id, data(category(), quantity=3, unit=Unit.HOURS,
                                                 available_when="wtorki po 16"))
    assert post.organisation_id == p.organisation_id and post.author_id == p.id
    assert post.state == PostState.ACTIVE and post.is_live


def test_post_refused_while_trading_closed(fair, make_participant, category):
    with pytest.raises(DomainError) as err:
        create_post(make_participant(), fair.id, data(category()))
    assert err.value.code == "trading_closed"


def test_post_refused_after_closing_gong(trading_fair, organiser, make_participant, category):
    close_trading(organiser, trading_fair.id)
    with pytest.raises(DomainError) as err:
        create_post(make_participant(), trading_fair.id, data(category()))
    assert err.value.code == "trading_closed"


@pytest.mark.parametrize("kw, code", [
    ({"title": "  "}, "title_missing"),
    ({"title": "x" * 121}, "post_too_long"),
    ({"quantity": 0}, "invalid_quantity"),
    ({"unit": Unit.DAYS}, "unit_without_quantity"),
])
def test_invalid_post_refused(kw, code, trading_fair, make_participant, category):
    with pytest.raises(DomainError) as err:
        create_post(make_participant(), trading_fair.id, data(category(), **kw))
    assert err.value.code == code


def test_category_of_other_fair_refused(trading_fair, make_fair, make_participant):
    from app.fairs.categories import fair_categories

    other = make_fair()
    foreign = fair_categories(other.id)[0].id
    with pytest.raises(DomainError) as err:
        create_post(make_participant(), trading_fair.id, data(foreign))
    assert err.value.code == "category_not_found"


def test_post_emits_created_event_with_public_payload(trading_fair, make_participant, make_post):
    p = make_participant(organisation="Fundacja Żółw")
    post = make_post(p, "Rzutnik multimedialny", category_key="equipment")
    evt = [e for e in events_since(trading_fair.id, 0, None) if e.type == "post.created"][-1]
    assert evt.payload["id"] == post.id and evt.payload["organisation"] == "Fundacja Żółw"
    assert evt.payload["category"] == "Sprzęt"
    assert p.login_secret not in str(evt.payload) and p.email not in str(evt.payload)


def test_colleague_may_edit_stranger_may_not(trading_fair, make_participant, make_post, category):
    a = make_participant(organisation="Wspólna")
    colleague = make_participant(organisation="Wspólna")
    stranger = make_participant()
    post = make_post(a)
    edited = edit_post(colleague, trading_fair.id, post.id, data(category(), title="Sala na 40 osób"))
    assert edited.title == "Sala na 40 osób" and edited.version == 2
    with pytest.raises(DomainError) as err:
        edit_post(stranger, trading_fair.id, post.id, data(category(), title="Moje!"))
    assert err.value.code == "not_your_post"


def test_edit_of_stale_version_refused(trading_fair, make_participant, make_post, category):
    a = make_participant()
    post = make_post(a)
    edit_post(a, trading_fair.id, post.id, data(category(), title="Pierwsza zmiana"), version=1)
    with pytest.raises(DomainError) as err:
        edit_post(a, trading_fair.id, post.id, data(category(), title="Druga zmiana"), version=1)
    assert err.value.code == "post_changed"


def test_withdraw_twice_changes_once(trading_fair, make_participant, make_post):
    a = make_participant()
    post = make_post(a)
    withdraw_post(a, trading_fair.id, post.id)
    withdraw_post(a, trading_fair.id, post.id)
    assert len([e for e in events_since(trading_fair.id, 0, None) if e.type == "post.withdrawn"]) == 1
    db.session.refresh(post)
    assert post.state == PostState.WITHDRAWN and not post.is_live


def test_taken_post_cannot_be_withdrawn_or_edited(trading_fair, make_participant, make_post, category):
    a = make_participant()
    post = make_post(a)
    mark_post_taken(a, trading_fair.id, post.id)
    with pytest.raises(DomainError) as err:
        withdraw_post(a, trading_fair.id, post.id)
    assert err.value.code == "post_not_active"
    with pytest.raises(DomainError) as err:
        edit_post(a, trading_fair.id, post.id, data(category()))
    assert err.value.code == "post_not_active"


def test_withdraw_allowed_after_trading_closed(trading_fair, organiser, make_participant, make_post):
    a = make_participant()
    post = make_post(a)
    close_trading(organiser, trading_fair.id)
    assert withdraw_post(a, trading_fair.id, post.id).state == PostState.WITHDRAWN


def test_organiser_hides_with_reason_and_restores(trading_fair, organiser, make_participant, make_post):
    post = make_post(make_participant(), "Sprzedam rower za 200 zł")
    hidden = hide_post(organiser, trading_fair.id, post.id, "Pieniądze są tabu")
    assert hidden.hidden_reason == "Pieniądze są tabu" and hidden.hidden_by_id == organiser.id
    assert not hidden.is_live
    restored = restore_post(organiser, trading_fair.id, post.id)
    assert restored.is_live and restored.hidden_reason == "Pieniądze są tabu"
    types = [e.type for e in events_since(trading_fair.id, 0, None)]
    assert "post.hidden" in types and "post.restored" in types


def test_hide_needs_reason(trading_fair, organiser, make_participant, make_post):
    post = make_post(make_participant())
    with pytest.raises(DomainError) as err:
        hide_post(organiser, trading_fair.id, post.id, "  ")
    assert err.value.code == "reason_missing"


def test_participant_cannot_hide(trading_fair, make_participant, make_post):
    post = make_post(make_participant())
    with pytest.raises(DomainError) as err:
        hide_post(make_participant(), trading_fair.id, post.id, "nie lubię")
    assert err.value.code == "forbidden_role"


def test_failed_post_writes_nothing(trading_fair, make_participant, category):
    before = db.session.query(Post).count()
    with pytest.raises(DomainError):
        create_post(make_participant(), trading_fair.id, data(category(), title=""))
    assert db.session.query(Post).count() == before


def test_archived_category_takes_no_new_posts(trading_fair, organiser, make_participant, category):
    set_category_archived(organiser, trading_fair.id, category("transport"), True)
    with pytest.raises(DomainError) as err:
        create_post(make_participant(), trading_fair.id,
                    PostData(kind=PostKind.OFFER, category_id=category("transport"), title="Bus"))
    assert err.value.code == "category_archived"


def test_posting_reads_the_author_with_their_fair_and_organisation_once(trading_fair, make_participant, category,
                                                                        statements):
    p = make_participant()
    fair_id, category_id = trading_fair.id, category()
    db.session.rollback()  # as after a request's reads: the service reads its actor afresh
    statements.clear()
    create_post(p, fair_id, data(category_id))
    reads = [s.split("FROM", 1)[1].split()[0] for s in statements if s.startswith("SELECT")]
    assert reads.count("participants") == 1 and "fairs" not in reads and "organisations" not in reads
