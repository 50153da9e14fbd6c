"""Annulment (app/agreements/annulment.py): by all parties, by the organiser with a reason, never of a
draft or a partly fulfilled agreement."""

import pytest

from app.agreements.annulment import annul_by_organiser, request_annulment
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import AgreementState
from app.agreements.signing import record_paper_agreement
from app.core.errors import DomainError


def test_annul_by_all_parties(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    assert request_annulment(a, trading_fair.id, d.id).state == AgreementState.SIGNED
    done = request_annulment(b, trading_fair.id, d.id, "Zmiana planów")
    assert done.state == AgreementState.ANNULLED and done.annul_reason == "Zmiana planów"
    assert done.number is not None and done.content_hash  # recorded, never deleted


def test_organiser_annuls_with_reason(trading_fair, organiser, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    with pytest.raises(DomainError) as err:
        annul_by_organiser(organiser, trading_fair.id, d.id, " ")
    assert err.value.code == "reason_missing"
    assert annul_by_organiser(organiser, trading_fair.id, d.id, "Pieniądze w tle").state == AgreementState.ANNULLED


def test_draft_cannot_be_annulled(trading_fair, organiser, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        annul_by_organiser(organiser, trading_fair.id, d.id, "x")
    assert err.value.code == "not_annullable"


@pytest.fixture
def signed(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    return a, b, d


def test_partly_fulfilled_agreement_cannot_be_annulled(trading_fair, organiser, signed):
    _a, b, d = signed
    confirm_delivery(b, trading_fair.id, d.obligations[0].id)
    with pytest.raises(DomainError) as err:
        annul_by_organiser(organiser, trading_fair.id, d.id, "za późno")
    assert err.value.code == "partly_fulfilled"
