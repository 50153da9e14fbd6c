"""The installation's front door (app/main.py): a new installation's first fair, from its set-up page."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from app.core.extensions import db
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.first_fair import CODE_FILE, setup_code
from app.people.models import Participant

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
