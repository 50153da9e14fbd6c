"""A real server process and Debian's Chromium (Playwright with executable_path; never a
browser download). Every browser context the tests open reports the Content-Security-Policy
violations of its pages; a test with any fails."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.fairs.roles import Role
from tests.conftest import PASSWORD
from tests.live import LiveServer, free_port

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "PHONE", "LiveServer", "free_port", "log_in"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def log_in(page: Any, base: str, person: Any) -> None:
    """Log `page` in as a person would: a participant by opening their private link (the QR on
    their slip), staff with their e-mail and password on the login page."""
    slug = person.fair.slug
    if person.role == Role.PARTICIPANT:
        page.goto(f"{base}/f/{slug}/login/{person.login_secret}")
        return
    page.goto(f"{base}/f/{slug}/login")
    page.locator("details summary").click()
    page.fill("input[name='staff-email']", person.email)
    page.fill("input[name='staff-password']", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('hasłem')")
    assert "/login" not in page.url, page.url


@pytest.fixture
def live_server(app, database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Runs in every page before its own scripts (an init script: the page's CSP does not apply).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__gieldaCspViolation({page: document.location.href, directive: e.effectiveDirective,
                               blocked: e.blockedURI, source: e.sourceFile + ":" + e.lineNumber,
                               sample: e.sample});
});
"""


class CspWatchedBrowser:
    """The session's Chromium, whose new contexts collect their pages' CSP violations."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[dict[str, Any]] = []

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.expose_binding("__gieldaCspViolation", lambda _source, v: self.violations.append(v))
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("page", self._watch_console)
        return context

    def _watch_console(self, page: Any) -> None:
        def console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.violations.append({"page": page.url, "console": message.text})

        page.on("console", console)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser(chromium: Any) -> Iterator[CspWatchedBrowser]:
    watched = CspWatchedBrowser(chromium)
    yield watched
    assert not watched.violations, f"Content-Security-Policy violations: {watched.violations}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
