"""Reading the ledger for pages (no writes here; statements and totals have their own modules)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.ledger.models import Account, AccountKind, Entry


def entry_with_key(idempotency_key: str) -> Entry | None:
    """The entry a form with this key posted already, if any."""
    return db.session.scalar(select(Entry).where(Entry.idempotency_key == idempotency_key))


def find_entry(entry_id: int) -> Entry | None:
    return db.session.get(Entry, entry_id)


def reversal_of(entry_id: int) -> Entry | None:
    """The entry that reverses this one, if any."""
    return db.session.scalar(select(Entry).where(Entry.reverses_id == entry_id))


def person_accounts(fair_id: int) -> list[Account]:
    """The fair's personal accounts, by name."""
    return list(db.session.scalars(select(Account).where(
        Account.fair_id == fair_id, Account.kind == AccountKind.PERSON).order_by(Account.name)))


def fair_accounts(fair_id: int, with_system: bool = False) -> list[Account]:
    """The fair's accounts by kind and name; with the system accounts (which sum up every fair)
    when asked."""
    shown = Account.fair_id == fair_id
    if with_system:
        shown = shown | (Account.kind == AccountKind.SYSTEM)
    return list(db.session.scalars(select(Account).where(shown).order_by(Account.kind, Account.name)))
