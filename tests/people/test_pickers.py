"""Finding organisations by a few letters (app/people/pickers.py, the participant form's picker
and its endpoint) and the organisations list, searched and paged in SQL."""

from __future__ import annotations

import re

import pytest

from app.core.extensions import db
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.models import Participant
from app.people.pickers import OrganisationPicker, ParticipantPicker
from app.people.queries import search_organisations


def text(r):
    return r.get_data(as_text=True)


@pytest.fixture
def orgs(make_organisation):
    names = ["Fundacja Żółw", "Fundacja Żółw Morski", "Stowarzyszenie Łąka", "Koło Gospodyń Wiejskich"]
    return {n: make_organisation(n, city="Łódź" if "Łąka" in n else "Tczew") for n in names}


# --- the pickers ----------------------------------------------------------------------------

def test_organisations_are_found_without_diacritics_the_whole_name_first(fair, orgs):
    found = OrganisationPicker(fair.id).search("FUNDACJA zolw", 10)
    assert [p.label for p in found] == ["Fundacja Żółw", "Fundacja Żółw Morski"]
    assert [p.label for p in OrganisationPicker(fair.id).search("laka", 10)] == ["Stowarzyszenie Łąka"]
    assert found[0].value == str(orgs["Fundacja Żółw"].id) and "Tczew" in found[0].hint


def test_another_fairs_organisations_never_appear(fair, orgs, make_fair, make_organisation):
    other = make_organisation("Fundacja Żółw Bałtycki", fair_id=make_fair().id)
    assert "Fundacja Żółw Bałtycki" not in [p.label for p in OrganisationPicker(fair.id).search("zolw", 10)]
    assert OrganisationPicker(fair.id).find(str(other.id)) is None
    assert OrganisationPicker(fair.id).find("nie-liczba") is None


def test_participants_are_found_by_name_or_badge(fair, make_participant):
    ewa = make_participant("Ewa", "Łęcka")
    make_participant("Ewelina", "Nowak")
    assert [p.label for p in ParticipantPicker(fair.id).search("lecka", 10)] == ["Ewa Łęcka"]
    assert [p.value for p in ParticipantPicker(fair.id).search(ewa.badge_code.lower(), 10)] == [str(ewa.id)]
    assert ParticipantPicker(fair.id).search("ewa", 10)[0].label == "Ewa Łęcka"  # the first name first


# --- the endpoint ---------------------------------------------------------------------------

def test_the_endpoint_answers_matches_as_json(client, fair, organiser, orgs, login):
    login(organiser)
    answer = client.get(f"/f/{fair.slug}/admin/organisations/pick?q=zolw").get_json()
    assert [i["label"] for i in answer["items"]] == ["Fundacja Żółw", "Fundacja Żółw Morski"]
    assert answer["more"] is False


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.NOTARY])
def test_the_endpoint_is_for_organisers_only(client, fair, make_participant, orgs, login, role):
    login(make_participant(role=role))
    assert client.get(f"/f/{fair.slug}/admin/organisations/pick?q=zolw").status_code == 403


# --- the participant form -------------------------------------------------------------------

def _new(client, fair, **data):
    return client.post(f"/f/{fair.slug}/admin/participants/new", data={
        "first_name": "Józef", "last_name": "Gęś", "role": "participant", "sector": "ngo", **data})


def test_the_form_takes_a_name_typed_without_javascript(client, fair, organiser, orgs, login):
    login(organiser)
    assert _new(client, fair, **{"organisation_id": "", "organisation_id-q": "kolo gospodyn"}).status_code == 303
    person = db.session.query(Participant).filter_by(last_name="Gęś").one()
    assert person.organisation_id == orgs["Koło Gospodyń Wiejskich"].id


def test_the_form_offers_the_matches_of_an_ambiguous_name(client, fair, organiser, orgs, login):
    login(organiser)
    r = _new(client, fair, **{"organisation_id-q": "fundacja"})
    assert r.status_code == 422
    page = text(r)
    assert "Pasuje kilka pozycji do „fundacja”" in page
    assert re.findall(r'name="organisation_id-pick" value="(\d+)"', page) == [
        str(orgs["Fundacja Żółw"].id), str(orgs["Fundacja Żółw Morski"].id)]
    assert _new(client, fair, **{"organisation_id-q": "fundacja",
                                 "organisation_id-pick": str(orgs["Fundacja Żółw Morski"].id)}).status_code == 303


def test_the_form_refuses_another_fairs_organisation(client, fair, organiser, make_fair, make_organisation, login):
    other = make_organisation("Fundacja Obca", fair_id=make_fair().id)
    login(organiser)
    r = _new(client, fair, organisation_id=str(other.id))
    assert r.status_code == 422 and "Nieprawidłowy wybór" in text(r)


def test_the_edit_form_shows_the_current_organisation_by_name(client, fair, organiser, make_participant, login):
    person = make_participant(organisation="Muzeum Wisły")
    login(organiser)
    page = text(client.get(f"/f/{fair.slug}/admin/participants/{person.id}/edit"))
    assert f'name="organisation_id" value="{person.organisation_id}"' in page
    assert 'name="organisation_id-q" value="Muzeum Wisły"' in page
    assert "/admin/organisations/pick" in page and "js/picker.js" in page


# --- the organisations list -----------------------------------------------------------------

def test_the_list_is_paged_in_sql_by_folded_name_with_peoples_counts(fair, orgs, make_participant):
    make_participant(organisation="Fundacja Żółw")  # joins it
    first, second = (search_organisations(fair.id, page=n, page_size=2) for n in (1, 2))
    assert first.total == second.total == 4
    names = [o.name for o, _n in first.organisations + second.organisations]
    assert names == ["Fundacja Żółw", "Fundacja Żółw Morski", "Koło Gospodyń Wiejskich", "Stowarzyszenie Łąka"]
    assert first.organisations[0][1] == 1 and first.organisations[1][1] == 0


def test_the_list_searches_name_town_and_email_without_diacritics(fair, orgs, make_organisation):
    make_organisation("Caritas", email="Biuro@Caritas.example.org", sector=Sector.SOCIAL_COOPERATIVE)
    assert [o.name for o, _n in search_organisations(fair.id, "lodz").organisations] == ["Stowarzyszenie Łąka"]
    assert [o.name for o, _n in search_organisations(fair.id, "biuro@").organisations] == ["Caritas"]
    assert search_organisations(fair.id, "zolw morski").total == 1


def test_the_list_page_shows_its_page_and_the_way_on(client, fair, organiser, orgs, login, monkeypatch):
    monkeypatch.setattr("app.people.views.admin.PAGE_SIZE", 2)
    login(organiser)
    page = text(client.get(f"/f/{fair.slug}/admin/organisations"))  # the four and the organiser's
    assert "Strona 1 z 3" in page and "page=2" in page and "Stowarzyszenie Łąka" not in page
    last = text(client.get(f"/f/{fair.slug}/admin/organisations?page=3"))
    assert "Stowarzyszenie Łąka" in last and "Fundacja Żółw" not in last and 'rel="next"' not in last


def test_member_choices_are_the_fairs_members_or_every_member(fair, make_fair, make_organisation):
    from app.people.pickers import member_choices

    here = make_organisation("Fundacja Źdźbło")
    elsewhere = make_organisation("Stowarzyszenie Łąka", fair_id=make_fair().id)
    at_fair = [c.id for c in member_choices(fair.id)]
    assert here.member_id in at_fair and elsewhere.member_id not in at_fair
    assert {here.member_id, elsewhere.member_id} <= {c.id for c in member_choices(None)}


def test_member_choices_keep_a_removed_organisations_member_only_when_asked(fair, make_organisation):
    from app.core.storage.db import utcnow
    from app.core.storage.transactions import transaction
    from app.people.pickers import member_choices

    gone = make_organisation("Koło Gospodyń Wiejskich w Rokitkach")
    with transaction():
        db.session.get(type(gone), gone.id).removed_at = utcnow()
    assert gone.member_id not in [c.id for c in member_choices(fair.id)]
    assert gone.member_id in [c.id for c in member_choices(fair.id, include_removed=True)]
