"""The network's results across fairs (app/reports/network_results.py), on a scripted network of
two fairs (tests/reports/network_fair.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.i18n import LOCAL_ZONE
from app.network.sectors import Sector
from app.reports.network_results import fairs_sheet, network_results
from tests.agreements.value_fair import fair_of_three
from tests.reports import network_fair
from tests.reports.network_fair import Network

make_signed_agreement, network = network_fair.make_signed_agreement, network_fair.network  # fixtures


def test_members_newcomers_agreements_and_fulfilment_per_fair(network: Network) -> None:
    results = network_results()
    assert [f.slug for f in results.fairs] == ["tczew", "pelplin"]
    first, second = results.fairs
    # Tczew: the organiser's Starostwo, the notary's NGO, Łąka, Żak, Pszczółka; all new.
    assert (first.members, first.newcomers, first.returning) == (5, 5, 0)
    assert first.by_sector == {Sector.PUBLIC: 1, Sector.NGO: 2, Sector.BUSINESS: 1, Sector.SOCIAL_COOPERATIVE: 1}
    assert (first.agreements, first.obligations, first.confirmed) == (2, 3, 1)
    assert first.fulfilment_rate == 1 / 3
    # Pelplin: Łąka and Żak return; the Urząd, the Kancelaria and the Pracownia are new.
    assert (second.members, second.newcomers, second.returning) == (5, 3, 2)
    assert second.by_sector == {Sector.PUBLIC: 1, Sector.NGO: 1, Sector.BUSINESS: 2, Sector.RESIDENT: 1}
    assert (second.agreements, second.obligations, second.confirmed) == (2, 3, 2)
    assert second.fulfilment_rate == 2 / 3
    assert results.members == 8
    assert results.agreements == 4


def test_repeat_partners_edges_and_most_active(network: Network) -> None:
    results = network_results()
    edges = {frozenset((p.a.name, p.b.name)): (p.agreements, p.fairs) for p in results.pairs}
    assert edges == {frozenset(("Fundacja Łąka", "Piekarnia Żak")): (2, 2),
                     frozenset(("Fundacja Łąka", "Spółdzielnia Pszczółka")): (1, 1),
                     frozenset(("Piekarnia Żak", "Dorota Nowak-d")): (1, 1)}
    assert [{p.a.name, p.b.name} for p in results.repeat_partners] == [{"Fundacja Łąka", "Piekarnia Żak"}]
    # Łąka: 3 agreements; gave 30 and 5, received 15. Żak: 3 agreements; received 30 and 5, gave 15.
    assert [(m.member.name, m.agreements, m.fairs, m.points_confirmed) for m in results.most_active] == [
        ("Fundacja Łąka", 3, 2, 50), ("Piekarnia Żak", 3, 2, 50),
        ("Dorota Nowak-d", 1, 1, 0), ("Spółdzielnia Pszczółka", 1, 1, 0)]
    members, pairs = results.graph(limit=2)
    assert [(m.name, n) for m, n in members] == [("Fundacja Łąka", 3), ("Piekarnia Żak", 3)]
    assert len(pairs) == 1


def test_sector_matrix_counts_each_agreement_once_per_sector_pair(network: Network) -> None:
    matrix = network_results().matrix
    assert matrix[Sector.NGO][Sector.BUSINESS] == matrix[Sector.BUSINESS][Sector.NGO] == 2
    assert matrix[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == matrix[Sector.SOCIAL_COOPERATIVE][Sector.NGO] == 1
    assert matrix[Sector.BUSINESS][Sector.RESIDENT] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == 2 * 4  # four agreements, none within a sector


def test_points_in_circulation_and_entries_per_month_in_warsaw(network: Network) -> None:
    results = network_results()
    # Łąka: +30 - 15 + 5 = 20; Żak: -20 (a debit is not in circulation).
    assert results.in_circulation == 20
    # 23:30 UTC on 31 January is 00:30 on 1 February in Warsaw.
    assert [(m.month, m.entries, m.points) for m in results.per_month] == [("2026-02", 1, 30), ("2026-03", 2, 20)]


def test_the_per_fair_table_as_a_sheet(network: Network, app: Any) -> None:
    with app.test_request_context():
        sheet = fairs_sheet(network_results())
    assert len(sheet.headers) == len(sheet.rows[0]) == 5 + len(Sector) + 4 + 2
    assert sheet.rows[0][0] == "Giełda Zasobów Tczew"
    assert sheet.rows[1][2:5] == [5, 3, 2]
    assert sheet.rows[1][-3] == round(2 / 3, 4)
    assert sheet.rows[1][-2:] == [0, 0]  # no obligation of this network says enough to be valued


def test_an_empty_network(app: Any) -> None:
    results = network_results()
    assert (results.fairs, results.pairs, results.most_active, results.per_month) == ([], [], [], [])
    assert results.in_circulation == 0


def test_the_social_value_per_fair_and_of_the_period(network: Network, make_signed_agreement: Any,
                                                     make_participant: Any, category: Any, organiser: Any,
                                                     app: Any) -> None:
    # Tczew's scripted deals (tests/agreements/value_fair.py): 1 136,10 zł pledged, 150 zł realised.
    fair_of_three(make_signed_agreement, make_participant, category, organiser, network.first)
    results = network_results()
    tczew, pelplin = results.fairs
    assert (tczew.value_pledged, tczew.value_realised) == (113610, 15000)
    assert (pelplin.value_pledged, pelplin.value_realised) == (0, 0)
    assert (results.values.pledged, results.values.realised) == (113610, 15000)
    assert results.values.by_giver_sector["ngo"].pledged == 55000
    # One year: the agreements signed in it (in Warsaw); these were signed now.
    this_year = datetime.now(LOCAL_ZONE).year
    assert network_results(this_year).values.pledged == 113610
    assert network_results(this_year - 1).values.pledged == 0
    with app.test_request_context():
        sheet = fairs_sheet(results)
    assert sheet.headers[-2:] == ["Zadeklarowana wartość społeczna (zł)", "Zrealizowana wartość społeczna (zł)"]
    assert sheet.rows[0][-2:] == [1136, 150]
