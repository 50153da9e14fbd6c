"""Actions sent with a client's one-time key (app/core/web/sent_actions.py): a key names one
action of one person; the record is made in the acting transaction, under a unique constraint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.core.web.formkeys import new_key
from app.core.web.sent_actions import SentAction, earlier_action, record_action
from app.fairs.models import Fair
from app.people.models import Participant


def recorded() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(SentAction.id))) or 0)


@pytest.fixture
def person(fair: Fair, make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")


def test_a_recorded_key_is_recognised_for_its_action_and_target(person: Participant) -> None:
    key = new_key()
    with transaction():
        assert not earlier_action(person.id, person.fair_id, key, "post.edit", 7)
        record_action(person.id, person.fair_id, key, "post.edit", 7)
    with transaction():
        assert earlier_action(person.id, person.fair_id, key, "post.edit", 7)
    assert recorded() == 1


def test_no_key_records_and_recognises_nothing(person: Participant) -> None:
    with transaction():
        assert not earlier_action(person.id, person.fair_id, None, "post.edit", 7)
        record_action(person.id, person.fair_id, None, "post.edit", 7)
    assert recorded() == 0


def test_a_key_is_one_persons(person: Participant, make_participant: Callable[..., Participant]) -> None:
    """Another person's identical key is not theirs: nothing is recognised."""
    other = make_participant("Jan", "Kos", organisation="Fundacja Źdźbło")
    key = new_key()
    with transaction():
        record_action(person.id, person.fair_id, key, "agreement.sign", 3)
    with transaction():
        assert not earlier_action(other.id, other.fair_id, key, "agreement.sign", 3)


@pytest.mark.parametrize("action,target", [("agreement.sign", 7), ("post.edit", 8)])
def test_a_key_sent_again_for_another_action_or_target_is_refused(person: Participant, action: str,
                                                                  target: int) -> None:
    key = new_key()
    with transaction():
        record_action(person.id, person.fair_id, key, "post.edit", 7)
    with pytest.raises(ValidationError) as err, transaction():
        earlier_action(person.id, person.fair_id, key, action, target)
    assert err.value.code == "key_reused"


@pytest.mark.parametrize("key", ["x" * 32, "ABCDEF0123456789ABCDEF0123456789", "a" * 31,
                                 "123e4567-e89b-12d3-a456-426614174000"])
def test_a_malformed_key_is_refused(person: Participant, key: str) -> None:
    with pytest.raises(ValidationError) as err, transaction():
        earlier_action(person.id, person.fair_id, key, "post.edit", 7)
    assert err.value.code == "invalid_form_key"


def test_the_unique_constraint_backs_the_lock(person: Participant) -> None:
    key = new_key()
    with transaction():
        record_action(person.id, person.fair_id, key, "post.edit", 7)
    with pytest.raises(IntegrityError), transaction():
        record_action(person.id, person.fair_id, key, "post.edit", 7)
