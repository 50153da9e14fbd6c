"""Domain events (app/core/storage/events.py): the fair's public stream and each participant's private one,
numbered without gaps; emitted after the outermost commit, never after a savepoint or a rollback."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from app.agreements.drafting import start_agreement
from app.core.extensions import db, socketio
from app.core.storage.events import DomainEvent, events_since
from app.core.storage.transactions import transaction
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.people.models import Participant
from tests.concurrency import WAIT, first_held_open_after, in_threads, wait_for_lock_waiter


def sio(app: Flask, client: FlaskClient, auth: dict[str, Any] | None = None) -> Any:
    return socketio.test_client(app, flask_test_client=client, auth=auth)


def received(sc: Any) -> list[dict[str, Any]]:
    return [m["args"][0] for m in sc.get_received() if m["name"] == "event"]


def test_private_events_take_no_number_of_the_public_stream(
        trading_fair: Fair, make_participant: Callable[..., Participant], make_post: Callable[..., Any]) -> None:
    a, b = make_participant(), make_participant()
    start = trading_fair.event_seq
    for n in range(5):
        make_post(a, title=f"Oferta {n}")
        start_agreement(a, trading_fair.id, b.id)  # a private "drafted for you" to B
    public = [e.seq for e in db.session.query(DomainEvent).filter_by(fair_id=trading_fair.id, participant_id=None)
              .order_by(DomainEvent.seq) if e.seq > start]
    assert public == list(range(start + 1, start + 6))
    private = [e.seq for e in db.session.query(DomainEvent).filter_by(participant_id=b.id).order_by(DomainEvent.seq)]
    assert private == [1, 2, 3, 4, 5]
    db.session.refresh(b)
    assert b.event_seq == 5


def test_events_since_lists_public_before_private(trading_fair: Fair, make_participant: Callable[..., Participant],
                                                  make_post: Callable[..., Any]) -> None:
    a, b = make_participant(), make_participant()
    start_agreement(a, trading_fair.id, b.id)
    make_post(a)
    found = events_since(trading_fair.id, 0, b.id, after_private=0)
    streams = [e.stream for e in found]
    assert streams == sorted(streams, key=lambda s: s != "fair") and "me" in streams


# --- events leave after the outermost commit, never after a savepoint -----------------------

def test_a_released_savepoint_emits_nothing_before_the_commit(app: Flask, client: FlaskClient, fair: Fair) -> None:
    from app.core.storage.events import record_event

    viewer = sio(app, client, {"fair": fair.slug})
    with transaction():
        record_event(fair.id, "fair.announcement", {"text": "Kawa w holu"})
        with db.session.begin_nested():  # e.g. a check-in's or a ledger entry's race guard
            db.session.flush()
        assert received(viewer) == []  # the savepoint's end is not the commit
    assert [e["data"]["text"] for e in received(viewer)] == ["Kawa w holu"]


def test_a_savepoint_rolled_back_keeps_the_events_before_it(app: Flask, client: FlaskClient, fair: Fair,
                                                            make_participant: Callable[..., Participant]) -> None:
    from sqlalchemy.exc import IntegrityError

    from app.core.storage.events import record_event
    from app.people.models import CheckIn

    person = make_participant()
    viewer = sio(app, client, {"fair": fair.slug})
    with transaction():
        kept = record_event(fair.id, "fair.announcement", {"text": "Przed wyścigiem"})
        db.session.add(CheckIn(fair_id=fair.id, participant_id=person.id))
        db.session.flush()
        try:
            with db.session.begin_nested():  # a second check-in of the same person: refused
                db.session.add(CheckIn(fair_id=fair.id, participant_id=person.id))
                db.session.flush()
        except IntegrityError:
            pass
    assert db.session.get(DomainEvent, kept.id) is not None
    assert [e["seq"] for e in received(viewer)] == [kept.seq]


def test_a_rolled_back_transaction_emits_nothing_then_or_later(app: Flask, client: FlaskClient, fair: Fair) -> None:
    from app.core.storage.events import record_event

    viewer = sio(app, client, {"fair": fair.slug})
    with pytest.raises(RuntimeError), transaction():
        record_event(fair.id, "fair.announcement", {"text": "Nigdy"})
        with db.session.begin_nested():
            db.session.flush()
        raise RuntimeError("refused half-way")
    with transaction():
        record_event(fair.id, "fair.announcement", {"text": "Potem"})
    assert [e["data"]["text"] for e in received(viewer)] == ["Potem"]


def connect(app, client):
    return socketio.test_client(app, flask_test_client=client)


def test_failed_service_emits_nothing(app, client, fair, notary, make_participant, login):
    import pytest

    from app.core.errors import DomainError

    login(make_participant())
    sc = connect(app, client)
    sc.get_received()
    with pytest.raises(DomainError):
        check_in(notary, fair.id, "ZZZZZZZZ")
    assert [m for m in sc.get_received() if m["name"] == "event"] == []


# --- one counter update per stream per transaction --------------------------------------------

@contextmanager
def sql_sent() -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def counter_updates(statements: list[str], table_name: str) -> list[str]:
    return [s for s in statements if s.upper().startswith(f"UPDATE {table_name.upper()} SET EVENT_SEQ")]


def test_three_public_events_take_consecutive_numbers_with_one_counter_update(
        app: Flask, client: FlaskClient, fair: Fair) -> None:
    from app.core.storage.events import record_event

    start = db.session.get_one(Fair, fair.id).event_seq
    viewer = sio(app, client, {"fair": fair.slug})
    with sql_sent() as statements, transaction():
        events = [record_event(fair.id, "fair.announcement", {"text": f"Ogłoszenie {n}"}) for n in range(3)]
    assert len(counter_updates(statements, "fairs")) == 1
    assert [e.seq for e in events] == [start + 1, start + 2, start + 3]
    db.session.expire_all()
    assert db.session.get_one(Fair, fair.id).event_seq == start + 3
    assert [(e["seq"], e["data"]["text"]) for e in received(viewer)] == [
        (start + 1, "Ogłoszenie 0"), (start + 2, "Ogłoszenie 1"), (start + 3, "Ogłoszenie 2")]


def test_each_stream_is_updated_once_and_numbered_in_the_order_recorded(
        fair: Fair, make_participant: Callable[..., Participant]) -> None:
    from app.core.storage.events import record_event

    a, b = make_participant(), make_participant()
    start = db.session.get_one(Fair, fair.id).event_seq
    with sql_sent() as statements, transaction():
        order = [record_event(fair.id, "x.private", {}, participant_id=b.id),
                 record_event(fair.id, "x.public", {}),
                 record_event(fair.id, "x.private", {}, participant_id=a.id),
                 record_event(fair.id, "x.private", {}, participant_id=b.id),
                 record_event(fair.id, "x.public", {})]
    assert len(counter_updates(statements, "fairs")) == 1
    assert len(counter_updates(statements, "participants")) == 2  # one for A, one for B
    assert [e.seq for e in order] == [1, start + 1, 1, 2, start + 2]


def test_an_event_recorded_inside_a_savepoint_rolled_back_takes_no_number(
        app: Flask, client: FlaskClient, fair: Fair) -> None:
    from app.core.storage.events import record_event

    start = db.session.get_one(Fair, fair.id).event_seq
    viewer = sio(app, client, {"fair": fair.slug})
    with transaction():
        record_event(fair.id, "fair.announcement", {"text": "Przed"})
        savepoint = db.session.begin_nested()
        record_event(fair.id, "fair.announcement", {"text": "Wycofane"})
        savepoint.rollback()
        record_event(fair.id, "fair.announcement", {"text": "Po"})
    assert [(e["seq"], e["data"]["text"]) for e in received(viewer)] == [(start + 1, "Przed"), (start + 2, "Po")]
    stored = db.session.scalars(select(DomainEvent.seq).where(DomainEvent.fair_id == fair.id,
                                                              DomainEvent.seq > start)).all()
    assert sorted(stored) == [start + 1, start + 2]


def test_a_rolled_back_transaction_takes_no_number(fair: Fair) -> None:
    from app.core.storage.events import record_event

    start = db.session.get_one(Fair, fair.id).event_seq
    with pytest.raises(RuntimeError), transaction():
        record_event(fair.id, "fair.announcement", {"text": "Nigdy"})
        raise RuntimeError("refused")
    with transaction():
        kept = record_event(fair.id, "fair.announcement", {"text": "Potem"})
    assert kept.seq == start + 1


def _three_announcements(fair_id: int, tag: str) -> Callable[[], list[int]]:
    from app.core.storage.events import record_event

    def call() -> list[int]:
        with transaction():
            events = [record_event(fair_id, "fair.announcement", {"text": f"{tag}{n}"}) for n in range(3)]
        return [e.seq for e in events]

    return call


def test_transactions_at_the_same_moment_neither_share_nor_skip_a_number(app: Flask, fair: Fair) -> None:
    fair_id = fair.id
    start = db.session.get_one(Fair, fair_id).event_seq
    db.session.rollback()  # this session's read ends here: it must see what the threads commit
    seqs: list[list[int]] = []

    def numbered(work: Callable[[], list[int]]) -> SimpleNamespace:
        seqs.append(work())
        return SimpleNamespace(id=len(seqs))

    outcomes = in_threads(app, [functools.partial(numbered, _three_announcements(fair_id, f"t{t}-"))
                                for t in range(6)])
    assert [kind for kind, _ in outcomes] == ["ok"] * 6, outcomes
    assert sorted(s for mine in seqs for s in mine) == list(range(start + 1, start + 19))
    for mine in seqs:  # each transaction's three numbers follow each other
        assert mine == list(range(mine[0], mine[0] + 3))
    stored = db.session.scalars(select(DomainEvent.seq).where(DomainEvent.fair_id == fair_id,
                                                              DomainEvent.participant_id.is_(None),
                                                              DomainEvent.seq > start)).all()
    assert sorted(stored) == list(range(start + 1, start + 19))


@pytest.mark.postgresql_only
def test_on_postgresql_a_second_transaction_waits_for_the_first_ones_numbers(
        app: Flask, fair: Fair, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first transaction has taken its numbers and not committed: the second waits for the
    counter's row and then numbers after it, with no gap and no number shared."""
    from app.core.storage import events as events_module

    start = db.session.get_one(Fair, fair.id).event_seq
    found: dict[str, list[int]] = {}

    def run(name: str) -> None:
        with app.app_context():
            try:
                found[name] = _three_announcements(fair.id, name)()
            finally:
                db.session.remove()

    with first_held_open_after(monkeypatch, events_module, "_bump") as (reached, release):
        first = threading.Thread(target=run, args=("first",), name="first")
        first.start()
        assert reached.wait(WAIT), "the first transaction did not take its numbers"
        second = threading.Thread(target=run, args=("second",), name="second")
        second.start()
        wait_for_lock_waiter(app)  # the second is blocked on the fair's counter row
        release.set()
        first.join(WAIT)
        second.join(WAIT)
    assert found == {"first": [start + 1, start + 2, start + 3], "second": [start + 4, start + 5, start + 6]}
