"""Reading certificates (no writes here): the organisers' list, a member's own, the members the
issuing form offers, the public verification by code, and the certificate that replaced one."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.certificates.access import scope_of
from app.certificates.content import line_values
from app.certificates.lines import collect_lines
from app.certificates.models import Certificate
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.fairs.models import Fair
from app.network.models import Member
from app.people.models import Participant
from app.people.pickers import MemberChoice
from app.people.pickers import member_choices as people_member_choices

LIST_LIMIT = 500


def certificates_for(actor: Participant) -> list[Certificate]:
    """The certificates the actor manages (app/certificates/access.py), the newest first."""
    query = (select(Certificate).options(selectinload(Certificate.member))
             .order_by(Certificate.issued_at.desc(), Certificate.id.desc()))
    scope = scope_of(actor)
    if scope is not None:
        query = query.where(Certificate.fair_id == scope)
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


def certificates_of_member(member_id: int) -> list[Certificate]:
    """A member's certificates, wherever issued, the newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.member_id == member_id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
                                   .limit(LIST_LIMIT)))


def certificate_by_code(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_code == code))


def successor(certificate: Certificate) -> Certificate | None:
    """The certificate that reissued this one."""
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id == certificate.id))


def records_changed(certificate: Certificate) -> bool:
    """Whether the agreements now say something else than the certificate (an agreement annulled,
    an obligation confirmed since it was issued): a reissue would certify other lines."""
    member = db.session.get_one(Member, certificate.member_id)
    while member.merged_into_id is not None:
        member = db.session.get_one(Member, member.merged_into_id)
    now = collect_lines(member.id, certificate.fair_id, certificate.period_start, certificate.period_end)
    return [line_values(line) for line in now] != json.loads(certificate.frozen_content)["lines"]


def scope_names(certificates: list[Certificate]) -> dict[int, str]:
    """The fairs the certificates are scoped to, by id."""
    ids = {c.fair_id for c in certificates if c.fair_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(Fair.id, Fair.name).where(Fair.id.in_(ids))).tuples().all())


def member_choices(actor: Participant) -> list[MemberChoice]:
    """The members the issuing form offers: those at the actor's fair (removed since included: their
    agreements stay); for the network's coordinator every member (not merged)."""
    return people_member_choices(scope_of(actor), include_removed=True)


def default_period(actor: Participant, today: date) -> tuple[date, date]:
    """The fair's day to today (the fair's follow-up included); at the network's space, or before
    the fair, this year so far."""
    fair = actor.fair
    when = fair.trading_started_at or fair.trading_opens_at or fair.starts_at
    day = when.astimezone(LOCAL_ZONE).date() if when is not None and not fair.is_network else None
    if day is None or day > today or day.year < today.year - 4:
        return date(today.year, 1, 1), today
    return day, today
