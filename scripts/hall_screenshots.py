"""Screenshots for docs/laptop-fair.md, taken in Debian's Chromium on a phone (390×844) and a
projector (1920×1080), logged in as the demo fair's organiser:

    python scripts/hall_screenshots.py console http://192.168.8.20:5000 EMAIL PASSWORD
        the console showing the address phones open (a server started by `make hall`; run this
        where a phone would be, e.g. in a second network namespace);
    python scripts/hall_screenshots.py warning http://127.0.0.1:5000 EMAIL PASSWORD
        the participant list (where badges are printed) warning that its QR codes would point
        to this computer only (a server started by `make run`, opened at 127.0.0.1).
"""

from __future__ import annotations

import sys

from playwright.sync_api import Browser, sync_playwright
from screenshots import ARGS, OUT, PHONE

SIZES = {"phone": PHONE, "projector": {"viewport": {"width": 1920, "height": 1080}}}


def _organiser_page(browser: Browser, size: str, base: str, email: str, password: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(**SIZES[size]).new_page()  # type: ignore[arg-type]
    page.goto(f"{base}/f/demo/login")
    page.locator("details summary").click()
    page.fill("input[name='staff-email']", email)
    page.fill("input[name='staff-password']", password)
    page.click("details button")
    page.wait_for_url(f"{base}/f/demo/admin/participants")
    return page


def main(what: str, base: str, email: str, password: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size in SIZES:
            page = _organiser_page(browser, size, base, email, password)
            if what == "console":
                page.goto(f"{base}/f/demo/admin/control")
                page.locator("#hall-address").scroll_into_view_if_needed()
                page.screenshot(path=OUT / f"hall-console-{size}.png")
            else:
                page.screenshot(path=OUT / f"hall-loopback-warning-{size}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], sys.argv[4])
