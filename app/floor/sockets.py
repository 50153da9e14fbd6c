"""Socket.IO handlers: who joins which rooms, catching up on missed events, rate limits.

Rooms: `fair:<id>` (public events of a fair), `participant:<id>` (one person's own events),
`screen:<id>` (the big screen, opened with the fair's display token). A client joins only the
rooms of its own fair: a logged-in participant their fair's and their own; the big screen its
fair's screen room; an anonymous board viewer only the public room of the fair it names.
Handshakes from other origins are refused by the server (cors_allowed_origins is never '*').

Resync requests are limited per connection (`SOCKET_RATELIMIT`) and per client address
(`SOCKET_CLIENT_RATELIMIT`), so that many connections of one client cannot flood the server;
a refused request is answered `rate_limited`, and the client retries later (static/js/live.js).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_socketio import disconnect, join_room
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app.core.extensions import db, socketio
from app.core.storage.events import events_since
from app.core.web.inputs import DB_INT_MAX, forbidden_character, same_secret
from app.fairs.models import Fair
from app.fairs.queries import fair_by_slug
from app.people.models import Participant

MAX_RESYNC = 1000
MAX_SEQ = DB_INT_MAX  # the sequence columns' range
_limiter = MovingWindowRateLimiter(MemoryStorage())
# Who each connection is: {"fair_id", "participant_id" (None when anonymous), "login_version",
# "screen": bool}
_clients: dict[str, dict[str, Any]] = {}


def _sid() -> str:
    """This connection's Socket.IO id (Flask-SocketIO sets it on the request)."""
    return str(request.sid)  # type: ignore[attr-defined]


def _fair_by_slug(slug: Any) -> Fair | None:
    if not isinstance(slug, str) or len(slug) > 64 or forbidden_character([slug]):
        return None
    return fair_by_slug(slug)


@socketio.on("connect")
def on_connect(auth: dict[str, Any] | None = None) -> bool:
    auth = auth if isinstance(auth, dict) else {}
    if current_user.is_authenticated:
        _clients[_sid()] = {"fair_id": current_user.fair_id, "participant_id": current_user.id,
                                 "login_version": current_user.login_version, "screen": False}
        join_room(f"fair:{current_user.fair_id}")
        join_room(f"participant:{current_user.id}")
        return True
    fair = _fair_by_slug(auth.get("fair"))
    if fair is None:
        return False
    token = auth.get("screen")
    if token is not None:
        if not same_secret(token, fair.display_token):
            return False
        _clients[_sid()] = {"fair_id": fair.id, "participant_id": None, "screen": True}
        join_room(f"screen:{fair.id}")
        return True
    _clients[_sid()] = {"fair_id": fair.id, "participant_id": None, "screen": False}
    join_room(f"fair:{fair.id}")
    return True


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    _clients.pop(_sid(), None)


def rate_limited(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """At most SOCKET_RATELIMIT events per connection (e.g. '30/10seconds') and
    SOCKET_CLIENT_RATELIMIT per client address, over all its connections."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> dict[str, Any]:
        per_connection = parse(current_app.config.get("SOCKET_RATELIMIT", "30/10seconds"))
        per_client = parse(current_app.config.get("SOCKET_CLIENT_RATELIMIT", "300/minute"))
        if not _limiter.hit(per_connection, "socket", _sid()):
            return {"ok": False, "code": "rate_limited"}
        if not _limiter.hit(per_client, "socket-client", request.remote_addr or "unknown"):
            return {"ok": False, "code": "rate_limited"}
        return handler(*args)

    return wrapper


def _sequence(data: dict[str, Any], key: str) -> int | None:
    """A client's last sequence number: a whole number from 0 to MAX_SEQ (None when absent;
    an explicit null is as malformed as -1 or "5")."""
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(key)
    if not 0 <= value <= MAX_SEQ or value != int(value):
        raise ValueError(key)
    return int(value)


def _login_still_valid(client: dict[str, Any]) -> bool:
    if client["participant_id"] is None:
        return True
    person = db.session.get(Participant, client["participant_id"])
    return person is not None and person.is_active and person.login_version == client["login_version"]


@socketio.on("resync")
@rate_limited
def on_resync(data: Any = None) -> dict[str, Any]:
    """Events after the client's last sequence numbers (`after`: the fair's public stream;
    `after_private`: the participant's own stream), in order, visible to this client."""
    client = _clients.get(_sid())
    if client is None:
        return {"ok": False, "code": "not_connected"}
    if not _login_still_valid(client):
        disconnect()
        return {"ok": False, "code": "logged_out"}
    try:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError("payload")
        after = _sequence(data, "after") or 0
        after_private = _sequence(data, "after_private")
    except ValueError:
        return {"ok": False, "code": "bad_request"}
    events = events_since(client["fair_id"], after, client["participant_id"],
                          after_private=after_private, limit=MAX_RESYNC)
    fair = db.session.get_one(Fair, client["fair_id"])
    reply: dict[str, Any] = {"ok": True, "events": [e.as_message() for e in events], "seq": fair.event_seq}
    if client["participant_id"] is not None:
        reply["private_seq"] = db.session.get_one(Participant, client["participant_id"]).event_seq
    return reply
