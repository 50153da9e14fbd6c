"""A double submit of the forms that start an agreement (app/agreements/views.py) starts one draft."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.agreements.models import Agreement
from app.core.extensions import db
from app.fairs.models import Fair
from app.people.models import Participant

KEY_INPUT = re.compile(r'name="key"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="key"')


def agreements_count() -> int:
    db.session.rollback()  # a fresh snapshot: see what other threads committed
    return int(db.session.scalar(select(func.count()).select_from(Agreement)) or 0)


@pytest.fixture
def pair(trading_fair: Fair, make_participant: Callable[..., Participant]) -> tuple[Participant, Participant]:
    return (make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Łąka"))


# --- the forms --------------------------------------------------------------------------------

def key_on(page: str) -> str:
    match = KEY_INPUT.search(page)
    assert match, "the form has no one-time key"
    return match.group(1) or match.group(2)


def test_the_start_form_sent_twice_lands_on_the_same_draft(
        client: FlaskClient, pair: tuple[Participant, Participant], login: Callable[[Participant], None]) -> None:
    a, b = pair
    login(a)
    page = client.get(f"/f/tczew/agreements/new?with={b.badge_code}").get_data(as_text=True)
    data = {"with": b.badge_code, "key": key_on(page)}
    first = client.post("/f/tczew/agreements/new", data=data)
    second = client.post("/f/tczew/agreements/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert agreements_count() == 1
    landed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Ten formularz został już wysłany" in landed and "Nic nie rozpoczęto dwa razy" in landed


def test_a_stale_start_form_says_so_and_offers_a_fresh_key(
        client: FlaskClient, pair: tuple[Participant, Participant], login: Callable[[Participant], None]) -> None:
    a, b = pair
    login(a)
    r = client.post("/f/tczew/agreements/new", data={"with": b.badge_code, "key": "stale"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Formularz wygasł" in page and agreements_count() == 0
    again = client.post("/f/tczew/agreements/new", data={"with": b.badge_code, "key": key_on(page)})
    assert again.status_code == 303 and agreements_count() == 1


def test_the_notarys_paper_form_sent_twice_starts_one_draft(
        client: FlaskClient, pair: tuple[Participant, Participant], notary: Participant,
        login: Callable[[Participant], None]) -> None:
    a, b = pair
    login(notary)
    page = client.get("/f/tczew/notary").get_data(as_text=True)
    data = {"first": a.badge_code, "second": b.badge_code, "key": key_on(page)}
    first = client.post("/f/tczew/notary", data=data)
    second = client.post("/f/tczew/notary", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert agreements_count() == 1
