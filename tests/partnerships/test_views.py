"""The partnership pages: the list, recording one (from scratch, twice from one form, from a group
deal), a partnership, ending it, its PDF; refusals; and the public verification page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.agreements.models import Agreement
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.models import Partnership, PartnershipState
from app.partnerships.records import end_partnership
from app.people.models import Participant

MakeMember = Callable[..., Member]
Login = Callable[[Participant], None]


def page_fields(client: FlaskClient, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update(dict(re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', html)[::-1]))
    return {k: v for k, v in fields.items() if k in ("csrf_token", "key", "agreement_id")}


def form(client: FlaskClient, url: str, *members: Member, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {**page_fields(client, url), "purpose": "Wspólne warsztaty dla seniorów",
                              "starts_on": "2026-03-01", "ends_on": "", "lead": str(members[0].id)}
    for i, m in enumerate(members):
        values |= {f"partners-{i}-member_id": str(m.id), f"partners-{i}-role": "Partner",
                   f"partners-{i}-contribution": "Sala na spotkania"}
    return values | extra


@pytest.fixture
def url(fair: Fair) -> str:
    return f"/f/{fair.slug}/admin/partnerships"


def test_the_organiser_records_a_partnership(client: FlaskClient, login: Login, organiser: Participant,
                                             make_member: MakeMember, url: str) -> None:
    a, b = make_member("Fundacja Ład"), make_member("Urząd Gminy", Sector.PUBLIC)
    login(organiser)
    page = client.get(f"{url}/new")
    assert page.status_code == 200 and "Zarejestruj partnerstwo" in page.get_data(as_text=True)
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", a, b))
    assert r.status_code == 303
    p = db.session.scalars(db.select(Partnership)).one()
    assert r.headers["Location"].endswith(f"{url}/{p.id}")
    detail = client.get(f"{url}/{p.id}").get_data(as_text=True)
    assert p.number in detail and "Fundacja Ład" in detail and "Lider" in detail
    assert p.number in client.get(url).get_data(as_text=True)


def test_the_same_form_sent_twice_records_once(client: FlaskClient, login: Login, organiser: Participant,
                                               make_member: MakeMember, url: str) -> None:
    a, b = make_member(), make_member()
    login(organiser)
    values = form(client, f"{url}/new", a, b)
    first, second = client.post(f"{url}/new", data=values), client.post(f"{url}/new", data=values)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(Partnership).count() == 1


def test_a_member_of_another_fair_is_no_choice(client: FlaskClient, login: Login, organiser: Participant,
                                               make_member: MakeMember, make_fair: Callable[..., Fair],
                                               url: str) -> None:
    a, stranger = make_member(), make_member(fair_id=make_fair(slug="gniew").id)
    login(organiser)
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", a, stranger))
    assert r.status_code == 422
    assert db.session.query(Partnership).count() == 0


def test_a_refused_rule_is_said_on_the_form(client: FlaskClient, login: Login, organiser: Participant,
                                            make_member: MakeMember, url: str) -> None:
    a = make_member()
    login(organiser)
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", a))
    assert r.status_code == 422
    assert "co najmniej dwóch członków" in r.get_data(as_text=True)


def test_a_group_deal_becomes_a_partnership(client: FlaskClient, login: Login, organiser: Participant,
                                            make_signed_agreement: Callable[..., Agreement],
                                            make_participant: Callable[..., Participant], url: str) -> None:
    people = [make_participant(organisation=f"Grupa {i}") for i in range(3)]
    deal = make_signed_agreement(parties=people, obligations=[
        (people[0], people[1], "Sala", 10), (people[1], people[2], "Plakaty", 10), (people[2], people[0], "Obiad", 10)])
    login(organiser)
    assert f"agreement={deal.id}" in client.get(url).get_data(as_text=True)
    new = f"{url}/new?agreement={deal.id}"
    prefilled = client.get(new).get_data(as_text=True)
    assert "Grupa 0" in prefilled
    members = [db.session.get_one(Member, p.organisation.member_id) for p in
               db.session.get_one(Agreement, deal.id).parties]
    r = client.post(f"{url}/new", data=form(client, new, *members))
    assert r.status_code == 303, r.get_data(as_text=True)
    p = db.session.scalars(db.select(Partnership)).one()
    assert p.source_agreement_id == deal.id


def test_the_organiser_ends_a_partnership(client: FlaskClient, login: Login, organiser: Participant,
                                          make_member: MakeMember, make_partnership: Callable[..., Partnership],
                                          url: str) -> None:
    p = make_partnership(make_member(), make_member())
    login(organiser)
    token = page_fields(client, f"{url}/{p.id}")["csrf_token"]
    r = client.post(f"{url}/{p.id}/end", data={"csrf_token": token, "ends_on": "2026-10-31", "reason": "Koniec"})
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get_one(Partnership, p.id).state == PartnershipState.ENDED


def test_the_pdf_downloads(client: FlaskClient, login: Login, organiser: Participant, make_member: MakeMember,
                           make_partnership: Callable[..., Partnership], url: str) -> None:
    p = make_partnership(make_member(), make_member())
    login(organiser)
    r = client.get(f"{url}/{p.id}/partnership.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-")
    assert p.number.replace("/", "-") in r.headers["Content-Disposition"]


def test_a_participant_is_refused(client: FlaskClient, login: Login, make_participant: Callable[..., Participant],
                                  url: str) -> None:
    login(make_participant())
    assert client.get(url).status_code == 403


def test_another_fairs_organiser_does_not_see_it(client: FlaskClient, login: Login, make_member: MakeMember,
                                                 make_partnership: Callable[..., Partnership],
                                                 make_participant: Callable[..., Participant],
                                                 make_fair: Callable[..., Fair]) -> None:
    p = make_partnership(make_member(), make_member())
    other = make_fair(slug="gniew")
    login(make_participant(role=Role.ORGANISER, fair_id=other.id))
    assert client.get(f"/f/gniew/admin/partnerships/{p.id}").status_code == 404
    assert p.number not in client.get("/f/gniew/admin/partnerships").get_data(as_text=True)


# --- the public verification page -------------------------------------------------------------------


def test_the_verification_page_shows_the_partnership(client: FlaskClient, make_member: MakeMember,
                                                     make_partnership: Callable[..., Partnership]) -> None:
    a, b = make_member("Fundacja Ład"), make_member("Urząd Gminy", Sector.PUBLIC)
    p = make_partnership(a, b, lead=b)
    r = client.get(f"/pa/{p.public_code}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["X-Robots-Tag"] == "noindex"
    assert 'data-status="active"' in html
    assert p.number in html and "Wspólne warsztaty" in html and "Fundacja Ład" in html
    assert p.content_hash and p.content_hash in html
    assert "1 marca 2026" in html


def test_an_ended_partnership_says_so(client: FlaskClient, organiser: Participant, make_member: MakeMember,
                                      make_partnership: Callable[..., Partnership]) -> None:
    p = make_partnership(make_member(), make_member())
    end_partnership(organiser, p.id, date(2026, 6, 30))
    assert 'data-status="ended"' in client.get(f"/pa/{p.public_code}").get_data(as_text=True)


def test_changed_content_is_not_authentic(client: FlaskClient, make_member: MakeMember,
                                          make_partnership: Callable[..., Partnership]) -> None:
    p = make_partnership(make_member(), make_member())
    with transaction():
        row = db.session.get_one(Partnership, p.id)
        row.frozen_content = (row.frozen_content or "").replace("Wspólne", "Płatne")
    assert 'data-status="not_authentic"' in client.get(f"/pa/{p.public_code}").get_data(as_text=True)


def test_an_unknown_code_is_not_found(client: FlaskClient, app: object) -> None:
    r = client.get("/pa/NOSUCHCODE")
    assert r.status_code == 404 and 'data-status="not_found"' in r.get_data(as_text=True)
