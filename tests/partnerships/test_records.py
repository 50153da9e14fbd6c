"""Recording, converting and ending partnerships: every rule, one behaviour per test."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date

import pytest

from app.agreements.models import Agreement
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.models import Member
from app.network.sectors import Sector
from app.partnerships.content import is_authentic
from app.partnerships.models import Partnership, PartnershipState
from app.partnerships.records import (
    PartnerData,
    end_partnership,
    partnership_from_agreement,
    prefill,
    record_partnership,
)
from app.people.models import Participant
from tests.partnerships.conftest import data

MakeMember = Callable[..., Member]


def code_of(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_a_recorded_partnership_is_active_numbered_and_frozen(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member("Fundacja Ład"), make_member("Urząd Gminy", Sector.PUBLIC)
    sent = record_partnership(organiser, data(a, b, lead=b))
    p = db.session.get_one(Partnership, sent.row_id)
    assert sent.created
    assert p.state == PartnershipState.ACTIVE
    assert p.number == f"PA/{p.created_at.year}/001"
    assert p.lead_member_id == b.id
    assert [m.member_id for m in p.members] == [a.id, b.id]
    assert is_authentic(p)
    frozen = json.loads(p.frozen_content or "")
    assert [m["name"] for m in frozen["members"]] == ["Fundacja Ład", "Urząd Gminy"]
    assert [m["lead"] for m in frozen["members"]] == [False, True]


def test_numbers_run_in_one_series_per_year(organiser: Participant, coordinator: Participant,
                                            make_member: MakeMember, other_fair: Fair) -> None:
    a, b = make_member(), make_member()
    c, d = make_member(fair_id=other_fair.id), make_member(fair_id=other_fair.id)
    first = record_partnership(organiser, data(a, b)).row
    second = record_partnership(coordinator, data(c, d)).row  # another fair's members: one series
    third = record_partnership(organiser, data(b, a)).row
    assert [p.seq_no for p in (first, second, third)] == [1, 2, 3]
    assert third.number.endswith("/003")


def test_a_new_year_starts_the_series_again(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    old = record_partnership(organiser, data(a, b)).row
    with transaction():  # last year's partnership: no service dates one back
        row = db.session.get_one(Partnership, old.id)
        row.year, row.number = row.year - 1, f"PA/{row.year - 1}/007"
        row.seq_no = 7
    new = record_partnership(organiser, data(a, b)).row
    assert new.seq_no == 1


def test_the_same_form_sent_twice_records_once(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    key = uuid.uuid4().hex
    first = record_partnership(organiser, data(a, b), key)
    again = record_partnership(organiser, data(a, b), key)
    assert first.created and not again.created
    assert again.row_id == first.row_id
    assert db.session.query(Partnership).count() == 1


def test_one_member_is_too_few(organiser: Participant, make_member: MakeMember) -> None:
    a = make_member()
    assert code_of(lambda: record_partnership(organiser, data(a))) == "too_few_members"


def test_a_member_cannot_be_a_partner_twice(organiser: Participant, make_member: MakeMember) -> None:
    a = make_member()
    assert code_of(lambda: record_partnership(organiser, data(a, a))) == "member_twice"


def test_the_lead_is_one_of_the_partners(organiser: Participant, make_member: MakeMember) -> None:
    a, b, c = make_member(), make_member(), make_member()
    assert code_of(lambda: record_partnership(organiser, data(a, b, lead=c))) == "lead_not_partner"


def test_it_cannot_end_before_it_starts(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    bad = data(a, b, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 30))
    assert code_of(lambda: record_partnership(organiser, bad)) == "ends_before_start"


def test_a_purpose_is_required(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    assert code_of(lambda: record_partnership(organiser, data(a, b, purpose="  "))) == "purpose_required"


def test_money_is_no_contribution(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    paid = data(a, b)
    paid.partners[1] = PartnerData(b.id, role="Sponsor", contribution="Przelew 500 zł na konto lidera")
    assert code_of(lambda: record_partnership(organiser, paid)) == "money_taboo"


def test_a_contribution_to_costs_named_as_such_is_fine(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    costs = data(a, b)
    costs.partners[1] = PartnerData(b.id, contribution="Zwrot kosztów dojazdu, 40 zł")
    assert record_partnership(organiser, costs).created


def test_a_merged_member_is_no_partner(organiser: Participant, make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    with transaction():
        db.session.get_one(Member, b.id).merged_into_id = a.id
    assert code_of(lambda: record_partnership(organiser, data(a, b))) == "unknown_member"


def test_an_organiser_records_only_members_of_their_fair(organiser: Participant, make_member: MakeMember,
                                                         other_fair: Fair) -> None:
    a, stranger = make_member(), make_member(fair_id=other_fair.id)
    assert code_of(lambda: record_partnership(organiser, data(a, stranger))) == "member_not_at_fair"


def test_the_coordinator_records_members_of_any_fair(coordinator: Participant, make_member: MakeMember,
                                                     other_fair: Fair) -> None:
    a, stranger = make_member(), make_member(fair_id=other_fair.id)
    assert record_partnership(coordinator, data(a, stranger)).created


def test_a_participant_records_none(make_participant: Callable[..., Participant], make_member: MakeMember) -> None:
    a, b = make_member(), make_member()
    person = make_participant()
    assert code_of(lambda: record_partnership(person, data(a, b))) == "forbidden_role"


# --- a group deal becomes a partnership ----------------------------------------------------------


@pytest.fixture
def group_deal(make_signed_agreement: Callable[..., Agreement], make_participant: Callable[..., Participant],
               trading_fair: Fair) -> Agreement:
    people = [make_participant(organisation=name, sector=sector) for name, sector in (
        ("Fundacja Ład", Sector.NGO), ("Urząd Gminy", Sector.PUBLIC), ("Piekarnia Pod Lipą", Sector.BUSINESS))]
    a, b, c = people
    return make_signed_agreement(parties=people, obligations=[
        (a, b, "Sala na 30 osób", 30), (b, c, "Promocja w gazetce gminnej", 20), (c, a, "Catering dla 30 osób", 40)])


def members_of(agreement: Agreement) -> list[int]:
    return [p.organisation.member_id for p in db.session.get_one(Agreement, agreement.id).parties]


def test_prefill_names_the_parties_with_the_first_as_lead(organiser: Participant, group_deal: Agreement) -> None:
    filled = prefill(organiser, group_deal.id)
    assert [p.member_id for p in filled.partners] == members_of(group_deal)
    assert filled.lead_member_id == members_of(group_deal)[0]
    assert filled.partners[0].contribution == "Sala na 30 osób"


def test_a_group_deal_becomes_a_partnership_linked_to_it(organiser: Participant, group_deal: Agreement) -> None:
    filled = prefill(organiser, group_deal.id)
    filled.purpose = "Wspólne pikniki sąsiedzkie"
    sent = partnership_from_agreement(organiser, group_deal.id, filled)
    p = db.session.get_one(Partnership, sent.row_id)
    assert p.source_agreement_id == group_deal.id
    assert json.loads(p.frozen_content or "")["source_agreement"] == group_deal.number
    assert p.lead_member_id == members_of(group_deal)[0]


def test_a_group_deal_becomes_one_partnership_only(organiser: Participant, group_deal: Agreement) -> None:
    filled = prefill(organiser, group_deal.id)
    filled.purpose = "Wspólne pikniki"
    partnership_from_agreement(organiser, group_deal.id, filled)
    assert code_of(lambda: partnership_from_agreement(organiser, group_deal.id, filled)) == "already_partnership"


def test_its_partners_are_the_parties(organiser: Participant, group_deal: Agreement, make_member: MakeMember) -> None:
    filled = prefill(organiser, group_deal.id)
    filled.purpose = "Pikniki"
    filled.partners.append(PartnerData(make_member().id))
    assert code_of(lambda: partnership_from_agreement(organiser, group_deal.id, filled)) == "partners_not_parties"


def test_an_unsigned_agreement_does_not_become_one(organiser: Participant, make_draft: Callable[..., Agreement],
                                                   make_participant: Callable[..., Participant]) -> None:
    draft = make_draft(make_participant(), make_participant())
    assert code_of(lambda: prefill(organiser, draft.id)) == "agreement_not_complete"


def test_another_fairs_agreement_is_unknown(group_deal: Agreement, make_participant: Callable[..., Participant],
                                            other_fair: Fair) -> None:
    stranger = make_participant(role=Role.ORGANISER, fair_id=other_fair.id)
    assert code_of(lambda: prefill(stranger, group_deal.id)) == "agreement_not_found"


# --- ending ----------------------------------------------------------------------------------------


def test_ending_keeps_what_was_recorded(organiser: Participant, make_member: MakeMember,
                                        make_partnership: Callable[..., Partnership]) -> None:
    p = make_partnership(make_member(), make_member())
    ended = end_partnership(organiser, p.id, date(2026, 9, 30), "Projekt zakończony")
    assert ended.state == PartnershipState.ENDED
    assert ended.ends_on == date(2026, 9, 30)
    assert ended.end_reason == "Projekt zakończony"
    assert is_authentic(ended)


def test_an_ended_partnership_cannot_end_again(organiser: Participant, make_member: MakeMember,
                                               make_partnership: Callable[..., Partnership]) -> None:
    p = make_partnership(make_member(), make_member())
    end_partnership(organiser, p.id, date(2026, 9, 30))
    assert code_of(lambda: end_partnership(organiser, p.id)) == "not_active"


def test_it_cannot_end_before_its_start(organiser: Participant, make_member: MakeMember,
                                        make_partnership: Callable[..., Partnership]) -> None:
    p = make_partnership(make_member(), make_member(), starts_on=date(2026, 3, 1))
    assert code_of(lambda: end_partnership(organiser, p.id, date(2026, 2, 1))) == "ends_before_start"


def test_another_fairs_organiser_cannot_end_it(make_member: MakeMember, make_partnership: Callable[..., Partnership],
                                               make_participant: Callable[..., Participant], other_fair: Fair) -> None:
    p = make_partnership(make_member(), make_member())
    stranger = make_participant(role=Role.ORGANISER, fair_id=other_fair.id)
    assert code_of(lambda: end_partnership(stranger, p.id)) == "partnership_not_found"
