"""Agreement fixtures shared by the tests of app/agreements (and by reports tests that need agreements).

`make_signed_agreement(...)` goes through the services, as people at the fair do: a draft
between two (or more) participants' organisations while trading is open, the obligations both
ways saved with `save_draft`, every party signing the current version, and the notary's
countersignature when the fair requires one. `make_deal(due_a, due_b, b_email)` makes such an
agreement with due dates, for the follow-up and its reminders.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
from app.agreements.models import Agreement
from app.agreements.signing import notarise, sign_agreement
from app.core.extensions import db
from app.core.tasks import wait_for_tasks
from app.fairs.models import Fair
from app.floor.kinds import Unit
from app.network.sectors import Sector
from app.people.models import Participant

_seq = itertools.count(1)

# (giver, receiver, description, points) — or an ObligationData for full control.
ObligationSpec = tuple[Participant, Participant, str, int] | ObligationData


@pytest.fixture(autouse=True)
def _no_task_left_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """A PDF rendered in the background after signing must not outlive its test's database."""
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        assert wait_for_tasks(60, app), "a background task was still running"


def default_obligations(a: Participant, b: Participant, points: Sequence[int]) -> list[ObligationData]:
    """A room one way, a training the other, written as people at the fair write them."""
    return [
        ObligationData(a.organisation_id, b.organisation_id, "Sala konferencyjna na 30 osób z rzutnikiem",
                       quantity=3, unit=Unit.HOURS, when="sobota 14 marca, 10:00–13:00",
                       where="Centrum Kultury, ul. Łąkowa 3, Tczew", duration="3 godziny",
                       points=points[0], cost_contribution="zwrot kosztów sprzątania sali",
                       due_date=date(2027, 3, 14)),
        ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z pisania wniosków grantowych",
                       quantity=2, unit=Unit.PEOPLE, when="do końca kwietnia", where="u nas, Gdańska 12",
                       duration="4 godziny", hours=4, points=points[1]),
    ]


@pytest.fixture
def make_signed_agreement(request: pytest.FixtureRequest, trading_fair: Fair,
                          make_participant: Callable[..., Participant]) -> Callable[..., Agreement]:
    """make(a=None, b=None, *, parties=None, obligations=None, points=(30, 40), notary=None,
    notarise=True) -> a signed Agreement (awaiting the notary when notarise=False and the fair
    requires one).

    - `a`, `b`: the first two parties' participants (made up, with Polish names, when omitted);
      `parties` lists all of them instead, for group deals.
    - `obligations`: (giver, receiver, description, points) tuples or ObligationData; by default
      a room from a to b and a training from b to a, with `points` as their values.
    - `notary`: who countersigns when the fair requires it (default: the `notary` fixture).
    """

    def make(a: Participant | None = None, b: Participant | None = None, *,
             parties: Sequence[Participant] | None = None,
             obligations: Sequence[ObligationSpec] | None = None,
             points: Sequence[int] = (30, 40), notary: Participant | None = None,
             notarise_it: bool = True, fair: Fair | None = None) -> Agreement:
        fair_id = (fair or trading_fair).id
        if parties is None:
            n = next(_seq)
            a = a or make_participant("Łucja", "Żółkiewska", organisation=f"Fundacja Źdźbło {n}",
                                      sector=Sector.NGO, phone="+48 600 100 200", fair_id=fair_id)
            b = b or make_participant("Grzegorz", "Brzęczyszczykiewicz",
                                      organisation=f"Spółdzielnia Socjalna „Łąka” {n}",
                                      sector=Sector.SOCIAL_COOPERATIVE, fair_id=fair_id)
            parties = [a, b]
        first, second = parties[0], parties[1]
        draft = start_agreement(first, fair_id, second.id)
        specs = obligations if obligations is not None else default_obligations(first, second, points)
        data = AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name,
                               ", ".join(x for x in (p.email, p.phone) if x)) for p in parties],
            obligations=[s if isinstance(s, ObligationData) else
                         ObligationData(s[0].organisation_id, s[1].organisation_id, s[2], points=s[3])
                         for s in specs])
        draft = save_draft(first, fair_id, draft.id, data, version=draft.version)
        version = draft.version
        for person in parties:
            agreement = sign_agreement(person, fair_id, draft.id, version)
        if notarise_it and db.session.get_one(Fair, fair_id).notary_required and agreement.number is None:
            agreement = notarise(notary or request.getfixturevalue("notary"), fair_id, draft.id, version)
        return db.session.get_one(Agreement, agreement.id)

    return make


@pytest.fixture
def no_notary_rule(trading_fair: Fair) -> Fair:
    """The trading fair, without the notary rule: two signatures complete an agreement."""
    from app.core.storage.transactions import transaction

    with transaction():
        db.session.get_one(Fair, trading_fair.id).notary_required = False
    return trading_fair


def pdf_text_of(data: bytes, tmp_path: Any, name: str = "agreement.pdf") -> str:
    """Helper for tests: the PDF's text, whitespace collapsed."""
    import subprocess

    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode().split())


@dataclass
class Deal:
    """A signed agreement and its two parties' participants."""

    agreement: Agreement
    a: Participant
    b: Participant


@pytest.fixture
def make_deal(make_signed_agreement: Callable[..., Agreement],
              make_participant: Callable[..., Participant]) -> Callable[..., Deal]:
    counter = iter(range(1, 100))

    def make(due_a: date | None = None, due_b: date | None = None, b_email: str | None = None) -> Deal:
        n = next(counter)
        a = make_participant("Łucja", "Żółkiewska", organisation=f"Fundacja „Źdźbło” {n}",
                             email=f"lucja{n}@example.org", phone="+48 600 100 200")
        b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation=f"Spółdzielnia Socjalna Łąka {n}",
                             sector=Sector.SOCIAL_COOPERATIVE,
                             email=b_email if b_email is not None else f"grzegorz{n}@example.org")
        agreement = make_signed_agreement(a, b, obligations=[
            ObligationData(a.organisation_id, b.organisation_id, "Sala konferencyjna na 30 osób, źródło ciepła",
                           quantity=3, unit=Unit.HOURS, points=30, due_date=due_a),
            ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z pisania wniosków", hours=4,
                           points=40, due_date=due_b),
        ])
        return Deal(agreement, a, b)

    return make
