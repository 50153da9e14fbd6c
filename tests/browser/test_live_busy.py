"""A phone whose live handshake is refused because the server is busy (`server_busy`, every
database connection taken: app/floor/sockets.py) comes back by itself after the pause the
server asked for (static/js/live.js), in Debian's Chromium.

The server here is a bare Flask-SocketIO app in this process speaking the real Socket.IO
protocol: it refuses the first handshake exactly as Giełda does when its pool is exhausted
(tests/floor/test_sockets_busy.py checks Giełda's side) and accepts the next one, so that what
is tested is the page's client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIO
from socketio.exceptions import ConnectionRefusedError as Refused
from werkzeug.serving import make_server

from app.core.errors import BUSY_RETRY_AFTER
from app.core.paths import STATIC
from tests.browser.conftest import PHONE, free_port

PAUSE = 1  # seconds the server asks for (Giełda asks BUSY_RETRY_AFTER); live.js waits 0.5–1.5× it

PAGE = """<!doctype html><html><body>
<div id="board" data-seq="0"></div>
<script src="/static/vendor/socket.io-4.8.4.min.js"></script>
<script src="/static/js/live.js"></script>
<script>window.liveSocket = GieldaLive.connect(1, {});</script>
</body></html>"""


class BusyOnce:
    """A Socket.IO server that refuses the first handshake `server_busy`, then accepts."""

    def __init__(self) -> None:
        self.attempts: list[float] = []
        self.resyncs = 0
        app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
        sio = SocketIO(app, async_mode="threading")

        @app.get("/")
        def page() -> str:
            return PAGE

        @sio.on("connect")
        def connect(_auth: Any = None) -> bool:
            self.attempts.append(time.monotonic())
            if len(self.attempts) == 1:
                raise Refused("server_busy", {"code": "server_busy", "retry_after": PAUSE})
            return True

        @sio.on("resync")
        def resync(_data: Any = None) -> dict[str, Any]:
            self.resyncs += 1
            return {"ok": True, "events": [], "seq": 0}

        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def busy_once() -> Iterator[BusyOnce]:
    server = BusyOnce()
    server.thread.start()
    yield server
    server.server.shutdown()


def test_a_phone_refused_as_busy_connects_again_after_the_pause(browser: Any, busy_once: BusyOnce) -> None:
    assert BUSY_RETRY_AFTER >= PAUSE  # Giełda asks for at least the pause tested here
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(busy_once.url + "/")

    page.wait_for_function("() => window.liveSocket && window.liveSocket.connected", timeout=15_000)

    assert len(busy_once.attempts) == 2  # refused once, then in: no storm of retries
    assert busy_once.attempts[1] - busy_once.attempts[0] >= 0.5 * PAUSE  # it waited as asked
    assert page.evaluate("GieldaLive.stats.refused") == 1
    page.wait_for_function("() => GieldaLive.stats.resyncs >= 1")  # once in, it catches up
    assert busy_once.resyncs >= 1
    context.close()
