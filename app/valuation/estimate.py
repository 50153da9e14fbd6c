"""Estimating one obligation's social value from its basis, amount and the rates."""

from __future__ import annotations

from dataclasses import dataclass

from app.floor.kinds import Unit
from app.valuation.kinds import CATEGORY_BASIS, HOURS_PER_DAY, RateKey, ValueBasis


@dataclass(frozen=True)
class Estimate:
    """units × rate = value, the rate and value in grosze."""

    basis: ValueBasis
    rate_key: RateKey
    units: int
    rate: int

    @property
    def value(self) -> int:
        return self.units * self.rate


def default_basis(category_key: str | None, unit: Unit | None = None) -> ValueBasis:
    """The basis an obligation gets unless its parties choose another: its category's."""
    basis = CATEGORY_BASIS.get(category_key or "", ValueBasis.WORK_BASIC)
    if basis is ValueBasis.ITEM and unit not in (Unit.PIECES, Unit.PEOPLE):
        return ValueBasis.WORK_BASIC  # catering not counted in portions is someone's hours of work
    return basis


_WORK_RATE = {ValueBasis.WORK_BASIC: RateKey.WORK_BASIC_HOUR,
              ValueBasis.WORK_SKILLED: RateKey.WORK_SKILLED_HOUR,
              ValueBasis.WORK_PROFESSIONAL: RateKey.WORK_PROFESSIONAL_HOUR}
_USE_RATES = {ValueBasis.ROOM: (RateKey.ROOM_HOUR, RateKey.ROOM_DAY),
              ValueBasis.EQUIPMENT: (RateKey.EQUIPMENT_HOUR, RateKey.EQUIPMENT_DAY),
              ValueBasis.VEHICLE: (RateKey.VEHICLE_HOUR, RateKey.VEHICLE_DAY)}


def _positive(n: int | None) -> int | None:
    return n if n is not None and n > 0 else None


def _work_hours(quantity: int | None, unit: Unit | None, hours: int | None) -> int | None:
    if _positive(hours):
        return hours
    if _positive(quantity) and unit is Unit.HOURS:
        return quantity
    if _positive(quantity) and unit is Unit.DAYS:
        return quantity * HOURS_PER_DAY  # type: ignore[operator]
    return None


def _use(basis: ValueBasis, quantity: int | None, unit: Unit | None,
         hours: int | None) -> tuple[RateKey, int] | None:
    per_hour, per_day = _USE_RATES[basis]
    if _positive(quantity) and unit is Unit.DAYS:
        return per_day, quantity  # type: ignore[return-value]
    if _positive(quantity) and unit is Unit.HOURS:
        return per_hour, quantity  # type: ignore[return-value]
    if _positive(hours):
        pieces = quantity if _positive(quantity) and unit is Unit.PIECES else 1
        return per_hour, hours * pieces  # type: ignore[operator]
    return None


def estimate(basis: ValueBasis, quantity: int | None, unit: Unit | None, hours: int | None,
             rates: dict[RateKey, int]) -> Estimate | None:
    """None when the obligation says too little to be valued (or is not to be):

    - work: its hours (or its quantity in hours, or in days of 8 hours) × the kind's hourly rate;
    - a room, equipment or a vehicle: days × the daily rate or hours × the hourly rate (pieces
      of equipment for some hours count each piece);
    - items: pieces (or portions for people) × the value of one.
    """
    if basis is ValueBasis.NONE:
        return None
    if basis.is_work:
        work = _work_hours(quantity, unit, hours)
        key = _WORK_RATE[basis]
        return Estimate(basis, key, work, rates[key]) if work else None
    if basis is ValueBasis.ITEM:
        if _positive(quantity) and unit in (Unit.PIECES, Unit.PEOPLE):
            return Estimate(basis, RateKey.ITEM_PIECE, quantity, rates[RateKey.ITEM_PIECE])  # type: ignore[arg-type]
        return None
    use = _use(basis, quantity, unit, hours)
    return Estimate(basis, use[0], use[1], rates[use[0]]) if use else None
