"""Socket.IO handlers: who joins which rooms, catching up on missed events, rate limits.

Rooms: `fair:<id>` (public events of a fair), `participant:<id>` (one person's own events),
`screen:<id>` (the big screen, opened with the fair's display token). A client joins only the
rooms of its own fair: a logged-in participant their fair's and their own; the big screen its
fair's screen room; an anonymous board viewer only the public room of the fair it names.
Handshakes from other origins are refused by the server (cors_allowed_origins is never '*').
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_socketio import join_room
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from app.events import events_since
from app.extensions import db, socketio
from app.fair.models import Fair
from app.inputs import DB_INT_MAX, forbidden_character, same_secret

MAX_RESYNC = 1000
_limiter = MovingWindowRateLimiter(MemoryStorage())
# Who each connection is: {"fair_id": int, "participant_id": int | None, "screen": bool}
_clients: dict[str, dict[str, Any]] = {}


def _fair_by_slug(slug: Any) -> Fair | None:
    if not isinstance(slug, str) or len(slug) > 64 or forbidden_character([slug]):
        return None
    return db.session.scalar(select(Fair).where(Fair.slug == slug))


@socketio.on("connect")
def on_connect(auth: dict[str, Any] | None = None) -> bool:
    auth = auth if isinstance(auth, dict) else {}
    if current_user.is_authenticated:
        _clients[request.sid] = {"fair_id": current_user.fair_id, "participant_id": current_user.id,
                                 "screen": False}
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
        _clients[request.sid] = {"fair_id": fair.id, "participant_id": None, "screen": True}
        join_room(f"screen:{fair.id}")
        return True
    _clients[request.sid] = {"fair_id": fair.id, "participant_id": None, "screen": False}
    join_room(f"fair:{fair.id}")
    return True


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    _clients.pop(request.sid, None)


def rate_limited(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """At most SOCKET_RATELIMIT events per connection (e.g. '30/10seconds')."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> dict[str, Any]:
        item = parse(current_app.config.get("SOCKET_RATELIMIT", "30/10seconds"))
        if not _limiter.hit(item, "socket", request.sid):
            return {"ok": False, "code": "rate_limited"}
        return handler(*args)

    return wrapper


@socketio.on("resync")
@rate_limited
def on_resync(data: Any = None) -> dict[str, Any]:
    """Events after the client's last sequence number, visible to this client, in order."""
    client = _clients.get(request.sid)
    if client is None:
        return {"ok": False, "code": "not_connected"}
    after = data.get("after", 0) if isinstance(data, dict) else 0 if data is None else None
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= DB_INT_MAX:
        return {"ok": False, "code": "bad_request"}  # a sequence number: 1e30, -1, "5", true are not
    events = events_since(client["fair_id"], after, client["participant_id"], limit=MAX_RESYNC)
    fair = db.session.get_one(Fair, client["fair_id"])
    return {"ok": True, "events": [e.as_message() for e in events], "seq": fair.event_seq}
