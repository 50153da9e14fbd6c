"""Offers and needs: their kinds, states and units, with the words the UI shows for them."""

from __future__ import annotations

import enum

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l


class PostKind(enum.StrEnum):
    OFFER = "offer"
    NEED = "need"

    @property
    def label(self) -> LazyString:
        return _l("Offer") if self is PostKind.OFFER else _l("Need")


class PostState(enum.StrEnum):
    ACTIVE = "active"
    TAKEN = "taken"
    WITHDRAWN = "withdrawn"


class Unit(enum.StrEnum):
    HOURS = "hours"
    DAYS = "days"
    PIECES = "pieces"
    PEOPLE = "people"

    @property
    def label(self) -> LazyString:
        return UNIT_LABELS[self]


UNIT_LABELS: dict[Unit, LazyString] = {
    Unit.HOURS: _l("hours"),
    Unit.DAYS: _l("days"),
    Unit.PIECES: _l("pieces"),
    Unit.PEOPLE: _l("people"),
}


def quantity_text(quantity: int, unit: Unit | None) -> str:
    """'1 godzina', '3 godziny', '5 godzin': the unit in the right plural form for the number."""

    if unit is None:
        return str(quantity)
    if unit is Unit.HOURS:
        return ngettext("%(num)d hour", "%(num)d hours", quantity)
    if unit is Unit.DAYS:
        return ngettext("%(num)d day", "%(num)d days", quantity)
    if unit is Unit.PIECES:
        return ngettext("%(num)d piece", "%(num)d pieces", quantity)
    return ngettext("%(num)d person", "%(num)d people", quantity)
