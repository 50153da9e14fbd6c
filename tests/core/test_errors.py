"""Crashes and exhaustion answered plainly (app/core/errors.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import BUSY_RETRY_AFTER
from app.core.extensions import db
from app.fairs.models import Fair
from app.people.models import Participant
from tests.conftest import build_app


@pytest.mark.parametrize("json", [False, True])
def test_all_database_connections_busy_is_a_503_with_retry_after_not_a_crash(
        database_url: str, tmp_path: Path, trading_fair: Fair, json: bool) -> None:
    """A burst beyond the pool (every connection taken for the pool's whole timeout) tells the
    phone the server is busy and when to try again; nothing is half-done."""
    slug = trading_fair.slug
    busy = build_app(database_url, tmp_path / "busy", SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    with busy.app_context():
        held = db.engine.connect()  # the only connection, taken by "another request"
        try:
            headers = {"Accept": "application/json"} if json else {}
            r = busy.test_client().get(f"/f/{slug}/board", headers=headers)
        finally:
            held.close()
            db.engine.dispose()
    assert r.status_code == 503 and r.headers["Retry-After"] == str(BUSY_RETRY_AFTER)
    if json:
        assert r.get_json()["code"] == "server_busy"
    else:
        assert "Serwer giełdy jest teraz bardzo obciążony" in r.get_data(as_text=True)


def test_a_logged_in_phone_gets_the_busy_page_too_not_a_crash(
        database_url: str, tmp_path: Path, trading_fair: Fair, make_participant: Callable[..., Participant]) -> None:
    """The page itself needs no database: the person is not loaded for it (Flask-Login loads
    them for every template, which asked the exhausted pool again and crashed into a 500)."""
    person = make_participant()
    busy = build_app(database_url, tmp_path / "busy", SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    phone = busy.test_client()
    assert phone.get(f"/f/{trading_fair.slug}/login/{person.login_secret}").status_code in (302, 303)
    with busy.app_context():
        held = db.engine.connect()
        try:
            r = phone.get(f"/f/{trading_fair.slug}/board")
        finally:
            held.close()
            db.engine.dispose()
    assert r.status_code == 503 and r.headers["Retry-After"] == str(BUSY_RETRY_AFTER)
    assert "Serwer giełdy jest teraz bardzo obciążony" in r.get_data(as_text=True)
