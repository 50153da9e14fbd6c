"""A scripted fair whose social value is known, for the tests of the value totals and of what shows
them (the stats API, the results, the reveal): three agreements, one of them followed up, one
annulled.

Pledged 1 136,10 zł: a room (3 h × 50 zł = 150 zł, confirmed: realised) for a training (4 h ×
75 zł = 300 zł); volunteers (10 h × 28,61 zł = 286,10 zł) for catering for 20 (20 × 20 zł =
400 zł). By the giver's sector: NGO 550 zł (150 realised), social cooperative 300 zł, public
286,10 zł. The annulled third (a bus for a day, two hours of cleaning) counts nothing."""

from __future__ import annotations

from collections.abc import Callable

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement
from app.fairs.models import Fair
from app.floor.kinds import Unit
from app.network.sectors import Sector
from app.people.models import Participant


def fair_of_three(make_signed_agreement: Callable[..., Agreement], make_participant: Callable[..., Participant],
                  category: Callable[[str], int], organiser: Participant, fair: Fair
                  ) -> tuple[Participant, Participant, Participant]:
    """(the NGO's, the cooperative's and the town's participant), their agreements signed."""
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
