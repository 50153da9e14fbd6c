"""A scripted network of two fairs with known figures, for the network results tests: `network`.

Fair 1 (Tczew): the organiser (Starostwo, public), the notary (an NGO), Fundacja Łąka (NGO),
Piekarnia Żak (business), Spółdzielnia Pszczółka (social cooperative). Agreements: Łąka–Żak
(Łąka gives 30, confirmed; Żak gives 20) and Łąka–Pszczółka (Pszczółka gives 10).
Fair 2 (Pelplin): its organiser (Urząd Gminy, public) and notary (Kancelaria, business) are new;
Łąka and Żak return (the same people, by e-mail); Dorota (a resident, named as herself) is new.
Agreements: Łąka–Żak (Żak gives 15, Łąka gives 5, both confirmed) and Żak–Pracownia (8).
The three ledger entries are dated 2026-01-31 23:30 UTC (1 February in Warsaw), and 10 March.

`years_network` spreads it over two years: Tczew starts on 14 June 2025; Pelplin at 00:30 on
1 January 2026 in Warsaw (still 2025 in UTC); a third fair, Gniew, on 9 May 2026, where Łąka
comes again (no agreements)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import pytest
from sqlalchemy import select

from app.agreements.fulfilment import confirm_delivery, mark_delivered
from app.agreements.models import Agreement
from app.core.extensions import db
from app.core.storage import db as storage_db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.ledger.coordinators import set_network_coordinator
from app.ledger.models import Entry
from app.ledger.permissions import SystemActor
from app.network.sectors import Sector
from app.people.models import Participant
from tests.agreements import conftest as contract_fixtures

make_signed_agreement = contract_fixtures.make_signed_agreement

FEB_IN_WARSAW = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TCZEW_STARTS = datetime(2025, 6, 14, 8, 0, tzinfo=UTC)
PELPLIN_STARTS = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January 2026 in Warsaw
GNIEW_STARTS = datetime(2026, 5, 9, 8, 0, tzinfo=UTC)


def _fixed(at: datetime) -> type[datetime]:
    class Fixed(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Fixed:
            return cls.fromtimestamp(at.timestamp(), tz)

    return Fixed


@dataclass
class Network:
    first: Fair
    second: Fair
    coordinator: Participant  # the first fair's organiser
    organiser_b: Participant  # the second fair's organiser, not the coordinator
    people: dict[str, Participant]
    agreements: dict[str, Agreement]


@pytest.fixture
def network(make_fair: Callable[..., Fair], trading_fair: Fair, organiser: Participant, notary: Participant,
            make_participant: Callable[..., Participant],
            make_signed_agreement: Callable[..., Agreement]) -> Network:
    first = trading_fair
    second = make_fair(slug="pelplin", name="Giełda Zasobów Pelplin")

    def person(key: str, first_name: str, organisation: str, sector: Sector, fair: Fair, **kw: object) -> Participant:
        return make_participant(first_name, f"Nowak-{key}", organisation=organisation, sector=sector,
                                fair_id=fair.id, email=f"{key}@example.org", **kw)

    p = {
        "a1": person("a", "Łucja", "Fundacja Łąka", Sector.NGO, first),
        "b1": person("b", "Bożena", "Piekarnia Żak", Sector.BUSINESS, first),
        "c1": person("c", "Czesław", "Spółdzielnia Pszczółka", Sector.SOCIAL_COOPERATIVE, first),
        "org2": person("org2", "Zenon", "Urząd Gminy Pelplin", Sector.PUBLIC, second, role=Role.ORGANISER),
        "notary2": person("notary2", "Teresa", "Kancelaria Pelplin", Sector.BUSINESS, second, role=Role.NOTARY),
        "a2": person("a", "Łucja", "Fundacja Łąka", Sector.NGO, second),
        "b2": person("b", "Bożena", "Piekarnia Żak", Sector.BUSINESS, second),
        "d2": person("d", "Dorota", "Pracownia Doroty", Sector.RESIDENT, second),
    }
    open_trading(p["org2"], second.id, 90)

    def deal(x: str, y: str, fair: Fair, *obligations: tuple[str, str, str, int]) -> Agreement:
        return make_signed_agreement(p[x], p[y], fair=fair, notary=notary if fair is first else p["notary2"],
                                     obligations=[(p[g], p[r], text, n) for g, r, text, n in obligations])

    a = {
        "x1": deal("a1", "b1", first, ("a1", "b1", "Sala na szkolenie", 30), ("b1", "a1", "Chleb na zebranie", 20)),
        "x2": deal("a1", "c1", first, ("c1", "a1", "Ulotki", 10)),
        "y1": deal("a2", "b2", second, ("b2", "a2", "Drożdżówki", 15), ("a2", "b2", "Sala", 5)),
        "y2": deal("b2", "d2", second, ("d2", "b2", "Zajęcia plastyczne", 8)),
    }

    def fulfil(agreement: str, index: int, giver: str, receiver: str, fair: Fair, at: datetime) -> None:
        obligation = a[agreement].obligations[index]
        mark_delivered(p[giver], fair.id, obligation.id)
        with pytest.MonkeyPatch.context() as clock:  # ledger entries are append-only: dated as they are made
            clock.setattr(storage_db, "datetime", _fixed(at))
            confirm_delivery(p[receiver], fair.id, obligation.id)

    fulfil("x1", 0, "a1", "b1", first, FEB_IN_WARSAW)
    fulfil("y1", 0, "b2", "a2", second, MARCH)
    fulfil("y1", 1, "a2", "b2", second, MARCH)
    assert [e.created_at for e in db.session.scalars(select(Entry).order_by(Entry.id))] == [
        FEB_IN_WARSAW, MARCH, MARCH]
    coordinator = set_network_coordinator(SystemActor(), organiser.id, True)  # at the network's space
    return Network(first, second, coordinator, p["org2"], p, a)


@pytest.fixture
def years_network(network: Network, make_fair: Callable[..., Fair],
                  make_participant: Callable[..., Participant]) -> Network:
    third = make_fair(slug="gniew", name="Giełda Zasobów Gniew")
    make_participant("Łucja", "Nowak-a", organisation="Fundacja Łąka", sector=Sector.NGO, fair_id=third.id,
                     email="a@example.org")
    with transaction():
        for fair, starts in ((network.first, TCZEW_STARTS), (network.second, PELPLIN_STARTS),
                             (third, GNIEW_STARTS)):
            db.session.get_one(Fair, fair.id).starts_at = starts
    return network
