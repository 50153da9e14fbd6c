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
from app.fairs.trading import close_trading
from app.people.models import Participant
from app.reports.results import REVEAL_EVENT, fair_results
from tests.agreements.value_fair import fair_of_three
from tests.pdf_boxes import count, on_one_line, pdf_pages
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


# --- the social value (the scripted fair of tests/agreements/value_fair.py) ---------------------

@pytest.fixture
def valued(trading_fair: Fair, make_signed_agreement: Callable[..., Any], make_participant: Callable[..., Any],
           category: Callable[[str], int], organiser: Participant) -> Fair:
    """1 136,10 zł pledged in two agreements, 150 zł realised; trading closed."""
    fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    close_trading(organiser, trading_fair.id)
    return trading_fair


def _nbsp(text: str) -> str:
    return text.replace("\xa0", " ")


def test_the_results_page_shows_the_social_value(client: Any, login: Callable[[Participant], None], valued: Fair,
                                                 organiser: Participant) -> None:
    login(organiser)
    html = _nbsp(client.get(f"/f/{valued.slug}/admin/results").get_data(as_text=True))
    section = html.split('<section class="card" id="social-value">')[1].split("</main>")[0]  # the last section
    assert "Wartość społeczna" in section
    assert 'id="social-pledged">1 136 zł<' in section and 'id="social-realised">150 zł<' in section
    assert "13%" in section  # realised: 150 of 1 136,10 zł
    assert "nigdy ceny" in section and f'href="/f/{valued.slug}/admin/values"' in section
    assert "nie miał" not in section  # every obligation has an estimate
    by_category = section.split('id="social-by-category"')[1].split("</table>")[0]
    assert [row.split("</td>")[0] for row in by_category.split("<tr><td>")[1:]] == [
        "Sale i pomieszczenia", "Wolontariusze i czas", "Catering", "Szkolenia"]
    assert "<td class=\"num\">286 zł</td><td class=\"num\">0 zł</td>" in by_category  # 286,10 zł
    by_sector = section.split('id="social-by-sector"')[1].split("</table>")[0]
    assert "Organizacja pozarządowa</td><td class=\"num\">550 zł</td><td class=\"num\">150 zł</td>" in by_sector
    chart = section.split('class="chart grouped-bar-chart"')[1].split("</svg>")[0]
    assert "Zadeklarowana" in chart and "Zrealizowana" in chart and "400 zł" in chart
    # The key figures at the top.
    assert "Zadeklarowana wartość społeczna</dt><dd class=\"amount\">1 136 zł</dd>" in html


def test_the_results_count_the_obligations_without_an_estimate(client: Any, login: Callable[[Participant], None],
                                                               scripted: Scripted, organiser: Participant) -> None:
    login(organiser)  # the scripted fair's obligations say points only: none could be valued
    html = _nbsp(client.get(f"/f/{scripted.fair.slug}/admin/results").get_data(as_text=True))
    section = html.split('id="social-value"')[1].split("</main>")[0]
    assert 'id="social-pledged">0 zł<' in section
    assert "9 zobowiązań nie miało wyceny i liczy się jako 0 zł." in section
    assert "Żadna umowa nie ma jeszcze wartości społecznej." in section  # the chart


def test_the_report_pdf_shows_the_social_value(client: Any, login: Callable[[Participant], None], valued: Fair,
                                               organiser: Participant) -> None:
    login(organiser)
    pages = pdf_pages(client.get(f"/f/{valued.slug}/admin/results/report.pdf").data)
    assert count(pages[:1], "1 136 zł szacunkowa zadeklarowana wartość społeczna") == 1
    social = pages[next(i for i, p in enumerate(pages) if i and count([p], "Wartość społeczna")):]
    assert count(social, "Zadeklarowana wartość społeczna 1 136 zł") == 1
    assert count(social, "Zrealizowana wartość społeczna 150 zł") == 1
    assert count(social, "nigdy ceny") == 1 and count(social, "docs/social-value.md") == 1
    # The chart's bars and the table's row.
    assert count(social, "Catering 400 zł 0 zł") == 2 and count(social, "Sale i pomieszczenia 150 zł 150 zł") == 2
    assert count(social, "Spółdzielnia socjalna 300 zł 0 zł") == 1
    assert on_one_line(social, "1 136 zł") >= 3  # the box and both tables' totals


def test_the_reveal_ends_on_the_agreements_and_their_social_value(client: Any, valued: Fair) -> None:
    html = _nbsp(client.get(f"/f/{valued.slug}/screen/{valued.display_token}/results").get_data(as_text=True))
    finale = html.split('<section class="r-finale')[1].split("</section>")[0]
    assert html.index('class="r-finale') > html.index('class="r-grid"')  # last on the screen
    assert 'data-count="2"' in finale and "zawarte umowy" in finale  # the two counted agreements
    value = finale.split('id="r-social-value"')[1]
    assert 'data-count="1136"' in value and "zł" in value and "szacunkowej wartości społecznej" in value
    delays = [int(d.split('"')[0]) for d in finale.split('data-delay="')[1:]]
    assert len(delays) == 2 and delays[0] < delays[1]  # counted up one after the other, last of all


def test_the_reveal_without_any_social_value_ends_on_the_agreements(client: Any, scripted: Scripted) -> None:
    fair = scripted.fair
    html = client.get(f"/f/{fair.slug}/screen/{fair.display_token}/results").get_data(as_text=True)
    finale = html.split('<section class="r-finale')[1].split("</section>")[0]
    assert 'data-count="5"' in finale and 'id="r-social-value"' not in finale
