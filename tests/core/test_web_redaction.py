"""No login secret in a log: real server processes — `python -m app` (Werkzeug's request log, as
`make run` serves) and gunicorn as the README deploys it, with its access log on — are asked for
a private login link, an invitation and the big screen's link, and their logs are read."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask

from app.core.paths import ROOT
from app.core.web.redaction import REDACTED, RedactSecrets, redact
from app.fairs.models import Fair
from app.people.models import Participant
from tests.live import LiveServer, free_port

WAIT = 15.0  # seconds: the most a log line may take to be written after its response


@dataclass
class SecretUrls:
    secrets: list[str]
    paths: list[str]


@pytest.fixture
def secrets_in_urls(trading_fair: Fair, make_participant: Callable[..., Participant]) -> SecretUrls:
    """Paths that hold a secret: a private login link (plain, and URL-encoded in ?next=), an
    invitation, the big screen's link."""
    person = make_participant("Łucja", "Żółkiewska")
    slug = trading_fair.slug
    invitation = "ImInvitationTokenZ3x.Yy-_q"
    return SecretUrls(
        secrets=[person.login_secret, invitation, trading_fair.display_token],
        paths=[f"/f/{slug}/login/{person.login_secret}",
               f"/f/{slug}/login?next=%2Ff%2F{slug}%2Flogin%2F{person.login_secret}",
               f"/f/{slug}/welcome/{invitation}",
               f"/f/{slug}/screen/{trading_fair.display_token}"])


def _request_all(base_url: str, urls: SecretUrls) -> None:
    for path in urls.paths:
        r = requests.get(base_url + path, allow_redirects=False, timeout=10,
                         headers={"Referer": base_url + path})  # gunicorn logs the referrer too
        assert r.status_code < 500, (path, r.status_code)


def _wait_for_lines(log: Path, pattern: str, count: int) -> str:
    """The log's text once it holds `count` lines matching `pattern` (each written after its
    response went out), or fail after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while True:
        text = log.read_text(encoding="utf-8", errors="replace")
        if len(re.findall(pattern, text)) >= count:
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"fewer than {count} lines matching {pattern!r} in {log}:\n{text[-3000:]}")
        time.sleep(0.05)  # polling a file another process writes; not a wait for app state


def _assert_no_secret(text: str, urls: SecretUrls) -> None:
    for secret in urls.secrets:
        assert secret not in text, f"a secret reached the log:\n{text[-3000:]}"
    # the link itself and the one in ?next= (Werkzeug logs it decoded, gunicorn as sent)
    assert text.count(f"/login/{REDACTED}") + text.count(f"%2Flogin%2F{REDACTED}") >= 2
    assert f"/welcome/{REDACTED}" in text and f"/screen/{REDACTED}" in text


@pytest.fixture
def app_server(app: Flask, database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path)
    yield server
    server.stop()


def test_make_runs_request_log_holds_no_login_secret(app_server: LiveServer,
                                                                   secrets_in_urls: SecretUrls) -> None:
    _request_all(app_server.url, secrets_in_urls)
    text = _wait_for_lines(app_server.log, r"GET /f/\S+ HTTP/1\.1", len(secrets_in_urls.paths))
    _assert_no_secret(text, secrets_in_urls)


@pytest.fixture
def gunicorn_server(app: Flask, database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn as README.md deploys it, with its access log and error log written to files."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test", "PUBLIC_URL": url,
           "AUTO_MIGRATE": "1"}
    with (tmp_path / "gunicorn.out").open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}",
             "--access-logfile", str(access), "--error-logfile", str(errors), "app:create_app()"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"gunicorn exited: {errors.read_text() if errors.exists() else ''}")
                try:
                    if requests.get(url + "/healthz", timeout=5).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    if time.monotonic() > deadline:
                        pytest.fail("gunicorn did not start")
                    time.sleep(0.1)  # polling for the port to open (the worker boots the app)
            yield url, access
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def test_gunicorns_access_log_holds_no_login_secret(gunicorn_server: tuple[str, Path],
                                                    secrets_in_urls: SecretUrls) -> None:
    url, access = gunicorn_server
    _request_all(url, secrets_in_urls)
    text = _wait_for_lines(access, r"GET /f/\S+ HTTP/1\.1", len(secrets_in_urls.paths))
    _assert_no_secret(text, secrets_in_urls)
    assert f'"{url}/f/' in text  # the referrer is logged, redacted like the request line


def test_the_apps_own_error_log_is_redacted_too(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """Flask logs "Exception on <path>" when a view fails; the path passes through the filter."""
    assert any(isinstance(f, RedactSecrets) for f in app.logger.filters)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        app.logger.error("Exception on %s [%s]", "/f/tczew/login/S3cretS3cretS3cret", "GET")
    assert caplog.messages == [f"Exception on /f/tczew/login/{REDACTED} [GET]"]


@pytest.mark.parametrize(("line", "expected"), [
    ('"GET /f/t/login/AbC_d-123 HTTP/1.1" 303', f'"GET /f/t/login/{REDACTED} HTTP/1.1" 303'),
    ("/f/t/login?next=%2Ff%2Ft%2Flogin%2FAbC_d-123&x=1", f"/f/t/login?next=%2Ff%2Ft%2Flogin%2F{REDACTED}&x=1"),
    ("/f/t/screen/tok/results", f"/f/t/screen/{REDACTED}/results"),
    ("http://h/f/t/welcome/eyJwIjo.aGk-x_y", f"http://h/f/t/welcome/{REDACTED}"),
    ('"POST /f/t/login HTTP/1.1" 303', '"POST /f/t/login HTTP/1.1" 303'),
    ("/f/t/posts/12", "/f/t/posts/12"),
])
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected
