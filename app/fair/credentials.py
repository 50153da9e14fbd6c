"""Logging in: the private link (QR), the PIN fallback, and staff passwords."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import service, transaction, utcnow
from app.errors import DomainError, Forbidden, ValidationError
from app.extensions import db
from app.fair.codes import new_login_secret, new_pin
from app.fair.guards import require_role
from app.fair.models import Participant
from app.fair.participants import get_participant
from app.fair.sectors import PASSWORD_ROLES, Role

MIN_PASSWORD_LENGTH = 10


class LoginError(DomainError):
    status = 401


def _invalid_link() -> LoginError:
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
        raise _invalid_link()
    return person


@dataclass
class _PinOutcome:
    person: Participant | None = None
    error: DomainError | None = None


def login_with_pin(fair_id: int, badge_code: str, pin: str) -> Participant:
    """Badge code + 6-digit PIN. Failures are counted and kept even though the login fails;
    after PIN_MAX_FAILURES the PIN is locked for PIN_LOCK_MINUTES."""
    max_failures = current_app.config["PIN_MAX_FAILURES"]
    lock = timedelta(minutes=current_app.config["PIN_LOCK_MINUTES"])
    wrong = LoginError(_l("The badge code or PIN is wrong."), code="invalid_pin")
    outcome = _PinOutcome()
    with transaction():
        person = db.session.scalar(
            select(Participant).where(
                Participant.badge_code == badge_code.strip().upper(),
                Participant.fair_id == fair_id,
            ).with_for_update()
        )
        now = utcnow()
        if person is None or not person.is_active:
            outcome.error = wrong
        elif person.pin_locked_until and person.pin_locked_until > now:
            minutes = max(1, int((person.pin_locked_until - now).total_seconds() // 60) + 1)
            outcome.error = LoginError(
                _l("Too many wrong PINs. Try again in %(minutes)d minutes or ask the desk.",
                   minutes=minutes),
                code="pin_locked", status=429)
        elif hmac.compare_digest(person.pin, pin.strip()):
            person.pin_failures = 0
            person.pin_locked_until = None
            outcome.person = person
        else:
            person.pin_failures += 1
            if person.pin_failures >= max_failures:
                person.pin_failures = 0
                person.pin_locked_until = now + lock
                outcome.error = LoginError(
                    _l("Too many wrong PINs. Try again in %(minutes)d minutes or ask the desk.",
                       minutes=int(lock.total_seconds() // 60)),
                    code="pin_locked", status=429)
            else:
                outcome.error = wrong
    if outcome.error is not None:
        raise outcome.error
    assert outcome.person is not None
    return outcome.person


def login_with_password(fair_id: int, email: str, password: str) -> Participant:
    person = db.session.scalar(
        select(Participant).where(
            Participant.fair_id == fair_id,
            Participant.email_key == email.strip().lower(),
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
    person.login_secret = new_login_secret()
    person.pin = new_pin()
    person.login_version += 1
    person.login_revoked = False
    person.pin_failures = 0
    person.pin_locked_until = None
    return person


@service
def revoke_login(actor: Participant, fair_id: int, participant_id: int) -> Participant:
    require_role(actor, fair_id, Role.ORGANISER)
    person = get_participant(fair_id, participant_id)
    if person.id == actor.id:
        raise ValidationError(_l("You cannot revoke your own login."), code="revoke_self")
    person.login_revoked = True
    person.login_version += 1
    return person


@service
def set_password(actor: Participant | None, fair_id: int, participant_id: int, password: str) -> None:
    """An organiser sets a staff member's password (or staff their own)."""
    person = get_participant(fair_id, participant_id)
    if actor is None or actor.id != person.id:
        require_role(actor, fair_id, Role.ORGANISER)
    if person.role not in PASSWORD_ROLES:
        raise ValidationError(_l("Only organisers, notaries and brokers have passwords."), code="not_staff")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            code="password_too_short")
    person.password_hash = generate_password_hash(password)


def set_password_unchecked(person: Participant, password: str) -> None:
    """For the CLI and demo set-up, inside their own transaction."""
    person.password_hash = generate_password_hash(password)
