"""Socket.IO handlers: join the fair's rooms, catch up on missed events. Thin by design."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_socketio import join_room

from app.events import events_since
from app.extensions import db, socketio
from app.fair.models import Fair

MAX_RESYNC = 1000


@socketio.on("connect")
def on_connect(auth: dict[str, Any] | None = None) -> bool:
    """A logged-in participant joins their fair's room and their own; others are refused."""
    if not current_user.is_authenticated:
        return False
    join_room(f"fair:{current_user.fair_id}")
    join_room(f"participant:{current_user.id}")
    return True


@socketio.on("resync")
def on_resync(data: dict[str, Any] | None) -> dict[str, Any]:
    """Events after the client's last sequence number, visible to this client, in order."""
    try:
        after = int((data or {}).get("after", 0))
    except (TypeError, ValueError):
        return {"ok": False, "code": "bad_request"}
    if not current_user.is_authenticated:
        return {"ok": False, "code": "not_logged_in"}
    events = events_since(current_user.fair_id, after, current_user.id)[:MAX_RESYNC]
    fair = db.session.get_one(Fair, current_user.fair_id)
    return {"ok": True, "events": [e.as_message() for e in events], "seq": fair.event_seq}
