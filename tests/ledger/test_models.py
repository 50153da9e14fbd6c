"""The ledger's tables are append-only: the database refuses changes (triggers)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.ledger.models import Entry


def test_entries_cannot_be_updated(entry, app):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_entries SET memo = 'x' WHERE id = :id"), {"id": entry.id})


def test_postings_cannot_be_deleted(entry, app):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_postings WHERE entry_id = :id"), {"id": entry.id})


@pytest.mark.postgresql_only
def test_postgresql_refuses_an_entry_without_postings_at_commit(entry, app):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="unbalanced"), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO ledger_entries (kind, idempotency_key, fingerprint, memo, actor_label, "
                          "created_at) VALUES ('transfer', 'lonely', '', '', '', now())"))
    assert db.session.scalar(select(Entry).where(Entry.idempotency_key == "lonely")) is None


@pytest.mark.postgresql_only
def test_postgresql_refuses_an_unbalanced_posting_at_commit(entry, app):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="unbalanced"), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO ledger_accounts (kind, system_key, name, balance, created_at) "
                          "VALUES ('system', 'spare', 'Spare', 0, now())"))
        conn.execute(text("INSERT INTO ledger_postings (entry_id, account_id, points) "
                          "SELECT :id, id, 5 FROM ledger_accounts WHERE system_key = 'spare'"),
                     {"id": entry.id})
