"""A new post's matches reach the poster's phone and the brokers' phones over the real Socket.IO
protocol: python-socketio clients against a real server process (`python -m app`), posts sent
through its HTML form as a phone sends them. Waiting is on the clients' queues, never a sleep."""

from __future__ import annotations

from app.brokers.suggestions import BROKER_EVENT, POSTER_EVENT
from tests.conftest import PASSWORD
from tests.live import cookie_header, login_session, post_offer, staff_session, wait_until


def test_poster_and_broker_get_the_new_posts_matches_live(live, trading_fair, make_participant, broker, category,
                                                         listeners):
    asker = make_participant("Anna", "Nowak", organisation="Fundacja Arka")
    giver = make_participant("Piotr", "Zieliński", organisation="Dom Kultury Tczew")
    asker_http = login_session(live.url, trading_fair.slug, asker.login_secret)
    giver_http = login_session(live.url, trading_fair.slug, giver.login_secret)
    phone = listeners().connect(live.url, headers={"Cookie": cookie_header(giver_http)})
    broker_phone = listeners().connect(live.url, headers={"Cookie": cookie_header(
        staff_session(live.url, trading_fair.slug, broker.email, PASSWORD))})
    rooms = category("rooms")

    need = post_offer(asker_http, live.url, trading_fair.slug, rooms, "Potrzebna sala konferencyjna", kind="need")
    offer = post_offer(giver_http, live.url, trading_fair.slug, rooms, "Sala konferencyjna na 40 osób")

    evt = phone.next_event(POSTER_EVENT)
    assert evt["stream"] == "me" and evt["data"]["post_id"] == offer
    assert evt["data"]["count"] == 1 and evt["data"]["matches"][0]["id"] == need
    assert evt["data"]["text"]["pl"] == "1 potrzeba pasuje do Twojej oferty"
    to_broker = broker_phone.next_event(BROKER_EVENT)
    assert to_broker["data"]["post_id"] in (need, offer)


def test_a_phone_that_was_away_gets_its_suggestion_on_resync(live, trading_fair, make_participant, category,
                                                            listeners):
    asker = make_participant("Anna", "Nowak", organisation="Fundacja Arka")
    giver = make_participant("Piotr", "Zieliński", organisation="Dom Kultury Tczew")
    asker_http = login_session(live.url, trading_fair.slug, asker.login_secret)
    giver_http = login_session(live.url, trading_fair.slug, giver.login_secret)
    rooms = category("rooms")
    post_offer(asker_http, live.url, trading_fair.slug, rooms, "Potrzebna sala konferencyjna", kind="need")
    offer = post_offer(giver_http, live.url, trading_fair.slug, rooms, "Sala konferencyjna na 40 osób")

    phone = listeners().connect(live.url, headers={"Cookie": cookie_header(giver_http)})

    def mine() -> list:  # the push runs after the post's response: asked until it is there
        reply = phone.sio.call("resync", {"after": 0, "after_private": 0}, timeout=10)
        return [e for e in reply["events"] if e["type"] == POSTER_EVENT]

    found = wait_until(mine, bool, timeout=10, what="the suggestion in the phone's own stream")
    assert [e["data"]["post_id"] for e in found] == [offer]
