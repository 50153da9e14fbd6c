"""Who may join which rooms, and per-connection rate limits (Flask-SocketIO test client)."""

import pytest

from app.core.extensions import socketio
from app.door.checkin import check_in


def sio(app, client, auth=None):
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
