"""Who may issue, see and reissue a certificate, and loading one for them.

A fair's organiser issues certificates of their fair's agreements and sees those (whoever issued
them); the network's coordinator (an organiser of the network's space) issues certificates of the
whole network's agreements and sees every certificate. A member's own people (anyone at any fair
for one of its organisations) may download its certificates.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.certificates.models import Certificate
from app.core.errors import NotFound
from app.core.extensions import db
from app.fairs.roles import Role, require_role
from app.ledger.permissions import is_network_admin
from app.people.models import Organisation, Participant


def require_issuer(actor: Participant | None, fair_id: int) -> Participant:
    return require_role(actor, fair_id, Role.ORGANISER)


def scope_of(actor: Participant) -> int | None:
    """The fair whose agreements the actor certifies; None: the whole network's (the coordinator)."""
    return None if is_network_admin(actor) else actor.fair_id


def may_see(actor: Participant, certificate: Certificate) -> bool:
    return actor.role == Role.ORGANISER and (is_network_admin(actor) or certificate.fair_id == actor.fair_id)


def _not_found() -> NotFound:
    return NotFound(_l("There is no such certificate."), code="certificate_not_found")


def get_certificate(actor: Participant, certificate_id: int, lock: bool = False) -> Certificate:
    """The certificate, if the actor may manage it; else NotFound (as for an id none has)."""
    require_issuer(actor, actor.fair_id)
    certificate = db.session.get(Certificate, certificate_id, with_for_update=lock or None, populate_existing=lock)
    if certificate is None or not may_see(actor, certificate):
        raise _not_found()
    return certificate


def member_at_fair(member_id: int, fair_id: int) -> bool:
    """Whether the member had an organisation at the fair (removed since or not)."""
    return db.session.scalar(select(Organisation.id).where(
        Organisation.member_id == member_id, Organisation.fair_id == fair_id).limit(1)) is not None


def get_own_certificate(actor: Participant, certificate_id: int) -> Certificate:
    """A certificate of the actor's own member (whoever issued it); else NotFound."""
    require_role(actor, actor.fair_id)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.member_id != actor.organisation.member_id:
        raise _not_found()
    return certificate
