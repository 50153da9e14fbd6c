"""The trading window: the opening gong, the closing gong, the timer, announcements."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.models import Announcement, Fair, FairState
from app.fairs.roles import Actor, Role, require_role

MAX_MINUTES = 8 * 60


def _minutes(minutes: int) -> timedelta:
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(_l("Trading lasts between 1 and %(max)d minutes.", max=MAX_MINUTES),
                              code="invalid_duration")
    return timedelta(minutes=minutes)


def _locked_fair(fair_id: int) -> Fair:
    fair = db.session.get_one(Fair, fair_id, with_for_update=True)
    if fair.is_network:
        raise Conflict(_l("Between fairs the network is always open: there is no gong to strike."),
                       code="network_always_open")
    return fair


def _window(fair: Fair) -> dict[str, str | None]:
    return {
        "state": fair.state.value,
        "opened_at": fair.trading_started_at.isoformat() if fair.trading_started_at else None,
        "closes_at": fair.trading_closes_at.isoformat() if fair.trading_closes_at else None,
        "closed_at": fair.trading_ended_at.isoformat() if fair.trading_ended_at else None,
    }


@service
def open_trading(actor: Actor, fair_id: int, minutes: int) -> Fair:
    """The opening gong. Opening again after a close resumes trading with a new timer."""
    require_role(actor, fair_id, Role.ORGANISER)
    fair = _locked_fair(fair_id)
    if fair.state == FairState.TRADING:
        raise Conflict(_l("Trading is already open."), code="already_trading")
    now = utcnow()
    fair.state = FairState.TRADING
    fair.trading_started_at = fair.trading_started_at or now
    fair.trading_opens_at = fair.trading_opens_at or now
    fair.trading_ended_at = None
    fair.trading_closes_at = now + _minutes(minutes)
    record_event(fair.id, "fair.trading_opened", _window(fair))
    return fair


@service
def close_trading(actor: Actor, fair_id: int) -> Fair:
    """The closing gong."""
    require_role(actor, fair_id, Role.ORGANISER)
    fair = _locked_fair(fair_id)
    if fair.state != FairState.TRADING:
        raise Conflict(_l("Trading is not open."), code="not_trading")
    fair.state = FairState.CLOSED
    fair.trading_ended_at = utcnow()
    record_event(fair.id, "fair.trading_closed", _window(fair))
    return fair


@service
def set_trading_timer(actor: Actor, fair_id: int, minutes_left: int) -> Fair:
    require_role(actor, fair_id, Role.ORGANISER)
    fair = _locked_fair(fair_id)
    if fair.state != FairState.TRADING:
        raise Conflict(_l("Trading is not open."), code="not_trading")
    fair.trading_closes_at = utcnow() + _minutes(minutes_left)
    record_event(fair.id, "fair.timer_changed", _window(fair))
    return fair


@service
def announce(actor: Actor, fair_id: int, text: str) -> Announcement:
    require_role(actor, fair_id, Role.ORGANISER)
    clean = tidy(text)
    if not clean or len(clean) > 500:
        raise ValidationError(_l("An announcement has between 1 and 500 characters."),
                              code="invalid_announcement")
    item = Announcement(fair_id=fair_id, author_id=actor.id, text=clean)
    db.session.add(item)
    db.session.flush()
    record_event(fair_id, "fair.announcement", {"id": item.id, "text": clean,
                                                "at": item.created_at.isoformat()})
    return item


def trading_window(fair: Fair) -> dict[str, str | None]:
    return _window(fair)
