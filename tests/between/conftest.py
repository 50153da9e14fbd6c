"""Between fairs: `member_at_space` (a participant of the fair entered the network's space, as the
button on their page does) and `coordinator` (the organiser's account at the space)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.between.space import enter_network_space
from app.fairs.models import Fair
from app.fairs.network_space import network_space
from app.ledger.coordinators import set_network_coordinator
from app.ledger.permissions import SystemActor
from app.people.models import Participant


@pytest.fixture
def member_at_space(make_participant: Callable[..., Participant]) -> Callable[..., Participant]:
    def make(*args: object, **kw: object) -> Participant:
        return enter_network_space(make_participant(*args, **kw))

    return make


@pytest.fixture
def coordinator(organiser: Participant) -> Participant:
    account = set_network_coordinator(SystemActor("test"), organiser.id, True)
    assert account is not None
    return account


@pytest.fixture
def space(coordinator: Participant) -> Fair:
    found = network_space()
    assert found is not None
    return found
