"""Domain events over Socket.IO (Flask-SocketIO test client): emitted after commit, with
sequence numbers; a client catches up with `resync`."""

from app.core.extensions import socketio
from app.door.checkin import check_in


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


def test_failed_service_emits_nothing(app, client, fair, notary, make_participant, login):
    import pytest

    from app.core.errors import DomainError

    login(make_participant())
    sc = connect(app, client)
    sc.get_received()
    with pytest.raises(DomainError):
        check_in(notary, fair.id, "ZZZZZZZZ")
    assert [m for m in sc.get_received() if m["name"] == "event"] == []


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
