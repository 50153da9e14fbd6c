"""The brokers' fixtures: a broker (makler) of the fair, and the private events someone got."""

from collections.abc import Callable

import pytest

from app.core.storage.events import private_events_since
from app.fairs.roles import Role
from app.people.models import Participant


@pytest.fixture
def broker(make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Marek", "Makler", role=Role.BROKER, organisation="Centrum Wolontariatu",
                            email="makler@example.org")


@pytest.fixture
def notices() -> Callable[[Participant, str], list]:
    """The private events of `type_` that `person` has received so far, in order."""

    def of(person: Participant, type_: str) -> list:
        return [e for e in private_events_since(person.id, 0) if e.type == type_]

    return of
