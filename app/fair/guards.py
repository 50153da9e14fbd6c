"""Checks services make about who is acting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import Forbidden
from app.fair.models import Participant
from app.fair.sectors import Role


def require_role(actor: Participant | None, fair_id: int, *roles: Role) -> Participant:
    """The actor must belong to this fair and hold one of `roles`."""
    if actor is None or actor.fair_id != fair_id or not actor.is_active:
        raise Forbidden(_l("You are not logged in to this fair."), code="not_logged_in")
    if roles and actor.role not in roles:
        raise Forbidden(_l("Your role does not allow this action."), code="forbidden_role")
    return actor
