"""Two event streams without gaps: the fair's public one and each participant's private one;
resyncs validated and limited per client; a login that ends closes its sockets at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.agreements.drafting import start_agreement
from app.core.events import DomainEvent, events_since
from app.core.extensions import db, socketio
from app.core.transactions import transaction
from app.fairs.models import Fair
from app.people.credentials import reissue_login, revoke_login
from app.people.models import Participant
from app.people.participants import remove_participant


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


def test_resync_returns_the_public_stream_and_only_ones_own_private_stream(
        app: Flask, client: FlaskClient, trading_fair: Fair, make_participant: Callable[..., Participant],
        login: Callable[[Participant], None]) -> None:
    a, b, c = make_participant(), make_participant(), make_participant()
    start_agreement(a, trading_fair.id, b.id)
    start_agreement(a, trading_fair.id, c.id)
    login(b)
    sc = sio(app, client)
    reply = sc.emit("resync", {"after": 0, "after_private": 0}, callback=True)
    private = [e for e in reply["events"] if e["stream"] == "me"]
    assert [(e["type"], e["seq"]) for e in private] == [("agreement.drafted", 1)]
    assert reply["private_seq"] == 1
    assert all(e["stream"] == "fair" for e in reply["events"] if e not in private)
    # Without after_private, a client gets the public stream only (as before).
    only_public = sc.emit("resync", {"after": 0}, callback=True)
    assert all(e["stream"] == "fair" for e in only_public["events"])


def test_an_anonymous_client_never_gets_private_events(
        app: Flask, client: FlaskClient, trading_fair: Fair, make_participant: Callable[..., Participant]) -> None:
    a, b = make_participant(), make_participant()
    viewer = sio(app, client, {"fair": trading_fair.slug})
    start_agreement(a, trading_fair.id, b.id)
    assert received(viewer) == []
    reply = viewer.emit("resync", {"after": 0, "after_private": 0}, callback=True)
    assert [e for e in reply["events"] if e["stream"] != "fair"] == [] and "private_seq" not in reply


@pytest.mark.parametrize("payload", [{"after": 1e30}, {"after": -1}, {"after": 2.5}, {"after": True},
                                     {"after": "5"}, {"after": 0, "after_private": 2**64}, "x", [1]])
def test_resync_refuses_numbers_no_client_can_hold(app: Flask, client: FlaskClient, fair: Fair, payload: Any) -> None:
    sc = sio(app, client, {"fair": fair.slug})
    assert sc.emit("resync", payload, callback=True) == {"ok": False, "code": "bad_request"}


class TestResyncFloodOfOneClient:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"SOCKET_RATELIMIT": "100/minute", "SOCKET_CLIENT_RATELIMIT": "5/minute"}

    def test_many_connections_of_one_client_share_one_limit(self, app: Flask, client: FlaskClient,
                                                            fair: Fair) -> None:
        connections = [sio(app, client, {"fair": fair.slug}) for _ in range(3)]
        replies = [sc.emit("resync", {"after": 0}, callback=True) for sc in connections for _ in range(2)]
        assert [r["ok"] for r in replies] == [True] * 5 + [False]
        assert replies[-1]["code"] == "rate_limited"


@pytest.mark.parametrize("end", ["revoke", "reissue", "remove"])
def test_a_login_that_ends_closes_its_sockets_at_once(
        app: Flask, client: FlaskClient, fair: Fair, organiser: Participant,
        make_participant: Callable[..., Participant], login: Callable[[Participant], None], end: str) -> None:
    person = make_participant()
    login(person)
    phone = sio(app, client)
    assert phone.is_connected()
    {"revoke": revoke_login, "reissue": reissue_login, "remove": remove_participant}[end](
        organiser, fair.id, person.id)
    assert not phone.is_connected()
    # Their phone was told why (the test client drops what it received once disconnected; the
    # two-process test in test_scaleout_redis.py reads the message itself).
    told = events_since(fair.id, 0, person.id, after_private=0)
    assert [(e.type, e.payload["reason"]) for e in told if e.stream == "me"] == [
        ("session.ended", {"revoke": "revoked", "reissue": "reissued", "remove": "removed"}[end])]


def test_a_socket_whose_login_ended_unnoticed_is_closed_at_its_next_resync(
        app: Flask, client: FlaskClient, fair: Fair, make_participant: Callable[..., Participant],
        login: Callable[[Participant], None]) -> None:
    """With a message queue that cannot close rooms everywhere, the next resync catches it."""
    person = make_participant()
    login(person)
    phone = sio(app, client)
    with transaction():
        db.session.get_one(Participant, person.id).login_version += 1  # no end_sessions: unnoticed
    assert phone.is_connected()
    assert phone.emit("resync", {"after": 0, "after_private": 0}, callback=True) == {
        "ok": False, "code": "logged_out"}
    assert not phone.is_connected()


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
    from app.core.events import record_event

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

    from app.core.events import record_event
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
    from app.core.events import record_event

    viewer = sio(app, client, {"fair": fair.slug})
    with pytest.raises(RuntimeError), transaction():
        record_event(fair.id, "fair.announcement", {"text": "Nigdy"})
        with db.session.begin_nested():
            db.session.flush()
        raise RuntimeError("refused half-way")
    with transaction():
        record_event(fair.id, "fair.announcement", {"text": "Potem"})
    assert [e["data"]["text"] for e in received(viewer)] == ["Potem"]
