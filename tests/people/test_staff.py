"""Fair set-up (settings, clone, display link, staff invitations) and the audit log."""

import pytest

from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs.categories import add_category, fair_categories
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.settings import FairSettings, rotate_display_link, update_fair_settings
from app.people.credentials import login_with_password, set_password
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, register_participant
from app.people.sectors import Sector
from app.people.staff import accept_invitation, clone_fair, invitation_token, invite_staff
from tests.conftest import PASSWORD
from tests.mail_server import read_eml


def test_update_settings(fair, organiser):
    f = update_fair_settings(organiser, fair.id, FairSettings(name="Giełda 2027", point_rate=15,
                                                               target_agreements=120, notary_required=False))
    assert (f.name, f.point_rate, f.target_agreements, f.notary_required) == ("Giełda 2027", 15, 120, False)


def test_settings_validation(fair, organiser):
    with pytest.raises(DomainError) as err:
        update_fair_settings(organiser, fair.id, FairSettings(name="x", target_agreements=0))
    assert err.value.code == "invalid_target"


def test_rotate_display_link_voids_old_one(client, fair, organiser):
    old = fair.display_token
    rotate_display_link(organiser, fair.id)
    db.session.refresh(fair)
    assert fair.display_token != old
    assert client.get(f"/f/{fair.slug}/screen/{old}").status_code == 404
    assert client.get(f"/f/{fair.slug}/screen/{fair.display_token}").status_code == 200


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


def test_every_service_call_is_audited_with_actor(fair, organiser):
    add_category(organiser, fair.id, "Ogród")
    entry = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert entry.action == "categories.add_category" and entry.actor_id == organiser.id
    assert entry.fair_id == fair.id and entry.details["name"] == "Ogród"
    assert entry.target.startswith("Category#")


def test_refused_call_leaves_no_audit_entry(fair, organiser):
    before = db.session.query(AuditEvent).count()
    with pytest.raises(DomainError):
        add_category(organiser, fair.id, "sprzęt")  # a duplicate
    assert db.session.query(AuditEvent).count() == before


def test_audit_never_stores_secrets(fair, organiser, notary):
    from app.people.credentials import set_password

    set_password(organiser, fair.id, notary.id, "secret long password")
    entry = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert entry.action == "credentials.set_password"
    assert "secret long password" not in str(entry.details)


def test_nested_services_are_audited_once(fair):
    register_participant(fair.id, PersonData("Ala", "Kot", "ala@example.org"), OrganisationData("Kot", Sector.NGO))
    assert [e.action for e in db.session.query(AuditEvent).filter_by(fair_id=fair.id)][-1] == \
        "participants.register_participant"


def test_audit_page_searchable(client, fair, organiser, login):
    add_category(organiser, fair.id, "Ogrodnictwo")
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/audit?q=Ogrodnictwo").get_data(as_text=True)
    assert "categories.add_category" in page
    other = client.get(f"/f/{fair.slug}/admin/audit?q=nic-takiego").get_data(as_text=True)
    assert "categories.add_category" not in other


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


def test_broker_page(client, fair, organiser, login):
    broker = invite_staff(organiser, fair.id, PersonData("Marek", "Makler", "m@example.org", role=Role.BROKER),
                          OrganisationData("Fundacja", Sector.NGO))
    set_password(broker, fair.id, broker.id, PASSWORD)
    login(broker)
    assert client.get(f"/f/{fair.slug}/brokers").status_code == 200
    assert client.get(f"/f/{fair.slug}/desk").status_code == 403
