"""Reading the public directory (no writes here): the members who chose a public profile, one
member's profile, and the network's member counts.

A member is in the directory when it said so (`public_profile`) and was not merged into another.
Aggregate counts (by sector, branch and year) take every member that was not merged: they reveal
no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import joinedload

from app.agreements.value_totals import ValueRow, ValueTotals, value_per_period, value_totals
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.core.textkeys import search_key, tidy
from app.fairs.categories import category_label
from app.fairs.models import Fair, FairKind, FairState
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.ledger.models import Account, AccountKind
from app.network.models import Member
from app.network.sectors import Branch, Sector
from app.people.models import Organisation

PAGE_SIZE = 50
NO_BRANCH = "none"  # the members that named no branch, in the counts by branch
MAX_POSTS = 200  # a profile's live offers and needs, newest first

E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], value: Any) -> E | None:
    """The enum member whose value this is; None (no filter) for anything else."""
    try:
        return kind(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory is narrowed by: words searched, a sector, a branch, a place."""

    q: str = ""
    sector: Sector | None = None
    branch: Branch | None = None
    place: str = ""

    @classmethod
    def parse(cls, q: Any = "", sector: Any = "", branch: Any = "", place: Any = "") -> DirectoryFilters:
        """From a query string's values: an unknown sector or branch filters nothing."""
        return cls(tidy(q) if isinstance(q, str) else "", _choice(Sector, sector), _choice(Branch, branch),
                   tidy(place) if isinstance(place, str) else "")

    def args(self) -> dict[str, str]:
        """The filters that are set, as query-string values (links keep them)."""
        values = {"q": self.q, "sector": self.sector.value if self.sector else "",
                  "branch": self.branch.value if self.branch else "", "place": self.place}
        return {k: v for k, v in values.items() if v}


def _folded(column: Any) -> Any:
    """The column lower-cased without Polish diacritics, in SQL, as `search_key` folds text in
    Python (SQLite's lower() folds ASCII only, so the capitals are replaced too): for the columns
    with no folded copy stored (the place, the description)."""
    for plain, letters in _POLISH.items():
        for letter in letters:
            column = func.replace(column, letter, plain)
    return func.lower(column)


_POLISH = {"a": "ąĄ", "c": "ćĆ", "e": "ęĘ", "l": "łŁ", "n": "ńŃ", "o": "óÓ", "s": "śŚ", "z": "źŹżŻ"}


def _bytewise(column: Any) -> Any:
    """PostgreSQL compares text by its locale: compare bytes, as SQLite and Python do, so that
    both databases list in the same order."""
    return column.collate("C") if db.engine.dialect.name == "postgresql" else column


def is_public() -> ColumnElement[bool]:
    return and_(Member.public_profile.is_(True), Member.merged_into_id.is_(None))


def _matching(filters: DirectoryFilters) -> Select[tuple[Member]]:
    query = select(Member).where(is_public())
    if filters.sector is not None:
        query = query.where(Member.sector == filters.sector)
    if filters.branch is not None:
        query = query.where(Member.branch == filters.branch)
    if filters.place:
        query = query.where(_folded(Member.city) == search_key(filters.place))
    for word in search_key(filters.q).split():
        query = query.where(or_(Member.search_text.contains(word, autoescape=True),
                                _folded(Member.city).contains(word, autoescape=True),
                                _folded(Member.description).contains(word, autoescape=True)))
    return query


def _by_name(query: Select[tuple[Member]]) -> Select[tuple[Member]]:
    return query.order_by(_bytewise(Member.search_text), Member.name_key, Member.id)


@dataclass(frozen=True)
class MembersPage:
    members: list[Member]  # this page's, by name
    total: int  # all that match
    page: int
    pages: int


def search_members(filters: DirectoryFilters, page: int = 1, page_size: int = PAGE_SIZE) -> MembersPage:
    """The public members that match, by name (case and diacritics ignored): every word of `q` in
    the name, the place or the description. Counted and paged in SQL: two queries however many."""
    query = _matching(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    members = list(db.session.scalars(_by_name(query).limit(page_size).offset((page - 1) * page_size)))
    return MembersPage(members, total, page, max(1, -(-total // page_size)))


def public_members(filters: DirectoryFilters) -> list[Member]:
    """Every public member that matches, by name (the exports): one query."""
    return list(db.session.scalars(_by_name(_matching(filters))))


def sector_counts(filters: DirectoryFilters) -> dict[Sector, int]:
    """How many public members match in each sector (the other filters applied, not the sector)."""
    query = _matching(replace(filters, sector=None)).subquery()
    rows = db.session.execute(select(query.c.sector, func.count()).group_by(query.c.sector))
    found = {sector: int(n) for sector, n in rows}
    return {sector: found.get(sector, 0) for sector in Sector}


def public_places() -> list[str]:
    """The places of the public members, one spelling each (case and diacritics aside), by name."""
    spellings: dict[str, str] = {}
    for city in db.session.scalars(select(Member.city).where(is_public(), Member.city != "").distinct()
                                   .order_by(Member.city)):
        spellings.setdefault(search_key(city), city)
    return [spellings[key] for key in sorted(spellings)]


# --- one member's profile ---------------------------------------------------------------------


@dataclass(frozen=True)
class LivePost:
    post: Post
    fair: Fair
    category: str  # its label in the user's language


@dataclass(frozen=True)
class Profile:
    member: Member
    fairs: list[Fair]  # attended, the latest first
    offers: list[LivePost] = field(default_factory=list)  # live, the newest first
    needs: list[LivePost] = field(default_factory=list)


def get_public_member(member_id: int) -> Member:
    """The member, if it is in the directory; else NotFound (as for an id no member has)."""
    member = db.session.scalar(select(Member).where(Member.id == member_id, is_public()))
    if member is None:
        raise NotFound(_l("This member is not in the network's public directory."), code="member_not_found")
    return member


def attended_fairs(member_id: int) -> list[Fair]:
    """The fairs the member attended (an organisation of it, not removed; not the network's space
    between fairs), the latest first."""
    attended = select(Organisation.fair_id).where(Organisation.member_id == member_id,
                                                  Organisation.removed_at.is_(None))
    return list(db.session.scalars(select(Fair).where(Fair.id.in_(attended), Fair.kind == FairKind.FAIR)
                                   .order_by(func.coalesce(Fair.starts_at, Fair.created_at).desc(), Fair.id.desc())))


def live_posts(member_id: int, limit: int = MAX_POSTS, now: datetime | None = None) -> list[LivePost]:
    """The member's current offers and needs, the newest first: its standing ones between fairs
    (active, not hidden, not ended) and those at a fair that has not closed."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Post, Fair).join(Organisation, Organisation.id == Post.organisation_id)
        .join(Fair, Fair.id == Post.fair_id)
        .where(Organisation.member_id == member_id, Organisation.removed_at.is_(None),
               Post.state == PostState.ACTIVE, Post.hidden_at.is_(None),
               or_(Post.expires_at.is_(None), Post.expires_at > now),
               or_(Fair.kind == FairKind.NETWORK, Fair.state != FairState.CLOSED))
        .options(joinedload(Post.category))
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(limit))
    return [LivePost(post, fair, category_label(post.category)) for post, fair in rows.tuples()]


def member_profile(member_id: int) -> Profile:
    """The public member's profile (NotFound unless it is in the directory): three queries."""
    member = get_public_member(member_id)
    posts = live_posts(member.id)
    return Profile(member, attended_fairs(member.id), [p for p in posts if p.post.kind is PostKind.OFFER],
                   [p for p in posts if p.post.kind is PostKind.NEED])


def member_balance(member_id: int) -> int:
    """The member's points: its network account's balance (0 while it has none)."""
    return int(db.session.scalar(select(Account.balance).where(
        Account.member_id == member_id, Account.kind == AccountKind.MEMBER)) or 0)


# --- the network's counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class YearCounts:
    """The members (not merged) there were at the end of a year (the current one: so far)."""

    year: int
    total: int
    by_sector: dict[Sector, int]
    by_branch: dict[str, int]  # a Branch's value, or NO_BRANCH


def _year_start(year: int) -> datetime:
    """The first moment of the year where the network is (Poland), in UTC."""
    return datetime(year, 1, 1, tzinfo=LOCAL_ZONE).astimezone(UTC)


def _empty(year: int) -> YearCounts:
    return YearCounts(year, 0, {s: 0 for s in Sector}, {b: 0 for b in [*(b.value for b in Branch), NO_BRANCH]})


def member_counts_by_year(now: datetime | None = None) -> list[YearCounts]:
    """For every calendar year from the first member's to now, how many members (not merged) there
    were at its end, by sector and by branch: each member counts from the year it was created on.
    Two queries however many members and years."""
    live = Member.merged_into_id.is_(None)
    first_at = db.session.scalar(select(func.min(Member.created_at)).where(live))
    if first_at is None:
        return []
    last = (now or datetime.now(UTC)).astimezone(LOCAL_ZONE).year
    first = min(first_at.astimezone(LOCAL_ZONE).year, last)
    whens = [(Member.created_at < _year_start(y + 1), y) for y in range(first, last)]
    year = case(*whens, else_=last) if whens else literal(last, Integer)
    joined = select(year.label("year"), Member.sector, Member.branch).where(live).subquery()
    rows = db.session.execute(select(joined.c.year, joined.c.sector, joined.c.branch, func.count())
                              .group_by(joined.c.year, joined.c.sector, joined.c.branch))
    new: dict[int, list[tuple[Sector, Branch | None, int]]] = {}
    for y, sector, branch, n in rows:
        new.setdefault(int(y), []).append((sector, branch, int(n)))
    counts, running = [], _empty(first)
    for y in range(first, last + 1):
        by_sector, by_branch, total = dict(running.by_sector), dict(running.by_branch), running.total
        for sector, branch, n in new.get(y, []):
            by_sector[sector] += n
            by_branch[branch.value if branch else NO_BRANCH] += n
            total += n
        running = YearCounts(y, total, by_sector, by_branch)
        counts.append(running)
    return counts


@dataclass(frozen=True)
class NetworkStats:
    per_year: list[YearCounts]
    now: YearCounts  # the members there are now (the last year's counts)
    fairs: int  # fairs set up in the network
    returning_members: int  # members (not merged) that attended two fairs or more
    social_value: ValueTotals = field(default_factory=ValueTotals)  # every fair's and between fairs, in grosze
    social_value_per_year: dict[int, ValueRow] = field(default_factory=dict)  # by the year of signing


def network_stats(now: datetime | None = None) -> NetworkStats:
    per_year = member_counts_by_year(now)
    current = per_year[-1] if per_year else _empty((now or datetime.now(UTC)).astimezone(LOCAL_ZONE).year)
    years = [y.year for y in per_year]
    per_year_values = value_per_period([_year_start(y) for y in [*years, years[-1] + 1]]) if years else []
    at_fairs = (select(Organisation.member_id).join(Member, Member.id == Organisation.member_id)
                .where(Organisation.removed_at.is_(None), Member.merged_into_id.is_(None))
                .group_by(Organisation.member_id)
                .having(func.count(func.distinct(Organisation.fair_id)) >= 2).subquery())
    return NetworkStats(
        per_year=per_year, now=current,
        fairs=int(db.session.scalar(select(func.count()).select_from(Fair)) or 0),
        returning_members=int(db.session.scalar(select(func.count()).select_from(at_fairs)) or 0),
        social_value=value_totals(), social_value_per_year=dict(zip(years, per_year_values, strict=True)))
