"""A fair invites members from the network: the organiser finds a member the network knows (from
any earlier fair), adds it to this fair as one of its organisations, with the details the member
keeps, and the member hears of it by e-mail when it gave an address."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, NotFound
from app.core.extensions import db
from app.core.output.mail_queue import queue_mail
from app.core.storage.transactions import service
from app.core.textkeys import search_key
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.network.models import Member
from app.people.models import Organisation, Participant
from app.people.organisations import find_organisation


@dataclass(frozen=True)
class Invitable:
    member: Member
    fairs: int  # how many fairs it came to
    here: bool  # already at this fair


@dataclass(frozen=True)
class InvitablePage:
    members: list[Invitable]
    total: int


def network_members(fair_id: int, q: str = "", page: int = 1, page_size: int = 50) -> InvitablePage:
    """The network's members (not merged), by name (case and diacritics ignored), `q` searching
    name and town; each with the number of fairs it came to and whether it is at this one."""
    query = select(Member).where(Member.merged_into_id.is_(None))
    for part in search_key(q).split():
        query = query.where(or_(Member.search_text.contains(part, autoescape=True),
                                func.lower(Member.city).contains(part, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    fairs = (select(func.count(func.distinct(Organisation.fair_id))).where(Organisation.member_id == Member.id)
             .correlate(Member).scalar_subquery())
    here = (select(Organisation.id).where(Organisation.member_id == Member.id, Organisation.fair_id == fair_id,
                                          Organisation.removed_at.is_(None)).correlate(Member).exists())
    rows = db.session.execute(query.add_columns(fairs, here).order_by(Member.search_text, Member.id)
                              .limit(page_size).offset((max(page, 1) - 1) * page_size)).tuples().all()
    return InvitablePage([Invitable(member, int(count or 0), bool(at)) for member, count, at in rows], total)


@service
def invite_member(actor: Participant, fair_id: int, member_id: int) -> Organisation:
    """Add the member to the fair as one of its organisations (once: inviting again returns it)
    and tell it by e-mail where to register, if it gave an address."""
    require_role(actor, fair_id, Role.ORGANISER)
    member = db.session.get(Member, member_id)
    if member is None or member.merged_into_id is not None:
        raise NotFound(_l("This organisation does not exist."), code="member_not_found")
    existing = db.session.scalar(select(Organisation).where(
        Organisation.member_id == member.id, Organisation.fair_id == fair_id, Organisation.removed_at.is_(None)))
    if existing is not None:
        return existing
    same_name = find_organisation(fair_id, member.name)
    if same_name is not None:
        raise Conflict(_l("An organisation named %(name)s is already registered.", name=member.name),
                       code="duplicate_organisation")
    org = Organisation(fair_id=fair_id, member_id=member.id, name=member.name, name_key=member.name_key,
                       search_text=member.search_text, sector=member.sector, city=member.city, email=member.email,
                       phone=member.phone, website=member.website, description=member.description)
    try:
        with db.session.begin_nested():
            db.session.add(org)
    except IntegrityError:  # registered under that name at the same moment
        raise Conflict(_l("An organisation named %(name)s is already registered.", name=member.name),
                       code="duplicate_organisation") from None
    if member.email:
        fair = db.session.get_one(Fair, fair_id)
        body = render_template("people/member_invitation.txt", member=member, fair=fair,
                               link=url_for("people.register", slug=fair.slug, _external=True))
        queue_mail(kind="member_invitation", fair_id=fair_id, to_email=member.email, to_name=member.name,
                   subject=_("Invitation to %(fair)s", fair=fair.name), body=body)
    return org
