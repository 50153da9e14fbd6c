"""Transactions (app/core/storage/transactions.py): one service call is one transaction."""

import pytest

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.network.sectors import Sector
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, register_participant


def person(first="Łucja", last="Żółkiewska", email="lucja@example.org", **kw):
    return PersonData(first, last, email, **kw)


def org(name="Fundacja Źdźbło", sector=Sector.NGO):
    return OrganisationData(name, sector)


def test_service_inside_outer_transaction_joins_it(fair):
    with pytest.raises(RuntimeError), transaction():
        register_participant(fair.id, person(), org())
        raise RuntimeError("abort")
    assert db.session.query(Participant).filter_by(email_key="lucja@example.org").count() == 0


def test_the_audit_names_a_new_row_a_service_returns_unflushed(fair):
    from app.core.storage.audit import AuditEvent
    from app.core.storage.events import DomainEvent
    from app.core.storage.transactions import service

    @service
    def add_row(fair_id: int) -> DomainEvent:  # added, never flushed by the service itself
        row = DomainEvent(fair_id=fair_id, seq=10_000, type="x.test", payload={})
        db.session.add(row)
        return row

    row = add_row(fair.id)
    logged = db.session.query(AuditEvent).filter(AuditEvent.action.like("%.add_row")).one()
    assert row.id is not None and logged.target == f"DomainEvent#{row.id}"
