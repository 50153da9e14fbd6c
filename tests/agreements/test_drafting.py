"""Drafting: start from a card or a post, edit, money rule, cancel."""

import pytest

from app.agreements.drafting import (
    AgreementData,
    ObligationData,
    PartyData,
    cancel_agreement,
    save_draft,
    start_agreement,
    start_paper_draft,
)
from app.agreements.models import AgreementState
from app.core.errors import DomainError
from app.core.storage.events import events_since
from app.floor.kinds import PostKind


def data(a, b, *obligations, parties=None):
    return AgreementData(parties=parties or [PartyData(a.organisation_id, a.id), PartyData(b.organisation_id, b.id)],
                         obligations=list(obligations))


def ob(giver, receiver, text="Sala na 30 osób", **kw):
    return ObligationData(giver.organisation_id, receiver.organisation_id, text, **kw)


def test_start_from_card(trading_fair, make_participant):
    a, b = make_participant(), make_participant(show_email=True, email="b@example.org")
    draft = start_agreement(a, trading_fair.id, b.id)
    assert draft.state == AgreementState.DRAFT and draft.number is None
    assert [p.organisation_id for p in draft.parties] == [a.organisation_id, b.organisation_id]
    assert draft.parties[1].contact_details == "b@example.org"


def test_counterpart_hidden_contacts_not_prefilled(trading_fair, make_participant):
    a, b = make_participant(), make_participant(email="hidden@example.org")
    draft = start_agreement(a, trading_fair.id, b.id)
    assert "hidden@example.org" not in draft.parties[1].contact_details


def test_start_from_offer_prefills_obligation(trading_fair, make_participant, make_post):
    a, b = make_participant(), make_participant()
    offer = make_post(b, "Rzutnik na warsztaty", category_key="equipment")
    draft = start_agreement(a, trading_fair.id, b.id, post_id=offer.id)
    (first,) = draft.obligations
    assert first.description == "Rzutnik na warsztaty" and first.post_id == offer.id
    assert first.giver.organisation_id == b.organisation_id


def test_start_from_need_makes_actor_the_giver(trading_fair, make_participant, make_post):
    a, b = make_participant(), make_participant()
    need = make_post(b, "Potrzebujemy wolontariuszy", kind=PostKind.NEED, category_key="volunteers")
    draft = start_agreement(a, trading_fair.id, b.id, post_id=need.id)
    assert draft.obligations[0].giver.organisation_id == a.organisation_id


def test_same_organisation_refused(trading_fair, make_participant):
    a = make_participant(organisation="Razem")
    b = make_participant(organisation="Razem")
    with pytest.raises(DomainError) as err:
        start_agreement(a, trading_fair.id, b.id)
    assert err.value.code == "same_organisation"


def test_start_refused_while_trading_closed(fair, make_participant):
    with pytest.raises(DomainError) as err:
        start_agreement(make_participant(), fair.id, make_participant().id)
    assert err.value.code == "trading_closed"


def test_points_default_to_hours_at_point_rate(trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    saved = save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, b, hours=3), ob(b, a, hours=2, points=25)))
    assert [o.points for o in saved.obligations] == [3 * trading_fair.point_rate, 25]


@pytest.mark.parametrize("field", ["description", "when", "cost_contribution"])
def test_money_refused_with_explanation(field, trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    kw = {"description": "Sala", field: "Zapłacimy 300 zł"}
    with pytest.raises(DomainError) as err:
        save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, b, kw.pop("description"), **kw)))
    assert err.value.code == "money_taboo"
    assert "koszt" in str(err.value) or "cost" in str(err.value)


def test_cost_contribution_named_as_such_allowed(trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    saved = save_draft(a, trading_fair.id, draft.id,
                       data(a, b, ob(a, b, "Bus z kierowcą", cost_contribution="Zwrot kosztów paliwa 60 zł")))
    assert saved.obligations[0].cost_contribution == "Zwrot kosztów paliwa 60 zł"


def test_edit_bumps_version_and_voids_signatures(trading_fair, make_participant, make_draft):
    from app.agreements.signing import sign_agreement

    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    sign_agreement(a, trading_fair.id, draft.id, draft.version)
    assert len(draft.current_signatures()) == 1
    edited = save_draft(b, trading_fair.id, draft.id, data(a, b, ob(a, b, "Sala na 40 osób")))
    assert edited.version == draft.version and edited.current_signatures() == []
    assert edited.state == AgreementState.DRAFT


def test_stale_edit_refused(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    old = draft.version
    save_draft(b, trading_fair.id, draft.id, data(a, b, ob(a, b)), version=old)
    with pytest.raises(DomainError) as err:
        save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, b, "Inna sala")), version=old)
    assert err.value.code == "agreement_changed"


def test_outsider_cannot_edit(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        save_draft(make_participant(), trading_fair.id, draft.id, data(a, b, ob(a, b)))
    assert err.value.code == "not_a_party"


def test_group_deal_with_three_parties(trading_fair, make_participant):
    a, b, c = make_participant(), make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    parties = [PartyData(p.organisation_id, p.id) for p in (a, b, c)]
    saved = save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, b), ob(b, c), ob(c, a), parties=parties))
    assert len(saved.parties) == 3 and len(saved.obligations) == 3


def test_obligation_to_self_refused(trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    with pytest.raises(DomainError) as err:
        save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, a)))
    assert err.value.code == "giver_is_receiver"


def test_representative_must_be_member(trading_fair, make_participant):
    a, b, stranger = make_participant(), make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    parties = [PartyData(a.organisation_id, a.id), PartyData(b.organisation_id, stranger.id)]
    with pytest.raises(DomainError) as err:
        save_draft(a, trading_fair.id, draft.id, data(a, b, ob(a, b), parties=parties))
    assert err.value.code == "representative_not_member"


def test_cancel_unsigned_draft(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    assert cancel_agreement(b, trading_fair.id, draft.id).state == AgreementState.CANCELLED


def test_counterpart_notified_in_personal_room(trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    start_agreement(a, trading_fair.id, b.id)
    mine = [e for e in events_since(trading_fair.id, 0, b.id, after_private=0) if e.participant_id == b.id]
    assert [e.type for e in mine] == ["agreement.drafted"]
    assert not [e for e in events_since(trading_fair.id, 0, None) if e.type == "agreement.drafted"]


def test_notary_paper_draft_editable_by_notary(trading_fair, notary, make_participant):
    a, b = make_participant(), make_participant()
    draft = start_paper_draft(notary, trading_fair.id, a.id, b.id)
    saved = save_draft(notary, trading_fair.id, draft.id, data(a, b, ob(a, b, "Sala (z papieru)")))
    assert saved.on_paper and saved.obligations[0].description == "Sala (z papieru)"
