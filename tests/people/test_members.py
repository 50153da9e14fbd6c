"""Returning members the organiser confirms (app/people/members.py): a close name is asked about,
"different" keeps both, "same" merges the new record into the known one with its history, its
fairs' organisations and its points."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.ledger.accounts import organisation_account
from app.ledger.models import Account, Entry
from app.ledger.operations import post_opening_balance
from app.ledger.permissions import SystemActor
from app.ledger.statements import account_statement
from app.ledger.verify import verify_ledger
from app.network.models import Member
from app.people.members import count_pending_duplicates, decide_possible_duplicate, pending_duplicates
from app.people.models import Organisation, Participant


@pytest.fixture
def returning(make_fair: Callable[..., Fair], fair: Fair,
              make_organisation: Callable[..., Organisation]) -> tuple[Organisation, Organisation]:
    """Fundacja Nowa Droga came to an earlier fair; at this one, "Fundacja Nowej Drogi" registers."""
    earlier = make_fair(name="Giełda wiosenna")
    known = make_organisation("Fundacja Nowa Droga", fair_id=earlier.id, city="Tczew", phone="58 000 00 00")
    new = make_organisation("Fundacja Nowej Drogi", fair_id=fair.id, website="https://nowadroga.org.pl")
    return known, new


def test_a_close_name_is_asked_about_with_the_fairs_each_came_to(fair: Fair, returning) -> None:
    known, new = returning
    [asked] = pending_duplicates(fair.id)
    assert (asked.new.member.id, asked.known.member.id) == (new.member_id, known.member_id)
    assert asked.known.fairs == ("Giełda wiosenna",) and asked.new.fairs == (fair.name,)
    assert 85 <= asked.score < 100 and count_pending_duplicates(fair.id) == 1


def test_different_keeps_both(fair: Fair, organiser: Participant, returning) -> None:
    known, new = returning
    [asked] = pending_duplicates(fair.id)
    kept = decide_possible_duplicate(organiser, fair.id, asked.id, same=False)
    assert kept.id == new.member_id and kept.merged_into_id is None
    assert pending_duplicates(fair.id) == [] and count_pending_duplicates(fair.id) == 0
    assert db.session.get_one(Organisation, new.id).member_id != known.member_id


def test_same_merges_the_new_record_into_the_known_one(fair: Fair, organiser: Participant, returning) -> None:
    known, new = returning
    new_member = new.member_id
    [asked] = pending_duplicates(fair.id)
    member = decide_possible_duplicate(organiser, fair.id, asked.id, same=True)
    assert member.id == known.member_id
    assert db.session.get_one(Organisation, new.id).member_id == known.member_id
    gone = db.session.get_one(Member, new_member)
    assert gone.merged_into_id == known.member_id and gone.name == "Fundacja Nowej Drogi"  # history kept
    kept = db.session.get_one(Member, known.member_id)
    assert (kept.phone, kept.website) == ("58 000 00 00", "https://nowadroga.org.pl")  # learnt, not overwritten
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "members.decide_possible_duplicate"))
    assert audit is not None and audit.actor_id == organiser.id
    assert pending_duplicates(fair.id) == []


def test_a_merge_carries_the_points_by_a_linked_entry(fair: Fair, organiser: Participant, returning) -> None:
    known, new = returning
    operator = SystemActor("test")
    with transaction():
        old_account, new_account = organisation_account(known.id).id, organisation_account(new.id).id
    post_opening_balance(operator, old_account, 40, "wiosna", "k1")
    post_opening_balance(operator, new_account, 25, "jesień", "k2")
    [asked] = pending_duplicates(fair.id)
    decide_possible_duplicate(organiser, fair.id, asked.id, same=True)
    closed, kept = db.session.get_one(Account, new_account), db.session.get_one(Account, old_account)
    assert (closed.balance, closed.closed_at is not None, closed.carried_to_id) == (0, True, kept.id)
    assert kept.balance == 65 and organisation_account(new.id).id == kept.id
    carry = db.session.scalars(select(Entry).where(Entry.source_kind == "merge")).one()
    assert carry.source_id == new_account and sorted(p.points for p in carry.postings) == [-25, 25]
    assert [line.points for line in account_statement(kept).lines] == [40, 25]
    assert verify_ledger().ok


def test_only_an_organiser_of_a_fair_it_concerns_decides(fair: Fair, make_fair: Callable[..., Fair],
                                                          make_participant: Callable[..., Participant],
                                                          returning) -> None:
    [asked] = pending_duplicates(fair.id)
    with pytest.raises(DomainError) as err:
        decide_possible_duplicate(make_participant(), fair.id, asked.id, same=True)
    assert err.value.code == "forbidden_role"
    other = make_fair()
    stranger = make_participant(role="organiser", fair_id=other.id)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as err:
        decide_possible_duplicate(stranger, other.id, asked.id, same=True)
    assert err.value.code == "duplicate_not_found"


def test_a_question_is_answered_once(fair: Fair, organiser: Participant, returning) -> None:
    [asked] = pending_duplicates(fair.id)
    decide_possible_duplicate(organiser, fair.id, asked.id, same=False)
    with pytest.raises(DomainError) as err:
        decide_possible_duplicate(organiser, fair.id, asked.id, same=True)
    assert err.value.code == "duplicate_not_found"
