"""A phone's own key on a signature (app/agreements/signing.py, app/core/web/sent_actions.py):
a signature sent twice — kept while offline, its first answer lost — signs once, even when the
agreement has changed since the first send; another key meets the usual rules, and a version
that went stale while the phone waited is refused with nothing signed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft
from app.agreements.models import Agreement, AgreementState, Signature
from app.agreements.signing import sign_agreement
from app.core.errors import Conflict
from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.core.web.sent_actions import SentAction
from app.fairs.models import Fair
from app.people.models import Participant
from tests.concurrency import in_threads


def signatures(agreement_id: int) -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Signature.id)).where(Signature.agreement_id == agreement_id))
               or 0)


@pytest.fixture
def pair(trading_fair: Fair, make_participant: Callable[..., Participant]) -> tuple[Participant, Participant]:
    return (make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak"))


@pytest.fixture
def draft(pair: tuple[Participant, Participant], make_draft: Callable[..., Any]) -> Agreement:
    return make_draft(*pair)


def edited(editor: Participant, pair: tuple[Participant, Participant], agreement: Agreement) -> Agreement:
    """B changes the draft (which voids the signatures so far): its version moves on."""
    a, b = pair
    data = AgreementData(parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
                         obligations=[ObligationData(a.organisation_id, b.organisation_id, "Sala na 40 osób",
                                                     points=40)])
    return save_draft(editor, editor.fair_id, agreement.id, data, version=agreement.version)


def test_the_same_signature_sent_twice_signs_once(pair: tuple[Participant, Participant], draft: Agreement) -> None:
    a, _b = pair
    key = new_key()
    sign_agreement(a, a.fair_id, draft.id, draft.version, key=key)
    again = sign_agreement(a, a.fair_id, draft.id, draft.version, key=key)
    assert again.state == AgreementState.AWAITING_SIGNATURES
    assert signatures(draft.id) == 1
    assert db.session.scalar(select(func.count(SentAction.id))) == 1


def test_a_repeat_after_the_agreement_changed_signs_nothing_and_is_not_refused(
        pair: tuple[Participant, Participant], draft: Agreement) -> None:
    """The first send's signature was voided by B's edit; its late repeat neither signs the new
    version (A never read it) nor is refused as stale: it answers as the first send did."""
    a, b = pair
    key = new_key()
    version = draft.version
    sign_agreement(a, a.fair_id, draft.id, version, key=key)
    changed = edited(b, pair, db.session.get_one(Agreement, draft.id))
    replayed = sign_agreement(a, a.fair_id, draft.id, version, key=key)
    assert replayed.version == changed.version
    assert a.organisation_id not in {s.party.organisation_id for s in replayed.current_signatures()}


def test_a_signature_kept_while_the_agreement_changed_is_refused_with_nothing_signed(
        pair: tuple[Participant, Participant], draft: Agreement) -> None:
    """A signed nothing yet; B changed the draft while A's phone was offline: A's kept signature,
    sent when the phone is back, is refused with the reason, and nothing is half-done."""
    a, b = pair
    version = draft.version
    edited(b, pair, draft)
    with pytest.raises(Conflict) as err:
        sign_agreement(a, a.fair_id, draft.id, version, key=new_key())
    assert err.value.code == "agreement_changed"
    assert signatures(draft.id) == 0
    assert db.session.scalar(select(func.count(SentAction.id))) == 0


def test_different_keys_follow_the_usual_rules(pair: tuple[Participant, Participant], draft: Agreement) -> None:
    """Two sends with keys of their own: the second is the usual double tap, signing once."""
    a, b = pair
    sign_agreement(a, a.fair_id, draft.id, draft.version, key=new_key())
    sign_agreement(a, a.fair_id, draft.id, draft.version, key=new_key())
    assert signatures(draft.id) == 1
    done = sign_agreement(b, b.fair_id, draft.id, draft.version, key=new_key())
    assert done.state in (AgreementState.SIGNED, AgreementState.AWAITING_SIGNATURES)
    assert signatures(draft.id) == 2


def test_the_same_signature_from_many_threads_at_once_signs_once(
        app: Flask, pair: tuple[Participant, Participant], draft: Agreement) -> None:
    a, _b = pair
    a_id, fair_id, draft_id, version, key = a.id, a.fair_id, draft.id, draft.version, new_key()

    def send() -> Agreement:
        return sign_agreement(db.session.get_one(Participant, a_id), fair_id, draft_id, version, key=key)

    results = in_threads(app, [send] * 4)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert signatures(draft_id) == 1
