"""Screenshots of the main pages for the README, taken in Debian's Chromium from a running
server with the demo fair, logged in as `make run` prints:
`python scripts/screenshots.py http://127.0.0.1:5000 organizator@tczew.example.org gielda-demo-2026`."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}


def main(base: str, email: str, password: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        laptop = browser.new_context(viewport={"width": 1280, "height": 800})
        page = laptop.new_page()
        page.goto(f"{base}/f/demo/login")
        page.locator("details summary").click()
        page.fill("input[name='staff-email']", email)
        page.fill("input[name='staff-password']", password)
        page.click("details button")
        page.wait_for_url(f"{base}/f/demo/admin/participants")
        page.screenshot(path=OUT / "organiser-participants.png")
        page.goto(f"{base}/f/demo/admin/participants?role=participant")  # people with a login slip
        first_row = page.locator("#participants tbody tr").first.locator("a").first
        first_row.click()
        secret_url = page.locator("code.secret").inner_text()
        badge = page.locator("dd code").first.inner_text()
        page.goto(f"{base}/f/demo/desk")
        page.fill("input[name=scanned]", f"{base}/p/{badge}")
        page.keyboard.press("Enter")
        page.wait_for_selector("#scan-result")
        page.screenshot(path=OUT / "desk-check-in.png")

        phone = browser.new_context(**PHONE)
        mobile = phone.new_page()
        mobile.goto(f"{base}/f/demo/login")
        mobile.screenshot(path=OUT / "phone-login.png")
        mobile.goto(secret_url)
        mobile.screenshot(path=OUT / "phone-my-card.png")
        mobile.goto(f"{base}/f/demo/register")
        mobile.screenshot(path=OUT / "phone-register.png", full_page=False)
        mobile.goto(f"{base}/f/demo/board")
        mobile.screenshot(path=OUT / "phone-board.png")

        page.goto(f"{base}/f/demo/admin/control")
        page.screenshot(path=OUT / "control-room.png")
        page.goto(f"{base}/f/demo/notary")
        page.locator("a[href*='/agreements/']").last.click()
        page.screenshot(path=OUT / "agreement.png", full_page=True)
        page.goto(f"{base}/f/demo/admin/results")
        page.screenshot(path=OUT / "results.png")
        page.goto(f"{base}/f/demo/admin/settings")
        screen_url = page.locator("#screen-url").inner_text()

        big = browser.new_context(viewport={"width": 1920, "height": 1080})
        screen = big.new_page()
        screen.goto(screen_url)
        screen.wait_for_function("() => document.body.dataset.connected === '1'")
        screen.screenshot(path=OUT / "big-screen.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3])
