"""The live outbox: committed events leave for the phones in batches when they come fast.

A hall's busiest minute sends every post to every phone: N posts to N phones are N² Socket.IO
messages, each its own WebSocket frame for the server to write, the hall's Wi-Fi to carry and the
phone to read. In a serving process one sender sends in rounds: an event committed after a quiet
moment leaves at once, and what is committed while the sender sends or rests waits for its next
round, one message per room — `event` (one event, as before) or `events` (a list, in sequence
order). The busier the hall, the larger the batches and the fewer the messages; a room's events
never overtake each other within the process.

The rest between rounds grows with the hall: at least `LIVE_BATCH_SECONDS` (0.1 s), and as long
as one message to every phone connected to the deployment takes at `LIVE_SENDS_PER_SECOND`
(2,000 a second), at most `LIVE_BATCH_MAX_SECONDS` (1 s). In a burst, 200 phones see the board
move up to 10 times a second, 1,000 phones twice, 2,000 phones (over three processes) once, in
one message each: the processes' fan-out and the hall's Wi-Fi carry fewer, larger frames as the
hall grows (at 2,000 phones the processes spent a third less CPU than with a fixed 0.1 s).

With several server processes (a Redis message queue) each process batches what it delivers to
its own phones, whichever process committed it (app/core/web/live_sessions.py): a phone gets one
message per round however many processes post.

Outside a serving process (a CLI command, the test client) nothing runs in the background: each
event is emitted at once, as it is committed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Rooms = tuple[str, ...]
Message = dict[str, Any]
Emit = Callable[[str, Any, list[str]], None]  # (socket event name, payload, rooms)
Spawn = Callable[[Callable[[], None]], Any]  # start a background task
Sleep = Callable[[float], None]


class Outbox:
    """Events waiting to be emitted, by the rooms they go to (in the order they were committed)."""

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self._lock = threading.Lock()  # what waits
        self._sending = threading.Lock()  # one flush at a time: batches leave in order
        self._pending: dict[Rooms, list[Message]] = {}
        self._delay = 0.0
        self._max_delay = 0.0
        self._rate = 0.0
        self._audience: Callable[[], int] | None = None
        self._spawn: Spawn | None = None
        self._sleep: Sleep | None = None
        self._flushing = False
        self.batches = 0  # messages sent by flushes, and the events they carried (for the logs and tests)
        self.events = 0

    @property
    def batching(self) -> bool:
        return self._spawn is not None

    def start(self, delay: float, spawn: Spawn, sleep: Sleep, audience: Callable[[], int] | None = None,
              sends_per_second: float = 0.0, max_delay: float = 0.0) -> None:
        """From now on send what is put from a background task made by `spawn`, resting `delay`
        seconds at least between rounds (0: as often as it runs) — or, given `audience` (how many
        phones a round reaches) and `sends_per_second`, as long as those sends take at that rate,
        up to `max_delay`. Called by the server that serves."""
        with self._lock:
            self._delay, self._spawn, self._sleep = max(0.0, delay), spawn, sleep
            self._audience, self._rate = audience, sends_per_second
            self._max_delay = max(self._delay, max_delay)

    def rest(self) -> float:
        """Seconds between two rounds now."""
        if self._audience is None or self._rate <= 0:
            return self._delay
        return min(self._max_delay, max(self._delay, self._audience() / self._rate))

    def stop(self) -> None:
        """Back to emitting at once; what waits is sent now."""
        with self._lock:
            self._spawn = self._sleep = None
        self.flush()

    def put(self, messages: list[tuple[list[str], Message]]) -> None:
        """Committed events, each with its rooms: emitted now, or in the next batch."""
        if not messages:
            return
        if not self.batching:
            for rooms, message in messages:
                self._emit("event", message, rooms)
            return
        with self._lock:
            for rooms, message in messages:
                self._pending.setdefault(tuple(rooms), []).append(message)
            if self._flushing or self._spawn is None:
                return
            self._flushing = True
            spawn = self._spawn
        spawn(self._run)

    def _run(self) -> None:
        """The one sender: send what waits, rest, and again while more came meanwhile."""
        while True:
            self.flush()
            sleep = self._sleep
            rest = self.rest()
            if sleep is not None and rest:
                sleep(rest)  # at most one round per rest: what comes meanwhile waits for the next
            with self._lock:
                if not self._pending or self._spawn is None:
                    self._flushing = False
                    return

    def flush(self) -> None:
        """Send everything waiting now, one message per room."""
        with self._sending:
            with self._lock:
                waiting, self._pending = self._pending, {}
            self._send(waiting)

    def _send(self, waiting: dict[Rooms, list[Message]]) -> None:
        for rooms, messages in waiting.items():
            try:
                if len(messages) == 1:
                    self._emit("event", messages[0], list(rooms))
                else:
                    self._emit("events", messages, list(rooms))
            except Exception:  # committed already: a failed send is a client's gap, which it repairs
                log.exception("emitting %d event(s) to %s failed", len(messages), rooms)
            self.batches += 1
            self.events += len(messages)
