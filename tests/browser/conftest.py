"""A real server process and Debian's Chromium (Playwright with executable_path; never a
browser download)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.fair.sectors import Role
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
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
