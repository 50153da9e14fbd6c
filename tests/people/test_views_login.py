"""A stranger's first minute: one e-mail rule everywhere, logins that look the address up, each
role's own landing page, asking before switching accounts, and a new installation's first fair."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.emails import normalise_email
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.transactions import transaction
from app.demo import NOTARY_EMAIL, ORGANISER_EMAIL
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.first_fair import CODE_FILE, setup_code
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, add_participant
from app.people.sectors import Sector
from tests.conftest import PASSWORD

REFUSED = ["anna@tczew.local", "x@localhost", "no-at-sign.example.org", "a@b", "a b@example.org",
           "anna@example.org\x00", "ą" * 250 + "@example.org"]
ACCEPTED = ["anna.nowak@example.org", "Ewa.Żak@Fundacja.PL", "organizator@tczew.example.org"]


@pytest.mark.parametrize("address", REFUSED)
def test_the_rule_refuses_addresses_nobody_can_write_to(address: str) -> None:
    with pytest.raises(DomainError) as err:
        normalise_email(address)
    assert err.value.code == "invalid_email"


@pytest.mark.parametrize("address", ACCEPTED)
def test_the_rule_accepts_real_addresses(address: str) -> None:
    assert normalise_email(address).lower() == address.lower()


def test_the_demo_addresses_pass_the_rule() -> None:
    assert normalise_email(ORGANISER_EMAIL) and normalise_email(NOTARY_EMAIL)


def test_the_cli_refuses_an_address_that_could_never_log_in(runner: object) -> None:
    result = runner.invoke(args=[  # type: ignore[attr-defined]
        "fair", "create", "gdansk", "Giełda Gdańsk", "--organiser-first-name", "Ewa", "--organiser-last-name",
        "Nowak", "--organiser-email", "ewa@gdansk.local", "--organisation", "Urząd", "--password",
        "a long enough password"])
    assert result.exit_code != 0 and "invalid_email" not in result.output
    assert "ewa@gdansk.local" in result.output
    assert db.session.query(Fair).filter_by(slug="gdansk").count() == 0


def test_a_service_refuses_what_the_forms_refuse(fair: Fair, organiser: Participant) -> None:
    with pytest.raises(DomainError) as err:
        add_participant(organiser, fair.id, PersonData("Jan", "Lokalny", "jan@tczew.local"),
                        OrganisationData("Klub", Sector.NGO))
    assert err.value.code == "invalid_email"


def test_the_csv_import_applies_the_same_rule(client: FlaskClient, fair: Fair, organiser: Participant,
                                              login: Callable[[Participant], None]) -> None:
    login(organiser)
    data = "imię;nazwisko;e-mail;organizacja;sektor\nJan;Lokalny;jan@tczew.local;Klub;NGO\n".encode()
    r = client.post(f"/f/{fair.slug}/admin/import", data={"file": (io.BytesIO(data), "lista.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    assert "jan@tczew.local" in r.get_data(as_text=True)


def test_a_stored_address_logs_in_even_if_the_rule_would_refuse_it_today(
        client: FlaskClient, fair: Fair, organiser: Participant) -> None:
    """Logging in looks the address up; it never re-validates it (an old database may hold
    addresses a stricter rule refuses)."""
    with transaction():
        person = db.session.get_one(Participant, organiser.id)
        person.email, person.email_key = "organizator@demo.gielda.local", "organizator@demo.gielda.local"
    r = client.post(f"/f/{fair.slug}/login", data={"staff-email": " Organizator@Demo.Gielda.Local ",
                                                   "staff-password": PASSWORD})
    assert r.status_code == 303


@pytest.mark.parametrize(("role", "landing"), [(Role.ORGANISER, "/admin/participants"), (Role.NOTARY, "/desk"),
                                               (Role.BROKER, "/brokers")])
def test_staff_land_in_their_console(client: FlaskClient, fair: Fair, make_participant: Callable[..., Participant],
                                     role: Role, landing: str) -> None:
    person = make_participant("Ala", "Sztab", role=role)
    r = client.post(f"/f/{fair.slug}/login", data={"staff-email": person.email, "staff-password": PASSWORD})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/f/{fair.slug}{landing}")


def test_a_staff_login_link_asks_for_the_password_then_opens_the_console(
        client: FlaskClient, fair: Fair, organiser: Participant) -> None:
    r = client.get(f"/f/{fair.slug}/login/{organiser.login_secret}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert 'value="org@example.org"' in page and "hasłem" in page
    assert client.get(f"/f/{fair.slug}/admin/participants").status_code == 302  # not logged in by the link
    r = client.post(f"/f/{fair.slug}/login", data={"staff-email": organiser.email, "staff-password": PASSWORD})
    assert r.headers["Location"].endswith(f"/f/{fair.slug}/admin/participants")


def test_staff_never_log_in_by_pin(client: FlaskClient, fair: Fair, organiser: Participant) -> None:
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": organiser.badge_code,
                                                   "pin-pin": organiser.pin})
    assert r.status_code == 401
    assert client.get(f"/f/{fair.slug}/admin/participants").status_code == 302


def test_a_participants_link_opens_their_card(client: FlaskClient, fair: Fair,
                                              make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    r = client.get(f"/f/{fair.slug}/login/{p.login_secret}")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/f/{fair.slug}/me")


def test_another_persons_link_asks_before_switching(client: FlaskClient, fair: Fair,
                                                    make_participant: Callable[..., Participant]) -> None:
    first, second = make_participant("Anna", "Pierwsza"), make_participant("Bogdan", "Drugi")
    client.get(f"/f/{fair.slug}/login/{first.login_secret}")
    r = client.get(f"/f/{fair.slug}/login/{second.login_secret}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Anna Pierwsza" in page and "Bogdan Drugi" in page
    assert "Anna Pierwsza" in client.get(f"/f/{fair.slug}/me").get_data(as_text=True)  # nothing switched yet
    r = client.post(f"/f/{fair.slug}/login/{second.login_secret}")
    assert r.status_code == 303
    assert "Bogdan Drugi" in client.get(f"/f/{fair.slug}/me").get_data(as_text=True)


def test_opening_ones_own_link_again_changes_nothing(client: FlaskClient, fair: Fair,
                                                     make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    client.get(f"/f/{fair.slug}/login/{p.login_secret}")
    r = client.get(f"/f/{fair.slug}/login/{p.login_secret}")
    assert r.status_code == 303 and r.headers["Location"].endswith("/me")


# --- a brand-new installation --------------------------------------------------------------

def first_fair_form(code: str, **changes: str) -> dict[str, str]:
    form = {"code": code, "fair_name": "Giełda Zasobów Gniew", "slug": "gniew", "venue": "Zamek w Gniewie",
            "first_name": "Ewa", "last_name": "Źrebięcka", "email": "ewa@gniew.example.org", "phone": "",
            "organisation_name": "Urząd Miasta i Gminy Gniew", "sector": "public",
            "password": "a long enough password"}
    form.update(changes)
    return form


def test_an_empty_installation_offers_its_first_fair(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "/setup" in page


def test_the_first_fair_needs_the_set_up_code(app: Flask, client: FlaskClient) -> None:
    setup_code(app.instance_path)
    r = client.post("/setup", data=first_fair_form("guessed-code"))
    assert r.status_code == 403
    assert db.session.query(Fair).count() == 0


def test_the_first_organiser_creates_the_first_fair_from_a_page(app: Flask, client: FlaskClient) -> None:
    code = setup_code(app.instance_path)
    assert client.get(f"/setup?code={code}").status_code == 200
    r = client.post("/setup", data=first_fair_form(code))
    assert r.status_code == 303 and r.headers["Location"].endswith("/f/gniew/admin/settings")
    fair = db.session.query(Fair).filter_by(slug="gniew").one()
    organiser = db.session.query(Participant).filter_by(fair_id=fair.id).one()
    assert organiser.role == Role.ORGANISER and organiser.organisation.name == "Urząd Miasta i Gminy Gniew"
    assert client.get("/f/gniew/admin/settings").status_code == 200  # logged in
    assert not (Path(app.instance_path) / CODE_FILE).exists()  # the code is spent
    # Once a fair exists the page is gone.
    assert client.post("/setup", data=first_fair_form(code, slug="inna")).status_code == 303
    assert db.session.query(Fair).count() == 1


def test_the_first_fair_form_explains_its_errors(app: Flask, client: FlaskClient) -> None:
    code = setup_code(app.instance_path)
    r = client.post("/setup", data=first_fair_form(code, email="ewa@gniew.local", slug="Zła Nazwa"))
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "ewa@gniew.local" in page and "małych liter" in page
    assert db.session.query(Fair).count() == 0


def test_the_cli_prints_the_set_up_link(app: Flask, runner: object) -> None:
    result = runner.invoke(args=["fair", "setup-link"])  # type: ignore[attr-defined]
    assert result.exit_code == 0
    assert result.output.strip().endswith(f"/setup?code={setup_code(app.instance_path)}")
