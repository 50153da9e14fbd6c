"""All database connections busy (a burst beyond what the deployment was sized for): a live
handshake is refused and a resync answered `server_busy` with the pause to wait, as a page
answers 503 with Retry-After — never a handler's traceback (app/floor/sockets.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from socketio.exceptions import ConnectionRefusedError as Refused

from app.core.errors import BUSY_RETRY_AFTER
from app.core.extensions import db, socketio
from app.fairs.models import Fair
from app.floor.sockets import on_connect
from app.people.models import Participant
from tests.conftest import build_app


@pytest.fixture
def busy(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with one database connection, given up after 0.2 s of waiting for it."""
    made = build_app(database_url, tmp_path / "busy", SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    yield made
    with made.app_context():
        db.engine.dispose()


def logged_in_cookie(busy: Flask, person: Participant) -> str:
    client = busy.test_client()
    assert client.get(f"/f/{person.fair.slug}/login/{person.login_secret}").status_code in (302, 303)
    name = busy.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain=busy.config["SERVER_NAME"])
    assert cookie is not None
    return f"{name}={cookie.value}"


def test_a_handshake_while_every_connection_is_busy_is_refused_with_the_pause_to_wait(
        busy: Flask, trading_fair: Fair, make_participant: Callable[..., Participant]) -> None:
    cookie = logged_in_cookie(busy, make_participant())
    with busy.app_context():
        held = db.engine.connect()  # the only connection, taken by "another request"
        try:
            with pytest.raises(Refused) as refused:
                on_connect("phone-1", {"flask.app": busy, "HTTP_COOKIE": cookie})
        finally:
            held.close()
    # What the client's connect_error receives: socket.io's message, and the data live.js reads.
    assert refused.value.error_args == {"message": "server_busy",
                                        "data": {"code": "server_busy", "retry_after": BUSY_RETRY_AFTER}}


def test_the_same_phone_connects_once_a_connection_is_free(
        busy: Flask, trading_fair: Fair, make_participant: Callable[..., Participant]) -> None:
    person = make_participant()
    client = busy.test_client()
    client.get(f"/f/{trading_fair.slug}/login/{person.login_secret}")
    with busy.app_context():
        held = db.engine.connect()
        try:
            refused = socketio.test_client(busy, flask_test_client=client)
            assert not refused.is_connected()
        finally:
            held.close()
    again = socketio.test_client(busy, flask_test_client=client)
    assert again.is_connected()
    again.disconnect()


def test_a_resync_while_every_connection_is_busy_answers_server_busy(
        busy: Flask, trading_fair: Fair, make_participant: Callable[..., Participant]) -> None:
    person = make_participant()
    client = busy.test_client()
    client.get(f"/f/{trading_fair.slug}/login/{person.login_secret}")
    sc = socketio.test_client(busy, flask_test_client=client)
    assert sc.is_connected()
    with busy.app_context():
        held = db.engine.connect()
        try:
            reply = sc.emit("resync", {"after": 0}, callback=True)
        finally:
            held.close()
    assert reply == {"ok": False, "code": "server_busy", "retry_after": BUSY_RETRY_AFTER}
    assert sc.emit("resync", {"after": 0}, callback=True)["ok"]  # and answered once one is free
    sc.disconnect()
