"""A Hypothesis state machine: random transfers, awards, opening balances, reversals and
repeated or conflicting idempotency keys, against a simple model; after every step the
balances match the model, stay within their limits, sum to zero, and `verify` finds nothing."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.ledger.accounts import OPENING, person_account, system_account
from app.ledger.models import Account
from app.ledger.operations import award_points, post_opening_balance, reverse_entry, transfer_points
from app.ledger.permissions import SystemActor
from app.ledger.verify import verify_ledger
from tests.ledger.conftest import organisation_of

FLOOR, CEILING = -50, 100
OPERATOR = SystemActor("hypothesis")


@dataclass
class Posted:
    entry_id: int
    legs: dict[int, int]  # account id -> points
    call: Callable[[str], Any]  # posts the same content again under a given key
    conflicting: Callable[[str], Any]  # posts different content under a given key
    reversal: bool = False


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, make_org: Callable[[], Account], make_person: Callable[[], tuple[int, Account]]) -> None:
        super().__init__()
        self.orgs = [make_org() for _ in range(3)]
        self.people = [make_person() for _ in range(2)]
        with transaction():
            self.opening_id = system_account(OPENING).id
        self.accounts = [a.id for a in self.orgs] + [a.id for _pid, a in self.people]
        self.expected = dict.fromkeys(self.accounts, 0)
        self.opening_balance_before = self._balance(self.opening_id)
        self.opening_expected = self.opening_balance_before
        self.posted: dict[str, Posted] = {}
        self.reversed: set[int] = set()
        self.prefix = uuid.uuid4().hex[:8]
        self.counter = itertools.count()

    # --- helpers ------------------------------------------------------------------------

    def _key(self) -> str:
        return f"sm-{self.prefix}-{next(self.counter)}"

    @staticmethod
    def _balance(account_id: int) -> int:
        db.session.expire_all()
        return db.session.get_one(Account, account_id).balance

    def _predicted_error(self, legs: dict[int, int]) -> str | None:
        """What post_entry would refuse with: the first leg, in account id order, that crosses."""
        for account_id in sorted(legs):
            if account_id == self.opening_id:
                continue
            after = self.expected[account_id] + legs[account_id]
            if legs[account_id] < 0 and after < FLOOR:
                return "below_floor"
            if legs[account_id] > 0 and after > CEILING:
                return "above_ceiling"
        return None

    def _apply(self, legs: dict[int, int]) -> None:
        for account_id, points in legs.items():
            if account_id == self.opening_id:
                self.opening_expected += points
            else:
                self.expected[account_id] += points

    def _post(self, legs: dict[int, int], call: Callable[[str], Any], conflicting: Callable[[str], Any],
              expect: str | None = None) -> None:
        expect = expect or self._predicted_error(legs)
        key = self._key()
        try:
            entry = call(key)
        except DomainError as err:
            assert err.code == expect, (err.code, expect)
            return
        assert expect is None, f"expected {expect}, posted entry {entry.id}"
        self._apply(legs)
        self.posted[key] = Posted(entry.id, legs, call, conflicting, reversal=entry.reverses_id is not None)

    # --- rules --------------------------------------------------------------------------

    @rule(source=st.integers(0, 4), dest=st.integers(0, 4), points=st.integers(1, 90))
    def transfer(self, source: int, dest: int, points: int) -> None:
        a, b = self.accounts[source], self.accounts[dest]
        if a == b:
            with pytest.raises(DomainError) as err:
                transfer_points(OPERATOR, a, b, points, "hypothesis", self._key())
            assert err.value.code == "same_account"
            return
        self._post({a: -points, b: points},
                   lambda key: transfer_points(OPERATOR, a, b, points, "hypothesis", key),
                   lambda key: transfer_points(OPERATOR, a, b, points + 1, "hypothesis", key))

    @rule(org=st.integers(0, 2), person=st.integers(0, 1), points=st.integers(1, 90))
    def award(self, org: int, person: int, points: int) -> None:
        account = self.orgs[org]
        participant_id, target = self.people[person]
        self._post({account.id: -points, target.id: points},
                   lambda key: award_points(OPERATOR, organisation_of(account), participant_id, points,
                                            "zadanie", key),
                   lambda key: award_points(OPERATOR, organisation_of(account), participant_id, points,
                                            "inne zadanie", key))

    @rule(index=st.integers(0, 4), points=st.integers(-60, 60).filter(bool))
    def opening(self, index: int, points: int) -> None:
        account_id = self.accounts[index]
        self._post({self.opening_id: -points, account_id: points},
                   lambda key: post_opening_balance(OPERATOR, account_id, points, "bilans", key),
                   lambda key: post_opening_balance(OPERATOR, account_id, -points, "bilans", key))

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        original = self.posted[key]
        legs = {a: -p for a, p in original.legs.items()}
        expect = ("cannot_reverse_reversal" if original.reversal
                  else "already_reversed" if original.entry_id in self.reversed else None)
        before = len(self.posted)
        self._post(legs, lambda k: reverse_entry(OPERATOR, original.entry_id, "korekta", k),
                   lambda k: reverse_entry(OPERATOR, original.entry_id, "inna korekta", k), expect)
        if len(self.posted) > before:
            self.reversed.add(original.entry_id)

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def repeat_key(self, data: st.DataObject) -> None:
        """A retried request: the same key and content returns the entry already posted."""
        key = data.draw(st.sampled_from(sorted(self.posted)))
        assert self.posted[key].call(key).id == self.posted[key].entry_id

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reuse_key_for_other_content(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        with pytest.raises(DomainError) as err:
            self.posted[key].conflicting(key)
        assert err.value.code in {"idempotency_conflict", "already_reversed", "cannot_reverse_reversal"}

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def balances_match_the_model_stay_within_limits_and_sum_to_zero(self) -> None:
        ids = [*self.expected, self.opening_id]
        stored = dict(db.session.execute(select(Account.id, Account.balance).where(Account.id.in_(ids))).tuples().all())
        assert stored == {**self.expected, self.opening_id: self.opening_expected}
        assert all(FLOOR <= b <= CEILING for b in self.expected.values())
        assert db.session.scalar(select(func.sum(Account.balance))) in (0, None)

    @invariant()
    def verify_finds_nothing(self) -> None:
        report = verify_ledger()
        assert report.ok, report.problems


@pytest.mark.slow
def test_ledger_state_machine(make_account, make_participant) -> None:
    def make_org() -> Account:
        return make_account(floor=FLOOR, ceiling=CEILING)

    def make_person() -> tuple[int, Account]:
        person = make_participant()
        with transaction():
            account = person_account(person.id)
            account.floor, account.ceiling = FLOOR, CEILING
        return person.id, db.session.get_one(Account, account.id)

    run_state_machine_as_test(
        lambda: LedgerMachine(make_org, make_person),
        settings=settings(max_examples=15, stateful_step_count=20, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck)))
