"""Accounts (app/ledger/accounts.py): opening them, choosing a holder, limits per account."""

from __future__ import annotations

import pytest

from app.core.errors import Forbidden, NotFound, ValidationError
from app.ledger.accounts import account_for_holder, open_organisation_accounts, open_person_account, set_account_limits
from app.ledger.operations import transfer_points


def test_set_limits_refuses_limits_that_exclude_the_balance(make_account, operator):
    a, b = make_account(), make_account()
    transfer_points(operator, a.id, b.id, 200, "sala", "k1")
    with pytest.raises(ValidationError) as err:
        set_account_limits(operator, a.id, -100, None)
    assert err.value.code == "limits_exclude_balance"


def test_set_limits_refuses_positive_floor(make_account, operator):
    with pytest.raises(ValidationError) as err:
        set_account_limits(operator, make_account().id, 10, None)
    assert err.value.code == "invalid_floor"


def test_set_limits_refuses_negative_ceiling(make_account, operator):
    with pytest.raises(ValidationError) as err:
        set_account_limits(operator, make_account().id, None, -1)
    assert err.value.code == "invalid_ceiling"


def test_set_limits_refuses_system_accounts(opening_account, operator):
    with pytest.raises(ValidationError) as err:
        set_account_limits(operator, opening_account.id, -1, 1)
    assert err.value.code == "system_account_limits"


def test_set_limits_needs_an_organiser_of_the_fair(make_account, make_participant):
    account = make_account()
    with pytest.raises(Forbidden) as err:
        set_account_limits(make_participant(), account.id, -10, 10)
    assert err.value.code == "not_account_manager"


def test_organiser_sets_limits_of_own_fair_account(make_account, organiser, balance_of):
    account = make_account()
    updated = set_account_limits(organiser, account.id, -50, 60)
    assert (updated.floor, updated.ceiling) == (-50, 60)


# --- accounts -----------------------------------------------------------------------------

def test_organisation_account_is_opened_once(make_organisation, org_account):
    org = make_organisation()
    assert org_account(org.id).id == org_account(org.id).id


def test_open_person_account_needs_an_organiser(make_participant):
    person = make_participant()
    with pytest.raises(Forbidden) as err:
        open_person_account(make_participant(), person.id)
    assert err.value.code == "not_account_manager"


def test_organiser_opens_accounts_for_all_organisations(organiser, make_organisation):
    make_organisation(), make_organisation()
    opened = open_organisation_accounts(organiser, organiser.fair_id)
    assert opened >= 2
    assert open_organisation_accounts(organiser, organiser.fair_id) == 0


def test_holder_choice_refuses_another_fairs_organisation(make_fair, make_organisation, fair):
    org = make_organisation(fair_id=make_fair().id)
    with pytest.raises(NotFound) as err:
        account_for_holder(fair.id, f"org:{org.id}")
    assert err.value.code == "organisation_not_found"
