"""Two phones: A opens B's card, drafts and signs; B is notified live and signs; the big
screen's agreement counter goes up without reload; the PDF downloads."""

from playwright.sync_api import expect

from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from tests.browser.conftest import PHONE, log_in
from tests.live import wait_until


def test_two_phones_make_an_agreement(browser, live_server, trading_fair, make_participant, tmp_path):
    with transaction():  # this fair runs without a notary's countersignature
        db.session.get(Fair, trading_fair.id).notary_required = False
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    base, slug = live_server.url, trading_fair.slug

    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/f/{slug}/screen/{trading_fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")
    expect(screen.locator("#n-agreements_signed")).to_have_text("0")
    expect(screen.locator("#s-social-value")).to_be_hidden()  # nothing pledged yet

    phone_b_ctx = browser.new_context(**PHONE)
    phone_b = phone_b_ctx.new_page()
    log_in(phone_b, base, b)
    phone_b.goto(f"{base}/f/{slug}/agreements")
    phone_b.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    phone_a_ctx = browser.new_context(**PHONE, accept_downloads=True)
    phone_a = phone_a_ctx.new_page()
    log_in(phone_a, base, a)
    phone_a.goto(f"{base}/p/{b.badge_code}")  # what scanning B's badge opens
    phone_a.click("#make-agreement")
    phone_a.click("#start-button")
    phone_a.fill("textarea[name='obligations-0-description']", "Sala konferencyjna na 30 osób, wtorek 16–19")
    phone_a.fill("input[name='obligations-0-hours']", "3")
    phone_a.click("button[value=add_obligation]")
    phone_a.select_option("select[name='obligations-1-giver']", str(b.organisation_id))
    phone_a.select_option("select[name='obligations-1-receiver']", str(a.organisation_id))
    phone_a.fill("textarea[name='obligations-1-description']", "200 ulotek A5 na festyn")
    phone_a.fill("input[name='obligations-1-points']", "25")
    phone_a.click("button[value=save]")
    expect(phone_a.locator("#agreement")).to_contain_text("200 ulotek A5 na festyn")

    # B's list reloads by itself when the draft arrives in B's personal room.
    expect(phone_b.locator("#agreements")).to_contain_text("Fundacja Źdźbło", timeout=10_000)

    phone_a.click("#sign-button")
    expect(phone_a.locator(".flash-success")).to_be_visible()

    phone_b.click("#agreements a")
    expect(phone_b.locator("#agreement")).to_contain_text("Łucja Żółkiewska")
    phone_b.click("#sign-button")
    expect(phone_b.locator("#agreement-number")).to_have_text(f"GZ/{slug}/001")

    expect(screen.locator("#n-agreements_signed")).to_have_text("1")
    # Beside it, live, the social value pledged: 3 h of basic help × 28,61 zł (the leaflets say no amount).
    expect(screen.locator("#s-social-value-n")).to_have_text("86 zł")
    expect(screen.locator("#ticker")).to_contain_text(f"GZ/{slug}/001")

    # A's open page reloads itself when B's signature completes the agreement.
    expect(phone_a.locator("#agreement-number")).to_have_text(f"GZ/{slug}/001", timeout=10_000)
    with phone_a.expect_download() as info:
        phone_a.click("#pdf-link")
    pdf = tmp_path / "agreement.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    for ctx in (screen_ctx, phone_a_ctx, phone_b_ctx):
        ctx.close()


def test_a_tap_on_the_list_is_not_undone_by_a_live_reload(browser, live_server, trading_fair, make_participant,
                                                           make_draft):
    """B taps an agreement in the list; while that page is on its way A signs, and the list would
    reload itself for the change: B still arrives where B tapped (static/js/agreements.js)."""
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Drukarnia Kociewiak")
    draft = make_draft(a, b)
    base, slug = live_server.url, trading_fair.slug
    page_url = f"{base}/f/{slug}/agreements/{draft.id}"

    phone_a = browser.new_context(**PHONE).new_page()
    log_in(phone_a, base, a)
    phone_a.goto(page_url)

    # Without the service worker (static/js/offline-sw.js): Playwright's page.route does not see a
    # navigation a service worker answers, and this test holds B's page on its way by routing it.
    phone_b = browser.new_context(**PHONE, service_workers="block").new_page()
    frames: list[str] = []  # what B's page receives on its socket (seen without asking the page)
    phone_b.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    log_in(phone_b, base, b)
    phone_b.goto(f"{base}/f/{slug}/agreements")
    phone_b.wait_for_function("() => !document.documentElement.classList.contains('offline')")
    held: list = []
    phone_b.route(page_url, lambda route: held.append(route))  # B's page stays on its way until released
    with phone_b.expect_request(page_url):
        phone_b.click("#agreements a", no_wait_after=True)

    phone_a.click("#sign-button")
    expect(phone_a.locator(".flash-success")).to_be_visible()
    # A's signature reaches B's list page while B's tap is on its way (phone A's page is asked,
    # so that Playwright delivers B's frames: B's own page answers nothing until it has arrived).
    wait_until(lambda: (phone_a.wait_for_timeout(50), [f for f in frames if "agreement.signature_added" in f])[1],
               bool, what="A's signature on B's socket")
    assert len(held) == 1
    held[0].continue_()

    expect(phone_b).to_have_url(page_url)
    expect(phone_b.locator("#agreement")).to_contain_text("Łucja Żółkiewska")
