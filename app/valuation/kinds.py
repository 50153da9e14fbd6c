"""The kinds of valuation and the rates they use."""

from __future__ import annotations

import enum

from flask_babel import LazyString, gettext, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice


class ValueBasis(enum.StrEnum):
    """What an obligation is valued as."""

    WORK_BASIC = "work_basic"  # help that needs no qualifications
    WORK_SKILLED = "work_skilled"  # work that needs a trade or experience
    WORK_PROFESSIONAL = "work_professional"  # a professional's services: training, advice
    ROOM = "room"
    EQUIPMENT = "equipment"
    VEHICLE = "vehicle"
    ITEM = "item"  # things given or used by the piece: portions, copies, packs
    NONE = "none"  # not valued: the parties chose so

    @property
    def label(self) -> LazyString:
        return BASIS_LABELS[self]

    @property
    def is_work(self) -> bool:
        return self in WORK


WORK = frozenset({ValueBasis.WORK_BASIC, ValueBasis.WORK_SKILLED, ValueBasis.WORK_PROFESSIONAL})

BASIS_LABELS: dict[ValueBasis, LazyString] = {
    ValueBasis.WORK_BASIC: _l("Basic help (work without qualifications)"),
    ValueBasis.WORK_SKILLED: _l("Skilled work"),
    ValueBasis.WORK_PROFESSIONAL: _l("Professional services"),
    ValueBasis.ROOM: _l("Use of a room"),
    ValueBasis.EQUIPMENT: _l("Use of equipment"),
    ValueBasis.VEHICLE: _l("Use of a vehicle"),
    ValueBasis.ITEM: _l("Items or portions"),
    ValueBasis.NONE: _l("Not valued"),
}


class RateKey(enum.StrEnum):
    """One editable rate: a basis and what it is counted in."""

    WORK_BASIC_HOUR = "work_basic_hour"
    WORK_SKILLED_HOUR = "work_skilled_hour"
    WORK_PROFESSIONAL_HOUR = "work_professional_hour"
    ROOM_HOUR = "room_hour"
    ROOM_DAY = "room_day"
    EQUIPMENT_HOUR = "equipment_hour"
    EQUIPMENT_DAY = "equipment_day"
    VEHICLE_HOUR = "vehicle_hour"
    VEHICLE_DAY = "vehicle_day"
    ITEM_PIECE = "item_piece"

    @property
    def label(self) -> LazyString:
        return RATE_LABELS[self]

    @property
    def per(self) -> str:
        """'hour', 'day' or 'piece'."""
        return self.value.rsplit("_", 1)[1]


RATE_LABELS: dict[RateKey, LazyString] = {
    RateKey.WORK_BASIC_HOUR: _l("Basic help, per hour"),
    RateKey.WORK_SKILLED_HOUR: _l("Skilled work, per hour"),
    RateKey.WORK_PROFESSIONAL_HOUR: _l("Professional services, per hour"),
    RateKey.ROOM_HOUR: _l("A room, per hour"),
    RateKey.ROOM_DAY: _l("A room, per day"),
    RateKey.EQUIPMENT_HOUR: _l("Equipment, per hour"),
    RateKey.EQUIPMENT_DAY: _l("Equipment, per day"),
    RateKey.VEHICLE_HOUR: _l("A vehicle, per hour"),
    RateKey.VEHICLE_DAY: _l("A vehicle, per day"),
    RateKey.ITEM_PIECE: _l("An item or portion, per piece"),
}



def units_text(units: int, per: str) -> str:
    """'3 h', '1 dzień', '2 dni', '30 szt.': the units an estimate counts ('hour', 'day', 'piece')."""
    if per == "day":
        return ngettext("%(num)d day", "%(num)d days", units)
    if per == "hour":
        return gettext("%(num)d h", num=units)
    return gettext("%(num)d pcs", num=units)

# The rates in grosze (1/100 zł). Sources and reasoning: docs/social-value.md.
DEFAULT_RATES: dict[RateKey, int] = {
    # The minimum wage for 2026 (4,806 zł a month) ÷ 168 hours, the method of Centrum Wolontariatu.
    RateKey.WORK_BASIC_HOUR: 2861,
    # The average wage forecast for 2026 (9,420 zł a month) ÷ 168 hours, by the same method.
    RateKey.WORK_SKILLED_HOUR: 5607,
    # The expert rate for volunteer work in the ASOS programme (75 zł an hour).
    RateKey.WORK_PROFESSIONAL_HOUR: 7500,
    # Use of things has no public table: modest local market values, for the organisers to set.
    RateKey.ROOM_HOUR: 5000,
    RateKey.ROOM_DAY: 30000,
    RateKey.EQUIPMENT_HOUR: 2000,
    RateKey.EQUIPMENT_DAY: 10000,
    RateKey.VEHICLE_HOUR: 6000,
    RateKey.VEHICLE_DAY: 40000,
    RateKey.ITEM_PIECE: 2000,
}

HOURS_PER_DAY = 8  # a day of work, when work is pledged in days

# The seeded categories' usual basis (app/fairs/categories.py); others are valued as basic help.
CATEGORY_BASIS: dict[str, ValueBasis] = {
    "rooms": ValueBasis.ROOM,
    "equipment": ValueBasis.EQUIPMENT,
    "transport": ValueBasis.VEHICLE,
    "volunteers": ValueBasis.WORK_BASIC,
    "catering": ValueBasis.ITEM,
    "promotion": ValueBasis.WORK_SKILLED,
    "it_service": ValueBasis.WORK_SKILLED,
    "art_classes": ValueBasis.WORK_SKILLED,
    "workshops": ValueBasis.WORK_SKILLED,
    "trainings": ValueBasis.WORK_PROFESSIONAL,
    "expertise": ValueBasis.WORK_PROFESSIONAL,
    "other": ValueBasis.WORK_BASIC,
}


def basis_choices() -> list[SelectChoice]:
    """The draft editor's choice: the category's basis unless the parties pick another."""
    return [SelectChoice("", _l("By the category"))] + [SelectChoice(b.value, b.label) for b in ValueBasis]
