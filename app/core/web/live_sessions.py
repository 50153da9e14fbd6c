"""Ending a person's live connections when their login ends (revoked, reissued, removed).

Services call `app.core.storage.events.end_sessions(participant_id)`; after the commit that closes the room
`participant:<id>`. The client managers below turn that into a disconnect of every socket in
the room, on every server process: with a Redis message queue `close_room` is published to all
processes, and each disconnects its own sockets. (With another kind of message queue the
sockets only leave the private room; their next resync finds the login ended and disconnects.)
"""

from __future__ import annotations

from typing import Any

import socketio

ROOM_PREFIX = "participant:"


class _EndsSessions:
    server: Any  # and get_participants(): provided by the manager this is mixed into

    def _disconnect_room(self, room: Any, namespace: str | None) -> None:
        if not isinstance(room, str) or not room.startswith(ROOM_PREFIX):
            return
        namespace = namespace or "/"
        for sid, _eio_sid in list(self.get_participants(namespace, room)):  # type: ignore[attr-defined]
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class LocalSessionManager(_EndsSessions, socketio.Manager):
    """One server process (the embedded default)."""

    def close_room(self, room: str, namespace: str | None) -> Any:
        self._disconnect_room(room, namespace)
        return super().close_room(room, namespace)


class RedisSessionManager(_EndsSessions, socketio.RedisManager):
    """Several server processes sharing a Redis message queue."""

    def _handle_close_room(self, message: dict[str, Any]) -> Any:
        self._disconnect_room(message.get("room"), message.get("namespace"))
        return super()._handle_close_room(message)


def client_manager(message_queue: str | None, channel: str) -> Any:
    """A fresh client manager for one Socket.IO server."""
    if not message_queue:
        return LocalSessionManager()
    if message_queue.startswith(("redis://", "rediss://")):
        return RedisSessionManager(message_queue, channel=channel)
    if message_queue.startswith("kafka://"):
        return socketio.KafkaManager(message_queue, channel=channel)
    return socketio.KombuManager(message_queue, channel=channel)
