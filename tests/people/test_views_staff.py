"""The organiser's set-up pages (app/people/views/staff.py): staff invitations and the welcome page,
cloning a fair, a new fair."""

import pytest

from app.core.extensions import db
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.credentials import login_with_password
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData
from app.people.staff import invitation_token, invite_staff
from tests.conftest import PASSWORD
from tests.mail_server import read_eml


def text(r):
    return r.get_data(as_text=True)


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


def test_settings_page_and_staff_invitation_by_outbox(client, fair, organiser, login, app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    login(organiser)
    assert client.get(f"/f/{fair.slug}/admin/settings").status_code == 200
    r = client.post(f"/f/{fair.slug}/admin/staff", data={
        "first_name": "Ewa", "last_name": "Notariusz", "email": "ewa@example.org", "role": "notary",
        "organisation_name": "Kancelaria", "sector": "business"})
    assert r.status_code == 303
    (mail,) = list((tmp_path / "outbox").glob("*.eml"))
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(mail.read_bytes())
    body = message.get_body().get_content()
    assert "Zapraszamy" in body and f"/f/{fair.slug}/welcome/" in body
    person = db.session.query(Participant).filter_by(email_key="ewa@example.org").one()
    assert person.login_secret not in body


@pytest.mark.parametrize("transport", ["smtp", "outbox"])
def test_an_invitation_goes_to_the_invited_address_only_whatever_the_name(
        request, client, fair, organiser, login, transport):
    """A name with quotes, commas and addresses in it stays a name: one recipient, the e-mail given."""
    collector = request.getfixturevalue(transport)
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/staff", data={
        "first_name": '"Eve, <eve@evil.example>"', "last_name": "<x>, a@b.c, evil@x.y",
        "email": "ewa@example.org", "role": "notary", "organisation_name": "Kancelaria", "sector": "business"})
    assert r.status_code == 303
    if transport == "smtp":
        assert [rcpts for _from, rcpts in collector.envelopes] == [["ewa@example.org"]]
        (message,) = collector.messages
    else:
        (eml,) = collector.glob("*.eml")
        message = read_eml(eml)
    named = [a.addr_spec for h in ("To", "Cc", "Bcc") for v in message.get_all(h) or () for a in v.addresses]
    assert named == ["ewa@example.org"]
    assert message["To"].addresses[0].display_name == '"Eve, <eve@evil.example>" <x>, a@b.c, evil@x.y'


def test_setup_pages_forbidden_to_notary(client, fair, notary, login):
    login(notary)
    for path in ("settings", "staff", "clone", "audit", "new-fair"):
        assert client.get(f"/f/{fair.slug}/admin/{path}").status_code == 403
