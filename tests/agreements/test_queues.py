"""The notary's queues: which agreement is where, read in a fixed number of queries."""

from contextlib import contextmanager

from sqlalchemy import event

from app.agreements.queues import notary_queue
from app.agreements.signing import record_paper_agreement, sign_agreement
from app.core.extensions import db


def fully_signed(fair, make_participant, make_draft):
    d = make_draft(make_participant(), make_participant())
    for party in d.parties:
        sign_agreement(party.representative, fair.id, d.id, d.version)
    return d


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
    assert [x.id for x in queue.waiting] == [waiting.id]
    assert {x.id for x in queue.drafts} == {draft.id, half.id}
    assert [x.id for x in queue.signed] == [done.id]


def test_the_queue_reads_the_same_number_of_queries_for_more_agreements(trading_fair, make_participant,
                                                                        make_draft):
    fully_signed(trading_fair, make_participant, make_draft)
    db.session.expire_all()
    with count_queries() as few:
        queue = notary_queue(trading_fair.id)
        [a.parties[0].organisation.name for a in queue.waiting]  # what the desk shows
    for _ in range(4):
        fully_signed(trading_fair, make_participant, make_draft)
    db.session.expire_all()
    with count_queries() as many:
        queue = notary_queue(trading_fair.id)
        [(a.parties[0].organisation.name, a.obligations[0].description) for a in queue.waiting]
    assert len(queue.waiting) == 5
    assert many["n"] == few["n"]
