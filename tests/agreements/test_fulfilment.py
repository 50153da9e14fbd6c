"""Follow-up (app/agreements/fulfilment.py): delivered, confirmed (points posted once), disputed;
overdue first."""

from datetime import date, timedelta

import pytest

from app.agreements.fulfilment import confirm_delivery, dispute_delivery, follow_up, mark_delivered
from app.agreements.models import AgreementState, ObligationState
from app.agreements.signing import record_paper_agreement
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.ledger.accounts import find_organisation_account, posted_balance
from app.ledger.models import Entry


@pytest.fixture
def signed(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    return a, b, d


def test_giver_marks_delivered_receiver_confirms_and_points_move(trading_fair, signed):
    a, b, d = signed
    sala = d.obligations[0]  # a gives b, 30 points
    mark_delivered(a, trading_fair.id, sala.id)
    confirmed = confirm_delivery(b, trading_fair.id, sala.id)
    assert confirmed.state == ObligationState.CONFIRMED
    assert posted_balance(find_organisation_account(a.organisation_id).id) == 30
    assert posted_balance(find_organisation_account(b.organisation_id).id) == -30


def test_confirm_twice_posts_once(trading_fair, signed):
    _a, b, d = signed
    confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    assert db.session.query(Entry).count() == 1


def test_all_confirmed_fulfils_the_agreement(trading_fair, signed):
    a, b, d = signed
    confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    confirm_delivery(a, trading_fair.id, d.obligations[1].id)
    db.session.refresh(d)
    assert d.state == AgreementState.FULFILLED and d.fulfilled_at is not None


def test_only_receiver_confirms(trading_fair, signed):
    a, _b, d = signed
    with pytest.raises(DomainError) as err:
        confirm_delivery(a, trading_fair.id, d.obligations[0].id)
    assert err.value.code == "wrong_party"


def test_only_giver_marks_delivered(trading_fair, signed):
    _a, b, d = signed
    with pytest.raises(DomainError) as err:
        mark_delivered(b, trading_fair.id, d.obligations[0].id)
    assert err.value.code == "wrong_party"


def test_dispute_needs_comment_and_blocks_nothing_else(trading_fair, signed):
    _a, b, d = signed
    with pytest.raises(DomainError) as err:
        dispute_delivery(b, trading_fair.id, d.obligations[0].id, " ")
    assert err.value.code == "comment_missing"
    disputed = dispute_delivery(b, trading_fair.id, d.obligations[0].id, "Sala była zajęta")
    assert disputed.state == ObligationState.DISPUTED and disputed.dispute_comment == "Sala była zajęta"
    assert confirm_delivery(b, trading_fair.id, d.obligations[0].id).state == ObligationState.CONFIRMED


def test_draft_obligations_are_not_followed_up(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    assert err.value.code == "not_signed"


def test_ledger_refusal_keeps_obligation_unconfirmed(trading_fair, signed):
    from app.ledger.accounts import organisation_account

    _a, b, d = signed
    with transaction():
        organisation_account(b.organisation_id).floor = -20  # b receives 30 points' worth
    with pytest.raises(DomainError) as err:
        confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    assert err.value.code == "below_floor"
    db.session.refresh(d.obligations[0])
    assert d.obligations[0].state == ObligationState.PENDING
    assert db.session.query(Entry).count() == 0


def test_follow_up_lists_overdue_first(trading_fair, signed):
    _a, _b, d = signed
    with transaction():
        first, second = d.obligations
        db.session.get(type(first), first.id).due_date = date.today() + timedelta(days=14)
        db.session.get(type(second), second.id).due_date = date.today() - timedelta(days=1)
    order = [o.id for o in follow_up(trading_fair.id)]
    assert order == [d.obligations[1].id, d.obligations[0].id]


def test_follow_up_pages_in_sql_in_the_same_order(trading_fair, notary, make_participant, make_draft):
    from app.agreements.fulfilment import follow_up_page

    for i in range(3):
        d = make_draft(make_participant(f"Daje{i}"), make_participant(f"Bierze{i}"))
        record_paper_agreement(notary, trading_fair.id, d.id, d.version)
        with transaction():  # one overdue, one due later, one without a date, per agreement
            for ob, days in zip(d.obligations, (-1 - i, 10 + i), strict=True):
                db.session.get(type(ob), ob.id).due_date = date.today() + timedelta(days=days)
    everything = [o.id for o in follow_up(trading_fair.id)]
    pages = [follow_up_page(trading_fair.id, n, 4) for n in (1, 2)]
    assert [p.total for p in pages] == [6, 6]
    assert [o.id for p in pages for o in p.obligations] == everything
    assert [len(p.obligations) for p in pages] == [4, 2]
    first = pages[0].obligations
    assert [o.due_date < date.today() for o in first[:3]] == [True, True, True]  # the overdue first
    assert first[0].due_date < first[1].due_date < first[2].due_date
