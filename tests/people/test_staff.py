"""Staff services (app/people/staff.py): cloning a fair, the next fair, inviting staff, accepting."""

import time

import pytest
from itsdangerous import TimestampSigner

from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs.categories import add_category, fair_categories
from app.fairs.fairs import FairData
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.credentials import login_with_password
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.staff import (
    INVITATION_DAYS,
    accept_invitation,
    clone_fair,
    create_next_fair,
    invitation_token,
    invite_staff,
)
from tests.conftest import PASSWORD


def test_clone_copies_settings_categories_and_staff(fair, organiser, notary, make_participant):
    add_category(organiser, fair.id, "Ogród")
    make_participant("Zwykły", "Uczestnik")
    new = clone_fair(organiser, fair.id, "tczew-2027", "Giełda 2027")
    names = [c.name for c in fair_categories(new.id)]
    assert "Ogród" in names and len(names) == len(fair_categories(fair.id))
    people = db.session.query(Participant).filter_by(fair_id=new.id).all()
    assert {p.email for p in people} == {organiser.email, notary.email}
    assert login_with_password(new.id, organiser.email, PASSWORD).role == Role.ORGANISER


def test_clone_refuses_taken_slug(fair, organiser):
    with pytest.raises(DomainError) as err:
        clone_fair(organiser, fair.id, fair.slug, "Kopia")
    assert err.value.code == "duplicate_slug"
    assert db.session.query(Fair).count() == 1


def test_invited_broker_sets_password_once(fair, organiser):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "makler@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja Pokolenia", Sector.NGO))
    token = invitation_token(broker)
    accept_invitation(fair.id, token, "a long new password")
    assert login_with_password(fair.id, "makler@example.org", "a long new password").role == Role.BROKER
    with pytest.raises(DomainError) as err:
        accept_invitation(fair.id, token, "another long password")
    assert err.value.code == "invitation_used"


def test_forged_invitation_refused(fair):
    with pytest.raises(DomainError) as err:
        accept_invitation(fair.id, "not-a-token", "a long new password")
    assert err.value.code == "invitation_invalid"


def test_only_staff_roles_are_invited(fair, organiser):
    with pytest.raises(DomainError) as err:
        invite_staff(organiser, fair.id, PersonData("A", "B", "a@example.org"), OrganisationData("X", Sector.NGO))
    assert err.value.code == "not_staff"


def test_a_clone_without_staff_has_only_its_organiser(fair, organiser, notary):
    new = clone_fair(organiser, fair.id, "tczew-2027", "Giełda 2027", copy_staff=False)
    people = db.session.query(Participant).filter_by(fair_id=new.id).all()
    assert [(p.email, p.role) for p in people] == [(organiser.email, Role.ORGANISER)]


def test_only_an_organiser_clones_the_fair(fair, notary):
    with pytest.raises(DomainError) as err:
        clone_fair(notary, fair.id, "tczew-2027", "Giełda 2027")
    assert err.value.code == "forbidden_role"
    assert db.session.query(Fair).count() == 1


def test_the_next_fair_starts_with_its_organiser_alone(fair, organiser, notary):
    new = create_next_fair(organiser, FairData(slug="gniew", name="Giełda Gniew"))
    people = db.session.query(Participant).filter_by(fair_id=new.id).all()
    assert [(p.email, p.role) for p in people] == [(organiser.email, Role.ORGANISER)]
    assert login_with_password(new.id, organiser.email, PASSWORD).id == people[0].id  # their own password
    assert [c.key for c in fair_categories(new.id)] == [c.key for c in fair_categories(fair.id)]  # the method's set


def test_only_an_organiser_starts_the_next_fair(fair, notary):
    with pytest.raises(DomainError) as err:
        create_next_fair(notary, FairData(slug="gniew", name="Giełda Gniew"))
    assert err.value.code == "forbidden_role"
    assert db.session.query(Fair).count() == 1


def test_an_invitation_needs_an_email_address(fair, organiser):
    with pytest.raises(DomainError) as err:
        invite_staff(organiser, fair.id, PersonData("Ewa", "Notariusz", "", role=Role.NOTARY),
                     OrganisationData("Kancelaria", Sector.BUSINESS))
    assert err.value.code == "email_missing"
    assert db.session.query(Participant).filter_by(fair_id=fair.id, role=Role.NOTARY).count() == 0


def test_an_expired_invitation_is_refused(fair, organiser, monkeypatch):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "makler@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja Pokolenia", Sector.NGO))
    issued = int(time.time()) - (INVITATION_DAYS * 24 * 3600 + 60)  # a minute past its last day
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        token = invitation_token(broker)
    with pytest.raises(DomainError) as err:
        accept_invitation(fair.id, token, "a long new password")
    assert err.value.code == "invitation_expired"


def test_a_short_password_leaves_the_invitation_usable(fair, organiser):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "makler@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja Pokolenia", Sector.NGO))
    token = invitation_token(broker)
    with pytest.raises(DomainError) as err:
        accept_invitation(fair.id, token, "short")
    assert err.value.code == "password_too_short"
    assert accept_invitation(fair.id, token, "a long new password").id == broker.id
