"""A fair invites members from the network (app/people/member_invites.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail
from app.fairs.models import Fair
from app.people.member_invites import invite_member, network_members
from app.people.models import Organisation, Participant


@pytest.fixture
def known(make_fair: Callable[..., Fair], make_organisation: Callable[..., Organisation]) -> Organisation:
    """Koło Gospodyń Wiejskich came to an earlier fair."""
    return make_organisation("Koło Gospodyń Wiejskich w Rokitkach", fair_id=make_fair().id, city="Rokitki",
                             email="kgw@example.org")


def test_the_network_lists_members_and_whether_they_are_here(fair: Fair, known: Organisation,
                                                             make_organisation: Callable[..., Organisation]) -> None:
    here = make_organisation("Fundacja Żółw")
    found = {row.member.name: row for row in network_members(fair.id).members}
    assert found[known.name].fairs == 1 and not found[known.name].here and found[here.name].here
    assert [row.member.name for row in network_members(fair.id, "rokitki").members] == [known.name]
    assert [row.member.name for row in network_members(fair.id, "zolw").members] == ["Fundacja Żółw"]


def test_an_invited_member_joins_the_fair_and_hears_of_it(fair: Fair, organiser: Participant,
                                                          known: Organisation) -> None:
    org = invite_member(organiser, fair.id, known.member_id)
    assert (org.fair_id, org.member_id, org.name, org.city) == (fair.id, known.member_id, known.name, "Rokitki")
    mail = db.session.scalars(select(QueuedMail).where(QueuedMail.kind == "member_invitation")).one()
    assert mail.recipient_email == "kgw@example.org" and f"/f/{fair.slug}/register" in mail.body
    again = invite_member(organiser, fair.id, known.member_id)  # a second click: the same, no second mail
    assert again.id == org.id
    assert len(db.session.scalars(select(QueuedMail).where(QueuedMail.kind == "member_invitation")).all()) == 1


def test_only_organisers_invite_and_only_known_members(fair: Fair, organiser: Participant, known: Organisation,
                                                       make_participant: Callable[..., Participant]) -> None:
    with pytest.raises(DomainError) as err:
        invite_member(make_participant(), fair.id, known.member_id)
    assert err.value.code == "forbidden_role"
    with pytest.raises(DomainError) as err:
        invite_member(organiser, fair.id, 987654)
    assert err.value.code == "member_not_found"
