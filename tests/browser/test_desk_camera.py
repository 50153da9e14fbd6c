"""The check-in desk's camera scanner under the Content-Security-Policy: Chromium's fake camera
shows a badge's QR code, the page decodes it (BarcodeDetector where Chromium has one, else the
vendored jsQR it loads on demand) and checks the person in."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, CspWatchedBrowser, log_in


def fake_camera_file(text: str, path: Path, frames: int = 10) -> Path:
    """An MJPEG file (Chromium's --use-file-for-fake-video-capture) of `text` as a QR code."""
    code = qrcode.make(text, border=4).get_image().convert("RGB").resize((360, 360), Image.NEAREST)
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(code, (140, 60))
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue() * frames)
    return path


@pytest.fixture
def camera_browser(chromium: Any, tmp_path: Path, request: pytest.FixtureRequest):
    """A Chromium of its own whose camera films the file the test writes to `camera.mjpeg`."""
    video = tmp_path / "camera.mjpeg"
    launched: list[Any] = []

    def launch(qr_text: str) -> CspWatchedBrowser:
        fake_camera_file(qr_text, video)
        b = chromium.browser_type.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        launched.append(CspWatchedBrowser(b))
        return launched[-1]

    yield launch
    for watched in launched:
        watched.close()
        assert not watched.violations, f"Content-Security-Policy violations: {watched.violations}"


def test_the_camera_reads_a_badge_and_checks_the_person_in(camera_browser, live_server, fair, notary,
                                                            make_participant):
    person = make_participant("Jadwiga", "Kamińska", organisation="Klub Seniora Złota Jesień")
    browser = camera_browser(f"{live_server.url}/p/{person.badge_code}")  # what the badge's QR says
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    ctx.grant_permissions(["camera"], origin=live_server.url)
    desk = ctx.new_page()
    log_in(desk, live_server.url, notary)
    desk.goto(f"{live_server.url}/f/{fair.slug}/desk")
    expect(desk.locator("#checked-in-count")).to_have_text("0")
    desk.click("#camera-toggle")
    expect(desk.locator("#scan-result")).to_contain_text("Jadwiga Kamińska", timeout=15_000)
    expect(desk.locator("#checked-in-count")).to_have_text("1")
    ctx.close()
