"""`verify` re-checks every invariant from the stored rows and names what is wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.ledger.models import Posting
from app.ledger.operations import reverse_entry, transfer_points
from app.ledger.verify import verify_ledger


def _codes(report):
    return {p.code: p.ids for p in report.problems}


def _posting(entry_id):
    return db.session.scalars(select(Posting).where(Posting.entry_id == entry_id).order_by(Posting.id)).first()


def test_clean_ledger_verifies(entry, operator):
    reverse_entry(operator, entry.id, "pomyłka")
    report = verify_ledger()
    assert report.ok, report.problems
    assert (report.entries, report.postings) == (2, 4)


def test_empty_ledger_verifies(app):
    assert verify_ledger().ok


def test_unbalanced_entry_is_named(entry, corrupt):
    corrupt("UPDATE ledger_postings SET points = points + 1 WHERE id = :id", id=_posting(entry.id).id)
    assert _codes(verify_ledger())["entry_unbalanced"] == (entry.id,)


def test_entry_with_too_few_postings_is_named(entry, corrupt):
    corrupt("DELETE FROM ledger_postings WHERE id = :id", id=_posting(entry.id).id)
    assert _codes(verify_ledger())["entry_too_few_postings"] == (entry.id,)


@pytest.mark.sqlite_only  # PostgreSQL's CHECK constraint cannot be bypassed to plant the fault
def test_zero_posting_is_named(entry, corrupt):
    posting = _posting(entry.id)
    corrupt("UPDATE ledger_postings SET points = 0 WHERE id = :id", checks=False, id=posting.id)
    assert _codes(verify_ledger())["posting_zero"] == (posting.id,)


def test_cached_balance_mismatch_is_named(entry, pair, corrupt):
    a, _b = pair
    corrupt("UPDATE ledger_accounts SET balance = 999 WHERE id = :id", id=a.id)
    assert _codes(verify_ledger())["balance_mismatch"] == (a.id,)


def test_balance_outside_limits_is_named(entry, pair, corrupt):
    a, _b = pair  # a is at -10
    corrupt("UPDATE ledger_accounts SET floor = -5 WHERE id = :id", id=a.id)
    assert _codes(verify_ledger())["limit_exceeded"] == (a.id,)


def test_system_account_with_limits_is_named(opening_account, corrupt):
    corrupt("UPDATE ledger_accounts SET floor = -1 WHERE id = :id", id=opening_account.id)
    assert _codes(verify_ledger())["system_account_limits"] == (opening_account.id,)


def test_blank_idempotency_key_is_named(entry, corrupt):
    corrupt("UPDATE ledger_entries SET idempotency_key = '  ' WHERE id = :id", id=entry.id)
    assert _codes(verify_ledger())["idempotency_key_blank"] == (entry.id,)


def test_changed_content_breaks_the_fingerprint(entry, corrupt):
    corrupt("UPDATE ledger_entries SET memo = 'Inna treść' WHERE id = :id", id=entry.id)
    assert _codes(verify_ledger())["fingerprint_mismatch"] == (entry.id,)


def test_obligation_fulfilled_twice_is_named(pair, operator, corrupt):
    a, b = pair
    first = transfer_points(operator, a.id, b.id, 10, "x", "k1")
    second = transfer_points(operator, a.id, b.id, 10, "x", "k2")
    corrupt("UPDATE ledger_entries SET kind = 'fulfilment', source_kind = 'obligation', source_id = 5 "
            "WHERE id IN (:a, :b)", a=first.id, b=second.id)
    assert _codes(verify_ledger())["fulfilment_duplicate"] == (first.id,)


@pytest.mark.sqlite_only  # PostgreSQL's CHECK constraint cannot be bypassed to plant the fault
def test_reversal_without_link_is_named(entry, corrupt):
    corrupt("UPDATE ledger_entries SET kind = 'reversal' WHERE id = :id", checks=False, id=entry.id)
    assert _codes(verify_ledger())["reversal_without_link"] == (entry.id,)


def test_dangling_reversal_link_is_named(entry, operator, corrupt):
    reversal = reverse_entry(operator, entry.id, "x")
    corrupt("UPDATE ledger_entries SET reverses_id = 987654 WHERE id = :id", id=reversal.id)
    assert _codes(verify_ledger())["reversal_dangling"] == (reversal.id,)


def test_reversal_of_a_reversal_is_named(entry, pair, operator, corrupt):
    a, b = pair
    reversal = reverse_entry(operator, entry.id, "x")
    later = transfer_points(operator, a.id, b.id, 10, "x", "k-later")
    corrupt("UPDATE ledger_entries SET kind = 'reversal', reverses_id = :r WHERE id = :id",
            r=reversal.id, id=later.id)
    assert _codes(verify_ledger())["reversal_of_reversal"] == (later.id,)


def test_reversal_older_than_its_original_is_named(entry, pair, operator, corrupt):
    a, b = pair
    later = transfer_points(operator, a.id, b.id, 10, "x", "k-later")
    corrupt("UPDATE ledger_entries SET kind = 'reversal', reverses_id = :later WHERE id = :id",
            later=later.id, id=entry.id)
    assert _codes(verify_ledger())["reversal_not_after_original"] == (entry.id,)


def test_reversal_that_does_not_mirror_its_original_is_named(entry, pair, operator, corrupt):
    a, b = pair
    bigger = transfer_points(operator, a.id, b.id, 20, "x", "k-bigger")
    reversal = reverse_entry(operator, entry.id, "x")
    corrupt("UPDATE ledger_entries SET reverses_id = :other WHERE id = :id", other=bigger.id, id=reversal.id)
    assert _codes(verify_ledger())["reversal_mismatch"] == (reversal.id,)


def test_problem_text_names_the_ids(entry, corrupt):
    corrupt("UPDATE ledger_entries SET memo = 'x' WHERE id = :id", id=entry.id)
    text = str(verify_ledger().problems[0])
    assert text.startswith("fingerprint_mismatch:") and str(entry.id) in text
