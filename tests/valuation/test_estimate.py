"""Estimating one obligation (app/valuation/estimate.py): hours × a rate, or units × a value."""

import pytest

from app.floor.kinds import Unit
from app.valuation.estimate import default_basis, estimate
from app.valuation.kinds import DEFAULT_RATES, RateKey, ValueBasis

RATES = dict(DEFAULT_RATES)


def test_work_is_hours_times_the_kinds_rate():
    est = estimate(ValueBasis.WORK_SKILLED, None, None, 10, RATES)
    assert (est.rate_key, est.units, est.rate, est.value) == (RateKey.WORK_SKILLED_HOUR, 10, 5607, 56070)


def test_work_in_hours_of_quantity_when_no_hours_given():
    assert estimate(ValueBasis.WORK_BASIC, 3, Unit.HOURS, None, RATES).value == 3 * 2861


def test_work_in_days_counts_eight_hours_a_day():
    est = estimate(ValueBasis.WORK_PROFESSIONAL, 2, Unit.DAYS, None, RATES)
    assert (est.units, est.value) == (16, 16 * 7500)


def test_hours_given_win_over_the_quantity():
    assert estimate(ValueBasis.WORK_BASIC, 30, Unit.PEOPLE, 4, RATES).units == 4


def test_a_room_by_the_day_uses_the_daily_value():
    est = estimate(ValueBasis.ROOM, 2, Unit.DAYS, None, RATES)
    assert (est.rate_key, est.value) == (RateKey.ROOM_DAY, 2 * 30000)


def test_a_room_by_the_hour_uses_the_hourly_value():
    est = estimate(ValueBasis.ROOM, 3, Unit.HOURS, None, RATES)
    assert (est.rate_key, est.value) == (RateKey.ROOM_HOUR, 3 * 5000)


def test_pieces_of_equipment_for_some_hours_count_each_piece():
    est = estimate(ValueBasis.EQUIPMENT, 4, Unit.PIECES, 5, RATES)
    assert (est.rate_key, est.units) == (RateKey.EQUIPMENT_HOUR, 20)


def test_items_by_the_piece_or_portion():
    assert estimate(ValueBasis.ITEM, 30, Unit.PEOPLE, None, RATES).value == 30 * 2000
    assert estimate(ValueBasis.ITEM, 5, Unit.PIECES, None, RATES).rate_key is RateKey.ITEM_PIECE


@pytest.mark.parametrize(("basis", "quantity", "unit", "hours"), [
    (ValueBasis.WORK_BASIC, None, None, None),
    (ValueBasis.WORK_BASIC, 3, Unit.PIECES, None),
    (ValueBasis.WORK_BASIC, None, None, 0),
    (ValueBasis.ROOM, 1, Unit.PEOPLE, None),
    (ValueBasis.ITEM, 2, Unit.HOURS, None),
    (ValueBasis.NONE, 3, Unit.HOURS, 3),
])
def test_too_little_said_or_not_valued_gives_no_estimate(basis, quantity, unit, hours):
    assert estimate(basis, quantity, unit, hours, RATES) is None


def test_the_rates_given_are_the_rates_used():
    rates = RATES | {RateKey.VEHICLE_HOUR: 12345}
    assert estimate(ValueBasis.VEHICLE, None, None, 2, rates).value == 24690


def test_the_categorys_basis_is_the_default():
    assert default_basis("rooms") is ValueBasis.ROOM
    assert default_basis("trainings") is ValueBasis.WORK_PROFESSIONAL
    assert default_basis("transport") is ValueBasis.VEHICLE
    assert default_basis(None) is ValueBasis.WORK_BASIC
    assert default_basis("a category an organiser added") is ValueBasis.WORK_BASIC


def test_catering_not_counted_in_portions_is_work():
    assert default_basis("catering", Unit.PEOPLE) is ValueBasis.ITEM
    assert default_basis("catering", Unit.PIECES) is ValueBasis.ITEM
    assert default_basis("catering", Unit.HOURS) is ValueBasis.WORK_BASIC
    assert default_basis("catering", None) is ValueBasis.WORK_BASIC


def test_the_units_are_said_with_the_right_plural(app):
    from flask_babel import force_locale

    from app.valuation.kinds import units_text

    with app.test_request_context(), force_locale("pl"):
        assert [units_text(1, "day"), units_text(3, "day"), units_text(5, "day")] == ["1 dzień", "3 dni", "5 dni"]
        assert (units_text(10, "hour"), units_text(30, "piece")) == ("10 h", "30 szt.")
