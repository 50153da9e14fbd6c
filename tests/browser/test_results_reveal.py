"""At the closing gong the organiser clicks one button on the results page; the big screen,
open in another browser, switches to the results reveal and counts the numbers up."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.fairs.trading import close_trading
from tests.agreements import conftest as contract_fixtures
from tests.browser.conftest import log_in

make_signed_agreement = contract_fixtures.make_signed_agreement


def test_results_button_switches_the_big_screen(browser, live_server, trading_fair, organiser,
                                                make_signed_agreement):
    make_signed_agreement(points=(30, 45))
    close_trading(organiser, trading_fair.id)
    base = live_server.url
    fair = trading_fair

    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/f/{fair.slug}/screen/{fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")

    org_ctx = browser.new_context()
    page = org_ctx.new_page()
    log_in(page, base, organiser)
    page.goto(f"{base}/f/{fair.slug}/admin/results")
    # Organiser, notary and the two parties; nobody checked in, so everyone registered counts.
    expect(page.locator(".headline")).to_have_text("4 osoby z 4 organizacji zawarły 1 umowę.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Pokaż wyniki na dużym ekranie")
    expect(page.locator(".flash-success")).to_have_text("Duży ekran pokazuje teraz wyniki.")

    expect(screen).to_have_url(re.compile(rf"/f/{fair.slug}/screen/{fair.display_token}/results$"))
    expect(screen.locator(".r-headline")).to_have_text("4 osoby z 4 organizacji zawarły 1 umowę.")
    counters = screen.locator(".r-counter .n")
    expect(counters.nth(0)).to_have_text("4", timeout=10_000)
    expect(counters.nth(2)).to_have_text("75", timeout=10_000)  # points
    expect(screen.locator(".r-matrix svg")).to_be_visible(timeout=10_000)
    # Last, the finale: the agreements and their social value (3 h + 4 h of basic help × 28,61 zł =
    # 200,27 zł), counted up after everything else.
    expect(screen.locator("#r-agreements .n")).to_have_text("1", timeout=15_000)
    expect(screen.locator("#r-social-value .n.done")).to_have_text("200", timeout=15_000)
    expect(screen.locator("#r-social-value")).to_contain_text("zł")

    screen.keyboard.press("Escape")  # back to the live screen
    expect(screen).to_have_url(re.compile(rf"/f/{fair.slug}/screen/{fair.display_token}$"))
    screen_ctx.close()
    org_ctx.close()


def test_a_screen_that_missed_the_reveal_follows_it_on_reconnect(browser, live_server, trading_fair, organiser):
    from app.reports.results import reveal_results

    close_trading(organiser, trading_fair.id)
    fair = trading_fair
    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_ctx.new_page()
    sockets, replies = [], []

    def relay(ws):
        server = ws.connect_to_server()
        ws.on_message(server.send)

        def to_page(message):
            replies.append(message)
            ws.send(message)

        server.on_message(to_page)
        sockets.append(ws)

    def resynced() -> int:
        return sum(1 for m in replies if isinstance(m, str) and '"events"' in m)

    screen.route_web_socket(re.compile(r"/socket\.io/"), relay)
    screen.goto(f"{live_server.url}/f/{fair.slug}/screen/{fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")
    for _ in range(200):  # the resync asked on connecting has been answered (before the reveal)
        if resynced():
            break
        screen.wait_for_timeout(50)
    assert resynced() == 1

    # Recorded by this process: the server's sockets never emit it, so the screen misses it...
    reveal_results(organiser, fair.id)
    screen.wait_for_timeout(300)
    assert not screen.url.endswith("/results")
    # ...until its connection drops and, reconnected, it asks for what it missed.
    sockets[-1].close()
    expect(screen).to_have_url(re.compile(rf"/f/{fair.slug}/screen/{fair.display_token}/results$"),
                               timeout=15_000)
    screen_ctx.close()
