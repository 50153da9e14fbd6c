"""The directory's public pages (app/directory/views.py): the list with its search, filters, counts
and pages, a profile, the counts per year, and the list as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.directory import views
from app.directory.views import website_href
from app.fairs.models import Fair
from app.floor.kinds import PostKind
from app.floor.posts import hide_post, withdraw_post
from app.network.models import Member
from app.network.sectors import Branch, Sector
from app.partnerships.models import Partnership
from app.partnerships.records import PartnerData, PartnershipData, end_partnership, record_partnership
from app.people.models import Participant

MakeMember = Callable[..., Member]


def listed(client: FlaskClient, query: str = "") -> list[str]:
    r = client.get(f"/network/members{query}")
    assert r.status_code == 200
    return re.findall(r'<h2><a href="/network/members/\d+">([^<]+)</a></h2>', r.get_data(as_text=True))


def test_the_list_is_public_searched_and_filtered(client: FlaskClient, make_member: MakeMember) -> None:
    make_member("Fundacja Żółw", Sector.NGO, city="Tczew", branch=Branch.CULTURE)
    make_member("Firma Kot", Sector.BUSINESS, city="Gdańsk")
    make_member("Fundacja Ukryta", public=False)
    assert listed(client) == ["Firma Kot", "Fundacja Żółw"]
    assert listed(client, "?q=zolw") == ["Fundacja Żółw"]
    assert listed(client, "?sector=business") == ["Firma Kot"]
    assert listed(client, "?branch=culture") == ["Fundacja Żółw"]
    assert listed(client, "?place=gdansk") == ["Firma Kot"]
    assert listed(client, "?q=ukryta") == []


def test_malformed_filter_values_are_no_filter(client: FlaskClient, make_member: MakeMember) -> None:
    make_member("Fundacja Żółw")
    assert listed(client, "?sector=bank&branch=%C5%BC&page=abc&place=") == ["Fundacja Żółw"]
    assert listed(client, "?page=99999999999999999999") == ["Fundacja Żółw"]  # past the range: the first page
    assert listed(client, "?page=2147483647") == []


def test_the_list_shows_counts_by_sector_and_keeps_the_filters_in_its_links(client: FlaskClient,
                                                                             make_member: MakeMember) -> None:
    for n in range(3):
        make_member(f"Fundacja {n}", city="Tczew")
    make_member("Firma", Sector.BUSINESS, city="Tczew")
    page = client.get("/network/members?place=Tczew&sector=ngo").get_data(as_text=True)
    assert re.search(r'<span class="count">3</span>', page)
    assert re.search(r'sector=business[^"]*"[^>]*>.*?<strong>1</strong>', page)
    assert 'href="/network/members.csv?sector=ngo&amp;place=Tczew"' in page


def test_the_list_is_paged(client: FlaskClient, make_member: MakeMember, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ("A", "B", "C"):
        make_member(f"Fundacja {name}")
    assert listed(client, "?q=fundacja") == ["Fundacja A", "Fundacja B"]
    page = client.get("/network/members?q=fundacja").get_data(as_text=True)
    assert 'href="/network/members?page=2&amp;q=fundacja"' in page
    assert listed(client, "?q=fundacja&page=2") == ["Fundacja C"]


def test_a_profile_shows_the_member_its_fairs_and_live_posts(client: FlaskClient, make_member: MakeMember,
                                                            make_participant, make_post, organiser,
                                                            trading_fair: Fair) -> None:
    member = make_member("Fundacja Żółw", city="Tczew", website="zolw.example.org", email="biuro@zolw.example.org",
                         description="Uczymy pływać.")
    ola = make_participant(organisation="Fundacja Żółw")
    make_post(ola, "Basen na godzinę")
    make_post(ola, "Ratownik na sobotę", kind=PostKind.NEED, category_key="volunteers")
    hide_post(organiser, trading_fair.id, make_post(ola, "Ukryta oferta").id, "Reklama")
    withdraw_post(ola, trading_fair.id, make_post(ola, "Wycofana oferta").id)
    r = client.get(f"/network/members/{member.id}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for shown in ("Fundacja Żółw", "Uczymy pływać.", 'href="https://zolw.example.org"', "biuro@zolw.example.org",
                  trading_fair.name, "Basen na godzinę", "Ratownik na sobotę"):
        assert shown in page
    assert "Ukryta oferta" not in page and "Wycofana oferta" not in page


def test_no_profile_for_a_member_not_in_the_directory(client: FlaskClient, make_member: MakeMember, merge) -> None:
    hidden = make_member("Fundacja Ukryta", public=False)
    kept, gone = make_member("Fundacja Główna"), make_member("Fundacja Główna z Tczewa")
    merge(kept, gone)
    for member_id in (hidden.id, gone.id, 999999, 2**31 - 1):
        r = client.get(f"/network/members/{member_id}")
        assert r.status_code == 404
        assert "Tego członka nie ma w publicznym katalogu sieci." in r.get_data(as_text=True)
    assert client.get("/network/members/99999999999").status_code == 404  # no id a row can have
    assert client.get(f"/network/members/{kept.id}").status_code == 200


def test_the_stats_page_shows_members_per_year(client: FlaskClient, make_member: MakeMember) -> None:
    make_member("Fundacja A", created_at=datetime(2022, 5, 1, tzinfo=UTC), branch=Branch.IT)
    make_member("Firma B", Sector.BUSINESS, created_at=datetime(2023, 5, 1, tzinfo=UTC), public=False)
    page = client.get("/network/members/stats").get_data(as_text=True)
    sectors = page[page.index('id="members-by-sector"'):page.index('id="by-branch"')]
    assert "<th scope=\"col\">2022</th><th scope=\"col\">2023</th>" in sectors
    ngo = re.search(r"sector-ngo.*?</tr>", sectors, re.S)
    assert ngo and re.findall(r"<td>(\d+)</td>", ngo.group(0))[:2] == ["1", "1"]
    business = re.search(r"sector-business.*?</tr>", sectors, re.S)
    assert business and re.findall(r"<td>(\d+)</td>", business.group(0))[:2] == ["0", "1"]
    assert "Usługi informatyczne" in page  # the branches' table, in Polish


def test_the_front_page_links_the_directory(client: FlaskClient) -> None:
    assert 'href="/network/members"' in client.get("/").get_data(as_text=True)


# --- the exports ------------------------------------------------------------------------------


def test_the_csv_neutralises_a_formula_and_keeps_the_filters(client: FlaskClient, make_member: MakeMember) -> None:
    make_member("=HYPERLINK(\"http://evil.example\")", Sector.BUSINESS)
    make_member("Fundacja Żółw", city="Tczew")
    r = client.get("/network/members.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="czlonkowie-sieci.csv"' in r.headers["Content-Disposition"]
    text = r.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["ID", "Nazwa", "Sektor"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil.example\")", "Fundacja Żółw"]
    only = list(csv.reader(io.StringIO(client.get("/network/members.csv?q=zolw").get_data().decode("utf-8-sig")),
                           delimiter=";"))
    assert [row[1] for row in only[1:]] == ["Fundacja Żółw"]
    assert only[1][4] == "Tczew" and only[1][7].endswith(f"/network/members/{only[1][0]}")


def test_the_xlsx_reads_back(client: FlaskClient, make_member: MakeMember) -> None:
    member = make_member("Spółdzielnia Smak", Sector.SOCIAL_COOPERATIVE, branch=Branch.CATERING, city="Gdańsk",
                         description="Obiady dla 100 osób")
    make_member("Fundacja Ukryta", public=False)
    r = client.get("/network/members.xlsx")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID", "Nazwa", "Sektor", "Branża")
    assert rows[1][:7] == (member.id, "Spółdzielnia Smak", "Spółdzielnia socjalna", "Gastronomia i catering",
                           "Gdańsk", "", "Obiady dla 100 osób")
    assert len(rows) == 2


def test_the_json_export_lists_the_public_members(client: FlaskClient, make_member: MakeMember) -> None:
    member = make_member("Fundacja Żółw", branch=Branch.CULTURE, website="https://zolw.example.org")
    make_member("Firma Kot", Sector.BUSINESS)
    r = client.get("/network/members.json?sector=ngo&branch=nonsense")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json(force=True)
    assert doc["total"] == 1 and doc["filters"] == {"sector": "ngo"}
    assert doc["members"] == [{"id": member.id, "name": "Fundacja Żółw", "sector": "ngo", "branch": "culture",
                               "city": "", "website": "https://zolw.example.org", "description": "",
                               "url": f"http://gielda.test/network/members/{member.id}"}]


def test_a_website_links_only_to_the_web() -> None:
    assert website_href("zolw.example.org") == "https://zolw.example.org"
    assert website_href("http://zolw.example.org/o-nas") == "http://zolw.example.org/o-nas"
    for not_a_link in ("javascript:alert(1)", "javascript://x.y/%0aalert(1)", "", "brak", "ftp://x.example.org",
                       "www.example .org"):
        assert website_href(not_a_link) is None, not_a_link


def _partnership(organiser: Participant, *members: Member, **kw: object) -> Partnership:
    values: dict[str, object] = {"purpose": "Wspólne warsztaty dla seniorów", "starts_on": date(2026, 3, 1)}
    values.update(kw)
    return record_partnership(organiser, PartnershipData(
        lead_member_id=members[0].id, partners=[PartnerData(m.id, role="Sala") for m in members],
        **values)).row  # type: ignore[arg-type]


def test_a_profile_lists_the_members_active_partnerships(client: FlaskClient, make_member: MakeMember,
                                                         organiser: Participant) -> None:
    zolw, gmina = make_member("Fundacja Żółw"), make_member("Urząd Gminy", Sector.PUBLIC, public=False)
    active = _partnership(organiser, zolw, gmina)
    ended = _partnership(organiser, gmina, zolw, purpose="Zakończone sprzątanie lasu")
    end_partnership(organiser, ended.id, date(2026, 6, 30))
    page = client.get(f"/network/members/{zolw.id}").get_data(as_text=True)
    assert active.number in page and "Wspólne warsztaty dla seniorów" in page and "Lider" in page
    assert ended.number not in page
    assert client.get(f"/network/members/{gmina.id}").status_code == 404  # not in the directory: no page at all


def test_the_stats_page_counts_partnerships_by_size_and_sectors(client: FlaskClient, make_member: MakeMember,
                                                                organiser: Participant) -> None:
    a, b = make_member("Fundacja A"), make_member("Urząd B", Sector.PUBLIC)
    c, d = make_member("Firma C", Sector.BUSINESS), make_member("Fundacja D")
    _partnership(organiser, a, b)
    _partnership(organiser, a, b, c, d)
    page = client.get("/network/members/stats").get_data(as_text=True)
    table = page[page.index('id="partnerships-per-year"'):page.index('id="partnerships-by-sectors"')]
    for label, value in (("2–3 członków", "1"), ("4 lub więcej członków", "1"), ("Dwa sektory", "1"),
                         ("Trzy sektory lub więcej", "1")):
        row = re.search(rf"{label}</th>(.*?)</tr>", table, re.S)
        assert row and re.findall(r"<td>(\d+)</td>", row.group(1))[-1] == value, label
    assert "Organizacja pozarządowa + Instytucja publiczna" in page
