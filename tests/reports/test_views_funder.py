"""The funder's report's downloads (app/reports/views/funder.py): a fair's for its organisers, the
network's (of all years or one) for the network's coordinator; linked from the results pages; a
year that is none, or none of the network's, answered with a Polish error page."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook

from app.core.output.spreadsheets import XLSX_MIMETYPE
from app.people.models import Participant
from tests.malformed import TEXT_VALUES
from tests.pdf_boxes import all_text, count, pdf_pages
from tests.reports import funder_fair as world
from tests.reports.funder_fair import FunderFair, FunderNetwork

make_signed_agreement, funder_fair, funder_network = (world.make_signed_agreement, world.funder_fair,  # fixtures
                                                       world.funder_network)

Login = Callable[[Participant], None]


def test_the_organiser_downloads_the_fairs_report(client: Any, login: Login, funder_fair: FunderFair) -> None:
    login(funder_fair.organiser)
    html = client.get("/f/tczew/admin/results").get_data(as_text=True)
    assert 'href="/f/tczew/admin/results/funder-report.pdf"' in html and "Raport dla grantodawcy (PDF)" in html
    assert 'href="/f/tczew/admin/results/funder-report.xlsx"' in html and "Raport dla grantodawcy (XLSX)" in html

    r = client.get("/f/tczew/admin/results/funder-report.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "private, no-cache"
    assert "funder-report-tczew-" in r.headers["Content-Disposition"]
    pages = pdf_pages(r.data)
    assert count(pages[:1], "Giełda Zasobów Tczew") >= 1 and "1 336 zł" in all_text(pages).replace("\xa0", " ")

    r = client.get("/f/tczew/admin/results/funder-report.xlsx")
    assert r.status_code == 200 and r.mimetype == XLSX_MIMETYPE
    assert r.headers["Content-Disposition"].startswith('attachment; filename="funder-report-tczew-')
    book = load_workbook(io.BytesIO(r.data))
    assert book["Umowy"]["B2"].value == 4  # agreements, as a number


def test_a_participant_gets_no_report(client: Any, login: Login, funder_fair: FunderFair) -> None:
    login(funder_fair.people["ngo"])
    for url in ("/f/tczew/admin/results/funder-report.pdf", "/f/tczew/admin/results/funder-report.xlsx"):
        assert client.get(url).status_code in (302, 303, 403), url


def test_the_coordinator_downloads_the_networks_report(client: Any, login: Login,
                                                      funder_network: FunderNetwork) -> None:
    login(funder_network.coordinator)
    slug = funder_network.coordinator.fair.slug
    html = client.get(f"/f/{slug}/admin/network/results?year=2025").get_data(as_text=True)
    assert f'href="/f/{slug}/admin/network/funder-report.pdf?year=2025"' in html
    assert f'href="/f/{slug}/admin/network/funder-report.xlsx?year=2025"' in html

    r = client.get(f"/f/{slug}/admin/network/funder-report.pdf?year=2025")
    assert r.status_code == 200 and "funder-report-network-2025-" in r.headers["Content-Disposition"]
    pages = pdf_pages(r.data)
    assert count(pages[:1], "Sieć wymiany w roku 2025") == 1
    r = client.get(f"/f/{slug}/admin/network/funder-report.xlsx")
    assert r.status_code == 200 and "funder-report-network-all-" in r.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(r.data))["Raport"]["B3"].value == "2025–2026"


def test_a_bad_year_is_said_in_polish(client: Any, login: Login, funder_network: FunderNetwork) -> None:
    login(funder_network.coordinator)
    slug = funder_network.coordinator.fair.slug
    for asked in ("20x6", "99999", "%C5%BC", "<b>2026</b>"):
        for kind in ("pdf", "xlsx"):
            r = client.get(f"/f/{slug}/admin/network/funder-report.{kind}?year={asked}")
            html = r.get_data(as_text=True)
            assert r.status_code == 400 and "Rok trzeba podać czterema cyframi" in html, (asked, kind)
            assert "<b>2026</b>" not in html
    # The malformed-request test's values (that test reaches no page of the coordinator's):
    for asked in [v for v in TEXT_VALUES if v]:
        r = client.get(f"/f/{slug}/admin/network/funder-report.xlsx", query_string={"year": asked})
        assert r.status_code in (400, 422) and "Przepraszamy" in r.get_data(as_text=True), repr(asked)
    r = client.get(f"/f/{slug}/admin/network/funder-report.pdf?year=2019")
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "W roku 2019 sieć nie zorganizowała żadnej giełdy" in html and "2025, 2026" in html


def test_an_ordinary_organiser_gets_no_network_report(client: Any, login: Login, funder_network: FunderNetwork) -> None:
    login(funder_network.organiser_b)
    for url in ("/f/pelplin/admin/network/funder-report.pdf", "/f/pelplin/admin/network/funder-report.xlsx?year=2025"):
        assert client.get(url).status_code == 403, url
    assert client.get("/f/pelplin/admin/results/funder-report.pdf").status_code == 200  # their own fair's
