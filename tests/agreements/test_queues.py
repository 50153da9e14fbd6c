"""The notary's queues: which agreement is where, searched and paged in SQL, read in a fixed
number of queries."""

from contextlib import contextmanager

from sqlalchemy import event

from app.agreements import queues
from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft
from app.agreements.queues import DeskPages, awaiting_notary, notary_queue
from app.agreements.signing import record_paper_agreement, sign_agreement
from app.core.extensions import db


def fully_signed(fair, make_participant, make_draft, **names):
    d = make_draft(make_participant(**names), make_participant())
    for party in d.parties:
        sign_agreement(party.representative, fair.id, d.id, d.version)
    return d


def ids(shown):
    return [a.id for a in shown.agreements]


@contextmanager
def count_queries():
    counter = {"n": 0}

    def before(*_args):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_agreements_are_sorted_into_the_queues(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    half = make_draft(make_participant(), make_participant())
    sign_agreement(half.parties[0].representative, trading_fair.id, half.id, half.version)
    waiting = fully_signed(trading_fair, make_participant, make_draft)
    done = make_draft(make_participant(), make_participant())
    record_paper_agreement(notary, trading_fair.id, done.id, done.version)
    queue = notary_queue(trading_fair.id)
    assert ids(queue.waiting) == [waiting.id] == [x.id for x in awaiting_notary(trading_fair.id)]
    assert set(ids(queue.drafts)) == {draft.id, half.id}
    assert ids(queue.signed) == [done.id]
    assert (queue.waiting.total, queue.drafts.total, queue.signed.total) == (1, 2, 1)


def test_signatures_of_an_earlier_version_leave_the_agreement_among_the_drafts(
        trading_fair, make_participant, make_draft):
    edited = fully_signed(trading_fair, make_participant, make_draft)
    first = edited.parties[0]
    data = AgreementData(
        parties=[PartyData(p.organisation_id, p.representative_id, p.contact_name, "") for p in edited.parties],
        obligations=[ObligationData(first.organisation_id, edited.parties[1].organisation_id, "Sala na 3 godziny",
                                    points=30)])
    save_draft(first.representative, trading_fair.id, edited.id, data, version=edited.version)
    queue = notary_queue(trading_fair.id)
    assert (ids(queue.waiting), ids(queue.drafts)) == ([], [edited.id])


def test_the_queue_reads_the_same_number_of_queries_for_more_agreements(trading_fair, notary, make_participant,
                                                                        make_draft):
    def agreements() -> None:
        fully_signed(trading_fair, make_participant, make_draft)
        make_draft(make_participant(), make_participant())
        done = make_draft(make_participant(), make_participant())
        record_paper_agreement(notary, trading_fair.id, done.id, done.version)

    agreements()
    db.session.expire_all()
    with count_queries() as few:
        queue = notary_queue(trading_fair.id)
        [a.parties[0].organisation.name for a in queue.waiting.agreements]  # what the desk shows
    for _ in range(3):
        agreements()
    db.session.expire_all()
    with count_queries() as many:
        queue = notary_queue(trading_fair.id)
        [(a.parties[0].organisation.name, a.obligations[0].description) for a in queue.waiting.agreements]
        [a.parties[1].organisation.name for a in queue.drafts.agreements + queue.signed.agreements]
    assert (queue.waiting.total, queue.drafts.total, queue.signed.total) == (4, 4, 4)
    assert many["n"] == few["n"]


def test_the_search_finds_a_party_by_name_without_diacritics(trading_fair, make_participant, make_draft):
    fully_signed(trading_fair, make_participant, make_draft)
    wanted = fully_signed(trading_fair, make_participant, make_draft, organisation="Koło Gospodyń Wiejskich Łęg")
    assert ids(notary_queue(trading_fair.id, "kolo LEG").waiting) == [wanted.id]


def test_the_search_finds_a_signed_agreement_by_its_number(trading_fair, notary, make_participant, make_draft):
    for _ in range(2):
        d = make_draft(make_participant(), make_participant())
        record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    queue = notary_queue(trading_fair.id, f"{trading_fair.slug}/002")
    assert ([a.number for a in queue.signed.agreements], queue.waiting.total, queue.drafts.total) == \
        ([f"GZ/{trading_fair.slug}/002"], 0, 0)


def test_the_waiting_list_is_paged_longest_waiting_first(trading_fair, make_participant, make_draft, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    made = [fully_signed(trading_fair, make_participant, make_draft).id for _ in range(3)]
    first = notary_queue(trading_fair.id)
    second = notary_queue(trading_fair.id, pages=DeskPages(waiting=2))
    assert (ids(first.waiting), ids(second.waiting), second.waiting.pages) == (made[:2], made[2:], 2)


def test_a_page_past_the_last_shows_the_last(trading_fair, make_participant, make_draft, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    made = [make_draft(make_participant(), make_participant()).id for _ in range(3)]
    shown = notary_queue(trading_fair.id, pages=DeskPages(drafts=9)).drafts
    assert (shown.page, ids(shown)) == (2, [made[0]])  # the newest first: the oldest is last
