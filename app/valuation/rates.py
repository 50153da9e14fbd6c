"""The rates in force at a fair: its own, else the network's (its space's), else the defaults."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.fairs.models import Fair
from app.fairs.network_space import network_space
from app.fairs.roles import Actor, Role, require_role
from app.valuation.kinds import DEFAULT_RATES, RateKey
from app.valuation.models import ValueRate

MAX_RATE = 10_000_000  # 100,000 zł per hour, day or piece: more is a typo


def _own(fair_id: int) -> dict[RateKey, int]:
    rows = db.session.execute(select(ValueRate.key, ValueRate.amount).where(ValueRate.fair_id == fair_id))
    return {RateKey(key): amount for key, amount in rows if key in RateKey._value2member_map_}


def network_rates() -> dict[RateKey, int]:
    """The defaults with the network's changes."""
    space = network_space()
    return DEFAULT_RATES | (_own(space.id) if space is not None else {})


def effective_rates(fair_id: int) -> dict[RateKey, int]:
    """Every rate, in grosze: the fair's own changes over the network's rates."""
    fair = db.session.get(Fair, fair_id)
    if fair is not None and fair.is_network:
        return DEFAULT_RATES | _own(fair_id)
    return network_rates() | _own(fair_id)


def own_rates(fair_id: int) -> dict[RateKey, int]:
    """Only the rates this fair (or the network's space) has changed."""
    return _own(fair_id)


def parse_amount(text: str) -> int | None:
    """'28,61' or '28.61' or '28' zł → 2861 grosze; '' → None (back to the inherited rate)."""
    cleaned = text.strip().replace("zł", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_l("Write each rate as an amount in złoty, such as 28,61."),
                              code="rate_invalid") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(_l("Write each rate as an amount in złoty, such as 28,61."), code="rate_invalid")
    if value * 100 > MAX_RATE:
        raise ValidationError(_l("A rate of more than 100,000 zł is surely a typo."), code="rate_too_high")
    grosze = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if grosze > MAX_RATE:
        raise ValidationError(_l("A rate of more than 100,000 zł is surely a typo."), code="rate_too_high")
    return grosze


@service
def set_rates(actor: Actor, fair_id: int, amounts: dict[RateKey, int | None]) -> dict[RateKey, int]:
    """The organisers' changes to the fair's rates (the coordinator's, at the network's space); a
    rate given as None goes back to the network's or the default. Agreements already signed keep
    the value frozen when they were."""
    require_role(actor, fair_id, Role.ORGANISER)
    for amount in amounts.values():
        if amount is not None and not 0 <= amount <= MAX_RATE:
            raise ValidationError(_l("A rate of more than 100,000 zł is surely a typo."), code="rate_too_high")
    db.session.execute(delete(ValueRate).where(ValueRate.fair_id == fair_id,
                                               ValueRate.key.in_([k.value for k in amounts])))
    now = utcnow()
    db.session.add_all(ValueRate(fair_id=fair_id, key=key.value, amount=amount, updated_at=now)
                       for key, amount in amounts.items() if amount is not None)
    db.session.flush()
    return effective_rates(fair_id)
