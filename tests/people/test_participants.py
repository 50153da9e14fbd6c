"""Participants (app/people/participants.py): self-registration, organiser additions, duplicates,
changes, removal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.fairs.fairs import set_registration_open
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.models import Organisation, Participant
from app.people.organisations import OrganisationData
from app.people.participants import (
    PersonData,
    add_participant,
    register_participant,
    remove_participant,
    update_participant,
)


def person(first="Łucja", last="Żółkiewska", email="lucja@example.org", **kw):
    return PersonData(first, last, email, **kw)


def org(name="Fundacja Źdźbło", sector=Sector.NGO):
    return OrganisationData(name, sector)


def test_register_creates_participant_with_codes(fair):
    p = register_participant(fair.id, person(), org())
    assert p.role == Role.PARTICIPANT
    assert len(p.badge_code) == 8
    assert len(p.pin) == 6 and p.pin.isdigit()
    assert p.login_secret and p.login_secret != p.badge_code
    assert p.organisation.name == "Fundacja Źdźbło"


def test_register_refused_when_registration_closed(fair, organiser):
    set_registration_open(organiser, fair.id, False)
    with pytest.raises(DomainError) as err:
        register_participant(fair.id, person(), org())
    assert err.value.code == "registration_closed"


def test_self_registration_cannot_choose_organiser_role(fair):
    p = register_participant(fair.id, person(role=Role.ORGANISER), org())
    assert p.role == Role.PARTICIPANT


def test_resident_represents_themself(fair):
    p = register_participant(fair.id, person(), OrganisationData("", Sector.RESIDENT))
    assert p.organisation.sector == Sector.RESIDENT
    assert p.organisation.name == "Łucja Żółkiewska"


def test_same_organisation_name_is_reused_case_insensitively(fair):
    a = register_participant(fair.id, person(email="a@example.org"), org("Fundacja Źdźbło"))
    b = register_participant(fair.id, person("Anna", email="b@example.org"), org("FUNDACJA źdźbło"))
    assert a.organisation_id == b.organisation_id


def test_duplicate_email_refused(fair):
    register_participant(fair.id, person(email="Lucja@Example.org"), org())
    with pytest.raises(DomainError) as err:
        register_participant(fair.id, person("Anna", email="lucja@example.org"), org("Inna"))
    assert err.value.code == "duplicate_email"


def test_duplicate_name_in_same_organisation_refused(fair):
    register_participant(fair.id, person(email=""), org())
    with pytest.raises(DomainError) as err:
        register_participant(fair.id, person(email="", first="łucja"), org())
    assert err.value.code == "duplicate_person"


def test_same_name_in_another_organisation_is_fine(fair):
    register_participant(fair.id, person(email=""), org())
    p = register_participant(fair.id, person(email=""), org("Spółdzielnia Gościniec", Sector.SOCIAL_COOPERATIVE))
    assert p.id


def test_refused_registration_writes_nothing(fair):
    register_participant(fair.id, person(), org())
    before = db.session.query(Organisation).count()
    with pytest.raises(DomainError):
        register_participant(fair.id, person("Anna"), org("Nowa Organizacja"))
    assert db.session.query(Organisation).count() == before


def test_add_participant_requires_organiser(fair, notary):
    with pytest.raises(DomainError) as err:
        add_participant(notary, fair.id, person(), org())
    assert err.value.code == "forbidden_role"


def test_notary_may_register_walk_in_but_only_as_participant(fair, notary):
    p = add_participant(notary, fair.id, person(role=Role.ORGANISER), org(), via="desk")
    assert p.role == Role.PARTICIPANT
    assert p.registered_via == "desk"


def test_organiser_of_another_fair_is_refused(fair, make_fair, make_participant):
    other = make_fair()
    stranger = make_participant(role=Role.ORGANISER, fair_id=other.id)
    with pytest.raises(DomainError) as err:
        add_participant(stranger, fair.id, person(), org())
    assert err.value.code == "not_logged_in"


def test_update_participant_changes_details(fair, organiser, make_participant):
    p = make_participant()
    update_participant(organiser, fair.id, p.id, person("Zofia", "Gęś", "zofia@example.org", role=Role.NOTARY))
    db.session.refresh(p)
    assert (p.first_name, p.last_name, p.role) == ("Zofia", "Gęś", Role.NOTARY)


def test_organiser_cannot_demote_themself(fair, organiser):
    with pytest.raises(DomainError) as err:
        update_participant(organiser, fair.id, organiser.id,
                           person("Grażyna", "Żebrowska", "org@example.org", role=Role.PARTICIPANT))
    assert err.value.code == "own_role"


def test_removed_participant_frees_email_and_signs_out(fair, organiser, make_participant):
    p = make_participant(email="free@example.org")
    version = p.login_version
    remove_participant(organiser, fair.id, p.id)
    db.session.refresh(p)
    assert p.removed_at is not None and p.login_version == version + 1
    again = register_participant(fair.id, person(email="free@example.org"), org("Inna"))
    assert again.id != p.id


def test_organiser_cannot_remove_themself(fair, organiser):
    with pytest.raises(DomainError) as err:
        remove_participant(organiser, fair.id, organiser.id)
    assert err.value.code == "remove_self"


def test_registration_records_event_with_sequence(fair):
    from app.core.storage.events import events_since

    register_participant(fair.id, person(email="a@example.org"), org())
    register_participant(fair.id, person("Anna", email="b@example.org"), org())
    events = [e for e in events_since(fair.id, 0, None) if e.type == "participant.registered"]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert len({e.seq for e in events}) == 2


def test_a_service_refuses_what_the_forms_refuse(fair: Fair, organiser: Participant) -> None:
    with pytest.raises(DomainError) as err:
        add_participant(organiser, fair.id, PersonData("Jan", "Lokalny", "jan@tczew.local"),
                        OrganisationData("Klub", Sector.NGO))
    assert err.value.code == "invalid_email"


def _as_data(person, role):
    return PersonData(person.first_name, person.last_name, person.email, role=role)


def test_a_new_role_ends_the_sessions(fair, organiser, make_participant, client, login):
    """A participant made a notary logs in again, with a password: the phone their link opened
    is logged out and told so."""
    p = make_participant()
    login(p)
    assert client.get(f"/f/{fair.slug}/me").status_code == 200
    update_participant(organiser, fair.id, p.id, _as_data(p, Role.PARTICIPANT))
    assert client.get(f"/f/{fair.slug}/me").status_code == 200  # the same role: nothing ends
    update_participant(organiser, fair.id, p.id, _as_data(p, Role.NOTARY))
    r = client.get(f"/f/{fair.slug}/me")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    ended = db.session.scalars(select(DomainEvent).where(DomainEvent.participant_id == p.id,
                                                         DomainEvent.type == "session.ended")).all()
    assert [e.payload for e in ended] == [{"reason": "role_changed"}]


def test_a_returning_participant_is_recognised_at_registration(fair, make_fair, make_participant):
    earlier = make_fair()
    before = make_participant("Ola", "Kwiatkowska", email="ola@example.org", fair_id=earlier.id,
                              organisation="Fundacja Gęś", sector=Sector.NGO)
    now = register_participant(fair.id, PersonData("Ola", "Kwiatkowska", "ola@example.org"),
                               OrganisationData("Fundacja Gęś", Sector.NGO))
    assert now.fair_id == fair.id and now.person_id == before.person_id
    assert now.organisation.member_id == before.organisation.member_id
