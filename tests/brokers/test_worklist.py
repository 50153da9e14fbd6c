"""The brokers' worklist (app/brokers/worklist.py): open needs, people with no post, partners."""

from app.agreements.drafting import (
    AgreementData,
    ObligationData,
    PartyData,
    cancel_agreement,
    save_draft,
    start_agreement,
)
from app.brokers.introductions import introduce
from app.brokers.worklist import build_worklist, description_probes, shared_worklist, unanswered_needs
from app.core.extensions import db
from app.core.storage.snapshots import snapshot_cache
from app.fairs.roles import Role
from app.floor.kinds import PostKind


def draft_over(fair_id, giver, receiver, need):
    draft = start_agreement(receiver, fair_id, giver.id)
    data = AgreementData(parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (receiver, giver)],
                         obligations=[ObligationData(giver.organisation_id, receiver.organisation_id, "Sala",
                                                     post_id=need.id, points=10)])
    return save_draft(receiver, fair_id, draft.id, data, version=draft.version)


def test_a_live_need_is_open_with_its_best_offers(trading_fair, make_participant, make_post):
    asker, giver = make_participant(), make_participant()
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    offer = make_post(giver, "Sala konferencyjna na 40 osób")
    [item] = build_worklist(trading_fair.id).needs
    assert item.need.id == need.id and item.need.author_badge == asker.badge_code
    assert [p.post.id for p in item.partners] == [offer.id]


def test_a_need_an_agreement_refers_to_is_answered(trading_fair, make_participant, make_post):
    asker, giver = make_participant(), make_participant()
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    draft_over(trading_fair.id, giver, asker, need)
    assert unanswered_needs(trading_fair.id) == []


def test_a_need_whose_agreement_was_cancelled_is_open_again(trading_fair, make_participant, make_post):
    asker, giver = make_participant(), make_participant()
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    draft = draft_over(trading_fair.id, giver, asker, need)
    cancel_agreement(asker, trading_fair.id, draft.id)
    assert [p.id for p in unanswered_needs(trading_fair.id)] == [need.id]


def test_a_need_a_broker_introduced_someone_over_is_taken_care_of(trading_fair, broker, make_participant, make_post):
    asker, giver = make_participant(), make_participant()
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    introduce(broker, trading_fair.id, asker.id, giver.id, first_post_id=need.id)
    assert unanswered_needs(trading_fair.id) == []


def test_offers_are_no_open_needs(trading_fair, make_participant, make_post):
    make_post(make_participant(), "Sala konferencyjna")
    assert unanswered_needs(trading_fair.id) == []


def test_people_with_no_post_are_listed_and_staff_are_not(trading_fair, broker, make_participant, make_post):
    quiet = make_participant("Bożena", "Cicha")
    make_post(make_participant(), "Sala konferencyjna")
    make_participant("Jerzy", "Notariusz", role=Role.NOTARY)
    assert [p.id for p in build_worklist(trading_fair.id).people] == [quiet.id]


def test_someone_whose_organisation_posted_is_not_alone(trading_fair, make_participant, make_post):
    poster = make_participant("Anna", "Pisze", organisation="Fundacja Arka")
    colleague = make_participant("Ola", "Milczy", organisation="Fundacja Arka")
    make_post(poster, "Sala konferencyjna")
    assert colleague.id not in [p.id for p in build_worklist(trading_fair.id).people]


def test_description_probes_are_never_saved(trading_fair, make_organisation, make_participant):
    make_organisation("Teatr Miejski", description="Mamy scenę, nagłośnienie i rzutnik.")
    person = make_participant("Adam", "Aktor", organisation="Teatr Miejski")
    probes = description_probes(person)
    assert [p.kind for p in probes] == [PostKind.OFFER, PostKind.NEED]
    assert all(p.details == "Mamy scenę, nagłośnienie i rzutnik." and p not in db.session for p in probes)


def test_without_a_description_there_is_no_probe(trading_fair, make_participant):
    assert description_probes(make_participant()) == []


def test_the_worklist_is_computed_once_per_fair_event(app, trading_fair, make_participant, make_post):
    make_post(make_participant(), "Potrzebna sala", kind=PostKind.NEED)
    fair = db.session.merge(trading_fair)
    db.session.refresh(fair)
    before = snapshot_cache(app).computed
    first = shared_worklist(fair)
    assert shared_worklist(fair) is first
    assert snapshot_cache(app).computed == before + 1


def test_the_members_public_description_is_the_probe_when_the_fair_has_none(trading_fair, make_participant):
    from app.core.storage.transactions import transaction

    person = make_participant("Adam", "Aktor", organisation="Teatr Miejski")
    with transaction():
        person.organisation.member.description = "Scena i nagłośnienie na wieczór."
    assert [p.details for p in description_probes(person)] == ["Scena i nagłośnienie na wieczór."] * 2
