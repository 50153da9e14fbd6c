"""Money is taboo: a table of allowed and refused phrasings, in Polish and English."""

import pytest

from app.agreements.money import mentions_money
from app.core.errors import DomainError

REFUSED = [
    "Zapłacimy 200 zł", "200 zł za salę", "Sala 2 zł", "5 tys. zł", "100 PLN", "1 500,00 zł",
    "Płatność gotówką", "Przelew na konto", "W zamian zapłata", "Dajemy pieniądze",
    "Honorarium dla prowadzącego", "Opłata za wynajem", "Kwota do uzgodnienia", "Faktura VAT",
    "Sprzedam rower za 200 zł", "Wynagrodzenie dla trenera",
    "50 €", "€50", "$20 for the room", "20 USD", "We will pay for the hall", "Cash on delivery",
    "Payment by bank transfer", "Invoice after the event", "A fee of 30 euro", "Money for the trip",
    "Zapłacimy 200 zł, zwrot kosztów dojazdu osobno",
]
ALLOWED = [
    "Sala na 30 osób we wtorek", "Szkolenie 3 godziny dla 15 osób", "Koszulki 20 sztuk",
    "Zlot harcerski w sali", "Złota Jesień pomoże przy festynie", "Spotkanie o 18.00, 2 godziny",
    "Zwrot kosztów dojazdu 50 zł", "Pokrycie kosztów materiałów", "Materiały plastyczne po stronie szkoły",
    "Room for 30 people", "Reimbursement of fuel costs", "Transport costs: 30 PLN",
    "Contribution to costs of materials, 40 EUR", "Two volunteers for 4 hours",
]


@pytest.mark.parametrize("text", REFUSED)
def test_money_refused(text):
    assert mentions_money(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_no_money_allowed(text):
    assert not mentions_money(text)


def test_money_is_taboo_between_fairs_too(make_participant):
    """An agreement in the network's space is checked by the same rule as at a fair."""
    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
    from app.between.space import enter_network_space

    a, b = (enter_network_space(make_participant(organisation=name))
            for name in ("Fundacja Pszczoła", "Spółdzielnia Socjalna Smak"))
    draft = start_agreement(a, a.fair_id, b.id)
    with pytest.raises(DomainError) as err:
        save_draft(a, a.fair_id, draft.id, AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name, "") for p in (a, b)],
            obligations=[ObligationData(a.organisation_id, b.organisation_id, "Catering za 300 zł", points=10)]),
            version=draft.version)
    assert err.value.code == "money_taboo"
