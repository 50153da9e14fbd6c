"""Issuing and reissuing certificates: who may, the scope (a fair, the network), the period, nothing
to certify, numbering, the values and totals of a scripted set of agreements, and a reissue that
supersedes and never edits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement
from app.certificates.content import is_authentic, read_frozen
from app.certificates.issuing import issue_certificate, reissue_certificate
from app.certificates.models import Certificate
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.floor.kinds import Unit
from app.network.models import Member
from app.network.sectors import Sector
from app.people.models import Participant
from app.valuation.kinds import DEFAULT_RATES, RateKey
from tests.certificates.conftest import BUS, GIVEN, RECEIVED, ROOM, TRAINING, VOLUNTEERS, Scripted, this_year


def code_of(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def issue(actor: Participant, member: Member, start: date | None = None, end: date | None = None,
          key: str | None = None) -> Certificate:
    first, last = this_year()
    sent = issue_certificate(actor, actor.fair_id, member.id, start or first, end or last, key)
    return db.session.get_one(Certificate, sent.row_id)


def count() -> int:
    return len(db.session.scalars(db.select(Certificate.id)).all())


def test_the_scripted_lines_values_and_totals(organiser: Participant, scripted: Scripted) -> None:
    certificate = issue(organiser, scripted.member)
    content = read_frozen(certificate.frozen_content)
    given = [(x.agreement, x.counterpart, x.description, x.social_value, x.state) for x in content.given]
    received = [(x.agreement, x.counterpart, x.description, x.social_value, x.state) for x in content.received]
    first, second, third = scripted.first.number, scripted.second.number, scripted.third.number
    assert given == [(first, "Spółdzielnia Socjalna Łąka", "Sala konferencyjna na 30 osób", ROOM, "confirmed"),
                     (second, "Urząd Gminy Tczew", "Wolontariusze do sprzątania parku", VOLUNTEERS, "pledged"),
                     (third, "Spółdzielnia Socjalna Łąka", "Porada prawna przez telefon", None, "pledged")]
    assert received == [(first, "Spółdzielnia Socjalna Łąka", "Szkolenie z pisania wniosków", TRAINING, "pledged"),
                        (second, "Urząd Gminy Tczew", "Użyczenie busa na wycieczkę", BUS, "confirmed")]
    gave, got = content.totals["gave"], content.totals["received"]
    assert (gave.lines, gave.pledged, gave.realised, gave.not_valued) == (3, *GIVEN, 1)
    assert (got.lines, got.pledged, got.realised, got.not_valued) == (2, *RECEIVED, 0)
    assert content.member_name == "Fundacja Ład" and content.scope_fair == "Giełda Zasobów Tczew"
    assert content.issuer.name == organiser.full_name and content.issuer.fair == "Giełda Zasobów Tczew"


def test_each_line_keeps_its_amount_and_method(organiser: Participant, scripted: Scripted) -> None:
    content = read_frozen(issue(organiser, scripted.member).frozen_content)
    room, volunteers, _advice = content.given
    assert (room.quantity, room.unit, room.value_units, room.value_rate, room.value_rate_key) == (
        3, "hours", 3, DEFAULT_RATES[RateKey.ROOM_HOUR], "room_hour")
    assert (volunteers.hours, volunteers.value_basis, volunteers.value_rate) == (
        10, "work_basic", DEFAULT_RATES[RateKey.WORK_BASIC_HOUR])
    bus = content.received[1]
    assert (bus.quantity, bus.unit, bus.value_rate_key) == (2, "days", "vehicle_day")
    assert [(r.basis.value, r.per, r.rate) for r in content.rates_used] == [
        ("work_basic", "hour", DEFAULT_RATES[RateKey.WORK_BASIC_HOUR]),
        ("work_professional", "hour", DEFAULT_RATES[RateKey.WORK_PROFESSIONAL_HOUR]),
        ("room", "hour", DEFAULT_RATES[RateKey.ROOM_HOUR]),
        ("vehicle", "day", DEFAULT_RATES[RateKey.VEHICLE_DAY])]


def test_cancelled_annulled_and_others_agreements_are_left_out(organiser: Participant, scripted: Scripted) -> None:
    content = read_frozen(issue(organiser, scripted.member).frozen_content)
    numbers = {line.agreement for line in content.lines}
    assert numbers == {scripted.first.number, scripted.second.number, scripted.third.number}
    assert scripted.annulled.number not in numbers and scripted.others.number not in numbers


def test_a_certificate_is_numbered_frozen_and_authentic(organiser: Participant, scripted: Scripted) -> None:
    certificate = issue(organiser, scripted.member)
    year = certificate.issued_at.year
    assert certificate.number == f"ZW/{year}/0001"
    assert certificate.fair_id == organiser.fair_id and certificate.issued_by_id == organiser.id
    assert is_authentic(certificate)
    assert json.loads(certificate.frozen_content)["number"] == certificate.number
    assert len(certificate.public_code) == 20 and certificate.superseded_at is None


def test_numbers_run_in_one_series_for_fairs_and_the_network(organiser: Participant, coordinator: Participant,
                                                             scripted: Scripted) -> None:
    numbers = [issue(organiser, scripted.member).seq_no, issue(coordinator, scripted.member).seq_no,
               issue(organiser, scripted.member).seq_no]
    assert numbers == [1, 2, 3]


def test_a_new_year_starts_the_series_again(organiser: Participant, scripted: Scripted) -> None:
    old = issue(organiser, scripted.member)
    with transaction():  # last year's certificate: no service dates one back
        row = db.session.get_one(Certificate, old.id)
        row.year, row.seq_no, row.number = row.year - 1, 41, f"ZW/{row.year - 1}/0041"
    assert issue(organiser, scripted.member).seq_no == 1


def test_the_same_form_sent_twice_issues_once(organiser: Participant, scripted: Scripted) -> None:
    key = uuid.uuid4().hex
    first, second = issue(organiser, scripted.member, key=key), issue(organiser, scripted.member, key=key)
    assert first.id == second.id and count() == 1


def test_a_participant_or_notary_may_not_issue(scripted: Scripted, notary: Participant) -> None:
    assert code_of(lambda: issue(scripted.a, scripted.member)) == "forbidden_role"
    assert code_of(lambda: issue(notary, scripted.member)) == "forbidden_role"
    assert count() == 0


def test_an_organiser_issues_only_at_their_own_fair(organiser: Participant, scripted: Scripted,
                                                   make_fair: Callable[..., Fair]) -> None:
    other = make_fair(slug="gniew", name="Giełda w Gniewie")
    first, last = this_year()
    assert code_of(lambda: issue_certificate(organiser, other.id, scripted.member.id, first, last)) == "not_logged_in"


def test_another_fairs_organiser_cannot_certify_a_member_not_at_their_fair(
        scripted: Scripted, make_fair: Callable[..., Fair], make_participant: Callable[..., Participant]) -> None:
    other = make_fair(slug="gniew", name="Giełda w Gniewie")
    organiser_b = make_participant("Olga", "Obocka", role=Role.ORGANISER, fair_id=other.id, organisation="Gmina Gniew")
    assert code_of(lambda: issue(organiser_b, scripted.member)) == "unknown_member"
    assert count() == 0


def test_nothing_to_certify_is_refused(organiser: Participant, make_participant: Callable[..., Participant],
                                       scripted: Scripted) -> None:
    idle = make_participant("Irena", "Bezczynna", organisation="Koło Gospodyń Bezczynnych")
    member = db.session.get_one(Member, idle.organisation.member_id)
    assert code_of(lambda: issue(organiser, member)) == "nothing_to_certify"
    last_year = date(this_year()[0].year - 1, 1, 1)
    assert code_of(lambda: issue(organiser, scripted.member, last_year, last_year.replace(month=12, day=31))) \
        == "nothing_to_certify"
    assert count() == 0


@pytest.mark.parametrize(("start", "end", "code"), [
    (date(2025, 3, 2), date(2025, 3, 1), "period_reversed"),
    (date(1999, 12, 31), date(2000, 1, 5), "period_too_early"),
    (date(2020, 1, 1), date(2025, 1, 1), "period_too_long"),
    (date(2020, 2, 29), date(2025, 3, 1), "period_too_long"),
])
def test_the_period_is_checked(organiser: Participant, scripted: Scripted, start: date, end: date,
                               code: str) -> None:
    assert code_of(lambda: issue(organiser, scripted.member, start, end)) == code
    assert count() == 0


def test_a_period_ending_after_today_is_refused_and_five_years_are_allowed(organiser: Participant,
                                                                           scripted: Scripted) -> None:
    first, today = this_year()
    assert code_of(lambda: issue(organiser, scripted.member, first, today + timedelta(days=1))) == "period_in_future"
    five_years = issue(organiser, scripted.member, date(today.year - 4, 1, 1), today)
    assert read_frozen(five_years.frozen_content).totals["gave"].lines == 3


def test_the_period_counts_days_in_warsaw(organiser: Participant, scripted: Scripted) -> None:
    """Signed at 23:30 UTC on a day: already the next day in Warsaw."""
    today = this_year()[1]
    day = today - timedelta(days=20)
    with transaction():
        row = db.session.get_one(Agreement, scripted.first.id)
        row.signed_at = datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)
    # The day before (in Warsaw) holds nothing of the member's: every other agreement is today's.
    assert code_of(lambda: issue(organiser, scripted.member, day - timedelta(days=5), day)) == "nothing_to_certify"
    lines = read_frozen(issue(organiser, scripted.member, day + timedelta(days=1), today).frozen_content).lines
    moved = [line.signed_on for line in lines if line.agreement == scripted.first.number]
    assert moved == [day + timedelta(days=1)] * 2


def test_a_merged_member_is_unknown(organiser: Participant, scripted: Scripted) -> None:
    with transaction():
        db.session.get_one(Member, scripted.member.id).merged_into_id = scripted.b.organisation.member_id
    assert code_of(lambda: issue(organiser, scripted.member)) == "unknown_member"


# --- the network's scope ----------------------------------------------------------------------------


@pytest.fixture
def elsewhere(scripted: Scripted, coordinator: Participant, make_fair: Callable[..., Fair],
              make_participant: Callable[..., Participant],
              make_signed_agreement: Callable[..., Agreement]) -> tuple[Agreement, Agreement]:
    """The same member's agreements at another fair (Gniew) and between fairs (the network's space)."""
    gniew = make_fair(slug="gniew", name="Giełda w Gniewie")
    organiser_b = make_participant("Olga", "Obocka", role=Role.ORGANISER, fair_id=gniew.id, organisation="Gmina Gniew")
    open_trading(organiser_b, gniew.id, 90)
    a2 = make_participant("Anna", "Ładna", organisation="Fundacja Ład", fair_id=gniew.id)
    assert a2.organisation.member_id == scripted.member.id
    d = make_participant("Dariusz", "Dom", organisation="Dom Kultury Gniew", sector=Sector.PUBLIC, fair_id=gniew.id)
    at_gniew = make_signed_agreement(a2, d, fair=gniew, notary=organiser_b, obligations=[
        ObligationData(d.organisation_id, a2.organisation_id, "Sala widowiskowa", quantity=1, unit=Unit.DAYS,
                       points=10)])
    space = coordinator.fair
    a3 = make_participant("Anna", "Ładna", organisation="Fundacja Ład", fair_id=space.id)
    e = make_participant("Ewa", "Sieciowa", organisation="Stowarzyszenie Sieć", fair_id=space.id)
    between = make_signed_agreement(a3, e, fair=space, obligations=[
        ObligationData(a3.organisation_id, e.organisation_id, "Pomoc przy festynie", hours=5, points=10)])
    return at_gniew, between


def test_the_coordinator_certifies_the_whole_network(coordinator: Participant, organiser: Participant,
                                                     scripted: Scripted,
                                                     elsewhere: tuple[Agreement, Agreement]) -> None:
    at_gniew, between = elsewhere
    network = read_frozen(issue(coordinator, scripted.member).frozen_content)
    assert network.scope_fair is None and network.issuer.fair is None
    assert {line.agreement for line in network.lines} == {
        scripted.first.number, scripted.second.number, scripted.third.number, at_gniew.number, between.number}
    assert {line.fair for line in network.lines} == {"Giełda Zasobów Tczew", "Giełda w Gniewie", coordinator.fair.name}
    assert network.totals["gave"].lines == 4 and network.totals["received"].lines == 3
    fair_only = read_frozen(issue(organiser, scripted.member).frozen_content)
    assert {line.agreement for line in fair_only.lines} == {
        scripted.first.number, scripted.second.number, scripted.third.number}


# --- reissuing ---------------------------------------------------------------------------------------


def test_a_reissue_supersedes_and_never_edits(organiser: Participant, scripted: Scripted,
                                              trading_fair: Fair) -> None:
    old = issue(organiser, scripted.member)
    frozen, digest = old.frozen_content, old.content_hash
    annul_by_organiser(organiser, organiser.fair_id, scripted.third.id, "Nie doszło do skutku")
    confirm_delivery(scripted.a, trading_fair.id, scripted.first.obligations[1].id)  # the training, delivered
    sent = reissue_certificate(organiser, organiser.fair_id, old.id)
    new, old = db.session.get_one(Certificate, sent.row_id), db.session.get_one(Certificate, old.id)
    assert sent.created and new.id != old.id and new.number != old.number and new.seq_no == old.seq_no + 1
    assert (old.frozen_content, old.content_hash) == (frozen, digest) and is_authentic(old)
    assert old.superseded_at == new.issued_at
    assert (new.replaces_id, new.member_id, new.fair_id) == (old.id, old.member_id, old.fair_id)
    assert (new.period_start, new.period_end) == (old.period_start, old.period_end)
    content, before = read_frozen(new.frozen_content), read_frozen(old.frozen_content)
    assert content.replaces == old.number and before.replaces is None
    assert {line.agreement for line in content.lines} == {scripted.first.number, scripted.second.number}
    assert (content.totals["gave"].lines, content.totals["received"].realised) == (2, TRAINING + BUS)
    assert (before.totals["gave"].lines, before.totals["received"].realised) == (3, BUS)


def test_a_superseded_certificate_cannot_be_reissued(organiser: Participant, scripted: Scripted) -> None:
    old = issue(organiser, scripted.member)
    reissue_certificate(organiser, organiser.fair_id, old.id)
    assert code_of(lambda: reissue_certificate(organiser, organiser.fair_id, old.id)) == "already_superseded"
    assert count() == 2


def test_a_reissue_sent_twice_reissues_once(organiser: Participant, scripted: Scripted) -> None:
    old = issue(organiser, scripted.member)
    key = uuid.uuid4().hex
    first = reissue_certificate(organiser, organiser.fair_id, old.id, key)
    second = reissue_certificate(organiser, organiser.fair_id, old.id, key)
    assert first.created and not second.created and first.row_id == second.row_id and count() == 2


def test_a_reissue_with_nothing_left_changes_nothing(organiser: Participant, scripted: Scripted,
                                                     make_participant: Callable[..., Participant],
                                                     make_signed_agreement: Callable[..., Agreement]) -> None:
    x = make_participant("Xenia", "Jednorazowa", organisation="Klub Jednej Umowy")
    only = make_signed_agreement(x, scripted.b, obligations=[(x, scripted.b, "Pomoc przy festynie", 10)])
    old = issue(organiser, db.session.get_one(Member, x.organisation.member_id))
    annul_by_organiser(organiser, organiser.fair_id, only.id, "Wycofane")
    assert code_of(lambda: reissue_certificate(organiser, organiser.fair_id, old.id)) == "nothing_to_certify"
    db.session.expire_all()
    assert db.session.get_one(Certificate, old.id).superseded_at is None and count() == 1


def test_another_fairs_organiser_cannot_reissue(organiser: Participant, scripted: Scripted,
                                                make_fair: Callable[..., Fair],
                                                make_participant: Callable[..., Participant]) -> None:
    old = issue(organiser, scripted.member)
    other = make_fair(slug="gniew", name="Giełda w Gniewie")
    organiser_b = make_participant("Olga", "Obocka", role=Role.ORGANISER, fair_id=other.id, organisation="Gmina Gniew")
    assert code_of(lambda: reissue_certificate(organiser_b, other.id, old.id)) == "certificate_not_found"
    assert code_of(lambda: reissue_certificate(scripted.a, organiser.fair_id, old.id)) == "forbidden_role"
    assert count() == 1


def test_the_coordinator_reissues_a_fairs_certificate_in_its_scope(organiser: Participant, coordinator: Participant,
                                                                    scripted: Scripted) -> None:
    old = issue(organiser, scripted.member)
    new = db.session.get_one(Certificate, reissue_certificate(coordinator, coordinator.fair_id, old.id).row_id)
    assert new.fair_id == organiser.fair_id and new.issued_by_id == coordinator.id
    assert read_frozen(new.frozen_content).issuer.fair is None
