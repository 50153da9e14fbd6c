"""A worker process for the PostgreSQL concurrency tests (multiprocessing, spawn): it builds its
own app against the test database, then runs batches of transfers sent to it, starting each
batch at a barrier shared with the other worker so that both post at the same moment."""

from __future__ import annotations

from typing import Any


def serve(url: str, instance: str, barrier: Any, inbox: Any, outbox: Any) -> None:
    from app import create_app
    from app.core.errors import DomainError
    from app.core.extensions import db
    from app.ledger.operations import transfer_points
    from app.ledger.permissions import SystemActor

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "INSTANCE_PATH": instance,
                      "AUTO_MIGRATE": False, "TESTING": True})
    with app.app_context():
        actor = SystemActor("process")
        outbox.put(("ready", None))
        while (jobs := inbox.get()) is not None:
            barrier.wait(timeout=60)
            for job in jobs:
                try:
                    entry = transfer_points(actor, job["source"], job["target"], job["points"], job["memo"],
                                            job["key"])
                    outbox.put(("ok", entry.id))
                except DomainError as err:
                    outbox.put(("error", err.code))
                except Exception as exc:
                    outbox.put(("crash", repr(exc)))
            db.session.remove()  # hold no transaction (and no lock) between batches
            outbox.put(("done", None))
        db.engine.dispose()
