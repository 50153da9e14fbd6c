"""Money is taboo: a table of allowed and refused phrasings, in Polish and English."""

import pytest

from app.agreements.money import mentions_money

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
