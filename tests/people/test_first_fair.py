"""A brand-new installation's first fair (app/people/first_fair.py): the set-up code, and the first
fair made together with its first organiser, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs.fairs import FairData
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.credentials import login_with_password
from app.people.first_fair import CODE_FILE, FirstFair, code_matches, create_first_fair, forget_setup_code, setup_code
from app.people.organisations import OrganisationData
from app.people.participants import PersonData

PASSWORD = "a long enough password"


def first_fair(password: str = PASSWORD, sector: Sector = Sector.PUBLIC) -> FirstFair:
    return FirstFair(fair=FairData(slug="gniew", name="Giełda Zasobów Gniew", venue="Zamek w Gniewie"),
                     organiser=PersonData("Ewa", "Źrebięcka", "ewa@gniew.example.org"),
                     organisation=OrganisationData("Urząd Miasta i Gminy Gniew", sector), password=password)


def fairs() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Fair)) or 0)


# --- the set-up code --------------------------------------------------------------------------

def test_the_set_up_code_is_made_once_and_readable_by_the_server_only(tmp_path: Path) -> None:
    code = setup_code(tmp_path / "instance")
    assert len(code) >= 16 and setup_code(tmp_path / "instance") == code
    assert (tmp_path / "instance" / CODE_FILE).stat().st_mode & 0o077 == 0


def test_only_the_set_up_code_matches(tmp_path: Path) -> None:
    code = setup_code(tmp_path)
    assert code_matches(tmp_path, code) and code_matches(tmp_path, f"  {code}\n")  # as pasted
    other = ("y" if code[0] == "x" else "x") + code[1:]
    for given in (None, "", code[:-1], code + "x", other):
        assert not code_matches(tmp_path, given), given


def test_no_code_matches_before_one_is_made_or_after_it_is_spent(tmp_path: Path) -> None:
    assert not code_matches(tmp_path, "anything")
    code = setup_code(tmp_path)
    forget_setup_code(tmp_path)
    forget_setup_code(tmp_path)  # spending it twice is harmless
    assert not code_matches(tmp_path, code)


# --- the first fair ---------------------------------------------------------------------------

def test_the_first_fair_comes_with_its_organiser_and_their_password(app: Flask) -> None:
    person = create_first_fair(first_fair())
    fair = db.session.scalars(select(Fair)).one()
    assert (fair.slug, fair.name) == ("gniew", "Giełda Zasobów Gniew")
    assert person.fair_id == fair.id and person.role == Role.ORGANISER
    assert person.organisation.name == "Urząd Miasta i Gminy Gniew"
    assert login_with_password(fair.id, "ewa@gniew.example.org", PASSWORD).id == person.id


def test_a_resident_organiser_represents_themself(app: Flask) -> None:
    person = create_first_fair(first_fair(sector=Sector.RESIDENT))
    assert person.organisation.sector == Sector.RESIDENT
    assert person.organisation.name == "Ewa Źrebięcka"  # not the organisation the form still carried


def test_there_is_only_one_first_fair(fair: Fair) -> None:
    with pytest.raises(DomainError) as err:
        create_first_fair(first_fair())
    assert err.value.code == "already_set_up"
    assert fairs() == 1


def test_a_short_password_makes_neither_fair_nor_organiser(app: Flask) -> None:
    with pytest.raises(DomainError) as err:
        create_first_fair(first_fair(password="short"))
    assert err.value.code == "password_too_short"
    assert fairs() == 0
