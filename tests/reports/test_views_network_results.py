"""The network's results page (app/reports/views/network_results.py): the network's coordinator
only; of all years or of one (`?year=`); the same as a PDF; the per-fair table as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.network.models import Member
from app.partnerships.records import PartnerData, PartnershipData, record_partnership
from app.people.models import Participant
from tests.agreements.value_fair import fair_of_three
from tests.pdf_boxes import all_text, count, on_one_line, pdf_pages
from tests.reports import network_fair
from tests.reports.network_fair import Network

make_signed_agreement, network = network_fair.make_signed_agreement, network_fair.network  # fixtures
years_network = network_fair.years_network


def test_the_coordinator_sees_the_network_results(client: Any, login: Callable[[Participant], None],
                                                  network: Network) -> None:
    login(network.coordinator)
    r = client.get("/f/siec/admin/network/results")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for polish in ("Wyniki sieci", "Członkowie i umowy na kolejnych giełdach", "Nowi", "Stali partnerzy",
                   "Najaktywniejsi członkowie", "Kto wymienia się z kim", "Punkty w obiegu", "luty 2026",
                   "marzec 2026"):
        assert polish in html, polish
    assert "Giełda Zasobów Pelplin" in html and "33%" in html.replace("\xa0", "") and "67%" in html.replace("\xa0", "")
    # The picture: well-formed SVG, a dot per member with agreements, a line per pair.
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart network-graph"')
    svg = ET.fromstring(html[start:html.index("</svg>", start) + 6])
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}circle")) == 4 and len(svg.findall(f"{ns}path")) == 3
    assert "style=" not in html.split("<main", 1)[1] and "<script>" not in html.split("<main", 1)[1]
    # The ledger's network page links to it.
    assert 'href="/f/siec/admin/network/results"' in client.get("/f/siec/admin/points/network").get_data(as_text=True)


def test_the_per_fair_table_downloads(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    login(network.coordinator)
    r = client.get("/f/siec/admin/network/results/fairs.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Giełda;Data;Członkowie;Nowi;") and len(lines) == 3
    r = client.get("/f/siec/admin/network/results/fairs.xlsx")
    assert r.status_code == 200 and r.data[:2] == b"PK"


def test_an_ordinary_organiser_is_refused(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    login(network.organiser_b)
    assert client.get("/f/pelplin/admin/network/results").status_code == 403
    assert client.get("/f/pelplin/admin/network/results/fairs.csv").status_code == 403
    assert client.get("/f/pelplin/admin/network/results.pdf").status_code == 403
    assert client.get("/f/pelplin/admin/network/results.pdf?year=2026").status_code == 403


def _table(html: str, table_id: str) -> ET.Element:
    start = html.index(f'<table class="table" id="{table_id}">')
    return ET.fromstring(html[start:html.index("</table>", start) + 8].replace("&nbsp;", " ").replace("<wbr>", ""))


def _rows(table: ET.Element) -> list[list[str]]:
    return [["".join(cell.itertext()).strip() for cell in row] for row in table.iter("tr")][1:]


def test_the_years_and_one_year(client: Any, login: Callable[[Participant], None], years_network: Network) -> None:
    login(years_network.coordinator)
    html = client.get("/f/siec/admin/network/results").get_data(as_text=True)
    years = _rows(_table(html, "net-years"))
    assert [row[:5] for row in years] == [["2025", "1", "5", "5", "2"], ["2026", "2", "5", "3", "2"]]
    assert [row[-2:] for row in years] == [["0", "0"], ["3", "50"]]
    assert 'href="/f/siec/admin/network/results?year=2026"' in html  # a year's row links to it
    assert '<option value="2026">2026</option>' in html and 'class="chart stacked-columns"' in html
    assert 'href="/f/siec/admin/network/results.pdf"' in html
    assert len(_rows(_table(html, "net-fairs"))) == 3

    html = client.get("/f/siec/admin/network/results?year=2026").get_data(as_text=True)
    assert [row[0] for row in _rows(_table(html, "net-fairs"))] == ["Giełda Zasobów Pelplin", "Giełda Zasobów Gniew"]
    assert '<option value="2026" selected>' in html and "Giełdy z roku 2026" in html
    assert len(_rows(_table(html, "net-years"))) == 2  # every year still listed, the chosen one marked
    assert 'aria-current="true"' in html
    assert [row[0] for row in _rows(_table(html, "net-repeat"))] == ["Nie ma jeszcze stałych partnerów."]
    for download in ("results.pdf?year=2026", "results/fairs.csv?year=2026", "results/fairs.xlsx?year=2026"):
        assert f'href="/f/siec/admin/network/{download}"' in html, download
    lines = client.get("/f/siec/admin/network/results/fairs.csv?year=2025").get_data(as_text=True).splitlines()
    assert len(lines) == 2 and "Tczew" in lines[1]


def test_a_year_that_is_no_year_of_the_network(client: Any, login: Callable[[Participant], None],
                                               years_network: Network) -> None:
    login(years_network.coordinator)
    for asked in ("2019", "dwa tysiące", "2026x", "%C5%BC", "99999999999999999999", "<b>2026</b>"):
        r = client.get(f"/f/siec/admin/network/results?year={asked}")
        assert r.status_code == 200, asked
        html = r.get_data(as_text=True)
        assert 'id="net-unknown-year"' in html and "pokazujemy wszystkie lata" in html, asked
        assert len(_rows(_table(html, "net-fairs"))) == 3, asked
    assert "<b>2026</b>" not in client.get("/f/siec/admin/network/results?year=<b>2026</b>").get_data(as_text=True)
    plain = client.get("/f/siec/admin/network/results?year=").get_data(as_text=True)
    assert 'id="net-unknown-year"' not in plain
    r = client.get("/f/siec/admin/network/results.pdf?year=nonsense")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")


def test_the_results_as_a_pdf(client: Any, login: Callable[[Participant], None], years_network: Network) -> None:
    login(years_network.coordinator)
    r = client.get("/f/siec/admin/network/results.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "private, no-cache"
    assert "network-results-all-" in r.headers["Content-Disposition"]
    pages = pdf_pages(r.data)
    for polish in ("Sieć wymiany rok po roku", "Okres: 2025–2026", "Rok po roku", "Członkowie i umowy na kolejnych",
                   "Umowy między sektorami", "Kto wymienia się z kim", "Stali partnerzy", "Najaktywniejsi członkowie",
                   "luty 2026", "marzec 2026", "Giełda Zasobów Gniew"):
        assert count(pages, polish) >= 1, polish
    assert count(pages, "Fundacja Łąka") >= 2 and count(pages, "Piekarnia Żak") >= 2

    one = pdf_pages(client.get("/f/siec/admin/network/results.pdf?year=2025").data)
    text = all_text(one)
    assert count(one, "Sieć wymiany w roku 2025") == 1 and count(one, "Okres: 2025") == 1
    assert "Giełda Zasobów Tczew" in text and "Giełda Zasobów Pelplin" not in text
    assert count(one, "Spółdzielnia Pszczółka") >= 1


def test_the_per_fair_csv_neutralises_a_fair_name_that_starts_like_a_formula(
        client: Any, login: Callable[[Participant], None], network: Network) -> None:
    with transaction():
        db.session.get_one(Fair, network.second.id).name = "=HYPERLINK(\"http://evil.example\")"
    login(network.coordinator)
    rows = list(csv.reader(io.StringIO(client.get("/f/siec/admin/network/results/fairs.csv")
                                       .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert "'=HYPERLINK(\"http://evil.example\")" in [row[0] for row in rows]


def test_the_results_count_partnerships(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    members = db.session.scalars(select(Member.id).where(Member.merged_into_id.is_(None)).order_by(Member.id)
                                 .limit(4)).all()
    record_partnership(network.coordinator, PartnershipData(
        purpose="Wspólne pikniki", starts_on=date(2026, 3, 1), lead_member_id=members[0],
        partners=[PartnerData(m) for m in members]))
    login(network.coordinator)
    html = client.get(f"/f/{network.coordinator.fair.slug}/admin/network/results").get_data(as_text=True)
    section = html[html.index('id="net-partnerships"'):]
    assert "Partnerstwa" in section and "4 lub więcej członków" in section
    assert "Partnerstwa między sektorami" in section


def test_the_social_value_per_fair_and_of_the_period(client: Any, login: Callable[[Participant], None],
                                                     network: Network, make_signed_agreement: Any,
                                                     make_participant: Any, category: Any,
                                                     organiser: Participant) -> None:
    fair_of_three(make_signed_agreement, make_participant, category, organiser, network.first)
    login(network.coordinator)
    html = client.get("/f/siec/admin/network/results").get_data(as_text=True).replace("\xa0", " ")
    assert 'id="net-social-pledged">1 136 zł<' in html and 'id="net-social-realised">150 zł<' in html
    fairs = html.split('id="net-fairs"')[1].split("</table>")[0]
    tczew, pelplin = fairs.split("<tr>")[2:4]
    assert "Giełda Zasobów Tczew" in tczew and "<td class=\"num\">1 136 zł</td><td class=\"num\">150 zł</td>" in tczew
    assert "Giełda Zasobów Pelplin" in pelplin and "<td class=\"num\">0 zł</td><td class=\"num\">0 zł</td>" in pelplin
    section = html.split('id="net-social-value"')[1].split('<section class="card">')[0]
    assert "nigdy ceny" in section and 'href="/f/siec/admin/values"' in section
    assert "Catering" in section and "400 zł" in section  # the table by category

    pages = pdf_pages(client.get("/f/siec/admin/network/results.pdf").data)
    assert count(pages[:1], "1 136 zł szacunkowa zadeklarowana wartość społeczna") == 1
    assert count(pages, "Wartość społeczna na kolejnych giełdach") == 1
    assert count(pages, "Giełda Zasobów Tczew 4 1 136 zł 150 zł") == 1  # its agreements, pledged, realised
    assert on_one_line(pages, "1 136 zł") >= 4  # the title page, the box, both tables' totals
