"""The Socket.IO handlers (app/floor/sockets.py), through Flask-SocketIO's test client: who may join
which rooms, events after commit, resync of the public and private streams, rate limits, and
sockets closed when a login ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.agreements.drafting import start_agreement
from app.core.extensions import db, socketio
from app.core.storage.events import events_since
from app.core.storage.transactions import transaction
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.people.credentials import reissue_login, revoke_login
from app.people.models import Participant
from app.people.participants import remove_participant


def sio(app: Flask, client: FlaskClient, auth: dict[str, Any] | None = None) -> Any:
    return socketio.test_client(app, flask_test_client=client, auth=auth)


def events(sc):
    return [m["args"][0] for m in sc.get_received() if m["name"] == "event"]


def test_screen_with_token_gets_fair_events(app, client, fair, notary, make_participant):
    person = make_participant()
    sc = sio(app, client, {"fair": fair.slug, "screen": fair.display_token})
    assert sc.is_connected()
    check_in(notary, fair.id, person.badge_code)
    assert [e["type"] for e in events(sc)] == ["participant.checked_in"]


def test_screen_with_wrong_token_refused(app, client, fair):
    assert not sio(app, client, {"fair": fair.slug, "screen": "guess"}).is_connected()


def test_screen_token_of_other_fair_refused(app, client, fair, make_fair):
    other = make_fair()
    assert not sio(app, client, {"fair": fair.slug, "screen": other.display_token}).is_connected()


def test_anonymous_viewer_joins_only_public_room(app, client, fair, notary, make_participant, login):
    person = make_participant()
    viewer = sio(app, client, {"fair": fair.slug})
    assert viewer.is_connected()
    check_in(notary, fair.id, person.badge_code)
    assert len(events(viewer)) == 1


def test_logged_in_client_cannot_listen_to_another_fair(app, client, fair, make_fair, make_participant,
                                                         login, organiser):
    from app.fairs.trading import announce

    other = make_fair()
    login(make_participant(fair_id=other.id))
    sc = sio(app, client, {"fair": fair.slug})  # asks for the other fair's room: ignored
    announce(organiser, fair.id, "Tylko dla Tczewa")
    assert events(sc) == []


def test_resync_is_rate_limited(app, client, fair):
    app.config["SOCKET_RATELIMIT"] = "3/minute"
    sc = sio(app, client, {"fair": fair.slug})
    replies = [sc.emit("resync", {"after": 0}, callback=True) for _ in range(4)]
    assert [r["ok"] for r in replies] == [True, True, True, False]
    assert replies[-1]["code"] == "rate_limited"


@pytest.mark.parametrize("payload", [None, "x", {"after": "zero"}, [1, 2]])
def test_resync_garbage(payload, app, client, fair):
    sc = sio(app, client, {"fair": fair.slug})
    reply = sc.emit("resync", payload, callback=True)
    assert reply["ok"] is (payload is None) or reply == {"ok": False, "code": "bad_request"}


def connect(app, client):
    return socketio.test_client(app, flask_test_client=client)


def test_anonymous_socket_refused(app, client):
    sc = connect(app, client)
    assert not sc.is_connected()


def test_check_in_reaches_fair_room_after_commit(app, client, fair, notary, make_participant, login):
    viewer = make_participant()
    login(viewer)
    sc = connect(app, client)
    assert sc.is_connected()
    p = make_participant("Ewa", "Ślęzak")
    check_in(notary, fair.id, p.badge_code)
    received = [m for m in sc.get_received() if m["name"] == "event"]
    events = [m["args"][0] for m in received if m["args"][0]["type"] == "participant.checked_in"]
    assert len(events) == 1
    assert events[0]["data"]["name"] == "Ewa Ślęzak" and events[0]["data"]["checked_in"] == 1
    assert events[0]["seq"] > 0


def test_resync_returns_exactly_the_missed_events(app, client, fair, notary, make_participant, login):
    viewer = make_participant()
    login(viewer)
    a, b = make_participant(), make_participant()
    sc = connect(app, client)
    ack = sc.emit("resync", {"after": 0}, callback=True)
    last = ack["seq"]
    sc.disconnect()
    check_in(notary, fair.id, a.badge_code)
    check_in(notary, fair.id, b.badge_code)
    sc = connect(app, client)
    ack = sc.emit("resync", {"after": last}, callback=True)
    assert ack["ok"]
    assert [e["type"] for e in ack["events"]] == ["participant.checked_in"] * 2
    assert [e["seq"] for e in ack["events"]] == [last + 1, last + 2]


def test_resync_rejects_garbage(app, client, fair, make_participant, login):
    login(make_participant())
    sc = connect(app, client)
    assert sc.emit("resync", {"after": "x"}, callback=True) == {"ok": False, "code": "bad_request"}


def received(sc: Any) -> list[dict[str, Any]]:
    return [m["args"][0] for m in sc.get_received() if m["name"] == "event"]


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


def test_a_phone_whose_session_is_gone_but_remembered_connects_as_itself(
        app: Flask, client: FlaskClient, fair: Fair, make_participant: Callable[..., Participant],
        login: Callable[[Participant], None]) -> None:
    """The handshake reads the session cookie itself; without one, Flask-Login's remember-me
    cookie still logs the phone in (its own stream too)."""
    person = make_participant()
    login(person)
    domain = app.config["SERVER_NAME"]
    assert client.get_cookie("remember_token", domain=domain) is not None
    client.delete_cookie("session", domain=domain)
    phone = sio(app, client)
    reply = phone.emit("resync", {"after": 0, "after_private": 0}, callback=True)
    assert (reply["ok"], reply["private_seq"]) == (True, db.session.get_one(Participant, person.id).event_seq)
