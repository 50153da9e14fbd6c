"""`flask ledger verify`: re-check every invariant of the ledger from the stored rows.

Each failed check is a `Problem` naming the offending ids. The checks run as aggregate queries
plus one streaming pass over all entries (to recompute content fingerprints), so 100,000
entries take seconds, not minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.orm import aliased

from app.core.extensions import db
from app.ledger.limits import limits_for
from app.ledger.models import Account, AccountKind, Entry, EntryKind, Posting
from app.ledger.posting import fingerprint

CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    code: str
    what: str  # "entry", "posting", "account" or "idempotency key"
    ids: tuple[int | str, ...]
    message: str

    def __str__(self) -> str:
        shown = ", ".join(str(i) for i in self.ids[:50])
        more = f" and {len(self.ids) - 50} more" if len(self.ids) > 50 else ""
        return f"{self.code}: {self.message} — {self.what} {shown}{more}"


@dataclass
class Report:
    entries: int = 0
    postings: int = 0
    accounts: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, what: str, ids: Iterable[int | str], message: str) -> None:
        found = tuple(sorted(set(ids), key=lambda v: (isinstance(v, str), v)))
        if found:
            self.problems.append(Problem(code, what, found, message))


def _ids(query: Select[Any]) -> list[int]:
    return [row[0] for row in db.session.execute(query)]


def _check_postings(report: Report) -> None:
    report.add("entry_unbalanced", "entry", _ids(
        select(Posting.entry_id).group_by(Posting.entry_id).having(func.sum(Posting.points) != 0)),
        "postings do not sum to zero")
    counts = select(Posting.entry_id, func.count().label("n")).group_by(Posting.entry_id).subquery()
    report.add("entry_too_few_postings", "entry", _ids(
        select(Entry.id).outerjoin(counts, counts.c.entry_id == Entry.id)
        .where(func.coalesce(counts.c.n, 0) < 2)),
        "fewer than two postings")
    report.add("posting_zero", "posting", _ids(select(Posting.id).where(Posting.points == 0)),
               "posting of zero points")
    report.add("posting_duplicate_account", "entry", _ids(
        select(Posting.entry_id).group_by(Posting.entry_id, Posting.account_id).having(func.count() > 1)),
        "two postings to the same account in one entry")


def _check_accounts(report: Report) -> None:
    sums = (select(Posting.account_id, func.sum(Posting.points).label("total"))
            .group_by(Posting.account_id).subquery())
    rows = db.session.execute(
        select(Account, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id).order_by(Account.id)).all()
    report.accounts = len(rows)
    report.add("balance_mismatch", "account", [a.id for a, total in rows if a.balance != total],
               "cached balance differs from the sum of postings")
    report.add("limit_exceeded", "account",
               [a.id for a, total in rows if a.kind != AccountKind.SYSTEM and not limits_for(a).allows(total)],
               "balance outside the account's floor and ceiling")
    report.add("system_account_limits", "account",
               [a.id for a, _t in rows if a.kind == AccountKind.SYSTEM
                and (a.floor is not None or a.ceiling is not None)],
               "system accounts must have no limits")


def _check_keys(report: Report) -> None:
    report.add("idempotency_key_duplicate", "idempotency key", [
        row[0] for row in db.session.execute(
            select(Entry.idempotency_key).group_by(Entry.idempotency_key).having(func.count() > 1))],
        "the same idempotency key is used by several entries")
    report.add("idempotency_key_blank", "entry", _ids(
        select(Entry.id).where(func.trim(Entry.idempotency_key) == literal_column("''"))),
        "blank idempotency key")
    report.add("fulfilment_duplicate", "entry", _ids(
        select(func.min(Entry.id)).where(Entry.kind == EntryKind.FULFILMENT)
        .group_by(Entry.source_kind, Entry.source_id).having(func.count() > 1)),
        "one obligation fulfilled by several entries")


def _check_reversals(report: Report) -> None:
    original = aliased(Entry)
    report.add("reversal_without_link", "entry", _ids(
        select(Entry.id).where((Entry.kind == EntryKind.REVERSAL) != Entry.reverses_id.is_not(None))),
        "reversal kind and reversal link disagree")
    report.add("reversal_dangling", "entry", _ids(
        select(Entry.id).outerjoin(original, original.id == Entry.reverses_id)
        .where(Entry.reverses_id.is_not(None), original.id.is_(None))),
        "reverses an entry that does not exist")
    report.add("reversal_of_reversal", "entry", _ids(
        select(Entry.id).join(original, original.id == Entry.reverses_id)
        .where(original.kind == EntryKind.REVERSAL)),
        "reverses a reversal")
    report.add("reversal_not_after_original", "entry", _ids(
        select(Entry.id).where(Entry.reverses_id.is_not(None), Entry.reverses_id >= Entry.id)),
        "reversal is not newer than the entry it reverses")
    report.add("reversed_twice", "entry", _ids(
        select(Entry.reverses_id).where(Entry.reverses_id.is_not(None))
        .group_by(Entry.reverses_id).having(func.count() > 1)),
        "entry reversed more than once")
    pairs = list(db.session.execute(select(Entry.id, Entry.reverses_id).where(Entry.reverses_id.is_not(None))))
    wrong = []
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start:start + CHUNK]
        wanted = {r for r, _o in chunk} | {o for _r, o in chunk}
        legs: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for entry_id, account_id, points in db.session.execute(
                select(Posting.entry_id, Posting.account_id, Posting.points)
                .where(Posting.entry_id.in_(wanted))):
            legs[entry_id].add((account_id, points))
        for reversal, orig in chunk:
            if legs[reversal] != {(a, -p) for a, p in legs[orig]}:
                wrong.append(reversal)
    report.add("reversal_mismatch", "entry", wrong, "postings are not the exact opposite of the original's")


def _check_fingerprints(report: Report) -> None:
    """Recompute every entry's content hash, streaming entries and postings in id order."""
    # Plain SQL rows, streamed: no ORM or type processing on 100,000s of rows.
    streamed = {"yield_per": CHUNK}
    entries = db.session.execute(text(
        "SELECT id, kind, memo, fair_id, source_kind, source_id, reverses_id, fingerprint "
        "FROM ledger_entries ORDER BY id"), execution_options=streamed)
    postings = db.session.execute(text(
        "SELECT entry_id, account_id, points FROM ledger_postings ORDER BY entry_id"),
        execution_options=streamed)
    pending = next(postings, None)
    wrong = []
    n_entries = n_postings = 0
    for entry_id, kind, memo, fair_id, source_kind, source_id, reverses_id, stored in entries:
        n_entries += 1
        legs = []
        while pending is not None and pending[0] < entry_id:  # postings of a missing entry
            n_postings += 1
            pending = next(postings, None)
        while pending is not None and pending[0] == entry_id:
            legs.append((pending[1], pending[2]))
            n_postings += 1
            pending = next(postings, None)
        if fingerprint(kind, legs, memo, fair_id, source_kind, source_id, reverses_id) != stored:
            wrong.append(entry_id)
    while pending is not None:
        n_postings += 1
        pending = next(postings, None)
    report.entries, report.postings = n_entries, n_postings
    report.add("fingerprint_mismatch", "entry", wrong, "content differs from its recorded fingerprint")


def verify_ledger() -> Report:
    """Check every invariant; read-only. Run it outside a service transaction."""
    report = Report()
    _check_postings(report)
    _check_accounts(report)
    _check_keys(report)
    _check_reversals(report)
    _check_fingerprints(report)
    db.session.rollback()
    return report
