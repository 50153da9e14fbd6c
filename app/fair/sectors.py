"""Sectors and roles: the method colour-codes badges by sector."""

from __future__ import annotations

import enum
import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.textkeys import search_key


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
    BROKER = "broker"  # "makler": helps people find partners

    @property
    def label(self) -> LazyString:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, LazyString] = {
    Role.PARTICIPANT: _l("Participant"),
    Role.NOTARY: _l("Notary"),
    Role.ORGANISER: _l("Organiser"),
    Role.BROKER: _l("Broker"),
}

STAFF_ROLES = frozenset({Role.NOTARY, Role.ORGANISER})  # the desk, the notary's work
PASSWORD_ROLES = frozenset({Role.NOTARY, Role.ORGANISER, Role.BROKER})  # log in with a password


def _word(value: str) -> str:
    """'Organizacja  pozarządowa' -> 'organizacja pozarzadowa'; 'social_cooperative' -> 'social cooperative'."""
    return " ".join(search_key(re.sub(r"[_/-]", " ", value)).split())


# What people write in spreadsheets: our codes, the Polish and English names, common words.
_SECTOR_WORDS: dict[str, Sector] = {_word(w): s for s, words in {
    Sector.NGO: ("ngo", "organizacja pozarządowa", "fundacja", "stowarzyszenie",
                 "non-governmental organisation", "non-governmental organization", "non-profit"),
    Sector.PUBLIC: ("public", "instytucja publiczna", "public institution", "instytucja", "samorząd",
                    "urząd"),
    Sector.BUSINESS: ("business", "firma", "biznes", "przedsiębiorstwo", "company"),
    Sector.SOCIAL_COOPERATIVE: ("social_cooperative", "spółdzielnia socjalna", "spółdzielnia"),
    Sector.INFORMAL_GROUP: ("informal_group", "grupa nieformalna"),
    Sector.RESIDENT: ("resident", "mieszkaniec", "mieszkanka", "mieszkaniec/mieszkanka", "osoba prywatna",
                      "private person"),
}.items() for w in words}

_ROLE_WORDS: dict[str, Role] = {_word(w): r for r, words in {
    Role.PARTICIPANT: ("participant", "uczestnik", "uczestniczka"),
    Role.NOTARY: ("notary", "notariusz", "notariuszka"),
    Role.ORGANISER: ("organiser", "organizer", "organizator", "organizatorka"),
}.items() for w in words}


def parse_sector(value: str) -> Sector | None:
    """A sector from our code, its Polish or English name or a common word; None if unknown."""
    return _SECTOR_WORDS.get(_word(value))


def parse_role(value: str) -> Role | None:
    """A role from our code or its Polish or English name; None if unknown."""
    return _ROLE_WORDS.get(_word(value))


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
    from flask_babel import ngettext

    if unit is None:
        return str(quantity)
    if unit is Unit.HOURS:
        return ngettext("%(num)d hour", "%(num)d hours", quantity)
    if unit is Unit.DAYS:
        return ngettext("%(num)d day", "%(num)d days", quantity)
    if unit is Unit.PIECES:
        return ngettext("%(num)d piece", "%(num)d pieces", quantity)
    return ngettext("%(num)d person", "%(num)d people", quantity)


def unit_plural_labels() -> dict[str, dict[str, str]]:
    """Unit words by CLDR plural category, for pages that format quantities in the browser
    (Intl.PluralRules): {"hours": {"one": "godzina", "few": "godziny", "many": "godzin"}}."""
    samples = {"one": 1, "few": 2, "many": 5, "other": 5}
    return {u.value: {category: quantity_text(n, u).split(" ", 1)[1] for category, n in samples.items()}
            for u in Unit}


class FairState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    TRADING = "trading"
    CLOSED = "closed"
