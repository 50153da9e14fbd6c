"""The network's results over the years (app/reports/network_years.py) and narrowed to one year
(`network_results(year=...)`), on the scripted network spread over 2025 and 2026
(tests/reports/network_fair.py: `years_network`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.network.sectors import Sector
from app.reports.local_years import parse_year, year_of
from app.reports.network_results import network_results
from app.reports.network_years import network_years
from tests.reports import network_fair
from tests.reports.network_fair import Network

make_signed_agreement, network = network_fair.make_signed_agreement, network_fair.network  # fixtures
years_network = network_fair.years_network


def test_figures_per_calendar_year_in_warsaw(years_network: Network) -> None:
    first, second = network_years()
    # Pelplin starts at 23:30 UTC on 31 December 2025: 2026 in Warsaw.
    assert (first.year, first.fairs, second.year, second.fairs) == (2025, 1, 2026, 2)
    assert first.by_sector == {Sector.PUBLIC: 1, Sector.NGO: 2, Sector.BUSINESS: 1, Sector.SOCIAL_COOPERATIVE: 1}
    assert (first.members, first.newcomers) == (5, 5)
    assert (first.agreements, first.obligations, first.confirmed, first.fulfilment_rate) == (2, 3, 1, 1 / 3)
    # Łąka is at both of 2026's fairs: counted once. Urząd, Kancelaria and Dorota are new.
    assert second.by_sector == {Sector.PUBLIC: 1, Sector.NGO: 1, Sector.BUSINESS: 2, Sector.RESIDENT: 1}
    assert (second.members, second.newcomers) == (5, 3)
    assert (second.agreements, second.obligations, second.confirmed) == (2, 3, 2)
    # Every entry was made in 2026 (Tczew's fulfilment too, on 1 February): 30 + 15 + 5 points.
    assert (first.entries, first.points, second.entries, second.points) == (0, 0, 3, 50)


def test_a_year_with_entries_and_no_fair_is_listed(network: Network) -> None:
    # Without a start, a fair's year is that of its creation (today); the entries are of 2026.
    rows = {row.year: row for row in network_years()}
    today = year_of(datetime.now(UTC))
    assert rows[today].fairs == 2
    assert (rows[2026].entries, rows[2026].points) == (3, 50)
    assert sum(row.fairs for row in rows.values()) == 2


def test_narrowed_to_one_year(years_network: Network) -> None:
    results = network_results(year=2026)
    assert results.year == 2026
    assert [(f.slug, f.members, f.newcomers) for f in results.fairs] == [("pelplin", 5, 3), ("gniew", 1, 0)]
    assert results.members == 5 and results.agreements == 2
    assert results.repeat_partners == []  # Łąka and Żak closed one agreement together in 2026
    assert [(m.member.name, m.agreements, m.points_confirmed) for m in results.most_active] == [
        ("Piekarnia Żak", 2, 20), ("Fundacja Łąka", 1, 20), ("Dorota Nowak-d", 1, 0)]
    assert results.matrix[Sector.NGO][Sector.BUSINESS] == 1 and results.matrix[Sector.BUSINESS][Sector.RESIDENT] == 1
    assert results.matrix[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == 0
    assert [m.month for m in results.per_month] == ["2026-02", "2026-03"]
    assert results.in_circulation == 20  # today's, whatever the year

    earlier = network_results(year=2025)
    assert [f.slug for f in earlier.fairs] == ["tczew"] and earlier.agreements == 2
    assert earlier.per_month == [] and earlier.matrix[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == 1
    nothing = network_results(year=2019)
    assert (nothing.fairs, nothing.pairs, nothing.members, nothing.per_month) == ([], [], 0, [])


def test_all_years_are_the_sum_of_the_years(years_network: Network) -> None:
    rows, everything = network_years(), network_results()
    assert sum(r.fairs for r in rows) == len(everything.fairs) == 3
    assert sum(r.agreements for r in rows) == everything.agreements
    assert sum(r.newcomers for r in rows) == everything.members == 8
    assert sum(r.entries for r in rows) == sum(m.entries for m in everything.per_month)


def test_an_empty_network_has_no_years(app: object) -> None:
    assert network_years() == []


@pytest.mark.parametrize(("given", "year"), [
    ("2026", 2026), (" 2025 ", 2025), ("", None), ("abc", None), ("20260", None), ("-202", None), ("1066", None),
    ("٢٠٢٦", None), ("2026\x00", None), (None, None), (["2026"], None), ("9999", None)])
def test_a_year_from_a_query_string(given: object, year: int | None) -> None:
    assert parse_year(given) == year
