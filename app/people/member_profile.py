"""A member's own page in the network, edited by the people who represent it: whether it shows in
the public directory, what it does (branch, description), where and how to reach it, and its
registers' numbers (which also recognise it at the next fair)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.core.emails import email_key, normalise_email
from app.core.errors import Conflict, Forbidden, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.network.identifiers import identifier_problem
from app.network.models import Member
from app.network.recognition import digits
from app.network.sectors import Branch
from app.people.models import Participant

IDENTIFIERS = ("nip", "krs", "regon")


@dataclass
class MemberProfile:
    public_profile: bool = False
    description: str = ""
    branch: Branch | None = None
    city: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    nip: str = ""
    krs: str = ""
    regon: str = ""


def profile_of(member: Member) -> MemberProfile:
    return MemberProfile(public_profile=member.public_profile, description=member.description, branch=member.branch,
                         city=member.city, website=member.website, email=member.email, phone=member.phone,
                         nip=member.nip, krs=member.krs, regon=member.regon)


def represented_member(actor: Participant) -> Member:
    """The member the actor came for (the network's record of their organisation)."""
    return db.session.get_one(Member, actor.organisation.member_id)


@service
def update_member_profile(actor: Participant, fair_id: int, data: MemberProfile) -> Member:
    """The actor's member's profile, as they give it. A number another member holds is refused:
    that is one organisation recorded twice, which the organiser merges."""
    if not actor.is_active or actor.fair_id != fair_id:
        raise Forbidden(_l("Log in at this fair first."), code="forbidden")
    member = db.session.get_one(Member, actor.organisation.member_id, with_for_update=True)
    numbers = {kind: digits(getattr(data, kind)) for kind in IDENTIFIERS}
    for kind in IDENTIFIERS:
        problem = identifier_problem(kind, getattr(data, kind))
        if problem is not None:
            raise ValidationError(problem, code=f"invalid_{kind}", field=kind)
    given = [getattr(Member, kind) == number for kind, number in numbers.items() if number]
    if given:
        holder = db.session.scalar(select(Member).where(Member.id != member.id, Member.merged_into_id.is_(None),
                                                        or_(*given)).limit(1))
        if holder is not None:
            raise Conflict(_l("This number belongs to %(name)s in the network. If it is your organisation, ask "
                              "the fair's organiser to merge the two records.", name=holder.name),
                           code="identifier_taken")
    member.public_profile = bool(data.public_profile)
    member.description = (data.description or "").strip()
    member.branch = Branch(data.branch) if data.branch else None
    member.city = tidy(data.city)
    member.website = tidy(data.website)
    member.email = normalise_email(data.email).lower()
    member.email_key = email_key(member.email)
    member.phone = tidy(data.phone)
    member.nip, member.krs, member.regon = numbers["nip"], numbers["krs"], numbers["regon"]
    return member
