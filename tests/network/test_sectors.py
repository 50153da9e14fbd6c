"""Sectors (app/network/sectors.py): reading a sector as people write it."""

import pytest

from app.network.sectors import Sector, parse_sector


@pytest.mark.parametrize(("value", "sector"), [
    ("ngo", Sector.NGO), ("Organizacja pozarządowa", Sector.NGO), ("NGO", Sector.NGO),
    ("Fundacja", Sector.NGO), ("stowarzyszenie", Sector.NGO),
    ("instytucja publiczna", Sector.PUBLIC), ("public", Sector.PUBLIC),
    ("firma", Sector.BUSINESS), ("Biznes", Sector.BUSINESS), ("business", Sector.BUSINESS),
    ("spółdzielnia socjalna", Sector.SOCIAL_COOPERATIVE), ("social_cooperative", Sector.SOCIAL_COOPERATIVE),
    ("grupa nieformalna", Sector.INFORMAL_GROUP), ("informal group", Sector.INFORMAL_GROUP),
    ("mieszkaniec", Sector.RESIDENT), ("Mieszkanka", Sector.RESIDENT), ("osoba prywatna", Sector.RESIDENT),
    ("resident", Sector.RESIDENT), ("Mieszkaniec/mieszkanka", Sector.RESIDENT), ("kosmici", None), ("", None),
])
def test_parse_sector(value, sector):
    assert parse_sector(value) == sector
