"""Account statements: the postings of one account over a period, with a running balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.fairs.models import Fair, FairKind
from app.ledger.models import Account, Entry, EntryKind, Posting

CARRY_SOURCE = "carry"  # a per-fair account's balance carried into the network account (migration 0016)
CARRY_LABEL = _l("Carried into the network account")
BETWEEN_FAIRS = _l("between fairs")


@dataclass(frozen=True)
class StatementLine:
    entry_id: int
    at: datetime
    kind: EntryKind
    memo: str
    counterparties: tuple[str, ...]
    points: int
    balance: int  # after this line
    actor: str
    fair: str | None  # the fair it came from (None: between fairs)
    source: str | None
    reverses_id: int | None
    reversed_by_id: int | None

    @property
    def description(self) -> str:
        """What the line says: its memo, in the reader's language where the app wrote it."""
        if self.source is not None and self.source.startswith(f"{CARRY_SOURCE}:"):
            return str(CARRY_LABEL)
        return self.memo

    @property
    def origin(self) -> str:
        """Where it came from: its fair's name, or 'between fairs'."""
        return self.fair if self.fair is not None else str(BETWEEN_FAIRS)


@dataclass(frozen=True)
class Statement:
    account: Account
    since: date | None
    until: date | None
    opening: int  # balance before the first line
    closing: int  # balance after the last line
    lines: tuple[StatementLine, ...]

    @property
    def credits(self) -> int:
        return sum(line.points for line in self.lines if line.points > 0)

    @property
    def debits(self) -> int:
        return sum(line.points for line in self.lines if line.points < 0)


def day_start(day: date) -> datetime:
    """Midnight of `day` in the network's time zone, as a UTC datetime."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)


def _sum_before(account_id: int, before: datetime | None) -> int:
    query = select(func.coalesce(func.sum(Posting.points), 0)).where(Posting.account_id == account_id)
    if before is not None:
        query = query.join(Entry, Entry.id == Posting.entry_id).where(Entry.created_at < before)
    return int(db.session.scalar(query) or 0)


def account_statement(account: Account, since: date | None = None, until: date | None = None,
                      latest: int | None = None) -> Statement:
    """Postings of `account` from `since` to `until` (inclusive, local days), oldest first.

    With `latest`, only the newest `latest` lines of the period are kept; the opening balance
    is then the balance before the first line kept.
    """
    start = day_start(since) if since else None
    end = day_start(until + timedelta(days=1)) if until else None
    # An entry of the network's space (an agreement between fairs) came from no fair: "between fairs".
    fair_name = case((Fair.kind == FairKind.NETWORK, None), else_=Fair.name)
    query = (select(Posting.points, Entry, fair_name)
             .join(Entry, Entry.id == Posting.entry_id).outerjoin(Fair, Fair.id == Entry.fair_id)
             .where(Posting.account_id == account.id))
    if start is not None:
        query = query.where(Entry.created_at >= start)
    if end is not None:
        query = query.where(Entry.created_at < end)
    if latest is not None:
        rows = list(db.session.execute(query.order_by(Entry.id.desc()).limit(latest)))[::-1]
    else:
        rows = list(db.session.execute(query.order_by(Entry.id)))
    closing = _sum_before(account.id, end)
    opening = closing - sum(points for points, _entry, _fair in rows)

    ids = [entry.id for _points, entry, _fair in rows]
    others: dict[int, list[str]] = {}
    reversed_by: dict[int, int] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for entry_id, other in db.session.execute(
                select(Posting.entry_id, Account).join(Account, Account.id == Posting.account_id)
                .where(Posting.entry_id.in_(chunk), Posting.account_id != account.id)
                .order_by(Posting.id)):
            others.setdefault(entry_id, []).append(other.display_name)
        for original, reversal in db.session.execute(
                select(Entry.reverses_id, Entry.id).where(Entry.reverses_id.in_(chunk))):
            reversed_by[original] = reversal

    lines = []
    balance = opening
    for points, entry, fair in rows:
        balance += points
        lines.append(StatementLine(
            entry_id=entry.id, at=entry.created_at, kind=entry.kind, memo=entry.memo,
            counterparties=tuple(others.get(entry.id, ())), points=points, balance=balance,
            actor=entry.actor_label, fair=fair,
            source=f"{entry.source_kind}:{entry.source_id}" if entry.source_kind else None,
            reverses_id=entry.reverses_id, reversed_by_id=reversed_by.get(entry.id)))
    return Statement(account=account, since=since, until=until, opening=opening, closing=closing,
                     lines=tuple(lines))
