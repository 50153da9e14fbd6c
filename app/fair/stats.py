"""Counters of a fair, for the stats API, the desk and (later) the big screen."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.fair.checkin import checked_in_count
from app.fair.models import Fair, Organisation, Participant
from app.fair.sectors import Sector


def fair_stats(fair: Fair) -> dict[str, Any]:
    active_orgs = select(Organisation.sector, func.count()).where(
        Organisation.fair_id == fair.id, Organisation.removed_at.is_(None),
        Organisation.id.in_(select(Participant.organisation_id).where(
            Participant.fair_id == fair.id, Participant.removed_at.is_(None))),
    ).group_by(Organisation.sector)
    by_sector = {s.value: 0 for s in Sector}
    for sector, n in db.session.execute(active_orgs):
        by_sector[Sector(sector).value] = n
    people_by_sector = {s.value: 0 for s in Sector}
    rows = db.session.execute(
        select(Organisation.sector, func.count())
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.fair_id == fair.id, Participant.removed_at.is_(None))
        .group_by(Organisation.sector))
    for sector, n in rows:
        people_by_sector[Sector(sector).value] = n
    return {
        "fair": fair.slug,
        "name": fair.name,
        "state": fair.state.value,
        "participants": sum(people_by_sector.values()),
        "participants_by_sector": people_by_sector,
        "organisations": sum(by_sector.values()),
        "organisations_by_sector": by_sector,
        "checked_in": checked_in_count(fair.id),
        "event_seq": fair.event_seq,
    }
