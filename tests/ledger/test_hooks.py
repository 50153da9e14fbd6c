"""The seam the Agreements code calls when an obligation is fulfilled, and the pledge source."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.ledger.accounts import find_organisation_account
from app.ledger.hooks import on_obligation_fulfilled, pledged_points, set_pledge_source
from app.ledger.limits import LimitError
from app.ledger.models import Entry, EntryKind
from app.ledger.operations import fulfilment_key


@pytest.fixture
def parties(make_organisation):
    return make_organisation("Dom Kultury Giver"), make_organisation("Szkoła Receiver")


def test_fulfilment_moves_points_from_receiver_to_giver(parties, fair, organiser, balance_of):
    giver, receiver = parties
    entry = on_obligation_fulfilled(7, giver.id, receiver.id, 40, fair.id, organiser)
    assert entry is not None and entry.kind == EntryKind.FULFILMENT
    assert (entry.source_kind, entry.source_id, entry.fair_id) == ("obligation", 7, fair.id)
    assert balance_of(find_organisation_account(giver.id)) == 40
    assert balance_of(find_organisation_account(receiver.id)) == -40


def test_fulfilment_posts_once_per_obligation(parties, fair, organiser, balance_of):
    giver, receiver = parties
    first = on_obligation_fulfilled(7, giver.id, receiver.id, 40, fair.id, organiser)
    again = on_obligation_fulfilled(7, giver.id, receiver.id, 40, fair.id, organiser)
    assert again.id == first.id and first.idempotency_key == fulfilment_key(7)
    assert balance_of(find_organisation_account(giver.id)) == 40


def test_fulfilment_with_changed_value_is_an_idempotency_conflict(parties, fair, organiser):
    giver, receiver = parties
    on_obligation_fulfilled(7, giver.id, receiver.id, 40, fair.id, organiser)
    with pytest.raises(Conflict) as err:
        on_obligation_fulfilled(7, giver.id, receiver.id, 45, fair.id, organiser)
    assert err.value.code == "idempotency_conflict"


def test_obligation_worth_zero_posts_nothing(parties, fair, organiser):
    giver, receiver = parties
    assert on_obligation_fulfilled(8, giver.id, receiver.id, 0, fair.id, organiser) is None
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_negative_obligation_value_is_refused(parties, fair, organiser):
    giver, receiver = parties
    with pytest.raises(ValidationError) as err:
        on_obligation_fulfilled(9, giver.id, receiver.id, -5, fair.id, organiser)
    assert err.value.code == "points_not_positive"


def test_fulfilment_refused_when_the_receiver_would_cross_its_floor(parties, fair, organiser):
    giver, receiver = parties
    with pytest.raises(LimitError) as err:
        on_obligation_fulfilled(10, giver.id, receiver.id, 501, fair.id, organiser)
    assert err.value.code == "below_floor"
    assert "Szkoła Receiver" in str(err.value)


def test_obligation_between_one_organisation_is_refused(parties, fair, organiser):
    giver, _receiver = parties
    with pytest.raises(ValidationError) as err:
        on_obligation_fulfilled(11, giver.id, giver.id, 5, fair.id, organiser)
    assert err.value.code == "same_account"


def test_fulfilment_without_an_actor_is_posted_by_the_system(parties, fair):
    giver, receiver = parties
    entry = on_obligation_fulfilled(12, giver.id, receiver.id, 5, fair.id, None)
    assert entry.actor_id is None and entry.actor_label == "agreements"


def test_fulfilment_joins_the_callers_transaction(parties, fair, organiser):
    giver, receiver = parties

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction():
        on_obligation_fulfilled(13, giver.id, receiver.id, 5, fair.id, organiser)
        raise Boom  # the agreement's own update failed: nothing of the fulfilment stays
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 0
    assert find_organisation_account(giver.id) is None


def test_pledged_points_of_a_fair_without_agreements_are_zero(fair):
    assert pledged_points(fair.id) == 0


def test_pledged_points_come_from_the_registered_source(fair):
    previous = set_pledge_source(lambda fair_id: 321 if fair_id == fair.id else 0)
    try:
        assert pledged_points(fair.id) == 321
    finally:
        set_pledge_source(previous)
