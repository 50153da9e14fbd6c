"""Reading what the reports pages show that no other module computes: the audit log's search."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import joinedload

from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.audit import AuditEvent
from app.people.models import Participant


def audit_events(fair_id: int, q: str = "", day: date | None = None, offset: int = 0,
                 limit: int = 100) -> list[AuditEvent]:
    """The fair's audit entries, newest first: every word of `q` in the action, the target, the
    actor's name or the details; only those of `day` (local time) when given."""
    query = (select(AuditEvent).outerjoin(Participant, AuditEvent.actor_id == Participant.id)
             .options(joinedload(AuditEvent.actor)).where(AuditEvent.fair_id == fair_id))
    for term in q.split():
        like = f"%{term.replace('%', '').replace('_', '')}%"
        query = query.where(or_(AuditEvent.action.ilike(like), AuditEvent.target.ilike(like),
                                Participant.first_name.ilike(like), Participant.last_name.ilike(like),
                                cast(AuditEvent.details, String).ilike(like)))
    if day:
        start = datetime.combine(day, datetime.min.time(), LOCAL_ZONE)
        query = query.where(AuditEvent.at >= start, AuditEvent.at < start + timedelta(days=1))
    return list(db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                   .offset(offset).limit(limit)))
