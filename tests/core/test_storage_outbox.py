"""The live outbox (app/core/storage/outbox.py): at once outside a server; in batches, one
message per room and in order, inside one; never two flushes at the same time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.core.storage.outbox import Outbox

FAIR = ["fair:1", "screen:1"]
ME = ["participant:7"]
WAIT = 10.0


def message(seq: int, stream: str = "fair") -> dict[str, Any]:
    return {"stream": stream, "seq": seq, "type": "post.created", "data": {}}


class Sent:
    """What the outbox handed to Socket.IO: (name, payload, rooms), in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, list[str]]] = []

    def __call__(self, name: str, payload: Any, rooms: list[str]) -> None:
        self.calls.append((name, payload, rooms))


def no_sleep(_seconds: float) -> None:
    """The test runs the flusher by hand: nothing to wait for."""


def test_outside_a_server_every_event_leaves_at_once_in_order() -> None:
    sent = Sent()
    outbox = Outbox(sent)
    outbox.put([(FAIR, message(1)), (ME, message(1, "me"))])
    outbox.put([(FAIR, message(2))])
    assert sent.calls == [("event", message(1), FAIR), ("event", message(1, "me"), ME), ("event", message(2), FAIR)]


def test_a_moments_events_leave_as_one_message_per_room_in_sequence_order() -> None:
    sent, flushers = Sent(), []
    outbox = Outbox(sent)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(FAIR, message(1))])
    outbox.put([(FAIR, message(2)), (ME, message(1, "me"))])
    outbox.put([(FAIR, message(3))])
    assert sent.calls == [] and len(flushers) == 1  # one flusher for the three commits
    flushers[0]()
    assert sent.calls == [("events", [message(1), message(2), message(3)], FAIR), ("event", message(1, "me"), ME)]
    assert (outbox.batches, outbox.events) == (2, 4)


def test_what_commits_while_a_batch_is_sent_leaves_in_the_next_round_of_the_same_flusher() -> None:
    flushers: list[Callable[[], None]] = []
    sending, release = threading.Event(), threading.Event()
    calls: list[tuple[str, Any]] = []
    outbox: Outbox

    def slow_emit(name: str, payload: Any, _rooms: list[str]) -> None:
        calls.append((name, payload))
        if len(calls) == 1:
            sending.set()
            assert release.wait(WAIT)

    outbox = Outbox(slow_emit)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(FAIR, message(1))])
    worker = threading.Thread(target=flushers[0])
    worker.start()
    assert sending.wait(WAIT)
    outbox.put([(FAIR, message(2))])
    outbox.put([(FAIR, message(3))])
    assert len(flushers) == 1  # the running flusher takes them: no second one to overtake it
    release.set()
    worker.join(WAIT)
    assert not worker.is_alive()
    assert calls == [("event", message(1)), ("events", [message(2), message(3)])]


def test_a_new_flusher_starts_once_the_last_one_has_finished() -> None:
    sent, flushers = Sent(), []
    outbox = Outbox(sent)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(FAIR, message(1))])
    flushers[0]()
    outbox.put([(FAIR, message(2))])
    assert len(flushers) == 2
    flushers[1]()
    assert [payload for _name, payload, _rooms in sent.calls] == [message(1), message(2)]


def test_flush_sends_what_waits_now() -> None:
    sent, flushers = Sent(), []
    outbox = Outbox(sent)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(ME, message(4, "me"))])
    outbox.flush()
    assert sent.calls == [("event", message(4, "me"), ME)]
    flushers[0]()  # the flusher then finds nothing left
    assert len(sent.calls) == 1


def test_stop_sends_what_waits_and_emits_at_once_afterwards() -> None:
    sent, flushers = Sent(), []
    outbox = Outbox(sent)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(FAIR, message(1)), (FAIR, message(2))])
    outbox.stop()
    outbox.put([(FAIR, message(3))])
    assert sent.calls == [("events", [message(1), message(2)], FAIR), ("event", message(3), FAIR)]


def test_a_failed_send_to_one_room_does_not_keep_the_others_back() -> None:
    delivered: list[list[str]] = []
    flushers: list[Callable[[], None]] = []

    def emit(_name: str, _payload: Any, rooms: list[str]) -> None:
        if rooms == FAIR:
            raise ConnectionError("the message queue is gone")
        delivered.append(rooms)

    outbox = Outbox(emit)
    outbox.start(0.1, flushers.append, no_sleep)
    outbox.put([(FAIR, message(1)), (ME, message(1, "me"))])
    flushers[0]()
    assert delivered == [ME]


@pytest.mark.parametrize(("phones", "rest"), [(0, 0.1), (50, 0.1), (500, 0.25), (1000, 0.5), (5000, 1.0)])
def test_the_rest_between_rounds_grows_with_the_phones_a_round_reaches(phones: int, rest: float) -> None:
    """At least LIVE_BATCH_SECONDS; as long as a round's sends take at LIVE_SENDS_PER_SECOND;
    at most LIVE_BATCH_MAX_SECONDS."""
    outbox = Outbox(Sent())
    outbox.start(0.1, lambda _run: None, no_sleep, audience=lambda: phones, sends_per_second=2000, max_delay=1.0)
    assert outbox.rest() == pytest.approx(rest)


def test_the_flusher_rests_as_long_as_the_hall_asks() -> None:
    rests: list[float] = []
    flushers: list[Callable[[], None]] = []
    outbox = Outbox(Sent())
    outbox.start(0.1, flushers.append, rests.append, audience=lambda: 1400, sends_per_second=2000, max_delay=1.0)
    outbox.put([(FAIR, message(1))])
    flushers[0]()
    assert rests == [pytest.approx(0.7)]


def test_without_an_audience_the_rest_is_the_fixed_one() -> None:
    outbox = Outbox(Sent())
    outbox.start(600, lambda _run: None, no_sleep)
    assert outbox.rest() == 600
