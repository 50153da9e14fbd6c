"""Directory fixtures: `make_member` (a member that came to a fair through one of its people, its
profile given by them, public unless told otherwise) and `merge` (one member merged into another,
as the organiser's "the same" does)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.network.models import Member
from app.network.sectors import Sector
from app.people.member_profile import MemberProfile, update_member_profile
from app.people.members import merge_members
from app.people.models import Participant


@pytest.fixture
def make_member(make_participant: Callable[..., Participant]) -> Callable[..., Member]:
    def make(name: str, sector: Sector = Sector.NGO, *, public: bool = True, created_at: datetime | None = None,
             fair_id: int | None = None, **profile: Any) -> Member:
        person = make_participant(organisation=name, sector=sector, fair_id=fair_id)
        member = update_member_profile(person, person.fair_id, MemberProfile(public_profile=public, **profile))
        if created_at is not None:  # the member's history: no service sets when it joined
            with transaction():
                db.session.get_one(Member, member.id).created_at = created_at
        return db.session.get_one(Member, member.id)

    return make


@pytest.fixture
def merge() -> Callable[[Member, Member], None]:
    def do(keep: Member, gone: Member) -> None:
        with transaction():
            merge_members(db.session.get_one(Member, keep.id), db.session.get_one(Member, gone.id))

    return do
