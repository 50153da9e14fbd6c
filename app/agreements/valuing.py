"""Each obligation's social value (app/valuation): previewed on a draft, frozen at signing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.agreements.models import Agreement, Obligation
from app.core.extensions import db
from app.fairs.models import Category
from app.valuation.estimate import Estimate, default_basis, estimate
from app.valuation.kinds import RateKey, ValueBasis, units_text
from app.valuation.rates import effective_rates


def _category_keys(fair_id: int) -> dict[int, str | None]:
    rows = db.session.execute(select(Category.id, Category.key).where(Category.fair_id == fair_id)).tuples()
    return {category_id: key for category_id, key in rows}


def obligation_basis(ob: Obligation, category_keys: dict[int, str | None]) -> ValueBasis:
    if ob.value_basis:
        return ValueBasis(ob.value_basis)
    return default_basis(category_keys.get(ob.category_id) if ob.category_id else None, ob.unit)


def estimates(agreement: Agreement) -> dict[int, Estimate | None]:
    """What each obligation would be worth at today's rates (a draft's preview)."""
    rates = effective_rates(agreement.fair_id)
    keys = _category_keys(agreement.fair_id)
    return {ob.id: estimate(obligation_basis(ob, keys), ob.quantity, ob.unit, ob.hours, rates)
            for ob in agreement.obligations}


def freeze_values(agreement: Agreement) -> None:
    """At signing, inside its transaction: each obligation's estimate becomes part of what is
    signed (app/agreements/content.py); later changes of the rates leave it as it is."""
    rates = effective_rates(agreement.fair_id)
    keys = _category_keys(agreement.fair_id)
    for ob in agreement.obligations:
        basis = obligation_basis(ob, keys)
        est = estimate(basis, ob.quantity, ob.unit, ob.hours, rates)
        ob.value_basis = basis.value
        ob.value_rate_key = est.rate_key.value if est else None
        ob.value_units = est.units if est else None
        ob.value_rate = est.rate if est else None
        ob.social_value = est.value if est else None


@dataclass(frozen=True)
class ValueLine:
    """An obligation's estimate as a page or a PDF says it: '10 h × 28,61 zł = 286,10 zł'."""

    basis: ValueBasis
    units: int
    per: str  # 'hour', 'day' or 'piece'
    rate: int
    value: int
    frozen: bool

    @property
    def units_text(self) -> str:
        return units_text(self.units, self.per)


def value_line(ob: Obligation, previews: dict[int, Estimate | None] | None = None) -> ValueLine | None:
    """The frozen estimate of a signed obligation, or the preview of a draft's."""
    if ob.social_value is not None and ob.value_units is not None and ob.value_rate is not None:
        per = RateKey(ob.value_rate_key).per if ob.value_rate_key else "piece"
        return ValueLine(ValueBasis(ob.value_basis or ValueBasis.WORK_BASIC), ob.value_units, per,
                         ob.value_rate, ob.social_value, True)
    est = (previews or {}).get(ob.id)
    if est is None:
        return None
    return ValueLine(est.basis, est.units, est.rate_key.per, est.rate, est.value, False)


def agreement_value(agreement: Agreement) -> int | None:
    """The frozen total in grosze, None if no obligation was valued."""
    values = [ob.social_value for ob in agreement.obligations if ob.social_value is not None]
    return sum(values) if values else None
