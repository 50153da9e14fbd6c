"""Accounts: one per network member, one per person who has one, and the system accounts.

An account lasts across fairs: a fair's organisation posts to the account of the member it stands
for, a participant to their person's. Accounts are opened on first use (an award opens the
volunteer's account, a fulfilment its parties' accounts) or by an organiser. Opening is
idempotent and safe under concurrency: the unique holder columns decide, and a losing racer
reads the winner's row.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.web.inputs import db_int
from app.ledger.limits import limits_for
from app.ledger.models import Account, AccountKind, Posting
from app.ledger.permissions import Actor, require_manages
from app.network.models import Member, Person
from app.people.models import Organisation, Participant

# System accounts have no limits; their balance is minus what they put out. `opening` is the
# counterpart of opening balances brought in from before or from another points system.
OPENING = "opening"
SYSTEM_NAMES = {OPENING: "Opening balances"}


def get_account(account_id: int) -> Account:
    account = db.session.get(Account, account_id)
    if account is None:
        raise NotFound(_l("This account does not exist."), code="account_not_found")
    return account


def _insert_or_fetch(account: Account, existing: Select[tuple[Account]]) -> Account:
    """Insert `account` in a savepoint; if a concurrent insert won, return its row."""
    try:
        with db.session.begin_nested():
            db.session.add(account)
            db.session.flush()
    except IntegrityError:
        found = db.session.scalar(existing)
        if found is None:
            raise
        return found
    return account


def member_account(member_id: int) -> Account:
    """The member's account, opened if it has none (inside the caller's transaction)."""
    query = select(Account).where(Account.member_id == member_id)
    account = db.session.scalar(query)
    if account is not None:
        return account
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound(_l("This organisation does not exist."), code="organisation_not_found")
    return _insert_or_fetch(Account(kind=AccountKind.MEMBER, member_id=member.id, name=member.name), query)


def individual_account(person_id: int) -> Account:
    """The person's account, opened if they have none."""
    query = select(Account).where(Account.person_id == person_id)
    account = db.session.scalar(query)
    if account is not None:
        return account
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_l("This participant does not exist."), code="participant_not_found")
    return _insert_or_fetch(Account(kind=AccountKind.INDIVIDUAL, person_id=person.id, name=person.full_name),
                            query)


def organisation_account(organisation_id: int) -> Account:
    """The account of the member a fair's organisation stands for, opened if it has none."""
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(_l("This organisation does not exist."), code="organisation_not_found")
    return member_account(org.member_id)


def person_account(participant_id: int) -> Account:
    """The account of the person a participant is, opened if they have none."""
    person = db.session.get(Participant, participant_id)
    if person is None:
        raise NotFound(_l("This participant does not exist."), code="participant_not_found")
    return individual_account(person.person_id)


def system_account(key: str) -> Account:
    """A system account by key (see SYSTEM_NAMES), opened on first use."""
    if key not in SYSTEM_NAMES:
        raise NotFound(_l("This account does not exist."), code="account_not_found")
    query = select(Account).where(Account.system_key == key)
    account = db.session.scalar(query)
    if account is not None:
        return account
    return _insert_or_fetch(Account(kind=AccountKind.SYSTEM, system_key=key, name=SYSTEM_NAMES[key]),
                            query)


def find_person_account(participant_id: int) -> Account | None:
    """The participant's person's account, if it is open."""
    return db.session.scalar(select(Account).join(Participant, Participant.person_id == Account.person_id)
                             .where(Participant.id == participant_id))


def find_organisation_account(organisation_id: int) -> Account | None:
    """The account of the member the organisation stands for, if it is open."""
    return db.session.scalar(select(Account).join(Organisation, Organisation.member_id == Account.member_id)
                             .where(Organisation.id == organisation_id))


def posted_balance(account_id: int) -> int:
    """The balance as the sum of the account's postings (the cached one must equal it)."""
    return int(db.session.scalar(
        select(func.coalesce(func.sum(Posting.points), 0)).where(Posting.account_id == account_id)) or 0)


@dataclass(frozen=True)
class HolderAccounts:
    """What a participant sees on "My points": their own account and their organisation's."""

    person: Account | None
    organisation: Account | None


def accounts_of(person: Participant) -> HolderAccounts:
    return HolderAccounts(find_person_account(person.id), find_organisation_account(person.organisation_id))


@service
def open_person_account(actor: Actor, participant_id: int) -> Account:
    person = db.session.get(Participant, participant_id)
    if person is None or person.removed_at is not None:
        raise NotFound(_l("This participant does not exist."), code="participant_not_found")
    account = person_account(person.id)
    require_manages(actor, account)
    return account


@service
def open_organisation_accounts(actor: Actor, fair_id: int) -> int:
    """Open an account for every member at the fair that has none; returns how many."""
    orgs = db.session.scalars(select(Organisation).where(
        Organisation.fair_id == fair_id, Organisation.removed_at.is_(None),
        ~Organisation.member_id.in_(select(Account.member_id).where(Account.member_id.is_not(None))))
        .order_by(Organisation.id))
    opened: set[int] = set()
    for org in orgs:
        if org.member_id in opened:  # two of the fair's organisations stand for one member
            continue
        account = member_account(org.member_id)
        require_manages(actor, account)
        opened.add(org.member_id)
    return len(opened)


@service
def set_account_limits(actor: Actor, account_id: int, floor: int | None, ceiling: int | None) -> Account:
    """Set (or, with None, reset to the kind's default) an account's floor and ceiling."""

    account = db.session.scalar(
        select(Account).where(Account.id == account_id).with_for_update().execution_options(
            populate_existing=True))
    if account is None:
        raise NotFound(_l("This account does not exist."), code="account_not_found")
    require_manages(actor, account)
    if account.kind == AccountKind.SYSTEM:
        raise ValidationError(_l("System accounts have no limits."), code="system_account_limits")
    if floor is not None and floor > 0:
        raise ValidationError(_l("The floor must be zero or below."), code="invalid_floor")
    if ceiling is not None and ceiling < 0:
        raise ValidationError(_l("The ceiling must be zero or above."), code="invalid_ceiling")
    account.floor, account.ceiling = floor, ceiling
    limits = limits_for(account)
    if limits.floor is not None and limits.ceiling is not None and limits.floor > limits.ceiling:
        raise ValidationError(_l("The floor must be below the ceiling."), code="invalid_limits")
    if not limits.allows(account.balance):
        raise ValidationError(
            _l("The balance of %(account)s (%(balance)s points) lies outside these limits.",
               account=account.name, balance=account.balance), code="limits_exclude_balance")
    return account


@service
def account_for_holder(fair_id: int, holder: str) -> Account:
    """The account named by a form choice: `org:<id>` or `person:<id>` of this fair (opened
    if it has none yet — opening an empty account changes no balance), or `account:<id>`."""
    kind, _sep, raw = holder.partition(":")
    try:
        ident = db_int(raw)
    except ValueError:
        raise NotFound(_l("This account does not exist."), code="account_not_found") from None
    if kind == "account":
        return get_account(ident)
    if kind == "org":
        org = db.session.get(Organisation, ident)
        if org is None or org.fair_id != fair_id or org.removed_at is not None:
            raise NotFound(_l("This organisation does not exist."), code="organisation_not_found")
        return organisation_account(org.id)
    if kind == "person":
        person = db.session.get(Participant, ident)
        if person is None or person.fair_id != fair_id or person.removed_at is not None:
            raise NotFound(_l("This participant does not exist."), code="participant_not_found")
        return person_account(person.id)
    raise NotFound(_l("This account does not exist."), code="account_not_found")
