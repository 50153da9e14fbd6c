"""The brokers' pages (app/brokers/views.py): the worklist, its fragment, "introduce"."""

import re
import uuid

import pytest

from app.brokers.introductions import EVENT
from app.brokers.models import Introduction
from app.core.extensions import db
from app.fairs.roles import Role
from app.floor.kinds import PostKind
from tests.malformed import ID_VALUES


def test_broker_opens_the_worklist_and_not_the_desk(client, trading_fair, broker, login):
    login(broker)
    assert client.get(f"/f/{trading_fair.slug}/brokers").status_code == 200
    assert client.get(f"/f/{trading_fair.slug}/desk").status_code == 403


def test_participant_is_refused_the_worklist(client, trading_fair, make_participant, login):
    login(make_participant())
    assert client.get(f"/f/{trading_fair.slug}/brokers").status_code == 403


def test_worklist_shows_an_open_need_with_a_partner_and_someone_alone(client, trading_fair, broker, login,
                                                                     make_participant, make_post):
    asker, giver = make_participant("Anna", "Nowak"), make_participant("Piotr", "Zieliński")
    make_participant("Bożena", "Cicha")
    make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    make_post(giver, "Sala konferencyjna na 40 osób")
    login(broker)
    page = client.get(f"/f/{trading_fair.slug}/brokers").get_data(as_text=True)
    assert "Potrzebna sala konferencyjna" in page and "Sala konferencyjna na 40 osób" in page
    assert "Bożena Cicha" in page
    assert 'action="/f/tczew/brokers/introduce"' in page


def test_organiser_sees_the_worklist_without_introduce_buttons(client, trading_fair, organiser, login,
                                                               make_participant, make_post):
    make_post(make_participant(), "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    make_post(make_participant(), "Sala konferencyjna na 40 osób")
    login(organiser)
    page = client.get(f"/f/{trading_fair.slug}/brokers/panels").get_data(as_text=True)
    assert "Sala konferencyjna na 40 osób" in page and "/brokers/introduce" not in page


def form_of(page, first_id):
    """The introduce form on the page for this first person: its fields."""
    for form in re.findall(r'<form method="post" action="[^"]*/brokers/introduce".*?</form>', page, re.S):
        fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
        if fields.get("first") == str(first_id):
            return fields
    raise AssertionError("no introduce form for this person")


def test_introduce_tapped_twice_introduces_once(client, trading_fair, broker, login, make_participant, make_post):
    asker, giver = make_participant("Anna", "Nowak"), make_participant("Piotr", "Zieliński")
    make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    make_post(giver, "Sala konferencyjna na 40 osób")
    login(broker)
    fields = form_of(client.get(f"/f/{trading_fair.slug}/brokers").get_data(as_text=True), asker.id)
    first = client.post(f"/f/{trading_fair.slug}/brokers/introduce", data=fields)
    again = client.post(f"/f/{trading_fair.slug}/brokers/introduce", data=fields, follow_redirects=True)
    assert first.status_code == 303 and again.status_code == 200
    assert "nikt nie dostał powiadomienia dwa razy" in again.get_data(as_text=True)
    assert db.session.query(Introduction).count() == 1
    page = client.get(f"/f/{trading_fair.slug}/brokers").get_data(as_text=True)
    assert 'data-introduction="' in page and "Jeszcze bez umowy" in page


def test_introduce_refused_for_one_organisation_says_why(client, trading_fair, broker, login, make_participant):
    anna = make_participant("Anna", "Nowak", organisation="Fundacja Arka")
    ola = make_participant("Ola", "Nowak", organisation="Fundacja Arka")
    login(broker)
    r = client.post(f"/f/{trading_fair.slug}/brokers/introduce", follow_redirects=True,
                    data={"first": anna.id, "second": ola.id, "key": uuid.uuid4().hex})
    assert "dwóch różnych organizacji" in r.get_data(as_text=True)
    assert db.session.query(Introduction).count() == 0


@pytest.mark.parametrize("field", ["first", "second", "first_post", "second_post", "key"])
@pytest.mark.parametrize("value", [*ID_VALUES, "", "-1", "0"])
def test_malformed_introduce_fields_are_refused_without_error(client, trading_fair, broker, login, make_participant,
                                                              notices, field, value):
    anna, piotr = make_participant(), make_participant()
    login(broker)
    data = {"first": anna.id, "second": piotr.id, "first_post": "", "second_post": "", "key": uuid.uuid4().hex,
            field: value}
    r = client.post(f"/f/{trading_fair.slug}/brokers/introduce", data=data)
    assert r.status_code in (303, 400, 404)
    if not (field in ("first_post", "second_post") and value == ""):  # an empty post id: allowed
        assert notices(anna, EVENT) == []


def test_a_notary_may_not_introduce(client, trading_fair, make_participant, login):
    notary = make_participant("Jerzy", "Łęcki", role=Role.NOTARY)
    anna, piotr = make_participant(), make_participant()
    login(notary)
    r = client.post(f"/f/{trading_fair.slug}/brokers/introduce",
                    data={"first": anna.id, "second": piotr.id, "key": uuid.uuid4().hex})
    assert r.status_code == 403
