"""The control room's lists (app/reports/control_room.py): who has not posted, needs nobody
answered, agreements waiting."""

from app.agreements import queues
from app.agreements.drafting import (
    AgreementData,
    ObligationData,
    PartyData,
    cancel_agreement,
    save_draft,
    start_agreement,
)
from app.agreements.queues import awaiting_notary
from app.agreements.signing import sign_agreement
from app.door.checkin import check_in
from app.floor.kinds import PostKind
from app.reports import control_room
from app.reports.control_room import participants_without_posts, recent_check_ins, unanswered_needs


def test_participants_without_posts(trading_fair, make_participant, make_post):
    make_participant("Cicha")
    busy = make_participant("Aktywna")
    make_post(busy)
    names = [p.first_name for p in participants_without_posts(trading_fair.id)]
    assert "Cicha" in names and "Aktywna" not in names


def test_staff_are_not_listed_as_without_posts(trading_fair, organiser, notary):
    assert participants_without_posts(trading_fair.id) == []


def test_need_answered_by_an_agreement_leaves_the_list(trading_fair, make_participant, make_post):
    a, b = make_participant(), make_participant()
    need = make_post(b, "Potrzebny rzutnik", kind=PostKind.NEED, category_key="equipment")
    other = make_post(b, "Potrzebni wolontariusze", kind=PostKind.NEED, category_key="volunteers")
    make_post(a, "Oferta sali")  # offers are not listed
    assert {p.id for p in unanswered_needs(trading_fair.id)} == {need.id, other.id}
    draft = start_agreement(a, trading_fair.id, b.id, post_id=need.id)
    assert {p.id for p in unanswered_needs(trading_fair.id)} == {other.id}
    cancel_agreement(a, trading_fair.id, draft.id)
    assert {p.id for p in unanswered_needs(trading_fair.id)} == {need.id, other.id}


def test_awaiting_notary_lists_fully_signed_drafts_only(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    half, full = make_draft(a, b), make_draft(make_participant(), make_participant())
    sign_agreement(a, trading_fair.id, half.id, half.version)
    for p in full.parties:
        sign_agreement(p.representative, trading_fair.id, full.id, full.version)
    assert [x.id for x in awaiting_notary(trading_fair.id)] == [full.id]


def test_the_panel_waits_for_the_notary_by_the_queue_rule(trading_fair, make_participant, make_draft):
    """The panel's list, decided in SQL, is the notary queue's (app.agreements.queues), in its order:
    a signature of an edited agreement's older version does not count."""
    def sign_all(draft):
        for p in draft.parties:
            sign_agreement(p.representative, trading_fair.id, draft.id, draft.version)

    a, b = make_participant(), make_participant()
    half = make_draft(a, b)
    sign_agreement(a, trading_fair.id, half.id, half.version)
    first = make_draft(make_participant(), make_participant())
    second = make_draft(make_participant(), make_participant())
    sign_all(first)
    sign_all(second)
    edited = make_draft(make_participant(), make_participant())
    sign_all(edited)
    giver, taker = (p.representative for p in edited.parties)
    edited = save_draft(giver, trading_fair.id, edited.id, AgreementData(
        parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (giver, taker)],
        obligations=[ObligationData(giver.organisation_id, taker.organisation_id, "Rzutnik na jeden dzień",
                                     points=5)]),
        version=edited.version)
    sign_agreement(giver, trading_fair.id, edited.id, edited.version)  # the other's signature is of version 1
    waiting = control_room.awaiting_notary(trading_fair.id)
    assert [x.id for x in waiting] == [x.id for x in queues.awaiting_notary(trading_fair.id)] == [first.id, second.id]
    assert waiting[0].parties == [p.organisation.name for p in first.parties]  # what the panel shows


def test_recent_check_ins_newest_first(trading_fair, notary, make_participant):
    first, second = make_participant("Pierwsza"), make_participant("Druga")
    check_in(notary, trading_fair.id, first.badge_code)
    check_in(notary, trading_fair.id, second.badge_code)
    assert [c.participant.first_name for c in recent_check_ins(trading_fair.id)] == ["Druga", "Pierwsza"]


def _grow(fair, notary, make_participant, make_post, make_draft, n):
    """n more of everything the panels list: people without posts, open needs, arrivals and
    agreements waiting for the notary."""
    for i in range(n):
        make_participant(f"Cicha{i}")
        needy = make_participant(f"Szuka{i}")
        make_post(needy, f"Potrzebny rzutnik {i}", kind=PostKind.NEED, category_key="equipment")
        arrived = make_participant(f"Przyszła{i}")
        make_post(arrived, f"Sala na {i + 10} osób")  # posted: listed only among the arrivals
        check_in(notary, fair.id, arrived.badge_code)
        full = make_draft(make_participant(f"Daje{i}"), make_participant(f"Bierze{i}"))
        for p in full.parties:
            sign_agreement(p.representative, fair.id, full.id, full.version)


def test_the_panels_page_asks_the_same_number_of_queries_however_big_the_fair(
        client, login, trading_fair, organiser, notary, make_participant, make_post, make_draft):
    from sqlalchemy import event

    from app.core.extensions import db

    login(organiser)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def panels_queries() -> int:
        db.session.expire_all()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            r = client.get(f"/f/{trading_fair.slug}/admin/control/panels")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert r.status_code == 200
        return len(statements)

    _grow(trading_fair, notary, make_participant, make_post, make_draft, 2)
    small = panels_queries()
    _grow(trading_fair, notary, make_participant, make_post, make_draft, 8)
    assert panels_queries() == small, "a query per row: the panels page grows with the fair"
