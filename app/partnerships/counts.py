"""Counting partnerships, as the city funds them: by size (2–3 members, 4 or more) and by the
sectors they join (how many sectors; which ones together; each pair of sectors).

A partnership counts in a year when it was in force during some of it (recorded, not a draft;
started by the year's end and not ended before it began). One query, whatever the year: the
partnerships are few, their members fewer than a fair's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy import Select, select

from app.core.extensions import db
from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.models import Partnership, PartnershipMember, PartnershipState

SMALL, LARGE = "2-3", "4+"  # sizes, as Warsaw's grants for partnerships tell them apart
SECTOR_ORDER = {s: i for i, s in enumerate(Sector)}


@dataclass(frozen=True)
class PartnershipCounts:
    year: int | None  # None: every year
    total: int = 0
    by_size: dict[str, int] = field(default_factory=lambda: {SMALL: 0, LARGE: 0})
    by_sector_count: dict[str, int] = field(default_factory=lambda: {"1": 0, "2": 0, "3+": 0})
    combinations: dict[str, int] = field(default_factory=dict)  # "ngo+public": partnerships joining exactly these
    pairs: dict[tuple[Sector, Sector], int] = field(default_factory=dict)  # each pair once, in Sector's order

    def pair(self, a: Sector, b: Sector) -> int:
        return self.pairs.get(_ordered(a, b), 0)

    def matrix_rows(self) -> list[list[int]]:
        return [[self.pair(a, b) for b in Sector] for a in Sector]


def _ordered(a: Sector, b: Sector) -> tuple[Sector, Sector]:
    return (a, b) if SECTOR_ORDER[a] <= SECTOR_ORDER[b] else (b, a)


def _in_force(year: int | None, involving: Select[Any] | None = None) -> list[tuple[int, Sector]]:
    query = (select(Partnership.id, Member.sector)
             .join(PartnershipMember, PartnershipMember.partnership_id == Partnership.id)
             .join(Member, Member.id == PartnershipMember.member_id)
             .where(Partnership.state != PartnershipState.DRAFT))
    if involving is not None:
        query = query.where(Partnership.id.in_(select(PartnershipMember.partnership_id)
                                               .where(PartnershipMember.member_id.in_(involving))))
    if year is not None:
        query = query.where(Partnership.starts_on <= date(year, 12, 31))
        query = query.where((Partnership.ends_on.is_(None)) | (Partnership.ends_on >= date(year, 1, 1)))
    return [(pid, sector) for pid, sector in db.session.execute(query).tuples()]


def partnership_counts(year: int | None = None, involving: Select[Any] | None = None) -> PartnershipCounts:
    """The partnerships in force in `year` (every one recorded: None), counted; with `involving`
    (a select of member ids, such as a fair's), only those with one of them among their members."""
    sectors: dict[int, list[Sector]] = {}
    for pid, sector in _in_force(year, involving):
        sectors.setdefault(pid, []).append(sector)
    by_size, by_count, joined, pairs = Counter[str](), Counter[str](), Counter[str](), Counter[tuple[Sector, Sector]]()
    for members in sectors.values():
        by_size[SMALL if len(members) <= 3 else LARGE] += 1
        distinct = sorted(set(members), key=SECTOR_ORDER.__getitem__)
        by_count[str(len(distinct)) if len(distinct) < 3 else "3+"] += 1
        joined["+".join(s.value for s in distinct)] += 1
        present = Counter(members)
        for a, b in combinations(distinct, 2):
            pairs[(a, b)] += 1
        for s, n in present.items():
            if n >= 2:
                pairs[(s, s)] += 1
    return PartnershipCounts(
        year=year, total=len(sectors), by_size={SMALL: by_size[SMALL], LARGE: by_size[LARGE]},
        by_sector_count={k: by_count[k] for k in ("1", "2", "3+")},
        combinations=dict(sorted(joined.items(), key=lambda kv: (-kv[1], kv[0]))), pairs=dict(pairs))


def first_year() -> int | None:
    """The year the earliest partnership started in."""
    first = db.session.scalar(select(Partnership.starts_on).where(Partnership.state != PartnershipState.DRAFT)
                              .order_by(Partnership.starts_on).limit(1))
    return first.year if first else None


def counts_per_year(last: int) -> list[PartnershipCounts]:
    """Every year from the first partnership's start to `last` (this year, as a rule)."""
    first = first_year()
    return [] if first is None else [partnership_counts(y) for y in range(min(first, last), last + 1)]
