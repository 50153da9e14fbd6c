"""post_entry: the rules every entry obeys, whatever posts it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.ledger.models import Entry, EntryKind, Posting
from app.ledger.posting import EntryDraft, Leg, entry_fingerprint, post_entry


def _draft(a, b, points=10, key="k-1", **kw):
    return EntryDraft(kind=kw.pop("kind", EntryKind.TRANSFER), legs=[Leg(a.id, -points), Leg(b.id, points)],
                      idempotency_key=key, memo=kw.pop("memo", "usługa"), **kw)


def test_entry_moves_points_between_accounts(make_account, operator, balance_of):
    a, b = make_account(), make_account()
    entry = post_entry(_draft(a, b, 30), operator)
    assert sorted(p.points for p in entry.postings) == [-30, 30]
    assert (balance_of(a), balance_of(b)) == (-30, 30)


def test_entry_records_actor_memo_and_fingerprint(make_account, operator):
    a, b = make_account(), make_account()
    entry = post_entry(_draft(a, b, memo="  Sala   na warsztaty "), operator)
    assert entry.memo == "Sala na warsztaty"
    assert entry.actor_label == "test"
    assert entry.fingerprint == entry_fingerprint(entry)


def test_same_key_same_content_posts_once(make_account, operator, balance_of):
    a, b = make_account(), make_account()
    first = post_entry(_draft(a, b, key="double-click"), operator)
    again = post_entry(_draft(a, b, key="double-click"), operator)
    assert again.id == first.id
    assert balance_of(b) == 10
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 1


def test_same_key_different_content_is_an_idempotency_conflict(make_account, operator):
    a, b = make_account(), make_account()
    post_entry(_draft(a, b, 10, key="k"), operator)
    with pytest.raises(Conflict) as err:
        post_entry(_draft(a, b, 11, key="k"), operator)
    assert err.value.code == "idempotency_conflict"


def test_same_key_different_memo_is_an_idempotency_conflict(make_account, operator):
    a, b = make_account(), make_account()
    post_entry(_draft(a, b, memo="one", key="k"), operator)
    with pytest.raises(Conflict) as err:
        post_entry(_draft(a, b, memo="two", key="k"), operator)
    assert err.value.code == "idempotency_conflict"


def test_replay_ignores_leg_order(make_account, operator):
    a, b = make_account(), make_account()
    first = post_entry(_draft(a, b, key="k"), operator)
    swapped = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(b.id, 10), Leg(a.id, -10)],
                         idempotency_key="k", memo="usługa")
    assert post_entry(swapped, operator).id == first.id


@pytest.mark.parametrize("key", ["", "   ", "x" * 201])
def test_key_is_required_and_bounded(make_account, operator, key):
    a, b = make_account(), make_account()
    with pytest.raises(ValidationError) as err:
        post_entry(_draft(a, b, key=key), operator)
    assert err.value.code == "invalid_idempotency_key"


def test_unbalanced_entry_is_refused(make_account, operator):
    a, b = make_account(), make_account()
    draft = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, -10), Leg(b.id, 9)], idempotency_key="k")
    with pytest.raises(ValidationError) as err:
        post_entry(draft, operator)
    assert err.value.code == "unbalanced_entry"


def test_zero_posting_is_refused(make_account, operator):
    a, b, c = make_account(), make_account(), make_account()
    draft = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, -10), Leg(b.id, 10), Leg(c.id, 0)],
                       idempotency_key="k")
    with pytest.raises(ValidationError) as err:
        post_entry(draft, operator)
    assert err.value.code == "zero_posting"


def test_single_posting_is_refused(make_account, operator):
    a = make_account()
    with pytest.raises(ValidationError) as err:
        post_entry(EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, 0)], idempotency_key="k"), operator)
    assert err.value.code == "too_few_postings"


def test_two_postings_to_one_account_are_refused(make_account, operator):
    a = make_account()
    draft = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, -5), Leg(a.id, 5)], idempotency_key="k")
    with pytest.raises(ValidationError) as err:
        post_entry(draft, operator)
    assert err.value.code == "same_account"


def test_non_integer_points_are_refused(make_account, operator):
    a, b = make_account(), make_account()
    draft = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, -1.5), Leg(b.id, 1.5)],  # type: ignore[arg-type]
                       idempotency_key="k")
    with pytest.raises(ValidationError) as err:
        post_entry(draft, operator)
    assert err.value.code == "invalid_points"


def test_memo_longer_than_500_characters_is_refused(make_account, operator):
    a, b = make_account(), make_account()
    with pytest.raises(ValidationError) as err:
        post_entry(_draft(a, b, memo="ż" * 501), operator)
    assert err.value.code == "memo_too_long"


def test_unknown_account_is_refused(make_account, operator):
    a = make_account()
    draft = EntryDraft(kind=EntryKind.TRANSFER, legs=[Leg(a.id, -5), Leg(999_999, 5)], idempotency_key="k")
    with pytest.raises(NotFound) as err:
        post_entry(draft, operator)
    assert err.value.code == "account_not_found"


def test_refused_entry_leaves_nothing_behind(make_account, operator, balance_of):
    a, b = make_account(floor=-5), make_account()
    with pytest.raises(Exception):  # noqa: B017
        post_entry(_draft(a, b, 10), operator)
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 0
    assert balance_of(a) == 0


def test_entry_of_a_fair_emits_ledger_posted_event(make_account, operator, fair):
    a, b = make_account(), make_account()
    entry = post_entry(_draft(a, b, 25, fair_id=fair.id), operator)
    event = db.session.scalar(select(DomainEvent).where(DomainEvent.type == "ledger.posted"))
    assert event is not None
    assert event.payload == {"entry_id": entry.id, "kind": "transfer", "points": 25}


def test_network_entry_emits_no_fair_event(make_account, operator):
    a, b = make_account(), make_account()
    post_entry(_draft(a, b), operator)
    assert db.session.scalar(select(func.count()).select_from(DomainEvent)
                             .where(DomainEvent.type == "ledger.posted")) == 0
