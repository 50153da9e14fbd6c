"""Logging in (app/people/views/login.py): private links, PINs and staff passwords; each role's
landing page; asking before switching accounts; logging out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.models import Participant
from tests.conftest import PASSWORD


def text(r):
    return r.get_data(as_text=True)


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


def test_login_link_then_card(client, fair, make_participant):
    p = make_participant("Zofia", "Żak", show_email=True)
    r = client.get(f"/f/{fair.slug}/login/{p.login_secret}")
    assert r.status_code == 303
    me = client.get(f"/f/{fair.slug}/me")
    assert me.status_code == 200 and "Zofia Żak" in text(me)


def test_bad_login_link_shows_error(client, fair):
    r = client.get(f"/f/{fair.slug}/login/not-a-real-secret-at-all")
    assert r.status_code == 401
    assert "invalid_login_link" in text(r)


def test_pin_login_page(client, fair, make_participant):
    p = make_participant()
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": p.pin})
    assert r.status_code == 303
    assert client.get(f"/f/{fair.slug}/me").status_code == 200


def test_wrong_pin_page_says_so(client, fair, make_participant):
    p = make_participant()
    wrong = "000000" if p.pin != "000000" else "111111"
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": wrong})
    assert r.status_code == 401


def test_staff_password_login_lands_on_admin(client, fair, organiser):
    r = client.post(f"/f/{fair.slug}/login", data={"staff-email": organiser.email,
                                                    "staff-password": PASSWORD})
    assert r.status_code == 303 and "/admin/participants" in r.headers["Location"]


def test_logout(client, fair, make_participant, login):
    login(make_participant())
    client.post(f"/f/{fair.slug}/logout")
    assert client.get(f"/f/{fair.slug}/me").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_RATELIMIT": "3 per minute", "RATELIMIT_ENABLED": True}])
def test_password_logins_from_one_address_are_rate_limited(client: FlaskClient, fair: Fair,
                                                           organiser: Participant) -> None:
    wrong = {"staff-email": organiser.email, "staff-password": "not the password"}
    answers = [client.post(f"/f/{fair.slug}/login", data=wrong).status_code for _ in range(3)]
    assert answers == [401, 401, 401], answers
    refused = client.post(f"/f/{fair.slug}/login", data={"staff-email": organiser.email,
                                                         "staff-password": PASSWORD})
    assert refused.status_code == 429
    assert "Zbyt wiele prób" in text(refused)
    assert client.get(f"/f/{fair.slug}/login").status_code == 200  # the page itself is not limited
