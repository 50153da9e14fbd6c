"""Fair services: create a fair, open and close its registration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.codes import new_display_token
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.fairs.categories import seed_categories
from app.fairs.models import Fair, FairState
from app.fairs.queries import fair_by_slug
from app.fairs.roles import Actor, Role, require_role

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass
class FairData:
    slug: str
    name: str
    venue: str = ""
    starts_at: datetime | None = None
    trading_opens_at: datetime | None = None
    trading_closes_at: datetime | None = None
    notary_required: bool = True
    point_rate: int = 10


def get_fair(slug: str) -> Fair:
    fair = fair_by_slug(slug)
    if fair is None:
        raise NotFound(_l("There is no fair with this address."), code="fair_not_found")
    return fair


@service
def create_fair(data: FairData) -> Fair:
    if not SLUG_RE.match(data.slug):
        raise ValidationError(
            _l("The fair's short name may use only lower-case letters, digits and hyphens."),
            code="invalid_slug",
        )
    if db.session.scalar(select(Fair.id).where(Fair.slug == data.slug)) is not None:
        raise Conflict(_l("A fair with this short name already exists."), code="duplicate_slug")
    if (data.trading_opens_at and data.trading_closes_at
            and data.trading_closes_at <= data.trading_opens_at):
        raise ValidationError(_l("Trading must close after it opens."), code="invalid_window")
    fair = Fair(
        slug=data.slug, name=data.name.strip(), venue=data.venue.strip(),
        starts_at=data.starts_at, trading_opens_at=data.trading_opens_at,
        trading_closes_at=data.trading_closes_at, notary_required=data.notary_required,
        point_rate=data.point_rate, display_token=new_display_token(), state=FairState.OPEN,
    )
    db.session.add(fair)
    db.session.flush()
    seed_categories(fair.id)
    return fair


@service
def set_registration_open(actor: Actor, fair_id: int, is_open: bool) -> Fair:
    require_role(actor, fair_id, Role.ORGANISER)
    fair = db.session.get_one(Fair, fair_id)
    fair.registration_open = is_open
    record_event(fair.id, "fair.registration_changed", {"registration_open": is_open})
    return fair
