"""The one path every PIN check goes through (the login page and signing on a shared phone).

A PIN has six digits, and badge codes are public (printed on every badge), so a PIN must not be
guessable by trying: every attempt counts against two moving windows kept in the rate-limit
storage (`RATELIMIT_STORAGE_URI`, shared by all server processes when it is Redis):

* per client address (`PIN_RATELIMIT`, default 10 a minute and 60 an hour), whatever badge it
  tries: a stranger cannot sweep the fair;
* per badge (`PIN_BADGE_RATELIMIT`, default 10 an hour), whoever tries it: many addresses
  together cannot guess one PIN.

Every failure for a badge gets one answer, whether the badge is unknown, its owner logs in
with a password, the PIN is wrong or the badge has had too many attempts: nothing tells a
right PIN from a wrong one except success. A badge that has had too many attempts refuses even
its right PIN for the rest of the window, but nothing else: its owner still logs in with the
private link on their slip (which no PIN limit touches), and the desk can reissue the login,
which clears the badge's window. A stranger sweeping badges from one address is stopped by
the per-client window long before they could block many badges.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs.roles import Role
from app.people.models import Participant

EXTENSION = "gielda_pin_guard"
DEFAULT_CLIENT_LIMIT = "10 per minute; 60 per hour"
DEFAULT_BADGE_LIMIT = "10 per hour"


class PinError(DomainError):
    status = 401


def pin_refused() -> PinError:
    """The one answer for every PIN failure of a badge."""
    return PinError(
        _l("The badge code or PIN is wrong, or this badge has had too many attempts. Scan the QR code "
           "on your login slip, or ask at the desk."),
        code="invalid_pin")


def client_throttled() -> PinError:
    return PinError(
        _l("Too many PIN attempts from this device. Wait a few minutes, scan the QR code on your "
           "login slip, or ask at the desk."),
        code="pin_rate_limited", status=429)


def badge_key(fair_id: int, badge_code: str) -> str:
    return f"{fair_id}:{badge_code.strip().upper()[:16]}"


@dataclass
class PinGuard:
    limiter: MovingWindowRateLimiter
    client_limits: list[RateLimitItem]
    badge_limits: list[RateLimitItem]

    def _hit(self, limits: list[RateLimitItem], scope: str, key: str) -> bool:
        # Every window takes the attempt, even once one of them is full, so that a stream of
        # attempts keeps the longer windows full too.
        return all([self.limiter.hit(item, scope, key) for item in limits])

    def check(self, fair_id: int, badge_code: str, pin: str, client: str) -> Participant:
        """The participant whose badge and PIN these are; PinError otherwise."""
        if not self._hit(self.client_limits, "pin-client", client or "unknown"):
            raise client_throttled()
        code = badge_code.strip().upper()
        if not self._hit(self.badge_limits, "pin-badge", badge_key(fair_id, code)):
            raise pin_refused()
        person = db.session.scalar(select(Participant).where(
            Participant.badge_code == code[:16], Participant.fair_id == fair_id))
        if (person is None or not person.is_active or person.role != Role.PARTICIPANT
                or not hmac.compare_digest(person.pin.encode(), pin.strip().encode())):
            raise pin_refused()
        return person

    def attempts(self, fair_id: int, badge_code: str) -> tuple[int, int]:
        """(attempts in the badge's tightest window, that window's limit), for organisers."""
        item = self.badge_limits[0]
        stats = self.limiter.get_window_stats(item, "pin-badge", badge_key(fair_id, badge_code))
        return item.amount - stats.remaining, item.amount

    def clear_badge(self, fair_id: int, badge_code: str) -> None:
        for item in self.badge_limits:
            self.limiter.clear(item, "pin-badge", badge_key(fair_id, badge_code))


def init_pin_guard(app: Flask) -> None:
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    assert isinstance(storage, Storage), "PIN checks need a synchronous limits storage"
    app.extensions[EXTENSION] = PinGuard(
        limiter=MovingWindowRateLimiter(storage),
        client_limits=parse_many(app.config.get("PIN_RATELIMIT") or DEFAULT_CLIENT_LIMIT),
        badge_limits=parse_many(app.config.get("PIN_BADGE_RATELIMIT") or DEFAULT_BADGE_LIMIT))


def pin_guard() -> PinGuard:
    guard: PinGuard = current_app.extensions[EXTENSION]
    return guard
