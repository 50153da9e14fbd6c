"""The receiver's feedback on an obligation (app/agreements/fulfilment.py with the rules of
app/agreements/feedback.py): given with the confirmation (all of it or, refused, nothing: not the
confirmation either) or later with `leave_feedback`, only by the receiving party and only on a
confirmed obligation; a phone's key sent again changes nothing; both calls are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.agreements.fulfilment import confirm_delivery, leave_feedback, mark_delivered
from app.agreements.models import Obligation, ObligationState
from app.agreements.signing import record_paper_agreement
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.core.web.formkeys import new_key
from app.ledger.models import Entry

WORDS = "Sala czysta, rzutnik działał — polecamy Fundację Żółw!"


@pytest.fixture
def signed(trading_fair, notary, make_participant, make_draft):
    """a gives b a room (obligations[0]); b gives a a training (obligations[1])."""
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    return a, b, d


def fresh(obligation_id: int) -> Obligation:
    db.session.rollback()  # what the database holds now
    return db.session.get_one(Obligation, obligation_id)


def entries() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Entry.id))) or 0)


def audited(action: str) -> list[AuditEvent]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_confirming_with_a_rating_and_words_keeps_them_with_the_confirmation(trading_fair, signed):
    _a, b, d = signed
    ob = confirm_delivery(b, trading_fair.id, d.obligations[0].id, rating=5,
                          testimonial=f"  {WORDS}\n\n ", quote_consent=True)
    kept = fresh(ob.id)
    assert kept.state == ObligationState.CONFIRMED
    assert (kept.rating, kept.testimonial, kept.quote_consent) == (5, WORDS, True)
    assert kept.feedback_at is not None and kept.feedback_at >= kept.confirmed_at
    assert entries() == 1
    [event] = audited("fulfilment.confirm_delivery")
    assert event.actor_id == b.id and event.target == f"Obligation#{ob.id}"
    assert event.details["rating"] == 5 and event.details["quote_consent"] is True


def test_confirming_without_feedback_keeps_none(trading_fair, signed):
    _a, b, d = signed
    kept = fresh(confirm_delivery(b, trading_fair.id, d.obligations[0].id).id)
    assert kept.state == ObligationState.CONFIRMED
    assert (kept.rating, kept.testimonial, kept.quote_consent, kept.feedback_at) == (None, "", False, None)


@pytest.mark.parametrize("rating", [0, 6, -1, 10_000, True])
def test_a_rating_outside_1_to_5_refuses_the_confirmation_too(trading_fair, signed, rating):
    _a, b, d = signed
    with pytest.raises(DomainError) as err:
        confirm_delivery(b, trading_fair.id, d.obligations[0].id, rating=rating, testimonial=WORDS)
    assert err.value.code == "rating_invalid" and err.value.status == 422
    kept = fresh(d.obligations[0].id)
    assert kept.state == ObligationState.PENDING and kept.confirmed_at is None
    assert (kept.rating, kept.testimonial) == (None, "")
    assert entries() == 0 and audited("fulfilment.confirm_delivery") == []


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_every_rating_1_to_5_is_kept(trading_fair, signed, rating):
    _a, b, d = signed
    assert fresh(confirm_delivery(b, trading_fair.id, d.obligations[0].id, rating=rating).id).rating == rating


def test_words_longer_than_500_characters_refuse_the_confirmation(trading_fair, signed):
    _a, b, d = signed
    with pytest.raises(DomainError) as err:
        confirm_delivery(b, trading_fair.id, d.obligations[0].id, rating=4, testimonial="ż" * 501)
    assert err.value.code == "testimonial_too_long"
    assert fresh(d.obligations[0].id).state == ObligationState.PENDING
    assert entries() == 0


def test_500_characters_once_trimmed_fit(trading_fair, signed):
    """Spaces around and between the words are collapsed before they are counted."""
    _a, b, d = signed
    words = "ą" * 250 + " " + "ę" * 249
    ob = confirm_delivery(b, trading_fair.id, d.obligations[0].id, testimonial=f"\n   {words.replace(' ', '   ')}   ")
    assert fresh(ob.id).testimonial == words and len(words) == 500


def test_consent_without_words_is_kept_as_no_consent(trading_fair, signed):
    _a, b, d = signed
    ob = confirm_delivery(b, trading_fair.id, d.obligations[0].id, rating=3, testimonial="   ", quote_consent=True)
    kept = fresh(ob.id)
    assert (kept.rating, kept.testimonial, kept.quote_consent) == (3, "", False)


def test_only_the_receiving_party_gives_feedback(trading_fair, signed, make_participant):
    a, b, d = signed
    neighbour = make_participant(organisation="Koło Gospodyń")
    for who in (a, neighbour):  # the giver, and someone of neither party
        with pytest.raises(DomainError) as err:
            confirm_delivery(who, trading_fair.id, d.obligations[0].id, rating=5)
        assert err.value.code == "wrong_party"
    confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    for who in (a, neighbour):
        with pytest.raises(DomainError) as err:
            leave_feedback(who, trading_fair.id, d.obligations[0].id, rating=1, testimonial="Nie polecam")
        assert err.value.code == "wrong_party"
    assert (fresh(d.obligations[0].id).rating, fresh(d.obligations[0].id).testimonial) == (None, "")


def test_feedback_on_an_obligation_not_yet_confirmed_is_refused(trading_fair, signed):
    a, b, d = signed
    with pytest.raises(DomainError) as err:
        leave_feedback(b, trading_fair.id, d.obligations[0].id, rating=4)
    assert err.value.code == "not_confirmed" and err.value.status == 409
    mark_delivered(a, trading_fair.id, d.obligations[0].id)  # delivered is not confirmed either
    with pytest.raises(DomainError) as err:
        leave_feedback(b, trading_fair.id, d.obligations[0].id, rating=4)
    assert err.value.code == "not_confirmed"
    assert fresh(d.obligations[0].id).rating is None


def test_feedback_given_changed_and_taken_back_after_confirming(trading_fair, signed):
    _a, b, d = signed
    oid = d.obligations[0].id
    confirm_delivery(b, trading_fair.id, oid)
    leave_feedback(b, trading_fair.id, oid, rating=4, testimonial=WORDS, quote_consent=True)
    given = fresh(oid)
    assert (given.rating, given.testimonial, given.quote_consent) == (4, WORDS, True)
    first_at = given.feedback_at
    leave_feedback(b, trading_fair.id, oid, rating=2, testimonial="Spóźnili się godzinę.", quote_consent=False)
    changed = fresh(oid)
    assert (changed.rating, changed.testimonial, changed.quote_consent) == (2, "Spóźnili się godzinę.", False)
    assert first_at is not None and changed.feedback_at is not None and changed.feedback_at >= first_at
    leave_feedback(b, trading_fair.id, oid)
    gone = fresh(oid)
    assert (gone.rating, gone.testimonial, gone.quote_consent, gone.feedback_at) == (None, "", False, None)
    assert gone.state == ObligationState.CONFIRMED and entries() == 1  # the points stay as they were
    assert [e.details.get("rating") for e in audited("fulfilment.leave_feedback")] == [4, 2, None]


def test_later_feedback_follows_the_same_rules(trading_fair, signed):
    _a, b, d = signed
    oid = d.obligations[0].id
    confirm_delivery(b, trading_fair.id, oid, rating=5, testimonial=WORDS, quote_consent=True)
    for rating, words, code in ((7, "", "rating_invalid"), (None, "x" * 501, "testimonial_too_long")):
        with pytest.raises(DomainError) as err:
            leave_feedback(b, trading_fair.id, oid, rating=rating, testimonial=words)
        assert err.value.code == code
    kept = fresh(oid)
    assert (kept.rating, kept.testimonial, kept.quote_consent) == (5, WORDS, True)
    leave_feedback(b, trading_fair.id, oid, rating=5, testimonial="", quote_consent=True)
    assert fresh(oid).quote_consent is False  # nothing left to quote


def test_a_confirmation_sent_again_with_its_key_neither_applies_nor_changes_feedback(trading_fair, signed):
    _a, b, d = signed
    oid, key = d.obligations[0].id, new_key()
    confirm_delivery(b, trading_fair.id, oid, key=key, rating=4, testimonial=WORDS, quote_consent=True)
    at = fresh(oid).feedback_at
    # The phone sends it again (its answer was lost), and again with other fields (a tampered
    # queue): the confirmation is the first one's, feedback and all.
    confirm_delivery(b, trading_fair.id, oid, key=key, rating=4, testimonial=WORDS, quote_consent=True)
    confirm_delivery(b, trading_fair.id, oid, key=key, rating=1, testimonial="Inaczej", quote_consent=False)
    kept = fresh(oid)
    assert (kept.rating, kept.testimonial, kept.quote_consent, kept.feedback_at) == (4, WORDS, True, at)
    assert entries() == 1


def test_a_confirmation_without_feedback_sent_again_with_feedback_adds_none(trading_fair, signed):
    """A double tap (no key) or a resend of a confirmation that had none: the feedback is later's."""
    _a, b, d = signed
    oid, key = d.obligations[0].id, new_key()
    confirm_delivery(b, trading_fair.id, oid, key=key)
    confirm_delivery(b, trading_fair.id, oid, key=key, rating=5, testimonial=WORDS)
    confirm_delivery(b, trading_fair.id, oid, rating=5, testimonial=WORDS)
    kept = fresh(oid)
    assert (kept.rating, kept.testimonial, kept.feedback_at) == (None, "", None)


def test_later_feedback_sent_again_with_its_key_changes_nothing(trading_fair, signed):
    """The first change's answer was lost; meanwhile the person changed it again on the page: the
    first change arriving again does not undo the second."""
    _a, b, d = signed
    oid, key = d.obligations[0].id, new_key()
    confirm_delivery(b, trading_fair.id, oid)
    leave_feedback(b, trading_fair.id, oid, rating=3, testimonial="Dobrze", key=key)
    leave_feedback(b, trading_fair.id, oid, rating=5, testimonial=WORDS, quote_consent=True)
    leave_feedback(b, trading_fair.id, oid, rating=3, testimonial="Dobrze", key=key)
    kept = fresh(oid)
    assert (kept.rating, kept.testimonial, kept.quote_consent) == (5, WORDS, True)


def test_a_key_of_the_confirmation_cannot_change_the_feedback(trading_fair, signed):
    _a, b, d = signed
    oid, key = d.obligations[0].id, new_key()
    confirm_delivery(b, trading_fair.id, oid, key=key, rating=4)
    with pytest.raises(DomainError) as err:
        leave_feedback(b, trading_fair.id, oid, rating=1, key=key)
    assert err.value.code == "key_reused"
    assert fresh(oid).rating == 4
