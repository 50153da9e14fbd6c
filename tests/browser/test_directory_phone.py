"""The network's public directory (app/directory) on a phone: a visitor finds a member by its name
typed without Polish letters, narrows the list to a sector, opens the member's page and reads its
offers and needs; neither page scrolls sideways, and axe-core finds no serious or critical
violation on either."""

from __future__ import annotations

from playwright.sync_api import expect

from app.floor.kinds import PostKind
from app.network.sectors import Sector
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import Audit, axe_context
from tests.directory import conftest as directory_fixtures
from tests.long_texts import LONG_DESCRIPTION, LONG_ORGANISATION, LONG_URL

make_member = directory_fixtures.make_member

COOPERATIVE = "Spółdzielnia Socjalna Pszczółka z Pelplina"
HOUSING = "Spółdzielnia Mieszkaniowa Zacisze"

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_visitor_finds_a_member_and_its_offers_on_a_phone(browser, live_server, trading_fair, make_member,
                                                             make_participant, make_post):
    make_member(COOPERATIVE, Sector.SOCIAL_COOPERATIVE, city="Pelplin", website="pszczolka.example.org",
                description="Pasieka, sklepik i catering na spotkania.")
    make_member(HOUSING, Sector.BUSINESS, city="Tczew")
    make_member("Fundacja Łąka", Sector.NGO, city="Gniew")
    make_member(LONG_ORGANISATION, Sector.NGO, city="Tczew", website=LONG_URL, description=LONG_DESCRIPTION)
    beekeeper = make_participant("Zofia", "Gęś", organisation=COOPERATIVE, sector=Sector.SOCIAL_COOPERATIVE)
    make_post(beekeeper, "Miód i pierniki na poczęstunek", category_key="catering")
    make_post(beekeeper, "Transport uli na łąkę", kind=PostKind.NEED, category_key="transport")

    ctx = axe_context(browser, **PHONE)
    page = ctx.new_page()
    audit = Audit(page, live_server.url)
    audit.check("/network/members", ready=".member-card")
    cards = page.locator(".member-card h2")
    expect(cards).to_have_count(4)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the list scrolls sideways"

    page.fill("input[name=q]", "spoldzielnia")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    expect(cards).to_have_text([HOUSING, COOPERATIVE])  # by name; the Polish letters were not typed

    page.select_option("select[name=sector]", Sector.SOCIAL_COOPERATIVE.value)
    with page.expect_navigation():
        page.click("form.filters button")
    expect(cards).to_have_text([COOPERATIVE])
    assert "q=spoldzielnia" in page.url and "sector=social_cooperative" in page.url
    audit.record("/network/members?q=spoldzielnia&sector=social_cooperative")

    with page.expect_navigation():
        page.click(f"text={COOPERATIVE}")
    expect(page.locator("h1")).to_have_text(COOPERATIVE)
    expect(page.locator("#offers-title").locator("xpath=..")).to_contain_text("Miód i pierniki na poczęstunek")
    expect(page.locator("#needs-title").locator("xpath=..")).to_contain_text("Transport uli na łąkę")
    expect(page.locator("dl.contacts")).to_contain_text("Pelplin")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the member's page scrolls sideways"
    audit.record("member page")

    long_one = page.locator(".member-card h2 a", has_text=LONG_ORGANISATION[:40])
    page.goto(f"{live_server.url}/network/members?q=przyjaciol")
    with page.expect_navigation():
        long_one.click()
    expect(page.locator("h1")).to_contain_text(LONG_ORGANISATION[:40])
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "a long name, address or description makes the page scroll sideways"
    audit.record("member page with the longest texts")
    ctx.close()
    assert not audit.found, audit.report()
