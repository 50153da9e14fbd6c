"""The Socket.IO client managers: ending a person's live connections when their login ends, and,
with several server processes, batching what each process delivers to its own phones.

Ending a person's live connections when their login ends (revoked, reissued, removed):

Services call `app.core.storage.events.end_sessions(participant_id)`; after the commit that closes the room
`participant:<id>`. The client managers below turn that into a disconnect of every socket in
the room, on every server process: with a Redis message queue `close_room` is published to all
processes, and each disconnects its own sockets. (With another kind of message queue the
sockets only leave the private room; their next resync finds the login ended and disconnects.)

Batching at the receiving end (Redis): every process publishes each committed event at once; each
process puts the live events it receives — its own and the other processes' — into its own
outbox (app/core/storage/outbox.py), which sends them to this process's phones in rounds, one
message per room. A phone gets one message per round however many processes are posting; with
batching only where events are committed, three processes meant three messages a round.
"""

from __future__ import annotations

import time
from typing import Any

import socketio

from app.core.storage.outbox import Outbox

ROOM_PREFIX = "participant:"
HALL_EVERY = 1.0  # seconds between two counts of the phones connected to every process
HALL_FRESH = 5.0  # seconds a process's count is believed (a stopped process's count lapses)
LIVE_EVENTS = ("event", "events")  # what app/core/storage/events.py emits to rooms


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
    """Several server processes sharing a Redis message queue; live events delivered in batches
    once `live.start(...)` has been called (by the serving process)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.live = Outbox(self._deliver)
        self._hall: tuple[float, int] = (-HALL_EVERY, 0)  # (when counted, phones connected to every process)

    def hall_size(self, here: int) -> int:
        """Phones connected to every process of the deployment, `here` of them to this one. Each
        process writes its own count into a Redis hash (field: the process, value: count and
        time) at most once per HALL_EVERY seconds, and sums the counts written in the last
        HALL_FRESH seconds; should Redis fail, this process's own count."""
        counted, total = self._hall
        now = time.monotonic()
        if now - counted < HALL_EVERY:
            return max(total, here)
        key, stamp = f"{self.channel}:phones", time.time()
        try:
            if not self.connected:
                self._redis_connect()
            self.redis.hset(key, self.host_id, f"{here}:{stamp}")
            self.redis.expire(key, int(HALL_FRESH * 10))
            total = 0
            for value in self.redis.hgetall(key).values():
                count, at = value.decode().split(":")
                if stamp - float(at) < HALL_FRESH:
                    total += int(count)
        except Exception:  # the size only paces the live sender: this process's own will do
            total = here
        self._hall = (now, max(total, here))
        return self._hall[1]

    def _handle_emit(self, message: dict[str, Any]) -> Any:
        """Every emit for this process's phones, from this process or another: live events wait
        for the next round; anything else goes as Socket.IO sends it."""
        batch = _live_batch(message) if self.live.batching else None
        if batch is None:
            return super()._handle_emit(message)
        rooms, events = batch
        self.live.put([(rooms, evt) for evt in events])
        return None

    def _deliver(self, name: str, payload: Any, rooms: list[str]) -> None:
        """One round's message for one room, to this process's phones in it."""
        super()._handle_emit({"event": name, "data": [payload], "namespace": "/", "room": rooms})

    def _handle_close_room(self, message: dict[str, Any]) -> Any:
        self.live.flush()  # the person's last events go out before their connections close
        self._disconnect_room(message.get("room"), message.get("namespace"))
        return super()._handle_close_room(message)


def _live_batch(message: dict[str, Any]) -> tuple[list[str], list[Any]] | None:
    """(rooms, events) of a live event emitted to rooms; None for anything else (a reply with a
    callback, a message to one connection, another namespace, binary data)."""
    room, data = message.get("room"), message.get("data")
    if (message.get("event") not in LIVE_EVENTS or message.get("callback") or message.get("binary")
            or message.get("skip_sid") not in (None, [None]) or (message.get("namespace") or "/") != "/"
            or not room or not isinstance(data, list) or len(data) != 1):
        return None
    rooms = [room] if isinstance(room, str) else list(room)
    if not all(isinstance(r, str) for r in rooms):
        return None
    events = data[0] if message["event"] == "events" else [data[0]]
    return (rooms, list(events)) if isinstance(events, list) else None


def client_manager(message_queue: str | None, channel: str) -> Any:
    """A fresh client manager for one Socket.IO server."""
    if not message_queue:
        return LocalSessionManager()
    if message_queue.startswith(("redis://", "rediss://")):
        return RedisSessionManager(message_queue, channel=channel)
    if message_queue.startswith("kafka://"):
        return socketio.KafkaManager(message_queue, channel=channel)
    return socketio.KombuManager(message_queue, channel=channel)
