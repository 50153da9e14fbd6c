"""A suggestion is not lost when the process that should push it dies first: its run stays
pending in the database, and the task queue's sweep pushes it — once, however often it is queued."""

import pytest

from app.brokers.suggestions import POSTER_EVENT
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.tasks import start_consumer, wait_for_tasks
from app.floor.kinds import PostKind
from tests.brokers.test_suggestions import runs_of


@pytest.fixture
def app_config():
    # Pushed through the task queue, which nobody consumes yet: as if the process died after the commit.
    return {"SUGGESTIONS_PUSH": "queue", "TASKS_IMMEDIATE": False}


def test_a_run_left_pending_is_pushed_once_by_the_sweep(app, make_participant, make_post, notices):
    asker, giver = make_participant(), make_participant()
    make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    offer = make_post(giver, "Sala konferencyjna na 40 osób")
    [run] = runs_of(offer.id)
    assert run.delivered_at is None and notices(giver, POSTER_EVENT) == []

    consumer = start_consumer(app, workers=2)  # sweeps first (queues the pending runs again), then consumes
    try:
        assert wait_for_tasks(60, app)
    finally:
        consumer.stop(graceful=True)
    db.session.rollback()  # end the test's read transaction: see what the workers committed

    assert [e.payload["post_id"] for e in notices(giver, POSTER_EVENT)] == [offer.id]
    [run] = runs_of(offer.id)
    assert run.delivered_at is not None and run.delivered_at <= utcnow()
