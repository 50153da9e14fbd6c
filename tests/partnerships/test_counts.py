"""Partnerships counted by size (2–3 members, 4 or more) and by the sectors they join, by year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.counts import LARGE, SMALL, counts_per_year, partnership_counts
from app.partnerships.models import Partnership
from app.partnerships.records import end_partnership
from app.people.models import Participant

MakeMember = Callable[..., Member]
MakePartnership = Callable[..., Partnership]


def test_nothing_to_count(app: object) -> None:
    counts = partnership_counts()
    assert counts.total == 0
    assert counts.by_size == {SMALL: 0, LARGE: 0}
    assert counts_per_year(2026) == []


def test_by_size(make_member: MakeMember, make_partnership: MakePartnership) -> None:
    m = [make_member() for _ in range(5)]
    make_partnership(m[0], m[1])
    make_partnership(m[0], m[1], m[2])
    make_partnership(*m[:4])
    make_partnership(*m)
    assert partnership_counts().by_size == {SMALL: 2, LARGE: 2}


def test_by_sectors_joined(make_member: MakeMember, make_partnership: MakePartnership) -> None:
    ngo, ngo2 = make_member(sector=Sector.NGO), make_member(sector=Sector.NGO)
    town, shop = make_member(sector=Sector.PUBLIC), make_member(sector=Sector.BUSINESS)
    make_partnership(ngo, ngo2)  # one sector
    make_partnership(ngo, town)  # two
    make_partnership(town, ngo2)  # two, the same ones
    make_partnership(ngo, town, shop)  # three
    counts = partnership_counts()
    assert counts.by_sector_count == {"1": 1, "2": 2, "3+": 1}
    assert counts.combinations == {"ngo+public": 2, "ngo": 1, "ngo+public+business": 1}


def test_sector_pairs_count_each_partnership_once_per_pair(make_member: MakeMember,
                                                           make_partnership: MakePartnership) -> None:
    ngo, ngo2 = make_member(sector=Sector.NGO), make_member(sector=Sector.NGO)
    town, shop = make_member(sector=Sector.PUBLIC), make_member(sector=Sector.BUSINESS)
    make_partnership(ngo, ngo2, town)
    make_partnership(shop, town)
    counts = partnership_counts()
    assert counts.pair(Sector.NGO, Sector.PUBLIC) == counts.pair(Sector.PUBLIC, Sector.NGO) == 1
    assert counts.pair(Sector.NGO, Sector.NGO) == 1
    assert counts.pair(Sector.PUBLIC, Sector.BUSINESS) == 1
    assert counts.pair(Sector.NGO, Sector.BUSINESS) == 0
    rows = counts.matrix_rows()
    assert rows[0][1] == rows[1][0] == 1


def test_a_year_counts_the_partnerships_in_force_during_it(organiser: Participant, make_member: MakeMember,
                                                           make_partnership: MakePartnership) -> None:
    a, b = make_member(), make_member()
    make_partnership(a, b, starts_on=date(2024, 6, 1), ends_on=date(2024, 12, 31))
    make_partnership(a, b, starts_on=date(2025, 12, 31))
    ended = make_partnership(a, b, starts_on=date(2024, 1, 1))
    end_partnership(organiser, ended.id, date(2025, 1, 1))
    assert [partnership_counts(y).total for y in (2023, 2024, 2025, 2026)] == [0, 2, 2, 1]
    assert [c.year for c in counts_per_year(2026)] == [2024, 2025, 2026]
    assert partnership_counts().total == 3
