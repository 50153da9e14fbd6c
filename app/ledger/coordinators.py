"""The network's coordinators: the organisers of the network's own space (app/fairs/network_space.py),
who see the whole network's ledger (totals, system accounts, every fair's entries, whole-ledger
exports), its members and its results. A fair's organiser is not one: the command line gives an
organiser of a fair an account of their own at the network's space (same name, organisation and
password, logged in at the space's address), or takes it away, so that no web page can make
someone a coordinator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.emails import email_key
from app.core.errors import NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.fairs.models import Fair, FairKind
from app.fairs.network_space import ensure_network_space, network_space
from app.fairs.roles import Role
from app.ledger.permissions import SystemActor
from app.people.models import Participant
from app.people.participants import attend_as


def find_staff(slug: str, email: str) -> Participant:
    person = db.session.scalar(select(Participant).join(Fair).where(
        Fair.slug == slug, Participant.email_key == email_key(email), Participant.removed_at.is_(None)))
    if person is None:
        raise NotFound(_l("Nobody with this e-mail at this fair."), code="participant_not_found")
    return person


def _at_space(person: Participant) -> Participant | None:
    if person.fair.is_network:
        return person if person.removed_at is None else None
    space = network_space()
    if space is None:
        return None
    return db.session.scalar(select(Participant).where(
        Participant.fair_id == space.id, Participant.person_id == person.person_id,
        Participant.removed_at.is_(None)))


@service
def set_network_coordinator(actor: SystemActor, participant_id: int, coordinator: bool) -> Participant | None:
    """Make an organiser of a fair a coordinator (their account at the network's space, made now
    or made an organiser's), or take it away (that account removed: its logins stop working).
    Returns the coordinator's account, or None when there was none to take away."""
    person = db.session.get_one(Participant, participant_id)
    account = _at_space(person)
    if not coordinator:
        if account is not None:
            account.removed_at = utcnow()
            account.login_version += 1
        return account
    if person.role != Role.ORGANISER:
        raise ValidationError(_l("Only an organiser can coordinate the network."), code="not_organiser")
    if not person.password_hash:
        # Until they choose it, their invitation link (on the organisers' staff page) would.
        raise ValidationError(_l("This organiser has not chosen a password yet: they coordinate the network "
                                 "once they have."), code="coordinator_without_password")
    if account is not None:
        account.role = Role.ORGANISER
        return account
    account = attend_as(ensure_network_space().id, person, Role.ORGANISER, via="coordinator")
    account.password_hash = person.password_hash
    return account


def network_coordinators() -> list[Participant]:
    return list(db.session.scalars(select(Participant).join(Fair).where(
        Fair.kind == FairKind.NETWORK, Participant.role == Role.ORGANISER, Participant.removed_at.is_(None))
        .order_by(Participant.id)))
