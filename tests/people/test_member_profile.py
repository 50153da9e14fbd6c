"""A member's own page in the network, kept by its people (app/people/member_profile.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs.models import Fair
from app.network.models import Member
from app.network.sectors import Branch
from app.people.member_profile import MemberProfile, profile_of, update_member_profile
from app.people.models import Participant


def test_a_representative_opts_in_and_describes_the_member(fair: Fair,
                                                           make_participant: Callable[..., Participant]) -> None:
    ola = make_participant(organisation="Spółdzielnia Socjalna Smak")
    member = update_member_profile(ola, fair.id, MemberProfile(
        public_profile=True, description="Catering na 100 osób", branch=Branch.CATERING, city=" Tczew ",
        nip="526-025-02-74"))
    assert (member.public_profile, member.branch, member.city, member.nip) == (True, Branch.CATERING, "Tczew",
                                                                               "5260250274")
    assert profile_of(db.session.get_one(Member, member.id)).description == "Catering na 100 osób"


def test_an_invalid_number_is_refused_and_nothing_changes(fair: Fair,
                                                          make_participant: Callable[..., Participant]) -> None:
    ola = make_participant()
    with pytest.raises(DomainError) as err:
        update_member_profile(ola, fair.id, MemberProfile(public_profile=True, nip="5260250275"))
    assert err.value.code == "invalid_nip" and err.value.details["field"] == "nip"
    assert db.session.get_one(Member, ola.organisation.member_id).public_profile is False


def test_a_number_another_member_holds_is_refused(fair: Fair, make_participant: Callable[..., Participant]) -> None:
    first, second = make_participant(organisation="Fundacja A"), make_participant(organisation="Fundacja B")
    update_member_profile(first, fair.id, MemberProfile(regon="000331501"))
    with pytest.raises(DomainError) as err:
        update_member_profile(second, fair.id, MemberProfile(regon="000331501"))
    assert err.value.code == "identifier_taken" and "Fundacja A" in str(err.value)


def test_only_at_the_actors_own_fair(fair: Fair, make_fair: Callable[..., Fair],
                                     make_participant: Callable[..., Participant]) -> None:
    ola = make_participant()
    with pytest.raises(DomainError) as err:
        update_member_profile(ola, make_fair().id, MemberProfile(public_profile=True))
    assert err.value.code == "forbidden"
