"""Domain events: recorded inside a service's transaction with a per-fair sequence number,
emitted over Socket.IO only after the transaction commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import JSON, ForeignKey, Index, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, utcnow
from app.extensions import db, socketio

PENDING_KEY = "gielda_pending_events"


class DomainEvent(Base):
    """Every event a fair has raised, in order, so reconnecting clients can catch up."""

    __tablename__ = "domain_events"
    __table_args__ = (Index("ix_domain_events_fair_seq", "fair_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # None: everyone at the fair may see it; otherwise only that participant's own room.
    participant_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_message(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "type": self.type,
            "fair_id": self.fair_id,
            "data": self.payload,
            "at": self.created_at.isoformat(),
        }


def record_event(
    fair_id: int, type_: str, payload: dict[str, Any], participant_id: int | None = None
) -> DomainEvent:
    """Store an event in the current transaction; it is emitted after commit."""
    from app.fair.models import Fair

    seq = db.session.execute(
        update(Fair).where(Fair.id == fair_id).values(event_seq=Fair.event_seq + 1)
        .returning(Fair.event_seq)
    ).scalar_one()
    evt = DomainEvent(
        fair_id=fair_id, seq=seq, type=type_, payload=payload, participant_id=participant_id
    )
    db.session.add(evt)
    db.session.info.setdefault(PENDING_KEY, []).append(evt)
    return evt


def events_since(fair_id: int, after_seq: int, participant_id: int | None,
                 limit: int | None = None) -> list[DomainEvent]:
    """What a client that last saw `after_seq` missed, in order, visible to it (the first
    `limit` of them)."""
    query = select(DomainEvent).where(DomainEvent.fair_id == fair_id, DomainEvent.seq > after_seq)
    if participant_id is None:
        query = query.where(DomainEvent.participant_id.is_(None))
    else:
        query = query.where(
            (DomainEvent.participant_id.is_(None)) | (DomainEvent.participant_id == participant_id)
        )
    return list(db.session.scalars(query.order_by(DomainEvent.seq).limit(limit)))


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


def _emit(messages: list[tuple[list[str], dict[str, Any]]]) -> None:
    for rooms, message in messages:
        socketio.emit("event", message, to=rooms, namespace="/")


def init_events(app: Flask) -> None:
    session_cls = db.session.session_factory.class_  # type: ignore[attr-defined]

    @event.listens_for(session_cls, "after_flush")
    def _snapshot(session: Session, _ctx: Any) -> None:
        # Serialise while the objects are still loaded, so the emit after commit is cheap.
        pending = session.info.get(PENDING_KEY)
        if pending:
            ready = session.info.setdefault(PENDING_KEY + "_ready", [])
            for evt in pending:
                ready.append((room_for(evt), evt.as_message()))
            pending.clear()

    @event.listens_for(session_cls, "after_commit")
    def _after_commit(session: Session) -> None:
        ready = session.info.pop(PENDING_KEY + "_ready", None)
        session.info.pop(PENDING_KEY, None)
        if ready:
            _emit(ready)

    @event.listens_for(session_cls, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(PENDING_KEY, None)
        session.info.pop(PENDING_KEY + "_ready", None)
