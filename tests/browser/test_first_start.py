"""A stranger's first minute, literally as the README tells it: `make run`, then the logins it
prints, typed into the pages a newcomer lands on, in Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from app.core.paths import ROOT
from tests.browser.conftest import PHONE, free_port

READY_TIMEOUT = 180  # seconds: `make run` migrates, builds the demo fair (157 people) and starts


class MakeRun:
    """`make run` on a free port with its own SQLite database; its output is collected line by line."""

    def __init__(self, tmp: Path, *make_args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'first-start.db'}",
               "OUTBOX_DIR": str(tmp / "outbox"), "INSTANCE_PATH": str(tmp / "instance")}
        env.pop("PUBLIC_URL", None)
        self.lines: list[str] = []
        self.proc = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={self.port}", *make_args], cwd=ROOT,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"make run exited with {self.proc.returncode}:\n{self.output}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)  # polling for the port to open
        pytest.fail(f"make run did not answer within {READY_TIMEOUT} s:\n{self.output}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[MakeRun]:
    server = MakeRun(tmp_path)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def printed(output: str, label: str) -> tuple[str, str]:
    match = re.search(rf"^\s*{label}:\s+(\S+@\S+) / (\S+)\s*$", output, re.MULTILINE)
    assert match, f"`make run` printed no {label} login:\n{output}"
    return match.group(1), match.group(2)


def test_the_logins_make_run_prints_work_in_the_browser(browser: object, make_run: MakeRun) -> None:
    organiser_email, password = printed(make_run.output, "Organiser")
    notary_email, notary_password = printed(make_run.output, "Notary")
    broker_email, broker_password = printed(make_run.output, "Broker")
    participant_link = re.search(r"^\s+(http://\S+/f/demo/login/\S+)\s*$", make_run.output, re.MULTILINE)
    assert participant_link, make_run.output
    assert participant_link.group(1).startswith(make_run.url)  # the printed link points at this server

    laptop_ctx = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    laptop = laptop_ctx.new_page()
    laptop.goto(make_run.url)  # the first page a newcomer opens
    laptop.click("text=Giełda Zasobów Tczew (demo)")
    laptop.click("header >> text=Zaloguj")
    laptop.locator("details summary").click()
    laptop.fill("input[name='staff-email']", organiser_email)
    laptop.fill("input[name='staff-password']", password)
    laptop.click("button:has-text('hasłem')")
    expect(laptop.locator(".flash-success")).to_contain_text("Dzień dobry, Grażyna")
    expect(laptop).to_have_url(re.compile(r"/f/demo/admin/participants$"))  # the organiser's console
    expect(laptop.locator("h1")).to_contain_text("Uczestnicy")

    desk_ctx = browser.new_context(viewport={"width": 1024, "height": 768})  # type: ignore[attr-defined]
    desk = desk_ctx.new_page()
    desk.goto(f"{make_run.url}/f/demo/login")
    desk.locator("details summary").click()
    desk.fill("input[name='staff-email']", notary_email)
    desk.fill("input[name='staff-password']", notary_password)
    desk.click("button:has-text('hasłem')")
    expect(desk).to_have_url(re.compile(r"/f/demo/desk$"))

    broker_ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    broker = broker_ctx.new_page()
    broker.goto(f"{make_run.url}/f/demo/login")
    broker.locator("details summary").click()
    broker.fill("input[name='staff-email']", broker_email)
    broker.fill("input[name='staff-password']", broker_password)
    broker.click("button:has-text('hasłem')")
    expect(broker).to_have_url(re.compile(r"/f/demo/brokers$"))  # the worklist, with someone to introduce
    expect(broker.get_by_role("button", name="Przedstaw").first).to_be_visible()

    phone_ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    phone = phone_ctx.new_page()
    phone.goto(participant_link.group(1))  # what scanning the slip's QR opens
    expect(phone).to_have_url(re.compile(r"/f/demo/me$"))
    expect(phone.locator("#my-card")).to_be_visible()
    for ctx in (laptop_ctx, desk_ctx, broker_ctx, phone_ctx):
        ctx.close()


def test_make_run_without_the_demo_offers_the_first_fair(browser: object, tmp_path: Path) -> None:
    server = MakeRun(tmp_path, "DEMO=0")
    try:
        server.wait_ready()
        link = re.search(r"(http://\S+/setup\?code=\S+)", server.output)
        assert link, server.output
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
        page = ctx.new_page()
        page.goto(server.url)
        expect(page.locator("a.btn.primary")).to_have_text("Utwórz pierwszą giełdę")
        page.goto(link.group(1))
        page.fill("input[name=fair_name]", "Giełda Zasobów Gniew")
        page.fill("input[name=slug]", "gniew")
        page.fill("input[name=first_name]", "Ewa")
        page.fill("input[name=last_name]", "Źrebięcka")
        page.fill("input[name=email]", "ewa@gniew.example.org")
        page.fill("input[name=organisation_name]", "Urząd Miasta i Gminy Gniew")
        page.select_option("select[name=sector]", "public")
        page.fill("input[name=password]", "a long enough password")
        page.click("button:has-text('Utwórz giełdę')")
        expect(page).to_have_url(re.compile(r"/f/gniew/admin/settings$"))
        expect(page.locator(".flash-success")).to_contain_text("Giełda Zasobów Gniew")
        ctx.close()
    finally:
        server.stop()
