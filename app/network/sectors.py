"""The sectors members belong to, with their names and colours, and the branches of what they
do (after the branches of the national database of social cooperatives)."""

from __future__ import annotations

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.core.textkeys import word_key


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


# What people write in spreadsheets: our codes, the Polish and English names, common words.
_SECTOR_WORDS: dict[str, Sector] = {word_key(w): s for s, words in {
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


def parse_sector(value: str) -> Sector | None:
    """A sector from our code, its Polish or English name or a common word; None if unknown."""
    return _SECTOR_WORDS.get(word_key(value))


class Branch(enum.StrEnum):
    """What a member does, as the national database of social cooperatives groups products and
    services by branch. Optional: a member may leave it empty."""

    CATERING = "catering"
    TOURISM = "tourism"
    CARE = "care"
    EDUCATION = "education"
    CULTURE = "culture"
    CLEANING = "cleaning"
    CONSTRUCTION = "construction"
    GREENERY = "greenery"
    CRAFTS = "crafts"
    PRINTING = "printing"
    IT = "it"
    TRANSPORT = "transport"
    TRADE = "trade"
    PRODUCTION = "production"
    SOCIAL_SERVICES = "social_services"
    BUSINESS_SERVICES = "business_services"
    OTHER = "other"

    @property
    def label(self) -> LazyString:
        return BRANCH_LABELS[self]


BRANCH_LABELS: dict[Branch, LazyString] = {
    Branch.CATERING: _l("Catering and gastronomy"),
    Branch.TOURISM: _l("Tourism and recreation"),
    Branch.CARE: _l("Care services"),
    Branch.EDUCATION: _l("Education and training"),
    Branch.CULTURE: _l("Culture and events"),
    Branch.CLEANING: _l("Cleaning"),
    Branch.CONSTRUCTION: _l("Construction and renovation"),
    Branch.GREENERY: _l("Gardening and greenery"),
    Branch.CRAFTS: _l("Crafts and handiwork"),
    Branch.PRINTING: _l("Printing and design"),
    Branch.IT: _l("IT services"),
    Branch.TRANSPORT: _l("Transport"),
    Branch.TRADE: _l("Trade"),
    Branch.PRODUCTION: _l("Production"),
    Branch.SOCIAL_SERVICES: _l("Social services"),
    Branch.BUSINESS_SERVICES: _l("Services for businesses"),
    Branch.OTHER: _l("Other"),
}
