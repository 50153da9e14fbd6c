"""The proposal page (app/agreements/views.py `propose`): opened from a card, a post or a match
with both sides prefilled; "send and sign" makes the signed proposal; refusals and form errors
are answered in Polish with a 4xx, never a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementState
from app.core.extensions import db
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind, Unit


def text(r) -> str:
    return r.get_data(as_text=True)


def form_of(page: str) -> dict[str, str]:
    """The proposal form's fields as the page fills them (inputs, selects, textareas)."""
    form = page[page.index('id="proposal-form"'):]
    fields = {m.group(1): m.group(2) for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)}
    fields |= {m.group(1): m.group(2) for m in re.finditer(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', form)}
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options)
        fields[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    return {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()}


@pytest.fixture
def pair(trading_fair, make_participant):
    return (make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak"))


@pytest.fixture
def posts(pair, make_post):
    a, b = pair
    return {"a_need": make_post(a, title="Sala konferencyjna na zebranie", kind=PostKind.NEED),
            "a_offer": make_post(a, title="Szkolenie z pisania wniosków", kind=PostKind.OFFER,
                                 category_key="trainings", quantity=3, unit=Unit.HOURS),
            "b_offer": make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER, quantity=4,
                                 unit=Unit.HOURS),
            "b_need": make_post(b, title="Szkolenie z pisania wniosków", kind=PostKind.NEED,
                                category_key="trainings")}


def url(fair, badge: str, *posts: int) -> str:
    return f"/f/{fair.slug}/agreements/propose?with={badge}" + "".join(f"&post={p}" for p in posts)


def test_the_page_shows_both_sides_prefilled(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    r = client.get(url(trading_fair, b.badge_code))
    assert r.status_code == 200
    fields = form_of(text(r))
    assert fields["theirs-description"] == "Sala konferencyjna dla 40 osób"
    assert (fields["theirs-quantity"], fields["theirs-unit"], fields["theirs-hours"]) == ("4", "hours", "4")
    assert fields["theirs-post_id"] == str(posts["a_need"].id)
    assert fields["mine-description"] == "Szkolenie z pisania wniosków" and fields["mine-hours"] == "3"
    assert "Zaproponuj wymianę" in text(r) and "Wyślij i podpisz" in text(r)
    assert "40 pkt" in text(r)  # 4 hours at 10 points


def test_send_and_sign_makes_the_signed_proposal(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    r = client.post(page, data=form_of(text(client.get(page))))
    agreement = db.session.scalars(select(Agreement)).one()
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/agreements/{agreement.id}")
    assert agreement.state == AgreementState.AWAITING_SIGNATURES
    assert [o.description for o in agreement.obligations] == ["Sala konferencyjna dla 40 osób",
                                                               "Szkolenie z pisania wniosków"]
    assert [s.participant_id for s in agreement.signatures] == [a.id]
    assert "Wysłane i podpisane." in text(client.get(r.headers["Location"]))


def test_the_proposer_may_change_a_side_before_sending(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    fields = form_of(text(client.get(page))) | {"mine-hours": "", "mine-points": "55"}
    client.post(page, data=fields)
    agreement = db.session.scalars(select(Agreement)).one()
    assert [o.points for o in agreement.obligations] == [40, 55]


def test_a_side_left_empty_is_left_out(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    client.post(page, data=form_of(text(client.get(page))) | {"mine-description": ""})
    assert [o.giver.organisation_id for o in db.session.scalars(select(Agreement)).one().obligations] == [
        b.organisation_id]


def test_sending_the_page_twice_proposes_once(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    fields = form_of(text(client.get(page)))
    first, second = client.post(page, data=fields), client.post(page, data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(db.session.scalars(select(Agreement)).all()) == 1
    assert "Ta propozycja została już wysłana" in text(client.get(second.headers["Location"]))


def test_with_no_posts_the_page_asks_what_is_given(client, login, trading_fair, pair):
    a, b = pair
    login(a)
    r = client.get(url(trading_fair, b.badge_code))
    assert r.status_code == 200
    assert "Drukarnia Kociewiak nie ma wystawionej oferty" in text(r) and "Nie macie wystawionej oferty" in text(r)


def test_a_proposal_saying_nothing_is_refused_in_polish(client, login, trading_fair, pair):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    r = client.post(page, data=form_of(text(client.get(page))))
    assert r.status_code == 422 and "Wpiszcie, co daje przynajmniej jedna strona." in text(r)
    assert db.session.scalars(select(Agreement)).all() == []


def test_a_wrong_number_is_a_form_error_in_polish(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    r = client.post(page, data=form_of(text(client.get(page))) | {"theirs-quantity": "0"})
    assert r.status_code == 422 and 'class="error"' in text(r)
    assert re.search(r'class="error">[^<]*(liczb|wartoś|między|co najmniej)', text(r), re.I), text(r)
    assert db.session.scalars(select(Agreement)).all() == []


def test_sending_when_trading_is_closed_is_refused_in_polish(client, login, trading_fair, organiser, pair, posts):
    a, b = pair
    login(a)
    page = url(trading_fair, b.badge_code)
    fields = form_of(text(client.get(page)))
    close_trading(organiser, trading_fair.id)
    r = client.post(page, data=fields)
    assert r.status_code == 409 and "Wymiana jest zamknięta" in text(r)
    assert db.session.scalars(select(Agreement)).all() == []


def test_the_page_says_when_trading_is_closed(client, login, trading_fair, organiser, pair):
    a, b = pair
    close_trading(organiser, trading_fair.id)
    login(a)
    r = client.get(url(trading_fair, b.badge_code))
    assert r.status_code == 200 and "Wymiana jest zamknięta" in text(r) and "send-and-sign" not in text(r)


def test_a_proposal_to_a_colleague_is_refused_in_polish(client, login, trading_fair, pair, make_participant):
    a, _b = pair
    colleague = make_participant("Zofia", organisation="Fundacja Źdźbło")
    login(a)
    r = client.get(url(trading_fair, colleague.badge_code))
    assert r.status_code == 422 and "dwóch różnych organizacji" in text(r)


def test_an_unknown_badge_is_not_found(client, login, trading_fair, pair):
    login(pair[0])
    assert client.get(url(trading_fair, "ZZZZZZ")).status_code == 404


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999"])
def test_a_malformed_post_is_ignored_or_not_found(client, login, trading_fair, pair, value):
    a, b = pair
    login(a)
    r = client.get(f"/f/{trading_fair.slug}/agreements/propose?with={b.badge_code}&post={value}")
    assert r.status_code in (200, 404)


def test_a_strangers_post_is_refused(client, login, trading_fair, pair, make_participant, make_post):
    a, b = pair
    stranger = make_post(make_participant(organisation="Klub Seniora"), title="Sala widowiskowa")
    login(a)
    r = client.get(url(trading_fair, b.badge_code, stranger.id))
    assert r.status_code == 422 and "nie należy do żadnej ze stron" in text(r)


def test_the_card_the_post_and_the_match_propose_an_exchange(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    card = text(client.get(f"/p/{b.badge_code}"))
    assert f'href="/f/{trading_fair.slug}/agreements/propose?with={b.badge_code}"' in card
    post = text(client.get(f"/f/{trading_fair.slug}/posts/{posts['b_offer'].id}"))
    assert f"/agreements/propose?with={b.badge_code}&amp;post={posts['b_offer'].id}" in post
    matches = text(client.get(f"/f/{trading_fair.slug}/matches"))
    assert (f"/agreements/propose?with={b.badge_code}&amp;post={posts['b_offer'].id}&amp;post={posts['a_need'].id}"
            in matches)


def test_a_match_opens_the_proposal_of_its_two_posts(client, login, trading_fair, pair, posts):
    a, b = pair
    login(a)
    fields = form_of(text(client.get(url(trading_fair, b.badge_code, posts["b_offer"].id, posts["a_need"].id))))
    assert fields["theirs-description"] == "Sala konferencyjna dla 40 osób"
    assert fields["theirs-post_id"] == str(posts["a_need"].id)
