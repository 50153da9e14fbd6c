"""How `python -m app` (`make run`) serves: gevent, a deep listen queue, its background queue
in a child process that ends with it; gzip for pages."""

from __future__ import annotations

import gzip
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio
from flask import Flask
from flask.testing import FlaskClient

from app.core.serving import LISTEN_BACKLOG, async_mode, compile_templates
from tests.live import LiveServer, wait_until


def test_an_app_made_without_the_server_is_threaded() -> None:
    """Tests and the CLI run unpatched: Socket.IO must not pick gevent for them."""
    assert async_mode() == "threading"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(database_url, tmp_path, extra_env={"TASK_WORKERS": "1"})
    yield live
    live.stop()


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_make_run_serves_with_gevent_and_no_development_server_warning(server: LiveServer) -> None:
    log = wait_until(server.log.read_text, lambda text: "Background tasks" in text, what="the start-up lines")
    assert "Giełda on http://127.0.0.1:" in log and "(gevent)" in log
    assert "development server" not in log.lower() and "werkzeug" not in log.lower()


def test_the_listen_queue_takes_a_whole_hall_at_once(server: LiveServer) -> None:
    out = subprocess.run(["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True, check=True)
    backlogs = [int(line.split()[2]) for line in out.stdout.splitlines() if line.strip()]
    assert backlogs and all(b == LISTEN_BACKLOG for b in backlogs), out.stdout  # Send-Q: the backlog


def test_the_background_queue_runs_in_a_child_that_dies_with_the_server(server: LiveServer) -> None:
    consumers = wait_until(lambda: [pid for pid, cmd in _children(server.proc.pid) if "tasks consume" in cmd],
                           bool, what="the consumer child process")
    assert len(consumers) == 1
    server.kill()  # SIGKILL: nothing of the server runs on the way out
    wait_until(lambda: _alive(consumers[0]), lambda alive: not alive, what="the consumer to end with the server")
    assert not _alive(consumers[0])


def test_pages_are_sent_gzipped(client: FlaskClient) -> None:
    plain = client.get("/setup")
    packed = client.get("/setup", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)



def test_sigterm_closes_live_connections_and_exits_cleanly(database_url: str, tmp_path: Path,
                                                           trading_fair: Any) -> None:
    """systemd stops a process with SIGTERM: its phones are disconnected (to reconnect to
    another process and catch up), requests in flight finish, the process exits 0, no traceback."""
    live = LiveServer(database_url, tmp_path, extra_env={"TASK_WORKERS": "1"})
    gone = threading.Event()
    phone = socketio.Client(reconnection=False)
    phone.on("disconnect", lambda *_args: gone.set())
    try:
        phone.connect(live.url, auth={"fair": trading_fair.slug}, transports=["websocket"], wait_timeout=30)
        live.proc.send_signal(signal.SIGTERM)
        assert live.proc.wait(60) == 0
        assert gone.wait(30), "the live connection was left open"
    finally:
        phone.disconnect()
        live.stop()
    log = live.log.read_text()
    assert "Stopping (signal 15)" in log and "Traceback" not in log


def test_every_template_is_compiled_before_the_first_request(app: Flask) -> None:
    """serve() compiles the templates up front; a page afterwards reuses them, compiling nothing."""
    app.jinja_env.bytecode_cache = None  # compiled here, not taken from the other tests' (tests/conftest.py)
    count = compile_templates(app)
    assert count == len(app.jinja_env.list_templates()) and count > 50
    compiled = app.jinja_env.compile
    calls: list[str] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[1] if len(args) > 1 else kwargs.get("name")))
        return compiled(*args, **kwargs)

    app.jinja_env.compile = counting  # type: ignore[method-assign]
    try:
        assert app.test_client().get("/").status_code == 200
    finally:
        del app.jinja_env.compile
    assert calls == []
