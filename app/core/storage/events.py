"""Domain events: recorded inside a service's transaction with a sequence number, emitted over
Socket.IO only after the transaction commits.

Two streams, each numbered without gaps, so that a client that sees a gap knows it lost
something: the fair's public stream (`fair.event_seq`: posts, gongs, counters — what the board,
the big screen and anonymous viewers see) and each participant's private stream
(`participant.event_seq`: "a draft for you", "signed for you"). A private event never takes a
number of the public stream, so public clients see no gap that is not a loss.

The numbers are taken when the transaction commits, with one counter update per stream however
many events the transaction raised, so a counter row is locked only for the end of a writing
transaction and a rolled-back transaction or savepoint takes no number."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import JSON, ForeignKey, Index, String, column, event, insert, select, table, text, update
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from app.core.extensions import db, socketio
from app.core.storage.db import Base, utcnow
from app.core.storage.outbox import Outbox

PENDING_KEY = "gielda_pending_events"
READY_KEY = "gielda_ready_events"
END_SESSIONS_KEY = "gielda_end_sessions"
AFTER_COMMIT_KEY = "gielda_after_commit"

log = logging.getLogger(__name__)


PUBLIC = text("participant_id IS NULL")
PRIVATE = text("participant_id IS NOT NULL")


class DomainEvent(Base):
    """Every event a fair has raised, in order, so reconnecting clients can catch up."""

    __tablename__ = "domain_events"
    __table_args__ = (
        Index("uq_domain_events_public_seq", "fair_id", "seq", unique=True,
              sqlite_where=PUBLIC, postgresql_where=PUBLIC),
        Index("uq_domain_events_private_seq", "participant_id", "seq", unique=True,
              sqlite_where=PRIVATE, postgresql_where=PRIVATE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # None: everyone at the fair may see it; otherwise only that participant's own room.
    participant_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def stream(self) -> str:
        return "fair" if self.participant_id is None else "me"

    def as_message(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "stream": self.stream,
            "type": self.type,
            "fair_id": self.fair_id,
            "data": self.payload,
            "at": self.created_at.isoformat(),
        }


_INSERT_EVENTS = insert(DomainEvent).returning(DomainEvent.id, sort_by_parameter_order=True)

# The two counters an event takes its number from, named by table: core knows no area's model.
_FAIRS = table("fairs", column("id"), column("event_seq"))
_PARTICIPANTS = table("participants", column("id"), column("event_seq"))


def record_event(
    fair_id: int, type_: str, payload: dict[str, Any], participant_id: int | None = None
) -> DomainEvent:
    """Store an event in the current transaction; it is numbered when the transaction commits and
    emitted after that. Public events take the fair's next numbers; a participant's private events
    take that participant's (see `_number_pending`: one counter update per stream per transaction).

    Until the commit the event is neither numbered nor in the session: a savepoint that a later
    step opens and rolls back (a lost race on a unique key, say) cannot take its row or its number;
    an event recorded inside a savepoint that is rolled back goes with it (see
    `_savepoint_rolled_back`)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that the commit that numbers it, or a rollback, sees it
    evt = DomainEvent(fair_id=fair_id, type=type_, payload=payload, participant_id=participant_id,
                      created_at=utcnow())
    session.info.setdefault(PENDING_KEY, []).append((session.get_nested_transaction(), evt))
    return evt


def _bump(session: Session, counters: Any, key: int, n: int) -> int:
    """Take `n` numbers of one stream: its counter goes up by `n` in one statement (which locks
    the row until the commit, so no other writer takes them); returns the first."""
    # On the session's connection: a plain table's counter needs none of the ORM's statement handling.
    last = session.connection().execute(
        update(counters).where(counters.c.id == key).values(event_seq=counters.c.event_seq + n)
        .returning(counters.c.event_seq)
    ).scalar_one()
    return int(last) - n + 1


def _number_pending(session: Session) -> None:
    """Number the transaction's events, in the order they were recorded, with one counter update
    per stream: the fair's first, then participants' by id, the same order in every transaction
    so that two writers never wait for each other's counters in opposite orders."""
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    streams: dict[tuple[int, int], list[DomainEvent]] = {}
    for _savepoint, evt in pending:
        stream = (0, evt.fair_id) if evt.participant_id is None else (1, evt.participant_id)
        streams.setdefault(stream, []).append(evt)
    for private, owner in sorted(streams):
        numbered = streams[(private, owner)]
        first = _bump(session, _PARTICIPANTS if private else _FAIRS, owner, len(numbered))
        for offset, evt in enumerate(numbered):
            evt.seq = first + offset
    events = [evt for _savepoint, evt in pending]
    # Inserted on the session's connection, in one statement, without the unit of work the
    # commit's flush would spend on them; each event learns its id as a flushed one would.
    ids = session.connection().execute(_INSERT_EVENTS, [{
        "fair_id": evt.fair_id, "seq": evt.seq, "type": evt.type, "payload": evt.payload,
        "participant_id": evt.participant_id, "created_at": evt.created_at} for evt in events]).scalars().all()
    for evt, ident in zip(events, ids, strict=True):
        evt.id = ident
    # Serialised now, while everything is loaded, so that the emit after commit is cheap.
    session.info.setdefault(READY_KEY, []).extend((room_for(evt), evt.as_message()) for evt in events)


def end_sessions(participant_id: int) -> None:
    """After this transaction commits, close every live connection of this participant (their
    login was revoked, reissued or removed): see app/live_sessions.py."""
    db.session.info.setdefault(END_SESSIONS_KEY, set()).add(participant_id)


def after_commit(callback: Callable[[], None], session: Session | None = None) -> None:
    """Call `callback` once the current transaction has committed (the outermost one: a released
    savepoint does not count); forget it if the transaction rolls back. For work that must see
    the committed data, such as queueing a background task (app/core/tasks.py)."""
    target: Session = session if session is not None else db.session()
    if not target.in_transaction():
        target.begin()  # so that a rollback before any query still forgets the callback
    # With the savepoint it was registered in: rolling that savepoint back forgets it.
    target.info.setdefault(AFTER_COMMIT_KEY, []).append((target.get_nested_transaction(), callback))


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def events_since(fair_id: int, after_seq: int, participant_id: int | None = None,
                 after_private: int | None = None, limit: int | None = None) -> list[DomainEvent]:
    """What a client that last saw `after_seq` of the fair's stream (and `after_private` of
    its participant's own stream, if it has one) missed: each stream in order, public first,
    at most `limit` of each."""
    found = public_events_since(fair_id, after_seq, limit)
    if participant_id is not None and after_private is not None:
        found += private_events_since(participant_id, after_private, limit)
    return found


def public_events_since(fair_id: int, after_seq: int, limit: int | None = None,
                        up_to: int | None = None) -> list[DomainEvent]:
    """The fair's public events after `after_seq` (and up to `up_to`), in order, at most `limit`."""
    public = select(DomainEvent).where(DomainEvent.fair_id == fair_id, DomainEvent.participant_id.is_(None),
                                       DomainEvent.seq > after_seq)
    if up_to is not None:
        public = public.where(DomainEvent.seq <= up_to)
    return list(db.session.scalars(public.order_by(DomainEvent.seq).limit(limit)))


def private_events_since(participant_id: int, after_seq: int, limit: int | None = None) -> list[DomainEvent]:
    """One participant's own events after `after_seq`, in order, at most `limit`."""
    private = select(DomainEvent).where(DomainEvent.participant_id == participant_id,
                                        DomainEvent.seq > after_seq)
    return list(db.session.scalars(private.order_by(DomainEvent.seq).limit(limit)))


def recent_public_events(fair_id: int, types: tuple[str, ...], limit: int = 12) -> list[DomainEvent]:
    """The newest public events of these types, oldest first (for a ticker's first screen)."""
    rows = db.session.scalars(
        select(DomainEvent).where(DomainEvent.fair_id == fair_id, DomainEvent.participant_id.is_(None),
                                  DomainEvent.type.in_(types))
        .order_by(DomainEvent.seq.desc()).limit(limit))
    return list(reversed(list(rows)))


def room_for(evt: DomainEvent) -> list[str]:
    if evt.participant_id is not None:
        return [f"participant:{evt.participant_id}"]
    return [f"fair:{evt.fair_id}", f"screen:{evt.fair_id}"]


def _socketio_emit(name: str, payload: Any, rooms: list[str]) -> None:
    socketio.emit(name, payload, to=rooms, namespace="/")


# What this process's transactions committed, on its way to the phones (app/core/storage/outbox.py).
outbox = Outbox(_socketio_emit)


def init_events(app: Flask) -> None:
    session_cls = db.session.session_factory.class_

    @event.listens_for(session_cls, "before_commit")
    def _before_commit(session: Session) -> None:
        # Also called when a savepoint is released: only the outermost commit numbers the events.
        if not session.in_nested_transaction():
            _number_pending(session)

    # SQLAlchemy also calls after_commit and after_rollback when a savepoint (begin_nested) is
    # released or rolled back: only the outermost transaction's end counts here.
    @event.listens_for(session_cls, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return
        ready = session.info.pop(READY_KEY, None)
        if ready:
            outbox.put(ready)
        ended = session.info.pop(END_SESSIONS_KEY, None)
        if ended:
            outbox.flush()  # their last events go out before their connections close
        for participant_id in sorted(ended or ()):
            # Every server process closes its own connections of this room (see live_sessions).
            if socketio.server is not None:
                socketio.server.close_room(f"participant:{participant_id}", namespace="/")
        for _savepoint, callback in session.info.pop(AFTER_COMMIT_KEY, None) or ():
            try:
                callback()
            except Exception:  # the transaction is committed: report, and run the others
                log.exception("after-commit callback %r failed", callback)

    @event.listens_for(session_cls, "after_soft_rollback")
    def _savepoint_rolled_back(session: Session, previous: SessionTransaction) -> None:
        # A savepoint rolled back takes the events recorded and the after-commit work registered
        # inside it along.
        if not previous.nested:
            return
        for key in (PENDING_KEY, AFTER_COMMIT_KEY):
            entries = session.info.get(key)
            if entries:
                entries[:] = [(sp, item) for sp, item in entries if not _within(sp, previous)]

    @event.listens_for(session_cls, "after_transaction_end")
    def _forget(session: Session, transaction: SessionTransaction) -> None:
        # The outermost transaction ended: committed (emitted above) or rolled back (never).
        if transaction.parent is None:
            session.info.pop(PENDING_KEY, None)
            session.info.pop(READY_KEY, None)
            session.info.pop(END_SESSIONS_KEY, None)
            session.info.pop(AFTER_COMMIT_KEY, None)
