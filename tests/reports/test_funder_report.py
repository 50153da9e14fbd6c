"""The funder's report's figures (app/reports/funder_report.py) against a scripted fair and network
with known totals (tests/reports/funder_fair.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.errors import ValidationError
from app.network.sectors import Sector
from app.reports.funder_report import (
    FulfilmentStep,
    Scope,
    Step,
    asked_year,
    fair_report,
    monthly,
    network_report,
    network_years,
    sections,
    year_bounds,
)
from app.valuation.kinds import DEFAULT_RATES, RateKey
from tests.reports import funder_fair as world
from tests.reports.funder_fair import LATE, NOT_QUOTED, NOW, PLEDGED, QUOTED, REALISED, FunderFair, FunderNetwork

make_signed_agreement, funder_fair, funder_network = (world.make_signed_agreement, world.funder_fair,  # fixtures
                                                       world.funder_network)

PAIR = {"Fundacja Źdźbło", "Spółdzielnia Łąka"}


def test_participants_agreements_and_points_of_the_fair(funder_fair: FunderFair) -> None:
    report = fair_report(funder_fair.fair, NOW)
    assert report.scope is Scope.FAIR and report.name == "Giełda Zasobów Tczew" and report.closed
    people = {s.sector: (s.people, s.organisations) for s in report.sectors}
    assert people == {Sector.NGO: (2, 2), Sector.PUBLIC: (2, 2), Sector.BUSINESS: (1, 1),
                      Sector.SOCIAL_COOPERATIVE: (1, 1), Sector.INFORMAL_GROUP: (0, 0), Sector.RESIDENT: (0, 0)}
    assert (report.participants, report.organisations) == (6, 6)
    assert (report.agreements, report.agreements_fulfilled) == (4, 1)  # the annulled one left out
    assert (report.obligations, report.obligations_confirmed, report.fulfilment_rate) == (6, 3, 0.5)
    assert (report.points_pledged, report.points_confirmed) == (215, 60)


def test_fulfilment_week_by_week(funder_fair: FunderFair) -> None:
    report = fair_report(funder_fair.fair, NOW)
    assert report.step is Step.WEEK and report.fair_day == date(2026, 3, 14)
    assert [(s.index, s.ends_on, s.confirmed) for s in report.fulfilment] == [
        (0, date(2026, 3, 20), 1), (1, date(2026, 3, 27), 2), (2, date(2026, 4, 3), 3), (3, date(2026, 4, 10), 3)]
    assert [s.rate for s in report.fulfilment] == [1 / 6, 2 / 6, 3 / 6, 3 / 6]


def test_social_value_by_category_and_sector_and_the_rates(funder_fair: FunderFair) -> None:
    report = fair_report(funder_fair.fair, NOW)
    value = report.value
    assert (value.pledged, value.realised, value.obligations, value.unvalued) == (PLEDGED, REALISED, 6, 1)
    assert {k: (v.pledged, v.realised) for k, v in value.by_category.items()} == {
        "Sale i pomieszczenia": (15000, 15000), "Wolontariusze i czas": (28610, 0), "Catering": (60000, 40000),
        "Szkolenia": (30000, 0), "Bez kategorii": (0, 0)}
    assert {k: (v.pledged, v.realised) for k, v in value.by_giver_sector.items() if v.pledged} == {
        "ngo": (55000, 55000), "social_cooperative": (30000, 0), "public": (28610, 0), "business": (20000, 0)}
    assert report.rates[RateKey.WORK_BASIC_HOUR] == 2861 and report.rates == DEFAULT_RATES


def test_sectors_partnerships_and_repeat_partners(funder_fair: FunderFair) -> None:
    report = fair_report(funder_fair.fair, NOW)
    m = report.matrix
    assert m[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == m[Sector.SOCIAL_COOPERATIVE][Sector.NGO] == 2
    assert m[Sector.NGO][Sector.PUBLIC] == 1 and m[Sector.BUSINESS][Sector.PUBLIC] == 1
    assert sum(map(sum, report.matrix_rows())) == 2 * 4 and report.cross_sector_agreements == 4
    # The partnership of three of the fair's members counts; the one of two outsiders does not.
    pc = report.partnerships
    assert (pc.year, pc.total, pc.by_size, pc.by_sector_count) == (2026, 1, {"2-3": 1, "4+": 0},
                                                                   {"1": 0, "2": 0, "3+": 1})
    assert pc.combinations == {"ngo+public+social_cooperative": 1}
    assert [({p.a.name, p.b.name}, p.agreements, p.fairs) for p in report.repeat_partners] == [(PAIR, 2, 1)]


def test_ratings_and_the_testimonials_that_may_be_quoted(funder_fair: FunderFair) -> None:
    report = fair_report(funder_fair.fair, NOW)
    assert (report.ratings.count, report.ratings.average) == (3, 4.0)
    assert report.ratings.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    # The words of the receiver who agreed to be quoted, and no others.
    assert [(t.testimonial, t.receiver, t.giver, t.description, t.rating, t.confirmed_on)
            for t in report.testimonials] == [
        (QUOTED, "Spółdzielnia Łąka", "Fundacja Źdźbło", "Sala", 5, date(2026, 3, 15))]
    assert NOT_QUOTED not in repr(report)


def test_the_fair_counts_its_repeat_partners_across_the_network(funder_network: FunderNetwork) -> None:
    report = fair_report(funder_network.first.fair, NOW)
    assert [({p.a.name, p.b.name}, p.agreements, p.fairs) for p in report.repeat_partners] == [(PAIR, 3, 2)]
    assert report.agreements == 4 and report.value.pledged == PLEDGED  # the other fair's agreement is not its own


def test_the_network_of_one_year_counts_the_agreements_signed_in_it(funder_network: FunderNetwork) -> None:
    assert network_years() == [2025, 2026]
    y2025 = network_report(2025, NOW)
    assert y2025.scope is Scope.NETWORK and y2025.period == "2025" and y2025.fairs == 1
    assert (y2025.participants, y2025.organisations) == (4, 4)  # Pelplin's organiser, notary, Źdźbło, Łąka
    assert (y2025.agreements, y2025.obligations, y2025.obligations_confirmed, y2025.points_pledged) == (1, 1, 1, 8)
    assert (y2025.value.pledged, y2025.value.realised) == (5 * 5607, 5 * 5607)
    assert y2025.repeat_partners == ()  # one agreement together in 2025
    assert y2025.partnerships.total == 0 and y2025.cross_sector_agreements == 1
    assert (y2025.ratings.count, y2025.ratings.average) == (1, 2.0)
    assert [t.testimonial for t in y2025.testimonials] == [LATE]
    assert y2025.step is Step.MONTH  # from the month of the first agreement to that of NOW
    assert y2025.fulfilment[:2] == (FulfilmentStep(0, date(2025, 6, 30), 0, 1),
                                    FulfilmentStep(1, date(2025, 7, 31), 1, 1))
    assert y2025.fulfilment[-1] == FulfilmentStep(10, date(2026, 4, 30), 1, 1)

    y2026 = network_report(2026, NOW)
    assert (y2026.agreements, y2026.obligations, y2026.points_pledged, y2026.value.pledged) == (4, 6, 215, PLEDGED)
    assert (y2026.participants, y2026.organisations, y2026.fairs) == (6, 6, 1)
    assert [({p.a.name, p.b.name}, p.agreements, p.fairs) for p in y2026.repeat_partners] == [(PAIR, 2, 1)]
    assert y2026.partnerships.total == 2  # both in force in 2026, wherever their members came
    assert y2026.ratings.count == 3 and [t.testimonial for t in y2026.testimonials] == [QUOTED]
    assert [(s.ends_on.month, s.confirmed, s.obligations) for s in y2026.fulfilment] == [(3, 2, 6), (4, 3, 6)]


def test_the_network_of_all_years(funder_network: FunderNetwork) -> None:
    report = network_report(None, NOW)
    assert report.year is None and report.period == "2025–2026" and report.fairs == 2
    # People and members once however many fairs: Łucja and Czesław came to both.
    assert (report.participants, report.organisations) == (8, 8)
    assert (report.agreements, report.obligations, report.obligations_confirmed) == (5, 7, 4)
    assert (report.value.pledged, report.value.realised) == (PLEDGED + 28035, REALISED + 28035)
    assert [({p.a.name, p.b.name}, p.agreements, p.fairs) for p in report.repeat_partners] == [(PAIR, 3, 2)]
    # Each month, the obligations of the agreements signed by then: one until Tczew's seven.
    steps = {(s.ends_on.year, s.ends_on.month): (s.confirmed, s.obligations) for s in report.fulfilment}
    assert (len(steps), steps[(2025, 6)], steps[(2026, 2)], steps[(2026, 3)], steps[(2026, 4)]) == (
        11, (0, 1), (1, 1), (3, 7), (4, 7))
    assert report.rates == DEFAULT_RATES
    assert (report.ratings.count, report.ratings.average) == (4, 3.5)
    assert [t.testimonial for t in report.testimonials] == [LATE, QUOTED]  # in the order confirmed


def test_asked_year(funder_network: FunderNetwork) -> None:
    assert asked_year("") is None and asked_year(None) is None and asked_year(" 2025 ") == 2025
    for bad in ("20x6", "99999", "-2025", "٢٠٢٥", "2026.0"):
        with pytest.raises(ValidationError) as refused:
            asked_year(bad)
        assert (refused.value.code, refused.value.status) == ("year_invalid", 400), bad
    with pytest.raises(ValidationError) as refused:
        asked_year("2019")
    assert (refused.value.code, refused.value.status) == ("year_unknown", 422)
    assert "2025, 2026" in str(refused.value.message)


def test_a_year_is_warsaws() -> None:
    start, end = year_bounds(2026)
    assert start == datetime(2025, 12, 31, 23, 0, tzinfo=UTC) and end == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_monthly_shares_are_cumulative_in_warsaw() -> None:
    just_after_midnight = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 1 February in Warsaw
    january = datetime(2026, 1, 15, tzinfo=UTC)
    moments = [(january, just_after_midnight), (january, datetime(2026, 3, 2, tzinfo=UTC)), (january, None),
               (just_after_midnight, None)]
    steps = monthly(moments, datetime(2026, 3, 20, tzinfo=UTC))
    assert [(s.index, s.ends_on, s.confirmed, s.obligations, s.rate) for s in steps] == [
        (0, date(2026, 1, 31), 0, 3, 0.0), (1, date(2026, 2, 28), 1, 4, 0.25), (2, date(2026, 3, 31), 2, 4, 0.5)]
    assert monthly([], datetime(2026, 3, 20, tzinfo=UTC)) == ()


def test_every_section_says_what_it_counts(app, funder_fair: FunderFair) -> None:
    with app.test_request_context():
        fair = sections(fair_report(funder_fair.fair, NOW))
        year = sections(network_report(2026, NOW))
    assert [s.key for s in fair] == ["people", "agreements", "fulfilment", "value", "sectors", "partnerships",
                                     "repeat", "feedback"]
    assert all(s.title and s.note.endswith(".") for s in fair + year)
    assert "2026" in year[1].note and "w roku 2026" in year[5].note and "tej giełdzie" in fair[5].note
    assert "potwierdzonych w roku 2026" in year[7].note and "umów tej giełdy" in fair[7].note
