"""A fair's staff: invitations, accepting them, and the next fair started with the same team."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.core.errors import DomainError, ValidationError
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail, queue_mail
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.categories import fair_categories
from app.fairs.fairs import FairData, create_fair
from app.fairs.models import Category, Fair
from app.fairs.roles import PASSWORD_ROLES, Role, require_role
from app.people.credentials import MIN_PASSWORD_LENGTH, hash_password
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant, get_participant

INVITATION_DAYS = 14


def _copy_staff_member(person: Participant, fair_id: int) -> Participant:
    copy = create_participant(
        fair_id, PersonData(person.first_name, person.last_name, person.email, person.phone,
                            person.show_email, person.show_phone, role=person.role),
        OrganisationData(person.organisation.name, person.organisation.sector, city=person.organisation.city))
    copy.password_hash = person.password_hash
    return copy


@service
def clone_fair(actor: Participant, source_fair_id: int, slug: str, name: str,
               starts_at: datetime | None = None, copy_staff: bool = True) -> Fair:
    """A new fair with the source's settings and categories, and (optionally) its staff with
    their passwords. The actor is an organiser of the new fair in any case."""
    require_role(actor, source_fair_id, Role.ORGANISER)
    source = db.session.get_one(Fair, source_fair_id)
    fair = create_fair(FairData(slug=slug, name=name, venue=source.venue, starts_at=starts_at,
                                notary_required=source.notary_required, point_rate=source.point_rate))
    fair.target_agreements = source.target_agreements
    for seeded in fair_categories(fair.id, include_archived=True):
        db.session.delete(seeded)
    db.session.flush()
    for category in fair_categories(source.id, include_archived=True):
        db.session.add(Category(fair_id=fair.id, key=category.key, name=category.name,
                                name_key=category.name_key, position=category.position,
                                archived=category.archived))
    staff = [actor]
    if copy_staff:
        staff += list(db.session.scalars(select(Participant).where(
            Participant.fair_id == source.id, Participant.removed_at.is_(None), Participant.id != actor.id,
            Participant.role.in_(list(PASSWORD_ROLES)))))
    for person in staff:
        _copy_staff_member(person, fair.id)
    db.session.flush()
    return fair


@service
def create_next_fair(actor: Participant, data: FairData) -> Fair:
    """An organiser starts a new fair from scratch and becomes its first organiser."""
    require_role(actor, actor.fair_id, Role.ORGANISER)
    fair = create_fair(data)
    _copy_staff_member(actor, fair.id)
    return fair


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-invitation")


def invitation_token(person: Participant) -> str:
    """Signed, expiring, and void once used (it names the login version it was made for)."""
    return _serializer().dumps({"p": person.id, "v": person.login_version})


@service
def send_invitation(actor: Participant, fair_id: int, participant_id: int) -> QueuedMail:
    """E-mail a staff member their invitation (in the background, after this commits: SMTP or
    the outbox folder). MailError when their address cannot be used."""
    require_role(actor, fair_id, Role.ORGANISER)
    return invitation_mail(get_participant(fair_id, participant_id))


def invitation_mail(person: Participant) -> QueuedMail:
    """Inside a service: queue a staff member's invitation to choose their password."""
    fair_id = person.fair_id
    link = url_for("people.welcome", slug=person.fair.slug, token=invitation_token(person), _external=True)
    body = render_template("people/invitation.txt", person=person, fair=person.fair, link=link)
    return queue_mail(kind="invitation", fair_id=fair_id, to_email=person.email, to_name=person.full_name,
                      subject=_("Invitation to %(fair)s", fair=person.fair.name), body=body)


@service
def invite_staff(actor: Participant, fair_id: int, person: PersonData, organisation: OrganisationData) -> Participant:
    """Add a notary, broker or co-organiser who will set their own password from the invitation."""
    require_role(actor, fair_id, Role.ORGANISER)
    if person.role not in PASSWORD_ROLES:
        raise ValidationError(_l("Invite notaries, brokers or organisers."), code="not_staff")
    if not tidy(person.email):
        raise ValidationError(_l("An invitation needs an e-mail address."), code="email_missing")
    return create_participant(fair_id, person, organisation, via="invitation")


class InvitationError(DomainError):
    status = 400


@service
def accept_invitation(fair_id: int, token: str, password: str) -> Participant:
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired as exc:
        raise InvitationError(_l("This invitation has expired. Ask the organisers for a new one."),
                              code="invitation_expired") from exc
    except BadSignature as exc:
        raise InvitationError(_l("This invitation link is not valid."), code="invitation_invalid") from exc
    person = get_participant(fair_id, int(data.get("p", 0)))
    if person.login_version != data.get("v") or person.password_hash:
        raise InvitationError(_l("This invitation has already been used."), code="invitation_used")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
                              code="password_too_short")

    person.password_hash = hash_password(password)
    person.login_version += 1  # the invitation link is spent
    return person
