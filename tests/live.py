"""A real server process (`python -m app`) for tests and benchmarks, and helpers that use it the
way a phone does: log in through the private link, post through the HTML form (CSRF on)."""

from __future__ import annotations

import functools
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests
import socketio
import websocket

from app.core.paths import ROOT

WAIT = 10.0  # seconds: the most any single event may take to arrive
QUIET = 0.5  # seconds: how long "nothing more arrives" is watched for
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
FORM_KEY_INPUT = re.compile(r'name="key"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="key"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`python -m app` on a free port of 127.0.0.1 against `database_url`; ready when /healthz
    answers. `extra_env` adds or overrides environment variables (e.g. SOCKETIO_MESSAGE_QUEUE).
    With `wait=False` the process starts and `wait_ready()` is the caller's (to start several at
    once)."""

    def __init__(self, database_url: str, tmp: Path, extra_env: dict[str, str] | None = None,
                 ready_timeout: float = 90, wait: bool = True, port: int | None = None,
                 command: list[str] | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Its own instance folder (and so its own background queue, instance/huey.db) unless told.
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "browser-test",
               "HOST": "127.0.0.1", "PORT": str(self.port), "PUBLIC_URL": self.url,
               "AUTO_MIGRATE": "1", "INSTANCE_PATH": str(tmp / f"instance-{self.port}"), **(extra_env or {})}
        self.log = tmp / f"server-{self.port}-{time.monotonic_ns()}.log"
        self._log_fh = self.log.open("w")
        self.proc = subprocess.Popen(command or [sys.executable, "-m", "app"], cwd=ROOT, env=env,
                                     stdout=self._log_fh, stderr=subprocess.STDOUT)
        if wait:
            try:
                self.wait_ready(ready_timeout)
            except BaseException:
                self.stop()
                raise

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)  # polling for the port to open; not used to wait for app state
        raise RuntimeError(f"server not ready: {self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would: nothing runs on the way out."""
        self.proc.kill()
        self.proc.wait(10)  # reaped: its process id is free
        if not self._log_fh.closed:
            self._log_fh.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self._log_fh.closed:
            self._log_fh.close()


class ConsumerProcess:
    """`flask --app app tasks consume` as a process of its own, as a deployment runs it beside
    the web processes (which then have TASK_WORKERS=0 and share HUEY_URL)."""

    def __init__(self, database_url: str, tmp: Path, extra_env: dict[str, str] | None = None,
                 workers: int = 2) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "browser-test", "AUTO_MIGRATE": "0",
               **(extra_env or {})}
        self.log = tmp / f"consumer-{time.monotonic_ns()}.log"
        self._log_fh = self.log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "tasks", "consume",
                                      "--workers", str(workers)], cwd=ROOT, env=env,
                                     stdout=self._log_fh, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        self._log_fh.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self._log_fh.closed:
            self._log_fh.close()


def wait_until(probe: Any, done: Any, timeout: float = 60, what: str = "the condition") -> Any:
    """Call `probe()` until `done(value)` holds; returns that value, or fails after `timeout`
    seconds. Polls a state the app shows (a progress page, a mailbox): no fixed wait."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if done(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout} s; last seen: {value!r}")
        time.sleep(0.05)  # between polls of the observed state, not a stand-in for it


def login_session(base_url: str, slug: str, login_secret: str) -> requests.Session:
    """A `requests.Session` logged in through the participant's private link."""
    http = requests.Session()
    r = http.get(f"{base_url}/f/{slug}/login/{login_secret}", allow_redirects=False, timeout=10)
    assert r.status_code == 303, (r.status_code, r.text[:500])
    assert http.cookies.get("session"), "the login link set no session cookie"
    return http


def staff_session(base_url: str, slug: str, email: str, password: str) -> requests.Session:
    """A `requests.Session` logged in with a staff member's e-mail and password (CSRF on)."""
    http = requests.Session()
    page = http.get(f"{base_url}/f/{slug}/login", timeout=10)
    token = re.search(r'name="staff-csrf_token"[^>]*value="([^"]+)"', page.text)
    assert token, "no staff-csrf_token input on the login page"
    r = http.post(f"{base_url}/f/{slug}/login", allow_redirects=False, timeout=10,
                  data={"staff-csrf_token": token.group(1), "staff-email": email, "staff-password": password})
    assert r.status_code == 303, (r.status_code, r.text[:500])
    return http


def cookie_header(http: requests.Session) -> str:
    """The session's cookies as a Cookie header (for socketio.Client.connect(headers=...))."""
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token input on the page"
    return match.group(1) or match.group(2)


def form_key(html: str) -> str:
    """The one-time key (app/formkeys.py) of the form on the page."""
    match = FORM_KEY_INPUT.search(html)
    assert match, "no one-time key input on the page"
    return match.group(1) or match.group(2)


def post_form(http: requests.Session, base_url: str, slug: str, category_id: int, title: str,
              kind: str = "offer") -> dict[str, str]:
    """The fields of the new-post form, with the CSRF token and the one-time key scraped from the
    live page (sending the same fields twice posts once: give each post its own `key`)."""
    page = http.get(f"{base_url}/f/{slug}/posts/new", timeout=10)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    return {"csrf_token": csrf_token(page.text), "key": form_key(page.text), "kind": kind,
            "category_id": str(category_id), "title": title, "details": "", "quantity": "", "unit": "",
            "available_when": "", "version": ""}


def post_offer(http: requests.Session, base_url: str, slug: str, category_id: int, title: str,
               kind: str = "offer") -> int:
    """Post through the live HTML form, as a phone does; returns the new post's id."""
    data = post_form(http, base_url, slug, category_id, title, kind)
    r = http.post(f"{base_url}/f/{slug}/posts/new", data=data, allow_redirects=False, timeout=10)
    assert r.status_code == 303, (r.status_code, r.text[:1000])
    match = re.search(r"/posts/(\d+)$", r.headers["Location"])
    assert match, r.headers["Location"]
    return int(match.group(1))


_ws_close = websocket.WebSocket.close


def _quick_close(self: websocket.WebSocket, *args: Any, **kwargs: Any) -> None:
    kwargs.setdefault("timeout", 0.2)
    _ws_close(self, *args, **kwargs)


class Listener:
    """A socketio.Client whose events (`event` messages, and each of an `events` batch) land on a
    queue; it never reconnects by itself, so every (re)connect in a test is explicit."""

    def __init__(self) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self.events.put)
        self.sio.on("events", self._batch)  # a serving process sends a moment's events together
        self.batch_sizes: list[int] = []

    def _batch(self, batch: list[dict[str, Any]]) -> None:
        self.batch_sizes.append(len(batch))
        for message in batch:
            self.events.put(message)

    def connect(self, url: str, *, auth: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
                transports: list[str] | None = None) -> Listener:
        # websocket-client's close() waits up to 3 s for the server's close frame, which the
        # client's own read loop usually consumes first; the Socket.IO and Engine.IO goodbyes are
        # sent before it, so a short wait loses nothing. Shortened for this client's connection,
        # including the close that follows a refused connect.
        with mock.patch.object(websocket.WebSocket, "close", _quick_close):
            self.sio.connect(url, auth=auth, headers=headers or {}, transports=transports or ["websocket"],
                             wait_timeout=WAIT)
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:
            ws.close = functools.partial(ws.close, timeout=0.2)
        return self

    def resync(self, after: int) -> dict[str, Any]:
        reply = self.sio.call("resync", {"after": after}, timeout=WAIT)
        assert reply["ok"], reply
        return reply

    def next_event(self, type_: str | None = None) -> dict[str, Any]:
        """The next event (of `type_`, skipping others), or fail after WAIT seconds."""
        while True:
            try:
                evt = self.events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no {type_ or 'event'} within {WAIT} s")
            if type_ is None or evt["type"] == type_:
                return evt

    def drain(self, quiet: float = QUIET) -> list[dict[str, Any]]:
        """Everything received until nothing arrives for `quiet` seconds."""
        out = []
        while True:
            try:
                out.append(self.events.get(timeout=quiet))
            except queue.Empty:
                return out

    def wait_disconnected(self, timeout: float = WAIT) -> bool:
        """Whether the server closed this connection within `timeout` seconds."""
        closed = threading.Event()
        self.sio.on("disconnect", lambda *_: closed.set())
        return closed.is_set() or not self.sio.connected or closed.wait(timeout)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
