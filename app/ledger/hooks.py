"""The seams between the ledger and the areas above it: the Agreements code, and merges of
network members (a hook of app/network/merging.py, registered by create_app).

* `on_obligation_fulfilled(...)`: call it, inside the transaction that marks an obligation
  fulfilled, with plain values. It opens the two organisations' accounts if needed and moves
  the obligation's value from the receiver to the giver exactly once per obligation: calling it
  again with the same values returns the same entry; with different values it raises
  `Conflict(code="idempotency_conflict")`. It raises `LimitError` (`below_floor` /
  `above_ceiling`) when the receiver cannot pay or the giver cannot hold the points; the
  caller's transaction then rolls back as a whole.

* `pledged_points(fair_id)`: the points pledged in the fair's agreements, shown on the network
  totals page beside the points fulfilled. The agreements sit above the ledger, so the ledger
  never imports them: the top of the app registers `app.agreements.stats.points_pledged` with
  `set_pledge_source(fn)` (a test may register another and put the old one back).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.ledger.accounts import member_account, organisation_account
from app.ledger.models import Account, Entry, EntryKind
from app.ledger.operations import post_fulfilment
from app.ledger.permissions import SystemActor
from app.ledger.posting import EntryDraft, Leg, lock_accounts, post_entry
from app.network.models import Member
from app.people.models import Participant

PledgeSource = Callable[[int], int]
_pledge_source: PledgeSource | None = None


@service
def on_obligation_fulfilled(
    obligation_id: int,
    giver_organisation_id: int,
    receiver_organisation_id: int,
    points: int,
    fair_id: int,
    actor: Participant | None,
    memo: str = "",
) -> Entry | None:
    """Post the fulfilment of obligation `obligation_id` (see the module docstring).

    An obligation valued at zero points posts nothing and returns None. `actor` is the person
    who confirmed the fulfilment (None: the system, e.g. a scheduled job).
    """
    if points == 0:
        return None
    giver = organisation_account(giver_organisation_id)
    receiver = organisation_account(receiver_organisation_id)
    return post_fulfilment(obligation_id, giver.id, receiver.id, points,
                           actor if actor is not None else SystemActor("agreements"),
                           fair_id=fair_id, memo=memo)


def set_pledge_source(source: PledgeSource | None) -> PledgeSource | None:
    """Register the source of pledged points; returns the one it replaces."""
    global _pledge_source
    previous, _pledge_source = _pledge_source, source
    return previous


def pledged_points(fair_id: int) -> int:
    """Points pledged in the fair's signed agreements."""
    if _pledge_source is None:
        raise RuntimeError("no source of pledged points: create_app() registers the agreements' one")
    return int(_pledge_source(fair_id))


# --- a merge of two members (app/network/merging.py) ----------------------------------------------

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
