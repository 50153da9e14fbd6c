"""Pages: registration, login, roles on every page, organiser lists, the desk."""

import pytest

from app.core.extensions import db
from app.fairs.fairs import set_registration_open
from app.people.models import CheckIn, Participant
from tests.conftest import PASSWORD


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


def test_unknown_fair_is_404(client):
    assert client.get("/f/nope/").status_code == 404


def test_login_link_then_card(client, fair, make_participant):
    p = make_participant("Zofia", "Żak", show_email=True)
    r = client.get(f"/f/{fair.slug}/login/{p.login_secret}")
    assert r.status_code == 303
    me = client.get(f"/f/{fair.slug}/me")
    assert me.status_code == 200 and "Zofia Żak" in text(me)


def test_bad_login_link_shows_error(client, fair):
    r = client.get(f"/f/{fair.slug}/login/not-a-real-secret-at-all")
    assert r.status_code == 401
    assert "invalid_login_link" in text(r)


def test_reissue_signs_out_existing_session(client, fair, organiser, make_participant, login):
    from app.people.credentials import reissue_login

    p = make_participant()
    login(p)
    assert client.get(f"/f/{fair.slug}/me").status_code == 200
    reissue_login(organiser, fair.id, p.id)
    assert client.get(f"/f/{fair.slug}/me").status_code == 302


def test_pin_login_page(client, fair, make_participant):
    p = make_participant()
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": p.pin})
    assert r.status_code == 303
    assert client.get(f"/f/{fair.slug}/me").status_code == 200


def test_wrong_pin_page_says_so(client, fair, make_participant):
    p = make_participant()
    wrong = "000000" if p.pin != "000000" else "111111"
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": wrong})
    assert r.status_code == 401


def test_staff_password_login_lands_on_admin(client, fair, organiser):
    r = client.post(f"/f/{fair.slug}/login", data={"staff-email": organiser.email,
                                                    "staff-password": PASSWORD})
    assert r.status_code == 303 and "/admin/participants" in r.headers["Location"]


def test_logout(client, fair, make_participant, login):
    login(make_participant())
    client.post(f"/f/{fair.slug}/logout")
    assert client.get(f"/f/{fair.slug}/me").status_code == 302


@pytest.mark.parametrize("path", ["/admin/participants", "/admin/organisations",
                                  "/admin/participants/new", "/admin/organisations/new"])
def test_organiser_pages_forbidden_to_participants_and_notaries(path, client, fair, make_participant,
                                                                notary, login):
    login(make_participant())
    assert client.get(f"/f/{fair.slug}{path}").status_code == 403
    login(notary)
    assert client.get(f"/f/{fair.slug}{path}").status_code == 403


def test_anonymous_is_sent_to_login(client, fair):
    r = client.get(f"/f/{fair.slug}/admin/participants")
    assert r.status_code == 302 and f"/f/{fair.slug}/login" in r.headers["Location"]


def test_organiser_of_other_fair_forbidden(client, fair, make_fair, make_participant, login):
    from app.fairs.roles import Role

    other = make_fair()
    login(make_participant(role=Role.ORGANISER, fair_id=other.id))
    assert client.get(f"/f/{fair.slug}/admin/participants").status_code == 403


def test_participant_list_search_ignores_diacritics(client, fair, organiser, make_participant, login):
    make_participant("Łucja", "Żółkiewska")
    make_participant("Anna", "Nowak")
    login(organiser)
    r = client.get(f"/f/{fair.slug}/admin/participants?q=zolkiewska")
    assert "Żółkiewska" in text(r) and "Nowak" not in text(r)


def test_organiser_adds_participant_to_new_organisation(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/participants/new", data={
        "first_name": "Józef", "last_name": "Gęś", "email": "jozef@example.org", "organisation_id": "",
        "organisation_name": "Spółdzielnia Socjalna Gościniec", "sector": "social_cooperative",
        "role": "participant"})
    assert r.status_code == 303
    p = db.session.query(Participant).filter_by(email_key="jozef@example.org").one()
    assert p.organisation.name == "Spółdzielnia Socjalna Gościniec"


def test_organiser_edits_and_removes(client, fair, organiser, make_participant, login):
    p = make_participant()
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/participants/{p.id}/edit", data={
        "first_name": "Nowe", "last_name": "Imię", "email": p.email, "organisation_id": str(p.organisation_id),
        "role": "notary"})
    assert r.status_code == 303
    r = client.post(f"/f/{fair.slug}/admin/participants/{p.id}/remove")
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get(Participant, p.id).removed_at is not None


def test_organisation_pages(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/organisations/new", data={
        "name": "Muzeum Wisły", "sector": "public", "website": "https://muzeum.example.org"})
    assert r.status_code == 303
    assert "Muzeum Wisły" in text(client.get(f"/f/{fair.slug}/admin/organisations"))


def test_card_shows_only_shared_contacts(client, fair, make_participant):
    p = make_participant(email="hidden@example.org", phone="+48 600 100 200", show_phone=True)
    r = client.get(f"/p/{p.badge_code}")
    assert r.status_code == 200
    assert "+48 600 100 200" in text(r) and "hidden@example.org" not in text(r)
    assert p.login_secret not in text(r) and p.pin not in text(r)


def test_card_of_removed_participant_is_404(client, fair, organiser, make_participant):
    from app.people.participants import remove_participant

    p = make_participant()
    remove_participant(organiser, fair.id, p.id)
    assert client.get(f"/p/{p.badge_code}").status_code == 404


def test_desk_checks_in_and_shows_count(client, fair, notary, make_participant, login):
    p = make_participant("Barbara", "Kwiatkowska")
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk", data={"scanned": f"http://gielda.test/p/{p.badge_code}"})
    assert r.status_code == 200
    body = text(r)
    assert "Barbara Kwiatkowska" in body and 'id="checked-in-count"' in body
    assert db.session.query(CheckIn).count() == 1


def test_desk_unknown_badge_is_red(client, fair, notary, login):
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk", data={"scanned": "ZZZZZZZZ"})
    assert r.status_code == 404 and "scan-result bad" in text(r)


def test_desk_forbidden_to_participant(client, fair, make_participant, login):
    login(make_participant())
    assert client.get(f"/f/{fair.slug}/desk").status_code == 403


def test_walk_in_registers_and_checks_in(client, fair, notary, login):
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk/walk-in", data={
        "first_name": "Jan", "last_name": "Wróbel", "sector": "resident", "organisation_name": ""})
    assert r.status_code == 303
    assert db.session.query(CheckIn).count() == 1


def test_csrf_is_enforced_when_enabled(app, client, fair, make_participant):
    app.config["WTF_CSRF_ENABLED"] = True
    p = make_participant()
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": p.pin})
    assert r.status_code in (400, 422)
    assert client.get(f"/f/{fair.slug}/me").status_code == 302
