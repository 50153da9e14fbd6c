"""Network totals: points in circulation, entries per month, the most active accounts, and
per fair the points pledged in agreements against those fulfilled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import aliased

from app.core.extensions import db
from app.fairs.models import Fair
from app.ledger.hooks import pledged_points
from app.ledger.models import Account, AccountKind, Entry, EntryKind, Posting
from app.ledger.statements import LOCAL_ZONE


@dataclass(frozen=True)
class ActiveAccount:
    account: Account
    postings: int
    turnover: int  # sum of absolute points moved


@dataclass(frozen=True)
class FairPoints:
    fair: Fair
    pledged: int
    fulfilled: int
    fulfilments: int


@dataclass(frozen=True)
class NetworkTotals:
    in_circulation: int  # sum of the positive balances of members' accounts
    owed: int  # sum of the negative balances of members' accounts (≤ 0)
    issued: int  # points put out by the system accounts (opening balances)
    accounts: int
    entries: int
    per_month: list[tuple[str, int]]
    most_active: list[ActiveAccount]
    fairs: list[FairPoints]


def _month(column: Any) -> ColumnElement[str]:
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone(LOCAL_ZONE.key, column), "YYYY-MM")
    return func.strftime("%Y-%m", column)  # SQLite: stored in UTC; close enough for a monthly count


def entries_per_month() -> list[tuple[str, int]]:
    month = _month(Entry.created_at).label("month")
    return [(m, n) for m, n in db.session.execute(
        select(month, func.count()).group_by(month).order_by(month))]


def most_active_accounts(limit: int = 10) -> list[ActiveAccount]:
    rows = db.session.execute(
        select(Account, func.count(Posting.id), func.sum(func.abs(Posting.points)))
        .join(Posting, Posting.account_id == Account.id)
        .where(Account.kind != AccountKind.SYSTEM)
        .group_by(Account.id).order_by(func.count(Posting.id).desc(), Account.id).limit(limit))
    return [ActiveAccount(a, int(n), int(t or 0)) for a, n, t in rows]


def fulfilled_points_by_fair() -> dict[int, tuple[int, int]]:
    """Per fair: (points moved by fulfilment entries not reversed, number of such entries)."""
    reversal = aliased(Entry)
    rows = db.session.execute(
        select(Entry.fair_id, func.coalesce(func.sum(Posting.points), 0), func.count(func.distinct(Entry.id)))
        .join(Posting, Posting.entry_id == Entry.id)
        .outerjoin(reversal, reversal.reverses_id == Entry.id)
        .where(Entry.kind == EntryKind.FULFILMENT, Entry.fair_id.is_not(None), Posting.points > 0,
               reversal.id.is_(None))
        .group_by(Entry.fair_id))
    return {fair_id: (int(points), int(n)) for fair_id, points, n in rows}


def network_totals() -> NetworkTotals:
    members = Account.kind != AccountKind.SYSTEM
    positive = db.session.scalar(select(func.coalesce(func.sum(Account.balance), 0))
                                 .where(members, Account.balance > 0))
    negative = db.session.scalar(select(func.coalesce(func.sum(Account.balance), 0))
                                 .where(members, Account.balance < 0))
    issued = db.session.scalar(select(func.coalesce(func.sum(Account.balance), 0))
                               .where(Account.kind == AccountKind.SYSTEM))
    fulfilled = fulfilled_points_by_fair()
    fairs = [FairPoints(f, pledged_points(f.id), *fulfilled.get(f.id, (0, 0)))
             for f in db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc()))]
    return NetworkTotals(
        in_circulation=int(positive or 0), owed=int(negative or 0), issued=-int(issued or 0),
        accounts=int(db.session.scalar(select(func.count()).select_from(Account)) or 0),
        entries=int(db.session.scalar(select(func.count()).select_from(Entry)) or 0),
        per_month=entries_per_month(), most_active=most_active_accounts(), fairs=fairs)
