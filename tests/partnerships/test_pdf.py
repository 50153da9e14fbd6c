"""The partnership's PDF, read back: its words (pdftotext), its QR code, and every word inside
the page's margins, for a partnership at the model's limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.core.extensions import db
from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.models import Partnership
from app.partnerships.pdf import partnership_sheet, render_partnership
from app.partnerships.records import MAX_MEMBERS, PartnerData, record_partnership
from app.people.models import Participant
from tests.long_texts import LONG_DESCRIPTION, LONG_ORGANISATION, LONG_WORD
from tests.partnerships.conftest import data
from tests.pdf_boxes import Box, Page, assert_on_paper, mm, pdf_pages
from tests.pdfs import pdf_text, qr_payloads, save

MARGINS = (12, 14, 18, 14)  # static/css/agreement.css: top, right, bottom, left
BASE = "http://gielda.test"
PRINTER_EDGE = 5  # mm


def render(p: Partnership) -> bytes:
    return render_partnership(partnership_sheet(db.session.get_one(Partnership, p.id), BASE))


def test_the_pdf_says_who_does_what(app: object, tmp_path: Path, make_member: Callable[..., Member],
                                    make_partnership: Callable[..., Partnership]) -> None:
    a, b = make_member("Fundacja Ład", Sector.NGO), make_member("Urząd Gminy Tczew", Sector.PUBLIC)
    p = make_partnership(a, b, lead=b, ends_on=date(2026, 12, 31))
    path = save(tmp_path, "partnership.pdf", render(p))
    text = pdf_text(path)
    assert f"Partnerstwo nr {p.number}" in text
    assert "Wspólne warsztaty dla seniorów w Tczewie" in text
    assert "Fundacja Ład" in text and "Urząd Gminy Tczew" in text
    assert "Lider" in text and "Rola" in text and "Wkład" in text
    assert "31 grudnia 2026" in text
    assert p.content_hash and p.content_hash in text.replace(" ", "")
    assert qr_payloads(path, tmp_path) == [f"{BASE}/pa/{p.public_code}"]


def _areas(page: Page) -> list[Box]:
    """The page inside its margins, and the running footer's strip in the bottom margin (never
    nearer the paper's edge than a printer reaches)."""
    top, right, bottom, left = MARGINS
    return [Box(mm(left), mm(top), page.width - mm(right), page.height - mm(bottom)),
            Box(mm(left), page.height - mm(bottom), page.width - mm(right), page.height - mm(PRINTER_EDGE))]


@pytest.mark.slow
def test_every_word_stays_within_the_margins(app: object, tmp_path: Path, organiser: Participant,
                                             make_member: Callable[..., Member]) -> None:
    members = [make_member(f"{LONG_ORGANISATION[:180]} {i}", list(Sector)[i % 6]) for i in range(12)]
    filled = data(*members, purpose=LONG_DESCRIPTION[:300], description=LONG_DESCRIPTION + " " + LONG_WORD,
                  ends_on=date(2027, 10, 31))
    filled.partners = [PartnerData(m.id, role=LONG_DESCRIPTION[:300], contribution=LONG_DESCRIPTION[:2000])
                       for m in members]
    assert len(members) <= MAX_MEMBERS
    p = record_partnership(organiser, filled).row
    pdf = render(p)
    save(tmp_path, "long.pdf", pdf)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert_on_paper(pdf, pages, _areas, ink=False)
