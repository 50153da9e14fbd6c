"""The brokers' page (app/reports/views/brokers.py)."""

from app.fairs.roles import Role
from app.people.credentials import set_password
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.sectors import Sector
from app.people.staff import invite_staff
from tests.conftest import PASSWORD


def test_broker_page(client, fair, organiser, login):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "m@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja", Sector.NGO))
    set_password(broker, fair.id, broker.id, PASSWORD)
    login(broker)
    assert client.get(f"/f/{fair.slug}/brokers").status_code == 200
    assert client.get(f"/f/{fair.slug}/desk").status_code == 403
