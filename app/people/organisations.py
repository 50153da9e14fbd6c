"""Organisation services: the entities participants represent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.emails import normalise_email
from app.core.errors import Conflict, NotFound
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.textkeys import name_key, search_key, tidy
from app.fairs.roles import Role, require_role
from app.network.recognition import MemberData, member_for
from app.network.sectors import Sector
from app.people.models import Organisation, Participant

# A fair's organisation is described as the network member it stands for is (name, sector, place,
# contacts, branch, register numbers): one set of fields, recognised by `member_for`.
OrganisationData = MemberData


def find_organisation(fair_id: int, name: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(
            Organisation.fair_id == fair_id,
            Organisation.name_key == name_key(name),
            Organisation.removed_at.is_(None),
        )
    )


def get_organisation(fair_id: int, organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id)
    if org is None or org.fair_id != fair_id or org.removed_at is not None:
        raise NotFound(_l("This organisation does not exist."), code="organisation_not_found")
    return org


def _apply(org: Organisation, data: OrganisationData) -> None:
    org.name = tidy(data.name)
    org.name_key = name_key(data.name)
    org.search_text = search_key(org.name)
    org.sector = Sector(data.sector)
    org.city = tidy(data.city)
    org.email = normalise_email(data.email).lower()
    org.phone = tidy(data.phone)
    org.website = tidy(data.website)
    org.description = (data.description or "").strip()


def ensure_organisation(fair_id: int, data: OrganisationData) -> Organisation:
    """The fair's organisation of that name, created if new (inside the caller's transaction):
    the network member it stands for is recognised (same identifier, e-mail, or name and place)
    or added."""
    existing = find_organisation(fair_id, data.name)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():  # the member too: a lost race keeps no member of its own
            org = Organisation(fair_id=fair_id, member_id=member_for(data).id)
            _apply(org, data)
            db.session.add(org)
    except IntegrityError:  # registered by someone else at the same moment: use theirs
        existing = find_organisation(fair_id, data.name)
        if existing is None:
            raise
        return existing
    return org


@service
def create_organisation(actor: Participant, fair_id: int, data: OrganisationData) -> Organisation:
    require_role(actor, fair_id, Role.ORGANISER)
    if find_organisation(fair_id, data.name) is not None:
        raise Conflict(
            _l("An organisation named %(name)s is already registered.", name=tidy(data.name)),
            code="duplicate_organisation",
        )
    return ensure_organisation(fair_id, data)


@service
def update_organisation(
    actor: Participant, fair_id: int, organisation_id: int, data: OrganisationData
) -> Organisation:
    require_role(actor, fair_id, Role.ORGANISER)
    org = get_organisation(fair_id, organisation_id)
    other = find_organisation(fair_id, data.name)
    if other is not None and other.id != org.id:
        raise Conflict(
            _l("An organisation named %(name)s is already registered.", name=tidy(data.name)),
            code="duplicate_organisation",
        )
    _apply(org, data)
    return org


@service
def remove_organisation(actor: Participant, fair_id: int, organisation_id: int) -> None:
    require_role(actor, fair_id, Role.ORGANISER)
    org = get_organisation(fair_id, organisation_id)
    members = db.session.scalar(
        select(func.count()).select_from(Participant).where(
            Participant.organisation_id == org.id, Participant.removed_at.is_(None)
        )
    )
    if members:
        raise Conflict(
            _l("Remove or move this organisation's %(n)d participants first.", n=members),
            code="organisation_not_empty",
        )
    org.removed_at = utcnow()
