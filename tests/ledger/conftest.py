"""Ledger fixtures: `make_account` (an organisation and its account), `make_person_account`,
`fund` (an opening balance), `key` (fresh idempotency keys), `operator` (the CLI actor),
`balance_of` and `corrupt` (tamper with the tables to test `verify`); and small ledgers several
test modules share: `pair` (two accounts), `entry` (a transfer between them), `booked` (a transfer,
its reversal and a fulfilment), `orgs` (two organisations without accounts), `coordinator` (the
organiser made the network's coordinator)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.ledger.accounts import organisation_account, person_account
from app.ledger.hooks import on_obligation_fulfilled
from app.ledger.models import Account
from app.ledger.operations import post_opening_balance, reverse_entry, transfer_points
from app.ledger.permissions import SystemActor
from app.people.models import Organisation, Participant

_keys = itertools.count(1)


@pytest.fixture
def operator() -> SystemActor:
    return SystemActor("test")


@pytest.fixture
def key() -> Callable[[], str]:
    return lambda: f"test-key-{next(_keys)}"


@pytest.fixture
def make_account(make_organisation: Callable[..., Any]) -> Callable[..., Account]:
    """An organisation of the fair (or of `fair_id`) with its points account."""

    def make(name: str | None = None, *, floor: int | None = None, ceiling: int | None = None,
             fair_id: int | None = None, **kw: Any) -> Account:
        org = make_organisation(name, fair_id=fair_id, **kw)
        with transaction():
            account = organisation_account(org.id)
            account.floor, account.ceiling = floor, ceiling
        return db.session.get_one(Account, account.id)

    return make


def organisation_of(account: Account) -> int:
    """The (newest) fair organisation of the member whose account this is: what the forms and
    the award name (`org:<id>`)."""
    found = db.session.scalar(select(Organisation.id).where(Organisation.member_id == account.member_id)
                              .order_by(Organisation.id.desc()).limit(1))
    assert found is not None, f"account {account.id} is no member's"
    return found


@pytest.fixture
def make_person_account() -> Callable[[Participant], Account]:
    def make(person: Participant) -> Account:
        with transaction():
            account = person_account(person.id)
        return db.session.get_one(Account, account.id)

    return make


@pytest.fixture
def fund(operator: SystemActor) -> Callable[[Account, int], None]:
    """Give an account a starting balance through an opening-balance entry."""

    def do(account: Account, points: int) -> None:
        post_opening_balance(operator, account.id, points, "start", f"fund-{next(_keys)}")

    return do


@pytest.fixture
def balance_of() -> Callable[[Account | int], int]:
    """The account's current cached balance, read afresh."""

    def read(account: Account | int) -> int:
        db.session.rollback()  # end any read transaction: see what others committed since
        return db.session.get_one(Account, account if isinstance(account, int) else account.id).balance

    return read


def _corrupt(sql: str, *, checks: bool = True, **params: Any) -> None:
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        assert checks, "PostgreSQL enforces CHECK constraints even for a superuser: mark the test sqlite_only"
        with db.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers, no FKs
            conn.execute(text(sql), params)
    else:
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA foreign_keys = OFF")
            if not checks:
                cur.execute("PRAGMA ignore_check_constraints = ON")
            for (name,) in cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'").fetchall():
                cur.execute(f'DROP TRIGGER "{name}"')
            cur.execute(sql, params)
            cur.execute("PRAGMA ignore_check_constraints = OFF")
            cur.execute("PRAGMA foreign_keys = ON")
            raw.commit()
        finally:
            raw.close()
    db.session.rollback()


@pytest.fixture
def corrupt() -> Callable[..., None]:
    """Write behind the ledger's back (bypassing its triggers), to see `verify` catch it."""
    return _corrupt


@pytest.fixture
def opening_account(app: Any) -> Account:
    """The `opening` system account (the counterpart of opening balances)."""
    from app.ledger.accounts import OPENING, system_account

    with transaction():
        account = system_account(OPENING)
    return db.session.get_one(Account, account.id)


@pytest.fixture
def org_account(app: Any) -> Callable[[int], Account]:
    """The account of an organisation (by id), opened if it has none."""

    def get(organisation_id: int) -> Account:
        with transaction():
            account = organisation_account(organisation_id)
        return db.session.get_one(Account, account.id)

    return get


# --- small ledgers shared by several test modules ------------------------------------------

@pytest.fixture
def pair(make_account):
    return make_account("Fundacja Alfa"), make_account("Fundacja Beta")


@pytest.fixture
def entry(pair, operator):
    a, b = pair
    return transfer_points(operator, a.id, b.id, 10, "Sala", "k-entry")


@pytest.fixture
def booked(make_account, operator, fair, make_organisation):
    a, b = make_account("Fundacja „Żółw”, Tczew"), make_account("Klub Ósemka")
    first = transfer_points(operator, a.id, b.id, 30, "Sala; projektor, \"nagłośnienie\"", "k1")
    reverse_entry(operator, first.id, "Pomyłka")
    giver, receiver = make_organisation(), make_organisation()
    on_obligation_fulfilled(17, giver.id, receiver.id, 12, fair.id, None)
    return a, b, first


@pytest.fixture
def orgs(make_organisation):
    return make_organisation("Fundacja Żółw"), make_organisation("Stowarzyszenie Łąka")


@pytest.fixture
def coordinator(organiser, operator):
    from app.ledger.coordinators import set_network_coordinator

    return set_network_coordinator(operator, organiser.id, True)  # their account at the network's space
