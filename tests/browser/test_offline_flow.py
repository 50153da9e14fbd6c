"""A phone that survives the hall's Wi-Fi (static/js/offline.js): an offer posted and an
agreement signed while the phone is offline wait on the phone, shown as waiting; when the
connection returns they are sent, and the server holds exactly one post and one signature."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.agreements.models import Signature
from app.core.extensions import db
from app.core.web.sent_actions import SentAction
from app.floor.models import Post
from tests.browser.conftest import PHONE, LiveServer, log_in

TITLE = "Rzutnik multimedialny z ekranem, na cały dzień"


def _posts(fair_id: int, title: str = TITLE) -> int:
    db.session.rollback()  # a fresh read of what the server has committed
    return db.session.scalar(select(func.count(Post.id)).where(Post.fair_id == fair_id, Post.title == title)) or 0


def _signatures(agreement_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Signature.id)).where(Signature.agreement_id == agreement_id)) or 0


def _ready(page: Any) -> None:
    """The page's outbox script has run (it renders the kept actions when it starts)."""
    page.wait_for_function("() => window.GieldaOutbox !== undefined"
                           " && document.documentElement.dataset.outboxWaiting !== undefined")


def test_an_offer_and_a_signature_made_offline_are_sent_once_when_the_phone_is_back(
        browser, live_server, trading_fair, category, make_participant, make_draft):
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    draft = make_draft(a, b)
    base, slug = live_server.url, trading_fair.slug

    phone = browser.new_context(**PHONE)
    post_tab = phone.new_page()
    log_in(post_tab, base, a)
    post_tab.goto(f"{base}/f/{slug}/posts/new?kind=offer")
    _ready(post_tab)
    sign_tab = phone.new_page()
    sign_tab.goto(f"{base}/f/{slug}/agreements/{draft.id}")
    _ready(sign_tab)

    phone.set_offline(True)
    post_tab.select_option("select[name=category_id]", str(category("equipment")))
    post_tab.fill("input[name=title]", TITLE)
    post_tab.click("button.btn.primary")
    expect(post_tab.locator("#outbox-summary")).to_have_text("Czeka na połączenie: 1 działanie")
    expect(post_tab.locator(".outbox-item")).to_contain_text(f"Czeka na połączenie Nowe ogłoszenie: {TITLE}")
    expect(post_tab.locator("input[name=title]")).to_have_value("")  # the form is free for the next post

    sign_tab.click("#sign-button")
    expect(sign_tab.locator("#outbox-summary")).to_have_text("Czekają na połączenie: 2 działania")
    expect(sign_tab.locator(".outbox-note")).to_contain_text("Czeka na połączenie: Podpis za Fundacja Źdźbło")
    expect(sign_tab.locator("#sign-button")).to_be_disabled()  # a second tap waits with the first
    # The other tab is told: it shows both.
    expect(post_tab.locator("#outbox-summary")).to_have_text("Czekają na połączenie: 2 działania")
    assert _posts(trading_fair.id) == 0 and _signatures(draft.id) == 0  # the server has nothing yet

    phone.set_offline(False)
    for tab in (post_tab, sign_tab):
        expect(tab.locator(".outbox-item.outbox-sent")).to_have_count(2, timeout=15_000)
        expect(tab.locator("#outbox-summary")).to_have_text("Wszystko, co czekało na tym telefonie, zostało wysłane.")
    expect(post_tab.locator(".outbox-item").first).to_contain_text("Wysłano")
    expect(post_tab.locator(".outbox-item").first).to_contain_text("Opublikowano")
    assert _posts(trading_fair.id) == 1
    assert _signatures(draft.id) == 1
    assert db.session.scalar(select(func.count(SentAction.id))) == 1  # the signature's key
    # The sign tab's page, whose own action went through, loads again by itself to show it.
    expect(sign_tab.locator("#agreement")).to_contain_text("podpisał(a) Łucja Żółkiewska")
    expect(sign_tab.locator("#sign-button")).to_have_count(0)
    phone.close()


def test_a_signature_kept_offline_survives_a_reload_without_a_connection(
        browser, live_server, database_url, tmp_path, trading_fair, make_participant, make_draft):
    """The phone signs offline, then its page is reloaded while the hall's server cannot be
    reached: the service worker opens the page it kept, and the signature is still there,
    waiting; when the server is back it is sent, once. (Playwright's offline emulation does not
    reach a service worker's own fetches, so the server is stopped as well: the worker's fetch
    fails as it would with the Wi-Fi down, and the phone falls back to its kept page.)"""
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    draft = make_draft(a, b)
    base, slug = live_server.url, trading_fair.slug

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    log_in(page, base, a)
    page.goto(f"{base}/f/{slug}/agreements/{draft.id}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the worker, which keeps the page and its scripts
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    _ready(page)

    phone.set_offline(True)
    page.click("#sign-button")
    expect(page.locator("#outbox-summary")).to_have_text("Czeka na połączenie: 1 działanie")
    live_server.kill()
    page.reload()
    _ready(page)
    expect(page.locator("#outbox-summary")).to_have_text("Czeka na połączenie: 1 działanie")
    expect(page.locator(".outbox-note")).to_contain_text("Czeka na połączenie: Podpis za Fundacja Źdźbło")
    expect(page.locator("#sign-button")).to_be_disabled()
    assert _signatures(draft.id) == 0

    back = LiveServer(database_url, tmp_path, port=live_server.port)
    try:
        phone.set_offline(False)
        expect(page.locator(".outbox-item.outbox-sent")).to_have_count(1, timeout=15_000)
        expect(page.locator(".outbox-item")).to_contain_text("Podpisano.")
        expect(page.locator("#agreement")).to_contain_text("podpisał(a) Łucja Żółkiewska")
        assert _signatures(draft.id) == 1
    finally:
        phone.close()
        back.stop()
