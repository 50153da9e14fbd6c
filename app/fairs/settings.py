"""A fair's settings and its big-screen link, changed by its organisers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.core.codes import new_display_token
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.models import Fair
from app.fairs.roles import Actor, Role, require_role


@dataclass
class FairSettings:
    name: str
    venue: str = ""
    starts_at: datetime | None = None
    trading_opens_at: datetime | None = None
    trading_closes_at: datetime | None = None
    registration_open: bool = False
    notary_required: bool = True
    point_rate: int = 10
    target_agreements: int | None = None


def _check(settings: FairSettings) -> None:
    if not tidy(settings.name):
        raise ValidationError(_l("The fair needs a name."), code="name_missing")
    if (settings.trading_opens_at and settings.trading_closes_at
            and settings.trading_closes_at <= settings.trading_opens_at):
        raise ValidationError(_l("Trading must close after it opens."), code="invalid_window")
    if not 0 <= settings.point_rate <= 1000:
        raise ValidationError(_l("The point rate is between 0 and 1000 points per hour."), code="invalid_rate")
    if settings.target_agreements is not None and not 0 < settings.target_agreements <= 100_000:
        raise ValidationError(_l("The target is a positive number of agreements."), code="invalid_target")


@service
def update_fair_settings(actor: Actor, fair_id: int, settings: FairSettings) -> Fair:
    require_role(actor, fair_id, Role.ORGANISER)
    _check(settings)
    fair = db.session.get_one(Fair, fair_id, with_for_update=True)
    fair.name = tidy(settings.name)
    fair.venue = tidy(settings.venue)
    fair.starts_at = settings.starts_at
    fair.trading_opens_at = settings.trading_opens_at
    fair.trading_closes_at = settings.trading_closes_at
    fair.notary_required = settings.notary_required
    fair.point_rate = settings.point_rate
    fair.target_agreements = settings.target_agreements
    if fair.registration_open != settings.registration_open:
        fair.registration_open = settings.registration_open
        record_event(fair.id, "fair.registration_changed", {"registration_open": settings.registration_open})
    return fair


@service
def rotate_display_link(actor: Actor, fair_id: int) -> Fair:
    """A new display token: the old big-screen link stops working (screens must reopen it)."""
    require_role(actor, fair_id, Role.ORGANISER)
    fair = db.session.get_one(Fair, fair_id, with_for_update=True)
    fair.display_token = new_display_token()
    return fair
