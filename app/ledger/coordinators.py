"""The network's coordinators: organisers who see the whole network's ledger (totals, system
accounts, every fair's entries, whole-ledger exports). Granted and taken away from the command
line only, so that no web page can make someone a coordinator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.emails import email_key
from app.core.errors import NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.ledger.permissions import SystemActor
from app.people.models import Participant


def find_staff(slug: str, email: str) -> Participant:
    person = db.session.scalar(select(Participant).join(Fair).where(
        Fair.slug == slug, Participant.email_key == email_key(email), Participant.removed_at.is_(None)))
    if person is None:
        raise NotFound(_l("Nobody with this e-mail at this fair."), code="participant_not_found")
    return person


@service
def set_network_coordinator(actor: SystemActor, participant_id: int, coordinator: bool) -> Participant:
    person = db.session.get_one(Participant, participant_id)
    if coordinator and person.role != Role.ORGANISER:
        raise ValidationError(_l("Only an organiser can coordinate the network."), code="not_organiser")
    if coordinator and not person.password_hash:
        # Until they choose it, their invitation link (on the organisers' staff page) would.
        raise ValidationError(_l("This organiser has not chosen a password yet: they coordinate the network "
                                 "once they have."), code="coordinator_without_password")
    person.network_coordinator = coordinator
    return person


def network_coordinators() -> list[Participant]:
    return list(db.session.scalars(select(Participant).where(Participant.network_coordinator.is_(True))
                                   .order_by(Participant.id)))
