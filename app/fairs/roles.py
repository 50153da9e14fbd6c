"""The roles people hold at a fair, and the check every service makes of its actor's role."""

from __future__ import annotations

import enum
from typing import Protocol, TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.core.errors import Forbidden
from app.core.textkeys import word_key


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


_ROLE_WORDS: dict[str, Role] = {word_key(w): r for r, words in {
    Role.PARTICIPANT: ("participant", "uczestnik", "uczestniczka"),
    Role.NOTARY: ("notary", "notariusz", "notariuszka"),
    Role.ORGANISER: ("organiser", "organizer", "organizator", "organizatorka"),
}.items() for w in words}


def parse_role(value: str) -> Role | None:
    """A role from our code or its Polish or English name; None if unknown."""
    return _ROLE_WORDS.get(word_key(value))


class Actor(Protocol):
    """Whoever a service acts for: a person logged in to one fair, holding one role there."""

    @property
    def id(self) -> int: ...

    @property
    def fair_id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def is_active(self) -> bool: ...


A = TypeVar("A", bound=Actor)


def require_role(actor: A | None, fair_id: int, *roles: Role) -> A:
    """The actor must belong to this fair and hold one of `roles`."""
    if actor is None or actor.fair_id != fair_id or not actor.is_active:
        raise Forbidden(_l("You are not logged in to this fair."), code="not_logged_in")
    if roles and actor.role not in roles:
        raise Forbidden(_l("Your role does not allow this action."), code="forbidden_role")
    return actor
