"""The between-fairs pages (app/between/views.py): entering the network's space from one's page at a
fair, the space's page, going back, and the coordinator's fairs and reminders."""

import re

from sqlalchemy import select

from app.core.extensions import db
from app.fairs.network_space import network_space
from app.people.models import Participant


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _enter(client, person):
    page = client.get(f"/f/{person.fair.slug}/me").get_data(as_text=True)
    assert "Wejdź do sieci między giełdami" in page
    return client.post(f"/f/{person.fair.slug}/network/enter", data={"csrf_token": _csrf(page)})


def test_a_participant_enters_the_space_from_their_page(client, login, make_participant):
    person = make_participant(organisation="Fundacja Pszczoła")
    login(person)
    r = _enter(client, person)
    space = network_space()
    assert r.status_code == 303 and r.location.endswith(f"/f/{space.slug}/network")
    page = client.get(r.location).get_data(as_text=True)
    account = db.session.scalars(select(Participant).where(Participant.fair_id == space.id)).one()
    assert "Między giełdami" in page and "Fundacja Pszczoła" in page
    assert f"/f/{space.slug}/login/{account.login_secret}" in page  # their own link, to bookmark
    assert f"Wróć do: {person.fair.name}" in page


def test_going_back_logs_them_in_at_their_fair_again(client, login, make_participant):
    person = make_participant()
    login(person)
    space_page = client.get(_enter(client, person).location).get_data(as_text=True)
    r = client.post(f"/f/{network_space().slug}/network/back", data={"csrf_token": _csrf(space_page)})
    assert r.status_code == 303 and r.location.endswith(f"/f/{person.fair.slug}/me")
    assert client.get(r.location).status_code == 200


def test_the_space_page_is_only_the_spaces(client, login, make_participant):
    person = make_participant()
    login(person)
    assert client.get(f"/f/{person.fair.slug}/network").status_code == 404


def test_the_coordinator_creates_a_fair_from_the_fairs_page(client, login, coordinator, outbox):
    login(coordinator)
    url = f"/f/{coordinator.fair.slug}/admin/network/fairs"
    page = client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": _csrf(page), "name": "Giełda Zasobów Pelplin", "slug": "pelplin",
                               "first_name": "Nina", "last_name": "Nowacka", "email": "nina@example.org",
                               "organisation_name": "Gmina Pelplin", "sector": "public"})
    assert r.status_code == 303
    listed = client.get(url).get_data(as_text=True)
    assert "Giełda Zasobów Pelplin" in listed and "Nina Nowacka" in listed


def test_a_bad_new_fair_form_says_what_is_wrong(client, login, coordinator):
    login(coordinator)
    url = f"/f/{coordinator.fair.slug}/admin/network/fairs"
    page = client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": _csrf(page), "name": "X", "slug": "Zła Nazwa!", "first_name": "Nina",
                               "last_name": "Nowacka", "email": "nina@example.org", "organisation_name": "Gmina",
                               "sector": "public"})
    assert r.status_code == 422 and "Użyj małych liter" in r.get_data(as_text=True)


def test_a_fairs_organiser_cannot_open_the_coordinators_pages(client, login, organiser, fair):
    login(organiser)
    assert client.get(f"/f/{fair.slug}/admin/network/fairs").status_code == 403


def test_the_coordinator_sends_the_reminders_now(client, login, coordinator, member_at_space, outbox):
    member_at_space()
    login(coordinator)
    url = f"/f/{coordinator.fair.slug}/admin/network/fairs"
    page = client.get(url).get_data(as_text=True)
    r = client.post(f"/f/{coordinator.fair.slug}/admin/network/remind", data={"csrf_token": _csrf(page)},
                    follow_redirects=True)
    assert "poproszeni o aktualną ofertę: 1" in r.get_data(as_text=True)
