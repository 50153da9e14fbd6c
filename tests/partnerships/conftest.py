"""Partnership fixtures: members attending the fair (`make_member`), the network's coordinator,
`data` (a partnership's form values) and `make_partnership` (one recorded through the service);
and the agreements' `make_signed_agreement` for the group deals that become partnerships."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from app.core.extensions import db
from app.fairs.models import Fair
from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.models import Partnership
from app.partnerships.records import PartnerData, PartnershipData, record_partnership
from app.people.models import Participant
from tests.agreements.conftest import make_signed_agreement  # noqa: F401  (a fixture, for group deals)

_seq = iter(range(1, 10_000))


@pytest.fixture
def make_member(make_participant: Callable[..., Participant]) -> Callable[..., Member]:
    """A member attending a fair (the test's, unless `fair_id`) through one of its people."""

    def make(name: str | None = None, sector: Sector = Sector.NGO, *, fair_id: int | None = None) -> Member:
        person = make_participant(organisation=name or f"Fundacja Wspólna {next(_seq)}", sector=sector,
                                  fair_id=fair_id)
        return db.session.get_one(Member, person.organisation.member_id)

    return make


def data(*members: Member, lead: Member | None = None, **kw: Any) -> PartnershipData:
    """A partnership of these members (the first the lead, unless `lead`)."""
    values: dict[str, Any] = {"purpose": "Wspólne warsztaty dla seniorów w Tczewie", "starts_on": date(2026, 3, 1)}
    values.update(kw)
    return PartnershipData(lead_member_id=(lead or members[0]).id,
                           partners=[PartnerData(m.id, role="Partner", contribution=f"Sala i czas: {m.name}")
                                     for m in members], **values)


@pytest.fixture
def make_partnership(organiser: Participant) -> Callable[..., Partnership]:
    def make(*members: Member, actor: Participant | None = None, **kw: Any) -> Partnership:
        sent = record_partnership(actor or organiser, data(*members, **kw))
        return db.session.get_one(Partnership, sent.row_id)

    return make


@pytest.fixture
def other_fair(make_fair: Callable[..., Fair]) -> Fair:
    return make_fair(slug="gniew", name="Giełda w Gniewie")
