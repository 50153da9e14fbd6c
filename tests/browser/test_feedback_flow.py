"""The receiver confirms on a phone with feedback (templates/agreements/_feedback.html): the stars
are radio buttons a tap on a star chooses (that star and those before it drawn filled); the
phone is offline, so the confirmation waits on it (static/js/offline.js) with the form's fields;
back online it is sent once, with the rating, the words and the consent; the page then shows the
feedback. axe finds no serious or critical violation on the form or on the feedback."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.agreements.models import Obligation, ObligationState
from app.agreements.signing import record_paper_agreement
from app.core.extensions import db
from app.ledger.models import Entry
from tests.browser.conftest import PHONE, log_in
from tests.browser.test_accessibility import axe_context, blocking_violations

WORDS = "Sala czysta, rzutnik działał — polecamy!"


def test_a_confirmation_with_feedback_kept_offline_is_sent_with_its_fields(
        browser, live_server, trading_fair, notary, make_participant, make_draft):
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    oid = d.obligations[0].id  # a gives b: b confirms
    base, slug = live_server.url, trading_fair.slug

    phone = axe_context(browser, **PHONE)
    page = phone.new_page()
    log_in(page, base, b)
    page.goto(f"{base}/f/{slug}/agreements/{d.id}")
    page.wait_for_function("() => window.GieldaOutbox !== undefined"
                           " && document.documentElement.dataset.outboxWaiting !== undefined")
    assert blocking_violations(page) == []

    prefix = f"#confirm-{oid}"
    page.click(f"label[for=confirm-{oid}-rating-4]")
    expect(page.locator(f"{prefix}-rating-4")).to_be_checked()
    stars = page.locator(f"form:has({prefix}-rating-1) .star .on")
    assert [stars.nth(i).is_visible() for i in range(5)] == [True, True, True, True, False]
    page.fill(f"{prefix}-testimonial", WORDS)
    page.check(f"{prefix}-consent")

    phone.set_offline(True)
    page.click(f"form:has({prefix}-rating-1) button.primary")
    expect(page.locator("#outbox-summary")).to_have_text("Czeka na połączenie: 1 działanie")
    db.session.rollback()
    assert db.session.get_one(Obligation, oid).state == ObligationState.PENDING

    phone.set_offline(False)
    expect(page.locator(".outbox-item.outbox-sent")).to_have_count(1, timeout=15_000)
    # The page, whose confirmation went through, loads again by itself and shows the feedback.
    expect(page.locator(f"#feedback-{oid}")).to_contain_text("★★★★☆")
    expect(page.locator(f"#feedback-{oid}")).to_contain_text(WORDS)
    db.session.rollback()
    ob = db.session.get_one(Obligation, oid)
    assert (ob.state, ob.rating, ob.testimonial, ob.quote_consent) == (ObligationState.CONFIRMED, 4, WORDS, True)
    assert db.session.scalar(select(func.count(Entry.id))) == 1
    page.click("details.feedback-edit summary")
    expect(page.locator(f"#feedback-{oid}-rating-4")).to_be_checked()
    assert blocking_violations(page) == []
    phone.close()
