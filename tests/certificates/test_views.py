"""The certificate pages: issuing one (defaults, twice from one form, refusals said in Polish with
422 and nothing issued), the list, a certificate, reissuing it, its PDF; the coordinator's network
scope; a member's own certificates; and the public verification page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.agreements.fulfilment import confirm_delivery
from app.certificates.issuing import issue_certificate, reissue_certificate
from app.certificates.models import Certificate
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.models import Member
from app.people.models import Participant
from app.valuation.money import zloty
from tests.certificates.conftest import GIVEN, Scripted, this_year

Login = Callable[[Participant], None]


def page_fields(client: FlaskClient, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return {k: v for k, v in fields.items() if k in ("csrf_token", "key")}


def form(client: FlaskClient, url: str, member: Member, **extra: Any) -> dict[str, Any]:
    start, end = this_year()
    return {**page_fields(client, url), "member_id": str(member.id), "start": start.isoformat(),
            "end": end.isoformat(), **extra}


def count() -> int:
    return len(db.session.scalars(db.select(Certificate.id)).all())


def issued(actor: Participant, member: Member) -> Certificate:
    start, end = this_year()
    return db.session.get_one(Certificate, issue_certificate(actor, actor.fair_id, member.id, start, end).row_id)


@pytest.fixture
def url(fair: Fair) -> str:
    return f"/f/{fair.slug}/admin/certificates"


def test_the_organiser_issues_a_certificate(client: FlaskClient, login: Login, organiser: Participant,
                                            scripted: Scripted, url: str) -> None:
    login(organiser)
    page = client.get(f"{url}/new").get_data(as_text=True)
    assert "Wystaw zaświadczenie" in page and "Fundacja Ład" in page
    assert f'value="{date.today().isoformat()}"' in page or f'value="{this_year()[1].isoformat()}"' in page
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", scripted.member))
    assert r.status_code == 303
    certificate = db.session.scalars(db.select(Certificate)).one()
    assert r.headers["Location"].endswith(f"{url}/{certificate.id}")
    detail = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Zaświadczenie zostało wystawione." in detail
    assert certificate.number in detail and "Sala konferencyjna na 30 osób" in detail
    assert " ".join(zloty(GIVEN[0]).split()) in " ".join(detail.split())
    listing = client.get(url).get_data(as_text=True)
    assert certificate.number in listing and f"{url}/{certificate.id}/certificate.pdf" in listing
    assert f"{url}/{certificate.id}/reissue" in listing


def test_the_default_period_runs_from_the_fairs_day_to_today(client: FlaskClient, login: Login,
                                                             organiser: Participant, trading_fair: Fair,
                                                             url: str) -> None:
    login(organiser)
    page = client.get(f"{url}/new").get_data(as_text=True)
    today = this_year()[1]
    assert re.search(rf'name="start"[^>]*value="{today.isoformat()}"', page)  # trading opened today
    assert re.search(rf'name="end"[^>]*value="{today.isoformat()}"', page)


def test_the_same_form_sent_twice_issues_once(client: FlaskClient, login: Login, organiser: Participant,
                                              scripted: Scripted, url: str) -> None:
    login(organiser)
    values = form(client, f"{url}/new", scripted.member)
    first, second = client.post(f"{url}/new", data=values), client.post(f"{url}/new", data=values)
    assert first.headers["Location"] == second.headers["Location"] and count() == 1
    assert "Niczego nie wystawiono dwa razy" in client.get(second.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("change", "message"), [
    ({"start": "2026-03-02", "end": "2026-03-01"}, "Okres nie może się skończyć, zanim się zacznie."),
    ({"end": (date.today() + timedelta(days=2)).isoformat()}, "Okres nie może kończyć się po dzisiejszym dniu"),
    ({"start": "2019-01-01"}, "Zaświadczenie obejmuje najwyżej 5 lat."),
    ({"start": "1999-12-31", "end": "2000-01-05"}, "Okres nie może się zaczynać przed 2000 r."),
])
def test_a_bad_period_is_said_on_the_form(client: FlaskClient, login: Login, organiser: Participant,
                                          scripted: Scripted, url: str, change: dict[str, str], message: str) -> None:
    login(organiser)
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", scripted.member, **change))
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert count() == 0


def test_nothing_to_certify_is_said_on_the_form(client: FlaskClient, login: Login, organiser: Participant,
                                                make_participant: Callable[..., Participant], scripted: Scripted,
                                                url: str) -> None:
    idle = make_participant(organisation="Koło Bezczynne")
    login(organiser)
    member = db.session.get_one(Member, idle.organisation.member_id)
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", member))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Koło Bezczynne" in html and "nie ma czego poświadczyć" in html
    assert count() == 0


def test_a_member_of_another_fair_or_a_broken_form_is_refused(client: FlaskClient, login: Login,
                                                              organiser: Participant, url: str, scripted: Scripted,
                                                              make_fair: Callable[..., Fair],
                                                              make_participant: Callable[..., Participant]) -> None:
    other = make_fair(slug="gniew")
    stranger = make_participant(organisation="Klub z Gniewu", fair_id=other.id)
    login(organiser)
    page = f"{url}/new"
    for values in (form(client, page, db.session.get_one(Member, stranger.organisation.member_id)),
                   form(client, page, scripted.member, start="wczoraj"),
                   form(client, page, scripted.member, member_id="99999999999999999999"),
                   {**form(client, page, scripted.member), "key": "not-a-key"}):
        assert client.post(page, data=values).status_code == 422
    assert count() == 0


def test_the_organiser_reissues_a_certificate(client: FlaskClient, login: Login, organiser: Participant,
                                              scripted: Scripted, url: str) -> None:
    old = issued(organiser, scripted.member)
    login(organiser)
    values = page_fields(client, f"{url}/{old.id}")
    r = client.post(f"{url}/{old.id}/reissue", data=values)
    assert r.status_code == 303
    new = db.session.scalars(db.select(Certificate).where(Certificate.replaces_id == old.id)).one()
    assert r.headers["Location"].endswith(f"{url}/{new.id}")
    assert "wystawiono ponownie z nowym numerem" in client.get(r.headers["Location"]).get_data(as_text=True)
    again = client.post(f"{url}/{old.id}/reissue", data=values)  # the same form once more: nothing twice
    assert again.headers["Location"] == r.headers["Location"] and count() == 2
    old_page = client.get(f"{url}/{old.id}").get_data(as_text=True)
    assert f"Zastąpione zaświadczeniem nr {new.number}." in old_page and f"{url}/{old.id}/reissue" not in old_page
    refused = client.post(f"{url}/{old.id}/reissue", data=page_fields(client, f"{url}/{new.id}"))
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"{url}/{old.id}")
    assert "wystaw ponownie najnowsze" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert count() == 2


def test_the_pdf_downloads(client: FlaskClient, login: Login, organiser: Participant, scripted: Scripted,
                           url: str) -> None:
    certificate = issued(organiser, scripted.member)
    login(organiser)
    r = client.get(f"{url}/{certificate.id}/certificate.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF-")
    assert certificate.number.replace("/", "-") in r.headers["Content-Disposition"]


def test_a_participant_is_refused(client: FlaskClient, login: Login, organiser: Participant, scripted: Scripted,
                                  url: str) -> None:
    certificate = issued(organiser, scripted.member)
    login(scripted.a)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/{certificate.id}/certificate.pdf").status_code == 403


def test_another_fairs_organiser_does_not_see_it(client: FlaskClient, login: Login, organiser: Participant,
                                                 scripted: Scripted, make_participant: Callable[..., Participant],
                                                 make_fair: Callable[..., Fair]) -> None:
    certificate = issued(organiser, scripted.member)
    other = make_fair(slug="gniew")
    login(make_participant(role=Role.ORGANISER, fair_id=other.id))
    assert client.get(f"/f/gniew/admin/certificates/{certificate.id}").status_code == 404
    assert client.get(f"/f/gniew/admin/certificates/{certificate.id}/certificate.pdf").status_code == 404
    assert certificate.number not in client.get("/f/gniew/admin/certificates").get_data(as_text=True)


def test_the_coordinator_issues_for_the_network(client: FlaskClient, login: Login, coordinator: Participant,
                                                organiser: Participant, scripted: Scripted) -> None:
    earlier = issued(organiser, scripted.member)
    login(coordinator)
    url = f"/f/{coordinator.fair.slug}/admin/certificates"
    page = client.get(f"{url}/new").get_data(as_text=True)
    assert "na dowolnej giełdzie sieci lub między giełdami" in page and "Fundacja Ład" in page
    r = client.post(f"{url}/new", data=form(client, f"{url}/new", scripted.member))
    assert r.status_code == 303
    certificate = db.session.scalars(db.select(Certificate).where(Certificate.fair_id.is_(None))).one()
    assert "cała sieć" in client.get(r.headers["Location"]).get_data(as_text=True)
    listing = client.get(url).get_data(as_text=True)
    assert certificate.number in listing and earlier.number in listing  # the coordinator sees every one


# --- a member's own certificates --------------------------------------------------------------------


def test_the_members_people_download_its_certificates(client: FlaskClient, login: Login, organiser: Participant,
                                                      scripted: Scripted, fair: Fair) -> None:
    certificate = issued(organiser, scripted.member)
    login(scripted.a)
    assert f"/f/{fair.slug}/me/certificates" in client.get(f"/f/{fair.slug}/me/organisation").get_data(as_text=True)
    mine = client.get(f"/f/{fair.slug}/me/certificates").get_data(as_text=True)
    assert certificate.number in mine
    r = client.get(f"/f/{fair.slug}/me/certificates/{certificate.id}/certificate.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")


def test_another_members_people_cannot_download_it(client: FlaskClient, login: Login, organiser: Participant,
                                                   scripted: Scripted, fair: Fair) -> None:
    certificate = issued(organiser, scripted.member)
    login(scripted.b)
    assert certificate.number not in client.get(f"/f/{fair.slug}/me/certificates").get_data(as_text=True)
    assert client.get(f"/f/{fair.slug}/me/certificates/{certificate.id}/certificate.pdf").status_code == 404


# --- the public verification page -------------------------------------------------------------------


def test_the_verification_page_shows_the_certificate(client: FlaskClient, organiser: Participant,
                                                     scripted: Scripted) -> None:
    certificate = issued(organiser, scripted.member)
    r = client.get(f"/zw/{certificate.public_code}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["X-Robots-Tag"] == "noindex"
    assert 'data-status="valid"' in html and certificate.number in html and "Fundacja Ład" in html
    flat = " ".join(html.split())
    assert f"{' '.join(zloty(GIVEN[0]).split())} zadeklarowane, w tym {' '.join(zloty(GIVEN[1]).split())}" in flat
    assert certificate.content_hash in html
    assert "Sala konferencyjna" not in html  # the lines stay on the certificate


def test_a_replaced_certificate_says_by_which(client: FlaskClient, organiser: Participant, scripted: Scripted) -> None:
    old = issued(organiser, scripted.member)
    new = db.session.get_one(Certificate, reissue_certificate(organiser, organiser.fair_id, old.id).row_id)
    html = client.get(f"/zw/{old.public_code}").get_data(as_text=True)
    assert 'data-status="superseded"' in html and new.number in html
    assert 'data-status="valid"' in client.get(f"/zw/{new.public_code}").get_data(as_text=True)


def test_changed_content_is_not_authentic(client: FlaskClient, organiser: Participant, scripted: Scripted) -> None:
    certificate = issued(organiser, scripted.member)
    with transaction():
        row = db.session.get_one(Certificate, certificate.id)
        row.frozen_content = row.frozen_content.replace("Fundacja Ład", "Fundacja Lad")
    html = client.get(f"/zw/{certificate.public_code}").get_data(as_text=True)
    assert 'data-status="not_authentic"' in html and certificate.number in html


def test_an_unknown_code_is_not_found(client: FlaskClient, app: object) -> None:
    r = client.get("/zw/NOSUCHCODE")
    assert r.status_code == 404 and 'data-status="not_found"' in r.get_data(as_text=True)


def test_the_detail_says_when_the_agreements_changed_since(client: FlaskClient, login: Login, organiser: Participant,
                                                           scripted: Scripted, trading_fair: Fair, url: str) -> None:
    certificate = issued(organiser, scripted.member)
    login(organiser)
    assert 'id="records-changed"' not in client.get(f"{url}/{certificate.id}").get_data(as_text=True)
    confirm_delivery(scripted.a, trading_fair.id, scripted.first.obligations[1].id)  # the training, delivered
    html = client.get(f"{url}/{certificate.id}").get_data(as_text=True)
    assert 'id="records-changed"' in html and "wystaw je ponownie" in html
    new = reissue_certificate(organiser, organiser.fair_id, certificate.id).row_id
    assert 'id="records-changed"' not in client.get(f"{url}/{new}").get_data(as_text=True)
    assert 'id="records-changed"' not in client.get(f"{url}/{certificate.id}").get_data(as_text=True)  # replaced
