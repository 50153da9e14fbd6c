"""The public verification page an agreement's QR code opens: authentic or not, and in which state."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import cancel_agreement
from app.agreements.fulfilment import confirm_delivery, mark_delivered
from app.agreements.models import Agreement
from app.core.extensions import db
from app.core.transactions import transaction
from app.people.models import Participant


def page(client: FlaskClient, agreement: Agreement, lang: str | None = None) -> tuple[int, str]:
    r = client.get(f"/c/{agreement.public_code}" + (f"?lang={lang}" if lang else ""))
    return r.status_code, r.get_data(as_text=True)


def status_of(html: str) -> str:
    match = re.search(r'id="verdict" data-status="([a-z_]+)"', html)
    assert match, html
    return match.group(1)


def test_signed_agreement_is_authentic(make_signed_agreement, client):
    agreement = make_signed_agreement()
    code, html = page(client, agreement)
    assert code == 200
    assert status_of(html) == "signed"
    assert "Autentyczne porozumienie" in html and "Obowiązuje" in html
    assert f"Porozumienie nr {agreement.number}" in html
    assert "Giełda Zasobów Tczew" in html
    assert agreement.content_hash in html
    for party in agreement.parties:
        assert party.organisation.name in html
    assert "Organizacja pozarządowa" in html and "Spółdzielnia socjalna" in html
    assert re.search(r"Data podpisania</dt><dd>\d{1,2} \w+ \d{4}, \d\d:\d\d</dd>", html)


def test_no_login_needed_and_no_contact_details(make_signed_agreement, client):
    agreement = make_signed_agreement()
    code, html = page(client, agreement)
    assert code == 200
    for party in agreement.parties:
        person = db.session.get_one(Participant, party.representative_id)
        assert person.email not in html and person.full_name not in html
    assert "+48 600 100 200" not in html
    assert "Sala konferencyjna" not in html  # what is exchanged stays between the parties


def test_page_in_english(make_signed_agreement, client):
    agreement = make_signed_agreement()
    _, html = page(client, agreement, lang="en")
    assert "Authentic agreement" in html and f"Agreement no. {agreement.number}" in html


def test_fulfilled_agreement(make_signed_agreement, client):
    agreement = make_signed_agreement()
    fair_id = agreement.fair_id
    for ob in list(agreement.obligations):
        giver = db.session.get_one(Participant, ob.giver.representative_id)
        receiver = db.session.get_one(Participant, ob.receiver.representative_id)
        mark_delivered(giver, fair_id, ob.id)
        confirm_delivery(receiver, fair_id, ob.id)
    _, html = page(client, agreement)
    assert status_of(html) == "fulfilled"
    assert "Autentyczne porozumienie" in html and "Zrealizowane" in html


def test_annulled_agreement_shows_date_and_reason(make_signed_agreement, organiser, client):
    agreement = make_signed_agreement()
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Strony zawarły umowę dwa razy")
    _, html = page(client, agreement)
    assert status_of(html) == "annulled"
    assert "Autentyczne, ale unieważnione" in html and "Już nie obowiązuje" in html
    assert "Powód: Strony zawarły umowę dwa razy" in html
    assert "Data unieważnienia" in html


@pytest.mark.parametrize("column", ["frozen_content", "content_hash"])
def test_tampered_agreement_is_not_authentic(column, make_signed_agreement, client):
    agreement = make_signed_agreement()
    if column == "frozen_content":
        forged = agreement.frozen_content.replace('"points":40', '"points":400')
        assert forged != agreement.frozen_content
    else:
        forged = "0" * 64
    with transaction():
        db.session.execute(update(Agreement).where(Agreement.id == agreement.id).values({column: forged}))
    _, html = page(client, agreement)
    assert status_of(html) == "not_authentic"
    assert "Nieautentyczne" in html and "Autentyczne porozumienie" not in html


def test_unreadable_frozen_content_is_not_authentic(make_signed_agreement, client):
    agreement = make_signed_agreement()
    with transaction():
        db.session.execute(update(Agreement).where(Agreement.id == agreement.id)
                           .values(frozen_content="{not json"))
    code, html = page(client, agreement)
    assert code == 200 and status_of(html) == "not_authentic"
    assert agreement.parties[0].organisation.name.split()[0] in html  # parties from the records


def test_draft_is_not_signed_yet(trading_fair, make_participant, make_draft, client):
    draft = make_draft(make_participant(organisation="Fundacja Żuraw"), make_participant())
    code, html = page(client, draft)
    assert code == 200 and status_of(html) == "not_signed"
    assert "Jeszcze niepodpisane" in html and "Fundacja Żuraw" in html


def test_cancelled_draft(trading_fair, make_participant, make_draft, client):
    a = make_participant()
    draft = make_draft(a, make_participant())
    cancel_agreement(a, trading_fair.id, draft.id)
    _, html = page(client, draft)
    assert status_of(html) == "cancelled"


@pytest.mark.parametrize("code", ["nie-ma-takiego-kodu", "x" * 200])
def test_unknown_code_is_not_found(code, client, app):
    r = client.get(f"/c/{code}")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert status_of(html) == "not_found"
    assert "Nie znaleziono porozumienia" in html and "sfałszowany" in html


def test_verification_page_is_not_cached_or_indexed(make_signed_agreement, client):
    agreement = make_signed_agreement()
    r = client.get(f"/c/{agreement.public_code}")
    assert r.headers["Cache-Control"] == "no-cache" and r.headers["X-Robots-Tag"] == "noindex"
