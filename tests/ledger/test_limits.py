"""Floors and ceilings (app/ledger/limits.py): defaults, configuration per kind, the near-floor warning."""

from __future__ import annotations

import pytest

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.ledger.limits import LimitError, kind_defaults, limits_for, near_floor
from app.ledger.models import Account, AccountKind
from app.ledger.operations import transfer_points


def test_network_default_is_minus_500_to_1000(make_account):
    limits = limits_for(make_account())
    assert (limits.floor, limits.ceiling) == (-500, 1000)


def test_spending_down_to_the_floor_is_allowed(make_account, operator, balance_of):
    a, b = make_account(), make_account()
    transfer_points(operator, a.id, b.id, 500, "sala", "k")
    assert balance_of(a) == -500


def test_crossing_the_floor_is_refused_naming_account_and_limit(make_account, operator, balance_of):
    a, b = make_account("Fundacja Ścieżka"), make_account()
    with pytest.raises(LimitError) as err:
        transfer_points(operator, a.id, b.id, 501, "sala", "k")
    assert err.value.code == "below_floor"
    assert "Fundacja Ścieżka" in str(err.value) and "-500" in str(err.value)
    assert err.value.details["account_id"] == a.id and err.value.details["limit"] == -500
    assert balance_of(a) == 0


def test_crossing_the_ceiling_is_refused_naming_account_and_limit(make_account, fund, operator):
    a, b = make_account(), make_account("Spółdzielnia Żuraw")
    fund(b, 990)
    with pytest.raises(LimitError) as err:
        transfer_points(operator, a.id, b.id, 11, "sala", "k")
    assert err.value.code == "above_ceiling"
    assert "Spółdzielnia Żuraw" in str(err.value) and "1000" in str(err.value)


def test_per_account_limits_win_over_the_default(make_account, operator):
    a, b = make_account(floor=-50), make_account()
    with pytest.raises(LimitError) as err:
        transfer_points(operator, a.id, b.id, 51, "sala", "k")
    assert err.value.details["limit"] == -50


@pytest.fixture
def app_config():
    return {"LEDGER_LIMITS": {"person": (-100, 200)}}


def test_limits_are_configurable_per_kind(app, make_account):
    # "person", the name from before the network, configures people's accounts.
    assert (kind_defaults(AccountKind.INDIVIDUAL).floor, kind_defaults(AccountKind.INDIVIDUAL).ceiling) == (-100, 200)
    assert limits_for(make_account()).floor == -500  # organisations keep the network default


def test_system_accounts_have_no_limits(opening_account):
    limits = limits_for(opening_account)
    assert limits.floor is None and limits.ceiling is None


def test_account_below_a_tightened_floor_may_still_receive(make_account, operator, balance_of):
    a, b = make_account(), make_account()
    transfer_points(operator, a.id, b.id, 300, "sala", "k1")
    with transaction():  # as if the network had tightened its limits since
        db.session.get_one(Account, a.id).floor = -100
    transfer_points(operator, b.id, a.id, 10, "zwrot", "k2")
    assert balance_of(a) == -290


def test_account_below_a_tightened_floor_may_not_spend_more(make_account, operator):
    a, b = make_account(), make_account()
    transfer_points(operator, a.id, b.id, 300, "sala", "k1")
    with transaction():
        db.session.get_one(Account, a.id).floor = -100
    with pytest.raises(LimitError) as err:
        transfer_points(operator, a.id, b.id, 1, "sala", "k2")
    assert err.value.code == "below_floor"


def test_near_floor_within_ten_percent(make_account, operator):
    a, b = make_account(), make_account()
    transfer_points(operator, a.id, b.id, 449, "sala", "k1")
    assert not near_floor(a, -449)
    assert near_floor(a, -450)
