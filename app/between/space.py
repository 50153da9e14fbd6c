"""Entering the network's space from a fair, and going back.

A person logged in at a fair enters the network's space as themself on behalf of the same member:
their account there is made the first time (the same person and member, no new registration), and
their session switches to it. Going back is allowed only to the fair account they came from, in the
same session, and only while that account's login still stands (its version unchanged).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.errors import Conflict, Forbidden
from app.core.extensions import db
from app.core.storage.transactions import service
from app.fairs.network_space import ensure_network_space
from app.fairs.roles import Role, require_role
from app.people.models import Participant
from app.people.participants import attend_as
from app.people.queries import reread_actor


@service
def enter_network_space(actor: Participant) -> Participant:
    """The actor's own account at the network's space (a participant's, whatever their role at the
    fair: a fair's organiser is not a coordinator), made now if they have none."""
    actor = require_role(reread_actor(actor), actor.fair_id)
    if actor.fair.is_network:
        raise Conflict(_l("You are already in the network's space."), code="already_in_network")
    return attend_as(ensure_network_space().id, actor, Role.PARTICIPANT, via="network")


def find_way_back(current: Participant, came_from: tuple[int, int] | None) -> Participant | None:
    """The fair account the person entered the network's space from, if it still stands: the same
    person, active, with the login it had then."""
    if came_from is None:
        return None
    pid, version = came_from
    person = db.session.get(Participant, pid)
    if (person is None or person.person_id != current.person_id or not person.is_active
            or person.login_version != version or person.fair.is_network):
        return None
    return person


def way_back(current: Participant, came_from: tuple[int, int] | None) -> Participant:
    """`find_way_back`, or a refusal that says how to get back instead."""
    person = find_way_back(current, came_from)
    if person is None:
        raise Forbidden(_l("Log in at your fair again with your slip's link or your badge code and PIN."),
                        code="no_way_back")
    return person
