"""The phone's bottom navigation and the collapsed top menu (templates/_bottom_nav.html,
static/js/nav.js, static/css/app.css): on a phone the four places are always at hand and the
page ends above them; the full menu is one tap away; a desktop and a projector keep the top menu."""

from __future__ import annotations

from playwright.sync_api import expect

from app.floor.kinds import PostKind
from tests.browser.conftest import PHONE, log_in

DESKTOP = {"viewport": {"width": 1920, "height": 1080}}


def test_on_a_phone_the_page_ends_above_the_bottom_navigation(browser, live_server, trading_fair, make_participant,
                                                              make_post):
    person = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    for n in range(12):
        make_post(person, title=f"Krzesła składane, partia {n + 1}", kind=PostKind.OFFER, category_key="equipment")
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    log_in(page, live_server.url, person)
    page.goto(f"{live_server.url}/f/{trading_fair.slug}/board")
    nav = page.locator("#bottom-nav")
    expect(nav).to_be_visible()
    expect(nav.locator("[aria-current=page]")).to_have_text("Tablica")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("#board .post").last
    expect(last).to_be_in_viewport()
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= nav.bounding_box()["y"]
    page.click("#bottom-nav .tab-agreements")
    expect(page).to_have_url(f"{live_server.url}/f/{trading_fair.slug}/agreements")
    expect(page.locator("#bottom-nav [aria-current=page]")).to_have_text("Moje umowy")
    ctx.close()


def test_on_a_phone_the_full_menu_opens_from_the_menu_button(browser, live_server, trading_fair, make_participant):
    person = make_participant()
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    log_in(page, live_server.url, person)
    page.goto(f"{live_server.url}/f/{trading_fair.slug}/me")
    menu, button = page.locator("#menu"), page.locator("#menu-button")
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Nasze ogłoszenia")).to_be_visible()
    expect(menu.get_by_role("button", name="Wyloguj")).to_be_visible()
    button.click()
    expect(menu).to_be_hidden()
    ctx.close()


def test_a_desktop_keeps_the_top_menu_and_shows_no_bottom_navigation(browser, live_server, trading_fair,
                                                                     make_participant):
    person = make_participant()
    ctx = browser.new_context(**DESKTOP)
    page = ctx.new_page()
    log_in(page, live_server.url, person)
    page.goto(f"{live_server.url}/f/{trading_fair.slug}/board")
    expect(page.locator("#menu").get_by_role("link", name="Nasze ogłoszenia")).to_be_visible()
    expect(page.locator("#menu-button")).to_be_hidden()
    expect(page.locator("#bottom-nav")).to_be_hidden()
    ctx.close()
