"""Who may become the network's coordinator (from the command line only)."""

from app.core.extensions import db
from app.fairs.roles import Role
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.sectors import Sector
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
