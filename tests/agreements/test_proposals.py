"""Proposing an exchange (app/agreements/proposals.py): both sides prefilled from the two
organisations' posts, then one transaction that makes the agreement, its obligations and the
proposer's signature — once per form, and only while trading, between two organisations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agreements.drafting import ObligationData
from app.agreements.models import Agreement, AgreementState, SignatureMethod
from app.agreements.proposals import DEFAULT_HOURS, HOURS_PER_DAY, draft_proposal, proposal_hours, propose_exchange
from app.agreements.queues import awaiting_notary
from app.agreements.signing import sign_agreement
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.core.storage.events import DomainEvent
from app.core.storage.transactions import transaction
from app.core.web.formkeys import new_key
from app.fairs.models import Fair
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind, Unit
from app.floor.models import Post
from app.floor.posts import withdraw_post
from app.people.models import Participant
from tests.concurrency import in_threads

THREADS = 8
Pair = tuple[Participant, Participant]


@pytest.fixture
def pair(trading_fair: Fair, make_participant: Callable[..., Participant]) -> Pair:
    return (make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak"))


@pytest.fixture
def posts(pair: Pair, make_post: Callable[..., Post]) -> dict[str, Post]:
    """A needs a room and offers training; B offers a room (and catering) and needs training."""
    a, b = pair
    return {
        "a_need": make_post(a, title="Sala konferencyjna na zebranie zarządu", kind=PostKind.NEED,
                            quantity=2, unit=Unit.HOURS),
        "a_offer": make_post(a, title="Szkolenie z pisania wniosków grantowych", kind=PostKind.OFFER,
                             category_key="trainings", quantity=3, unit=Unit.HOURS),
        "b_catering": make_post(b, title="Catering na spotkanie", kind=PostKind.OFFER, category_key="catering",
                                quantity=40, unit=Unit.PEOPLE),
        "b_offer": make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER, quantity=4,
                             unit=Unit.HOURS, available_when="wtorki 16–19"),
        "b_need": make_post(b, title="Szkolenie z pisania wniosków", kind=PostKind.NEED, category_key="trainings"),
    }


def count(model: type) -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def proposed_events() -> list[DomainEvent]:
    return list(db.session.scalars(select(DomainEvent).where(DomainEvent.type == "agreement.proposed")))


def obligations_of(proposal) -> list[ObligationData]:
    sides = (proposal.theirs, proposal.mine)
    return [ObligationData(s.giver_organisation_id, s.receiver_organisation_id, s.description, post_id=s.post_id,
                           category_id=s.category_id, quantity=s.quantity, unit=s.unit, when=s.when, hours=s.hours)
            for s in sides if s.prefilled]


# --- what is prefilled -------------------------------------------------------------------------

def test_from_a_card_each_side_gives_its_offer_that_answers_the_others_need(pair: Pair, posts) -> None:
    a, b = pair
    proposal = draft_proposal(a, a.fair_id, b.id)
    assert (proposal.theirs.offer, proposal.theirs.need) == (posts["b_offer"], posts["a_need"])
    assert (proposal.mine.offer, proposal.mine.need) == (posts["a_offer"], posts["b_need"])
    assert proposal.theirs.giver_organisation_id == b.organisation_id
    assert proposal.mine.receiver_organisation_id == b.organisation_id


def test_a_side_takes_the_offers_words_and_names_the_need_it_answers(pair: Pair, posts) -> None:
    a, b = pair
    theirs = draft_proposal(a, a.fair_id, b.id).theirs
    assert theirs.description == "Sala konferencyjna dla 40 osób" and theirs.when == "wtorki 16–19"
    assert theirs.post_id == posts["a_need"].id and theirs.category_id == posts["b_offer"].category_id


def test_a_need_asking_for_less_than_is_offered_sets_the_quantity(pair: Pair, posts) -> None:
    a, b = pair
    theirs = draft_proposal(a, a.fair_id, b.id).theirs
    assert (theirs.quantity, theirs.unit) == (2, Unit.HOURS)  # A needs 2 of B's 4 hours


def test_hours_counted_in_hours_give_the_points_at_the_fairs_rate(pair: Pair, posts) -> None:
    a, b = pair
    mine = draft_proposal(a, a.fair_id, b.id).mine
    assert mine.hours == 3 and mine.points == 3 * a.fair.point_rate and not mine.hours_guessed


def test_hours_of_a_post_not_counted_in_hours_are_a_first_guess() -> None:
    assert proposal_hours(40, Unit.PEOPLE, 10) == DEFAULT_HOURS
    assert proposal_hours(None, None, 10) == DEFAULT_HOURS
    assert proposal_hours(2, Unit.DAYS, 10) == 2 * HOURS_PER_DAY


def test_hours_stay_within_what_an_obligation_may_hold() -> None:
    assert proposal_hours(5000, Unit.HOURS, 10) == 1000
    assert proposal_hours(500, Unit.HOURS, 100) == 100  # 10,000 points at most


def test_a_tapped_offer_of_theirs_is_what_they_give(pair: Pair, posts) -> None:
    a, b = pair
    theirs = draft_proposal(a, a.fair_id, b.id, [posts["b_catering"].id]).theirs
    assert theirs.offer == posts["b_catering"] and theirs.need is None
    assert theirs.hours == DEFAULT_HOURS and theirs.hours_guessed


def test_a_tapped_need_of_theirs_is_answered_by_my_offer(pair: Pair, posts) -> None:
    a, b = pair
    mine = draft_proposal(a, a.fair_id, b.id, [posts["b_need"].id]).mine
    assert (mine.offer, mine.need) == (posts["a_offer"], posts["b_need"])


def test_a_tapped_need_with_no_offer_for_it_is_given_as_asked(pair: Pair, make_post) -> None:
    a, b = pair
    need = make_post(b, title="Transport krzeseł", kind=PostKind.NEED, category_key="transport")
    mine = draft_proposal(a, a.fair_id, b.id, [need.id]).mine
    assert mine.offer is None and mine.description == "Transport krzeseł" and mine.post_id == need.id


def test_a_match_pins_both_of_its_posts(pair: Pair, posts) -> None:
    a, b = pair
    proposal = draft_proposal(a, a.fair_id, b.id, [posts["b_offer"].id, posts["a_need"].id])
    assert (proposal.theirs.offer, proposal.theirs.need) == (posts["b_offer"], posts["a_need"])


def test_with_no_offer_answering_a_need_their_newest_offer_is_proposed(pair: Pair, make_post) -> None:
    a, b = pair
    make_post(b, title="Rzutnik multimedialny", kind=PostKind.OFFER, category_key="equipment")
    newest = make_post(b, title="Wolontariusze do sprzątania", kind=PostKind.OFFER, category_key="volunteers")
    theirs = draft_proposal(a, a.fair_id, b.id).theirs
    assert theirs.offer == newest and theirs.need is None


def test_a_side_with_no_post_is_left_blank(pair: Pair, make_post) -> None:
    a, b = pair
    make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER)
    proposal = draft_proposal(a, a.fair_id, b.id)
    assert proposal.theirs.prefilled
    assert not proposal.mine.prefilled and proposal.mine.description == "" and proposal.mine.post_id is None


def test_a_withdrawn_post_tapped_earlier_is_not_proposed(pair: Pair, posts) -> None:
    a, b = pair
    withdraw_post(b, b.fair_id, posts["b_catering"].id)
    theirs = draft_proposal(a, a.fair_id, b.id, [posts["b_catering"].id]).theirs
    assert theirs.offer == posts["b_offer"]


def test_a_post_of_neither_party_is_refused(pair: Pair, make_participant, make_post) -> None:
    a, b = pair
    stranger = make_post(make_participant(organisation="Klub Seniora"), title="Sala widowiskowa")
    with pytest.raises(ValidationError) as err:
        draft_proposal(a, a.fair_id, b.id, [stranger.id])
    assert err.value.code == "post_not_of_parties"


def test_a_proposal_to_a_colleague_is_refused(pair: Pair, make_participant) -> None:
    a, _b = pair
    colleague = make_participant("Zofia", organisation="Fundacja Źdźbło")
    with pytest.raises(ValidationError) as err:
        draft_proposal(a, a.fair_id, colleague.id)
    assert err.value.code == "same_organisation"


# --- sending it ----------------------------------------------------------------------------------

def test_sending_makes_the_agreement_with_both_obligations_signed_by_the_proposer(pair: Pair, posts) -> None:
    a, b = pair
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    agreement = db.session.get_one(Agreement, sent.row_id)
    assert sent.created and agreement.state == AgreementState.AWAITING_SIGNATURES
    assert [(o.giver.organisation_id, o.description, o.post_id, o.points) for o in agreement.obligations] == [
        (b.organisation_id, "Sala konferencyjna dla 40 osób", posts["a_need"].id, 2 * a.fair.point_rate),
        (a.organisation_id, "Szkolenie z pisania wniosków grantowych", posts["b_need"].id, 3 * a.fair.point_rate)]
    [signature] = agreement.signatures
    assert (signature.participant_id, signature.method, signature.version) == (a.id, SignatureMethod.OWN_DEVICE,
                                                                               agreement.version)


def test_the_counterpart_is_told_on_their_phone_who_proposes(pair: Pair, posts) -> None:
    a, b = pair
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    [event] = proposed_events()
    assert event.participant_id == b.id
    assert (event.payload["id"], event.payload["by"], event.payload["organisation"]) == (
        sent.row_id, "Łucja Żółkiewska", "Fundacja Źdźbło")


def test_sending_is_one_audited_call(pair: Pair, posts) -> None:
    a, b = pair
    before = count(AuditEvent)
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    [entry] = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert count(AuditEvent) == before + 1
    assert (entry.action, entry.target, entry.actor_id) == (
        "proposals.propose_exchange", f"Agreement#{sent.row_id}", a.id)


def test_a_refused_obligation_leaves_nothing_behind(pair: Pair, posts) -> None:
    a, b = pair
    good = obligations_of(draft_proposal(a, a.fair_id, b.id))[0]
    paid = ObligationData(a.organisation_id, b.organisation_id, "Zapłacimy 200 zł")
    with pytest.raises(ValidationError):
        propose_exchange(a, a.fair_id, b.id, [good, paid], new_key())
    assert count(Agreement) == 0 and proposed_events() == []


def test_one_side_only_is_a_proposal_too(pair: Pair, make_post) -> None:
    a, b = pair
    make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER)
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    assert len(db.session.get_one(Agreement, sent.row_id).obligations) == 1


def test_a_proposal_saying_nothing_is_refused(pair: Pair) -> None:
    a, b = pair
    with pytest.raises(ValidationError) as err:
        propose_exchange(a, a.fair_id, b.id, [], new_key())
    assert err.value.code == "no_obligations" and count(Agreement) == 0


def test_an_obligation_naming_a_strangers_post_is_refused(pair: Pair, make_participant, make_post) -> None:
    a, b = pair
    stranger = make_post(make_participant(organisation="Klub Seniora"), title="Sala widowiskowa")
    with pytest.raises(ValidationError) as err:
        propose_exchange(a, a.fair_id, b.id, [ObligationData(b.organisation_id, a.organisation_id, "Sala",
                                                             post_id=stranger.id)], new_key())
    assert err.value.code == "post_not_of_parties" and count(Agreement) == 0


def test_sending_when_trading_is_closed_is_refused(pair: Pair, posts, organiser: Participant) -> None:
    a, b = pair
    obligations = obligations_of(draft_proposal(a, a.fair_id, b.id))
    close_trading(organiser, a.fair_id)
    with pytest.raises(Conflict) as err:
        propose_exchange(a, a.fair_id, b.id, obligations, new_key())
    assert err.value.code == "trading_closed" and count(Agreement) == 0


def test_sending_to_a_colleague_is_refused(pair: Pair, make_participant) -> None:
    a, _b = pair
    colleague = make_participant("Zofia", organisation="Fundacja Źdźbło")
    with pytest.raises(ValidationError) as err:
        propose_exchange(a, a.fair_id, colleague.id,
                         [ObligationData(a.organisation_id, a.organisation_id, "Sala")], new_key())
    assert err.value.code == "same_organisation" and count(Agreement) == 0


def test_sending_to_someone_of_another_fair_is_refused(pair: Pair, make_fair, make_participant) -> None:
    a, _b = pair
    elsewhere = make_participant(fair_id=make_fair().id)
    with pytest.raises(NotFound):
        propose_exchange(a, a.fair_id, elsewhere.id, [], new_key())


def test_a_double_tap_proposes_once(pair: Pair, posts) -> None:
    a, b = pair
    obligations, key = obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key()
    first = propose_exchange(a, a.fair_id, b.id, obligations, key)
    second = propose_exchange(a, a.fair_id, b.id, obligations, key)
    assert (first.created, second.created) == (True, False) and first.row_id == second.row_id
    assert count(Agreement) == 1 and len(proposed_events()) == 1


def test_the_same_proposal_from_many_threads_at_once_proposes_once(app: Flask, pair: Pair, posts) -> None:
    a, b = pair
    obligations, key, fair_id, a_id, b_id = (obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key(),
                                             a.fair_id, a.id, b.id)

    def send():
        return propose_exchange(db.session.get_one(Participant, a_id), fair_id, b_id, obligations, key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert sorted(created for _, (_id, created) in results) == [False] * (THREADS - 1) + [True]
    assert count(Agreement) == 1 and len(proposed_events()) == 1


def test_the_counterparts_one_signature_sends_it_to_the_notary(pair: Pair, posts) -> None:
    a, b = pair
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    agreement = sign_agreement(b, b.fair_id, sent.row_id, version=1)
    assert agreement.state == AgreementState.AWAITING_SIGNATURES and agreement.number is None
    assert [w.id for w in awaiting_notary(a.fair_id)] == [sent.row_id]


def test_without_a_notary_step_the_counterparts_signature_completes_it(pair: Pair, posts) -> None:
    a, b = pair
    with transaction():
        db.session.get_one(Fair, a.fair_id).notary_required = False
    sent = propose_exchange(a, a.fair_id, b.id, obligations_of(draft_proposal(a, a.fair_id, b.id)), new_key())
    agreement = sign_agreement(b, b.fair_id, sent.row_id, version=1)
    assert agreement.state == AgreementState.SIGNED and agreement.number and agreement.content_hash


def test_the_same_category_alone_is_a_weak_answer(pair: Pair, make_post) -> None:
    a, b = pair
    need = make_post(a, title="Miejsce na próby chóru", kind=PostKind.NEED)
    offer = make_post(b, title="Świetlica wiejska", kind=PostKind.OFFER)
    theirs = draft_proposal(a, a.fair_id, b.id).theirs
    assert (theirs.offer, theirs.need) == (offer, need)


def test_shared_words_outweigh_the_same_category(pair: Pair, make_post) -> None:
    a, b = pair
    need = make_post(a, title="Rzutnik na spotkanie", kind=PostKind.NEED, category_key="equipment")
    make_post(b, title="Nagłośnienie", kind=PostKind.OFFER, category_key="equipment")
    projector = make_post(b, title="Rzutnik multimedialny", kind=PostKind.OFFER, category_key="other")
    theirs = draft_proposal(a, a.fair_id, b.id).theirs
    assert (theirs.offer, theirs.need) == (projector, need)
