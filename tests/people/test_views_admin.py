"""The organiser's people pages (app/people/views/admin.py): participants, organisations, registration."""

import re

import pytest

from app.core.extensions import db
from app.people.models import Participant


def text(r):
    return r.get_data(as_text=True)


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



def test_participant_list_pages_keep_the_search_and_name_where_one_is(client, fair, organiser, make_participant,
                                                                      login, monkeypatch):
    monkeypatch.setattr("app.people.views.admin.PAGE_SIZE", 2)
    for i in range(5):
        make_participant(f"Osoba{i}", "Kowalska", organisation=f"Stowarzyszenie {i}")
    login(organiser)
    page = text(client.get(f"/f/{fair.slug}/admin/participants?q=kowalska&page=2"))
    assert "Strona 2 z 3" in page  # "Page 2 of 3", not a link per page
    after = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    before = re.search(r'rel="prev" href="([^"]+)"', page).group(1)
    assert "page=3" in after and "q=kowalska" in after
    assert "q=kowalska" in before and "page=" not in before  # page 1 is the list's own address


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


def test_registration_toggle(client, fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{fair.slug}/admin/registration", data={"open": "0"}).status_code == 303
    db.session.expire_all()
    assert not fair.registration_open
    assert client.get(f"/f/{fair.slug}/register").status_code == 403
    client.post(f"/f/{fair.slug}/admin/registration", data={"open": "1"})
    db.session.expire_all()
    assert fair.registration_open
