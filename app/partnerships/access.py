"""Who may record, see and end a partnership, and loading one for them.

The network's coordinator may do so for any partnership; a fair's organiser for the partnerships
whose members all attend their fair (have an organisation there, not removed).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.errors import Forbidden, NotFound
from app.core.extensions import db
from app.fairs.roles import Role, require_role
from app.ledger.permissions import is_network_admin
from app.partnerships.models import Partnership, PartnershipMember
from app.people.models import Organisation, Participant


def require_organiser(actor: Participant | None, fair_id: int) -> Participant:
    return require_role(actor, fair_id, Role.ORGANISER)


def members_at_fair(fair_id: int, member_ids: Iterable[int]) -> set[int]:
    """Those of `member_ids` that attend the fair."""
    ids = set(member_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Organisation.member_id).where(
        Organisation.fair_id == fair_id, Organisation.removed_at.is_(None), Organisation.member_id.in_(ids))))


def may_manage_members(actor: Participant, member_ids: Iterable[int]) -> bool:
    """The coordinator: always; an organiser: when every member attends their fair."""
    ids = set(member_ids)
    return is_network_admin(actor) or (actor.role == Role.ORGANISER and members_at_fair(actor.fair_id, ids) == ids)


def require_members_at_fair(actor: Participant, member_ids: Iterable[int]) -> None:
    if not may_manage_members(actor, member_ids):
        raise Forbidden(_l("A fair's organiser may record and end only partnerships whose members all attend "
                           "their fair."), code="member_not_at_fair")


def get_partnership(actor: Participant, partnership_id: int, lock: bool = False) -> Partnership:
    """The partnership, if the actor may manage it; else NotFound (as for an id none has)."""
    require_organiser(actor, actor.fair_id)
    partnership = db.session.get(Partnership, partnership_id, with_for_update=lock or None, populate_existing=lock,
                                 options=[selectinload(Partnership.members).selectinload(PartnershipMember.member)])
    if partnership is None or not may_manage_members(actor, [m.member_id for m in partnership.members]):
        raise NotFound(_l("There is no such partnership."), code="partnership_not_found")
    return partnership


def managed_ids(actor: Participant) -> list[int] | None:
    """The ids of the partnerships the actor manages; None: every one (the coordinator)."""
    if is_network_admin(actor):
        return None
    attending = select(Organisation.member_id).where(Organisation.fair_id == actor.fair_id,
                                                     Organisation.removed_at.is_(None))
    outside = select(PartnershipMember.partnership_id).where(PartnershipMember.member_id.not_in(attending))
    return list(db.session.scalars(select(func.distinct(PartnershipMember.partnership_id))
                                   .where(PartnershipMember.partnership_id.not_in(outside))))
