"""Reading the ledger for pages (no writes here; statements and totals have their own modules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from app.core.extensions import db
from app.core.textkeys import search_key
from app.ledger.models import Account, AccountKind, Entry
from app.network.models import Member, Person
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
    """The accounts of the members and people at the fair, by kind and holder's name (case and
    diacritics ignored), with the system accounts (which sum up every fair) when asked; `q`
    searches the holders' names (every word). Closed per-fair accounts from before the network
    are left out (their statements stay reachable from the entries that carried them). Sorted,
    searched and paged in SQL: two queries however many accounts the fair has."""
    at_fair = or_(
        select(Organisation.id).where(Organisation.member_id == Account.member_id, Organisation.fair_id == fair_id,
                                      Organisation.removed_at.is_(None)).exists(),
        select(Participant.id).where(Participant.person_id == Account.person_id, Participant.fair_id == fair_id,
                                     Participant.removed_at.is_(None)).exists())
    shown = and_(Account.closed_at.is_(None), at_fair)
    if with_system:
        shown = shown | (Account.kind == AccountKind.SYSTEM)
    query = (select(Account).outerjoin(Member, Account.member_id == Member.id)
             .outerjoin(Person, Account.person_id == Person.id).where(shown))
    for part in search_key(q).split():
        query = query.where(or_(Member.search_text.contains(part, autoescape=True),
                                Person.search_text.contains(part, autoescape=True),
                                func.lower(Account.name).contains(part, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    name = func.coalesce(Member.search_text, Person.sort_key, func.lower(Account.name))
    kind_order = case({AccountKind.MEMBER: 0, AccountKind.INDIVIDUAL: 1, AccountKind.SYSTEM: 2}, value=Account.kind,
                      else_=3)  # organisations, then people, then the system's
    listed = query.order_by(kind_order, _bytewise(name), Account.id)
    if page_size is not None:
        listed = listed.limit(page_size).offset((max(page, 1) - 1) * page_size)
    return AccountsPage(list(db.session.scalars(listed)), total)


def organisations_without_account(fair_id: int) -> int:
    """How many of the members at the fair (organisations not removed) have no points account yet."""
    return db.session.scalar(select(func.count(func.distinct(Organisation.member_id))).where(
        Organisation.fair_id == fair_id, Organisation.removed_at.is_(None),
        ~select(Account.id).where(Account.member_id == Organisation.member_id).exists())) or 0


def holder_choice(account: Account, fair_id: int) -> str | None:
    """How the fair's forms name this account's holder (`org:<id>` of the member's organisation at
    the fair, `person:<id>` of the person's participant there), or None: a closed account, a
    system one, or a holder not at this fair."""
    if account.closed_at is not None:
        return None
    if account.kind == AccountKind.MEMBER:
        org_id = db.session.scalar(select(Organisation.id).where(
            Organisation.member_id == account.member_id, Organisation.fair_id == fair_id,
            Organisation.removed_at.is_(None)).order_by(Organisation.id).limit(1))
        return f"org:{org_id}" if org_id is not None else None
    if account.kind == AccountKind.INDIVIDUAL:
        person_id = db.session.scalar(select(Participant.id).where(
            Participant.person_id == account.person_id, Participant.fair_id == fair_id,
            Participant.removed_at.is_(None)).order_by(Participant.id).limit(1))
        return f"person:{person_id}" if person_id is not None else None
    return None
