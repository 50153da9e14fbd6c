"""Results (app/reports/results.py): figures of a scripted fair with known totals, the headline, and
the reveal that switches the big screen to them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from app.agreements.models import Agreement, AgreementState
from app.agreements.stats import sector_matrix as contracts_sector_matrix
from app.core.errors import Conflict, Forbidden
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair, FairState
from app.fairs.trading import close_trading
from app.network.sectors import Sector
from app.people.models import Participant
from app.reports.results import REVEAL_EVENT, Results, fair_results, headline, reveal_results
from app.reports.results_report import result_charts
from tests.reports import results_fair
from tests.reports.results_fair import CLOSED, NOW, OPENED, Scripted

make_signed_agreement, scripted = results_fair.make_signed_agreement, results_fair.scripted  # fixtures


def by_key(results: Results) -> dict[str, Any]:
    return {c.name: c for c in results.categories}


# --- figures -----------------------------------------------------------------------------------

def test_people_organisations_and_check_ins(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    # The eight people above, the organiser (Starostwo, public) and the notary (an NGO).
    assert r.participants == 10
    assert r.organisations == 8
    assert r.checked_in == 6
    assert r.organisations_present == 5
    sectors = {s.sector: (s.participants, s.organisations, s.checked_in) for s in r.sectors}
    assert sectors == {
        Sector.NGO: (4, 3, 2),
        Sector.PUBLIC: (2, 2, 0),
        Sector.BUSINESS: (2, 1, 2),
        Sector.SOCIAL_COOPERATIVE: (1, 1, 1),
        Sector.INFORMAL_GROUP: (0, 0, 0),
        Sector.RESIDENT: (1, 1, 1),
    }
    assert [s.sector for s in r.sectors] == list(Sector)
    # The headline speaks of everyone registered: ten people from eight organisations.
    assert (r.headline_people, r.headline_organisations) == (10, 8)


def test_offers_and_needs_per_category(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert (r.offers, r.needs) == (5, 3)
    posts = {c.name: (c.offers, c.needs) for c in r.categories if c.posts}
    assert posts == {"Sale i pomieszczenia": (2, 1), "Wolontariusze i czas": (0, 1), "Catering": (1, 0),
                     "Promocja": (0, 1), "Zajęcia artystyczne": (1, 0), "Szkolenia": (1, 0)}
    assert len(r.categories) == 12  # every category, zeros included


def test_agreements_value_and_matrix(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.agreements == 5  # annulled, draft and awaiting the notary left out
    assert r.agreements_fulfilled == 1
    assert r.organisations_with_agreements == 6
    assert r.cross_sector_agreements == 4
    assert r.obligations == 9
    assert r.obligations_confirmed == 2
    assert r.uncategorised_obligations == 1
    assert r.points_pledged == 30 + 40 + 20 + 10 + 15 + 0 + 25 + 12 + 8 == 160
    assert r.points_confirmed == 25 + 30
    assert r.fulfilment_rate == pytest.approx(2 / 9)
    m = r.sector_matrix
    assert m[Sector.NGO][Sector.BUSINESS] == m[Sector.BUSINESS][Sector.NGO] == 1
    assert m[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == 1
    assert m[Sector.PUBLIC][Sector.RESIDENT] == 1
    assert m[Sector.NGO][Sector.NGO] == 1
    assert m[Sector.BUSINESS][Sector.SOCIAL_COOPERATIVE] == m[Sector.BUSINESS][Sector.PUBLIC] == 1
    assert m[Sector.SOCIAL_COOPERATIVE][Sector.PUBLIC] == 1
    assert sum(sum(row.values()) for row in m.values()) == 2 * 6 + 1  # six pairs both ways, one diagonal
    # The same picture as the live screen's.
    assert {a.value: {b.value: n for b, n in row.items()} for a, row in m.items()} == \
        contracts_sector_matrix(scripted.fair.id)
    assert r.matrix_rows()[0] == [1, 0, 1, 1, 0, 0]  # NGO with NGO, business, social cooperative


def test_top_categories(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    cats = by_key(r)
    rooms = cats["Sale i pomieszczenia"]
    assert (rooms.agreements, rooms.obligations, rooms.points) == (3, 3, 75)
    assert (cats["Catering"].agreements, cats["Catering"].points) == (2, 52)
    assert (cats["Promocja"].agreements, cats["Promocja"].points) == (2, 18)
    # Found through the post it answers.
    assert (cats["Zajęcia artystyczne"].agreements, cats["Zajęcia artystyczne"].points) == (1, 15)
    assert [c.name for c in r.top_by_agreements] == [
        "Sale i pomieszczenia", "Catering", "Promocja", "Zajęcia artystyczne"]  # ties: listed first
    assert [c.name for c in r.top_by_posts] == [
        "Sale i pomieszczenia", "Wolontariusze i czas", "Catering", "Promocja", "Zajęcia artystyczne"]


def test_agreements_per_ten_minutes(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.bucket_minutes == 10
    assert [(b.minute, b.agreements) for b in r.timeline] == [(0, 1), (10, 2), (20, 0), (30, 1), (40, 0), (50, 0)]
    assert r.timeline[1].start == OPENED + timedelta(minutes=10)
    assert r.signed_after_closing == 1 and r.signed_before_opening == 0
    assert sum(b.agreements for b in r.timeline) + r.signed_after_closing == r.agreements


def test_signings_on_a_bucket_bound_and_outside_the_gongs(scripted: Scripted) -> None:
    """Bucketed in SQL as in the definition: a bucket starts at its bound, the closing gong's own
    moment is after it."""
    with transaction():
        for key, at in (("1", OPENED - timedelta(minutes=1)), ("2", OPENED + timedelta(minutes=10)),
                        ("3", OPENED + timedelta(minutes=20, microseconds=-1)), ("5", CLOSED)):
            db.session.get_one(Agreement, scripted.agreements[key].id).signed_at = at
    r = fair_results(db.session.get_one(Fair, scripted.fair.id), now=NOW)
    assert (r.signed_before_opening, r.signed_after_closing) == (1, 1)
    assert [(b.minute, b.agreements) for b in r.timeline] == [(0, 0), (10, 2), (20, 0), (30, 1), (40, 0), (50, 0)]


def test_timeline_while_trading_runs_to_now(trading_fair: Fair, make_signed_agreement: Callable[..., Agreement]
                                            ) -> None:
    agreement = make_signed_agreement()
    start = trading_fair.trading_started_at
    assert start is not None
    r = fair_results(db.session.get_one(Fair, trading_fair.id), now=start + timedelta(minutes=25))
    assert [b.minute for b in r.timeline] == [0, 10, 20]
    assert r.timeline[0].agreements == 1 and agreement.signed_at is not None
    assert r.fulfilment == ()  # only after the fair


def test_long_windows_use_wider_buckets(trading_fair: Fair) -> None:
    start = trading_fair.trading_started_at
    assert start is not None
    r = fair_results(db.session.get_one(Fair, trading_fair.id), now=start + timedelta(hours=20))
    assert len(r.timeline) <= 48 and r.bucket_minutes % 10 == 0 and r.bucket_minutes > 10


def test_fulfilment_rate_by_local_day(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.fair_day == date(2026, 3, 14)
    # 17:00 UTC on the 14th is day 0; 23:30 UTC on the 16th is 00:30 on the 17th in Warsaw: day 3.
    assert [(d.day, d.confirmed) for d in r.fulfilment] == [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 2)]
    assert r.fulfilment[0].rate == pytest.approx(1 / 9)
    assert r.fulfilment[-1].rate == pytest.approx(2 / 9)
    assert r.fulfilment[-1].date == date(2026, 3, 20)


def test_a_fair_with_nothing_yet(fair: Fair) -> None:
    r = fair_results(fair)
    assert (r.participants, r.organisations, r.agreements, r.points_pledged) == (0, 0, 0, 0)
    assert r.timeline == () and r.fulfilment == () and r.fulfilment_rate is None
    assert r.top_by_agreements == () and r.top_by_posts == ()
    for svg in vars(result_charts(r)).values():
        ET.fromstring(str(svg))


def test_the_number_of_queries_does_not_grow_with_the_fair(scripted: Scripted, make_signed_agreement:
                                                           Callable[..., Agreement]) -> None:
    def queries() -> int:
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        db.session.expire_all()
        fair = db.session.get_one(Fair, scripted.fair.id)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            fair_results(fair, now=NOW)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    before = queries()
    with transaction():
        db.session.get_one(Fair, scripted.fair.id).state = FairState.TRADING
    for _ in range(3):
        make_signed_agreement(fair=scripted.fair)
    with transaction():
        db.session.get_one(Fair, scripted.fair.id).state = FairState.CLOSED
    assert fair_results(db.session.get_one(Fair, scripted.fair.id), now=NOW).agreements == 8
    assert queries() == before <= 10  # 2 of them the social value's (app/agreements/value_totals.py)


# --- sentences ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("people", "organisations", "agreements", "polish", "english"), [
    (157, 78, 101, "157 osób z 78 organizacji zawarło 101 umów.",
     "157 people from 78 organisations closed 101 agreements."),
    (1, 1, 1, "1 osoba z 1 organizacji zawarła 1 umowę.", "1 person from 1 organisation closed 1 agreement."),
    (22, 3, 24, "22 osoby z 3 organizacji zawarły 24 umowy.",
     "22 people from 3 organisations closed 24 agreements."),
    (12, 5, 112, "12 osób z 5 organizacji zawarło 112 umów.",
     "12 people from 5 organisations closed 112 agreements."),
])
def test_headline_in_polish_and_english(app: Any, people: int, organisations: int, agreements: int,
                                        polish: str, english: str) -> None:
    figures = SimpleNamespace(headline_people=people, headline_organisations=organisations, agreements=agreements)
    with app.test_request_context(), force_locale("pl"):
        assert headline(figures) == polish  # type: ignore[arg-type]
    with app.test_request_context(), force_locale("en"):
        assert headline(figures) == english  # type: ignore[arg-type]


def test_revealing_needs_closed_trading_and_an_organiser(trading_fair: Fair, organiser: Participant,
                                                         make_participant: Callable[..., Participant]) -> None:
    with pytest.raises(Conflict) as err:
        reveal_results(organiser, trading_fair.id)
    assert err.value.code == "not_closed"
    close_trading(organiser, trading_fair.id)
    with pytest.raises(Forbidden) as denied:
        reveal_results(make_participant(), trading_fair.id)
    assert denied.value.code == "forbidden_role"
    evt = reveal_results(organiser, trading_fair.id)
    assert evt.type == REVEAL_EVENT and evt.seq == db.session.get_one(Fair, trading_fair.id).event_seq


def test_states_counted(scripted: Scripted) -> None:
    states = {k: a.state for k, a in scripted.agreements.items()}
    assert states["annulled"] == AgreementState.ANNULLED
    assert states["waiting"] == AgreementState.AWAITING_SIGNATURES
    assert states["4"] == AgreementState.FULFILLED
