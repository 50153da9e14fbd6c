"""The network's results across fairs and years, for the network's coordinator.

What is counted (read-only; each figure comes from one SQL statement, whatever the size of the
network):

- **members present at a fair**: distinct members with an organisation at the fair that was not
  removed. A member merged into another counts as the one it was merged into (a merged member
  is not counted on its own). By sector: the member's sector.
- **newcomers**: members whose first fair (the earliest fair, by start, else creation, where
  they had such an organisation) is this one.
- **agreements** and the **fulfilment rate** of a fair: as in the fair's results
  (`app.reports.results`): signed or fulfilled agreements; confirmed obligations of those
  agreements over all their obligations.
- **social value** (`app.agreements.value_totals`), estimates frozen at signing, never prices:
  of a fair, pledged by its counted agreements' obligations and realised by those confirmed; of
  the period (one year in Warsaw, or all), of every counted agreement *signed* in it, at a fair or
  between fairs, by category and by the giving party's sector.
- **who exchanges with whom**: matrix[a][b] counts the counted agreements with a party of sector
  a and a party of sector b (each agreement once per pair of sectors; the organisation's sector
  at its fair, as in the fair's matrix); the member × member edges count, for each pair of
  members, the counted agreements they are both parties of, and at how many fairs.
- **repeat partners**: pairs of members who are parties together of counted agreements at two or
  more fairs, or in two or more agreements.
- **most active members**: by counted agreements, then by the points of the confirmed
  obligations they gave or received; the top ten.
- **partnerships** (app/partnerships/counts.py): by size (2–3 members, 4 or more) and by the
  sectors they join, every one recorded and those in force during each year.
- **points in circulation**: the sum of the positive balances of open member and personal
  accounts; **entries per month**: ledger entries and the points they moved (the sum of their
  positive postings), by calendar month in Warsaw.

**One year** (`network_results(year=...)`): a fair's year is the calendar year in Warsaw of its
start, else of its creation (`app.reports.local_years`). Narrowed to a year, every figure above
counts the fairs of that year only, and the agreements made at them (repeat partners, most active
members and the sector matrix too); a newcomer is still a member at its first fair ever; the
entries per month are those made in that year; the points in circulation are today's.

**Over the years** (`app.reports.network_years`), per calendar year, each from one statement:

- **fairs held**: the fairs of that year;
- **members present** and **members by sector**: distinct members (as above) at one fair of that
  year at least, counted in each sector (a member has one sector, so the sectors add up to the
  members present);
- **newcomers**: members whose first fair (as above) is one of that year's;
- **agreements** and the **fulfilment rate**: the counted agreements made at that year's fairs;
  confirmed obligations of those agreements over all their obligations;
- **ledger entries** and **points moved**: entries made in that year (in Warsaw) and the sum of
  their positive postings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import aliased

from app.agreements.models import Agreement, AgreementParty, Obligation, ObligationState
from app.agreements.stats import COUNTED
from app.agreements.value_totals import ValueTotals, value_totals
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.output.spreadsheets import Cell, Sheet
from app.fairs.models import Fair, FairKind
from app.ledger.models import Account, AccountKind, Entry, Posting
from app.network.models import Member
from app.network.sectors import SECTOR_COLOURS, Sector
from app.partnerships.counts import PartnershipCounts, counts_per_year, partnership_counts
from app.people.models import Organisation
from app.reports.local_years import fair_year, local_year, year_bounds
from app.valuation.money import round_zloty

TOP_ACTIVE = 10
GRAPH_NODES = 60  # the picture shows the most connected members, so that it stays readable


@dataclass(frozen=True)
class MemberRef:
    id: int
    name: str
    sector: Sector

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self.sector]


@dataclass(frozen=True)
class FairRow:
    id: int
    name: str
    slug: str
    when: datetime
    members: int
    by_sector: dict[Sector, int]
    newcomers: int
    agreements: int
    obligations: int
    confirmed: int
    value_pledged: int = 0  # the estimated social value of its agreements, in grosze
    value_realised: int = 0

    @property
    def returning(self) -> int:
        return self.members - self.newcomers

    @property
    def fulfilment_rate(self) -> float | None:
        return self.confirmed / self.obligations if self.obligations else None


@dataclass(frozen=True)
class Pair:
    a: MemberRef
    b: MemberRef
    agreements: int
    fairs: int

    @property
    def repeat(self) -> bool:
        """Repeat partners: agreements together at two fairs or more, or in two agreements or more."""
        return self.fairs >= 2 or self.agreements >= 2


@dataclass(frozen=True)
class ActiveMember:
    member: MemberRef
    agreements: int
    fairs: int
    points_confirmed: int


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM, in Warsaw
    entries: int
    points: int


@dataclass(frozen=True)
class NetworkResults:
    fairs: list[FairRow]
    members: int  # members present at one fair at least
    pairs: list[Pair]  # every pair of members with a counted agreement, most agreements first
    most_active: list[ActiveMember]
    matrix: dict[Sector, dict[Sector, int]]
    in_circulation: int
    per_month: list[Month]
    year: int | None = None  # the year the figures are narrowed to; None: all years
    partnerships: PartnershipCounts = field(default_factory=lambda: PartnershipCounts(None))  # all ever recorded
    partnership_years: list[PartnershipCounts] = field(default_factory=list)  # in force during each year
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    values: ValueTotals = field(default_factory=ValueTotals)  # of the agreements signed in the period

    @property
    def repeat_partners(self) -> list[Pair]:
        return [p for p in self.pairs if p.repeat]

    @property
    def agreements(self) -> int:
        return sum(f.agreements for f in self.fairs)

    @property
    def entries(self) -> int:
        return sum(m.entries for m in self.per_month)

    @property
    def points_moved(self) -> int:
        return sum(m.points for m in self.per_month)

    @property
    def matrix_rows(self) -> list[list[int]]:
        return [[self.matrix[a][b] for b in Sector] for a in Sector]

    def graph(self, limit: int = GRAPH_NODES) -> tuple[list[tuple[MemberRef, int]], list[Pair]]:
        """The picture's members (the `limit` most connected, with their agreements) and the
        pairs between them."""
        degree: dict[int, int] = defaultdict(int)
        members: dict[int, MemberRef] = {}
        for p in self.pairs:
            for m in (p.a, p.b):
                degree[m.id] += p.agreements
                members[m.id] = m
        chosen = sorted(members, key=lambda i: (-degree[i], members[i].name, i))[:limit]
        kept = set(chosen)
        return ([(members[i], degree[i]) for i in chosen],
                [p for p in self.pairs if p.a.id in kept and p.b.id in kept])


# --- the statements ------------------------------------------------------------------------------


def of_year(fair_id: Any, year: int | None) -> ColumnElement[bool]:
    """The fair id is one of the year's fairs (a subquery: still one statement); always true with
    no year."""
    if year is None:
        return true()
    return fair_id.in_(select(Fair.id).where(fair_year() == year))


def _member() -> ColumnElement[int]:
    """The member an organisation counts for: the one its member was merged into, if any."""
    return func.coalesce(Member.merged_into_id, Member.id)


def presence() -> Any:
    """(fair_id, member_id) of every member present at a fair, once (the network's space between
    fairs is no fair: its members are not counted as present there)."""
    return (select(Organisation.fair_id.label("fair_id"), _member().label("member_id"))
            .join(Member, Member.id == Organisation.member_id)
            .where(Organisation.removed_at.is_(None), Organisation.fair_id.in_(_real_fairs()))
            .distinct().subquery("presence"))


def _real_fairs() -> Any:
    return select(Fair.id).where(Fair.kind == FairKind.FAIR)


def _fair_order() -> ColumnElement[Any]:
    return func.coalesce(Fair.starts_at, Fair.created_at)


def _fairs(year: int | None) -> list[Fair]:
    return list(db.session.scalars(select(Fair).where(of_year(Fair.id, year), Fair.kind == FairKind.FAIR)
                                   .order_by(_fair_order(), Fair.id)))


def _present_by_sector(year: int | None) -> dict[int, dict[Sector, int]]:
    present = presence()
    who = aliased(Member)
    rows = db.session.execute(
        select(present.c.fair_id, who.sector, func.count())
        .join(who, who.id == present.c.member_id).where(of_year(present.c.fair_id, year))
        .group_by(present.c.fair_id, who.sector))
    found: dict[int, dict[Sector, int]] = defaultdict(dict)
    for fair_id, sector, n in rows:
        found[fair_id][Sector(sector)] = int(n)
    return found


def first_fairs() -> Any:
    """(fair_id, member_id) of every member at its first fair (by start, else creation)."""
    present = presence()
    rank = func.row_number().over(partition_by=present.c.member_id,
                                  order_by=(_fair_order(), Fair.id)).label("rank")
    ranked = (select(present.c.fair_id, present.c.member_id, rank).join(Fair, Fair.id == present.c.fair_id)
              .subquery("ranked"))
    return select(ranked.c.fair_id, ranked.c.member_id).where(ranked.c.rank == 1).subquery("firsts")


def _newcomers(year: int | None) -> dict[int, int]:
    firsts = first_fairs()
    rows = db.session.execute(select(firsts.c.fair_id, func.count()).where(of_year(firsts.c.fair_id, year))
                              .group_by(firsts.c.fair_id))
    return {fair_id: int(n) for fair_id, n in rows}


def _members_present(year: int | None) -> int:
    present = presence()
    return int(db.session.scalar(select(func.count(func.distinct(present.c.member_id)))
                                 .where(of_year(present.c.fair_id, year))) or 0)


def _agreements_per_fair(year: int | None) -> dict[int, tuple[int, int, int, int, int]]:
    """Per fair: counted agreements, their obligations, those confirmed, and the social value
    pledged and realised (grosze)."""
    confirmed = Obligation.state == ObligationState.CONFIRMED
    value = func.coalesce(Obligation.social_value, 0)
    rows = db.session.execute(
        select(Agreement.fair_id, func.count(func.distinct(Agreement.id)), func.count(Obligation.id),
               func.count(case((confirmed, 1))), func.sum(value), func.sum(case((confirmed, value), else_=0)))
        .outerjoin(Obligation, Obligation.agreement_id == Agreement.id)
        .where(Agreement.state.in_(COUNTED), of_year(Agreement.fair_id, year)).group_by(Agreement.fair_id))
    return {fair_id: (int(a), int(o), int(c), int(p or 0), int(r or 0)) for fair_id, a, o, c, p, r in rows}


def _members_with_names() -> dict[int, MemberRef]:
    """Every member not merged into another, by id (one statement)."""
    rows = db.session.execute(select(Member.id, Member.name, Member.sector)
                              .where(Member.merged_into_id.is_(None)))
    return {i: MemberRef(i, name, Sector(sector)) for i, name, sector in rows}


def _party_members(scope: ColumnElement[bool]) -> Select[Any]:
    """(agreement_id, fair_id, member_id, party_id) of each party of a counted agreement in
    `scope` (a condition on Agreement: of the year's fairs, signed in a period, ...)."""
    return (select(AgreementParty.agreement_id.label("agreement_id"), Agreement.fair_id.label("fair_id"),
                   _member().label("member_id"), AgreementParty.id.label("party_id"))
            .join(Agreement, Agreement.id == AgreementParty.agreement_id)
            .join(Organisation, Organisation.id == AgreementParty.organisation_id)
            .join(Member, Member.id == Organisation.member_id)
            .where(Agreement.state.in_(COUNTED), scope))


def _pairs(scope: ColumnElement[bool], at_fair: int | None = None) -> list[tuple[int, int, int, int]]:
    """(lower member, higher member, agreements, fairs) for each pair of members that are
    parties of the same counted agreement in `scope`; with `at_fair`, only the pairs with such an
    agreement at that fair (their agreements and fairs still counted over the whole scope)."""
    parties = _party_members(scope).subquery("parties")
    p1, p2 = aliased(parties), aliased(parties)
    low = case((p1.c.member_id < p2.c.member_id, p1.c.member_id), else_=p2.c.member_id)
    high = case((p1.c.member_id < p2.c.member_id, p2.c.member_id), else_=p1.c.member_id)
    query = (select(low, high, func.count(func.distinct(p1.c.agreement_id)),
                    func.count(func.distinct(p1.c.fair_id)))
             .join(p2, and_(p2.c.agreement_id == p1.c.agreement_id, p2.c.party_id > p1.c.party_id))
             .where(p1.c.member_id != p2.c.member_id).group_by(low, high))
    if at_fair is not None:
        query = query.having(func.max(case((p1.c.fair_id == at_fair, 1), else_=0)) == 1)
    return [(int(a), int(b), int(n), int(f)) for a, b, n, f in db.session.execute(query)]


def _named(members: dict[int, MemberRef], member_id: int) -> MemberRef:
    """A member by id; one merged twice over is named by its number."""
    return members.get(member_id) or MemberRef(member_id, f"#{member_id}", Sector.NGO)


def member_pairs(scope: ColumnElement[bool], at_fair: int | None = None,
                 members: dict[int, MemberRef] | None = None) -> list[Pair]:
    """Every pair of members with a counted agreement together in `scope` (see `_pairs`), those
    at the most fairs, then with the most agreements, first: two statements (one with `members`)."""
    names = members if members is not None else _members_with_names()
    return sorted((Pair(_named(names, a), _named(names, b), n, f) for a, b, n, f in _pairs(scope, at_fair)),
                  key=lambda p: (-p.fairs, -p.agreements, p.a.name, p.b.name))


def _activity(year: int | None) -> dict[int, tuple[int, int]]:
    """Per member: counted agreements it is a party of, and at how many fairs."""
    parties = _party_members(of_year(Agreement.fair_id, year)).subquery("parties")
    rows = db.session.execute(
        select(parties.c.member_id, func.count(func.distinct(parties.c.agreement_id)),
               func.count(func.distinct(parties.c.fair_id))).group_by(parties.c.member_id))
    return {m: (int(n), int(f)) for m, n, f in rows}


def _points_confirmed(year: int | None) -> dict[int, int]:
    """Per member: points of the confirmed obligations of counted agreements it gave or received."""
    rows = db.session.execute(
        select(_member(), func.sum(Obligation.points))
        .join(Agreement, Agreement.id == Obligation.agreement_id)
        .join(AgreementParty, or_(AgreementParty.id == Obligation.giver_party_id,
                                  AgreementParty.id == Obligation.receiver_party_id))
        .join(Organisation, Organisation.id == AgreementParty.organisation_id)
        .join(Member, Member.id == Organisation.member_id)
        .where(Agreement.state.in_(COUNTED), Obligation.state == ObligationState.CONFIRMED,
               of_year(Agreement.fair_id, year))
        .group_by(_member()))
    return {m: int(points or 0) for m, points in rows}


def sector_matrix_in(scope: ColumnElement[bool]) -> dict[Sector, dict[Sector, int]]:
    """matrix[a][b]: the counted agreements in `scope` (a condition on Agreement) with a party of
    sector a and a party of sector b, each agreement once per pair of sectors (symmetric)."""
    matrix = {a: {b: 0 for b in Sector} for a in Sector}
    p1, p2 = aliased(AgreementParty), aliased(AgreementParty)
    o1, o2 = aliased(Organisation), aliased(Organisation)
    first = o1.sector <= o2.sector
    low, high = case((first, o1.sector), else_=o2.sector), case((first, o2.sector), else_=o1.sector)
    rows = db.session.execute(
        select(low, high, func.count(func.distinct(p1.agreement_id)))
        .join(p2, (p2.agreement_id == p1.agreement_id) & (p2.id > p1.id))
        .join(o1, o1.id == p1.organisation_id).join(o2, o2.id == p2.organisation_id)
        .join(Agreement, Agreement.id == p1.agreement_id)
        .where(Agreement.state.in_(COUNTED), scope).group_by(low, high))
    for lower, higher, n in rows:
        a, b = Sector(lower), Sector(higher)
        matrix[a][b] += int(n)
        if a != b:
            matrix[b][a] += int(n)
    return matrix


def points_in_circulation() -> int:
    return int(db.session.scalar(
        select(func.coalesce(func.sum(Account.balance), 0))
        .where(Account.kind.in_((AccountKind.MEMBER, AccountKind.INDIVIDUAL)), Account.closed_at.is_(None),
               Account.balance > 0)) or 0)


def entries_per_month(year: int | None = None) -> list[Month]:
    """Entries and the points they moved, by calendar month in Warsaw (those of one year, or
    all). PostgreSQL converts to Warsaw time itself; SQLite (UTC text) counts by UTC hour, and the
    hours are folded into Warsaw months here (Warsaw is a whole number of hours from UTC)."""
    moved = func.coalesce(func.sum(case((Posting.points > 0, Posting.points), else_=0)), 0)
    postgres = db.engine.dialect.name == "postgresql"
    bucket = (func.to_char(func.timezone(LOCAL_ZONE.key, Entry.created_at), "YYYY-MM") if postgres
              else func.strftime("%Y-%m-%d %H", Entry.created_at)).label("bucket")
    rows = db.session.execute(
        select(bucket, func.count(func.distinct(Entry.id)), moved)
        .outerjoin(Posting, Posting.entry_id == Entry.id)
        .where(true() if year is None else local_year(Entry.created_at) == year)
        .group_by(bucket).order_by(bucket))
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, n, points in rows:
        month = key if postgres else (datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)
                                      .astimezone(LOCAL_ZONE).strftime("%Y-%m"))
        months[month][0] += int(n)
        months[month][1] += int(points or 0)
    return [Month(m, n, p) for m, (n, p) in sorted(months.items())]


# --- all together --------------------------------------------------------------------------------


def network_results(year: int | None = None) -> NetworkResults:
    """Every figure of the network's results (of all years, or narrowed to one), in a fixed number
    of statements."""
    by_sector, newcomers, agreements = _present_by_sector(year), _newcomers(year), _agreements_per_fair(year)
    fairs = [FairRow(f.id, f.name, f.slug, f.starts_at or f.created_at,
                     sum(by_sector.get(f.id, {}).values()), by_sector.get(f.id, {}), newcomers.get(f.id, 0),
                     *agreements.get(f.id, (0, 0, 0, 0, 0)))
             for f in _fairs(year)]
    members = _members_with_names()
    in_year = of_year(Agreement.fair_id, year)
    pairs = member_pairs(in_year, members=members)
    points = _points_confirmed(year)
    active = sorted((ActiveMember(_named(members, m), n, f, points.get(m, 0))
                     for m, (n, f) in _activity(year).items()),
                    key=lambda a: (-a.agreements, -a.points_confirmed, a.member.name))[:TOP_ACTIVE]
    return NetworkResults(fairs=fairs, members=_members_present(year), pairs=pairs, most_active=active,
                          matrix=sector_matrix_in(in_year), in_circulation=points_in_circulation(),
                          per_month=entries_per_month(year), year=year, partnerships=partnership_counts(),
                          partnership_years=counts_per_year(datetime.now(UTC).astimezone(LOCAL_ZONE).year),
                          values=value_totals(None, *year_bounds(year)) if year is not None else value_totals())


# --- the per-fair table as a file ----------------------------------------------------------------


def fairs_sheet(results: NetworkResults) -> Sheet:
    """The per-fair table, for a spreadsheet: one row per fair, a column per sector."""
    headers = [str(_l("Fair")), str(_l("Date")), str(_l("Members")), str(_l("Newcomers")), str(_l("Returning")),
               *(str(s.label) for s in Sector), str(_l("Agreements")), str(_l("Obligations")),
               str(_l("Confirmed obligations")), str(_l("Fulfilment rate")),
               str(_l("Social value pledged (zł)")), str(_l("Social value realised (zł)"))]
    rows: list[list[Cell]] = [
        [f.name, f.when, f.members, f.newcomers, f.returning, *(f.by_sector.get(s, 0) for s in Sector),
         f.agreements, f.obligations, f.confirmed,
         round(f.fulfilment_rate, 4) if f.fulfilment_rate is not None else None,
         round_zloty(f.value_pledged), round_zloty(f.value_realised)]
        for f in results.fairs]
    return Sheet(str(_l("Fairs")), headers, rows)
