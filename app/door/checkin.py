"""Check-in at the door: scanning a badge (a URL or a bare code) checks its holder in once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import DomainError, NotFound
from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.people.models import CheckIn, Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, add_participant

_BADGE_IN_URL = re.compile(r"/p/([A-Za-z0-9]+)/?(?:[?#].*)?$")
_LOGIN_IN_URL = re.compile(r"/login/[A-Za-z0-9_-]{16,}")


class CheckInError(DomainError):
    status = 422


@dataclass
class CheckInResult:
    participant: Participant
    check_in: CheckIn
    created: bool
    checked_in_count: int


def parse_scan(scanned: str) -> str:
    """What a scanner typed (badge URL or bare code) -> the badge code."""
    value = scanned.strip()
    if _LOGIN_IN_URL.search(value):
        raise CheckInError(
            _l("This is a private login code, not a badge. Please scan the badge."),
            code="private_code_scanned")
    match = _BADGE_IN_URL.search(value)
    code = match.group(1) if match else value
    return code.strip().upper()


def checked_in_count(fair_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.fair_id == fair_id)) or 0


@service
def check_in(actor: Participant, fair_id: int, scanned: str) -> CheckInResult:
    require_role(actor, fair_id, Role.NOTARY, Role.ORGANISER)
    code = parse_scan(scanned)
    if not code:
        raise CheckInError(_l("Scan a badge or type its code."), code="empty_scan")
    person = db.session.scalar(select(Participant).where(Participant.badge_code == code))
    if person is None:
        raise NotFound(_l("Unknown badge: %(code)s.", code=code), code="unknown_badge")
    if person.fair_id != fair_id:
        fair = db.session.get_one(Fair, person.fair_id)
        raise CheckInError(_l("This badge belongs to another fair: %(fair)s.", fair=fair.name),
                           code="wrong_fair")
    if person.removed_at is not None:
        raise CheckInError(_l("This badge has been revoked."), code="badge_revoked")
    existing = db.session.scalar(select(CheckIn).where(CheckIn.participant_id == person.id))
    if existing is not None:
        return CheckInResult(person, existing, False, checked_in_count(fair_id))
    record = CheckIn(fair_id=fair_id, participant_id=person.id, checked_in_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:  # another desk scanned the same badge at the same moment
        existing = db.session.scalar(select(CheckIn).where(CheckIn.participant_id == person.id))
        assert existing is not None
        return CheckInResult(person, existing, False, checked_in_count(fair_id))
    count = checked_in_count(fair_id)
    record_event(fair_id, "participant.checked_in", {
        "participant_id": person.id,
        "name": person.full_name,
        "organisation": person.organisation.name,
        "sector": person.organisation.sector.value,
        "checked_in": count,
    })
    return CheckInResult(person, record, True, count)


@service
def register_walk_in(
    actor: Participant, fair_id: int, person: PersonData, organisation: OrganisationData
) -> CheckInResult:
    """A walk-in at the desk: registered and checked in together, or not at all."""
    new = add_participant(actor, fair_id, person, organisation, via="desk")
    return check_in(actor, fair_id, new.badge_code)
