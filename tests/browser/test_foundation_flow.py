"""A participant logs in on a phone and sees their card; a desk helper checks them in and the
checked-in count changes, live, on another desk screen."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in


def test_phone_login_then_desk_check_in_updates_count_live(browser, live_server, fair, notary,
                                                           make_participant):
    person = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    base = live_server.url

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    log_in(page, base, person)
    expect(page.locator("#my-card")).to_contain_text("Łucja Żółkiewska")
    expect(page.locator("#my-card")).to_contain_text("Fundacja Źdźbło")
    expect(page.locator("#my-checkin")).to_contain_text("niepotwierdzona")

    watcher_ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    watcher = watcher_ctx.new_page()
    log_in(watcher, base, notary)
    watcher.goto(f"{base}/f/{fair.slug}/desk")
    expect(watcher.locator("#checked-in-count")).to_have_text("0")
    watcher.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    desk_ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    desk = desk_ctx.new_page()
    log_in(desk, base, notary)
    desk.goto(f"{base}/f/{fair.slug}/desk")
    desk.fill("input[name=scanned]", f"{base}/p/{person.badge_code}")
    desk.keyboard.press("Enter")
    expect(desk.locator("#scan-result")).to_contain_text("Łucja Żółkiewska")
    expect(desk.locator("#checked-in-count")).to_have_text("1")

    # The other desk screen was not reloaded: the count arrived over Socket.IO.
    expect(watcher.locator("#checked-in-count")).to_have_text("1")

    page.reload()
    expect(page.locator("#my-checkin")).to_contain_text("potwierdzona o")
    for ctx in (phone, watcher_ctx, desk_ctx):
        ctx.close()


def test_second_scan_says_already_checked_in(browser, live_server, fair, notary, make_participant):
    person = make_participant("Jan", "Wróbel")
    ctx = browser.new_context()
    desk = ctx.new_page()
    log_in(desk, live_server.url, notary)
    for _ in range(2):
        desk.goto(f"{live_server.url}/f/{fair.slug}/desk")
        desk.fill("input[name=scanned]", person.badge_code)
        desk.keyboard.press("Enter")
        expect(desk.locator("#scan-result")).to_contain_text("Jan Wróbel")
    expect(desk.locator("#scan-result")).to_contain_text("Obecność potwierdzona już o")
    expect(desk.locator("#checked-in-count")).to_have_text("1")
    ctx.close()
