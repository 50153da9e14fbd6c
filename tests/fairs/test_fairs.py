"""Fairs (app/fairs/fairs.py): creating one under a short name of its own, opening and closing its
registration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import events_since
from app.fairs.fairs import FairData, create_fair, set_registration_open
from app.fairs.models import Fair, FairState
from app.fairs.roles import Role
from app.people.models import Participant


def fairs() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Fair)) or 0)


def test_a_new_fair_is_open_with_its_name_and_venue_tidied(app: Flask) -> None:
    fair = create_fair(FairData(slug="gniew", name="  Giełda Zasobów Gniew ", venue=" Zamek w Gniewie  "))
    assert (fair.slug, fair.name, fair.venue) == ("gniew", "Giełda Zasobów Gniew", "Zamek w Gniewie")
    assert fair.state == FairState.OPEN


def test_each_fair_gets_its_own_big_screen_token(app: Flask) -> None:
    first = create_fair(FairData(slug="gniew", name="Giełda Gniew"))
    second = create_fair(FairData(slug="pelplin", name="Giełda Pelplin"))
    assert first.display_token and second.display_token and first.display_token != second.display_token


@pytest.mark.parametrize("slug", ["Tczew", "t", "-tczew", "tczew 2027", "tczew_2027", "łódź", ""])
def test_a_short_name_that_cannot_be_an_address_is_refused(app: Flask, slug: str) -> None:
    with pytest.raises(DomainError) as err:
        create_fair(FairData(slug=slug, name="Giełda"))
    assert err.value.code == "invalid_slug"
    assert fairs() == 0


def test_a_taken_short_name_is_refused(fair: Fair) -> None:
    with pytest.raises(DomainError) as err:
        create_fair(FairData(slug=fair.slug, name="Druga giełda w Tczewie"))
    assert err.value.code == "duplicate_slug"
    assert fairs() == 1


def test_trading_must_close_after_it_opens(app: Flask) -> None:
    opens = datetime(2027, 3, 14, 9, 0, tzinfo=UTC)
    with pytest.raises(DomainError) as err:
        create_fair(FairData(slug="gniew", name="Giełda Gniew", trading_opens_at=opens,
                             trading_closes_at=opens - timedelta(minutes=1)))
    assert err.value.code == "invalid_window"
    assert fairs() == 0


def test_closing_registration_is_told_to_the_fair(fair: Fair, organiser: Participant) -> None:
    assert set_registration_open(organiser, fair.id, False).registration_open is False
    db.session.expire_all()
    assert db.session.get_one(Fair, fair.id).registration_open is False
    evt = events_since(fair.id, 0, None)[-1]
    assert evt.type == "fair.registration_changed" and evt.payload == {"registration_open": False}


def test_only_an_organiser_of_the_fair_opens_or_closes_registration(
        fair: Fair, make_fair: Callable[..., Fair], notary: Participant,
        make_participant: Callable[..., Participant]) -> None:
    other = make_fair()
    someone_elses_organiser = make_participant(role=Role.ORGANISER, fair_id=other.id)
    for actor, code in ((notary, "forbidden_role"), (someone_elses_organiser, "not_logged_in")):
        with pytest.raises(DomainError) as err:
            set_registration_open(actor, fair.id, False)
        assert err.value.code == code
    db.session.expire_all()
    assert db.session.get_one(Fair, fair.id).registration_open is True
