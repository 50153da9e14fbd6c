"""The network's results page (app/reports/views/network_results.py): the network's coordinator
only; the per-fair table as CSV and XLSX."""

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
from tests.reports import network_fair
from tests.reports.network_fair import Network

make_signed_agreement, network = network_fair.make_signed_agreement, network_fair.network  # fixtures


def test_the_coordinator_sees_the_network_results(client: Any, login: Callable[[Participant], None],
                                                  network: Network) -> None:
    login(network.coordinator)
    r = client.get("/f/tczew/admin/network/results")
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
    assert 'href="/f/tczew/admin/network/results"' in client.get("/f/tczew/admin/points/network").get_data(as_text=True)


def test_the_per_fair_table_downloads(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    login(network.coordinator)
    r = client.get("/f/tczew/admin/network/results/fairs.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Giełda;Data;Członkowie;Nowi;") and len(lines) == 3
    r = client.get("/f/tczew/admin/network/results/fairs.xlsx")
    assert r.status_code == 200 and r.data[:2] == b"PK"


def test_an_ordinary_organiser_is_refused(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    login(network.organiser_b)
    assert client.get("/f/pelplin/admin/network/results").status_code == 403
    assert client.get("/f/pelplin/admin/network/results/fairs.csv").status_code == 403


def test_the_per_fair_csv_neutralises_a_fair_name_that_starts_like_a_formula(
        client: Any, login: Callable[[Participant], None], network: Network) -> None:
    with transaction():
        db.session.get_one(Fair, network.second.id).name = "=HYPERLINK(\"http://evil.example\")"
    login(network.coordinator)
    rows = list(csv.reader(io.StringIO(client.get("/f/tczew/admin/network/results/fairs.csv")
                                       .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert "'=HYPERLINK(\"http://evil.example\")" in [row[0] for row in rows]


def test_the_results_count_partnerships(client: Any, login: Callable[[Participant], None], network: Network) -> None:
    members = db.session.scalars(select(Member.id).where(Member.merged_into_id.is_(None)).order_by(Member.id)
                                 .limit(4)).all()
    record_partnership(network.coordinator, PartnershipData(
        purpose="Wspólne pikniki", starts_on=date(2026, 3, 1), lead_member_id=members[0],
        partners=[PartnerData(m) for m in members]))
    login(network.coordinator)
    html = client.get("/f/tczew/admin/network/results").get_data(as_text=True)
    section = html[html.index('id="net-partnerships"'):]
    assert "Partnerstwa" in section and "4 lub więcej członków" in section
    assert "Partnerstwa między sektorami" in section
