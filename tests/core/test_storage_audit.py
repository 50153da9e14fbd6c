"""The audit log (app/core/storage/audit.py): one entry per outermost service call, with its actor, never a
secret, none for a refused call."""

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.fairs.categories import add_category
from app.network.sectors import Sector
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, register_participant


def test_every_service_call_is_audited_with_actor(fair, organiser):
    add_category(organiser, fair.id, "Ogród")
    entry = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert entry.action == "categories.add_category" and entry.actor_id == organiser.id
    assert entry.fair_id == fair.id and entry.details["name"] == "Ogród"
    assert entry.target.startswith("Category#")


def test_refused_call_leaves_no_audit_entry(fair, organiser):
    before = db.session.query(AuditEvent).count()
    with pytest.raises(DomainError):
        add_category(organiser, fair.id, "sprzęt")  # a duplicate
    assert db.session.query(AuditEvent).count() == before


def test_audit_never_stores_secrets(fair, organiser, notary):
    from app.people.credentials import set_password

    set_password(organiser, fair.id, notary.id, "secret long password")
    entry = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert entry.action == "credentials.set_password"
    assert "secret long password" not in str(entry.details)


def test_nested_services_are_audited_once(fair):
    register_participant(fair.id, PersonData("Ala", "Kot", "ala@example.org"), OrganisationData("Kot", Sector.NGO))
    assert [e.action for e in db.session.query(AuditEvent).filter_by(fair_id=fair.id)][-1] == \
        "participants.register_participant"
