"""Entering the network's space from a fair (app/between/space.py), and the way back."""

import pytest

from app.between.space import enter_network_space, find_way_back, way_back
from app.core.errors import DomainError
from app.fairs.roles import Role
from app.people.credentials import reissue_login


def test_a_participant_enters_as_the_same_person_for_the_same_member(make_participant):
    at_fair = make_participant("Łucja", "Pawłowska", organisation="Fundacja Pszczoła")
    account = enter_network_space(at_fair)
    assert account.fair.is_network and account.id != at_fair.id
    assert (account.person_id, account.organisation.member_id, account.role) == (
        at_fair.person_id, at_fair.organisation.member_id, Role.PARTICIPANT)
    assert (account.organisation.name, account.email) == ("Fundacja Pszczoła", at_fair.email)


def test_entering_again_gives_the_same_account(make_participant):
    at_fair = make_participant()
    assert enter_network_space(at_fair).id == enter_network_space(at_fair).id


def test_two_people_of_one_member_share_its_organisation_at_the_space(make_participant):
    first = make_participant("Anna", organisation="Spółdzielnia Socjalna Razem")
    second = make_participant("Beata", organisation="Spółdzielnia Socjalna Razem")
    assert enter_network_space(first).organisation_id == enter_network_space(second).organisation_id


def test_a_fair_organiser_enters_as_a_participant_not_a_coordinator(organiser):
    account = enter_network_space(organiser)
    assert account.role == Role.PARTICIPANT


def test_nobody_enters_the_space_from_the_space(make_participant):
    account = enter_network_space(make_participant())
    with pytest.raises(DomainError) as err:
        enter_network_space(account)
    assert err.value.code == "already_in_network"


def test_the_way_back_is_the_account_they_came_from(make_participant):
    at_fair = make_participant()
    account = enter_network_space(at_fair)
    assert way_back(account, (at_fair.id, at_fair.login_version)).id == at_fair.id


def test_no_way_back_to_someone_else(make_participant):
    mine, theirs = make_participant(), make_participant()
    account = enter_network_space(mine)
    with pytest.raises(DomainError) as err:
        way_back(account, (theirs.id, theirs.login_version))
    assert err.value.code == "no_way_back"


def test_no_way_back_once_the_fair_login_was_reissued(make_participant, organiser, fair):
    at_fair = make_participant()
    account = enter_network_space(at_fair)
    came_from = (at_fair.id, at_fair.login_version)
    reissue_login(organiser, fair.id, at_fair.id)
    assert find_way_back(account, came_from) is None
