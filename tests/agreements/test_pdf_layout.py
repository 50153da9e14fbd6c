"""The printed agreement keeps every word on paper: the summary, a party's copies and the notary's
batch, for a group deal at the model's limits (six parties with 200-character names, long Polish
names, e-mails, addresses and descriptions, signatures late in October), read back word by word
with `pdftotext -bbox` and pixel by pixel with `pdftoppm`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.agreements.drafting import MAX_PARTIES, MAX_POINTS
from app.agreements.models import SignatureMethod
from app.agreements.pdf import (
    AgreementSheet,
    Annulment,
    Direction,
    ObligationSheet,
    PartySheet,
    SignatureSheet,
    render_copies,
    render_summary,
)
from app.floor.kinds import Unit
from app.network.sectors import Sector
from tests.long_texts import (
    LONG_DESCRIPTION,
    LONG_EMAIL,
    LONG_FAIR,
    LONG_NAME,
    LONG_ORGANISATION,
    LONG_PHONE,
    LONG_SLUG,
    LONG_URL,
    LONG_WORD,
    OTHER_LONG_ORGANISATION,
)
from tests.pdf_boxes import Box, Page, assert_on_paper, count, mm, pdf_pages, squeezed
from tests.printing import printing_app

# static/css/agreement.css: @page { margin: 12mm 14mm 18mm } (top, sides, bottom).
MARGINS = (12, 14, 18, 14)
# The running footer prints in the bottom margin; no nearer the paper's edge than this, which
# office printers cannot reach.
PRINTER_EDGE = 5
WARSAW = ZoneInfo("Europe/Warsaw")

ORGANISATIONS = (
    LONG_ORGANISATION,
    OTHER_LONG_ORGANISATION,
    "Gminny Ośrodek Pomocy Społecznej w Morzeszczynie wraz z Klubem Seniora „Złota Jesień” i Świetlicą "
    "Środowiskową dla Dzieci i Młodzieży",
    "Koło Gospodyń Wiejskich „Żurawina” w Szpęgawsku",
    "Przedsiębiorstwo Produkcyjno-Handlowo-Usługowe „Łęcki i Wspólnicy” Spółka z ograniczoną "
    "odpowiedzialnością Spółka Komandytowa",
    LONG_NAME,  # a resident represents themselves
)
SECTORS = (Sector.NGO, Sector.SOCIAL_COOPERATIVE, Sector.PUBLIC, Sector.INFORMAL_GROUP, Sector.BUSINESS,
           Sector.RESIDENT)
CONTACT = f"{LONG_EMAIL}, {LONG_PHONE}"
# Signature times as printed (d MMMM y, HH:mm in the fair's zone): October is the longest month.
SIGNED = ((datetime(2027, 10, 14, 20, 13, tzinfo=WARSAW), "14 października 2027, 20:13"),
          (datetime(2027, 10, 14, 20, 47, tzinfo=WARSAW), "14 października 2027, 20:47"),
          (datetime(2027, 10, 14, 21, 5, tzinfo=WARSAW), "14 października 2027, 21:05"),
          (datetime(2027, 10, 14, 22, 58, tzinfo=WARSAW), "14 października 2027, 22:58"),
          (datetime(2027, 10, 14, 23, 59, tzinfo=WARSAW), "14 października 2027, 23:59"),
          (datetime(2027, 10, 15, 0, 7, tzinfo=WARSAW), "15 października 2027, 00:07"))
NOTARISED = (datetime(2027, 10, 15, 0, 18, tzinfo=WARSAW), "15 października 2027, 00:18")
NUMBER = f"GZ/{LONG_SLUG}/1017"
VERIFY_URL = "https://gielda.przyjaciele-ziemi-kociewskiej.org.pl/c/QW7RT2ZK9XPL4MNB8VCD3HJF6GYS5A2E"
CONTENT_HASH = "9f2c4e1b7a3d8c6f0e5b2a9d4c7f1e3b8a6d0c2f5e9b4a7d1c3f8e6b0a2d5c9f"
REASON = ("Strony zgodnie uznały, że porozumienie zawarto pod nieobecność osoby upoważnionej do reprezentacji; "
          f"szczegóły: {LONG_URL}; kontakt: {LONG_EMAIL}. " * 3)[:500]


def obligation(giver: str, receiver: str) -> ObligationSheet:
    """An obligation with every field at its column's limit."""
    return ObligationSheet(
        giver=giver, receiver=receiver, description=LONG_DESCRIPTION, quantity=99_999, unit=Unit.PEOPLE,
        when=("w każdą sobotę od 14 marca do 30 czerwca 2027 roku, w godzinach 10:00–13:00, po uzgodnieniu "
              "terminu telefonicznie lub mailowo z koordynatorką projektu, poza świętami")[:200],
        where=("Centrum Kultury i Sportu im. Kazimierza Wielkiego w Tczewie, ul. Łąkowa 3/5, sala nr 12 na drugim "
               "piętrze (wejście od parkingu przy ul. Gdańskiej, winda dla osób z niepełnosprawnościami)")[:200],
        duration="trzy godziny zegarowe za każdym razem, łącznie czterdzieści pięć godzin w całym okresie"[:100],
        hours=45, points=MAX_POINTS,
        cost_contribution=f"zwrot kosztów sprzątania sali i zużytych mediów według faktury, zob. {LONG_URL}"[:300],
        due_date=date(2027, 9, 30))


def agreement(parties: int, names: tuple[str, ...] = ORGANISATIONS) -> AgreementSheet:
    """A group deal of `parties` parties: each gives the next one something (a ring)."""
    people = tuple(PartySheet(organisation=name, sector=sector, representative=LONG_NAME,
                              contact_name=f"{LONG_NAME} (koordynatorka)", contact_details=CONTACT)
                   for name, sector in zip(names[:parties], SECTORS, strict=False))
    directions = tuple(Direction(people[i], people[(i + 1) % parties],
                                 (obligation(people[i].organisation, people[(i + 1) % parties].organisation),))
                       for i in range(parties))
    methods = list(SignatureMethod)
    signatures = tuple(SignatureSheet(p.organisation, LONG_NAME, methods[i % len(methods)],
                                      SIGNED[i][0].astimezone(UTC)) for i, p in enumerate(people))
    return AgreementSheet(
        fair_name=LONG_FAIR, number=NUMBER, parties=people, directions=directions, signatures=signatures,
        notary=LONG_NAME, notarised_at=NOTARISED[0].astimezone(UTC), on_paper=False,
        signed_at=SIGNED[parties - 1][0].astimezone(UTC), content_hash=CONTENT_HASH, verify_url=VERIFY_URL)


GROUP = agreement(MAX_PARTIES)
ANNULLED_TRIO = replace(agreement(3), annulment=Annulment(datetime(2027, 10, 20, 8, 5, tzinfo=UTC), REASON))
# The notary's batch: an ordinary agreement and a long one.
BATCH = (replace(agreement(2, ("Fundacja Łąka", "Piekarnia Żak")), number="GZ/tczew/001"), agreement(2))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[bytes, list[Page]]]]:
    """Each kind of agreement document, rendered once for the module, with its pages read back."""
    with printing_app(tmp_path_factory.mktemp("agreements")):
        documents = {"summary": render_summary(GROUP), "copies": render_copies([ANNULLED_TRIO]),
                     "batch": render_copies(BATCH)}
        yield {kind: (pdf, pdf_pages(pdf)) for kind, pdf in documents.items()}


def content(page: Page) -> Box:
    return page.less(*MARGINS)


def footer(page: Page) -> Box:
    _top, side, bottom, _left = MARGINS
    return Box(mm(side), page.height - mm(bottom), page.width - mm(side), page.height - mm(PRINTER_EDGE))


def areas(page: Page) -> list[Box]:
    return [content(page), footer(page)]


@pytest.mark.parametrize("kind", ["summary", "copies", "batch"])
def test_every_word_and_line_stays_inside_the_margins(printed, kind):
    pdf, pages = printed[kind]
    assert_on_paper(pdf, pages, areas)


def test_signature_times_print_whole(printed):
    _, pages = printed["summary"]
    for _when, text in SIGNED:
        assert count(pages, text) >= 1, text
    assert count(pages, f"Podpisane {SIGNED[-1][1]}") == 1
    assert count(pages, NOTARISED[1]) == 1
    # Each time is one word (HH:MM), not a clipped "20:1".
    words = [w.text.rstrip(".") for page in pages for w in page.words]
    for _when, text in SIGNED:
        assert text.split()[-1] in words


def test_long_names_and_addresses_print_whole(printed):
    _, pages = printed["summary"]
    for name in ORGANISATIONS:
        # In its party box, in the direction it gives, the one it receives, and its signature.
        assert count(pages, name) >= 4, name
    assert count(pages, f"Osoba kontaktowa: {LONG_NAME} (koordynatorka)") == MAX_PARTIES
    assert count(pages, f"Kontakt: {CONTACT}") == MAX_PARTIES
    assert count(pages, f"Reprezentant: {LONG_NAME}") == MAX_PARTIES
    assert count(pages, LONG_DESCRIPTION) == MAX_PARTIES
    assert count(pages, LONG_FAIR) == 1 and count(pages, f"Porozumienie nr {NUMBER}") >= 1
    assert count(pages, VERIFY_URL) == 1 and count(pages, CONTENT_HASH) == 1
    assert count(pages, LONG_WORD) >= MAX_PARTIES


def test_every_page_footer_names_the_agreement_and_the_copy(printed):
    _, pages = printed["copies"]
    first_pages = []
    for page in pages:
        foot = [w for w in page.words if w.box.top >= content(page).bottom]
        text = squeezed(" ".join(w.text for w in foot))
        assert squeezed(f"Porozumienie nr {NUMBER}") in text, page.number
        copy_for = next(o for o in ORGANISATIONS[:3] if squeezed(f"Egzemplarz dla: {o}") in text)
        if squeezed(page.text).startswith(squeezed(f"Egzemplarz dla: {copy_for}")):
            first_pages.append(copy_for)
    assert first_pages == list(ORGANISATIONS[:3])  # one copy per party, each headed with its name
    assert count(pages, REASON) == 3  # the annulment's reason, whole, on every copy


def test_the_batch_prints_every_copy_of_every_agreement(printed):
    _, pages = printed["batch"]
    headed = [page for page in pages if page.text.startswith("Egzemplarz dla: ")]  # a copy's first page
    assert len(headed) == 4
    assert count(headed, f"Egzemplarz dla: {LONG_ORGANISATION} · Organizacja pozarządowa") == 2  # head, foot
    for number in ("GZ/tczew/001", NUMBER):
        assert count(headed, f"Porozumienie nr {number}") == 4  # two copies' headings and footers


def test_a_layout_check_catches_a_clipped_time(tmp_path: Path):
    """The checks above fail on the bug they guard against: a time set on one line past the margin."""
    from weasyprint import HTML

    html = ('<style>@page { size: A4; margin: 12mm 14mm 18mm } p { white-space: nowrap }</style>'
            '<p style="margin-left: 150mm">14 października 2027, 20:13</p>')
    pdf = HTML(string=html).write_pdf()
    pages = pdf_pages(pdf)
    assert count(pages, "14 października 2027, 20:13") == 0  # past the paper's edge: "20:1" or less
    with pytest.raises(AssertionError, match="printed outside the printable area"):
        assert_on_paper(pdf, pages, areas)
