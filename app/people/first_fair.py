"""A fair and its first organiser: from the command line (`flask fair create`), and on a
brand-new installation from a page.

The page works only while the database holds no fair, and only with the set-up code the
server keeps in `instance/setup-code` and prints when it starts (`python -m app`, `make run`)
or on `flask --app app fair setup-link`: whoever reaches a fresh server first over the network
cannot make themselves its organiser.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.fairs.fairs import FairData, create_fair
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.credentials import MIN_PASSWORD_LENGTH, set_password_unchecked
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant

CODE_FILE = "setup-code"


def has_fairs() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Fair)))


def setup_code(instance_path: str | Path) -> str:
    """The installation's set-up code, made once and kept (readable by the server's user only)."""
    path = Path(instance_path) / CODE_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def code_matches(instance_path: str | Path, given: str | None) -> bool:
    path = Path(instance_path) / CODE_FILE
    if not given or not path.exists():
        return False
    return hmac.compare_digest(path.read_text().strip().encode(), given.strip().encode())


def forget_setup_code(instance_path: str | Path) -> None:
    (Path(instance_path) / CODE_FILE).unlink(missing_ok=True)


@dataclass
class FirstFair:
    fair: FairData
    organiser: PersonData
    organisation: OrganisationData
    password: str


@service
def create_fair_with_organiser(data: FirstFair, via: str = "organiser") -> Participant:
    """A fair and its first organiser (with their password), in one transaction. Audited: the
    entry names the fair (its `fair_id`), the organiser (its target) and what both were given."""
    if len(data.password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
                              code="password_too_short")
    fair = create_fair(data.fair)
    data.organiser.role = Role.ORGANISER
    organisation = data.organisation
    if organisation.sector == Sector.RESIDENT:
        organisation = OrganisationData("", Sector.RESIDENT, city=organisation.city)
    person = create_participant(fair.id, data.organiser, organisation, via=via)
    set_password_unchecked(person, data.password)
    return person


@service
def create_first_fair(data: FirstFair) -> Participant:
    """The first fair and its first organiser, in one transaction; refused once any fair exists."""
    if has_fairs():
        raise Conflict(_l("This installation already has a fair. Log in there, or ask its organisers."),
                       code="already_set_up")
    return create_fair_with_organiser(data, via="setup")
