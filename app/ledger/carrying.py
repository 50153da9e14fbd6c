"""Balances carried from an account that closes into the account its holder has now: when two
member records are merged (and, in migration 0016, from every fair's accounts before the network).
A carry is a transfer entry whose source names the closed account; no posting is ever rewritten."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.db import utcnow
from app.ledger.accounts import member_account
from app.ledger.models import Account, EntryKind
from app.ledger.permissions import SystemActor
from app.ledger.posting import EntryDraft, Leg, lock_accounts, post_entry
from app.network.models import Member

MERGE_SOURCE = "merge"  # source_kind of a carry made by a merge: source_id is the closed account


def carry_merged_member(keep: Member, gone: Member) -> None:
    """`gone` was merged into `keep` (a hook of app/network/merging.py, inside the merge's
    transaction): its account, if it has one, closes and its balance moves to `keep`'s."""
    closing = db.session.scalar(select(Account.id).where(Account.member_id == gone.id))
    if closing is None:
        return
    target = member_account(keep.id)
    locked = lock_accounts([closing, target.id])
    account = locked[closing]
    if account.balance:
        post_entry(EntryDraft(
            kind=EntryKind.TRANSFER, legs=[Leg(account.id, -account.balance), Leg(target.id, account.balance)],
            idempotency_key=f"{MERGE_SOURCE}:{account.id}", memo=f"{gone.name} → {keep.name}",
            source_kind=MERGE_SOURCE, source_id=account.id), SystemActor("merge"), locked)
    account.closed_at, account.carried_to_id = utcnow(), target.id
