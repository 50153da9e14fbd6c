"""Door fixtures: `people` (three participants with Polish names, one a resident), and `card(person)`,
the address their badge's QR code opens."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.network.sectors import Sector
from app.people.models import Participant

BASE = "http://gielda.test"  # PUBLIC_URL in the test configuration


@pytest.fixture
def people(make_participant: Callable[..., Participant]) -> list[Participant]:
    return [
        make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
        make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Socjalna „Łąka”",
                         sector=Sector.SOCIAL_COOPERATIVE),
        make_participant("Zdzisław", "Ćwik", organisation="Zdzisław Ćwik (mieszkaniec)", sector=Sector.RESIDENT),
    ]


def card(person: Participant) -> str:
    return f"{BASE}/p/{person.badge_code}"
