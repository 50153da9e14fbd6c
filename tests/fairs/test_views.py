"""The organiser's category and gong controls through the control room's forms."""

from app.core.extensions import db
from app.fairs.categories import fair_categories
from app.fairs.models import Announcement


def test_add_rename_archive_restore_category(client, fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{fair.slug}/admin/categories", data={"name": "Ogród"}).status_code == 303
    garden = next(c for c in fair_categories(fair.id) if c.name == "Ogród")
    client.post(f"/f/{fair.slug}/admin/categories/{garden.id}/rename", data={"name": "Ogród i zieleń"})
    client.post(f"/f/{fair.slug}/admin/categories/{garden.id}/archive", data={})
    db.session.expire_all()
    assert garden.name == "Ogród i zieleń" and garden.archived
    client.post(f"/f/{fair.slug}/admin/categories/{garden.id}/archive", data={"next": "restore"})
    db.session.expire_all()
    assert not garden.archived


def test_bad_minutes_are_explained_and_change_nothing(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/control/open", data={"minutes": "0"}, follow_redirects=True)
    assert "Wymiana trwa od 1 do 480 minut." in r.get_data(as_text=True)
    db.session.expire_all()
    assert fair.state.value == "open"


def test_empty_announcement_is_explained(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/control/announce", data={"text": ""}, follow_redirects=True)
    assert "Komunikat ma od 1 do 500 znaków." in r.get_data(as_text=True)
    assert db.session.query(Announcement).count() == 0
