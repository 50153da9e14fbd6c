"""Results: figures of a scripted fair with known totals, the SVG charts, the page, the PDF report,
the reveal on the big screen and the event that switches the screen to it."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import event, select

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import ObligationData
from app.agreements.fulfilment import confirm_delivery
from app.agreements.models import Agreement, AgreementState, Obligation
from app.agreements.stats import sector_matrix as contracts_sector_matrix
from app.core.audit import AuditEvent
from app.core.errors import Conflict, Forbidden
from app.core.events import DomainEvent
from app.core.extensions import db
from app.core.transactions import transaction
from app.door.checkin import check_in
from app.fairs.models import Fair, FairState
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import hide_post, mark_post_taken, withdraw_post
from app.people.models import Participant
from app.people.sectors import Sector
from app.reports import charts
from app.reports.results import REVEAL_EVENT, Results, fair_results, headline, reveal_results
from app.reports.results_report import result_charts
from tests.agreements import conftest as contract_fixtures

make_signed_agreement = contract_fixtures.make_signed_agreement
SVG = "{http://www.w3.org/2000/svg}"

# The fair's day in Tczew: trading from 10:00 to 11:00 local time (09:00–10:00 UTC).
OPENED = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
CLOSED = OPENED + timedelta(minutes=60)
NOW = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)  # six days later, 12:00 in Warsaw


@dataclass
class Scripted:
    fair: Fair
    people: dict[str, Participant]
    agreements: dict[str, Agreement]


@pytest.fixture
def scripted(trading_fair: Fair, organiser: Participant, notary: Participant,
             make_participant: Callable[..., Participant], make_post: Callable[..., Post],
             make_draft: Callable[..., Any], make_signed_agreement: Callable[..., Agreement],
             category: Callable[[str], int]) -> Scripted:
    """Ten people from eight organisations (the organiser's and the notary's included), six of them
    checked in; five counted agreements, one annulled, one draft, one awaiting the notary."""
    fid = trading_fair.id

    def person(key: str, first: str, organisation: str, sector: Sector) -> Participant:
        return make_participant(first, f"Nowak-{key}", organisation=organisation, sector=sector)

    p = {
        "a1": person("a1", "Łucja", "Fundacja Łąka", Sector.NGO),
        "a2": person("a2", "Żaneta", "Fundacja Łąka", Sector.NGO),
        "b1": person("b1", "Bożena", "Stowarzyszenie Źródło", Sector.NGO),
        "c1": person("c1", "Czesław", "Piekarnia Żak", Sector.BUSINESS),
        "c2": person("c2", "Cyprian", "Piekarnia Żak", Sector.BUSINESS),
        "d1": person("d1", "Dorota", "Spółdzielnia Socjalna Pszczółka", Sector.SOCIAL_COOPERATIVE),
        "e1": person("e1", "Edyta", "Miejska Biblioteka", Sector.PUBLIC),
        "f1": person("f1", "Zofia", "Zofia Ślązak", Sector.RESIDENT),
    }
    for key in ("a1", "b1", "c1", "c2", "d1", "f1"):
        check_in(organiser, fid, p[key].badge_code)

    make_post(p["a1"], "Sala na 30 osób", PostKind.OFFER, "rooms")
    make_post(p["a2"], "Sala gimnastyczna", PostKind.OFFER, "rooms")
    make_post(p["b1"], "Sala na próby chóru", PostKind.NEED, "rooms")
    make_post(p["c1"], "Catering na 50 osób — żurek", PostKind.OFFER, "catering")
    make_post(p["d1"], "Promocja w lokalnej prasie", PostKind.NEED, "promotion")
    make_post(p["e1"], "Wolontariusze do festynu", PostKind.NEED, "volunteers")
    art = make_post(p["f1"], "Zajęcia plastyczne dla dzieci", PostKind.OFFER, "art_classes")
    taken = make_post(p["e1"], "Szkolenie z RODO", PostKind.OFFER, "trainings")
    mark_post_taken(p["e1"], fid, taken.id)  # taken: still counted
    withdrawn = make_post(p["c2"], "Mikser planetarny", PostKind.OFFER, "equipment")
    withdraw_post(p["c2"], fid, withdrawn.id)  # withdrawn: not counted
    hidden = make_post(p["b1"], "Naprawa komputerów za 100 zł", PostKind.OFFER, "it_service")
    hide_post(organiser, fid, hidden.id, "Pieniądze są tabu")  # hidden: not counted

    def ob(giver: str, receiver: str, text: str, points: int, key: str | None = None,
           post_id: int | None = None) -> ObligationData:
        return ObligationData(p[giver].organisation_id, p[receiver].organisation_id, text, points=points,
                              category_id=category(key) if key else None, post_id=post_id)

    a = {
        "1": make_signed_agreement(p["a1"], p["c1"], obligations=[
            ob("a1", "c1", "Sala na szkolenie", 30, "rooms"), ob("c1", "a1", "Catering na zebranie", 40, "catering")]),
        "2": make_signed_agreement(p["a2"], p["d1"], obligations=[
            ob("a2", "d1", "Sala na warsztaty", 20, "rooms"), ob("d1", "a2", "Ulotki o fundacji", 10, "promotion")]),
        "3": make_signed_agreement(p["e1"], p["f1"], obligations=[
            ob("f1", "e1", "Zajęcia plastyczne w bibliotece", 15, post_id=art.id),
            ob("e1", "f1", "Podziękowanie na stronie", 0)]),
        "4": make_signed_agreement(p["b1"], p["a1"], obligations=[ob("b1", "a1", "Sala na próby", 25, "rooms")]),
        "5": make_signed_agreement(parties=[p["c1"], p["d1"], p["e1"]], obligations=[
            ob("c1", "d1", "Drożdżówki na festyn", 12, "catering"), ob("d1", "e1", "Plakaty", 8, "promotion")]),
        "annulled": make_signed_agreement(p["b1"], p["c2"], obligations=[ob("b1", "c2", "Sala", 50, "rooms")]),
        "waiting": make_signed_agreement(p["a1"], p["e1"], notarise_it=False),
    }
    annul_by_organiser(organiser, fid, a["annulled"].id, "Pomyłka w stronach")
    make_draft(p["a1"], p["f1"])  # a draft: not counted

    # Follow-up: two obligations confirmed by their receivers.
    first = a["4"].obligations[0]  # b1 -> a1 (its only one: the agreement becomes fulfilled)
    confirm_delivery(p["a1"], fid, first.id)
    second = a["1"].obligations[0]  # a1 -> c1
    confirm_delivery(p["c1"], fid, second.id)
    close_trading(organiser, fid)

    # The clock: trading 10:00–11:00 local; signings at +5, +12, +14, +38 minutes and one the notary
    # completed at +65 (after the gong); confirmations late on the fair's day and just after
    # midnight (Warsaw) three days later — still day 2 in UTC.
    with transaction():
        fair = db.session.get_one(Fair, fid)
        fair.trading_started_at, fair.trading_ended_at = OPENED, CLOSED
        for key, minutes in (("1", 5), ("2", 12), ("3", 14), ("4", 38), ("5", 65)):
            db.session.get_one(Agreement, a[key].id).signed_at = OPENED + timedelta(minutes=minutes)
        db.session.get_one(Obligation, first.id).confirmed_at = datetime(2026, 3, 14, 17, 0, tzinfo=UTC)
        db.session.get_one(Obligation, second.id).confirmed_at = datetime(2026, 3, 16, 23, 30, tzinfo=UTC)
    db.session.expire_all()
    return Scripted(db.session.get_one(Fair, fid), p, {k: db.session.get_one(Agreement, v.id)
                                                         for k, v in a.items()})


def by_key(results: Results) -> dict[str, Any]:
    return {c.name: c for c in results.categories}


# --- figures -----------------------------------------------------------------------------------

def test_people_organisations_and_check_ins(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    # The eight people above, the organiser (Starostwo, public) and the notary (an NGO).
    assert r.participants == 10
    assert r.organisations == 8
    assert r.checked_in == 6
    assert r.organisations_present == 5
    sectors = {s.sector: (s.participants, s.organisations, s.checked_in) for s in r.sectors}
    assert sectors == {
        Sector.NGO: (4, 3, 2),
        Sector.PUBLIC: (2, 2, 0),
        Sector.BUSINESS: (2, 1, 2),
        Sector.SOCIAL_COOPERATIVE: (1, 1, 1),
        Sector.INFORMAL_GROUP: (0, 0, 0),
        Sector.RESIDENT: (1, 1, 1),
    }
    assert [s.sector for s in r.sectors] == list(Sector)
    # The headline speaks of everyone registered: ten people from eight organisations.
    assert (r.headline_people, r.headline_organisations) == (10, 8)


def test_offers_and_needs_per_category(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert (r.offers, r.needs) == (5, 3)
    posts = {c.name: (c.offers, c.needs) for c in r.categories if c.posts}
    assert posts == {"Sale i pomieszczenia": (2, 1), "Wolontariusze i czas": (0, 1), "Catering": (1, 0),
                     "Promocja": (0, 1), "Zajęcia artystyczne": (1, 0), "Szkolenia": (1, 0)}
    assert len(r.categories) == 12  # every category, zeros included


def test_agreements_value_and_matrix(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.agreements == 5  # annulled, draft and awaiting the notary left out
    assert r.agreements_fulfilled == 1
    assert r.organisations_with_agreements == 6
    assert r.cross_sector_agreements == 4
    assert r.obligations == 9
    assert r.obligations_confirmed == 2
    assert r.uncategorised_obligations == 1
    assert r.points_pledged == 30 + 40 + 20 + 10 + 15 + 0 + 25 + 12 + 8 == 160
    assert r.points_confirmed == 25 + 30
    assert r.fulfilment_rate == pytest.approx(2 / 9)
    m = r.sector_matrix
    assert m[Sector.NGO][Sector.BUSINESS] == m[Sector.BUSINESS][Sector.NGO] == 1
    assert m[Sector.NGO][Sector.SOCIAL_COOPERATIVE] == 1
    assert m[Sector.PUBLIC][Sector.RESIDENT] == 1
    assert m[Sector.NGO][Sector.NGO] == 1
    assert m[Sector.BUSINESS][Sector.SOCIAL_COOPERATIVE] == m[Sector.BUSINESS][Sector.PUBLIC] == 1
    assert m[Sector.SOCIAL_COOPERATIVE][Sector.PUBLIC] == 1
    assert sum(sum(row.values()) for row in m.values()) == 2 * 6 + 1  # six pairs both ways, one diagonal
    # The same picture as the live screen's.
    assert {a.value: {b.value: n for b, n in row.items()} for a, row in m.items()} == \
        contracts_sector_matrix(scripted.fair.id)
    assert r.matrix_rows()[0] == [1, 0, 1, 1, 0, 0]  # NGO with NGO, business, social cooperative


def test_top_categories(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    cats = by_key(r)
    rooms = cats["Sale i pomieszczenia"]
    assert (rooms.agreements, rooms.obligations, rooms.points) == (3, 3, 75)
    assert (cats["Catering"].agreements, cats["Catering"].points) == (2, 52)
    assert (cats["Promocja"].agreements, cats["Promocja"].points) == (2, 18)
    # Found through the post it answers.
    assert (cats["Zajęcia artystyczne"].agreements, cats["Zajęcia artystyczne"].points) == (1, 15)
    assert [c.name for c in r.top_by_agreements] == [
        "Sale i pomieszczenia", "Catering", "Promocja", "Zajęcia artystyczne"]  # ties: listed first
    assert [c.name for c in r.top_by_posts] == [
        "Sale i pomieszczenia", "Wolontariusze i czas", "Catering", "Promocja", "Zajęcia artystyczne"]


def test_agreements_per_ten_minutes(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.bucket_minutes == 10
    assert [(b.minute, b.agreements) for b in r.timeline] == [(0, 1), (10, 2), (20, 0), (30, 1), (40, 0), (50, 0)]
    assert r.timeline[1].start == OPENED + timedelta(minutes=10)
    assert r.signed_after_closing == 1 and r.signed_before_opening == 0
    assert sum(b.agreements for b in r.timeline) + r.signed_after_closing == r.agreements


def test_timeline_while_trading_runs_to_now(trading_fair: Fair, make_signed_agreement: Callable[..., Agreement]
                                            ) -> None:
    agreement = make_signed_agreement()
    start = trading_fair.trading_started_at
    assert start is not None
    r = fair_results(db.session.get_one(Fair, trading_fair.id), now=start + timedelta(minutes=25))
    assert [b.minute for b in r.timeline] == [0, 10, 20]
    assert r.timeline[0].agreements == 1 and agreement.signed_at is not None
    assert r.fulfilment == ()  # only after the fair


def test_long_windows_use_wider_buckets(trading_fair: Fair) -> None:
    start = trading_fair.trading_started_at
    assert start is not None
    r = fair_results(db.session.get_one(Fair, trading_fair.id), now=start + timedelta(hours=20))
    assert len(r.timeline) <= 48 and r.bucket_minutes % 10 == 0 and r.bucket_minutes > 10


def test_fulfilment_rate_by_local_day(scripted: Scripted) -> None:
    r = fair_results(scripted.fair, now=NOW)
    assert r.fair_day == date(2026, 3, 14)
    # 17:00 UTC on the 14th is day 0; 23:30 UTC on the 16th is 00:30 on the 17th in Warsaw: day 3.
    assert [(d.day, d.confirmed) for d in r.fulfilment] == [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 2)]
    assert r.fulfilment[0].rate == pytest.approx(1 / 9)
    assert r.fulfilment[-1].rate == pytest.approx(2 / 9)
    assert r.fulfilment[-1].date == date(2026, 3, 20)


def test_a_fair_with_nothing_yet(fair: Fair) -> None:
    r = fair_results(fair)
    assert (r.participants, r.organisations, r.agreements, r.points_pledged) == (0, 0, 0, 0)
    assert r.timeline == () and r.fulfilment == () and r.fulfilment_rate is None
    assert r.top_by_agreements == () and r.top_by_posts == ()
    for svg in vars(result_charts(r)).values():
        ET.fromstring(str(svg))


def test_the_number_of_queries_does_not_grow_with_the_fair(scripted: Scripted, make_signed_agreement:
                                                           Callable[..., Agreement]) -> None:
    def queries() -> int:
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        db.session.expire_all()
        fair = db.session.get_one(Fair, scripted.fair.id)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            fair_results(fair, now=NOW)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    before = queries()
    with transaction():
        db.session.get_one(Fair, scripted.fair.id).state = FairState.TRADING
    for _ in range(3):
        make_signed_agreement(fair=scripted.fair)
    with transaction():
        db.session.get_one(Fair, scripted.fair.id).state = FairState.CLOSED
    assert fair_results(db.session.get_one(Fair, scripted.fair.id), now=NOW).agreements == 8
    assert queries() == before <= 8


# --- sentences ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("people", "organisations", "agreements", "polish", "english"), [
    (157, 78, 101, "157 osób z 78 organizacji zawarło 101 umów.",
     "157 people from 78 organisations closed 101 agreements."),
    (1, 1, 1, "1 osoba z 1 organizacji zawarła 1 umowę.", "1 person from 1 organisation closed 1 agreement."),
    (22, 3, 24, "22 osoby z 3 organizacji zawarły 24 umowy.",
     "22 people from 3 organisations closed 24 agreements."),
    (12, 5, 112, "12 osób z 5 organizacji zawarło 112 umów.",
     "12 people from 5 organisations closed 112 agreements."),
])
def test_headline_in_polish_and_english(app: Any, people: int, organisations: int, agreements: int,
                                        polish: str, english: str) -> None:
    figures = SimpleNamespace(headline_people=people, headline_organisations=organisations, agreements=agreements)
    with app.test_request_context(), force_locale("pl"):
        assert headline(figures) == polish  # type: ignore[arg-type]
    with app.test_request_context(), force_locale("en"):
        assert headline(figures) == english  # type: ignore[arg-type]


# --- charts ------------------------------------------------------------------------------------

def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) if t.find(f"{SVG}title") is None else (t.find(f"{SVG}title").tail or "")
            for t in root.iter(f"{SVG}text")]


def test_charts_of_the_scripted_fair(app: Any, scripted: Scripted) -> None:
    with app.test_request_context(), force_locale("pl"):
        r = fair_results(scripted.fair, now=NOW)
        made = result_charts(r)
    organisations = texts(str(made.organisations))
    assert organisations[:2] == ["Organizacja pozarządowa", "3"]
    assert "Spółdzielnia socjalna" in organisations and "Mieszkaniec" in organisations[-2]
    categories = texts(str(made.categories))
    assert categories[:2] == ["Oferty", "Potrzeby"]
    assert categories[2:5] == ["Sale i pomieszczenia", "2", "1"]
    matrix = ET.fromstring(str(made.matrix))
    cells = [t.text for t in matrix.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert cells == [str(v) for row in r.matrix_rows() for v in row]
    timeline = texts(str(made.timeline))
    assert "10:00" in timeline and "10:10" in timeline  # local clock times under the bars
    assert "2" in timeline
    fulfilment = texts(str(made.fulfilment))
    assert "22%" in fulfilment or "22 %" in fulfilment  # the last value: 2 of 9
    assert "dni od giełdy" in fulfilment
    for svg in vars(made).values():  # fills are sector colours or chart colours, never text
        for el in ET.fromstring(str(svg)).iter():
            if "fill" in el.attrib:
                assert el.attrib["fill"] == "none" or el.attrib["fill"].startswith("#")


def test_sector_colours_in_the_bar_chart(app: Any, scripted: Scripted) -> None:
    with app.test_request_context():
        made = result_charts(fair_results(scripted.fair, now=NOW))
    fills = [r.attrib["fill"] for r in ET.fromstring(str(made.organisations)).iter(f"{SVG}rect")]
    assert fills == ["#f5c400", "#2f6fbf", "#ffffff", "#3a9d4a", "#e0702a", "#8e5bb5"]


def test_chart_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & Co'
    svg = charts.bar_chart([charts.Bar(nasty, 3, "#f5c400")], title=nasty)
    root = ET.fromstring(str(svg))
    assert root.find(f"{SVG}title").text == nasty
    assert "<script>" not in str(svg)
    grouped = charts.grouped_bar_chart([charts.Group(nasty, (1, 2))], [charts.Series("a&b", "#000000"),
                                                                       charts.Series("<c>", "#ffffff")],
                                       title="t")
    ET.fromstring(str(grouped))
    table = charts.heat_table([nasty, "b"], ["#000", "#fff"], [[1, 0], [0, 2]], title="t")
    ET.fromstring(str(table))
    with pytest.raises(ValueError):
        charts.bar_chart([charts.Bar("x", 1, 'red" onload="x')], title="t")


def test_histogram_and_line_chart_shapes() -> None:
    bins = [charts.Bin(f"{10 + i // 6}:{i % 6}0", i % 4) for i in range(48)]
    svg = ET.fromstring(str(charts.histogram(bins, title="t")))
    bars = [r for r in svg.iter(f"{SVG}rect")]
    assert len(bars) == 48
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and ":" in t.text]
    assert 1 < len(labels) < 48  # not every label has room
    line = ET.fromstring(str(charts.line_chart([charts.Point(0, 0.1), charts.Point(3, 0.5)], title="t",
                                               y_format=lambda v: f"{v:.0%}")))
    assert line.find(f"{SVG}polyline") is not None
    assert "50%" in [t.text for t in line.iter(f"{SVG}text")]
    assert charts.nice_step(7) == 2 and charts.nice_step(3) == 1 and charts.nice_step(160) == 50


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


def test_revealing_needs_closed_trading_and_an_organiser(trading_fair: Fair, organiser: Participant,
                                                         make_participant: Callable[..., Participant]) -> None:
    with pytest.raises(Conflict) as err:
        reveal_results(organiser, trading_fair.id)
    assert err.value.code == "not_closed"
    close_trading(organiser, trading_fair.id)
    with pytest.raises(Forbidden) as denied:
        reveal_results(make_participant(), trading_fair.id)
    assert denied.value.code == "forbidden_role"
    evt = reveal_results(organiser, trading_fair.id)
    assert evt.type == REVEAL_EVENT and evt.seq == db.session.get_one(Fair, trading_fair.id).event_seq


def test_reveal_refused_while_trading_is_flashed(client: Any, login: Callable[[Participant], None],
                                                 trading_fair: Fair, organiser: Participant) -> None:
    login(organiser)
    r = client.post(f"/f/{trading_fair.slug}/admin/results/reveal", follow_redirects=True)
    assert "po zakończeniu wymiany" in r.get_data(as_text=True)
    assert db.session.scalar(select(DomainEvent).where(DomainEvent.type == REVEAL_EVENT)) is None


def test_screen_script_follows_the_reveal_event(app: Any) -> None:
    from app.core.paths import ROOT

    script = (ROOT / "static/js/screen.js").read_text()
    assert '"fair.results_revealed"' in script and '"/results"' in script


def test_states_counted(scripted: Scripted) -> None:
    states = {k: a.state for k, a in scripted.agreements.items()}
    assert states["annulled"] == AgreementState.ANNULLED
    assert states["waiting"] == AgreementState.AWAITING_SIGNATURES
    assert states["4"] == AgreementState.FULFILLED
