"""The six-tap agreement: on two phones, from opening the other person's card (what scanning their
badge opens) to both signatures in at most six taps, with nothing typed: A proposes an exchange
prefilled from both organisations' posts and sends it signed; B's phone shows the proposal live,
B opens it and signs. Every click and keystroke of both phones is counted by the pages themselves."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementState, SignatureMethod
from app.agreements.queues import awaiting_notary
from app.core.extensions import db
from app.floor.kinds import PostKind, Unit
from tests.browser.conftest import PHONE, log_in

MAX_TAPS = 6

# Runs in every page of a phone before its own scripts: each click and key press is reported.
_COUNT_INPUT = """
document.addEventListener("click", function () { window.__gieldaInput("tap"); }, true);
document.addEventListener("keydown", function () { window.__gieldaInput("key"); }, true);
"""


def counted_phone(browser: Any, counts: dict[str, int]) -> Any:
    context = browser.new_context(**PHONE)
    context.expose_binding("__gieldaInput", lambda _source, kind: counts.__setitem__(kind, counts[kind] + 1))
    context.add_init_script(_COUNT_INPUT)
    return context


def test_from_a_card_to_both_signatures_in_at_most_six_taps(browser, live_server, trading_fair, make_participant,
                                                             make_post):
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    a_need = make_post(a, title="Sala konferencyjna na zebranie zarządu", kind=PostKind.NEED, quantity=2,
                       unit=Unit.HOURS)
    make_post(a, title="Szkolenie z pisania wniosków grantowych", kind=PostKind.OFFER, category_key="trainings",
              quantity=3, unit=Unit.HOURS)
    make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER, quantity=4, unit=Unit.HOURS)
    b_need = make_post(b, title="Szkolenie z pisania wniosków", kind=PostKind.NEED, category_key="trainings")
    base, slug = live_server.url, trading_fair.slug

    counts = {"tap": 0, "key": 0}
    phone_b_ctx = counted_phone(browser, counts)
    phone_b = phone_b_ctx.new_page()
    log_in(phone_b, base, b)
    phone_b.goto(f"{base}/f/{slug}/board")  # B is reading the board
    phone_b.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    phone_a_ctx = counted_phone(browser, counts)
    phone_a = phone_a_ctx.new_page()
    log_in(phone_a, base, a)
    assert counts == {"tap": 0, "key": 0}  # logging in is no part of it

    phone_a.goto(f"{base}/p/{b.badge_code}")  # what scanning B's badge opens: the count starts here
    phone_a.click("#propose-exchange")  # 1
    expect(phone_a.locator("#theirs-what")).to_have_text("Sala konferencyjna dla 40 osób")
    expect(phone_a.locator("#mine-what")).to_have_text("Szkolenie z pisania wniosków grantowych")
    phone_a.click("#send-and-sign")  # 2
    expect(phone_a.locator(".flash-success")).to_be_visible()

    notice = phone_b.locator("#proposal-notice")
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_contain_text("Łucja Żółkiewska (Fundacja Źdźbło)")
    phone_b.click("#proposal-open")  # 3
    expect(phone_b.locator("#agreement")).to_contain_text("Sala konferencyjna dla 40 osób")
    phone_b.click("#sign-button")  # 4
    expect(phone_b.locator(".flash-success")).to_be_visible()
    expect(phone_b.locator("#with-notary")).to_be_visible()  # this fair wants the notary's countersignature
    # A's open agreement page follows: B's signature shows there without a tap.
    expect(phone_a.locator(".party .signature").nth(1)).to_contain_text("Grzegorz Brzęczyszczykiewicz",
                                                                        timeout=10_000)

    assert counts["key"] == 0, "something had to be typed"
    assert counts["tap"] <= MAX_TAPS, counts
    db.session.rollback()  # a fresh read of what the server committed
    agreement = db.session.scalars(select(Agreement)).one()
    assert {(s.participant_id, s.method, s.version) for s in agreement.signatures} == {
        (a.id, SignatureMethod.OWN_DEVICE, agreement.version), (b.id, SignatureMethod.OWN_DEVICE, agreement.version)}
    assert [(o.giver.organisation_id, o.receiver.organisation_id, o.description, o.quantity, o.unit, o.hours,
             o.points, o.post_id) for o in agreement.obligations] == [
        (b.organisation_id, a.organisation_id, "Sala konferencyjna dla 40 osób", 2, Unit.HOURS, 2,
         2 * trading_fair.point_rate, a_need.id),
        (a.organisation_id, b.organisation_id, "Szkolenie z pisania wniosków grantowych", 3, Unit.HOURS, 3,
         3 * trading_fair.point_rate, b_need.id)]
    # This fair wants the notary's countersignature: signed by both, it waits in the notary's queue.
    assert agreement.state == AgreementState.AWAITING_SIGNATURES
    assert [w.id for w in awaiting_notary(trading_fair.id)] == [agreement.id]
    for ctx in (phone_a_ctx, phone_b_ctx):
        ctx.close()


def test_the_notice_reaches_a_page_without_a_live_script_of_its_own(browser, live_server, trading_fair,
                                                                    make_participant, make_post):
    """B reads their own card ("me"), a page that follows nothing live: the notice loads the live
    client itself."""
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    make_post(b, title="Sala konferencyjna dla 40 osób", kind=PostKind.OFFER, quantity=4, unit=Unit.HOURS)
    base, slug = live_server.url, trading_fair.slug
    phone_b_ctx = browser.new_context(**PHONE)
    phone_b = phone_b_ctx.new_page()
    log_in(phone_b, base, b)
    phone_b.goto(f"{base}/f/{slug}/me")
    phone_b.wait_for_function("() => window.GieldaLive && GieldaLive.connections() === 1")
    phone_b.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    phone_a_ctx = browser.new_context(**PHONE)
    phone_a = phone_a_ctx.new_page()
    log_in(phone_a, base, a)
    phone_a.goto(f"{base}/f/{slug}/agreements/propose?with={b.badge_code}")
    expect(phone_a.locator("#side-mine")).to_contain_text("Nie macie wystawionej oferty")
    phone_a.click("#send-and-sign")
    expect(phone_a.locator(".flash-success")).to_be_visible()

    expect(phone_b.locator("#proposal-notice")).to_be_visible(timeout=10_000)
    phone_b.click("#proposal-open")
    expect(phone_b.locator("#agreement")).to_contain_text("Sala konferencyjna dla 40 osób")
    for ctx in (phone_a_ctx, phone_b_ctx):
        ctx.close()
