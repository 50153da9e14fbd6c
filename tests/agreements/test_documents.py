"""Agreement documents (app/agreements/documents.py): the public verification page an agreement's QR
code opens (authentic or not, and in which state), and the PDF downloads (who may get them, the
copies, the notary's batch)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from app.agreements import pdf as agreement_pdf
from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import cancel_agreement
from app.agreements.fulfilment import confirm_delivery, mark_delivered
from app.agreements.models import Agreement
from app.agreements.pdf import stored_pdf
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.people.models import Participant
from tests.pdfs import page_texts, pdf_text, save

# --- the verification page an agreement's QR code opens -------------------------------------------

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


# --- the PDF downloads ----------------------------------------------------------------------------

def text_of(data: bytes, tmp_path: Path, name: str = "agreement.pdf") -> str:
    return pdf_text(save(tmp_path, name, data))


@pytest.fixture
def render_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = agreement_pdf.render_summary

    def counting(sheet: agreement_pdf.AgreementSheet) -> bytes:
        calls.append(1)
        return real(sheet)

    monkeypatch.setattr(agreement_pdf, "render_summary", counting)
    return calls


@pytest.fixture
def signed(make_signed_agreement: Callable[..., Agreement]) -> Agreement:
    return make_signed_agreement()


def _url(agreement: Agreement, name: str = "agreement.pdf") -> str:
    return f"/f/tczew/agreements/{agreement.id}/{name}"


def _party(agreement: Agreement, i: int) -> Participant:
    return db.session.get_one(Participant, agreement.parties[i].representative_id)


@pytest.mark.parametrize("who", ["first_party", "second_party", "notary", "organiser"])
def test_who_may_download(who, signed, client: FlaskClient, login, notary, organiser, tmp_path):
    person = {"first_party": lambda: _party(signed, 0), "second_party": lambda: _party(signed, 1),
              "notary": lambda: notary, "organiser": lambda: organiser}[who]()
    login(person)
    r = client.get(_url(signed))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("inline") and "GZ-tczew-001.pdf" in r.headers[
        "Content-Disposition"]
    assert signed.number in text_of(r.data, tmp_path)
    assert r.data == stored_pdf(signed.id)


def test_another_participant_is_refused(signed, client, login, make_participant):
    login(make_participant())
    assert client.get(_url(signed)).status_code == 403
    assert client.get(_url(signed, "copies.pdf")).status_code == 403


def test_staff_of_another_fair_is_refused(signed, client, login, make_fair, make_participant):
    from app.fairs.roles import Role

    other = make_fair(slug="kociewie")
    staff = make_participant(role=Role.ORGANISER, fair_id=other.id)
    login(staff)
    assert client.get(_url(signed)).status_code == 403  # the fair of the URL is not theirs
    assert client.get(f"/f/kociewie/agreements/{signed.id}/agreement.pdf").status_code == 404


def test_anonymous_goes_to_login(signed, client):
    r = client.get(_url(signed))
    assert r.status_code in (302, 303) and "/f/tczew/login" in r.headers["Location"]


def test_draft_download_refused(trading_fair, make_participant, make_draft, client, login):
    a = make_participant()
    draft = make_draft(a, make_participant())
    login(a)
    r = client.get(f"/f/tczew/agreements/{draft.id}/agreement.pdf")
    assert r.status_code == 409 and b"not_signed" in r.data


def test_copies_over_http(signed, client, login, tmp_path):
    login(_party(signed, 1))
    r = client.get(_url(signed, "copies.pdf"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "GZ-tczew-001-copies.pdf" in r.headers["Content-Disposition"]
    assert [p.split(" · ")[0] for p in page_texts(r.data, tmp_path)] == [
        f"Egzemplarz dla: {p.organisation.name}" for p in signed.parties]


def test_notary_prints_a_batch(make_signed_agreement, client, login, notary, tmp_path):
    first, second = make_signed_agreement(), make_signed_agreement()
    login(notary)
    r = client.get(f"/f/tczew/notary/print?ids={second.id},{first.id}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pages = page_texts(r.data, tmp_path)
    assert len(pages) == 4 and all(p.startswith("Egzemplarz dla:") for p in pages)
    assert [second.number in p for p in pages] == [True, True, False, False]  # in the order asked
    assert [first.number in p for p in pages] == [False, False, True, True]


def test_batch_of_all_signed(make_signed_agreement, make_participant, make_draft, organiser, client,
                             login, tmp_path):
    signed_ones = [make_signed_agreement() for _ in range(2)]
    annulled = make_signed_agreement()
    annul_by_organiser(organiser, annulled.fair_id, annulled.id, "Pomyłka")
    make_draft(make_participant(), make_participant())
    login(organiser)
    r = client.get("/f/tczew/notary/print?all=signed")
    assert r.status_code == 200
    pages = page_texts(r.data, tmp_path)
    assert len(pages) == 4
    assert [a.number for a in signed_ones for _ in range(2)] == [p.split("Porozumienie nr ")[1].split()[0]
                                                                 for p in pages]
    assert annulled.number not in " ".join(pages)


def test_batch_refusals(make_signed_agreement, make_participant, make_draft, client, login, notary):
    signed = make_signed_agreement()
    draft = make_draft(make_participant(), make_participant())
    login(notary)
    assert client.get(f"/f/tczew/notary/print?ids={signed.id},{draft.id}").status_code == 409
    assert client.get("/f/tczew/notary/print?ids=1,abc").status_code == 400
    assert client.get("/f/tczew/notary/print?ids=999999").status_code == 404
    assert client.get("/f/tczew/notary/print?all=everything").status_code == 400
    r = client.get("/f/tczew/notary/print", headers={"Accept": "application/json"})
    assert r.status_code == 409 and r.json["code"] == "nothing_to_print"


def test_batch_is_for_staff_only(signed, client, login):
    login(_party(signed, 0))
    assert client.get(f"/f/tczew/notary/print?ids={signed.id}").status_code == 403


def test_downloads_render_once(make_signed_agreement, client, login, render_counter):
    agreement = make_signed_agreement()
    login(_party(agreement, 0))
    bodies = {client.get(_url(agreement)).data for _ in range(3)}
    assert len(bodies) == 1 and len(render_counter) == 1
