"""Reading the ledger for pages (no writes here; statements and totals have their own modules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from app.core.extensions import db
from app.core.textkeys import search_key
from app.ledger.models import Account, AccountKind, Entry
from app.people.models import Organisation, Participant


def entry_with_key(idempotency_key: str) -> Entry | None:
    """The entry a form with this key posted already, if any."""
    return db.session.scalar(select(Entry).where(Entry.idempotency_key == idempotency_key))


def find_entry(entry_id: int) -> Entry | None:
    return db.session.get(Entry, entry_id)


def reversal_of(entry_id: int) -> Entry | None:
    """The entry that reverses this one, if any."""
    return db.session.scalar(select(Entry).where(Entry.reverses_id == entry_id))


@dataclass(frozen=True)
class AccountsPage:
    accounts: list[Account]  # this page's, in order
    total: int  # all that match


def _bytewise(column: Any) -> Any:
    # PostgreSQL compares text by its locale, which skips separators: compare bytes, as SQLite does.
    return column.collate("C") if db.engine.dialect.name == "postgresql" else column


def fair_accounts(fair_id: int, with_system: bool = False, q: str = "", page: int = 1,
                  page_size: int | None = None) -> AccountsPage:
    """The fair's accounts by kind and holder's name (case and diacritics ignored), with the
    system accounts (which sum up every fair) when asked; `q` searches the holders' names (every
    word). Sorted, searched and paged in SQL: two queries however many accounts the fair has."""
    shown = Account.fair_id == fair_id
    if with_system:
        shown = shown | (Account.kind == AccountKind.SYSTEM)
    query = (select(Account).outerjoin(Organisation, Account.organisation_id == Organisation.id)
             .outerjoin(Participant, Account.participant_id == Participant.id).where(shown))
    for part in search_key(q).split():
        query = query.where(or_(Organisation.search_text.contains(part, autoescape=True),
                                Participant.search_text.contains(part, autoescape=True),
                                func.lower(Account.name).contains(part, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    name = func.coalesce(Organisation.search_text, Participant.sort_key, func.lower(Account.name))
    listed = query.order_by(Account.kind, _bytewise(name), Account.id)
    if page_size is not None:
        listed = listed.limit(page_size).offset((max(page, 1) - 1) * page_size)
    return AccountsPage(list(db.session.scalars(listed)), total)


def organisations_without_account(fair_id: int) -> int:
    """How many of the fair's organisations (not removed) have no points account yet."""
    return db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.fair_id == fair_id, Organisation.removed_at.is_(None),
        ~select(Account.id).where(Account.organisation_id == Organisation.id).exists())) or 0
