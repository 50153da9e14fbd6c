"""Recognising returning members and people (app/network/recognition.py)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func, select

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.network.models import Member, Person, PossibleDuplicate
from app.network.recognition import MemberData, digits, member_for, recognise_member
from app.network.sectors import Branch, Sector
from app.people.models import Organisation, Participant


def members() -> int:
    return db.session.scalar(select(func.count()).select_from(Member)) or 0


def add(**kw: object) -> Member:
    with transaction():
        return member_for(MemberData(**{"name": "Fundacja Nowa Droga", "sector": Sector.NGO, **kw}))  # type: ignore[arg-type]


def test_identifiers_are_compared_as_digits(app: object) -> None:
    assert digits("PL 593-10-05-813") == "5931005813"
    first = add(nip="593-100-58-13")
    again = add(name="Nowa Droga Fundacja (Gdańsk)", nip="5931005813")
    assert again.id == first.id and members() == 1


def test_same_email_is_the_same_member_whatever_the_name(app: object) -> None:
    first = add(email="biuro@nowadroga.org.pl")
    again = add(name="FND", email="Biuro@NowaDroga.org.pl")
    assert again.id == first.id


def test_same_name_in_the_same_place_or_with_no_place(app: object) -> None:
    first = add(city="Tczew")
    assert add(name="fundacja  nowa droga", city="tczew").id == first.id
    assert add(city="").id == first.id


def test_same_name_elsewhere_is_a_new_member_to_confirm(app: object) -> None:
    tczew = add(city="Tczew")
    gdansk = add(city="Gdańsk")
    assert gdansk.id != tczew.id
    pending = db.session.scalars(select(PossibleDuplicate)).one()
    assert (pending.member_id, pending.candidate_id, pending.score) == (gdansk.id, tczew.id, 100)


def test_a_close_name_asks_instead_of_joining(app: object) -> None:
    first = add()
    close = add(name="Fundacja Nowej Drogi")
    assert close.id != first.id
    pending = db.session.scalars(select(PossibleDuplicate)).one()
    assert pending.candidate_id == first.id and 85 <= pending.score < 100 and pending.decision is None


def test_a_different_name_asks_nothing(app: object) -> None:
    add()
    add(name="Koło Gospodyń Wiejskich w Rokitkach")
    assert db.session.scalar(select(func.count()).select_from(PossibleDuplicate)) == 0


def test_a_returning_member_learns_what_it_lacked_and_keeps_what_it_had(app: object) -> None:
    first = add(city="Tczew", phone="58 111 22 33")
    again = add(city="Tczew", phone="600 000 000", website="https://nowadroga.org.pl", branch=Branch.CARE,
                krs="0000123456")
    assert again.id == first.id
    member = db.session.get_one(Member, first.id)
    assert (member.phone, member.website, member.branch, member.krs) == (
        "58 111 22 33", "https://nowadroga.org.pl", Branch.CARE, "0000123456")


def test_merged_members_are_not_recognised(app: object) -> None:
    first = add(email="a@nowadroga.org.pl")
    other = add(name="Zupełnie Inna", email="b@example.org")
    with transaction():
        db.session.get_one(Member, first.id).merged_into_id = other.id
    assert recognise_member(MemberData(name="x", sector=Sector.NGO, email="a@nowadroga.org.pl")) is None


def test_an_organisation_at_two_fairs_is_one_member(make_fair: Callable[..., Fair],
                                                     make_organisation: Callable[..., Organisation]) -> None:
    spring, autumn = make_fair(), make_fair()
    a = make_organisation("Fundacja Żółw", fair_id=spring.id, city="Tczew")
    b = make_organisation("FUNDACJA ŻÓŁW", fair_id=autumn.id, city="Tczew")
    assert a.id != b.id and a.member_id == b.member_id


def test_a_person_at_two_fairs_is_one_person(make_fair: Callable[..., Fair],
                                             make_participant: Callable[..., Participant]) -> None:
    spring, autumn = make_fair(), make_fair()
    a = make_participant("Ola", "Nowak", email="ola@example.org", fair_id=spring.id, organisation="Fundacja A")
    b = make_participant("Aleksandra", "Nowak", email="OLA@example.org", fair_id=autumn.id,
                         organisation="Urząd Miasta", sector=Sector.PUBLIC)
    assert a.person_id == b.person_id
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_same_name_for_the_same_member_is_the_same_person(make_fair: Callable[..., Fair],
                                                          make_participant: Callable[..., Participant]) -> None:
    spring, autumn = make_fair(), make_fair()
    a = make_participant("Jan", "Gęś", email="", fair_id=spring.id, organisation="Fundacja A")
    b = make_participant("Jan", "Gęś", email="jan@example.org", fair_id=autumn.id, organisation="Fundacja A")
    c = make_participant("Jan", "Gęś", email="", fair_id=autumn.id, organisation="Fundacja B")
    assert a.person_id == b.person_id != c.person_id
    assert db.session.get_one(Person, a.person_id).email == "jan@example.org"  # learnt at the second fair


def test_the_kept_names_follow_a_table_emptied_and_filled_again(app: object) -> None:
    """As between two tests on one database: the same ids and count, other names."""
    add(name="Klub Seniora Wrzos")
    with transaction():
        db.session.execute(delete(Member))
    known = add()  # the same id and count as the member gone: only its moment of creation differs
    close = add(name="Fundacja Nowej Drogi")
    pending = db.session.scalars(select(PossibleDuplicate)).one()
    assert (pending.member_id, pending.candidate_id) == (close.id, known.id)
