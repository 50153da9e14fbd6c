"""The one function that writes to the ledger: `post_entry`.

Everything else (transfers, awards, fulfilments, openings, reversals) builds an `EntryDraft`
and hands it here. Within one transaction `post_entry`:

1. validates the draft (two or more non-zero postings on distinct accounts summing to zero);
2. locks, for an entry that concerns a fair, the fair's row first (its event counter is updated
   at the end anyway, and the Agreements code holds it when it calls the fulfilment seam), then
   the accounts' rows in id order — `SELECT … FOR UPDATE` on PostgreSQL, so that lock order is
   always fair, then accounts by id, and writers never deadlock; on SQLite the service
   transaction already holds the write lock from `BEGIN IMMEDIATE`. Accounts the calling
   operation locked already with `lock_accounts` are not locked again;
3. returns the entry already posted under the same idempotency key, if any — or refuses with
   `idempotency_conflict` when that entry's content differs (looked up after the locks, so a
   writer that committed the key while we waited is seen);
4. checks every account's floor and ceiling against its locked balance;
5. inserts the entry and its postings inside a savepoint (the one flush of the posting path) — a
   unique-key race lost to a writer on other accounts ends in an IntegrityError, after which the
   winner's entry is read back and step 3 applies — and updates the cached balances, written
   with the rest of the transaction at its commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.models import Fair
from app.ledger.limits import check_move
from app.ledger.models import Account, Entry, EntryKind, Posting
from app.ledger.permissions import Actor, actor_id, actor_label

MAX_KEY_LENGTH = 200
MAX_MEMO_LENGTH = 500


@dataclass(frozen=True)
class Leg:
    """One posting to be made: `points` (signed, non-zero) on `account_id`."""

    account_id: int
    points: int


@dataclass(frozen=True)
class EntryDraft:
    kind: EntryKind
    legs: Sequence[Leg]
    idempotency_key: str
    memo: str = ""
    fair_id: int | None = None
    source_kind: str | None = None
    source_id: int | None = None
    reverses_id: int | None = None


def fingerprint(kind: EntryKind | str, legs: Sequence[tuple[int, int]], memo: str,
                fair_id: int | None, source_kind: str | None, source_id: int | None,
                reverses_id: int | None) -> str:
    """A hash of an entry's content: what a retry with the same key must repeat exactly."""
    content = {  # keys in sorted order: the JSON text is canonical without sort_keys
        "fair": fair_id,
        "kind": str(kind),  # an EntryKind is a str whose str() is its value
        "legs": sorted([int(a), int(p)] for a, p in legs),
        "memo": memo,
        "reverses": reverses_id,
        "source": [source_kind, source_id],
    }
    raw = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def entry_fingerprint(entry: Entry) -> str:
    return fingerprint(entry.kind, [(p.account_id, p.points) for p in entry.postings], entry.memo,
                       entry.fair_id, entry.source_kind, entry.source_id, entry.reverses_id)


def _validate(draft: EntryDraft) -> str:
    key = draft.idempotency_key.strip() if isinstance(draft.idempotency_key, str) else ""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(_l("Every entry needs an idempotency key of up to 200 characters."),
                              code="invalid_idempotency_key")
    memo = tidy(draft.memo)
    if len(memo) > MAX_MEMO_LENGTH:
        raise ValidationError(_l("The description may have at most 500 characters."),
                              code="memo_too_long")
    if len(draft.legs) < 2:
        raise ValidationError(_l("An entry needs at least two postings."), code="too_few_postings")
    seen: set[int] = set()
    for leg in draft.legs:
        if isinstance(leg.points, bool) or not isinstance(leg.points, int):
            raise ValidationError(_l("Points must be whole numbers."), code="invalid_points")
        if leg.points == 0:
            raise ValidationError(_l("A posting of zero points is not allowed."), code="zero_posting")
        if leg.account_id in seen:
            raise ValidationError(_l("An entry may not post twice to the same account."),
                                  code="same_account")
        seen.add(leg.account_id)
    if sum(leg.points for leg in draft.legs) != 0:
        raise ValidationError(_l("The postings of an entry must add up to zero."),
                              code="unbalanced_entry")
    return memo


def _by_key(key: str) -> Entry | None:
    return db.session.scalar(select(Entry).where(Entry.idempotency_key == key))


def _replay(existing: Entry, wanted: str) -> Entry:
    if existing.fingerprint != wanted:
        raise Conflict(
            _l("This request was already used for a different entry (no. %(id)s).", id=existing.id),
            code="idempotency_conflict", entry_id=existing.id)
    return existing


def _already_reversed(original_id: int) -> Conflict:
    return Conflict(_l("Entry no. %(id)s has already been reversed.", id=original_id),
                    code="already_reversed", entry_id=original_id)


def lock_fair(fair_id: int) -> None:
    """Lock a fair's row: taken before any account, so lock order is the same everywhere."""
    db.session.execute(select(Fair.id).where(Fair.id == fair_id).with_for_update())


def lock_accounts(ids: Sequence[int]) -> dict[int, Account]:
    """Lock the accounts' rows for the rest of the transaction, always in id order so that two
    writers never deadlock, and return them freshly read (their balances are then current)."""
    rows = db.session.scalars(
        select(Account).where(Account.id.in_(sorted(set(ids)))).order_by(Account.id)
        .with_for_update().execution_options(populate_existing=True))
    accounts = {a.id: a for a in rows}
    for account_id in ids:
        if account_id not in accounts:
            raise NotFound(_l("This account does not exist."), code="account_not_found",
                           account_id=account_id)
    return accounts


@service
def post_entry(draft: EntryDraft, actor: Actor, locked: Mapping[int, Account] | None = None) -> Entry:
    """Post a balanced entry once per idempotency key (see the module docstring).

    `locked`: the accounts as returned by `lock_accounts` earlier in the same transaction.
    """
    memo = _validate(draft)
    key = draft.idempotency_key.strip()
    legs = sorted(draft.legs, key=lambda leg: leg.account_id)
    wanted = fingerprint(draft.kind, [(leg.account_id, leg.points) for leg in legs], memo,
                         draft.fair_id, draft.source_kind, draft.source_id, draft.reverses_id)
    ids = [leg.account_id for leg in legs]
    if draft.fair_id is not None:
        lock_fair(draft.fair_id)
    accounts = dict(locked) if locked is not None and all(i in locked for i in ids) else lock_accounts(ids)
    existing = _by_key(key)
    if existing is not None:
        return _replay(existing, wanted)
    if draft.reverses_id is not None and db.session.scalar(
            select(Entry.id).where(Entry.reverses_id == draft.reverses_id)) is not None:
        raise _already_reversed(draft.reverses_id)
    for leg in legs:
        account = accounts[leg.account_id]
        if account.closed_at is not None:
            raise Conflict(_l("The account %(account)s is closed: its balance went to the network's account.",
                              account=account.display_name), code="account_closed", account_id=account.id)
        check_move(account, account.balance, leg.points)

    entry = Entry(kind=draft.kind, idempotency_key=key, fingerprint=wanted, memo=memo,
                  actor_id=actor_id(actor), actor_label=actor_label(actor)[:250],
                  fair_id=draft.fair_id, source_kind=draft.source_kind, source_id=draft.source_id,
                  reverses_id=draft.reverses_id,
                  postings=[Posting(account_id=leg.account_id, points=leg.points) for leg in legs])
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        existing = _by_key(key)
        if existing is not None:
            return _replay(existing, wanted)
        if draft.reverses_id is not None:
            raise _already_reversed(draft.reverses_id) from None
        raise
    # The cached balances are written by the commit's flush (or the next query's), not one more here.
    for leg in legs:
        accounts[leg.account_id].balance += leg.points
    if draft.fair_id is not None:
        record_event(draft.fair_id, "ledger.posted", {
            "entry_id": entry.id, "kind": entry.kind.value,
            "points": sum(leg.points for leg in legs if leg.points > 0)})
    return entry
