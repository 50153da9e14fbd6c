"""Recording partnerships, turning a fair's group deal into one, and ending them.

Every rule is checked here, whoever calls (a page, the CLI, a test): two members or more, each
once; the lead among them; no end before the start; no money as consideration (the fair's
rule, app/agreements/money.py); a fair's organiser only for members who all attend their fair.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.agreements.models import Agreement, AgreementState
from app.agreements.money import check_no_money
from app.core.codes import new_public_code
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.core.web.formkeys import Sent, lock_form_key, scoped_key
from app.network.models import Member
from app.partnerships.access import get_partnership, require_members_at_fair, require_organiser
from app.partnerships.content import freeze
from app.partnerships.models import Partnership, PartnershipMember, PartnershipState
from app.people.models import Participant

MAX_MEMBERS = 40
SERIES = "PA"


@dataclass
class PartnerData:
    member_id: int
    role: str = ""
    contribution: str = ""


@dataclass
class PartnershipData:
    purpose: str
    starts_on: date
    lead_member_id: int
    partners: list[PartnerData] = field(default_factory=list)
    description: str = ""
    ends_on: date | None = None


def _check(data: PartnershipData) -> list[int]:
    """The rules that need no database; returns the member ids in order."""
    if not tidy(data.purpose):
        raise ValidationError(_l("Say what the partnership is for."), code="purpose_required")
    ids = [p.member_id for p in data.partners]
    if len(set(ids)) != len(ids):
        raise ValidationError(_l("Each member can be a partner only once."), code="member_twice")
    if len(ids) < 2:
        raise ValidationError(_l("A partnership needs at least two members."), code="too_few_members")
    if len(ids) > MAX_MEMBERS:
        raise ValidationError(_l("A partnership may have at most %(max)d members.", max=MAX_MEMBERS),
                              code="too_many_members")
    if data.lead_member_id not in ids:
        raise ValidationError(_l("The lead member must be one of the partners."), code="lead_not_partner")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise ValidationError(_l("A partnership cannot end before it starts."), code="ends_before_start")
    check_no_money(data.purpose, data.description, *(p.role for p in data.partners),
                   *(p.contribution for p in data.partners))
    return ids


def _live_members(ids: list[int]) -> dict[int, Member]:
    found = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(ids)))}
    for member_id in ids:
        member = found.get(member_id)
        if member is None or member.merged_into_id is not None:
            raise ValidationError(_l("One of the partners is not a member of the network (any more)."),
                                  code="unknown_member")
    return found


def _lock_series(year: int) -> None:
    """Until this transaction ends, nobody else numbers a partnership of this year (PostgreSQL:
    an advisory lock; SQLite: the service's write transaction is exclusive already)."""
    if db.session.get_bind().dialect.name == "postgresql":
        digest = hashlib.blake2b(f"partnerships:{year}".encode(), digest_size=8).digest()
        db.session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))


def _number(partnership: Partnership) -> None:
    year = partnership.created_at.astimezone(LOCAL_ZONE).year
    _lock_series(year)
    last = db.session.scalar(select(func.max(Partnership.seq_no)).where(Partnership.year == year))
    partnership.year, partnership.seq_no = year, (last or 0) + 1
    partnership.number = f"{SERIES}/{year}/{partnership.seq_no:03d}"


def _record(actor: Participant, data: PartnershipData, form_key: str | None,
            source: Agreement | None = None) -> Sent[Partnership]:
    require_organiser(actor, actor.fair_id)
    key = scoped_key(actor.id, form_key)
    lock_form_key(actor.fair_id, key)
    if key is not None:
        earlier = db.session.scalar(select(Partnership).where(Partnership.form_key == key))
        if earlier is not None:
            return Sent(earlier, created=False)
    ids = _check(data)
    members = _live_members(ids)
    require_members_at_fair(actor, ids)
    partnership = Partnership(
        public_code=new_public_code(), purpose=tidy(data.purpose), description=data.description.strip(),
        starts_on=data.starts_on, ends_on=data.ends_on, state=PartnershipState.ACTIVE,
        lead_member_id=data.lead_member_id, created_by_id=actor.id, created_at=utcnow(), form_key=key,
        source_agreement_id=source.id if source else None,
        members=[PartnershipMember(member_id=p.member_id, member=members[p.member_id], role=tidy(p.role),
                                   contribution=p.contribution.strip(), position=i)
                 for i, p in enumerate(data.partners)])
    _number(partnership)
    db.session.add(partnership)
    freeze(partnership, source.number if source else None)
    db.session.flush()
    return Sent(partnership, created=True)


@service
def record_partnership(actor: Participant, data: PartnershipData, form_key: str | None = None) -> Sent[Partnership]:
    """Record a partnership, active at once, numbered and frozen. `form_key`: the one-time key of
    the form sent: sent twice, it records once."""
    return _record(actor, data, form_key)


def completed_agreement(actor: Participant, agreement_id: int) -> Agreement:
    """A signed or fulfilled agreement of the actor's fair with two parties or more, not yet a
    partnership: a group deal that may become one."""
    require_organiser(actor, actor.fair_id)
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.fair_id != actor.fair_id:
        raise NotFound(_l("This agreement does not exist."), code="agreement_not_found")
    if agreement.state not in (AgreementState.SIGNED, AgreementState.FULFILLED):
        raise Conflict(_l("Only a signed or fulfilled agreement can become a partnership."),
                       code="agreement_not_complete")
    if len({p.organisation.member_id for p in agreement.parties}) < 2:
        raise Conflict(_l("A partnership needs at least two members."), code="too_few_members")
    if db.session.scalar(select(Partnership.id).where(Partnership.source_agreement_id == agreement.id)):
        raise Conflict(_l("This agreement has already become a partnership."), code="already_partnership")
    return agreement


@service
def partnership_from_agreement(actor: Participant, agreement_id: int, data: PartnershipData,
                               form_key: str | None = None) -> Sent[Partnership]:
    """Record a partnership that a fair's group deal became, linked to it. Its partners must be
    the agreement's parties' members (as `prefill` gives them, with roles and contributions)."""
    key = scoped_key(actor.id, form_key)
    if key is not None and (earlier := db.session.scalar(select(Partnership).where(Partnership.form_key == key))):
        return Sent(earlier, created=False)
    agreement = completed_agreement(actor, agreement_id)
    parties = {p.organisation.member_id for p in agreement.parties}
    if {p.member_id for p in data.partners} != parties:
        raise ValidationError(_l("The partners of a partnership made from an agreement are its parties."),
                              code="partners_not_parties")
    return _record(actor, data, form_key, source=agreement)


def prefill(actor: Participant, agreement_id: int) -> PartnershipData:
    """The partnership a group deal would become: its parties' members in order, the first one
    the lead, each one's contribution what it gives in the agreement."""
    agreement = completed_agreement(actor, agreement_id)
    partners: list[PartnerData] = []
    for party in agreement.parties:
        gives = [o.description.splitlines()[0] for o in agreement.obligations if o.giver_party_id == party.id]
        if party.organisation.member_id not in [p.member_id for p in partners]:
            partners.append(PartnerData(party.organisation.member_id, contribution="; ".join(gives)))
    return PartnershipData(purpose="", starts_on=utcnow().astimezone(LOCAL_ZONE).date(),
                           lead_member_id=partners[0].member_id, partners=partners)


@service
def end_partnership(actor: Participant, partnership_id: int, ends_on: date | None = None,
                    reason: str = "") -> Partnership:
    """End an active partnership on `ends_on` (today if not given). Its recorded content (and
    hash) stays as it was agreed; the end is beside it."""
    partnership = get_partnership(actor, partnership_id, lock=True)
    if partnership.state != PartnershipState.ACTIVE:
        raise Conflict(_l("Only an active partnership can be ended."), code="not_active")
    day = ends_on or utcnow().astimezone(LOCAL_ZONE).date()
    if day < partnership.starts_on:
        raise ValidationError(_l("A partnership cannot end before it starts."), code="ends_before_start")
    check_no_money(reason)
    partnership.state = PartnershipState.ENDED
    partnership.ends_on = day
    partnership.ended_at = utcnow()
    partnership.ended_by_id = actor.id
    partnership.end_reason = tidy(reason)[:500]
    return partnership
