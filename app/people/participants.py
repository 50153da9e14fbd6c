"""Participant services: self-registration, the organiser's list, walk-ins at the desk."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.codes import new_badge_code, new_login_secret, new_pin
from app.core.emails import email_key as email_lookup_key
from app.core.emails import normalise_email
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.events import end_sessions, record_event
from app.core.storage.transactions import service
from app.core.textkeys import name_key, person_keys, tidy
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.network.models import Person
from app.network.recognition import find_person_by_email, learn_contact, new_person
from app.network.sectors import Sector
from app.people.models import Organisation, Participant
from app.people.organisations import OrganisationData, ensure_organisation, get_organisation


@dataclass
class PersonData:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    show_email: bool = False
    show_phone: bool = False
    role: Role = Role.PARTICIPANT


def get_participant(fair_id: int, participant_id: int) -> Participant:
    person = db.session.get(Participant, participant_id)
    if person is None or person.fair_id != fair_id or person.removed_at is not None:
        raise NotFound(_l("This participant does not exist."), code="participant_not_found")
    return person


def find_duplicate(
    fair_id: int, person: PersonData, organisation_id: int | None, ignore_id: int | None = None
) -> tuple[str, Participant] | None:
    """Same e-mail at this fair, or the same name in the same organisation."""
    active = (Participant.fair_id == fair_id, Participant.removed_at.is_(None))
    key = email_lookup_key(person.email)
    if key:
        same = db.session.scalar(select(Participant).where(*active, Participant.email_key == key))
        if same is not None and same.id != ignore_id:
            return "duplicate_email", same
    if organisation_id is not None:
        key = name_key(f"{person.first_name} {person.last_name}")
        same = db.session.scalar(select(Participant).where(
            *active, Participant.organisation_id == organisation_id, Participant.name_key == key))
        if same is not None and same.id != ignore_id:
            return "duplicate_person", same
    return None


def duplicate_error(kind: str, person: PersonData) -> Conflict:
    if kind == "duplicate_email":
        return Conflict(
            _l("Someone with the e-mail %(email)s is already registered.", email=person.email),
            code="duplicate_email")
    return Conflict(
        _l("%(name)s is already registered for this organisation.",
           name=tidy(f"{person.first_name} {person.last_name}")),
        code="duplicate_person")


def _apply_person(p: Participant, data: PersonData) -> None:
    p.first_name = tidy(data.first_name)
    p.last_name = tidy(data.last_name)
    p.name_key = name_key(f"{data.first_name} {data.last_name}")
    p.email = normalise_email(data.email)
    p.email_key = email_lookup_key(p.email)
    p.phone = tidy(data.phone)
    p.show_email = data.show_email
    p.show_phone = data.show_phone
    p.sort_key, p.search_text = person_keys(p.first_name, p.last_name, p.email, p.badge_code)


def _resolve_organisation(
    fair_id: int, person: PersonData, organisation: OrganisationData | None,
    organisation_id: int | None,
) -> Organisation:
    if organisation_id is not None:
        return get_organisation(fair_id, organisation_id)
    if organisation is None:
        raise Conflict(_l("Choose an organisation or describe a new one."), code="organisation_missing")
    if organisation.sector == Sector.RESIDENT:
        # A resident represents themself: their "organisation" is their own name.
        organisation = OrganisationData(
            name=tidy(f"{person.first_name} {person.last_name}"), sector=Sector.RESIDENT,
            city=organisation.city, email=person.email, phone=person.phone)
    return ensure_organisation(fair_id, organisation)


def person_for(person: PersonData, org: Organisation) -> Person:
    """The network person this participant is: the one with the same e-mail address, else the
    one of the same name who came on behalf of the same member before; a new one otherwise."""
    found = find_person_by_email(person.email)
    if found is None:
        found = db.session.scalar(
            select(Person).join(Participant, Participant.person_id == Person.id)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .where(Organisation.member_id == org.member_id, Person.merged_into_id.is_(None),
                   Person.name_key == name_key(f"{person.first_name} {person.last_name}"))
            .order_by(Person.id).limit(1))
    if found is None:
        return new_person(person.first_name, person.last_name, person.email, person.phone)
    learn_contact(found, person.email, person.phone)
    return found


def create_participant(
    fair_id: int, person: PersonData, organisation: OrganisationData | None = None,
    organisation_id: int | None = None, via: str = "organiser",
) -> Participant:
    """Insert a participant inside the caller's transaction (no role checks here)."""
    person = replace(person, email=normalise_email(person.email))
    org = _resolve_organisation(fair_id, person, organisation, organisation_id)
    dup = find_duplicate(fair_id, person, org.id)
    if dup is not None:
        raise duplicate_error(dup[0], person)
    p = Participant(
        fair_id=fair_id, organisation_id=org.id, person_id=person_for(person, org).id, role=person.role,
        registered_via=via,
        badge_code=new_badge_code(), login_secret=new_login_secret(), pin=new_pin(),
    )
    _apply_person(p, person)
    db.session.add(p)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise duplicate_error("duplicate_email" if p.email_key else "duplicate_person", person) from exc
    record_event(fair_id, "participant.registered", {
        "participant_id": p.id, "organisation": org.name, "sector": org.sector.value})
    return p


@service
def register_participant(
    fair_id: int, person: PersonData, organisation: OrganisationData | None = None,
    organisation_id: int | None = None,
) -> Participant:
    """Self-registration from the fair's public page, while the organiser keeps it open."""
    fair = db.session.get_one(Fair, fair_id)
    if not fair.registration_open:
        raise Forbidden(_l("Registration for this fair is closed."), code="registration_closed")
    person.role = Role.PARTICIPANT
    return create_participant(fair_id, person, organisation, organisation_id, via="self")


@service
def add_participant(
    actor: Participant, fair_id: int, person: PersonData,
    organisation: OrganisationData | None = None, organisation_id: int | None = None,
    via: str = "organiser",
) -> Participant:
    """An organiser adds someone; a notary or organiser registers a walk-in at the desk."""
    if via == "desk":
        require_role(actor, fair_id, Role.NOTARY, Role.ORGANISER)
        person.role = Role.PARTICIPANT
    else:
        require_role(actor, fair_id, Role.ORGANISER)
    return create_participant(fair_id, person, organisation, organisation_id, via=via)


@service
def update_participant(
    actor: Participant, fair_id: int, participant_id: int, person: PersonData,
    organisation_id: int | None = None,
) -> Participant:
    require_role(actor, fair_id, Role.ORGANISER)
    person = replace(person, email=normalise_email(person.email))
    p = get_participant(fair_id, participant_id)
    org_id = organisation_id if organisation_id is not None else p.organisation_id
    get_organisation(fair_id, org_id)
    dup = find_duplicate(fair_id, person, org_id, ignore_id=p.id)
    if dup is not None:
        raise duplicate_error(dup[0], person)
    if p.id == actor.id and person.role != Role.ORGANISER:
        raise Conflict(_l("You cannot take away your own organiser role."), code="own_role")
    _apply_person(p, person)
    if p.role != person.role:
        # A new role starts with a new login: a participant made staff logs in with a password
        # instead of carrying on with the phone their link opened; staff made a participant get a slip.
        p.login_version += 1
        record_event(fair_id, "session.ended", {"reason": "role_changed"}, participant_id=p.id)
        end_sessions(p.id)
    p.role = person.role
    p.organisation_id = org_id
    return p


@service
def remove_participant(actor: Participant, fair_id: int, participant_id: int) -> None:
    """Soft removal: the record stays for what it already did; badge and login stop working."""
    require_role(actor, fair_id, Role.ORGANISER)
    p = get_participant(fair_id, participant_id)
    if p.id == actor.id:
        raise Conflict(_l("You cannot remove yourself."), code="remove_self")
    p.removed_at = utcnow()
    p.login_version += 1
    record_event(fair_id, "session.ended", {"reason": "removed"}, participant_id=p.id)
    end_sessions(p.id)


def organisation_of_member_at(fair_id: int, source: Organisation) -> Organisation:
    """The member `source` stands for, at another fair (the network's space): its organisation
    there, or one made now with `source`'s details (inside the caller's transaction)."""
    existing = db.session.scalar(select(Organisation).where(
        Organisation.fair_id == fair_id, Organisation.member_id == source.member_id,
        Organisation.removed_at.is_(None)).order_by(Organisation.id).limit(1))
    if existing is not None:
        return existing
    org = Organisation(fair_id=fair_id, member_id=source.member_id, name=source.name, name_key=source.name_key,
                       search_text=source.search_text, sector=source.sector, city=source.city,
                       email=source.email, phone=source.phone, website=source.website,
                       description=source.description)
    db.session.add(org)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # another member of that name is there already
        raise Conflict(_l("Another organisation of the same name is already there: ask the network's "
                          "coordinator to check whether the two are one."), code="duplicate_organisation") from exc
    return org


def attend_as(fair_id: int, source: Participant, role: Role, via: str) -> Participant:
    """The same person on behalf of the same member at another fair (the network's space): their
    account there, or one made now (inside the caller's transaction; no role checks here)."""
    org = organisation_of_member_at(fair_id, source.organisation)
    existing = db.session.scalar(select(Participant).where(
        Participant.fair_id == fair_id, Participant.person_id == source.person_id,
        Participant.organisation_id == org.id, Participant.removed_at.is_(None)))
    if existing is not None:
        return existing
    data = PersonData(source.first_name, source.last_name, source.email, source.phone,
                      source.show_email, source.show_phone, role=role)
    p = Participant(fair_id=fair_id, organisation_id=org.id, person_id=source.person_id, role=role,
                    registered_via=via, badge_code=new_badge_code(), login_secret=new_login_secret(), pin=new_pin())
    _apply_person(p, data)
    db.session.add(p)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # their e-mail is someone else's there
        raise duplicate_error("duplicate_email" if p.email_key else "duplicate_person", data) from exc
    record_event(fair_id, "participant.registered", {
        "participant_id": p.id, "organisation": org.name, "sector": org.sector.value})
    return p
