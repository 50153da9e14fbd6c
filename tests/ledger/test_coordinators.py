"""The network's coordinators (app/ledger/coordinators.py): who may become one (from the command line
only), their account at the network's space, and the list of them."""

import pytest

from app.core.errors import ValidationError
from app.core.extensions import db
from app.fairs.roles import Role
from app.ledger.coordinators import network_coordinators, set_network_coordinator
from app.ledger.permissions import is_network_admin
from app.network.sectors import Sector
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.staff import accept_invitation, invitation_token, invite_staff


def test_an_organiser_without_a_password_is_not_made_coordinator(runner, organiser, fair):
    """An invited organiser's link is on the staff page until they use it: whoever opened it
    would choose the coordinator's password. They become coordinator once they have chosen it."""
    invited = invite_staff(organiser, fair.id, PersonData("Iga", "Nowa", "iga@example.org", role=Role.ORGANISER),
                           OrganisationData("Sieć Giełd", Sector.NGO))
    token = invitation_token(invited)
    add = ["ledger", "coordinator", "add", "--fair", fair.slug, "--email", invited.email]
    result = runner.invoke(args=add)
    assert result.exit_code != 0 and "coordinator_without_password" in result.output
    assert network_coordinators() == []
    accept_invitation(fair.id, token, "her own long password")
    assert runner.invoke(args=add).exit_code == 0
    assert [c.person_id for c in network_coordinators()] == [invited.person_id]


def test_only_an_organiser_coordinates_the_network(operator, notary):
    with pytest.raises(ValidationError) as err:
        set_network_coordinator(operator, notary.id, True)
    assert err.value.code == "not_organiser"
    assert network_coordinators() == []


def test_a_coordinator_is_an_organiser_of_the_network_space_not_of_the_fair(operator, organiser, fair):
    coordinator = set_network_coordinator(operator, organiser.id, True)
    assert coordinator.id != organiser.id and coordinator.fair.is_network and coordinator.role == Role.ORGANISER
    assert (coordinator.person_id, coordinator.organisation.member_id, coordinator.password_hash) == (
        organiser.person_id, organiser.organisation.member_id, organiser.password_hash)
    assert not is_network_admin(organiser) and is_network_admin(coordinator)


def test_making_a_coordinator_again_gives_the_same_account(operator, organiser):
    first = set_network_coordinator(operator, organiser.id, True)
    assert set_network_coordinator(operator, organiser.id, True).id == first.id
    assert [p.id for p in network_coordinators()] == [first.id]


def test_a_coordinator_is_listed_until_taken_off(operator, organiser):
    coordinator = set_network_coordinator(operator, organiser.id, True)
    assert [p.id for p in network_coordinators()] == [coordinator.id]
    version = coordinator.login_version
    set_network_coordinator(operator, organiser.id, False)
    assert network_coordinators() == []
    db.session.refresh(coordinator)
    assert coordinator.removed_at is not None and coordinator.login_version == version + 1
