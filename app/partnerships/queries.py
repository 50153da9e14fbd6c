"""Reading partnerships (no writes here): the admin list, a member's active ones for its public
profile, the members a form offers, the public verification by code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.agreements.models import Agreement, AgreementParty, AgreementState
from app.core.extensions import db
from app.ledger.permissions import is_network_admin
from app.partnerships.access import managed_ids
from app.partnerships.models import Partnership, PartnershipMember, PartnershipState
from app.people.models import Participant
from app.people.pickers import MemberChoice
from app.people.pickers import member_choices as people_member_choices

LIST_LIMIT = 500


def _loaded() -> tuple[Any, ...]:
    return (selectinload(Partnership.members).selectinload(PartnershipMember.member),
            selectinload(Partnership.lead))


def partnerships_for(actor: Participant) -> list[Partnership]:
    """The partnerships the actor manages (app/partnerships/access.py), the newest first."""
    query = select(Partnership).options(*_loaded()).order_by(Partnership.created_at.desc(), Partnership.id.desc())
    ids = managed_ids(actor)
    if ids is not None:
        query = query.where(Partnership.id.in_(ids))
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


def partnership_by_code(code: str) -> Partnership | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Partnership).where(Partnership.public_code == code).options(*_loaded()))


def member_choices(actor: Participant) -> list[MemberChoice]:
    """The members a partnership form offers: those attending the actor's fair; for the network's
    coordinator every member (not merged)."""
    return people_member_choices(None if is_network_admin(actor) else actor.fair_id)


@dataclass(frozen=True)
class MemberPartnership:
    """One active partnership of a member, as its public profile lists it."""

    partnership: Partnership
    role: str
    lead: bool

    @property
    def partners(self) -> int:
        return len(self.partnership.members)


def active_partnerships_of(member_id: int) -> list[MemberPartnership]:
    rows = db.session.execute(
        select(Partnership, PartnershipMember.role)
        .join(PartnershipMember, PartnershipMember.partnership_id == Partnership.id)
        .where(PartnershipMember.member_id == member_id, Partnership.state == PartnershipState.ACTIVE)
        .options(selectinload(Partnership.members))
        .order_by(Partnership.starts_on.desc(), Partnership.id.desc())).tuples()
    return [MemberPartnership(p, role, p.lead_member_id == member_id) for p, role in rows]


def group_deals(fair_id: int, limit: int = 100) -> list[Agreement]:
    """The fair's signed or fulfilled agreements that are no partnership yet: the ones of two or
    more members may become one (the page offers those)."""
    converted = select(Partnership.source_agreement_id).where(Partnership.source_agreement_id.is_not(None))
    return list(db.session.scalars(
        select(Agreement).where(Agreement.fair_id == fair_id,
                                Agreement.state.in_([AgreementState.SIGNED, AgreementState.FULFILLED]),
                                Agreement.id.not_in(converted))
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.organisation))
        .order_by(Agreement.seq_no.desc()).limit(limit)))
