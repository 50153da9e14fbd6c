"""The network's own space between fairs: one per installation, a `Fair` of kind network.

It is always trading (members post standing offers and needs and sign agreements there at any
time), needs no notary, and numbers its agreements in the network's series. Its organisers are
the network's coordinators. It is made the first time it is needed (a coordinator named, a member
entering it), under the address NETWORK_SLUG.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.core.codes import new_display_token
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.fairs.categories import seed_categories
from app.fairs.models import Fair, FairKind, FairState

_SPACE = select(Fair).where(Fair.kind == FairKind.NETWORK).order_by(Fair.id).limit(1)


def network_space() -> Fair | None:
    return db.session.scalar(_SPACE)


def _free_slug(wanted: str) -> str:
    taken = set(db.session.scalars(select(Fair.slug).where(Fair.slug.like(f"{wanted}%"))))
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def ensure_network_space() -> Fair:
    """The network's space, made now if there is none (inside the caller's transaction)."""
    space = network_space()
    if space is not None:
        return space
    now = utcnow()
    space = Fair(slug=_free_slug(current_app.config["NETWORK_SLUG"]), name=current_app.config["NETWORK_NAME"],
                 kind=FairKind.NETWORK, state=FairState.TRADING, notary_required=False,
                 display_token=new_display_token(), trading_started_at=now, trading_opens_at=now)
    db.session.add(space)
    db.session.flush()
    seed_categories(space.id)
    return space
