"""The results pages (app/reports/views/results.py): the organiser's page, the PDF report, the reveal
on the big screen."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.core.storage.events import DomainEvent
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.people.models import Participant
from app.reports.results import REVEAL_EVENT, fair_results
from tests.reports import results_fair
from tests.reports.results_fair import NOW, Scripted

make_signed_agreement, scripted = results_fair.make_signed_agreement, results_fair.scripted  # fixtures

# --- pages -------------------------------------------------------------------------------------

def test_results_page_for_the_organiser(client: Any, login: Callable[[Participant], None], scripted: Scripted,
                                        organiser: Participant) -> None:
    login(organiser)
    r = client.get(f"/f/{scripted.fair.slug}/admin/results")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Wyniki" in html
    assert "10 osób z 8 organizacji zawarło 5 umów." in html
    assert html.count("<svg") >= 6
    assert "Pokaż wyniki na dużym ekranie" in html  # trading is closed
    assert f"/f/{scripted.fair.slug}/admin/results/report.pdf" in html
    # The menu links to the page.
    assert f'href="/f/{scripted.fair.slug}/admin/results"' in client.get(f"/f/{scripted.fair.slug}/me").get_data(
        as_text=True)


def test_no_reveal_button_while_trading(client: Any, login: Callable[[Participant], None], trading_fair: Fair,
                                        organiser: Participant) -> None:
    login(organiser)
    html = client.get(f"/f/{trading_fair.slug}/admin/results").get_data(as_text=True)
    assert "Pokaż wyniki na dużym ekranie" not in html
    assert "wstępne" in html  # provisional


@pytest.mark.parametrize("path", ["/admin/results", "/admin/results/report.pdf"])
def test_results_are_for_organisers(client: Any, login: Callable[[Participant], None], fair: Fair,
                                    make_participant: Callable[..., Participant], notary: Participant,
                                    path: str) -> None:
    anonymous = client.get(f"/f/{fair.slug}{path}")
    assert anonymous.status_code in (302, 303) and f"/f/{fair.slug}/login" in anonymous.headers["Location"]
    login(make_participant())
    assert client.get(f"/f/{fair.slug}{path}").status_code == 403
    login(notary)
    assert client.get(f"/f/{fair.slug}{path}").status_code == 403
    assert client.post(f"/f/{fair.slug}/admin/results/reveal").status_code == 403


def test_an_organiser_of_another_fair_is_refused(client: Any, login: Callable[[Participant], None], fair: Fair,
                                                 make_fair: Callable[..., Fair],
                                                 make_participant: Callable[..., Participant]) -> None:
    from app.fairs.roles import Role

    other = make_fair()
    login(make_participant(role=Role.ORGANISER, fair_id=other.id))
    assert client.get(f"/f/{fair.slug}/admin/results").status_code == 403


def pdf_text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "results.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode().split())


def test_report_pdf(client: Any, login: Callable[[Participant], None], scripted: Scripted,
                    organiser: Participant, tmp_path: Any) -> None:
    login(organiser)
    r = client.get(f"/f/{scripted.fair.slug}/admin/results/report.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    assert "private" in r.headers["Cache-Control"]
    text = pdf_text(r.data, tmp_path)
    assert "Giełda Zasobów Tczew" in text
    assert "10 osób z 8 organizacji zawarło 5 umów." in text
    assert "Raport z wyników" in text, text
    for label in ("Organizacja pozarządowa", "Spółdzielnia socjalna", "Sale i pomieszczenia",
                  "Kto z kim zawierał umowy", "Wskaźnik realizacji", "dni od giełdy"):
        assert label in text, label
    assert "160" in text  # points pledged
    pages = subprocess.run(["pdfinfo", str(tmp_path / "results.pdf")], check=True, capture_output=True).stdout
    assert b"Pages:" in pages and int(pages.split(b"Pages:")[1].split()[0]) >= 4
    # Charts included, every text is set in the report's own embedded font, nothing else.
    fonts = subprocess.run(["pdffonts", str(tmp_path / "results.pdf")], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert {line.split()[0].split("+")[1] for line in fonts} == {"Report-Sans", "Report-Sans-Bold"}
    assert all(line.split()[-5] == "yes" for line in fonts)  # embedded


# --- the reveal --------------------------------------------------------------------------------

def test_reveal_page_with_the_display_token(client: Any, scripted: Scripted) -> None:
    fair = scripted.fair
    assert client.get(f"/f/{fair.slug}/screen/wrong-token/results").status_code == 404
    assert client.get(f"/f/nope/screen/{fair.display_token}/results").status_code == 404
    r = client.get(f"/f/{fair.slug}/screen/{fair.display_token}/results")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "10 osób z 8 organizacji zawarło 5 umów." in html
    assert 'data-count="10"' in html and 'data-count="5"' in html and 'data-count="160"' in html
    assert "Sale i pomieszczenia" in html and "3 umowy" in html  # the top category
    assert ET.fromstring(html.split('<section class="r-panel r-matrix">')[1].split("</h2>")[1]
                         .split("</section>")[0].strip())  # the matrix: well-formed SVG
    assert f'/f/{fair.slug}/screen/{fair.display_token}"' in html  # the way back to the live screen


def test_revealing_records_an_event_for_the_screen(client: Any, login: Callable[[Participant], None],
                                                   scripted: Scripted, organiser: Participant) -> None:
    fair = scripted.fair
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/results/reveal")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/f/{fair.slug}/admin/results")
    events = list(db.session.scalars(select(DomainEvent).where(DomainEvent.fair_id == fair.id,
                                                               DomainEvent.type == REVEAL_EVENT)))
    assert len(events) == 1
    evt = events[0]
    assert evt.participant_id is None  # to the screen room (and the fair's)
    assert fair.display_token not in str(evt.payload)  # the display link never leaves the screen
    assert "Duży ekran pokazuje teraz wyniki." in client.get(f"/f/{fair.slug}/admin/results").get_data(as_text=True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "results.reveal_results"))
    assert audit is not None and audit.actor_id == organiser.id and audit.fair_id == fair.id


def test_target_number_of_agreements(client: Any, login: Callable[[Participant], None], scripted: Scripted,
                                     organiser: Participant) -> None:
    assert fair_results(scripted.fair, now=NOW).target_reached is None
    with transaction():
        db.session.get_one(Fair, scripted.fair.id).target_agreements = 4
    r = fair_results(db.session.get_one(Fair, scripted.fair.id), now=NOW)
    assert (r.target_agreements, r.target_reached) == (4, 1.25)
    login(organiser)
    html = client.get(f"/f/{scripted.fair.slug}/admin/results").get_data(as_text=True)
    assert "Docelowa liczba umów" in html
    assert "125%" in html
    reveal = client.get(f"/f/{scripted.fair.slug}/screen/{scripted.fair.display_token}/results")
    assert "cel: 4" in reveal.get_data(as_text=True)


def test_reveal_refused_while_trading_is_flashed(client: Any, login: Callable[[Participant], None],
                                                 trading_fair: Fair, organiser: Participant) -> None:
    login(organiser)
    r = client.post(f"/f/{trading_fair.slug}/admin/results/reveal", follow_redirects=True)
    assert "po zakończeniu wymiany" in r.get_data(as_text=True)
    assert db.session.scalar(select(DomainEvent).where(DomainEvent.type == REVEAL_EVENT)) is None
