"""Social value pledged and realised (app/agreements/value_totals.py) on a scripted fair whose
totals are known: three agreements, one of them followed up."""

from __future__ import annotations

from datetime import timedelta

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.value_totals import value_totals
from app.core.storage.db import utcnow
from app.floor.kinds import Unit
from app.network.sectors import Sector


def _fair_of_three(make_signed_agreement, make_participant, category, organiser, fair):
    ngo = make_participant(organisation="Fundacja Źdźbło", sector=Sector.NGO)
    coop = make_participant(organisation="Spółdzielnia Łąka", sector=Sector.SOCIAL_COOPERATIVE)
    town = make_participant(organisation="Urząd Miasta", sector=Sector.PUBLIC)
    # 1: a room (3 h × 50 zł = 150 zł) for a training (4 h × 75 zł = 300 zł); the room confirmed
    first = make_signed_agreement(ngo, coop, obligations=[
        ObligationData(ngo.organisation_id, coop.organisation_id, "Sala", category_id=category("rooms"),
                       quantity=3, unit=Unit.HOURS, points=30),
        ObligationData(coop.organisation_id, ngo.organisation_id, "Szkolenie", category_id=category("trainings"),
                       hours=4, points=40)])
    confirm_delivery(coop, fair.id, first.obligations[0].id)
    # 2: volunteers (10 h × 28,61 zł = 286,10 zł) for catering for 20 (20 × 20 zł = 400 zł)
    make_signed_agreement(town, ngo, obligations=[
        ObligationData(town.organisation_id, ngo.organisation_id, "Wolontariusze", category_id=category("volunteers"),
                       hours=10, points=100),
        ObligationData(ngo.organisation_id, town.organisation_id, "Poczęstunek", category_id=category("catering"),
                       quantity=20, unit=Unit.PEOPLE, points=20)])
    # 3: annulled: counts nothing
    third = make_signed_agreement(town, coop, obligations=[
        ObligationData(town.organisation_id, coop.organisation_id, "Bus", category_id=category("transport"),
                       quantity=1, unit=Unit.DAYS, points=50),
        ObligationData(coop.organisation_id, town.organisation_id, "Sprzątanie", hours=2, points=20)])
    annul_by_organiser(organiser, fair.id, third.id, "pomyłka")
    return ngo, coop, town


def test_pledged_is_every_signed_obligations_frozen_value(make_signed_agreement, make_participant, category,
                                                           organiser, trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    totals = value_totals([trading_fair.id])
    assert totals.pledged == 15000 + 30000 + 28610 + 40000
    assert totals.obligations == 4 and totals.unvalued == 0


def test_realised_is_what_receivers_confirmed(make_signed_agreement, make_participant, category, organiser,
                                              trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    assert value_totals([trading_fair.id]).realised == 15000


def test_by_category(make_signed_agreement, make_participant, category, organiser, trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    by = value_totals([trading_fair.id]).by_category
    assert {k: (v.pledged, v.realised) for k, v in by.items()} == {
        "Sale i pomieszczenia": (15000, 15000), "Wolontariusze i czas": (28610, 0),
        "Catering": (40000, 0), "Szkolenia": (30000, 0)}


def test_by_the_givers_and_the_receivers_sector(make_signed_agreement, make_participant, category, organiser,
                                                trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    totals = value_totals([trading_fair.id])
    assert totals.by_giver_sector["ngo"].pledged == 15000 + 40000
    assert totals.by_giver_sector["social_cooperative"].pledged == 30000
    assert totals.by_giver_sector["public"].pledged == 28610
    assert totals.by_receiver_sector["ngo"].pledged == 30000 + 28610
    assert totals.by_giver_sector["ngo"].realised == 15000


def test_a_period_counts_agreements_signed_in_it(make_signed_agreement, make_participant, category, organiser,
                                                 trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    now = utcnow()
    assert value_totals(None, now - timedelta(hours=1), now + timedelta(hours=1)).pledged == 113610
    assert value_totals(None, now + timedelta(hours=1), now + timedelta(hours=2)).pledged == 0


def test_other_fairs_do_not_count(make_signed_agreement, make_participant, category, organiser, trading_fair,
                                  make_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    assert value_totals([make_fair().id]).pledged == 0
