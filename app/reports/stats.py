"""Counters of a fair, for the stats API, the desk and (later) the big screen."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select

from app.agreements.stats import agreement_counts as counts
from app.agreements.value_api import whole_zloty
from app.agreements.value_totals import value_totals
from app.core.extensions import db
from app.door.checkin import checked_in_count
from app.fairs.categories import category_label, fair_categories
from app.fairs.models import Fair
from app.fairs.trading import trading_window
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.network.sectors import Sector
from app.people.models import Organisation, Participant


def fair_stats(fair: Fair) -> dict[str, Any]:
    people_by_sector, by_sector = _people_counts(fair)
    offers, needs, by_category = _post_counts(fair)
    return {
        "fair": fair.slug,
        "name": fair.name,
        "state": fair.state.value,
        "participants": sum(people_by_sector.values()),
        "participants_by_sector": people_by_sector,
        "organisations": sum(by_sector.values()),
        "organisations_by_sector": by_sector,
        "checked_in": checked_in_count(fair.id),
        "offers": offers,
        "needs": needs,
        "posts_by_category": by_category,
        **agreement_counts(fair),
        **whole_zloty(value_totals([fair.id])),
        "trading": trading_window(fair),
        "event_seq": fair.event_seq,
    }


def _people_counts(fair: Fair) -> tuple[dict[str, int], dict[str, int]]:
    """People (not removed) per sector of their organisation, and per sector the organisations
    (not removed) with at least one such person: one query, counted per organisation in the
    index of participants (fair, removed, organisation), then summed per sector."""
    per_organisation = (select(Participant.organisation_id, func.count().label("people"))
                        .where(Participant.fair_id == fair.id, Participant.removed_at.is_(None))
                        .group_by(Participant.organisation_id).subquery())
    active = case((and_(Organisation.removed_at.is_(None), Organisation.fair_id == fair.id), 1))
    rows = db.session.execute(
        select(Organisation.sector, func.sum(per_organisation.c.people), func.count(active))
        .join(per_organisation, per_organisation.c.organisation_id == Organisation.id)
        .group_by(Organisation.sector))
    people = {s.value: 0 for s in Sector}
    organisations = {s.value: 0 for s in Sector}
    for sector, n_people, n_organisations in rows:
        people[Sector(sector).value] = int(n_people)
        organisations[Sector(sector).value] = n_organisations
    return people, organisations


def _post_counts(fair: Fair) -> tuple[int, int, list[dict[str, Any]]]:
    """Live offers and needs, in total and per category (every category, zeros included)."""
    rows = db.session.execute(
        select(Post.category_id, Post.kind, func.count())
        .where(Post.fair_id == fair.id, Post.state == PostState.ACTIVE, Post.hidden_at.is_(None))
        .group_by(Post.category_id, Post.kind))
    counts: dict[tuple[int, str], int] = {(cid, PostKind(kind).value): n for cid, kind, n in rows}
    by_category = [
        {"id": c.id, "key": c.key, "name": category_label(c),
         "offers": counts.get((c.id, "offer"), 0), "needs": counts.get((c.id, "need"), 0)}
        for c in fair_categories(fair.id, include_archived=True)]
    offers = sum(n for (_, kind), n in counts.items() if kind == "offer")
    needs = sum(n for (_, kind), n in counts.items() if kind == "need")
    return offers, needs, by_category


def agreement_counts(fair: Fair) -> dict[str, Any]:
    """Signed agreements, the cross-sector matrix and points pledged (app.contracts)."""

    return counts(fair.id)

