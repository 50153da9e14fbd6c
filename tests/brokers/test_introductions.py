"""Introductions (app/brokers/introductions.py): who may introduce whom, both phones told once,
and which introductions became agreements."""

import uuid

import pytest

from app.agreements.drafting import cancel_agreement
from app.agreements.models import AgreementState
from app.brokers.introductions import EVENT, introduce, introductions_of
from app.core.errors import DomainError
from app.fairs.roles import Role
from app.floor.kinds import PostKind


@pytest.fixture
def pair(make_participant):
    return make_participant("Anna", "Nowak", organisation="Fundacja Arka"), \
        make_participant("Piotr", "Zieliński", organisation="Dom Kultury Tczew")


def test_broker_introduces_two_people_and_both_get_the_others_card(trading_fair, broker, pair, make_post, notices):
    anna, piotr = pair
    need = make_post(anna, "Potrzebna sala na warsztaty", kind=PostKind.NEED)
    offer = make_post(piotr, "Sala widowiskowa")
    sent = introduce(broker, trading_fair.id, anna.id, piotr.id, need.id, offer.id, form_key=uuid.uuid4().hex)
    assert sent.created and sent.row.broker_id == broker.id
    [to_anna] = notices(anna, EVENT)
    [to_piotr] = notices(piotr, EVENT)
    assert to_anna.payload["other"]["name"] == "Piotr Zieliński"
    assert to_anna.payload["other"]["organisation"] == "Dom Kultury Tczew"
    assert to_anna.payload["other"]["badge"] == piotr.badge_code
    assert to_anna.payload["other"]["post"]["title"] == "Sala widowiskowa"
    assert to_piotr.payload["other"]["post"]["id"] == need.id
    assert "Marek Makler (makler) przedstawia Ci: Piotr Zieliński" in to_anna.payload["text"]["pl"]


def test_double_tap_introduces_once(trading_fair, broker, pair, notices):
    anna, piotr = pair
    key = uuid.uuid4().hex
    first = introduce(broker, trading_fair.id, anna.id, piotr.id, form_key=key)
    again = introduce(broker, trading_fair.id, anna.id, piotr.id, form_key=key)
    assert not again.created and again.row_id == first.row_id
    assert len(notices(anna, EVENT)) == 1 and len(notices(piotr, EVENT)) == 1


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANISER, Role.NOTARY])
def test_only_a_broker_introduces(trading_fair, make_participant, pair, role):
    anna, piotr = pair
    someone = make_participant("Ewa", "Inna", role=role)
    with pytest.raises(DomainError) as err:
        introduce(someone, trading_fair.id, anna.id, piotr.id)
    assert err.value.code == "forbidden_role"


def test_two_people_of_one_organisation_are_not_introduced(trading_fair, broker, make_participant):
    anna = make_participant("Anna", "Nowak", organisation="Fundacja Arka")
    ola = make_participant("Ola", "Nowak", organisation="Fundacja Arka")
    with pytest.raises(DomainError) as err:
        introduce(broker, trading_fair.id, anna.id, ola.id)
    assert err.value.code == "same_organisation"


def test_someone_of_another_fair_is_not_introduced(trading_fair, broker, pair, make_fair, make_participant):
    anna, _ = pair
    elsewhere = make_participant("Jan", "Obcy", fair_id=make_fair().id)
    with pytest.raises(DomainError) as err:
        introduce(broker, trading_fair.id, anna.id, elsewhere.id)
    assert err.value.code == "participant_not_found"


def test_a_broker_of_another_fair_introduces_nobody_here(trading_fair, pair, make_fair, make_participant):
    anna, piotr = pair
    stranger = make_participant("Marek", "Obcy", role=Role.BROKER, fair_id=make_fair().id)
    with pytest.raises(DomainError) as err:
        introduce(stranger, trading_fair.id, anna.id, piotr.id)
    assert err.value.code == "not_logged_in"


def test_the_post_must_be_the_persons_organisations(trading_fair, broker, pair, make_participant, make_post):
    anna, piotr = pair
    others = make_post(make_participant(), "Sala", kind=PostKind.OFFER)
    with pytest.raises(DomainError) as err:
        introduce(broker, trading_fair.id, anna.id, piotr.id, second_post_id=others.id)
    assert err.value.code == "post_not_theirs"


def test_introduction_without_agreement_says_so(trading_fair, broker, pair):
    anna, piotr = pair
    introduce(broker, trading_fair.id, anna.id, piotr.id)
    [outcome] = introductions_of(trading_fair.id, broker.id)
    assert outcome.agreement is None


def test_agreement_drafted_after_the_introduction_is_what_it_became(trading_fair, broker, pair, make_draft):
    anna, piotr = pair
    introduce(broker, trading_fair.id, anna.id, piotr.id)
    draft = make_draft(piotr, anna)
    [outcome] = introductions_of(trading_fair.id, broker.id)
    assert outcome.agreement.id == draft.id and outcome.agreement.state == AgreementState.DRAFT


def test_agreement_before_the_introduction_is_not_its_outcome(trading_fair, broker, pair, make_draft):
    anna, piotr = pair
    make_draft(anna, piotr)
    introduce(broker, trading_fair.id, anna.id, piotr.id)
    [outcome] = introductions_of(trading_fair.id, broker.id)
    assert outcome.agreement is None


def test_agreement_with_someone_else_is_not_its_outcome(trading_fair, broker, pair, make_participant, make_draft):
    anna, piotr = pair
    introduce(broker, trading_fair.id, anna.id, piotr.id)
    make_draft(anna, make_participant("Ktoś", "Inny"))
    [outcome] = introductions_of(trading_fair.id, broker.id)
    assert outcome.agreement is None


def test_the_furthest_agreement_is_shown_over_a_cancelled_one(trading_fair, broker, pair, make_draft):
    anna, piotr = pair
    introduce(broker, trading_fair.id, anna.id, piotr.id)
    cancelled = make_draft(anna, piotr)
    cancel_agreement(anna, trading_fair.id, cancelled.id)
    kept = make_draft(piotr, anna)
    [outcome] = introductions_of(trading_fair.id, broker.id)
    assert outcome.agreement.id == kept.id


def test_a_broker_sees_only_their_own_introductions(trading_fair, broker, pair, make_participant):
    anna, piotr = pair
    other = make_participant("Zofia", "Druga", role=Role.BROKER)
    introduce(other, trading_fair.id, anna.id, piotr.id)
    assert introductions_of(trading_fair.id, broker.id) == []
    assert len(introductions_of(trading_fair.id)) == 1
