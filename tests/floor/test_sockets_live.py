"""A real python-socketio client against a real server process (`python -m app`): live posts,
catching up after a disconnect (resync), the same-origin handshake, the big screen's token.

Posts go through the live server's HTML form with CSRF on, as a phone sends them. Waiting is
always on a queue with a bounded timeout, never a sleep."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests
import socketio

from app.fairs.models import Fair
from app.people.models import Participant
from tests.live import WAIT, LiveServer, cookie_header, login_session, post_offer


class SeqTracker:
    """What static/js/live.js does with sequence numbers: apply an event once, in order; an
    event at or below the last applied number is a duplicate and is ignored (live.js also checks
    that it is the event it applied there: another one means the numbers started over)."""

    def __init__(self, last: int) -> None:
        self.last = last
        self.applied: list[dict[str, Any]] = []
        self.ignored: list[dict[str, Any]] = []

    def apply(self, evt: dict[str, Any]) -> None:
        if evt["seq"] <= self.last:
            self.ignored.append(evt)
            return
        self.last = evt["seq"]
        self.applied.append(evt)


@pytest.fixture
def poster(live: LiveServer, trading_fair: Fair, make_participant: Callable[..., Participant],
           category: Callable[[str], int]) -> Callable[[str], int]:
    """Another participant posting offers through the live server's form."""
    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http = login_session(live.url, trading_fair.slug, author.login_secret)
    rooms = category("rooms")

    def post(title: str) -> int:
        return post_offer(http, live.url, trading_fair.slug, rooms, title)

    return post


def participant_headers(live: LiveServer, fair: Fair, person: Participant) -> dict[str, str]:
    return {"Cookie": cookie_header(login_session(live.url, fair.slug, person.login_secret))}


def test_logged_in_phone_receives_another_participants_offer(live, trading_fair, make_participant,
                                                            poster, listeners):
    phone = listeners().connect(live.url, headers=participant_headers(live, trading_fair, make_participant()))

    post_id = poster("Sala na 40 osób z rzutnikiem")

    evt = phone.next_event("post.created")
    assert evt["data"]["id"] == post_id
    assert evt["data"]["title"] == "Sala na 40 osób z rzutnikiem"
    assert evt["data"]["organisation"] == "Spółdzielnia Socjalna Łącznik"
    assert evt["fair_id"] == trading_fair.id and evt["seq"] > 0


def test_phone_without_session_or_fair_is_refused(live, listeners):
    with pytest.raises(socketio.exceptions.ConnectionError):
        listeners().connect(live.url)


def test_resync_after_disconnect_gives_exactly_the_missed_events(live, trading_fair, make_participant,
                                                                 poster, listeners):
    headers = participant_headers(live, trading_fair, make_participant())
    phone = listeners().connect(live.url, headers=headers)
    last = phone.resync(0)["seq"]
    phone.close()  # the phone drops off the Wi-Fi

    missed = [poster("Wolontariusze do sprzątania"), poster("Nagłośnienie na plener")]

    phone = listeners().connect(live.url, headers=headers)
    reply = phone.resync(last)
    got = reply["events"]
    assert [e["type"] for e in got] == ["post.created", "post.created"]
    assert [e["data"]["id"] for e in got] == missed
    assert [e["seq"] for e in got] == [last + 1, last + 2]
    assert reply["seq"] == last + 2

    tracker = SeqTracker(last)
    for evt in got:
        tracker.apply(evt)
    third = poster("Rzutnik na jeden wieczór")
    # Live, before the third: at most the two missed ones again (the server batches a moment's
    # events, so those committed just before the reconnect may also come live): each is ignored
    # by its number.
    early = []
    while (live_evt := phone.next_event("post.created"))["data"]["id"] != third:
        early.append(live_evt)
    pairs = list(zip([last + 1, last + 2], missed, strict=True))
    assert [(e["seq"], e["data"]["id"]) for e in early] in (pairs[2:], pairs[1:], pairs)
    for evt in early:
        tracker.apply(evt)
    tracker.apply(live_evt)
    # A late duplicate (e.g. the same event from a second resync) is ignored by its number.
    for evt in got:
        tracker.apply(evt)
    assert [e["seq"] for e in tracker.applied] == [last + 1, last + 2, last + 3]
    assert [e["data"]["id"] for e in tracker.applied] == [*missed, third]
    assert [e["seq"] for e in tracker.ignored] == [e["seq"] for e in early] + [last + 1, last + 2]


def test_posts_racing_a_reconnect_are_applied_once_each_in_order(live, trading_fair, make_participant,
                                                                 poster, listeners):
    """Offers posted while a phone reconnects and resyncs can arrive live, in the resync reply,
    or both: following live.js (apply the next number, resync on a gap, ignore what was seen),
    the phone applies every one exactly once, in order."""
    headers = participant_headers(live, trading_fair, make_participant())
    phone = listeners().connect(live.url, headers=headers)
    last = phone.resync(0)["seq"]
    phone.close()
    posted = [poster("Ławki na festyn"), poster("Namiot 3×6 m")]

    phone = listeners().connect(live.url, headers=headers)
    racing = threading.Thread(target=lambda: posted.extend(poster(f"Wolontariusz nr {i}") for i in range(3)))
    racing.start()
    tracker = SeqTracker(last)
    for evt in phone.resync(last)["events"]:
        tracker.apply(evt)
    racing.join(WAIT)
    assert not racing.is_alive() and len(posted) == 5
    while tracker.last < last + 5:
        evt = phone.next_event()
        if evt["seq"] == tracker.last + 1:
            tracker.apply(evt)
        elif evt["seq"] > tracker.last:
            for missed in phone.resync(tracker.last)["events"]:
                tracker.apply(missed)
        else:
            tracker.ignored.append(evt)
    assert [e["seq"] for e in tracker.applied] == list(range(last + 1, last + 6))
    assert [e["data"]["id"] for e in tracker.applied] == posted
    for evt in phone.drain():
        tracker.apply(evt)
    assert len(tracker.applied) == 5
    assert phone.resync(tracker.last) == {"ok": True, "events": [], "seq": last + 5, "private_seq": 0}


def test_handshake_from_another_origin_is_refused(live, trading_fair, listeners):
    with pytest.raises(socketio.exceptions.ConnectionError):
        listeners().connect(live.url, auth={"fair": trading_fair.slug},
                            headers={"Origin": "http://evil.example"}, transports=["polling"])
    # The engine.io handshake itself is refused, before any Socket.IO handler runs.
    r = requests.get(f"{live.url}/socket.io/?EIO=4&transport=polling",
                     headers={"Origin": "http://evil.example"}, timeout=10)
    assert r.status_code == 400
    assert r.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_handshake_from_own_origin_is_accepted_and_never_wildcard(live, trading_fair, poster, listeners):
    viewer = listeners().connect(live.url, auth={"fair": trading_fair.slug},
                                 headers={"Origin": live.url}, transports=["polling"])
    assert viewer.sio.transport() == "polling"
    poster("Szkolenie z pierwszej pomocy")
    assert viewer.next_event("post.created")["data"]["title"] == "Szkolenie z pierwszej pomocy"

    r = requests.get(f"{live.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": live.url},
                     timeout=10)
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == live.url


def test_big_screen_with_display_token_gets_events(live, trading_fair, poster, listeners):
    screen = listeners().connect(live.url, auth={"fair": trading_fair.slug, "screen": trading_fair.display_token})
    post_id = poster("Warsztaty plastyczne dla dzieci")
    evt = screen.next_event("post.created")
    assert evt["data"]["id"] == post_id
    assert screen.resync(evt["seq"] - 1)["events"] == [evt]


def test_big_screen_with_wrong_token_is_refused(live, trading_fair, listeners):
    with pytest.raises(socketio.exceptions.ConnectionError):
        listeners().connect(live.url, auth={"fair": trading_fair.slug, "screen": "not-the-token"})
