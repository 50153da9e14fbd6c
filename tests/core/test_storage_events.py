"""Domain events (app/core/storage/events.py): the fair's public stream and each participant's private one,
numbered without gaps; emitted after the outermost commit, never after a savepoint or a rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.agreements.drafting import start_agreement
from app.core.extensions import db, socketio
from app.core.storage.events import DomainEvent, events_since
from app.core.storage.transactions import transaction
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.people.models import Participant


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
