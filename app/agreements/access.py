"""Loading agreements for an actor: who may see, edit or sign them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.agreements.models import Agreement, AgreementParty
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.extensions import db
from app.fairs.roles import STAFF_ROLES, require_role
from app.people.models import Participant


def get_agreement(fair_id: int, agreement_id: int, lock: bool = False) -> Agreement:
    # Locked (to change it): read again under the lock, in the same statement, even if this
    # session held it, with its parties' organisations and people (whom every change names).
    options = [selectinload(Agreement.parties).selectinload(AgreementParty.organisation),
               selectinload(Agreement.parties).selectinload(AgreementParty.representative)] if lock else []
    agreement = db.session.get(Agreement, agreement_id, with_for_update=lock or None, populate_existing=lock,
                               options=options)
    if agreement is None or agreement.fair_id != fair_id:
        raise NotFound(_l("This agreement does not exist."), code="agreement_not_found")
    return agreement


def actor_party(actor: Participant, agreement: Agreement) -> AgreementParty:
    """The party the actor belongs to (through their organisation), or Forbidden."""
    require_role(actor, agreement.fair_id)
    party = agreement.party_for(actor.organisation_id)
    if party is None:
        raise Forbidden(_l("Only the parties to an agreement can do this."), code="not_a_party")
    return party


def can_view(actor: Participant | None, agreement: Agreement) -> bool:
    if actor is None or actor.fair_id != agreement.fair_id:
        return False
    return actor.role in STAFF_ROLES or agreement.party_for(actor.organisation_id) is not None


def require_version(agreement: Agreement, version: int | None) -> None:
    if version is not None and version != agreement.version:
        raise Conflict(_l("The agreement has changed since you opened it. Read it again before signing."),
                       code="agreement_changed")
