"""Certificate fixtures: the network's coordinator, and `scripted` — a member's signed agreements
at the fair with known social values (the default rates), one obligation each way confirmed, one
not valued, and agreements that must not count (others' deal, a cancelled draft, an annulled one);
the agreements' `make_signed_agreement` makes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.fairs.models import Fair
from app.floor.kinds import Unit
from app.network.models import Member
from app.network.sectors import Sector
from app.people.models import Participant
from app.valuation.kinds import DEFAULT_RATES, RateKey, ValueBasis
from tests.agreements.conftest import make_signed_agreement  # noqa: F401  (a fixture)

ROOM, TRAINING = 3 * DEFAULT_RATES[RateKey.ROOM_HOUR], 4 * DEFAULT_RATES[RateKey.WORK_PROFESSIONAL_HOUR]
VOLUNTEERS, BUS = 10 * DEFAULT_RATES[RateKey.WORK_BASIC_HOUR], 2 * DEFAULT_RATES[RateKey.VEHICLE_DAY]


def this_year() -> tuple[date, date]:
    today = utcnow().astimezone(LOCAL_ZONE).date()
    return date(today.year, 1, 1), today


@dataclass
class Scripted:
    """The member's deals at the fair: it gave 15 000 + 28 610 gr + one not valued (3 lines), of
    which the room was confirmed (15 000); it received 30 000 + 80 000 gr (2 lines), of which the
    bus was confirmed (80 000)."""

    member: Member
    a: Participant  # the member's person at the fair
    b: Participant  # Spółdzielnia Socjalna Łąka
    c: Participant  # Urząd Gminy Tczew
    first: Agreement  # a ⇄ b: room for training
    second: Agreement  # a ⇄ c: volunteers for a bus
    third: Agreement  # a → b: not valued
    others: Agreement  # b ⇄ c: not the member's
    annulled: Agreement  # a ⇄ c, annulled


GIVEN = (ROOM + VOLUNTEERS, ROOM)  # pledged, realised
RECEIVED = (TRAINING + BUS, BUS)


@pytest.fixture
def scripted(trading_fair: Fair, organiser: Participant, make_participant: Callable[..., Participant],
             category: Callable[[str], int], request: pytest.FixtureRequest) -> Scripted:
    sign: Callable[..., Agreement] = request.getfixturevalue("make_signed_agreement")
    a = make_participant("Anna", "Ładna", organisation="Fundacja Ład", phone="+48 600 100 200")
    b = make_participant("Bartosz", "Łąkowy", organisation="Spółdzielnia Socjalna Łąka",
                         sector=Sector.SOCIAL_COOPERATIVE)
    c = make_participant("Celina", "Gminna", organisation="Urząd Gminy Tczew", sector=Sector.PUBLIC)
    ao, bo, co = a.organisation_id, b.organisation_id, c.organisation_id
    first = sign(a, b, obligations=[
        ObligationData(ao, bo, "Sala konferencyjna na 30 osób", category_id=category("rooms"), quantity=3,
                       unit=Unit.HOURS, points=30),
        ObligationData(bo, ao, "Szkolenie z pisania wniosków", category_id=category("trainings"), hours=4,
                       points=40)])
    second = sign(a, c, obligations=[
        ObligationData(ao, co, "Wolontariusze do sprzątania parku", category_id=category("volunteers"), hours=10,
                       points=50),
        ObligationData(co, ao, "Użyczenie busa na wycieczkę", category_id=category("transport"), quantity=2,
                       unit=Unit.DAYS, points=60)])
    third = sign(a, b, obligations=[
        ObligationData(ao, bo, "Porada prawna przez telefon", value_basis=ValueBasis.NONE, points=5)])
    others = sign(b, c, obligations=[(b, c, "Catering na festyn", 20)])
    annulled = sign(a, c, obligations=[(a, c, "Rzutnik na tydzień", 20)])
    annul_by_organiser(organiser, trading_fair.id, annulled.id, "Pomyłka")
    confirm_delivery(b, trading_fair.id, first.obligations[0].id)  # b got the room
    confirm_delivery(a, trading_fair.id, second.obligations[1].id)  # a got the bus
    member = db.session.get_one(Member, a.organisation.member_id)
    return Scripted(member, a, b, c, first, second, third, others, db.session.get_one(Agreement, annulled.id))
