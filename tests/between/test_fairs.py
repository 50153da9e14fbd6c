"""The coordinator's fairs (app/between/fairs.py): the list, and a fair created inside the network."""

import pytest
from sqlalchemy import select

from app.between.fairs import create_network_fair, network_fairs
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail
from app.fairs.fairs import FairData
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.organisations import OrganisationData
from app.people.participants import PersonData


def _new(actor, slug="pelplin-2027", email="nina@example.org"):
    return create_network_fair(actor, FairData(slug=slug, name="Giełda Zasobów Pelplin"),
                               PersonData("Nina", "Nowacka", email), OrganisationData("Gmina Pelplin", Sector.PUBLIC))


def test_the_coordinator_creates_a_fair_and_invites_its_organiser(coordinator, outbox):
    created = _new(coordinator)
    organiser = created.organiser
    assert (organiser.role, organiser.fair.slug, organiser.password_hash) == (Role.ORGANISER, "pelplin-2027", None)
    mail = db.session.scalars(select(QueuedMail).where(QueuedMail.kind == "invitation")).one()
    assert mail.recipient_email == "nina@example.org" and "/f/pelplin-2027/welcome/" in mail.body


def test_the_coordinator_is_not_made_the_new_fairs_organiser(coordinator):
    fair = _new(coordinator).organiser.fair
    assert [row.organisers for row in network_fairs() if row.fair.id == fair.id] == [["Nina Nowacka"]]


def test_a_fairs_organiser_does_not_create_fairs_inside_the_network(organiser, fair):
    with pytest.raises(DomainError) as err:
        _new(organiser)
    assert err.value.code == "not_coordinator"


def test_the_new_fairs_organiser_needs_an_email(coordinator):
    with pytest.raises(DomainError) as err:
        _new(coordinator, email="")
    assert err.value.code == "email_required"


def test_a_taken_address_is_refused_and_nothing_is_created(coordinator, fair):
    before = len(network_fairs())
    with pytest.raises(DomainError) as err:
        _new(coordinator, slug=fair.slug)
    assert err.value.code == "duplicate_slug"
    assert len(network_fairs()) == before


def test_the_list_has_the_fairs_not_the_space(coordinator, fair, make_participant):
    make_participant()
    rows = network_fairs()
    assert [r.fair.slug for r in rows] == [fair.slug]
    assert rows[0].participants == 2 and rows[0].organisers == ["Grażyna Żebrowska"]
