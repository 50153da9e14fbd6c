"""The organiser's control room in Debian's Chromium: counters and broker lists follow the fair."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in


def test_control_room_follows_the_fair_live(browser, live_server, trading_fair, organiser, category,
                                            make_participant):
    person = make_participant("Bożena", "Cicha", organisation="Koło Gospodyń Wiejskich")
    base, slug = live_server.url, trading_fair.slug

    laptop_ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    room = laptop_ctx.new_page()
    log_in(room, base, organiser)
    room.goto(f"{base}/f/{slug}/admin/control")
    expect(room.locator("#panel-without-posts")).to_contain_text("Bożena Cicha")
    expect(room.locator("#c-needs")).to_have_text("0")
    room.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    log_in(phone, base, person)
    phone.goto(f"{base}/f/{slug}/posts/new?kind=need")
    phone.select_option("select[name=category_id]", str(category("transport")))
    phone.fill("input[name=title]", "Transport stołów na festyn")
    phone.click("button.btn.primary")
    expect(phone.locator(".flash-success")).to_be_visible()

    expect(room.locator("#c-needs")).to_have_text("1")
    expect(room.locator("#panel-needs")).to_contain_text("Transport stołów na festyn")
    expect(room.locator("#panel-without-posts")).not_to_contain_text("Bożena Cicha")

    room.fill("textarea[name=text]", "Zapraszamy do stanowiska notariusza!")
    room.click("text=Wyślij na telefony i ekran")
    expect(room.locator(".flash-success")).to_be_visible()
    laptop_ctx.close()
    phone_ctx.close()
