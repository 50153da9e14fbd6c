"""Reminders between fairs: renew a standing offer or need before it ends; keep at least one current
offer (Wymiennik asks this of every member).

`queue_standing_reminders` is safe to run again: a post is reminded once per end date (renewing
it clears the mark), a member asked for an offer at most once per CURRENT_OFFER_REMINDER_DAYS.
The consumer runs it daily (`app.core.tasks.daily`); `flask network remind` runs it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from app.core.errors import Forbidden
from app.core.extensions import db
from app.core.output.mail import MailError
from app.core.output.mail_queue import queue_mail
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.tasks import daily
from app.core.web.urls import login_url
from app.fairs.network_space import network_space
from app.fairs.roles import Role
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.ledger.permissions import SystemActor, is_network_admin
from app.network.models import Member
from app.people.models import Organisation, Participant


@dataclass
class StandingReminders:
    renewals: int = 0  # authors reminded to renew a post before it ends
    offer_requests: int = 0  # people asked for a current offer
    without_address: list[str] = field(default_factory=list)  # who could not be told (no e-mail)


def _send(kind: str, person: Participant, subject: str, template: str, **values: object) -> bool:
    if not person.email:
        return False
    body = render_template(template, person=person, fair=person.fair,
                           link=login_url(person.fair.slug, person.login_secret), **values)
    try:
        queue_mail(kind=kind, fair_id=person.fair_id, to_email=person.email, to_name=person.full_name,
                   subject=subject, body=body)
    except MailError:
        return False
    return True


def _ending_posts(space_id: int, now: datetime) -> list[Post]:
    notice = timedelta(days=current_app.config["STANDING_RENEWAL_NOTICE_DAYS"])
    return list(db.session.scalars(
        select(Post).where(Post.fair_id == space_id, Post.state == PostState.ACTIVE, Post.hidden_at.is_(None),
                           Post.expires_at > now, Post.expires_at <= now + notice,
                           Post.renewal_reminded_at.is_(None))
        .options(joinedload(Post.author, innerjoin=True).joinedload(Participant.fair, innerjoin=True))
        .order_by(Post.id).with_for_update(of=Post)))  # PostgreSQL locks no outer join's side


def _members_without_offer(space_id: int, now: datetime) -> list[Member]:
    days = current_app.config["CURRENT_OFFER_REMINDER_DAYS"]
    if days <= 0:
        return []
    current_offer = exists().where(
        Post.organisation_id == Organisation.id, Post.kind == PostKind.OFFER, Post.state == PostState.ACTIVE,
        Post.hidden_at.is_(None), or_(Post.expires_at.is_(None), Post.expires_at > now))
    represented = exists().where(Participant.organisation_id == Organisation.id, Participant.role == Role.PARTICIPANT,
                                 Participant.removed_at.is_(None))
    return list(db.session.scalars(
        select(Member).join(Organisation, Organisation.member_id == Member.id)
        .where(Organisation.fair_id == space_id, Organisation.removed_at.is_(None), Member.merged_into_id.is_(None),
               represented, ~current_offer,
               or_(Member.offer_reminded_at.is_(None), Member.offer_reminded_at <= now - timedelta(days=days)))
        .order_by(Member.id).with_for_update(of=Member)))


def _people_of(space_id: int, member_id: int) -> list[Participant]:
    return list(db.session.scalars(
        select(Participant).join(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.fair_id == space_id, Organisation.member_id == member_id,
               Participant.role == Role.PARTICIPANT, Participant.removed_at.is_(None),
               Participant.login_revoked.is_(False))
        .options(joinedload(Participant.fair)).order_by(Participant.id)))


@service
def queue_standing_reminders(actor: SystemActor | Participant, now: datetime | None = None) -> StandingReminders:
    """Queue today's reminders between fairs (sent after this commits) and mark what they were for.
    Members are asked for an offer through their people at the space (not its coordinators)."""
    if not is_network_admin(actor):
        raise Forbidden(_l("Only the network's coordinator sends the network's reminders."),
                        code="not_coordinator")
    report = StandingReminders()
    space = network_space()
    if space is None:
        return report
    now = now or utcnow()
    for post in _ending_posts(space.id, now):
        if _send("standing_renewal", post.author, _("Your post “%(title)s” ends soon", title=post.title),
                 "between/renew_reminder.txt", post=post):
            report.renewals += 1
        else:
            report.without_address.append(post.author.full_name)
        post.renewal_reminded_at = now
    for member in _members_without_offer(space.id, now):
        people = _people_of(space.id, member.id)
        told = [p for p in people if _send("current_offer", p, _("What can %(member)s offer the network?",
                                                                  member=member.name),
                                           "between/offer_reminder.txt", member=member)]
        report.offer_requests += len(told)
        if not told:
            report.without_address.append(member.name)
        member.offer_reminded_at = now
    return report


@daily("between.standing_reminders", hour_utc=8)
def send_standing_reminders() -> StandingReminders:
    return queue_standing_reminders(SystemActor("daily reminders"))
