"""Annulling a signed agreement: by all parties, or by an organiser with a reason. Recorded,
never deleted; the verification page shows it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.agreements.access import actor_party, get_agreement
from app.agreements.events import announce_public, notify_parties
from app.agreements.models import Agreement, AgreementState, ObligationState
from app.core.errors import Conflict, ValidationError
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.roles import Role, require_role
from app.people.models import Participant


def _require_signed(agreement: Agreement) -> None:
    if agreement.state == AgreementState.ANNULLED:
        return
    if agreement.state != AgreementState.SIGNED:
        raise Conflict(_l("Only a signed agreement can be annulled."), code="not_annullable")
    if any(o.state == ObligationState.CONFIRMED for o in agreement.obligations):
        raise Conflict(_l("Part of this agreement has already been fulfilled and posted; it cannot be "
                          "annulled."), code="partly_fulfilled")


def _annul(agreement: Agreement, actor: Participant, reason: str) -> None:
    agreement.state = AgreementState.ANNULLED
    agreement.annulled_at = utcnow()
    agreement.annulled_by_id = actor.id
    agreement.annul_reason = reason
    notify_parties(agreement, "agreement.annulled", exclude=actor.id)
    announce_public(agreement, "agreement.annulled")


@service
def request_annulment(actor: Participant, fair_id: int, agreement_id: int, reason: str = "") -> Agreement:
    """A party asks to annul; when every party has asked, the agreement is annulled."""
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    party = actor_party(actor, agreement)
    _require_signed(agreement)
    if agreement.state == AgreementState.ANNULLED:
        return agreement
    if party.annul_requested_at is None:
        party.annul_requested_at = utcnow()
    if all(p.annul_requested_at for p in agreement.parties):
        _annul(agreement, actor, tidy(reason)[:500] or str(_l("Annulled by all parties.")))
    else:
        notify_parties(agreement, "agreement.annulment_requested", exclude=actor.id)
    return agreement


@service
def annul_by_organiser(actor: Participant, fair_id: int, agreement_id: int, reason: str) -> Agreement:
    require_role(actor, fair_id, Role.ORGANISER)
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    _require_signed(agreement)
    if agreement.state == AgreementState.ANNULLED:
        return agreement
    if not tidy(reason):
        raise ValidationError(_l("Give the reason for the annulment."), code="reason_missing")
    _annul(agreement, actor, tidy(reason)[:500])
    return agreement
