"""Between fairs on two phones: each enters the network's space from their page at a fair; B posts a
standing need; A finds it on the network's board, opens B's card, drafts and signs; B signs; the
agreement is numbered in the network's series (no notary between fairs), its PDF downloads and its
verification page shows the same number."""

from playwright.sync_api import expect

from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from tests.browser.conftest import PHONE, log_in
from tests.pdfs import pdf_text


def _enter(page, base, person):
    log_in(page, base, person)
    page.goto(f"{base}/f/{person.fair.slug}/me")
    with page.expect_navigation():
        page.click("#between-fairs button")
    expect(page.locator("h1")).to_have_text("Między giełdami")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_agreement_between_fairs_on_two_phones(browser, live_server, trading_fair, make_participant, tmp_path):
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    base = live_server.url
    number = f"SW/{utcnow().astimezone(LOCAL_ZONE).year}/0001"

    phone_b = browser.new_context(**PHONE).new_page()
    _enter(phone_b, base, b)
    space = phone_b.url.split("/f/")[1].split("/")[0]
    phone_b.click("text=Nowa oferta lub potrzeba")
    phone_b.check("input[name='kind'][value='need']")
    phone_b.fill("input[name='title']", "Rzutnik na spotkanie mieszkańców")
    phone_b.click("form button.primary")
    expect(phone_b.locator(".flash-success")).to_be_visible()  # the post is in (sent by the phone's outbox)
    phone_b.goto(f"{base}/f/{space}/network")
    expect(phone_b.locator("#standing-posts")).to_contain_text("Rzutnik na spotkanie mieszkańców")
    expect(phone_b.locator("#standing-posts")).to_contain_text("do ")  # its end date, and the renew button
    expect(phone_b.locator("#standing-posts button")).to_have_text("Przedłuż")

    phone_a = browser.new_context(**PHONE, accept_downloads=True).new_page()
    _enter(phone_a, base, a)
    phone_a.click("text=Tablica sieci")
    phone_a.click("text=Rzutnik na spotkanie mieszkańców")
    phone_a.click("a:has-text('Grzegorz Brzęczyszczykiewicz')")
    phone_a.click("#make-agreement")
    phone_a.click("#start-button")
    phone_a.fill("textarea[name='obligations-0-description']", "Rzutnik z ekranem, sobota 10–14")
    phone_a.fill("input[name='obligations-0-points']", "20")
    phone_a.click("button[value=save]")
    expect(phone_a.locator("#agreement")).to_contain_text("Rzutnik z ekranem")
    phone_a.click("#sign-button")
    expect(phone_a.locator(".flash-success")).to_be_visible()

    phone_b.goto(f"{base}/f/{space}/agreements")
    phone_b.click("#agreements a")
    phone_b.click("#sign-button")
    expect(phone_b.locator("#agreement-number")).to_have_text(number)

    # A's open page reloads itself when B's signature completes the agreement.
    expect(phone_a.locator("#agreement-number")).to_have_text(number, timeout=10_000)
    with phone_a.expect_download() as info:
        phone_a.click("#pdf-link")
    pdf = tmp_path / "between.pdf"
    info.value.save_as(pdf)
    text = pdf_text(pdf)
    assert number in text and "Zawarte między giełdami, w sieci" in text
    verify = phone_a.locator("a[href*='/c/']").first.get_attribute("href")
    phone_a.goto(verify if verify.startswith("http") else base + verify)
    expect(phone_a.locator("body")).to_contain_text(number)
