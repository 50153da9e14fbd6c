"""Organiser and participant pages that the feature tests do not otherwise request."""

from app.core.extensions import db
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.floor.models import Post
from app.floor.posts import hide_post
from app.people.credentials import login_with_password
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.sectors import Sector
from app.people.staff import invitation_token, invite_staff
from tests.conftest import PASSWORD


def text(r):
    return r.get_data(as_text=True)


def test_registration_toggle(client, fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{fair.slug}/admin/registration", data={"open": "0"}).status_code == 303
    db.session.expire_all()
    assert not fair.registration_open
    assert client.get(f"/f/{fair.slug}/register").status_code == 403
    client.post(f"/f/{fair.slug}/admin/registration", data={"open": "1"})
    db.session.expire_all()
    assert fair.registration_open


def test_rotate_display_link_page(client, fair, organiser, login):
    old = fair.display_token
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/settings/display-link", follow_redirects=True)
    db.session.expire_all()
    assert fair.display_token != old and fair.display_token in text(r)


def test_clone_page(client, fair, organiser, notary, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/clone", data={"slug": "tczew-2027", "name": "Giełda 2027",
                                                         "copy_staff": "y"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/f/tczew-2027/login")
    new = db.session.query(Fair).filter_by(slug="tczew-2027").one()
    assert login_with_password(new.id, notary.email, PASSWORD).role == Role.NOTARY


def test_clone_page_explains_a_bad_short_name(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/clone", data={"slug": "Tczew 2027!", "name": "Giełda 2027"})
    assert r.status_code == 422 and "tczew-2027" in text(r)
    assert db.session.query(Fair).count() == 1


def test_new_fair_page_makes_the_organiser_its_organiser(client, fair, organiser, notary, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/new-fair", data={"slug": "gdansk", "name": "Giełda Gdańsk"})
    assert r.status_code == 303
    new = db.session.query(Fair).filter_by(slug="gdansk").one()
    people = db.session.query(Participant).filter_by(fair_id=new.id).all()
    assert [(p.email, p.role) for p in people] == [(organiser.email, Role.ORGANISER)]
    assert login_with_password(new.id, organiser.email, PASSWORD).id == people[0].id


def test_welcome_page_sets_the_password_and_logs_in(client, fair, organiser):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "m@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja", Sector.NGO))
    url = f"/f/{fair.slug}/welcome/{invitation_token(broker)}"
    assert client.get(url).status_code == 200
    short = client.post(url, data={"password": "short"})
    assert short.status_code == 422
    assert client.post(url, data={"password": "a long new password"}).status_code == 303
    assert client.get(f"/f/{fair.slug}/brokers").status_code == 200
    again = client.post(url, data={"password": "another long password"}, follow_redirects=True)
    assert "To zaproszenie zostało już wykorzystane." in text(again)


def test_restore_hidden_post_page(client, trading_fair, organiser, make_participant, make_post, login):
    post = make_post(make_participant(), "Rower za darmo")
    hide_post(organiser, trading_fair.id, post.id, "sprawdzamy")
    login(organiser)
    assert client.post(f"/f/{trading_fair.slug}/posts/{post.id}/restore").status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).is_live


def test_our_posts_lists_every_state(client, trading_fair, make_participant, make_post, login):
    from app.floor.posts import withdraw_post

    me = make_participant(organisation="Fundacja Wspólna")
    colleague = make_participant(organisation="Fundacja Wspólna")
    make_post(me, "Sala czynna")
    gone = make_post(colleague, "Rzutnik wycofany", category_key="equipment")
    withdraw_post(colleague, trading_fair.id, gone.id)
    make_post(make_participant(), "Cudza oferta")
    login(me)
    page = text(client.get(f"/f/{trading_fair.slug}/my-posts"))
    assert "Sala czynna" in page and "Rzutnik wycofany" in page and "wycofane" in page
    assert "Cudza oferta" not in page


def test_timer_page_sets_minutes_left(client, trading_fair, organiser, login):
    login(organiser)
    assert client.post(f"/f/{trading_fair.slug}/admin/control/timer", data={"minutes": "5"}).status_code == 303
    db.session.expire_all()
    left = (trading_fair.trading_closes_at - trading_fair.trading_started_at).total_seconds()
    assert left < 10 * 60


def test_restoring_a_missing_post_says_so_on_its_page_not_via_the_referer(client, trading_fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{trading_fair.slug}/posts/9999/restore", headers={"Referer": "https://evil.example/"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/f/{trading_fair.slug}/posts/9999")
    with client.session_transaction() as session:
        assert ("error", "Takie ogłoszenie nie istnieje.") in session["_flashes"]


def test_an_unhandled_refusal_of_a_post_gets_the_error_page_not_the_referer(client, trading_fair, make_participant,
                                                                            login):
    login(make_participant())
    r = client.post(f"/f/{trading_fair.slug}/posts/9999/edit", data={"title": "x"},
                    headers={"Referer": f"http://gielda.test/f/{trading_fair.slug}/board"})
    assert r.status_code == 404
    assert "post_not_found" in text(r)
