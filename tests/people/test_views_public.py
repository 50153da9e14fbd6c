"""The public registration page and a participant's own page (app/people/views/public.py)."""

from app.core.extensions import db
from app.fairs.fairs import set_registration_open
from app.network.models import Member
from app.network.sectors import Branch
from app.people.models import Participant


def text(r):
    return r.get_data(as_text=True)


def test_registration_page_registers_and_logs_in(client, fair):
    r = client.post(f"/f/{fair.slug}/register", data={
        "first_name": "Łucja", "last_name": "Gęś", "email": "lucja@example.org", "phone": "",
        "sector": "ngo", "organisation_name": "Fundacja Źdźbło", "city": "Tczew", "consent": "y"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/f/{fair.slug}/me")
    me = client.get(f"/f/{fair.slug}/me")
    assert "Łucja Gęś" in text(me)


def test_registration_form_errors_are_shown(client, fair):
    r = client.post(f"/f/{fair.slug}/register", data={"first_name": "", "email": "not-an-email",
                                                       "sector": "ngo", "organisation_name": ""})
    assert r.status_code == 422
    assert 'aria-invalid="true"' in text(r)
    assert db.session.query(Participant).count() == 0


def test_registration_duplicate_email_is_flashed(client, fair, make_participant):
    make_participant(email="taken@example.org")
    r = client.post(f"/f/{fair.slug}/register", data={
        "first_name": "A", "last_name": "B", "email": "taken@example.org", "sector": "resident",
        "consent": "y"})
    assert r.status_code == 200
    assert "taken@example.org" in text(r)


def test_registration_closed_page(client, fair, organiser):
    set_registration_open(organiser, fair.id, False)
    r = client.get(f"/f/{fair.slug}/register")
    assert r.status_code == 403


def test_a_participant_keeps_their_organisations_network_page(client, login, fair, make_participant):
    ola = make_participant(organisation="Fundacja Żółw")
    login(ola)
    assert "/me/organisation" in client.get(f"/f/{fair.slug}/me").get_data(as_text=True)
    page = client.get(f"/f/{fair.slug}/me/organisation").get_data(as_text=True)
    assert "Pokaż naszą organizację w publicznym katalogu sieci" in page
    r = client.post(f"/f/{fair.slug}/me/organisation", data={"public_profile": "y", "branch": "care",
                                                            "description": "Opieka nad seniorami"})
    assert r.status_code == 303
    member = db.session.get_one(Member, ola.organisation.member_id)
    assert member.public_profile and member.branch == Branch.CARE


def test_a_wrong_nip_is_shown_at_its_field(client, login, fair, make_participant):
    ola = make_participant()
    login(ola)
    r = client.post(f"/f/{fair.slug}/me/organisation", data={"nip": "1234567890"})
    assert r.status_code == 422
    assert "To nie jest poprawny NIP" in r.get_data(as_text=True)
    assert not db.session.get_one(Member, ola.organisation.member_id).nip
