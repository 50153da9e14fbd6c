"""The network's coordinators (app/ledger/coordinators.py): who may become one (from the command line
only), and the list of them."""

import pytest

from app.core.errors import ValidationError
from app.core.extensions import db
from app.fairs.roles import Role
from app.ledger.coordinators import network_coordinators, set_network_coordinator
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
    db.session.refresh(invited)
    assert not invited.network_coordinator
    accept_invitation(fair.id, token, "her own long password")
    assert runner.invoke(args=add).exit_code == 0
    db.session.refresh(invited)
    assert invited.network_coordinator


def test_only_an_organiser_coordinates_the_network(operator, notary):
    with pytest.raises(ValidationError) as err:
        set_network_coordinator(operator, notary.id, True)
    assert err.value.code == "not_organiser"
    db.session.refresh(notary)
    assert not notary.network_coordinator


def test_a_coordinator_is_listed_until_taken_off(operator, organiser):
    assert set_network_coordinator(operator, organiser.id, True).network_coordinator
    assert [p.id for p in network_coordinators()] == [organiser.id]
    set_network_coordinator(operator, organiser.id, False)
    assert network_coordinators() == []
