"""Returning members a fair's organiser confirms: a new organisation whose name is close to one the
network knows ("Fundacja Nowej Drogi" / "Fundacja Nowa Droga") is either the same member (the new
record is merged into the known one, with its history) or a different one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import aliased

from app.core.errors import NotFound
from app.core.extensions import db
from app.core.storage.transactions import service
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.network.merging import decide_duplicate, merge_records
from app.network.models import Member, PossibleDuplicate
from app.people.models import Organisation, Participant


def _at_fair(member_id: Any, fair_id: int) -> ColumnElement[bool]:
    return select(Organisation.id).where(Organisation.member_id == member_id, Organisation.fair_id == fair_id,
                                         Organisation.removed_at.is_(None)).exists()


def _open_for(fair_id: int) -> tuple[ColumnElement[bool], ...]:
    """Undecided, between two members neither merged yet, either of which came to the fair."""
    merged = aliased(Member)
    return (PossibleDuplicate.decided_at.is_(None),
            ~select(merged.id).where(merged.id.in_([PossibleDuplicate.member_id, PossibleDuplicate.candidate_id]),
                                     merged.merged_into_id.is_not(None)).exists(),
            or_(_at_fair(PossibleDuplicate.member_id, fair_id), _at_fair(PossibleDuplicate.candidate_id, fair_id)))


@dataclass(frozen=True)
class Seen:
    """A member as the organiser needs to tell: its details and the fairs it came to."""

    member: Member
    fairs: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    id: int
    score: int
    new: Seen  # registered lately
    known: Seen  # known to the network before


def _fairs_of(member_ids: list[int]) -> dict[int, tuple[str, ...]]:
    rows = db.session.execute(select(Organisation.member_id, Fair.name).join(Fair, Fair.id == Organisation.fair_id)
                              .where(Organisation.member_id.in_(member_ids), Organisation.removed_at.is_(None))
                              .order_by(Fair.created_at, Fair.id)).all()
    fairs: dict[int, list[str]] = {}
    for member_id, name in rows:
        if name not in fairs.setdefault(member_id, []):
            fairs[member_id].append(name)
    return {member_id: tuple(names) for member_id, names in fairs.items()}


def pending_duplicates(fair_id: int) -> list[Duplicate]:
    """The undecided possible duplicates that concern the fair (either member came to it), newest first."""
    live = db.session.scalars(select(PossibleDuplicate).where(*_open_for(fair_id))
                              .order_by(PossibleDuplicate.id.desc())).all()
    members = {m.id: m for m in db.session.scalars(select(Member).where(
        Member.id.in_({d.member_id for d in live} | {d.candidate_id for d in live})))}
    fairs = _fairs_of(list(members))
    return [Duplicate(d.id, d.score, Seen(members[d.member_id], fairs.get(d.member_id, ())),
                      Seen(members[d.candidate_id], fairs.get(d.candidate_id, ()))) for d in live]


def count_pending_duplicates(fair_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(PossibleDuplicate).where(*_open_for(fair_id))) or 0


@service
def decide_possible_duplicate(actor: Participant, fair_id: int, duplicate_id: int, same: bool) -> Member:
    """The organiser says whether a new organisation is a member the network knew. If it is, the
    new record is merged into the known one: the fair's organisations move to it, and the areas
    that keep something per member follow (the ledger carries its balance). Returns the member
    the new organisation is now."""
    require_role(actor, fair_id, Role.ORGANISER)
    duplicate = db.session.scalar(select(PossibleDuplicate).where(PossibleDuplicate.id == duplicate_id,
                                                                  *_open_for(fair_id)).with_for_update())
    if duplicate is None:
        raise NotFound(_l("There is no such question to answer."), code="duplicate_not_found")
    decide_duplicate(duplicate, same, actor.id)
    new = db.session.get_one(Member, duplicate.member_id, with_for_update=True)
    if not same:
        return new
    known = db.session.get_one(Member, duplicate.candidate_id, with_for_update=True)
    merge_members(known, new)
    return known


def merge_members(keep: Member, gone: Member) -> None:
    """Merge inside the caller's transaction: the member's organisations at every fair move too."""
    merge_records(keep, gone)
    db.session.execute(update(Organisation).where(Organisation.member_id == gone.id).values(member_id=keep.id)
                       .execution_options(synchronize_session="fetch"))
