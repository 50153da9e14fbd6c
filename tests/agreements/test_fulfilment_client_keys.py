"""A phone's own key on confirming a delivery (app/agreements/fulfilment.py,
app/core/web/sent_actions.py): the same confirmation sent twice confirms, and posts its points,
once; a key names one obligation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import ObligationState
from app.agreements.signing import record_paper_agreement
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.core.web.sent_actions import SentAction
from app.ledger.models import Entry


@pytest.fixture
def signed(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    return a, b, d


def entries() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Entry.id))) or 0)


def test_the_same_confirmation_sent_twice_confirms_and_posts_once(trading_fair, signed):
    _a, b, d = signed
    key = new_key()
    first = confirm_delivery(b, trading_fair.id, d.obligations[0].id, key=key)
    again = confirm_delivery(b, trading_fair.id, d.obligations[0].id, key=key)
    assert again.id == first.id and again.state == ObligationState.CONFIRMED
    assert entries() == 1
    assert db.session.scalar(select(func.count(SentAction.id))) == 1


def test_different_keys_follow_the_usual_rules(trading_fair, signed):
    """Another key for a confirmed obligation is the usual double tap: nothing posted twice."""
    _a, b, d = signed
    confirm_delivery(b, trading_fair.id, d.obligations[0].id, key=new_key())
    confirm_delivery(b, trading_fair.id, d.obligations[0].id, key=new_key())
    assert entries() == 1


def test_a_key_sent_again_for_another_obligation_is_refused(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b, [(a, b, "Sala na 30 osób", 30), (a, b, "Rzutnik na cały dzień", 10)])
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    key = new_key()
    confirm_delivery(b, trading_fair.id, d.obligations[0].id, key=key)
    with pytest.raises(DomainError) as err:
        confirm_delivery(b, trading_fair.id, d.obligations[1].id, key=key)
    assert err.value.code == "key_reused"
    assert entries() == 1


def test_a_refused_confirmation_records_no_key(trading_fair, signed):
    """The giver cannot confirm their own delivery: refused, and no key kept."""
    a, _b, d = signed
    with pytest.raises(DomainError) as err:
        confirm_delivery(a, trading_fair.id, d.obligations[0].id, key=new_key())
    assert err.value.code == "wrong_party"
    assert entries() == 0 and db.session.scalar(select(func.count(SentAction.id))) == 0
