"""The coordinator's side of the network's fairs: every fair of the network, and a new fair created
inside the network with its first organiser, who is invited by e-mail to choose their password."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.errors import Forbidden, ValidationError
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail
from app.core.storage.transactions import service
from app.fairs.fairs import FairData, create_fair
from app.fairs.models import Fair, FairKind
from app.fairs.roles import Role, require_role
from app.people.models import Organisation, Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant
from app.people.staff import invitation_mail


def require_coordinator(actor: Participant | None) -> Participant:
    """The actor must be logged in at the network's space as one of its organisers."""
    actor = require_role(actor, actor.fair_id if actor is not None else 0, Role.ORGANISER)
    if not actor.fair.is_network:
        raise Forbidden(_l("Only the network's coordinator may do this."), code="not_coordinator")
    return actor


@dataclass(frozen=True)
class NetworkFair:
    fair: Fair
    organisations: int
    participants: int
    organisers: list[str]


def network_fairs() -> list[NetworkFair]:
    """Every fair of the network (not its space), the newest first, with its counts."""
    fairs = list(db.session.scalars(select(Fair).where(Fair.kind == FairKind.FAIR)
                                    .order_by(func.coalesce(Fair.starts_at, Fair.created_at).desc(), Fair.id.desc())))
    orgs = dict(db.session.execute(select(Organisation.fair_id, func.count()).where(
        Organisation.removed_at.is_(None)).group_by(Organisation.fair_id)).tuples().all())
    people = dict(db.session.execute(select(Participant.fair_id, func.count()).where(
        Participant.removed_at.is_(None)).group_by(Participant.fair_id)).tuples().all())
    organisers: dict[int, list[str]] = {}
    for p in db.session.scalars(select(Participant).where(
            Participant.role == Role.ORGANISER, Participant.removed_at.is_(None)).order_by(Participant.id)):
        organisers.setdefault(p.fair_id, []).append(p.full_name)
    return [NetworkFair(f, orgs.get(f.id, 0), people.get(f.id, 0), organisers.get(f.id, [])) for f in fairs]


@dataclass(frozen=True)
class NewNetworkFair:
    organiser: Participant
    invitation: QueuedMail


@service
def create_network_fair(actor: Participant, fair: FairData, organiser: PersonData,
                        organisation: OrganisationData) -> NewNetworkFair:
    """A fair inside the network and its first organiser (no password yet: their invitation, sent
    by e-mail after this commits, lets them choose it). The coordinator is not made its organiser."""
    require_coordinator(actor)
    if not organiser.email:
        raise ValidationError(_l("The organiser's e-mail address is needed: their invitation goes there."),
                              code="email_required")
    created = create_fair(fair)
    organiser.role = Role.ORGANISER
    person = create_participant(created.id, organiser, organisation, via="coordinator")
    return NewNetworkFair(person, invitation_mail(person))
