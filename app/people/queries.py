"""Reading people and organisations: the lists and look-ups pages and commands show (no writes here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, distinct, func, inspect, or_, select
from sqlalchemy.orm import joinedload

from app.core.extensions import db
from app.core.textkeys import SEPARATOR, search_key
from app.fairs.roles import PASSWORD_ROLES, Role
from app.network.sectors import Sector
from app.people.models import Organisation, Participant


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


@dataclass(frozen=True)
class OrganisationsPage:
    organisations: list[tuple[Organisation, int]]  # this page's, in order, with their people's count
    total: int  # all that match


def _bytewise(column: Any) -> Any:
    """PostgreSQL compares text by its locale, which skips separators: compare bytes, as Python
    and SQLite do, so that both databases list in the same order."""
    return column.collate("C") if db.engine.dialect.name == "postgresql" else column


def _folded(column: Any) -> Any:
    """The column lower-cased without Polish diacritics, in SQL (SQLite's lower() folds ASCII only,
    so the capitals are replaced too) — for columns with no folded copy stored, such as a town."""
    for plain, letters in _POLISH.items():
        for letter in letters:
            column = func.replace(column, letter, plain)
    return func.lower(column)


_POLISH = {"a": "ąĄ", "c": "ćĆ", "e": "ęĘ", "l": "łŁ", "n": "ńŃ", "o": "óÓ", "s": "śŚ", "z": "źŹżŻ"}


def search_organisations(fair_id: int, q: str = "", sector: str = "", page: int = 1,
                         page_size: int | None = None) -> OrganisationsPage:
    """The fair's organisations by name (case and diacritics ignored), each with how many people
    represent it; `sector` narrows, `q` searches name, town and e-mail (every word somewhere).
    Sorted, searched and paged in SQL: two queries however many organisations the fair has."""
    query = select(Organisation).where(Organisation.fair_id == fair_id, Organisation.removed_at.is_(None))
    if sector in {s.value for s in Sector}:
        query = query.where(Organisation.sector == sector)
    for part in search_key(q).split():
        query = query.where(or_(Organisation.search_text.contains(part, autoescape=True),
                                _folded(Organisation.city).contains(part, autoescape=True),
                                func.lower(Organisation.email).contains(part, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = (select(func.count(Participant.id)).where(Participant.organisation_id == Organisation.id,
                                                       Participant.removed_at.is_(None))
              .correlate(Organisation).scalar_subquery())
    listed = (query.add_columns(people)
              .order_by(_bytewise(Organisation.search_text), Organisation.name_key, Organisation.id))
    if page_size is not None:
        listed = listed.limit(page_size).offset((max(page, 1) - 1) * page_size)
    return OrganisationsPage([(org, count) for org, count in db.session.execute(listed).tuples()], total)


def _ranked(exact: Any, starts: Any) -> Any:
    """0 for a whole name equal to what was typed, 1 for one that starts with it, 2 otherwise."""
    return case((exact, 0), (starts, 1), else_=2)


def organisation_matches(fair_id: int, q: str, limit: int) -> list[Organisation]:
    """Up to `limit` of the fair's organisations whose name holds every word of `q` (case and
    diacritics ignored): the name equal to `q` first, then names starting with it, then by name."""
    key = search_key(q)
    query = select(Organisation).where(Organisation.fair_id == fair_id, Organisation.removed_at.is_(None))
    for part in key.split():
        query = query.where(Organisation.search_text.contains(part, autoescape=True))
    rank = _ranked(Organisation.search_text == key, Organisation.search_text.startswith(key, autoescape=True))
    return list(db.session.scalars(query.order_by(rank, _bytewise(Organisation.search_text), Organisation.id)
                                   .limit(limit)))


def participant_matches(fair_id: int, q: str, limit: int,
                        among: ColumnElement[bool] | None = None) -> list[Participant]:
    """Up to `limit` of the fair's participants (narrowed by `among` if given) whose name, e-mail
    or badge code holds every word of `q`, each with its organisation: the whole name equal to `q`
    first, then names (first or last) starting with it, then by last and first name."""
    key = search_key(q)
    query = (select(Participant).options(joinedload(Participant.organisation))
             .where(Participant.fair_id == fair_id, Participant.removed_at.is_(None)))
    if among is not None:
        query = query.where(among)
    for part in key.split():
        query = query.where(Participant.search_text.contains(part, autoescape=True))
    rank = _ranked(Participant.search_text.startswith(key + SEPARATOR, autoescape=True),
                   or_(Participant.search_text.startswith(key, autoescape=True),
                       Participant.sort_key.startswith(key, autoescape=True)))
    return list(db.session.scalars(query.order_by(rank, _bytewise(Participant.sort_key), Participant.id)
                                   .limit(limit)))


def organisation_in_fair(fair_id: int, organisation_id: int) -> Organisation | None:
    """The fair's organisation with this id, unless removed."""
    return db.session.scalar(select(Organisation).where(
        Organisation.id == organisation_id, Organisation.fair_id == fair_id, Organisation.removed_at.is_(None)))


def participant_in_fair(fair_id: int, participant_id: int,
                        among: ColumnElement[bool] | None = None) -> Participant | None:
    """The fair's participant with this id (narrowed by `among` if given), unless removed, with
    their organisation."""
    query = (select(Participant).options(joinedload(Participant.organisation))
             .where(Participant.id == participant_id, Participant.fair_id == fair_id,
                    Participant.removed_at.is_(None)))
    if among is not None:
        query = query.where(among)
    return db.session.scalar(query)


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


# Read again inside a service's transaction, in one statement, with the fair and organisation
# the service goes on to read (the transaction's start expired what the request had loaded).
_ACTOR = (select(Participant).options(joinedload(Participant.fair), joinedload(Participant.organisation))
          .where(Participant.id == bindparam("id")).execution_options(populate_existing=True))


def reread_actor(actor: Participant) -> Participant | None:
    """The actor as their row stands now (None if it is gone), with their fair and organisation."""
    identity = inspect(actor).identity  # not `actor.id`: reading an expired object loads it first
    return db.session.scalar(_ACTOR, {"id": identity[0] if identity else actor.id})
