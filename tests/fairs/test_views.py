"""The organiser's fair pages (app/fairs/views.py): settings, the gong and the timer, announcements,
categories, the fair's home page."""

from app.core.extensions import db
from app.fairs.categories import fair_categories
from app.fairs.models import Announcement, FairState


def text(r):
    return r.get_data(as_text=True)


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


def test_unknown_fair_is_404(client):
    assert client.get("/f/nope/").status_code == 404


def test_rotate_display_link_page(client, fair, organiser, login):
    old = fair.display_token
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/settings/display-link", follow_redirects=True)
    db.session.expire_all()
    assert fair.display_token != old and fair.display_token in text(r)


def test_timer_page_sets_minutes_left(client, trading_fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{trading_fair.slug}/admin/control/timer", data={"minutes": "5"}).status_code == 303
    db.session.expire_all()
    left = (trading_fair.trading_closes_at - trading_fair.trading_started_at).total_seconds()
    assert left < 10 * 60


def test_control_open_and_close(client, fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{fair.slug}/admin/control/open", data={"minutes": "60"}).status_code == 303
    db.session.expire_all()
    assert fair.state == FairState.TRADING
    client.post(f"/f/{fair.slug}/admin/control/close")
    db.session.expire_all()
    assert fair.state == FairState.CLOSED


def test_control_forbidden_to_notary(client, fair, notary, login):
    login(notary)
    assert client.get(f"/f/{fair.slug}/admin/control").status_code == 403
    assert client.post(f"/f/{fair.slug}/admin/control/open", data={"minutes": "60"}).status_code == 403
