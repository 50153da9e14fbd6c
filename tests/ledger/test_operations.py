"""Transfers, awards to volunteers, opening balances and reversals (app/ledger/operations.py); who
may do each."""

from __future__ import annotations

import pytest

from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.fairs.roles import Role
from app.ledger.accounts import OPENING, find_organisation_account, find_person_account, system_account
from app.ledger.limits import LimitError
from app.ledger.models import AccountKind, EntryKind
from app.ledger.operations import award_points, post_opening_balance, reversal_key, reverse_entry, transfer_points

# --- transfers ----------------------------------------------------------------------------

def test_member_transfers_from_own_organisation_account(make_participant, make_account, balance_of,
                                                        org_account):
    payer = make_participant()
    source = org_account(payer.organisation_id)
    target = make_account()
    entry = transfer_points(payer, source.id, target.id, 40, "Naprawa roweru", "k")
    assert entry.kind == EntryKind.TRANSFER
    assert (balance_of(source), balance_of(target)) == (-40, 40)


def test_member_transfers_from_own_person_account(make_participant, make_person_account, make_account,
                                                  balance_of, fund):
    payer = make_participant()
    mine = make_person_account(payer)
    fund(mine, 30)
    target = make_account()
    transfer_points(payer, mine.id, target.id, 30, "Korepetycje", "k")
    assert balance_of(mine) == 0


def test_member_may_not_spend_someone_elses_account(make_participant, make_account):
    payer = make_participant()
    other, target = make_account(), make_account()
    with pytest.raises(Forbidden) as err:
        transfer_points(payer, other.id, target.id, 5, "x", "k")
    assert err.value.code == "not_account_holder"


def test_organiser_transfers_between_accounts_of_own_fair(organiser, make_account, balance_of):
    a, b = make_account(), make_account()
    transfer_points(organiser, a.id, b.id, 5, "korekta", "k")
    assert balance_of(b) == 5


def test_organiser_may_not_spend_another_fairs_account(organiser, make_fair, make_account):
    other_fair = make_fair()
    a, b = make_account(fair_id=other_fair.id), make_account()
    with pytest.raises(Forbidden) as err:
        transfer_points(organiser, a.id, b.id, 5, "x", "k")
    assert err.value.code == "not_account_holder"


def test_transfer_across_fairs_is_allowed(make_participant, make_fair, make_account, balance_of, org_account):
    payer = make_participant()
    far_away = make_account(fair_id=make_fair().id)
    transfer_points(payer, org_account(payer.organisation_id).id, far_away.id, 5, "x", "k")
    assert balance_of(far_away) == 5


@pytest.mark.parametrize("points", [0, -5, True])
def test_transfer_needs_positive_points(make_account, operator, points):
    a, b = make_account(), make_account()
    with pytest.raises(ValidationError) as err:
        transfer_points(operator, a.id, b.id, points, "x", "k")
    assert err.value.code == "points_not_positive"


def test_transfer_of_more_than_a_million_is_refused(make_account, operator):
    a, b = make_account(), make_account()
    with pytest.raises(ValidationError) as err:
        transfer_points(operator, a.id, b.id, 1_000_001, "x", "k")
    assert err.value.code == "points_too_large"


def test_transfer_needs_a_memo(make_account, operator):
    a, b = make_account(), make_account()
    with pytest.raises(ValidationError) as err:
        transfer_points(operator, a.id, b.id, 5, "  ", "k")
    assert err.value.code == "memo_required"


def test_transfer_to_the_same_account_is_refused(make_account, operator):
    a = make_account()
    with pytest.raises(ValidationError) as err:
        transfer_points(operator, a.id, a.id, 5, "x", "k")
    assert err.value.code == "same_account"


def test_transfer_to_a_system_account_is_refused(make_account, operator, opening_account):
    a = make_account()
    with pytest.raises(ValidationError) as err:
        transfer_points(operator, a.id, opening_account.id, 5, "x", "k")
    assert err.value.code == "system_account"


def test_transfer_from_unknown_account_is_refused(make_account, operator):
    with pytest.raises(NotFound) as err:
        transfer_points(operator, 424242, make_account().id, 5, "x", "k")
    assert err.value.code == "account_not_found"


# --- awards -------------------------------------------------------------------------------

def test_organisation_awards_points_to_a_volunteer(make_participant, balance_of):
    member = make_participant(organisation="Fundacja Łąka")
    volunteer = make_participant("Zofia")
    entry = award_points(member, member.organisation_id, volunteer.id, 15, "Sprzątanie parku", "k")
    assert entry.kind == EntryKind.AWARD and entry.memo == "Sprzątanie parku"
    account = find_person_account(volunteer.id)
    assert account is not None and account.kind == AccountKind.INDIVIDUAL
    assert balance_of(account) == 15
    assert balance_of(find_organisation_account(member.organisation_id)) == -15


def test_award_concerns_the_organisations_fair(make_participant, fair):
    member, volunteer = make_participant(), make_participant()
    assert award_points(member, member.organisation_id, volunteer.id, 5, "x", "k").fair_id == fair.id


def test_award_needs_a_reason(make_participant):
    member, volunteer = make_participant(), make_participant()
    with pytest.raises(ValidationError) as err:
        award_points(member, member.organisation_id, volunteer.id, 5, "", "k")
    assert err.value.code == "reason_required"


def test_award_from_another_organisation_is_refused(make_participant, make_organisation):
    member, volunteer = make_participant(), make_participant()
    other = make_organisation()
    with pytest.raises(Forbidden) as err:
        award_points(member, other.id, volunteer.id, 5, "x", "k")
    assert err.value.code == "not_account_holder"


def test_member_cannot_award_themself(make_participant):
    member = make_participant()
    with pytest.raises(Forbidden) as err:
        award_points(member, member.organisation_id, member.id, 5, "x", "k")
    assert err.value.code == "self_award"


def test_award_to_unknown_volunteer_is_refused(make_participant):
    member = make_participant()
    with pytest.raises(NotFound) as err:
        award_points(member, member.organisation_id, 987654, 5, "x", "k")
    assert err.value.code == "participant_not_found"


def test_award_to_a_volunteer_of_another_fair_is_refused(make_participant, make_fair):
    """The award form lists the fair's own people; the service holds to that too."""
    member = make_participant()
    elsewhere = make_participant("Obca", fair_id=make_fair().id)
    with pytest.raises(NotFound) as err:
        award_points(member, member.organisation_id, elsewhere.id, 5, "x", "k")
    assert err.value.code == "participant_not_found"
    assert find_person_account(elsewhere.id) is None


def test_organiser_awards_on_behalf_of_an_organisation(organiser, make_organisation, make_participant,
                                                       balance_of):
    org, volunteer = make_organisation(), make_participant()
    award_points(organiser, org.id, volunteer.id, 7, "Dyżur w szatni", "k")
    assert balance_of(find_person_account(volunteer.id)) == 7


def test_award_respects_the_organisations_floor(make_participant, operator):
    member, volunteer = make_participant(), make_participant()
    with pytest.raises(LimitError) as err:
        award_points(operator, member.organisation_id, volunteer.id, 501, "x", "k")
    assert err.value.code == "below_floor"


# --- opening balances ---------------------------------------------------------------------

def test_opening_balance_comes_from_the_opening_system_account(organiser, make_account, balance_of):
    account = make_account()
    entry = post_opening_balance(organiser, account.id, 120, "Saldo z Wymiennika", "k")
    assert entry.kind == EntryKind.OPENING
    assert balance_of(account) == 120
    assert balance_of(system_account(OPENING)) == -120


def test_opening_balance_may_be_negative(organiser, make_account, balance_of):
    account = make_account()
    post_opening_balance(organiser, account.id, -80, "dług", "k")
    assert balance_of(account) == -80


def test_opening_balance_of_zero_is_refused(organiser, make_account):
    with pytest.raises(ValidationError) as err:
        post_opening_balance(organiser, make_account().id, 0, "", "k")
    assert err.value.code == "invalid_opening"


def test_opening_balance_respects_limits(organiser, make_account):
    with pytest.raises(LimitError) as err:
        post_opening_balance(organiser, make_account().id, 1001, "", "k")
    assert err.value.code == "above_ceiling"


def test_opening_balance_needs_an_organiser(make_participant, make_account):
    with pytest.raises(Forbidden) as err:
        post_opening_balance(make_participant(), make_account().id, 10, "", "k")
    assert err.value.code == "not_account_manager"


def test_notary_cannot_post_opening_balances(make_participant, make_account):
    notary = make_participant(role=Role.NOTARY)
    with pytest.raises(Forbidden) as err:
        post_opening_balance(notary, make_account().id, 10, "", "k")
    assert err.value.code == "not_account_manager"


def test_opening_balance_on_a_system_account_is_refused(organiser, opening_account):
    with pytest.raises(ValidationError) as err:
        post_opening_balance(organiser, opening_account.id, 10, "", "k")
    assert err.value.code == "system_account"


# --- reversals ----------------------------------------------------------------------------

def test_reversal_undoes_every_posting_and_links_the_original(organiser, make_account, balance_of):
    a, b = make_account(), make_account()
    original = transfer_points(organiser, a.id, b.id, 25, "pomyłka", "k")
    reversal = reverse_entry(organiser, original.id, "Zła kwota")
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses_id == original.id
    assert reversal.idempotency_key == reversal_key(original.id)
    assert (balance_of(a), balance_of(b)) == (0, 0)


def test_reversing_twice_is_refused(organiser, make_account):
    a, b = make_account(), make_account()
    original = transfer_points(organiser, a.id, b.id, 25, "x", "k")
    reverse_entry(organiser, original.id, "raz", "form-1")
    with pytest.raises(Conflict) as err:
        reverse_entry(organiser, original.id, "dwa", "form-2")
    assert err.value.code == "already_reversed"


def test_repeated_reversal_request_returns_the_same_reversal(organiser, make_account):
    a, b = make_account(), make_account()
    original = transfer_points(organiser, a.id, b.id, 25, "x", "k")
    first = reverse_entry(organiser, original.id, "raz", "form-1")
    assert reverse_entry(organiser, original.id, "raz", "form-1").id == first.id


def test_reversal_of_a_reversal_is_refused(organiser, make_account):
    a, b = make_account(), make_account()
    original = transfer_points(organiser, a.id, b.id, 25, "x", "k")
    reversal = reverse_entry(organiser, original.id, "raz")
    with pytest.raises(Conflict) as err:
        reverse_entry(organiser, reversal.id, "jeszcze raz")
    assert err.value.code == "cannot_reverse_reversal"


def test_reversal_needs_a_reason(organiser, make_account):
    a, b = make_account(), make_account()
    original = transfer_points(organiser, a.id, b.id, 25, "x", "k")
    with pytest.raises(ValidationError) as err:
        reverse_entry(organiser, original.id, "")
    assert err.value.code == "reason_required"


def test_reversal_of_unknown_entry_is_refused(organiser):
    with pytest.raises(NotFound) as err:
        reverse_entry(organiser, 31337, "x")
    assert err.value.code == "entry_not_found"


def test_reversal_needs_an_organiser_managing_one_of_its_accounts(make_participant, make_account, operator):
    a, b = make_account(), make_account()
    original = transfer_points(operator, a.id, b.id, 25, "x", "k")
    with pytest.raises(Forbidden) as err:
        reverse_entry(make_participant(), original.id, "x")
    assert err.value.code == "not_account_manager"


def test_reversal_respects_limits(organiser, make_account, operator):
    a, b, c = make_account(), make_account(), make_account()
    award = transfer_points(operator, a.id, b.id, 100, "x", "k1")
    transfer_points(operator, b.id, c.id, 550, "x", "k2")  # b: 100 - 550 = -450
    with pytest.raises(LimitError) as err:
        reverse_entry(organiser, award.id, "cofnięcie")  # b would go to -550
    assert err.value.code == "below_floor"
