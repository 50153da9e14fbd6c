"""Sectors and roles: the method colour-codes badges by sector."""

from __future__ import annotations

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class Sector(enum.StrEnum):
    NGO = "ngo"
    PUBLIC = "public"
    BUSINESS = "business"
    SOCIAL_COOPERATIVE = "social_cooperative"
    INFORMAL_GROUP = "informal_group"
    RESIDENT = "resident"

    @property
    def label(self) -> LazyString:
        return SECTOR_LABELS[self]

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self]


SECTOR_LABELS: dict[Sector, LazyString] = {
    Sector.NGO: _l("NGO"),
    Sector.PUBLIC: _l("Public institution"),
    Sector.BUSINESS: _l("Business"),
    Sector.SOCIAL_COOPERATIVE: _l("Social cooperative"),
    Sector.INFORMAL_GROUP: _l("Informal group"),
    Sector.RESIDENT: _l("Resident"),
}

# Badge bands, after the method: business white, NGO yellow; the rest distinct and printable.
SECTOR_COLOURS: dict[Sector, str] = {
    Sector.NGO: "#f5c400",
    Sector.PUBLIC: "#2f6fbf",
    Sector.BUSINESS: "#ffffff",
    Sector.SOCIAL_COOPERATIVE: "#3a9d4a",
    Sector.INFORMAL_GROUP: "#e0702a",
    Sector.RESIDENT: "#8e5bb5",
}


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    NOTARY = "notary"
    ORGANISER = "organiser"

    @property
    def label(self) -> LazyString:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, LazyString] = {
    Role.PARTICIPANT: _l("Participant"),
    Role.NOTARY: _l("Notary"),
    Role.ORGANISER: _l("Organiser"),
}

STAFF_ROLES = frozenset({Role.NOTARY, Role.ORGANISER})


class FairState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    TRADING = "trading"
    CLOSED = "closed"
