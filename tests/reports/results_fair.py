"""A scripted fair with known totals for the results tests: `scripted` (ten people from eight
organisations, posts in every state, five counted agreements, one annulled, one draft, one awaiting
the notary, on a fixed clock: OPENED, CLOSED, NOW) and `make_signed_agreement`, which it uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement, Obligation
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import hide_post, mark_post_taken, withdraw_post
from app.network.sectors import Sector
from app.people.models import Participant
from tests.agreements import conftest as contract_fixtures

make_signed_agreement = contract_fixtures.make_signed_agreement

# The fair's day in Tczew: trading from 10:00 to 11:00 local time (09:00–10:00 UTC).
OPENED = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
CLOSED = OPENED + timedelta(minutes=60)
NOW = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)  # six days later, 12:00 in Warsaw


@dataclass
class Scripted:
    fair: Fair
    people: dict[str, Participant]
    agreements: dict[str, Agreement]


@pytest.fixture
def scripted(trading_fair: Fair, organiser: Participant, notary: Participant,
             make_participant: Callable[..., Participant], make_post: Callable[..., Post],
             make_draft: Callable[..., Any], make_signed_agreement: Callable[..., Agreement],
             category: Callable[[str], int]) -> Scripted:
    """Ten people from eight organisations (the organiser's and the notary's included), six of them
    checked in; five counted agreements, one annulled, one draft, one awaiting the notary."""
    fid = trading_fair.id

    def person(key: str, first: str, organisation: str, sector: Sector) -> Participant:
        return make_participant(first, f"Nowak-{key}", organisation=organisation, sector=sector)

    p = {
        "a1": person("a1", "Łucja", "Fundacja Łąka", Sector.NGO),
        "a2": person("a2", "Żaneta", "Fundacja Łąka", Sector.NGO),
        "b1": person("b1", "Bożena", "Stowarzyszenie Źródło", Sector.NGO),
        "c1": person("c1", "Czesław", "Piekarnia Żak", Sector.BUSINESS),
        "c2": person("c2", "Cyprian", "Piekarnia Żak", Sector.BUSINESS),
        "d1": person("d1", "Dorota", "Spółdzielnia Socjalna Pszczółka", Sector.SOCIAL_COOPERATIVE),
        "e1": person("e1", "Edyta", "Miejska Biblioteka", Sector.PUBLIC),
        "f1": person("f1", "Zofia", "Zofia Ślązak", Sector.RESIDENT),
    }
    for key in ("a1", "b1", "c1", "c2", "d1", "f1"):
        check_in(organiser, fid, p[key].badge_code)

    make_post(p["a1"], "Sala na 30 osób", PostKind.OFFER, "rooms")
    make_post(p["a2"], "Sala gimnastyczna", PostKind.OFFER, "rooms")
    make_post(p["b1"], "Sala na próby chóru", PostKind.NEED, "rooms")
    make_post(p["c1"], "Catering na 50 osób — żurek", PostKind.OFFER, "catering")
    make_post(p["d1"], "Promocja w lokalnej prasie", PostKind.NEED, "promotion")
    make_post(p["e1"], "Wolontariusze do festynu", PostKind.NEED, "volunteers")
    art = make_post(p["f1"], "Zajęcia plastyczne dla dzieci", PostKind.OFFER, "art_classes")
    taken = make_post(p["e1"], "Szkolenie z RODO", PostKind.OFFER, "trainings")
    mark_post_taken(p["e1"], fid, taken.id)  # taken: still counted
    withdrawn = make_post(p["c2"], "Mikser planetarny", PostKind.OFFER, "equipment")
    withdraw_post(p["c2"], fid, withdrawn.id)  # withdrawn: not counted
    hidden = make_post(p["b1"], "Naprawa komputerów za 100 zł", PostKind.OFFER, "it_service")
    hide_post(organiser, fid, hidden.id, "Pieniądze są tabu")  # hidden: not counted

    def ob(giver: str, receiver: str, text: str, points: int, key: str | None = None,
           post_id: int | None = None) -> ObligationData:
        return ObligationData(p[giver].organisation_id, p[receiver].organisation_id, text, points=points,
                              category_id=category(key) if key else None, post_id=post_id)

    a = {
        "1": make_signed_agreement(p["a1"], p["c1"], obligations=[
            ob("a1", "c1", "Sala na szkolenie", 30, "rooms"), ob("c1", "a1", "Catering na zebranie", 40, "catering")]),
        "2": make_signed_agreement(p["a2"], p["d1"], obligations=[
            ob("a2", "d1", "Sala na warsztaty", 20, "rooms"), ob("d1", "a2", "Ulotki o fundacji", 10, "promotion")]),
        "3": make_signed_agreement(p["e1"], p["f1"], obligations=[
            ob("f1", "e1", "Zajęcia plastyczne w bibliotece", 15, post_id=art.id),
            ob("e1", "f1", "Podziękowanie na stronie", 0)]),
        "4": make_signed_agreement(p["b1"], p["a1"], obligations=[ob("b1", "a1", "Sala na próby", 25, "rooms")]),
        "5": make_signed_agreement(parties=[p["c1"], p["d1"], p["e1"]], obligations=[
            ob("c1", "d1", "Drożdżówki na festyn", 12, "catering"), ob("d1", "e1", "Plakaty", 8, "promotion")]),
        "annulled": make_signed_agreement(p["b1"], p["c2"], obligations=[ob("b1", "c2", "Sala", 50, "rooms")]),
        "waiting": make_signed_agreement(p["a1"], p["e1"], notarise_it=False),
    }
    annul_by_organiser(organiser, fid, a["annulled"].id, "Pomyłka w stronach")
    make_draft(p["a1"], p["f1"])  # a draft: not counted

    # Follow-up: two obligations confirmed by their receivers.
    first = a["4"].obligations[0]  # b1 -> a1 (its only one: the agreement becomes fulfilled)
    confirm_delivery(p["a1"], fid, first.id)
    second = a["1"].obligations[0]  # a1 -> c1
    confirm_delivery(p["c1"], fid, second.id)
    close_trading(organiser, fid)

    # The clock: trading 10:00–11:00 local; signings at +5, +12, +14, +38 minutes and one the notary
    # completed at +65 (after the gong); confirmations late on the fair's day and just after
    # midnight (Warsaw) three days later — still day 2 in UTC.
    with transaction():
        fair = db.session.get_one(Fair, fid)
        fair.trading_started_at, fair.trading_ended_at = OPENED, CLOSED
        for key, minutes in (("1", 5), ("2", 12), ("3", 14), ("4", 38), ("5", 65)):
            db.session.get_one(Agreement, a[key].id).signed_at = OPENED + timedelta(minutes=minutes)
        db.session.get_one(Obligation, first.id).confirmed_at = datetime(2026, 3, 14, 17, 0, tzinfo=UTC)
        db.session.get_one(Obligation, second.id).confirmed_at = datetime(2026, 3, 16, 23, 30, tzinfo=UTC)
    db.session.expire_all()
    return Scripted(db.session.get_one(Fair, fid), p, {k: db.session.get_one(Agreement, v.id)
                                                         for k, v in a.items()})
