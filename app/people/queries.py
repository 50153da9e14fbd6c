"""Reading people and organisations: the lists and look-ups pages and commands show (no writes here)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import joinedload

from app.core.extensions import db
from app.core.textkeys import search_key
from app.fairs.roles import PASSWORD_ROLES, Role
from app.people.models import Organisation, Participant
from app.people.sectors import Sector


def matches(q: str, *values: str) -> bool:
    """Whether every word of `q` is in one of `values`, ignoring case and diacritics."""
    key = search_key(q)
    return all(any(part in search_key(v) for v in values) for part in key.split())


@dataclass(frozen=True)
class PeoplePage:
    people: list[Participant]  # this page's, in order
    total: int  # all that match


def search_participants(fair_id: int, q: str = "", sector: str = "", role: str = "", page: int = 1,
                        page_size: int | None = None) -> PeoplePage:
    """The fair's participants by last and first name (case and diacritics ignored); `sector` and
    `role` (their values) narrow the list when they name one, `q` searches name, organisation,
    e-mail and badge code (every word somewhere). Sorted, searched and paged in SQL: two queries
    however many people the fair has."""
    query = (select(Participant).join(Participant.organisation)
             .where(Participant.fair_id == fair_id, Participant.removed_at.is_(None)))
    if sector in {s.value for s in Sector}:
        query = query.where(Organisation.sector == sector)
    if role in {r.value for r in Role}:
        query = query.where(Participant.role == role)
    for part in search_key(q).split():
        query = query.where(or_(Participant.search_text.contains(part, autoescape=True),
                                Organisation.search_text.contains(part, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # PostgreSQL compares text by its locale, which skips the separator: compare bytes, as Python does.
    sort_key = Participant.sort_key.collate("C") if db.engine.dialect.name == "postgresql" else Participant.sort_key
    listed = (query.options(joinedload(Participant.organisation), joinedload(Participant.check_in))
              .order_by(sort_key, Participant.id))
    if page_size is not None:
        listed = listed.limit(page_size).offset((max(page, 1) - 1) * page_size)
    return PeoplePage(list(db.session.scalars(listed).unique()), total)


def search_organisations(fair_id: int, q: str = "", sector: str = "") -> list[Organisation]:
    """The fair's organisations by name (with their people); `sector` narrows, `q` searches name,
    town and e-mail."""
    query = (select(Organisation).options(joinedload(Organisation.participants))
             .where(Organisation.fair_id == fair_id, Organisation.removed_at.is_(None))
             .order_by(Organisation.name_key))
    if sector in {s.value for s in Sector}:
        query = query.where(Organisation.sector == sector)
    orgs = list(db.session.scalars(query).unique())
    if q:
        orgs = [o for o in orgs if matches(q, o.name, o.city, o.email)]
    return orgs


def active_organisations(fair_id: int) -> list[Organisation]:
    """The fair's organisations (not removed), by name."""
    return list(db.session.scalars(select(Organisation).where(
        Organisation.fair_id == fair_id, Organisation.removed_at.is_(None)).order_by(Organisation.name_key)))


def active_participants(fair_id: int) -> list[Participant]:
    """The fair's participants (not removed), by last and first name, each with its organisation
    (one query: a list of choices names both)."""
    return list(db.session.scalars(select(Participant).options(joinedload(Participant.organisation)).where(
        Participant.fair_id == fair_id, Participant.removed_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name)))


def participants_with_role(fair_id: int, role: Role) -> list[Participant]:
    """Everyone of the fair with this role (removed ones too), in the order they were added."""
    return list(db.session.scalars(select(Participant).where(
        Participant.fair_id == fair_id, Participant.role == role).order_by(Participant.id)))


def staff_members(fair_id: int) -> list[Participant]:
    """The fair's staff (the roles that log in with a password), by role and last name."""
    return list(db.session.scalars(select(Participant).where(
        Participant.fair_id == fair_id, Participant.removed_at.is_(None),
        Participant.role.in_(list(PASSWORD_ROLES))).order_by(Participant.role, Participant.last_name)))


def participant_by_badge(badge_code: str, fair_id: int | None = None) -> Participant | None:
    """Whoever wears this badge (not removed), at this fair if one is given."""
    person = db.session.scalar(select(Participant).where(Participant.badge_code == badge_code))
    if person is None or person.removed_at is not None or (fair_id is not None and person.fair_id != fair_id):
        return None
    return person


def organisation_names(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))
    return dict(rows.tuples().all())


def participant_counts(fair_id: int) -> tuple[int, int]:
    """How many participants the fair has, and from how many organisations."""
    people, orgs = db.session.execute(
        select(func.count(Participant.id), func.count(distinct(Participant.organisation_id)))
        .where(Participant.fair_id == fair_id)).tuples().one()
    return people, orgs
