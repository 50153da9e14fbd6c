"""An introduction reaches both people's phones over the real Socket.IO protocol: the broker taps
"Introduce" on the worklist of a real server process (`python -m app`, CSRF on), two
python-socketio clients logged in as the two people each get the other's card."""

from __future__ import annotations

import re

from app.brokers.introductions import EVENT
from app.floor.kinds import PostKind
from tests.conftest import PASSWORD
from tests.live import cookie_header, login_session, staff_session


def introduce_form(page: str, first_id: int) -> dict[str, str]:
    for form in re.findall(r'<form method="post" action="[^"]*/brokers/introduce".*?</form>', page, re.S):
        fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
        if fields.get("first") == str(first_id):
            return fields
    raise AssertionError("no introduce form for this person on the worklist")


def test_both_phones_get_the_others_card_once(live, trading_fair, make_participant, make_post, broker, listeners):
    anna = make_participant("Anna", "Nowak", organisation="Fundacja Arka")
    piotr = make_participant("Piotr", "Zieliński", organisation="Dom Kultury Tczew")
    need = make_post(anna, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    offer = make_post(piotr, "Sala konferencyjna na 40 osób")
    anna_phone = listeners().connect(live.url, headers={"Cookie": cookie_header(
        login_session(live.url, trading_fair.slug, anna.login_secret))})
    piotr_phone = listeners().connect(live.url, headers={"Cookie": cookie_header(
        login_session(live.url, trading_fair.slug, piotr.login_secret))})
    broker_http = staff_session(live.url, trading_fair.slug, broker.email, PASSWORD)

    page = broker_http.get(f"{live.url}/f/{trading_fair.slug}/brokers", timeout=10).text
    fields = introduce_form(page, anna.id)
    for _tap in range(2):  # a double tap
        r = broker_http.post(f"{live.url}/f/{trading_fair.slug}/brokers/introduce", data=fields,
                             allow_redirects=False, timeout=10)
        assert r.status_code == 303, r.text[:500]

    to_anna = anna_phone.next_event(EVENT)
    to_piotr = piotr_phone.next_event(EVENT)
    assert to_anna["stream"] == "me" and to_anna["data"]["other"]["name"] == "Piotr Zieliński"
    assert to_anna["data"]["other"]["badge"] == piotr.badge_code
    assert to_anna["data"]["other"]["post"]["id"] == offer.id
    assert to_piotr["data"]["other"]["organisation"] == "Fundacja Arka"
    assert to_piotr["data"]["other"]["post"]["id"] == need.id
    assert [e for e in anna_phone.drain() if e["type"] == EVENT] == []  # the second tap told nobody
