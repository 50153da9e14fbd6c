"""The brokers' page (app/reports/views/brokers.py)."""

from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.credentials import set_password
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.staff import invite_staff
from tests.conftest import PASSWORD


def test_broker_page(client, fair, organiser, login):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "m@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja", Sector.NGO))
    set_password(broker, fair.id, broker.id, PASSWORD)
    login(broker)
    assert client.get(f"/f/{fair.slug}/brokers").status_code == 200
    assert client.get(f"/f/{fair.slug}/desk").status_code == 403


def test_broker_page_shares_the_control_rooms_lists(app, client, trading_fair, organiser, make_participant, login):
    from app.core.storage.snapshots import snapshot_cache

    make_participant("Bożena", "Cicha")
    broker = invite_staff(organiser, trading_fair.id, PersonData("Marek", "Makler", "m@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja", Sector.NGO))
    set_password(broker, trading_fair.id, broker.id, PASSWORD)
    before = snapshot_cache(app).computed
    login(broker)
    page = client.get(f"/f/{trading_fair.slug}/brokers")
    assert page.status_code == 200 and "Bożena Cicha" in page.get_data(as_text=True)
    assert snapshot_cache(app).computed == before + 1
    login(organiser)
    assert client.get(f"/f/{trading_fair.slug}/admin/control/panels").status_code == 200
    assert snapshot_cache(app).computed == before + 1  # the control room gets the brokers' snapshot
