"""A scripted fair and network with known totals for the funder's report tests: `funder_fair` and
`funder_network` (and `make_signed_agreement`, which they use, from tests/agreements/conftest.py).

The fair (Tczew, 14 March 2026, closed): six people from six organisations — the organiser
(Starostwo, public), the notary (an NGO), Fundacja Źdźbło (NGO), Spółdzielnia Łąka (social
cooperative), Urząd Miasta (public), Piekarnia Żak (business). Agreements, as in
tests/agreements/test_value_totals.py with two more:

  1. Źdźbło → Łąka a room, 3 h × 50 zł = 150 zł (30 pts, confirmed on day 1);
     Łąka → Źdźbło a training, 4 h × 75 zł = 300 zł (40 pts);
  2. Urząd → Źdźbło volunteers, 10 h × 28,61 zł = 286,10 zł (100 pts);
     Źdźbło → Urząd catering for 20, 20 × 20 zł = 400 zł (20 pts, confirmed on day 10);
  3. Źdźbło → Łąka cleaning, not valued, no category (10 pts, confirmed on day 19: fulfilled);
  4. Żak → Urząd buns, 10 pieces × 20 zł = 200 zł (15 pts);
  5. Urząd → Łąka a bus: annulled, counts nothing.

So: 4 agreements (1 fulfilled), 6 obligations (3 confirmed), 215 points pledged and 60
confirmed; social value pledged 1 336,10 zł (1 336 zł), realised 550 zł, 1 obligation without
an estimate; all four agreements cross-sector; Źdźbło and Łąka repeat partners (two
agreements). A partnership of Źdźbło, Łąka and Urząd (2026) counts for the fair; one of two
members who never came to it does not. The receivers rated the three confirmations 5 (with
words they agreed to have quoted: QUOTED), 4 (words not to be quoted) and 3 (no words).

The network adds Pelplin (14 June 2025), where Źdźbło and Łąka (the same people) close one more
agreement: Łąka → Źdźbło 5 h of skilled work, 5 × 56,07 zł = 280,35 zł (8 pts, confirmed on
1 July 2025, rated 2 with words that may be quoted: LATE). In 2025 the network has one fair,
four people from four members (with Pelplin's organiser and notary), one agreement and no repeat
partners; in 2026, Tczew's figures; over all years, Źdźbło and Łąka met at two fairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement, Obligation
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import close_trading, open_trading
from app.floor.kinds import Unit
from app.ledger.coordinators import set_network_coordinator
from app.ledger.permissions import SystemActor
from app.network.sectors import Sector
from app.partnerships.records import PartnerData, PartnershipData, record_partnership
from app.people.models import Participant
from app.valuation.kinds import ValueBasis
from tests.agreements import conftest as contract_fixtures

make_signed_agreement = contract_fixtures.make_signed_agreement

OPENED = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)  # 10:00 in Tczew
CLOSED = OPENED + timedelta(hours=1)
NOW = datetime(2026, 4, 10, 10, 0, tzinfo=UTC)  # day 27: week 3
PELPLIN_OPENED = datetime(2025, 6, 14, 8, 0, tzinfo=UTC)
PELPLIN_CONFIRMED = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)

PLEDGED = 15000 + 30000 + 28610 + 40000 + 20000  # grosze
QUOTED = "Sala była gotowa na czas, z rzutnikiem i kawą. Dziękujemy!"
NOT_QUOTED = "Poczęstunek smaczny, ale tego proszę nie cytować."
LATE = "Ulotka przyszła za późno, ale była ładna."
REALISED = 15000 + 40000


@dataclass
class FunderFair:
    fair: Fair
    organiser: Participant
    people: dict[str, Participant]
    agreements: dict[str, Agreement]
    coordinator: Participant | None = None


@dataclass
class FunderNetwork:
    first: FunderFair  # Tczew, 2026
    second: Fair  # Pelplin, 2025
    coordinator: Participant  # at the network's space
    organiser_b: Participant  # Pelplin's organiser, no coordinator


@pytest.fixture
def funder_fair(trading_fair: Fair, organiser: Participant, notary: Participant,
                make_participant: Callable[..., Participant], make_signed_agreement: Callable[..., Agreement],
                category: Callable[[str], int]) -> FunderFair:
    fid = trading_fair.id
    p = {
        "ngo": make_participant("Łucja", "Nowak", organisation="Fundacja Źdźbło", sector=Sector.NGO,
                                email="lucja@example.org"),
        "coop": make_participant("Czesław", "Nowak", organisation="Spółdzielnia Łąka",
                                 sector=Sector.SOCIAL_COOPERATIVE, email="czeslaw@example.org"),
        "town": make_participant("Teresa", "Nowak", organisation="Urząd Miasta", sector=Sector.PUBLIC,
                                 email="teresa@example.org"),
        "shop": make_participant("Bożena", "Nowak", organisation="Piekarnia Żak", sector=Sector.BUSINESS,
                                 email="bozena@example.org"),
    }

    def ob(giver: str, receiver: str, text: str, points: int, key: str | None = None, **kw: object) -> ObligationData:
        return ObligationData(p[giver].organisation_id, p[receiver].organisation_id, text, points=points,
                              category_id=category(key) if key else None, **kw)  # type: ignore[arg-type]

    a = {
        "1": make_signed_agreement(p["ngo"], p["coop"], obligations=[
            ob("ngo", "coop", "Sala", 30, "rooms", quantity=3, unit=Unit.HOURS),
            ob("coop", "ngo", "Szkolenie", 40, "trainings", hours=4)]),
        "2": make_signed_agreement(p["town"], p["ngo"], obligations=[
            ob("town", "ngo", "Wolontariusze", 100, "volunteers", hours=10),
            ob("ngo", "town", "Poczęstunek", 20, "catering", quantity=20, unit=Unit.PEOPLE)]),
        "3": make_signed_agreement(p["ngo"], p["coop"], obligations=[
            ob("ngo", "coop", "Sprzątanie po festynie", 10, hours=2, value_basis=ValueBasis.NONE)]),
        "4": make_signed_agreement(p["shop"], p["town"], obligations=[
            ob("shop", "town", "Drożdżówki", 15, "catering", quantity=10, unit=Unit.PIECES)]),
        "annulled": make_signed_agreement(p["town"], p["coop"], obligations=[
            ob("town", "coop", "Bus", 50, "transport", quantity=1, unit=Unit.DAYS)]),
    }
    annul_by_organiser(organiser, fid, a["annulled"].id, "pomyłka")
    confirmed = {a["1"].obligations[0].id: ("coop", OPENED + timedelta(days=1), 5, QUOTED, True),
                 a["2"].obligations[1].id: ("town", OPENED + timedelta(days=10), 4, NOT_QUOTED, False),
                 a["3"].obligations[0].id: ("coop", OPENED + timedelta(days=19), 3, "", False)}
    for obligation_id, (receiver, _at, rating, words, consent) in confirmed.items():
        confirm_delivery(p[receiver], fid, obligation_id, rating=rating, testimonial=words, quote_consent=consent)
    close_trading(organiser, fid)
    with transaction():
        fair = db.session.get_one(Fair, fid)
        fair.starts_at = fair.trading_started_at = OPENED
        fair.trading_ended_at = CLOSED
        for key in ("1", "2", "3", "4", "annulled"):
            db.session.get_one(Agreement, a[key].id).signed_at = OPENED + timedelta(minutes=10)
        for obligation_id, (_receiver, at, *_feedback) in confirmed.items():
            db.session.get_one(Obligation, obligation_id).confirmed_at = at

    coordinator = set_network_coordinator(SystemActor(), organiser.id, True)
    assert coordinator is not None
    members = {k: db.session.get_one(Participant, v.id).organisation.member_id for k, v in p.items()}
    record_partnership(coordinator, PartnershipData(
        purpose="Wspólne festyny", starts_on=date(2026, 3, 1), lead_member_id=members["ngo"],
        partners=[PartnerData(members[k]) for k in ("ngo", "coop", "town")]))
    outsiders = [make_participant(organisation=name, sector=sector, fair_id=coordinator.fair_id).organisation.member_id
                 for name, sector in (("Koło Gospodyń", Sector.INFORMAL_GROUP), ("Jan Kowalski", Sector.RESIDENT))]
    record_partnership(coordinator, PartnershipData(
        purpose="Ogródek", starts_on=date(2026, 5, 1), lead_member_id=outsiders[0],
        partners=[PartnerData(m) for m in outsiders]))
    db.session.expire_all()
    return FunderFair(db.session.get_one(Fair, fid), organiser, p,
                      {k: db.session.get_one(Agreement, v.id) for k, v in a.items()}, coordinator)


@pytest.fixture
def funder_network(funder_fair: FunderFair, make_fair: Callable[..., Fair], notary: Participant,
                   make_participant: Callable[..., Participant],
                   make_signed_agreement: Callable[..., Agreement]) -> FunderNetwork:
    second = make_fair(slug="pelplin", name="Giełda Zasobów Pelplin")
    organiser_b = make_participant("Zenon", "Nowak", organisation="Urząd Gminy Pelplin", sector=Sector.PUBLIC,
                                   fair_id=second.id, role=Role.ORGANISER, email="zenon@example.org")
    notary_b = make_participant("Jerzy", "Nowak", organisation="Kancelaria", sector=Sector.BUSINESS,
                                fair_id=second.id, role=Role.NOTARY, email="jerzy@example.org")
    ngo = make_participant("Łucja", "Nowak", organisation="Fundacja Źdźbło", sector=Sector.NGO, fair_id=second.id,
                           email="lucja@example.org")
    coop = make_participant("Czesław", "Nowak", organisation="Spółdzielnia Łąka", sector=Sector.SOCIAL_COOPERATIVE,
                            fair_id=second.id, email="czeslaw@example.org")
    open_trading(organiser_b, second.id, 90)
    agreement = make_signed_agreement(ngo, coop, fair=second, notary=notary_b, obligations=[ObligationData(
        coop.organisation_id, ngo.organisation_id, "Projekt ulotki", points=8, hours=5,
        value_basis=ValueBasis.WORK_SKILLED)])
    confirm_delivery(ngo, second.id, agreement.obligations[0].id, rating=2, testimonial=LATE, quote_consent=True)
    close_trading(organiser_b, second.id)
    with transaction():
        fair = db.session.get_one(Fair, second.id)
        fair.starts_at = fair.trading_started_at = PELPLIN_OPENED
        fair.trading_ended_at = PELPLIN_OPENED + timedelta(hours=1)
        db.session.get_one(Agreement, agreement.id).signed_at = PELPLIN_OPENED + timedelta(minutes=20)
        db.session.get_one(Obligation, agreement.obligations[0].id).confirmed_at = PELPLIN_CONFIRMED
    db.session.expire_all()
    assert funder_fair.coordinator is not None
    return FunderNetwork(funder_fair, db.session.get_one(Fair, second.id), funder_fair.coordinator, organiser_b)
