"""Logging in: the private link (QR), the PIN fallback, and staff passwords."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.codes import new_login_secret, new_pin
from app.core.emails import email_key
from app.core.errors import DomainError, Forbidden, ValidationError
from app.core.extensions import db
from app.core.storage.events import end_sessions, record_event
from app.core.storage.transactions import service
from app.fairs.roles import PASSWORD_ROLES, Role, require_role
from app.people.models import Participant
from app.people.participants import get_participant
from app.people.pin_guard import pin_guard

MIN_PASSWORD_LENGTH = 10


class LoginError(DomainError):
    status = 401


def invalid_link() -> LoginError:
    return LoginError(
        _l("This login link is not valid (any more). Ask the organisers for a new one."),
        code="invalid_login_link")


_LOGIN_IN_URL = re.compile(r"/login/([A-Za-z0-9_-]+)")
_BADGE_IN_URL = re.compile(r"/p/[A-Za-z0-9]+/?(?:[?#].*)?$")


def login_secret_from_scan(scanned: str) -> str:
    """What a phone camera read from a private slip (the login link, or the bare secret) ->
    the secret. The public badge QR scanned by mistake gets its own clear error."""
    value = scanned.strip()
    if _BADGE_IN_URL.search(value):
        raise LoginError(_l("This is the public badge code. Scan the private QR code from your login slip."),
                         code="badge_scanned")
    match = _LOGIN_IN_URL.search(value)
    return match.group(1) if match else value


def login_with_secret(fair_id: int, secret: str) -> Participant:
    person = db.session.scalar(select(Participant).where(Participant.login_secret == secret))
    if person is None or person.fair_id != fair_id or not person.is_active:
        raise invalid_link()
    return person


def close_live_sessions(person: Participant, reason: str) -> None:
    """Inside a service that ended the person's login: tell their phones, and close their live
    connections once the transaction commits."""
    record_event(person.fair_id, "session.ended", {"reason": reason}, participant_id=person.id)
    end_sessions(person.id)


def login_with_pin(fair_id: int, badge_code: str, pin: str, client: str) -> Participant:
    """Badge code + 6-digit PIN, through the one rate-limited PIN check (see pin_guard)."""
    return pin_guard().check(fair_id, badge_code, pin, client)


def uses_password(person: Participant) -> bool:
    """Staff log in with their password; links, slips and PINs are for participants only."""
    return person.role in PASSWORD_ROLES


def login_with_password(fair_id: int, email: str, password: str) -> Participant:
    """Looks the address up (never re-validates it) and checks the password."""
    person = db.session.scalar(
        select(Participant).where(
            Participant.fair_id == fair_id,
            Participant.email_key == email_key(email),
            Participant.removed_at.is_(None),
        )
    )
    if (person is None or not person.password_hash
            or not check_password_hash(person.password_hash, password)):
        raise LoginError(_l("The e-mail or password is wrong."), code="invalid_password")
    if person.role not in PASSWORD_ROLES or not person.is_active:
        raise Forbidden(_l("Only organisers, notaries and brokers log in with a password."),
                        code="not_staff")
    return person


@service
def reissue_login(actor: Participant, fair_id: int, participant_id: int) -> Participant:
    """New private link and PIN; the old ones and every session opened with them stop working."""
    require_role(actor, fair_id, Role.ORGANISER)
    person = get_participant(fair_id, participant_id)
    if uses_password(person):
        raise ValidationError(_l("Organisers, notaries and brokers log in with a password: set a new "
                                 "password instead."), code="staff_uses_password")
    person.login_secret = new_login_secret()
    person.pin = new_pin()
    person.login_version += 1
    person.login_revoked = False
    pin_guard().clear_badge(fair_id, person.badge_code)
    close_live_sessions(person, "reissued")
    return person


@service
def revoke_login(actor: Participant, fair_id: int, participant_id: int) -> Participant:
    require_role(actor, fair_id, Role.ORGANISER)
    person = get_participant(fair_id, participant_id)
    if person.id == actor.id:
        raise ValidationError(_l("You cannot revoke your own login."), code="revoke_self")
    person.login_revoked = True
    person.login_version += 1
    close_live_sessions(person, "revoked")
    return person


@service
def set_password(actor: Participant | None, fair_id: int, participant_id: int, password: str) -> None:
    """An organiser sets a staff member's password (or staff their own). Nobody but the network's
    coordinator sets theirs: it opens every fair's ledger."""
    person = get_participant(fair_id, participant_id)
    if actor is None or actor.id != person.id:
        require_role(actor, fair_id, Role.ORGANISER)
        if person.fair.is_network:  # a coordinator: whoever set it could log in as them, the whole network
            raise Forbidden(_l("Only the network's coordinator sets their own password."),
                            code="coordinator_password")
    if person.role not in PASSWORD_ROLES:
        raise ValidationError(_l("Only organisers, notaries and brokers have passwords."), code="not_staff")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            code="password_too_short")
    person.password_hash = hash_password(password)


def hash_password(password: str) -> str:
    """The stored form of a staff password, by the app's PASSWORD_HASH_METHOD (scrypt)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def set_password_unchecked(person: Participant, password: str) -> None:
    """Inside the calling service's transaction: a new fair's first organiser, the demo's staff."""
    person.password_hash = hash_password(password)


def require_slip_access(actor: Participant, person: Participant) -> None:
    """Who may print whose login slip (it logs its holder in as that person): organisers, any
    participant of their fair; the desk (notaries), the walk-ins it registered, to hand over at
    once. Nobody prints a slip for staff, who log in with their password."""
    require_role(actor, person.fair_id, Role.ORGANISER, Role.NOTARY)
    if uses_password(person):
        raise Forbidden(_l("Organisers, notaries and brokers log in with their password and get no login slip."),
                        code="no_slip_for_staff")
    if actor.role == Role.NOTARY and person.registered_via != "desk":
        raise Forbidden(_l("The desk prints login slips for the walk-ins it registers; ask an organiser "
                           "for anyone else's."), code="slip_not_yours")

