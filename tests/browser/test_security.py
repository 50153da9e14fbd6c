"""The Content-Security-Policy in Debian's Chromium: inline code is refused (and the tests see it),
and forms still work though the browser sends no Referer."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in


def test_an_inline_script_is_refused_and_reported(browser, live_server, fair):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    response = page.goto(f"{live_server.url}/f/{fair.slug}/board")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    seen = page.evaluate("""() => new Promise(resolve => {
        const seen = [];
        document.addEventListener("securitypolicyviolation", e => {
            seen.push(e.effectiveDirective);
            if (seen.length === 2) { resolve(seen.sort()); }
        });
        const s = document.createElement("script");
        s.textContent = "window.inlineRan = true";
        document.body.appendChild(s);
        document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
    })""")
    assert seen == ["script-src-elem", "style-src-attr"]
    assert page.evaluate("() => window.inlineRan") is None
    assert page.evaluate("() => getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    directives = {v.get("directive") for v in browser.violations}
    assert {"script-src-elem", "style-src-attr"} <= directives, browser.violations
    browser.violations.clear()  # expected here; any other test with a violation fails
    ctx.close()


def test_forms_post_without_referer_and_pass_the_same_origin_check(browser, live_server, fair, organiser):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    log_in(page, live_server.url, organiser)
    page.goto(f"{live_server.url}/f/{fair.slug}/admin/control")
    with page.expect_request(lambda r: r.method == "POST") as posted:
        page.fill("textarea[name=text]", "Kawa w holu!")
        page.click("text=Wyślij na telefony i ekran")
    headers = posted.value.all_headers()
    assert "referer" not in headers
    assert headers["sec-fetch-site"] == "same-origin"
    expect(page.locator(".flash-success")).to_be_visible()
    ctx.close()


def test_a_confirm_question_guards_its_form_without_inline_handlers(browser, live_server, trading_fair, organiser):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    log_in(page, live_server.url, organiser)
    page.goto(f"{live_server.url}/f/{trading_fair.slug}/admin/control")
    questions = []

    def answer(accept: bool):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    page.click("text=Zakończ wymianę (gong)")
    assert questions == ["Zakończyć wymianę teraz?"]
    expect(page.locator("text=Zakończ wymianę (gong)")).to_be_visible()  # not sent: still trading
    page.once("dialog", answer(True))
    with page.expect_navigation():
        page.click("text=Zakończ wymianę (gong)")
    assert questions == ["Zakończyć wymianę teraz?"] * 2
    expect(page.locator("text=Rozpocznij wymianę (gong)")).to_be_visible()  # closed: the gong can open it again
    ctx.close()
