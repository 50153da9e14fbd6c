"""What the organiser's pickers choose from: the fair's organisations and participants, found by
a few letters of the name (see app/core/web/picker.py), and the network's members a form offers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from app.core.extensions import db
from app.core.web.inputs import db_int
from app.core.web.picker import Pick
from app.network.models import Member
from app.network.sectors import Sector
from app.people.models import Organisation, Participant
from app.people.queries import organisation_in_fair, organisation_matches, participant_in_fair, participant_matches


def _id(value: str) -> int | None:
    try:
        return db_int(value)
    except ValueError:
        return None


def organisation_pick(org: Organisation, value: str | None = None) -> Pick:
    """An organisation as a choice: its name, and its sector and town to tell namesakes apart."""
    hint = " · ".join(v for v in (str(org.sector.label), org.city) if v)
    return Pick(value or str(org.id), org.name, hint)


def participant_pick(person: Participant, value: str | None = None) -> Pick:
    """A participant as a choice: their name, and whom they represent."""
    return Pick(value or str(person.id), person.full_name, person.organisation.name)


@dataclass(frozen=True)
class OrganisationPicker:
    """The fair's organisations (not removed); the value is the organisation's id."""

    fair_id: int

    def find(self, value: str) -> Pick | None:
        ident = _id(value)
        org = organisation_in_fair(self.fair_id, ident) if ident is not None else None
        return organisation_pick(org) if org is not None else None

    def search(self, q: str, limit: int) -> list[Pick]:
        return [organisation_pick(o) for o in organisation_matches(self.fair_id, q, limit)]


@dataclass(frozen=True)
class ParticipantPicker:
    """The fair's participants (not removed, narrowed by `among` if given); the value is the
    participant's id."""

    fair_id: int
    among: ColumnElement[bool] | None = None

    def find(self, value: str) -> Pick | None:
        ident = _id(value)
        person = participant_in_fair(self.fair_id, ident, self.among) if ident is not None else None
        return participant_pick(person) if person is not None else None

    def search(self, q: str, limit: int) -> list[Pick]:
        return [participant_pick(p) for p in participant_matches(self.fair_id, q, limit, self.among)]


@dataclass(frozen=True)
class MemberChoice:
    id: int
    name: str
    sector: Sector


def member_choices(fair_id: int | None, include_removed: bool = False) -> list[MemberChoice]:
    """The network's members (not merged) a form offers, by name: those with an organisation at
    the fair (`include_removed`: removed ones too), or every member (`fair_id` None)."""
    query = select(Member.id, Member.name, Member.sector).where(Member.merged_into_id.is_(None))
    if fair_id is not None:
        at_fair = select(Organisation.member_id).where(Organisation.fair_id == fair_id)
        if not include_removed:
            at_fair = at_fair.where(Organisation.removed_at.is_(None))
        query = query.where(Member.id.in_(at_fair))
    rows = db.session.execute(query.order_by(Member.name_key, Member.id)).tuples()
    return [MemberChoice(i, name, sector) for i, name, sector in rows]
