"""A participant posts an offer on a phone-sized page; the big screen, open in another browser
context, shows it without reload."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in


def test_offer_from_phone_appears_on_big_screen_and_board(browser, live_server, trading_fair, category,
                                                          make_participant):
    person = make_participant("Zofia", "Gęś", organisation="Spółdzielnia Socjalna Gościniec")
    base = live_server.url

    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/f/{trading_fair.slug}/screen/{trading_fair.display_token}")
    expect(screen.locator("#n-offers")).to_have_text("0")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")

    board_ctx = browser.new_context(**PHONE)
    board = board_ctx.new_page()
    board.goto(f"{base}/f/{trading_fair.slug}/board")
    expect(board.locator("#board-empty")).to_be_visible()
    board.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    log_in(phone, base, person)
    phone.goto(f"{base}/f/{trading_fair.slug}/posts/new?kind=offer")
    phone.select_option("select[name=category_id]", str(category("catering")))
    phone.fill("input[name=title]", "Catering na 50 osób — żurek i pierogi")
    phone.fill("input[name=quantity]", "50")
    phone.select_option("select[name=unit]", "people")
    phone.click("button.btn.primary")
    expect(phone.locator(".flash-success")).to_be_visible()

    expect(screen.locator("#ticker")).to_contain_text("Catering na 50 osób — żurek i pierogi")
    expect(screen.locator("#n-offers")).to_have_text("1")
    expect(screen.locator("#categories")).to_contain_text("Catering")
    expect(board.locator("#board")).to_contain_text("Catering na 50 osób — żurek i pierogi")
    expect(board.locator("#board-empty")).to_be_hidden()
    for ctx in (screen_ctx, board_ctx, phone_ctx):
        ctx.close()


def test_gong_and_announcement_reach_the_screen(browser, live_server, fair, organiser):
    base = live_server.url
    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/f/{fair.slug}/screen/{fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")
    expect(screen.locator("#s-state")).to_have_attribute("data-state", "open")

    org_ctx = browser.new_context()
    control = org_ctx.new_page()
    log_in(control, base, organiser)
    control.goto(f"{base}/f/{fair.slug}/admin/control")
    control.fill("input[name=minutes]", "45")
    control.click("text=Rozpocznij wymianę (gong)")
    expect(screen.locator("#overlay")).to_be_visible()
    expect(screen.locator("#s-state")).to_have_attribute("data-state", "trading")
    expect(screen.locator("#s-countdown")).to_contain_text(":")

    control.fill("textarea[name=text]", "Zostało 10 minut — podpisujcie umowy!")
    control.click("text=Wyślij na telefony i ekran")
    expect(screen.locator("#overlay-text")).to_have_text("Zostało 10 minut — podpisujcie umowy!")
    screen_ctx.close()
    org_ctx.close()
