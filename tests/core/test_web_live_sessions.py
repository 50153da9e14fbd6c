"""The client managers (app/core/web/live_sessions.py): with a Redis message queue the processes
count the phones connected to all of them (what paces the live sender), on the real Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from app.core.web import live_sessions
from app.core.web.live_sessions import RedisSessionManager


@pytest.fixture
def channel(redis_url: str) -> Iterator[str]:
    name = f"gielda-test-{uuid.uuid4().hex}"
    yield name
    redis.Redis.from_url(redis_url).delete(f"{name}:phones")


def test_each_process_counts_the_phones_of_every_process(redis_url: str, channel: str) -> None:
    a, b = RedisSessionManager(redis_url, channel=channel), RedisSessionManager(redis_url, channel=channel)
    a.hall_size(700)
    assert b.hall_size(600) == 1300
    assert a.hall_size(700) == 700  # its last count is a second old at most: counted again later


def test_the_count_is_taken_again_after_a_second(redis_url: str, channel: str, monkeypatch) -> None:
    monkeypatch.setattr(live_sessions, "HALL_EVERY", 0.0)
    a, b = RedisSessionManager(redis_url, channel=channel), RedisSessionManager(redis_url, channel=channel)
    a.hall_size(700)
    b.hall_size(600)
    assert a.hall_size(650) == 1250


def test_a_stopped_process_count_lapses(redis_url: str, channel: str, monkeypatch) -> None:
    monkeypatch.setattr(live_sessions, "HALL_EVERY", 0.0)
    stopped, running = RedisSessionManager(redis_url, channel=channel), RedisSessionManager(redis_url, channel=channel)
    redis.Redis.from_url(redis_url).hset(f"{channel}:phones", stopped.host_id,
                                         f"900:{time.time() - live_sessions.HALL_FRESH - 1}")
    assert running.hall_size(300) == 300


def test_without_redis_a_process_counts_its_own(channel: str) -> None:
    lost = RedisSessionManager("redis://127.0.0.1:1/0", channel=channel)  # nothing listens there
    assert lost.hall_size(42) == 42
