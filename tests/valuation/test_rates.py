"""Rates (app/valuation/rates.py): the fair's own, else the network's, else the defaults."""

import pytest

from app.core.errors import DomainError, ValidationError
from app.core.storage.transactions import transaction
from app.fairs.network_space import ensure_network_space
from app.valuation.kinds import DEFAULT_RATES, RateKey
from app.valuation.rates import effective_rates, network_rates, parse_amount, set_rates


def test_a_new_fair_uses_the_defaults(fair):
    assert effective_rates(fair.id) == DEFAULT_RATES


def test_a_fairs_own_rate_wins(fair, organiser):
    set_rates(organiser, fair.id, {RateKey.ROOM_HOUR: 8000})
    rates = effective_rates(fair.id)
    assert rates[RateKey.ROOM_HOUR] == 8000
    assert rates[RateKey.ROOM_DAY] == DEFAULT_RATES[RateKey.ROOM_DAY]


def test_the_networks_rates_reach_every_fair_without_its_own(fair, organiser, make_fair):
    from app.ledger.coordinators import set_network_coordinator as name_coordinator
    from app.ledger.permissions import SystemActor

    coordinator = name_coordinator(SystemActor("test"), organiser.id, True)
    space = coordinator.fair
    set_rates(coordinator, space.id, {RateKey.WORK_BASIC_HOUR: 3140})
    assert network_rates()[RateKey.WORK_BASIC_HOUR] == 3140
    assert effective_rates(fair.id)[RateKey.WORK_BASIC_HOUR] == 3140
    set_rates(organiser, fair.id, {RateKey.WORK_BASIC_HOUR: 3000})
    assert effective_rates(fair.id)[RateKey.WORK_BASIC_HOUR] == 3000
    assert effective_rates(make_fair().id)[RateKey.WORK_BASIC_HOUR] == 3140


def test_none_goes_back_to_the_inherited_rate(fair, organiser):
    set_rates(organiser, fair.id, {RateKey.ITEM_PIECE: 100})
    set_rates(organiser, fair.id, {RateKey.ITEM_PIECE: None})
    assert effective_rates(fair.id)[RateKey.ITEM_PIECE] == DEFAULT_RATES[RateKey.ITEM_PIECE]


def test_only_organisers_set_rates(fair, make_participant):
    with pytest.raises(DomainError):
        set_rates(make_participant(), fair.id, {RateKey.ROOM_HOUR: 1})
    assert effective_rates(fair.id) == DEFAULT_RATES


def test_an_absurd_rate_is_refused_and_nothing_changes(fair, organiser):
    with pytest.raises(ValidationError) as refused:
        set_rates(organiser, fair.id, {RateKey.ROOM_HOUR: 500, RateKey.ROOM_DAY: 10**9})
    assert refused.value.code == "rate_too_high"
    assert effective_rates(fair.id) == DEFAULT_RATES


@pytest.mark.parametrize(("text", "grosze"), [
    ("28,61", 2861), ("28.61", 2861), ("28", 2800), (" 1 250,5 zł ", 125050), ("", None), ("0", 0),
])
def test_amounts_as_people_write_them(text, grosze):
    assert parse_amount(text) == grosze


@pytest.mark.parametrize("text", ["abc", "-5", "1e400", "NaN", "12,5,3"])
def test_amounts_that_are_no_amount(text):
    with pytest.raises(ValidationError) as refused:
        parse_amount(text)
    assert refused.value.code in ("rate_invalid", "rate_too_high")


def test_the_space_itself_inherits_only_the_defaults(app):
    with transaction():
        space = ensure_network_space()
    assert effective_rates(space.id) == DEFAULT_RATES
