"""What posts to the ledger: transfers, awards to volunteers, fulfilled obligations, opening
balances and reversals. Each is one service call (one transaction) ending in `post_entry`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.ledger.accounts import OPENING, get_account, organisation_account, person_account, system_account
from app.ledger.models import Account, AccountKind, Entry, EntryKind
from app.ledger.permissions import (
    Actor,
    SystemActor,
    manages,
    require_can_spend,
    require_manages,
)
from app.ledger.posting import EntryDraft, Leg, lock_accounts, post_entry
from app.people.models import Organisation, Participant

# No single posting may move more than this (keeps every sum far inside a 32-bit integer).
MAX_POINTS = 1_000_000


def _positive(points: int) -> int:
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise ValidationError(_l("Give a positive whole number of points."), code="points_not_positive")
    if points > MAX_POINTS:
        raise ValidationError(_l("At most %(max)s points can be moved at once.", max=MAX_POINTS),
                              code="points_too_large")
    return points


def _required(text: str, code: str) -> str:
    value = tidy(text)
    if not value:
        if code == "reason_required":
            raise ValidationError(_l("Give a reason."), code=code)
        raise ValidationError(_l("Describe what the points are for."), code=code)
    return value


def _not_system(account: Account) -> Account:
    if account.kind == AccountKind.SYSTEM:
        raise ValidationError(_l("Points cannot be sent to or from a system account this way."),
                              code="system_account")
    return account


@service
def transfer_points(actor: Actor, from_account_id: int, to_account_id: int, points: int, memo: str,
                    idempotency_key: str) -> Entry:
    """A member pays another member for a service outside a fair (or an organiser moves points
    between accounts they manage on the members' behalf)."""
    points = _positive(points)
    memo = _required(memo, "memo_required")
    if from_account_id == to_account_id:
        raise ValidationError(_l("Choose two different accounts."), code="same_account")
    locked = lock_accounts([from_account_id, to_account_id])
    source = _not_system(locked[from_account_id])
    target = _not_system(locked[to_account_id])
    require_can_spend(actor, source)
    return post_entry(EntryDraft(
        kind=EntryKind.TRANSFER, legs=[Leg(source.id, -points), Leg(target.id, points)],
        idempotency_key=idempotency_key, memo=memo), actor, locked)


@service
def award_points(actor: Actor, organisation_id: int, participant_id: int, points: int, reason: str,
                 idempotency_key: str) -> Entry:
    """An organisation rewards a volunteer at its fair: points move from its member's account to
    the volunteer's person's account."""
    points = _positive(points)
    reason = _required(reason, "reason_required")
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(_l("This organisation does not exist."), code="organisation_not_found")
    source = organisation_account(org.id)
    require_can_spend(actor, source)
    volunteer = db.session.get(Participant, participant_id)
    if volunteer is None or volunteer.removed_at is not None or volunteer.fair_id != org.fair_id:
        raise NotFound(_l("This participant does not exist."), code="participant_not_found")
    if not isinstance(actor, SystemActor) and actor.id == volunteer.id and not manages(actor, source):
        raise Forbidden(_l("You cannot award points to yourself."), code="self_award")
    target = person_account(volunteer.id)
    return post_entry(EntryDraft(
        kind=EntryKind.AWARD, legs=[Leg(source.id, -points), Leg(target.id, points)],
        idempotency_key=idempotency_key, memo=reason, fair_id=org.fair_id), actor)


@service
def post_opening_balance(actor: Actor, account_id: int, points: int, memo: str,
                         idempotency_key: str) -> Entry:
    """Bring in a balance from before (or from another points system): the `opening` system
    account is the counterpart. `points` may be negative (an opening debit)."""
    account = _not_system(get_account(account_id))
    require_manages(actor, account)
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise ValidationError(_l("An opening balance must be a non-zero whole number."),
                              code="invalid_opening")
    _positive(abs(points))
    opening = system_account(OPENING)
    # The fair it was posted at: the organiser's (a network account belongs to no fair).
    fair_id = account.fair_id if account.fair_id is not None or isinstance(actor, SystemActor) else actor.fair_id
    return post_entry(EntryDraft(
        kind=EntryKind.OPENING, legs=[Leg(opening.id, -points), Leg(account.id, points)],
        idempotency_key=idempotency_key, memo=tidy(memo), fair_id=fair_id), actor)


def reversal_key(entry_id: int) -> str:
    return f"reversal:{entry_id}"


@service
def reverse_entry(actor: Actor, entry_id: int, reason: str, idempotency_key: str | None = None) -> Entry:
    """Correct a mistake with an entry that undoes `entry_id` posting by posting.

    Any organiser who manages one of the entry's accounts may reverse it; an entry is reversed
    at most once, and a reversal itself cannot be reversed (post a new entry instead).
    """
    original = db.session.get(Entry, entry_id)
    if original is None:
        raise NotFound(_l("This entry does not exist."), code="entry_not_found")
    key = idempotency_key or reversal_key(entry_id)
    accounts = [p.account for p in original.postings]
    if not any(manages(actor, a) for a in accounts if a.kind != AccountKind.SYSTEM):
        raise Forbidden(_l("You do not manage any account of this entry."), code="not_account_manager")
    if original.kind == EntryKind.REVERSAL:
        raise Conflict(_l("A reversal cannot be reversed; post a new entry instead."),
                       code="cannot_reverse_reversal")
    reason = _required(reason, "reason_required")
    earlier = db.session.scalar(select(Entry).where(Entry.reverses_id == entry_id))
    if earlier is not None and earlier.idempotency_key != key:
        raise Conflict(_l("Entry no. %(id)s has already been reversed.", id=entry_id),
                       code="already_reversed", entry_id=entry_id)
    return post_entry(EntryDraft(
        kind=EntryKind.REVERSAL, legs=_reversed_legs(original), idempotency_key=key, memo=reason,
        fair_id=original.fair_id, reverses_id=original.id), actor)


def _open_account(account: Account) -> Account:
    """The account that holds a closed account's balance now (a closed one takes no postings)."""
    while account.closed_at is not None and account.carried_to_id is not None:
        account = db.session.get_one(Account, account.carried_to_id)
    return account


def _reversed_legs(original: Entry) -> list[Leg]:
    """The original's postings undone, on the accounts that hold their balances now."""
    points: dict[int, int] = {}
    for posting in original.postings:
        account_id = _open_account(posting.account).id
        points[account_id] = points.get(account_id, 0) - posting.points
    legs = [Leg(account_id, amount) for account_id, amount in points.items() if amount]
    if len(legs) < 2:
        raise Conflict(_l("Both sides of this entry are one account now: there is nothing to reverse."),
                       code="nothing_to_reverse")
    return legs


def fulfilment_key(obligation_id: int) -> str:
    return f"obligation:{obligation_id}:fulfilment"


@service
def post_fulfilment(obligation_id: int, giver_account_id: int, receiver_account_id: int, points: int,
                    actor: Actor, fair_id: int | None = None, memo: str = "") -> Entry:
    """A confirmed obligation moves its value from the receiver's account to the giver's,
    exactly once per obligation (the idempotency key is derived from the obligation id).

    No permission check here: the Agreements code decides who may confirm a fulfilment.
    """
    points = _positive(points)
    if giver_account_id == receiver_account_id:
        raise ValidationError(_l("Choose two different accounts."), code="same_account")
    return post_entry(EntryDraft(
        kind=EntryKind.FULFILMENT,
        legs=[Leg(receiver_account_id, -points), Leg(giver_account_id, points)],
        idempotency_key=fulfilment_key(obligation_id), memo=tidy(memo), fair_id=fair_id,
        source_kind="obligation", source_id=obligation_id), actor)
