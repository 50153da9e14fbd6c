"""The network's results over the years: per calendar year in Warsaw, the fairs held, the members
present (by sector), the newcomers, the agreements and their fulfilment, the ledger's entries and
the points they moved. What each figure counts is written in `app.reports.network_results`; each
comes from one statement, whatever the number of fairs, members or years."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from app.agreements.models import Agreement, Obligation, ObligationState
from app.agreements.stats import COUNTED
from app.core.extensions import db
from app.fairs.models import Fair, FairKind
from app.ledger.models import Entry, Posting
from app.network.models import Member
from app.network.sectors import Sector
from app.reports.local_years import fair_year, local_year
from app.reports.network_results import first_fairs, presence


@dataclass(frozen=True)
class YearRow:
    year: int
    fairs: int = 0
    by_sector: dict[Sector, int] = field(default_factory=dict)  # members present, by their sector
    newcomers: int = 0
    agreements: int = 0
    obligations: int = 0
    confirmed: int = 0
    entries: int = 0
    points: int = 0  # moved by the year's entries

    @property
    def members(self) -> int:
        return sum(self.by_sector.values())

    @property
    def fulfilment_rate(self) -> float | None:
        return self.confirmed / self.obligations if self.obligations else None


def _fairs_per_year() -> dict[int, int]:
    year = fair_year().label("year")
    return {int(y): int(n) for y, n in db.session.execute(
        select(year, func.count(Fair.id)).where(Fair.kind == FairKind.FAIR).group_by(year))}


def _members_per_year() -> dict[int, dict[Sector, int]]:
    present = presence()
    year = fair_year().label("year")
    rows = db.session.execute(
        select(year, Member.sector, func.count(func.distinct(present.c.member_id)))
        .select_from(present).join(Fair, Fair.id == present.c.fair_id)
        .join(Member, Member.id == present.c.member_id).group_by(year, Member.sector))
    found: dict[int, dict[Sector, int]] = defaultdict(dict)
    for y, sector, n in rows:
        found[int(y)][Sector(sector)] = int(n)
    return found


def _newcomers_per_year() -> dict[int, int]:
    firsts = first_fairs()
    year = fair_year().label("year")
    rows = db.session.execute(select(year, func.count()).select_from(firsts)
                              .join(Fair, Fair.id == firsts.c.fair_id).group_by(year))
    return {int(y): int(n) for y, n in rows}


def _agreements_per_year() -> dict[int, tuple[int, int, int]]:
    """Per year: counted agreements made at its fairs, their obligations, those confirmed."""
    confirmed = Obligation.state == ObligationState.CONFIRMED
    year = fair_year().label("year")
    rows = db.session.execute(
        select(year, func.count(func.distinct(Agreement.id)), func.count(Obligation.id),
               func.count(case((confirmed, 1))))
        .select_from(Agreement).join(Fair, Fair.id == Agreement.fair_id)
        .outerjoin(Obligation, Obligation.agreement_id == Agreement.id)
        .where(Agreement.state.in_(COUNTED)).group_by(year))
    return {int(y): (int(a), int(o), int(c)) for y, a, o, c in rows}


def _entries_per_year() -> dict[int, tuple[int, int]]:
    """Per year (in Warsaw): the ledger entries made, and the points they moved."""
    moved = func.coalesce(func.sum(case((Posting.points > 0, Posting.points), else_=0)), 0)
    year = local_year(Entry.created_at).label("year")
    rows = db.session.execute(select(year, func.count(func.distinct(Entry.id)), moved)
                              .outerjoin(Posting, Posting.entry_id == Entry.id).group_by(year))
    return {int(y): (int(n), int(points or 0)) for y, n, points in rows}


def network_years() -> list[YearRow]:
    """Every year with a fair or a ledger entry, the earliest first: five statements."""
    fairs, members, newcomers = _fairs_per_year(), _members_per_year(), _newcomers_per_year()
    agreements, entries = _agreements_per_year(), _entries_per_year()
    years = sorted(set(fairs) | set(entries))
    return [YearRow(y, fairs.get(y, 0), members.get(y, {}), newcomers.get(y, 0), *agreements.get(y, (0, 0, 0)),
                    *entries.get(y, (0, 0))) for y in years]
