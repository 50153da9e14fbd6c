"""The certificate's PDF read back: its words (pdftotext: the lines, the totals, the number), its QR
code decoded to the verification page (which answers with the number), the copy kept at the first
download; and every word inside the margins for a certificate of ~40 lines with the longest names."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from app.agreements.drafting import ObligationData
from app.agreements.models import Agreement
from app.certificates.issuing import issue_certificate, reissue_certificate
from app.certificates.models import Certificate
from app.certificates.pdf import certificate_sheet, ensure_pdf, render_certificate, stored_pdf
from app.core.extensions import db
from app.floor.kinds import Unit
from app.network.models import Member
from app.network.sectors import Sector
from app.people.models import Participant
from app.valuation.money import zloty
from tests.certificates.conftest import BUS, GIVEN, RECEIVED, ROOM, TRAINING, VOLUNTEERS, Scripted, this_year
from tests.long_texts import LONG_DESCRIPTION, LONG_ORGANISATION, OTHER_LONG_ORGANISATION
from tests.pdf_boxes import Box, Page, assert_on_paper, mm, pdf_pages
from tests.pdfs import page_texts, pdf_text, qr_payloads, save

MARGINS = (12, 14, 18, 14)  # static/css/agreement.css: top, right, bottom, left
BASE = "http://gielda.test"
PRINTER_EDGE = 5  # mm


def said(grosze: int) -> str:
    """An amount as pdftotext reads it (the thousands' no-break space is whitespace too)."""
    return " ".join(zloty(grosze).split())


def first_page_qr(pdf: Path, tmp_path: Path) -> list[str]:
    """The QR codes of the first page (the certificate's head; the pages after it have none)."""
    first = tmp_path / "first.pdf"
    subprocess.run(["pdfseparate", "-f", "1", "-l", "1", str(pdf), str(first)], check=True)
    return qr_payloads(first, tmp_path)


def issue(actor: Participant, member: Member) -> Certificate:
    start, end = this_year()
    return db.session.get_one(Certificate, issue_certificate(actor, actor.fair_id, member.id, start, end).row_id)


def test_the_pdf_says_what_was_given_and_received(app: object, tmp_path: Path, client: FlaskClient,
                                                 organiser: Participant, scripted: Scripted) -> None:
    certificate = issue(organiser, scripted.member)
    path = save(tmp_path, "certificate.pdf", ensure_pdf(certificate, BASE))
    text = pdf_text(path)
    assert f"Zaświadczenie o wkładzie niefinansowym nr {certificate.number}" in text
    assert "Fundacja Ład" in text and "Giełda Zasobów Tczew" in text
    for what in ("Sala konferencyjna na 30 osób", "Wolontariusze do sprzątania parku", "Porada prawna przez telefon",
                 "Szkolenie z pisania wniosków", "Użyczenie busa na wycieczkę"):
        assert what in text, what
    for agreement in (scripted.first, scripted.second, scripted.third):
        assert (agreement.number or "-") in text
    assert scripted.others.number not in text and scripted.annulled.number not in text
    for amount in (ROOM, VOLUNTEERS, TRAINING, BUS, *GIVEN, *RECEIVED):
        assert said(amount) in text, said(amount)
    assert "Dane przez członka 3" in text and "Otrzymane przez członka 2" in text  # the summary's rows
    assert "10 h × 28,61 zł" in text and "2 dni × 400,00 zł" in text  # how each value was reached
    assert "zrealizowane" in text and "zadeklarowane" in text
    assert "szacunki wartości społecznej, nie ceny" in text.lower()
    assert "Pomoc podstawowa (praca bez kwalifikacji) — 28,61 zł za godzinę" in text  # the rates used
    assert "1 pozycja" in text  # without an estimate
    assert certificate.content_hash in text.replace(" ", "")
    verify = f"{BASE}/zw/{certificate.public_code}"
    assert verify in text
    assert first_page_qr(path, tmp_path) == [verify]
    page = client.get(urlsplit(verify).path)
    assert page.status_code == 200 and certificate.number in page.get_data(as_text=True)


def test_the_first_download_is_kept(app: object, organiser: Participant, scripted: Scripted) -> None:
    certificate = issue(organiser, scripted.member)
    assert stored_pdf(certificate.id) is None
    first = ensure_pdf(certificate, BASE)
    assert stored_pdf(certificate.id) == first
    assert ensure_pdf(db.session.get_one(Certificate, certificate.id), "http://elsewhere.test") == first


def _areas(page: Page) -> list[Box]:
    """The page inside its margins, and the running footer's strip in the bottom margin."""
    top, right, bottom, left = MARGINS
    return [Box(mm(left), mm(top), page.width - mm(right), page.height - mm(bottom)),
            Box(mm(left), page.height - mm(bottom), page.width - mm(right), page.height - mm(PRINTER_EDGE))]


@pytest.mark.slow
def test_forty_lines_with_the_longest_names_stay_within_the_margins(
        app: object, tmp_path: Path, organiser: Participant, make_participant: Callable[..., Participant],
        make_signed_agreement: Callable[..., Agreement], category: Callable[[str], int]) -> None:
    a = make_participant("Małgorzata", "Szczepańska-Wiśniewska", organisation=LONG_ORGANISATION)
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation=OTHER_LONG_ORGANISATION,
                         sector=Sector.SOCIAL_COOPERATIVE)
    keys = ("rooms", "volunteers", "trainings", "transport", "catering")

    def line(i: int) -> ObligationData:
        giver, receiver = (a, b) if i % 2 else (b, a)
        return ObligationData(giver.organisation_id, receiver.organisation_id,
                              f"{i + 1}. {LONG_DESCRIPTION[:60 + 40 * (i % 4)]}", category_id=category(keys[i % 5]),
                              quantity=3 + i, unit=Unit.HOURS, hours=2 + i % 7, points=10)

    for n in range(2):
        make_signed_agreement(a, b, obligations=[line(i + 20 * n) for i in range(20)])
    certificate = issue(organiser, db.session.get_one(Member, a.organisation.member_id))
    pdf = render_certificate(certificate_sheet(certificate, BASE))
    save(tmp_path, "long.pdf", pdf)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    texts = page_texts(pdf, tmp_path)
    assert certificate.number in texts[0] and certificate.content_hash in texts[0].replace(" ", "")
    assert certificate.number in texts[-1] and f"{len(pages)}/{len(pages)}" in texts[-1].replace(" ", "")  # the footer
    assert_on_paper(pdf, pages, _areas, ink=False)


def test_a_reissued_certificate_names_the_one_it_replaces(app: object, tmp_path: Path, organiser: Participant,
                                                          scripted: Scripted) -> None:
    old = issue(organiser, scripted.member)
    new = db.session.get_one(Certificate, reissue_certificate(organiser, organiser.fair_id, old.id).row_id)
    text = pdf_text(save(tmp_path, "new.pdf", render_certificate(certificate_sheet(new, BASE))))
    assert f"To zaświadczenie zastępuje nr {old.number}" in text and new.number in text
    assert "zastępuje" not in pdf_text(save(tmp_path, "old.pdf", render_certificate(certificate_sheet(old, BASE))))
