"""The audit log: who did what and when, for every state change.

Every outermost `@service` call writes one AuditEvent inside its own transaction, so the log
holds exactly the changes that were committed (a refused call rolls its entry back with it).
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.storage.db import Base, utcnow

# Argument names whose values never go into the log.
SECRET_WORDS = ("password", "pin", "secret", "token", "data_bytes")
MAX_TEXT = 120


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_fair_at", "fair_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    action: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(80), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("Participant")


def _plain(value: Any) -> Any:
    """A short, JSON-safe rendering of an argument."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Base):  # a row: named, never copied
        return f"{type(value).__name__}#{getattr(value, 'id', '?')}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not any(w in f.name for w in SECRET_WORDS)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value[:20]]
    return type(value).__name__


def _target(result: Any) -> str:
    result = getattr(result, "audit_target", result)  # e.g. app.core.web.formkeys.Sent: the row it holds
    ident = getattr(result, "id", None)
    if ident is None or isinstance(result, type):
        return ""
    return f"{type(result).__name__}#{ident}"


def audit_entry(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                result: Any) -> AuditEvent:
    """The log entry for one service call (the caller adds it to the session)."""
    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
        arguments = dict(bound.arguments)
    except TypeError:
        arguments = {}
    actor = arguments.pop("actor", None)
    fair_id = arguments.get("fair_id")
    person = actor if isinstance(actor, Base) else None  # a logged-in person; not a system actor
    if fair_id is None and person is not None:
        fair_id = getattr(person, "fair_id", None)
    if fair_id is None:
        fair_id = getattr(result, "fair_id", None)
    details = {name: _plain(value) for name, value in arguments.items()
               if not any(w in name for w in SECRET_WORDS)}
    module = fn.__module__.rsplit(".", 1)[-1]
    return AuditEvent(
        fair_id=fair_id if isinstance(fair_id, int) else None,
        actor_id=getattr(person, "id", None),
        action=f"{module}.{fn.__name__}", target=_target(result), details=details)


_INSERT = insert(AuditEvent)


def write_entry(entry: AuditEvent) -> None:
    """Store `entry` in the current transaction: one INSERT on the session's connection, after
    whatever the session holds is flushed (the rows the entry names exist first), without the
    unit of work an added object costs at every commit."""
    session = db.session
    session.flush()
    session.connection().execute(_INSERT, {"fair_id": entry.fair_id, "actor_id": entry.actor_id,
                                           "action": entry.action, "target": entry.target,
                                           "details": entry.details, "at": utcnow()})
